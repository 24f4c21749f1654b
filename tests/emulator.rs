//! The emulator tier: wavetop's AWS adapters against a local moto server.
//!
//! Run with `scripts/emulator.sh` (it installs moto, starts it on a free
//! loopback port, sets `WAVETOP_EMULATOR_URL` and runs this file). Without
//! that variable the tests print a notice and pass, except under CI, where
//! a missing emulator is a failure: CI must never skip this tier silently.
//!
//! moto has no GetPipelineState nor CodePipeline operator calls, and its
//! CloudWatch may not answer the SDK's CBOR protocol; those are covered by
//! `tests/aws_adapters.rs`. Here they must degrade without breaking a poll.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Once;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_config::BehaviorVersion;
use aws_sdk_cloudformation::types::StackStatus;
use aws_sdk_codepipeline::types::{
    ActionCategory, ActionDeclaration, ActionOwner, ActionTypeId, ArtifactStore, ArtifactStoreType,
    InputArtifact, OutputArtifact, PipelineDeclaration, StageDeclaration,
};
use aws_sdk_route53::types::{
    Change, ChangeAction, ChangeBatch, HealthCheckConfig, HealthCheckType, ResourceRecord,
    ResourceRecordSet, ResourceRecordSetFailover, ResourceRecordSetRegion, RrType,
};
use wavetop::config::schema::{AwsConfig, StackConfig, TableConfig};
use wavetop::domain::fleet::{FlowKind, HealthStatus, RoutingPolicy};
use wavetop::source::aws::{AwsBackend, AwsOptions};
use wavetop::source::{Observation, Observe, Operate, OperateCall, PollKey, SourceError};

/// The emulator's URL, or None (with a notice) when the tier is not set up.
fn emulator() -> Option<String> {
    match std::env::var("WAVETOP_EMULATOR_URL") {
        Ok(url) if !url.is_empty() => {
            dummy_credentials();
            Some(url)
        }
        _ if std::env::var_os("CI").is_some() => {
            panic!(
                "WAVETOP_EMULATOR_URL is not set under CI: run this tier through scripts/emulator.sh"
            )
        }
        _ => {
            eprintln!(
                "skipping the emulator tier: WAVETOP_EMULATOR_URL is not set (run scripts/emulator.sh)"
            );
            None
        }
    }
}

/// Dummy credentials for the default chain, set once before any client exists.
fn dummy_credentials() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for (key, value) in [
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_SESSION_TOKEN", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_REGION", "us-east-1"),
        ] {
            if std::env::var_os(key).is_none() {
                // SAFETY: set once, guarded by `Once`, before any test reads the environment.
                unsafe { std::env::set_var(key, value) };
            }
        }
    });
}

/// A suffix that keeps names of concurrent tests and earlier runs apart.
fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{nanos:09}")
}

async fn sdk(url: &str, region: &str) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(aws_config::Region::new(region.to_string()))
        .load()
        .await
}

/// moto checks that CodePipeline may assume the pipeline's role. There is
/// no IAM client among wavetop's crates, so the role is made with one
/// plain query-protocol request (moto does not verify signatures).
fn create_pipeline_role(url: &str, name: &str) -> String {
    let host = url.trim_start_matches("http://");
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let encoded: String = policy
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    let body = format!(
        "Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={encoded}"
    );
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(host).expect("emulator reachable");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "CreateRole: {answer}");
    format!("arn:aws:iam::123456789012:role/{name}")
}

fn action(
    name: &str,
    category: ActionCategory,
    provider: &str,
    config: &[(&str, &str)],
) -> ActionDeclaration {
    let mut b = ActionDeclaration::builder().name(name).action_type_id(
        ActionTypeId::builder()
            .category(category)
            .owner(ActionOwner::Aws)
            .provider(provider)
            .version("1")
            .build()
            .unwrap(),
    );
    for (k, v) in config {
        b = b.configuration(*k, *v);
    }
    b.build().unwrap()
}

/// A pipeline with a source stage and one deploy stage whose CloudFormation
/// actions run in eu-west-1 and us-west-2, each in its own CDK-named group.
async fn seed_pipeline(url: &str, name: &str, stack: &str) {
    let role = create_pipeline_role(url, &format!("{name}-role"));
    let cp = aws_sdk_codepipeline::Client::new(&sdk(url, "us-east-1").await);
    let source = StageDeclaration::builder()
        .name("Source")
        .actions({
            let mut a = action(
                "Source",
                ActionCategory::Source,
                "S3",
                &[("S3Bucket", "src"), ("S3ObjectKey", "app.zip")],
            );
            a.output_artifacts = Some(vec![OutputArtifact::builder().name("src").build().unwrap()]);
            a
        })
        .build()
        .unwrap();
    let mut deploy = StageDeclaration::builder().name("Deploy");
    for (group, region) in [("Ireland", "eu-west-1"), ("Oregon", "us-west-2")] {
        for (step, mode, run) in [
            ("Prepare", "CHANGE_SET_REPLACE", 1),
            ("Deploy", "CHANGE_SET_EXECUTE", 2),
        ] {
            let stack_name = format!("{stack}-{region}");
            let mut a = action(
                &format!("{group}.App.{step}"),
                ActionCategory::Deploy,
                "CloudFormation",
                &[
                    ("StackName", stack_name.as_str()),
                    ("ActionMode", mode),
                    ("ChangeSetName", "change"),
                ],
            );
            a.region = Some(region.to_string());
            a.run_order = Some(run);
            a.input_artifacts = Some(vec![InputArtifact::builder().name("src").build().unwrap()]);
            deploy = deploy.actions(a);
        }
    }
    let pipeline = PipelineDeclaration::builder()
        .name(name)
        .role_arn(role)
        .artifact_store(
            ArtifactStore::builder()
                .r#type(ArtifactStoreType::S3)
                .location("artifacts")
                .build()
                .unwrap(),
        )
        .stages(source)
        .stages(deploy.build().unwrap())
        .build()
        .unwrap();
    cp.create_pipeline()
        .pipeline(pipeline)
        .send()
        .await
        .expect("CreatePipeline");
    cp.start_pipeline_execution()
        .name(name)
        .send()
        .await
        .expect("StartPipelineExecution");
}

const TEMPLATE: &str = r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#;

async fn seed_stack(url: &str, region: &str, name: &str) {
    let cfn = aws_sdk_cloudformation::Client::new(&sdk(url, region).await);
    cfn.create_stack()
        .stack_name(name)
        .template_body(TEMPLATE)
        .send()
        .await
        .expect("CreateStack");
}

async fn seed_health_check(r53: &aws_sdk_route53::Client, fqdn: &str) -> String {
    let out = r53
        .create_health_check()
        .caller_reference(format!("{fqdn}-{}", unique()))
        .health_check_config(
            HealthCheckConfig::builder()
                .r#type(HealthCheckType::Https)
                .fully_qualified_domain_name(fqdn)
                .port(443)
                .resource_path("/health")
                .request_interval(30)
                .failure_threshold(3)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("CreateHealthCheck");
    out.health_check().unwrap().id().to_string()
}

fn record(
    name: &str,
    id: &str,
    ip: &str,
    hc: Option<&str>,
) -> aws_sdk_route53::types::builders::ResourceRecordSetBuilder {
    ResourceRecordSet::builder()
        .name(name)
        .r#type(RrType::A)
        .set_identifier(id)
        .ttl(60)
        .resource_records(ResourceRecord::builder().value(ip).build().unwrap())
        .set_health_check_id(hc.map(str::to_string))
}

struct Zone {
    name: String,
    api_checks: [String; 2],
    primary_check: String,
}

/// A zone with latency records (us-east-1, eu-west-1) and failover records
/// (PRIMARY with a health check, SECONDARY without), as the write-ups run them.
async fn seed_zone(url: &str, tag: &str) -> Zone {
    let r53 = aws_sdk_route53::Client::new(&sdk(url, "us-east-1").await);
    let use1 = seed_health_check(&r53, &format!("api.us-east-1.{tag}.example.com")).await;
    let euw1 = seed_health_check(&r53, &format!("api.eu-west-1.{tag}.example.com")).await;
    let primary = seed_health_check(&r53, &format!("app-primary.{tag}.example.com")).await;
    let zone_name = format!("{tag}.example.com.");
    let zone = r53
        .create_hosted_zone()
        .name(&zone_name)
        .caller_reference(format!("zone-{tag}"))
        .send()
        .await
        .expect("CreateHostedZone");
    let zone_id = zone
        .hosted_zone()
        .unwrap()
        .id()
        .trim_start_matches("/hostedzone/")
        .to_string();
    let api = format!("api.{zone_name}");
    let app = format!("app.{zone_name}");
    let sets = [
        record(&api, "api-use1", "192.0.2.10", Some(&use1))
            .region(ResourceRecordSetRegion::UsEast1),
        record(&api, "api-euw1", "192.0.2.20", Some(&euw1))
            .region(ResourceRecordSetRegion::EuWest1),
        record(&app, "primary-us-east-1", "192.0.2.30", Some(&primary))
            .failover(ResourceRecordSetFailover::Primary),
        record(&app, "secondary-us-west-2", "192.0.2.40", None)
            .failover(ResourceRecordSetFailover::Secondary),
    ];
    let mut batch = ChangeBatch::builder();
    for set in sets {
        batch = batch.changes(
            Change::builder()
                .action(ChangeAction::Create)
                .resource_record_set(set.build().unwrap())
                .build()
                .unwrap(),
        );
    }
    r53.change_resource_record_sets()
        .hosted_zone_id(zone_id)
        .change_batch(batch.build().unwrap())
        .send()
        .await
        .expect("ChangeResourceRecordSets");
    Zone {
        name: zone_name,
        api_checks: [use1, euw1],
        primary_check: primary,
    }
}

async fn connect(url: &str, cfg: AwsConfig) -> AwsBackend {
    AwsBackend::connect(
        AwsOptions {
            profile: None,
            endpoint_url: Some(url.to_string()),
            home_regions: vec!["us-east-1".to_string()],
        },
        cfg,
    )
    .await
    .expect("connect")
}

#[tokio::test]
async fn discovers_and_polls_a_seeded_fleet() {
    let Some(url) = emulator() else { return };
    let tag = format!("t{}", unique());
    let pipeline = format!("api-{tag}");
    let stack = format!("api-{tag}");
    seed_pipeline(&url, &pipeline, &stack).await;
    seed_stack(&url, "eu-west-1", &format!("{stack}-eu-west-1")).await;
    seed_stack(&url, "us-west-2", &format!("{stack}-us-west-2")).await;
    let billing = format!("billing-{tag}");
    seed_stack(&url, "ap-southeast-2", &billing).await;
    let zone = seed_zone(&url, &tag).await;
    let table = format!("orders-{tag}");
    let ddb = aws_sdk_dynamodb::Client::new(&sdk(&url, "us-east-1").await);
    ddb.create_table()
        .table_name(&table)
        .key_schema(
            aws_sdk_dynamodb::types::KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(aws_sdk_dynamodb::types::KeyType::Hash)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            aws_sdk_dynamodb::types::AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(aws_sdk_dynamodb::types::ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await
        .expect("CreateTable");

    let cfg = AwsConfig {
        hosted_zones: vec![zone.name.trim_end_matches('.').to_string()],
        stacks: vec![StackConfig {
            flow: format!("billing-{tag}"),
            region: "ap-southeast-2".into(),
            name: billing.clone(),
        }],
        tables: vec![TableConfig {
            name: table.clone(),
            source_region: "us-east-1".into(),
            flow: Some(pipeline.clone()),
        }],
        ..AwsConfig::default()
    };
    let backend = connect(&url, cfg).await;

    // Discovery: ListPipelines + GetPipeline, STS, the zone's routed records.
    let d = backend.discover().await.expect("discover");
    assert_eq!(d.fleet_label, "123456789012 (default)");
    let flow = d
        .flows
        .iter()
        .find(|f| f.name == pipeline)
        .expect("the pipeline's flow");
    assert_eq!(flow.kind, FlowKind::Pipeline);
    assert_eq!(flow.regions, ["eu-west-1", "us-west-2"]);
    assert_eq!(
        flow.waves
            .iter()
            .map(|w| w.name.as_str())
            .collect::<Vec<_>>(),
        ["Source", "Deploy"]
    );
    let ireland = flow.wave("Deploy").unwrap().cell("eu-west-1").unwrap();
    assert_eq!(
        ireland.stack_names(),
        [format!("{stack}-eu-west-1").as_str()]
    );
    let unmanaged = d
        .flows
        .iter()
        .find(|f| f.name == format!("billing-{tag}"))
        .unwrap();
    assert_eq!(unmanaged.kind, FlowKind::Unmanaged);
    let stacks: Vec<(&str, &str)> = d
        .stacks
        .iter()
        .map(|s| (s.region.as_str(), s.name.as_str()))
        .collect();
    assert!(stacks.contains(&("eu-west-1", format!("{stack}-eu-west-1").as_str())));
    assert!(stacks.contains(&("us-west-2", format!("{stack}-us-west-2").as_str())));
    assert!(stacks.contains(&("ap-southeast-2", billing.as_str())));
    let api = d
        .record_sets
        .iter()
        .find(|s| s.name.starts_with("api."))
        .unwrap();
    assert_eq!(api.policy, RoutingPolicy::Latency);
    let mut api_regions: Vec<&str> = api.records.iter().map(|r| r.region.as_str()).collect();
    api_regions.sort();
    assert_eq!(api_regions, ["eu-west-1", "us-east-1"]);
    assert!(api.records.iter().all(|r| r.health_check_id.is_some()));
    let app = d
        .record_sets
        .iter()
        .find(|s| s.name.starts_with("app."))
        .unwrap();
    assert_eq!(app.policy, RoutingPolicy::Failover);
    let primary = app
        .records
        .iter()
        .find(|r| r.routing_detail.as_deref() == Some("PRIMARY"))
        .unwrap();
    assert_eq!(primary.region, "us-east-1");
    assert_eq!(
        primary.health_check_id.as_deref(),
        Some(zone.primary_check.as_str())
    );

    // The pipeline's flow: moto has no GetPipelineState, so the structure
    // comes back with unknown status, the error is recorded, and the
    // executions (ListPipelineExecutions) are still there.
    let Observation::Flow(polled) = backend
        .poll(PollKey::Flow {
            flow: pipeline.clone(),
        })
        .await
        .expect("flow poll")
    else {
        panic!("expected a flow")
    };
    assert_eq!(polled.waves.len(), 2);
    assert_eq!(polled.executions.len(), 1);
    assert_eq!(polled.executions[0].trigger, "StartPipelineExecution");
    let state_error = backend
        .partial_errors()
        .into_iter()
        .find(|(k, _)| k == &format!("pipeline {pipeline}"));
    assert!(
        matches!(&state_error, Some((_, SourceError::Unreachable(m))) if m == "codepipeline:GetPipelineState: unreadable answer (HTTP 500)"),
        "{state_error:?}"
    );

    // Stacks: status, then events once; a settled stack costs no event read later.
    let key = PollKey::Stacks {
        region: "eu-west-1".into(),
    };
    let Observation::Stacks { stacks, .. } = backend.poll(key.clone()).await.expect("stacks poll")
    else {
        panic!("expected stacks")
    };
    let ours = stacks
        .iter()
        .find(|s| s.name == format!("{stack}-eu-west-1"))
        .unwrap();
    assert_eq!(ours.status, StackStatus::CreateComplete.as_str());
    assert!(
        ours.new_events
            .iter()
            .any(|e| e.status == "CREATE_COMPLETE"
                && e.resource_type == "AWS::CloudFormation::Stack")
    );
    let Observation::Stacks { stacks, .. } = backend.poll(key).await.expect("second stacks poll")
    else {
        panic!("expected stacks")
    };
    assert!(
        stacks
            .iter()
            .find(|s| s.name == format!("{stack}-eu-west-1"))
            .unwrap()
            .new_events
            .is_empty()
    );

    // The unmanaged flow mirrors its stack.
    let Observation::Flow(billing_flow) = backend
        .poll(PollKey::Flow {
            flow: format!("billing-{tag}"),
        })
        .await
        .unwrap()
    else {
        panic!("expected a flow")
    };
    assert_eq!(
        billing_flow.waves[0]
            .cell("ap-southeast-2")
            .unwrap()
            .actions[0]
            .stack_name
            .as_deref(),
        Some(billing.as_str())
    );

    // Health: every check listed with its flags and the region of its record.
    let Observation::Health { checks } = backend.poll(PollKey::Health).await.expect("health poll")
    else {
        panic!("expected health")
    };
    let use1 = checks.iter().find(|c| c.id == zone.api_checks[0]).unwrap();
    assert_eq!(use1.region, "us-east-1");
    assert!(!use1.inverted && !use1.disabled);
    assert_eq!(
        use1.target,
        format!("https://api.us-east-1.{tag}.example.com:443/health")
    );
    let euw1 = checks.iter().find(|c| c.id == zone.api_checks[1]).unwrap();
    assert_eq!(euw1.region, "eu-west-1");
    // Status comes from CloudWatch; when the emulator cannot answer it, it is unknown and the reason recorded.
    if use1.status == HealthStatus::Unknown {
        assert!(
            backend.partial_errors().iter().any(|(k, _)| k == "health"),
            "{:?}",
            backend.partial_errors()
        );
    }

    // Replication: moto reports the table without replicas in other regions.
    let Observation::Replication(t) = backend
        .poll(PollKey::Replication {
            table: table.clone(),
        })
        .await
        .expect("replication poll")
    else {
        panic!("expected a table")
    };
    assert_eq!(t.replicas.len(), 1);
    assert_eq!(t.replicas[0].region, "us-east-1");
    assert_eq!(t.replicas[0].status, "ACTIVE");
    eprintln!(
        "parts the emulator could not answer: {:?}",
        backend.partial_errors()
    );
}

#[tokio::test]
async fn inverting_a_health_check_is_read_back() {
    let Some(url) = emulator() else { return };
    let r53 = aws_sdk_route53::Client::new(&sdk(&url, "us-east-1").await);
    let id = seed_health_check(&r53, &format!("drain-{}.example.com", unique())).await;
    let backend = connect(&url, AwsConfig::default()).await;
    assert!(
        backend
            .identity()
            .await
            .unwrap()
            .starts_with("arn:aws:sts::123456789012:")
    );

    let outcome = backend
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: id.clone(),
            inverted: true,
        })
        .await
        .expect("invert");
    assert!(outcome.detail.contains("Inverted=true"));
    let read = r53
        .get_health_check()
        .health_check_id(&id)
        .send()
        .await
        .unwrap();
    let config = read.health_check().unwrap().health_check_config().unwrap();
    assert_eq!(config.inverted(), Some(true));
    assert_ne!(
        config.disabled(),
        Some(true),
        "a drain must never disable the check"
    );

    let Observation::Health { checks } = backend.poll(PollKey::Health).await.unwrap() else {
        panic!("expected health")
    };
    assert!(checks.iter().find(|c| c.id == id).unwrap().inverted);

    backend
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: id.clone(),
            inverted: false,
        })
        .await
        .expect("restore");
    let read = r53
        .get_health_check()
        .health_check_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        read.health_check()
            .unwrap()
            .health_check_config()
            .unwrap()
            .inverted(),
        Some(false)
    );
}

#[tokio::test]
async fn a_missing_health_check_is_not_found() {
    let Some(url) = emulator() else { return };
    let backend = connect(&url, AwsConfig::default()).await;
    let err = backend
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: "no-such-check".into(),
            inverted: true,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::NotFound(_)), "{err:?}");
}
