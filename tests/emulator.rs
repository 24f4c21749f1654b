//! The emulator tier: wavetop's AWS adapters against a local moto server.
//!
//! Run with `scripts/emulator.sh` (it installs moto, starts it on a free
//! loopback port, sets `WAVETOP_EMULATOR_URL` and runs this file). Without
//! that variable the tests print a notice and pass, except under CI, where
//! a missing emulator is a failure: CI must never skip this tier silently.
//!
//! moto has no GetPipelineState nor CodePipeline operator calls, and its
//! CloudWatch does not answer the SDK's RPC v2 CBOR protocol; those are
//! covered by `tests/aws_adapters.rs`. Here they must degrade without
//! breaking a poll.
//!
//! The last tests run the built binary against moto and read the same data
//! back with the aws CLI (installed beside moto; `WAVETOP_AWS_CLI`): the
//! snapshot JSON must agree with it field for field, and `drain` / `restore`
//! must flip `Inverted` as the CLI then reads it, audited before and after.
//! For the drain, health status has to be known: a small relay in front of
//! moto carries CloudWatch's CBOR calls to moto's JSON protocol and back.
//!
//! The last test runs the console itself against moto in a pseudo-terminal
//! (the harness of `tests/pty/`) and reads its screen: the account, the
//! seeded pipeline and record sets, the calls moto lacks shown as errors of
//! their sources, and the terminal restored after `q`.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Once;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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
use ciborium::Value as CborValue;
use portable_pty::CommandBuilder;
use serde_json::Value;
use wavetop::config::schema::{AwsConfig, StackConfig, TableConfig};
use wavetop::domain::fleet::{FlowKind, HealthStatus, RoutingPolicy};
use wavetop::source::aws::{AwsBackend, AwsOptions};
use wavetop::source::{Observation, Observe, Operate, OperateCall, PollKey, SourceError};

#[path = "pty/harness.rs"]
#[allow(dead_code)] // the pty tests use parts of the harness this file does not
mod harness;
use harness::Tui;

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

/// A pipeline in `home` with a source stage and one deploy stage whose
/// CloudFormation actions run in eu-west-1 and us-west-2, each in its own
/// CDK-named group.
async fn seed_pipeline(url: &str, home: &str, name: &str, stack: &str) {
    let role = create_pipeline_role(url, &format!("{name}-role"));
    let cp = aws_sdk_codepipeline::Client::new(&sdk(url, home).await);
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
    seed_pipeline(&url, "us-east-1", &pipeline, &stack).await;
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

// The real binary against the emulator, each answer checked with the aws CLI.

/// The aws CLI that `scripts/emulator.sh` installs beside moto, or None (with
/// a notice) when it cannot be found; under CI a missing CLI is a failure.
fn aws_cli() -> Option<PathBuf> {
    let exported = std::env::var_os("WAVETOP_AWS_CLI").map(PathBuf::from);
    let in_venv = std::env::var_os("WAVETOP_VENV")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/wavetop/venv")))
        .map(|venv| venv.join("bin").join("aws"));
    match exported.into_iter().chain(in_venv).find(|p| p.is_file()) {
        Some(path) => Some(path),
        None if std::env::var_os("CI").is_some() => {
            panic!("the aws CLI is missing under CI: run this tier through scripts/emulator.sh")
        }
        None => {
            eprintln!(
                "skipping a binary test of the emulator tier: no aws CLI (WAVETOP_AWS_CLI is not set)"
            );
            None
        }
    }
}

/// A throwaway home for the binary and the aws CLI: its own config file,
/// XDG directories (the audit log lands here) and dummy credentials only,
/// so nothing from the developer's own AWS setup can leak in.
struct Sandbox {
    root: PathBuf,
}

impl Sandbox {
    fn new(tag: &str) -> Sandbox {
        let root = std::env::temp_dir().join(format!("wavetop-e2e-{tag}"));
        for dir in ["home", "config", "state", "cache"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        Sandbox { root }
    }

    fn config(&self, text: &str) -> PathBuf {
        let path = self.root.join("config.toml");
        fs::write(&path, text).unwrap();
        path
    }

    /// Where the binary's default audit log path resolves in this sandbox.
    fn audit_log(&self) -> PathBuf {
        self.root.join("state").join("wavetop").join("audit.jsonl")
    }

    /// The whole environment a process started in this sandbox gets: no
    /// AWS_PROFILE, no real config or credential files.
    fn environment(&self) -> Vec<(&'static str, OsString)> {
        let home = self.root.join("home");
        vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", home.clone().into()),
            ("XDG_CONFIG_HOME", self.root.join("config").into()),
            ("XDG_STATE_HOME", self.root.join("state").into()),
            ("XDG_CACHE_HOME", self.root.join("cache").into()),
            ("AWS_CONFIG_FILE", home.join("aws-config").into()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                home.join("aws-credentials").into(),
            ),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_SESSION_TOKEN", "testing".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_DEFAULT_REGION", "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("NO_COLOR", "1".into()),
        ]
    }

    fn isolate<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        cmd.env_clear().envs(self.environment())
    }

    /// Runs the built wavetop against the emulator with `--config`.
    fn wavetop(&self, url: &str, config: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wavetop"));
        self.isolate(&mut cmd)
            .args(args)
            .arg("--endpoint-url")
            .arg(url)
            .arg("--config")
            .arg(config);
        cmd.output().expect("run wavetop")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn describe(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The aws CLI pointed at the emulator, answering JSON.
struct AwsCli<'a> {
    exe: PathBuf,
    url: String,
    sandbox: &'a Sandbox,
}

impl AwsCli<'_> {
    fn run(&self, region: &str, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.exe);
        self.sandbox
            .isolate(&mut cmd)
            .arg("--endpoint-url")
            .arg(&self.url)
            .args(["--region", region, "--output", "json"])
            .args(args);
        cmd.output().expect("run the aws CLI")
    }

    fn call(&self, region: &str, args: &[&str]) -> Value {
        let out = self.run(region, args);
        assert!(
            out.status.success(),
            "aws {}: {}",
            args.join(" "),
            describe(&out)
        );
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&out.stdout).expect("the aws CLI answers JSON")
        }
    }

    /// Whether the aws CLI's call fails (e.g. the resource does not exist).
    fn refuses(&self, region: &str, args: &[&str]) -> bool {
        !self.run(region, args).status.success()
    }

    fn health_check_config(&self, id: &str) -> Value {
        self.call(
            "us-east-1",
            &["route53", "get-health-check", "--health-check-id", id],
        )["HealthCheck"]["HealthCheckConfig"]
            .clone()
    }
}

fn items(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// A flag the aws CLI leaves out when it is false.
fn flag(v: &Value) -> bool {
    v.as_bool().unwrap_or(false)
}

fn instant(v: &Value) -> jiff::Timestamp {
    text(v)
        .parse()
        .unwrap_or_else(|e| panic!("{v} is not a timestamp: {e}"))
}

const TWO_TOPICS: &str =
    r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"},"Audit":{"Type":"AWS::SNS::Topic"}}}"#;

/// An update after the creation, so the stack has more than one operation's events.
async fn update_stack(url: &str, region: &str, name: &str) {
    let cfn = aws_sdk_cloudformation::Client::new(&sdk(url, region).await);
    cfn.update_stack()
        .stack_name(name)
        .template_body(TWO_TOPICS)
        .send()
        .await
        .expect("UpdateStack");
}

#[tokio::test]
async fn the_binarys_snapshot_agrees_with_the_aws_cli() {
    let Some(url) = emulator() else { return };
    let Some(exe) = aws_cli() else { return };
    let tag = format!("s{}", unique());
    // A home region no other test lists pipelines in: what ListPipelines
    // returns there is this test's alone.
    let home = "ca-central-1";
    let pipeline = format!("web-{tag}");
    seed_pipeline(&url, home, &pipeline, &pipeline).await;
    let ireland = format!("{pipeline}-eu-west-1");
    let oregon = format!("{pipeline}-us-west-2");
    seed_stack(&url, "eu-west-1", &ireland).await;
    update_stack(&url, "eu-west-1", &ireland).await;
    seed_stack(&url, "us-west-2", &oregon).await;
    let billing = format!("billing-{tag}");
    seed_stack(&url, "ap-southeast-2", &billing).await;
    let zone = seed_zone(&url, &tag).await;

    let sandbox = Sandbox::new(&tag);
    let config = sandbox.config(&format!(
        r#"[aws]
home_regions = ["{home}"]
hosted_zones = ["{zone}"]

[[aws.stacks]]
flow = "{billing}"
region = "ap-southeast-2"
name = "{billing}"
"#,
        zone = zone.name.trim_end_matches('.'),
    ));
    let out = sandbox.wavetop(&url, &config, &["snapshot", "--json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let snapshot: Value = serde_json::from_slice(&out.stdout).expect("snapshot JSON");
    assert_eq!(snapshot["version"], 1);

    let cli = AwsCli {
        exe,
        url: url.clone(),
        sandbox: &sandbox,
    };
    pipelines_agree(&cli, home, &snapshot, &pipeline);
    stacks_agree(
        &cli,
        &snapshot,
        &[
            ("eu-west-1", ireland.as_str()),
            ("us-west-2", oregon.as_str()),
        ],
        ("ap-southeast-2", billing.as_str()),
    );
    health_checks_agree(&cli, &snapshot, &zone);
    record_sets_agree(&cli, &snapshot, &zone);
}

/// Pipeline names, each pipeline's version, stages (waves) and actions with
/// their regions, providers, run orders and stacks, and its executions.
fn pipelines_agree(cli: &AwsCli, home: &str, snapshot: &Value, seeded: &str) {
    let listing = cli.call(home, &["codepipeline", "list-pipelines"]);
    let listed: BTreeSet<&str> = items(&listing["pipelines"])
        .iter()
        .map(|p| text(&p["name"]))
        .collect();
    let flows: Vec<&Value> = items(&snapshot["pipelines"])
        .iter()
        .filter(|f| f["kind"] == "pipeline")
        .collect();
    let reported: BTreeSet<&str> = flows
        .iter()
        .flat_map(|f| items(&f["pipelines"]))
        .map(|p| text(&p["name"]))
        .collect();
    assert_eq!(reported, listed, "pipeline names");
    assert!(reported.contains(seeded));

    let caller = cli.call(home, &["sts", "get-caller-identity"]);
    for flow in flows {
        for meta in items(&flow["pipelines"]) {
            let name = text(&meta["name"]);
            assert_eq!(meta["home_region"], home);
            assert_eq!(meta["account"], caller["Account"], "{name} account");
            let doc = cli.call(home, &["codepipeline", "get-pipeline", "--name", name]);
            let decl = &doc["pipeline"];
            assert_eq!(meta["version"], decl["version"], "{name} version");
            if let Some(kind) = decl.get("pipelineType") {
                assert_eq!(&meta["pipeline_type"], kind, "{name} type");
            }
            if let Some(mode) = decl.get("executionMode") {
                assert_eq!(&meta["execution_mode"], mode, "{name} execution mode");
            }
            let waves: Vec<&Value> = items(&flow["waves"])
                .iter()
                .filter(|w| w["pipeline"] == name)
                .collect();
            let stages = items(&decl["stages"]);
            assert_eq!(
                waves.iter().map(|w| text(&w["name"])).collect::<Vec<_>>(),
                stages.iter().map(|s| text(&s["name"])).collect::<Vec<_>>(),
                "{name}: waves are its stages in order"
            );
            for (wave, stage) in waves.iter().zip(stages) {
                let mut declared: Vec<(String, String, String, String, i64, String)> =
                    items(&stage["actions"])
                        .iter()
                        .map(|a| {
                            (
                                text(&a["name"]).to_string(),
                                a["region"].as_str().unwrap_or(home).to_string(),
                                text(&a["actionTypeId"]["provider"]).to_string(),
                                text(&a["actionTypeId"]["category"]).to_string(),
                                a["runOrder"].as_i64().unwrap_or(1),
                                text(&a["configuration"]["StackName"]).to_string(),
                            )
                        })
                        .collect();
                let mut shown: Vec<(String, String, String, String, i64, String)> =
                    items(&wave["cells"])
                        .iter()
                        .flat_map(|cell| {
                            items(&cell["actions"]).iter().map(move |a| {
                                assert_eq!(
                                    a["region"], cell["region"],
                                    "an action sits in its region's column"
                                );
                                (
                                    text(&a["name"]).to_string(),
                                    text(&a["region"]).to_string(),
                                    text(&a["provider"]).to_string(),
                                    text(&a["category"]).to_string(),
                                    a["run_order"].as_i64().unwrap_or(-1),
                                    text(&a["stack_name"]).to_string(),
                                )
                            })
                        })
                        .collect();
                declared.sort();
                shown.sort();
                assert_eq!(shown, declared, "{name}/{}", text(&stage["name"]));
            }

            let runs = cli.call(
                home,
                &[
                    "codepipeline",
                    "list-pipeline-executions",
                    "--pipeline-name",
                    name,
                ],
            );
            let mut listed: Vec<(&str, &str, &str)> = items(&runs["pipelineExecutionSummaries"])
                .iter()
                .map(|e| {
                    (
                        text(&e["pipelineExecutionId"]),
                        text(&e["status"]),
                        text(&e["trigger"]["triggerType"]),
                    )
                })
                .collect();
            let mut shown: Vec<(&str, &str, &str)> = items(&flow["executions"])
                .iter()
                .filter(|e| e["pipeline"] == name)
                .map(|e| (text(&e["id"]), text(&e["status"]), text(&e["trigger"])))
                .collect();
            assert!(!listed.is_empty(), "{name} was started once");
            listed.sort();
            shown.sort();
            assert_eq!(shown, listed, "{name} executions");
            for theirs in items(&runs["pipelineExecutionSummaries"]) {
                let ours = items(&flow["executions"])
                    .iter()
                    .find(|e| e["id"] == theirs["pipelineExecutionId"])
                    .expect("the execution");
                // moto's ISO times reach wavetop as epoch seconds: equal to the millisecond.
                for (mine, cli_field) in [
                    ("started_at", "startTime"),
                    ("updated_at", "lastUpdateTime"),
                ] {
                    let gap = instant(&ours[mine]).duration_since(instant(&theirs[cli_field]));
                    assert!(
                        gap.abs() < jiff::SignedDuration::from_millis(1),
                        "{name} {mine}: {gap}"
                    );
                }
            }
        }
    }
}

/// Every tracked stack: status, reason, and its events newest first. The
/// stacks tracked are the ones the pipelines' actions name (in the action's
/// region) and the configured one, and no others.
fn stacks_agree(cli: &AwsCli, snapshot: &Value, seeded: &[(&str, &str)], configured: (&str, &str)) {
    let stacks = items(&snapshot["stacks"]);
    let reported: BTreeSet<(&str, &str, &str)> = stacks
        .iter()
        .map(|s| (text(&s["flow"]), text(&s["region"]), text(&s["name"])))
        .collect();
    let mut deployed: BTreeSet<(&str, &str, &str)> = items(&snapshot["pipelines"])
        .iter()
        .flat_map(|f| {
            items(&f["waves"])
                .iter()
                .flat_map(|w| items(&w["cells"]))
                .flat_map(|c| items(&c["actions"]))
                .filter(|a| a["stack_name"].is_string())
                .map(move |a| (text(&f["name"]), text(&a["region"]), text(&a["stack_name"])))
        })
        .collect();
    deployed.insert((configured.1, configured.0, configured.1));
    assert_eq!(reported, deployed, "tracked stacks");
    for (region, name) in seeded.iter().chain([&configured]) {
        assert!(
            reported.iter().any(|(_, r, n)| r == region && n == name),
            "{name} in {region} is tracked"
        );
    }
    for stack in stacks {
        let (region, name) = (text(&stack["region"]), text(&stack["name"]));
        let describe_args = ["cloudformation", "describe-stacks", "--stack-name", name];
        if stack["status"] == "DOES_NOT_EXIST" {
            // A pipeline may name a stack not deployed yet.
            assert!(cli.refuses(region, &describe_args), "{name} exists");
            continue;
        }
        let described = cli.call(region, &describe_args);
        let described = &described["Stacks"][0];
        assert_eq!(stack["status"], described["StackStatus"], "{name} status");
        assert_eq!(
            stack["status_reason"].as_str(),
            described["StackStatusReason"].as_str(),
            "{name} status reason"
        );
        let listed = cli.call(
            region,
            &[
                "cloudformation",
                "describe-stack-events",
                "--stack-name",
                name,
            ],
        );
        let listed = items(&listed["StackEvents"]);
        let shown = items(&stack["events"]);
        assert!(!shown.is_empty(), "{name} has events");
        assert_eq!(
            shown
                .iter()
                .map(|e| text(&e["event_id"]))
                .collect::<Vec<_>>(),
            listed
                .iter()
                .map(|e| text(&e["EventId"]))
                .collect::<Vec<_>>(),
            "{name} event ids, newest first"
        );
        for (ours, theirs) in shown.iter().zip(listed) {
            assert_eq!(ours["logical_id"], theirs["LogicalResourceId"]);
            assert_eq!(ours["resource_type"], theirs["ResourceType"]);
            assert_eq!(ours["status"], theirs["ResourceStatus"]);
            assert_eq!(
                ours["reason"].as_str(),
                theirs["ResourceStatusReason"].as_str()
            );
            assert_eq!(instant(&ours["timestamp"]), instant(&theirs["Timestamp"]));
        }
    }
}

/// Every reported check exists; the seeded ones agree on their flags and target.
fn health_checks_agree(cli: &AwsCli, snapshot: &Value, zone: &Zone) {
    let listed = cli.call("us-east-1", &["route53", "list-health-checks"]);
    let listed: BTreeMap<&str, &Value> = items(&listed["HealthChecks"])
        .iter()
        .map(|h| (text(&h["Id"]), &h["HealthCheckConfig"]))
        .collect();
    let reported = items(&snapshot["health"]["checks"]);
    for check in reported {
        assert!(
            listed.contains_key(text(&check["id"])),
            "{} is not in Route53",
            check["id"]
        );
    }
    // Only the seeded checks: another test may flip its own checks meanwhile.
    for id in zone.api_checks.iter().chain([&zone.primary_check]) {
        let ours = reported
            .iter()
            .find(|c| c["id"] == id.as_str())
            .unwrap_or_else(|| panic!("check {id} missing from the snapshot"));
        let theirs = listed[id.as_str()];
        assert_eq!(
            flag(&ours["inverted"]),
            flag(&theirs["Inverted"]),
            "{id} Inverted"
        );
        assert_eq!(
            flag(&ours["disabled"]),
            flag(&theirs["Disabled"]),
            "{id} Disabled"
        );
        // CloudWatch holds no HealthCheckStatus point for these checks, so
        // their status is not known.
        assert_eq!(status_points(cli, id), Vec::<f64>::new());
        assert_eq!(ours["status"], "unknown", "{id}");
        assert_eq!(theirs["Type"], "HTTPS");
        assert_eq!(
            text(&ours["target"]),
            format!(
                "https://{}:{}{}",
                text(&theirs["FullyQualifiedDomainName"]),
                theirs["Port"],
                text(&theirs["ResourcePath"])
            ),
            "{id} target"
        );
    }
}

/// The aws CLI's reading of `HealthCheckStatus` for one check: its values
/// over the last ten minutes, as wavetop asks for them.
fn status_points(cli: &AwsCli, id: &str) -> Vec<f64> {
    let now = jiff::Timestamp::now();
    let query = serde_json::json!([{
        "Id": "h0",
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/Route53",
                "MetricName": "HealthCheckStatus",
                "Dimensions": [{"Name": "HealthCheckId", "Value": id}],
            },
            "Period": 60,
            "Stat": "Minimum",
        },
    }]);
    let answer = cli.call(
        "us-east-1",
        &[
            "cloudwatch",
            "get-metric-data",
            "--metric-data-queries",
            &query.to_string(),
            "--start-time",
            &(now - jiff::SignedDuration::from_mins(10)).to_string(),
            "--end-time",
            &now.to_string(),
        ],
    );
    items(&answer["MetricDataResults"][0]["Values"])
        .iter()
        .filter_map(Value::as_f64)
        .collect()
}

/// The zone's routed records: identifier, policy, region or failover role,
/// health check; plain records (SOA, NS) carry no routing and are left out.
fn record_sets_agree(cli: &AwsCli, snapshot: &Value, zone: &Zone) {
    let zones = cli.call(
        "us-east-1",
        &[
            "route53",
            "list-hosted-zones-by-name",
            "--dns-name",
            &zone.name,
        ],
    );
    let zone_id = items(&zones["HostedZones"])
        .iter()
        .find(|z| z["Name"] == zone.name.as_str())
        .map(|z| text(&z["Id"]).to_string())
        .expect("the seeded zone");
    let sets = cli.call(
        "us-east-1",
        &[
            "route53",
            "list-resource-record-sets",
            "--hosted-zone-id",
            &zone_id,
        ],
    );
    let routed: Vec<&Value> = items(&sets["ResourceRecordSets"])
        .iter()
        .filter(|s| s.get("SetIdentifier").is_some())
        .collect();
    assert_eq!(routed.len(), 4, "the seeded latency and failover records");
    let reported = items(&snapshot["health"]["record_sets"]);
    let checks = items(&snapshot["health"]["checks"]);
    assert_eq!(
        reported
            .iter()
            .map(|s| items(&s["records"]).len())
            .sum::<usize>(),
        routed.len(),
        "one reported record per routed record"
    );
    for theirs in routed {
        let set = reported
            .iter()
            .find(|s| s["name"] == theirs["Name"] && s["record_type"] == theirs["Type"])
            .unwrap_or_else(|| panic!("no record set {} {}", theirs["Name"], theirs["Type"]));
        let ours = items(&set["records"])
            .iter()
            .find(|r| r["set_identifier"] == theirs["SetIdentifier"])
            .unwrap_or_else(|| panic!("no record {}", theirs["SetIdentifier"]));
        assert_eq!(
            ours["health_check_id"].as_str(),
            theirs["HealthCheckId"].as_str(),
            "{} health check",
            theirs["SetIdentifier"]
        );
        match (theirs.get("Region"), theirs.get("Failover")) {
            (Some(region), None) => {
                assert_eq!(set["policy"], "latency");
                assert_eq!(&ours["routing_detail"], region);
                assert_eq!(&ours["region"], region);
                // The check guarding a latency record is that record's region's.
                let check = checks
                    .iter()
                    .find(|c| c["id"] == theirs["HealthCheckId"])
                    .expect("the guarding check");
                assert_eq!(&check["region"], region);
            }
            (None, Some(role)) => {
                assert_eq!(set["policy"], "failover");
                assert_eq!(&ours["routing_detail"], role);
                // Route53 names no region for a failover record; the one
                // reported is the region its identifier names.
                let region = text(&ours["region"]);
                assert!(
                    !region.is_empty() && text(&theirs["SetIdentifier"]).ends_with(region),
                    "{ours}"
                );
            }
            other => panic!("a seeded record is latency or failover: {other:?}"),
        }
    }
}

/// moto speaks CloudWatch's query and JSON 1.0 protocols, but the SDK's
/// CloudWatch client speaks Smithy RPC v2 CBOR, which moto answers with 404:
/// through moto alone every health check's status is unknown, and the drain
/// safety rule rightly leaves such checks alone. This relay sits in front of
/// moto, re-encodes CloudWatch's CBOR calls as JSON 1.0 calls to moto and
/// the answers back, and passes every other request through untouched. The
/// metric data is moto's own, seeded with `aws cloudwatch put-metric-data`.
struct CborRelay {
    url: String,
}

const CBOR_ROUTE: &str = "/service/GraniteServiceVersion20100801/operation/";

impl CborRelay {
    fn start(emulator: &str) -> CborRelay {
        let upstream = emulator.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let upstream = upstream.clone();
                std::thread::spawn(move || {
                    if let Err(e) = relay_one(client, &upstream) {
                        eprintln!("relay: {e}");
                    }
                });
            }
        });
        CborRelay { url }
    }
}

struct HttpRequest {
    line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The next request, or None when the client closed without sending one.
fn read_request(stream: &mut BufReader<TcpStream>) -> io::Result<Option<HttpRequest>> {
    let mut line = String::new();
    if stream.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        stream.read_line(&mut header)?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let named = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, v)| v.clone())
    };
    if named("transfer-encoding").is_some() {
        return Err(io::Error::other("chunked requests are not relayed"));
    }
    let length = named("content-length").map_or(0, |v| v.parse().unwrap_or(0));
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok(Some(HttpRequest {
        line: line.trim_end().to_string(),
        headers,
        body,
    }))
}

/// One request per connection: moto's server answers `Connection: close`
/// and closes, and the relay does the same, so the client never reuses one.
fn relay_one(mut client: TcpStream, upstream: &str) -> io::Result<()> {
    let Some(request) = read_request(&mut BufReader::new(client.try_clone()?))? else {
        return Ok(());
    };
    let path = request
        .line
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let operation = path.strip_prefix(CBOR_ROUTE);
    let (line, mut headers, body) = match operation {
        Some(operation) => {
            let value: CborValue = ciborium::from_reader(request.body.as_slice())
                .map_err(|e| io::Error::other(e.to_string()))?;
            let keep = [
                "host",
                "authorization",
                "x-amz-date",
                "x-amz-security-token",
            ];
            let mut headers: Vec<(String, String)> = request
                .headers
                .into_iter()
                .filter(|(name, _)| keep.contains(&name.to_ascii_lowercase().as_str()))
                .collect();
            headers.push(("Content-Type".into(), "application/x-amz-json-1.0".into()));
            headers.push((
                "X-Amz-Target".into(),
                format!("GraniteServiceVersion20100801.{operation}"),
            ));
            let body = serde_json::to_vec(&cbor_to_json(value))?;
            ("POST / HTTP/1.1".to_string(), headers, body)
        }
        None => (request.line, request.headers, request.body),
    };
    headers.retain(|(name, _)| {
        !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("connection")
    });
    let mut head = format!("{line}\r\n");
    for (name, value) in &headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut moto = TcpStream::connect(upstream)?;
    moto.write_all(head.as_bytes())?;
    moto.write_all(&body)?;
    let mut answer = Vec::new();
    moto.read_to_end(&mut answer)?;
    if operation.is_some() {
        answer = json_answer_as_cbor(&answer)?;
    }
    client.write_all(&answer)?;
    client.shutdown(Shutdown::Both)
}

fn cbor_to_json(value: CborValue) -> Value {
    match value {
        CborValue::Integer(i) => Value::from(i128::from(i) as i64),
        CborValue::Float(f) => Value::from(f),
        CborValue::Text(s) => Value::String(s),
        CborValue::Bool(b) => Value::Bool(b),
        // Tag 1 (epoch seconds) is how CBOR marks a timestamp; JSON 1.0 sends the bare number.
        CborValue::Tag(_, inner) => cbor_to_json(*inner),
        CborValue::Array(items) => Value::Array(items.into_iter().map(cbor_to_json).collect()),
        CborValue::Map(entries) => Value::Object(
            entries
                .into_iter()
                .filter_map(|(k, v)| Some((k.into_text().ok()?, cbor_to_json(v))))
                .collect(),
        ),
        _ => Value::Null,
    }
}

/// How a JSON number is typed in the CBOR answer, by the member holding it.
#[derive(Clone, Copy)]
enum NumberKind {
    Plain,
    Timestamp,
    Double,
}

fn json_to_cbor(value: &Value, kind: NumberKind) -> CborValue {
    match value {
        Value::Null => CborValue::Null,
        Value::Bool(b) => CborValue::Bool(*b),
        Value::Number(n) => {
            let float = n.as_f64().unwrap_or_default();
            match (kind, n.as_i64()) {
                (NumberKind::Timestamp, _) => CborValue::Tag(1, Box::new(CborValue::Float(float))),
                (NumberKind::Plain, Some(i)) => CborValue::Integer(i.into()),
                _ => CborValue::Float(float),
            }
        }
        Value::String(s) => CborValue::Text(s.clone()),
        Value::Array(items) => {
            CborValue::Array(items.iter().map(|v| json_to_cbor(v, kind)).collect())
        }
        Value::Object(members) => CborValue::Map(
            members
                .iter()
                .map(|(name, v)| {
                    let kind = match name.as_str() {
                        "Timestamps" | "Timestamp" | "StartTime" | "EndTime" => {
                            NumberKind::Timestamp
                        }
                        "Values" | "Value" => NumberKind::Double,
                        _ => NumberKind::Plain,
                    };
                    (CborValue::Text(name.clone()), json_to_cbor(v, kind))
                })
                .collect(),
        ),
    }
}

/// moto's JSON 1.0 HTTP answer as the RPC v2 CBOR answer the SDK expects.
fn json_answer_as_cbor(answer: &[u8]) -> io::Result<Vec<u8>> {
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| io::Error::other("no HTTP head in moto's answer"))?;
    let head = String::from_utf8_lossy(&answer[..split]);
    let status_line = head
        .lines()
        .next()
        .unwrap_or("HTTP/1.1 500 Internal Server Error");
    let json: Value = serde_json::from_slice(&answer[split + 4..])
        .map_err(|e| io::Error::other(format!("moto answered no JSON: {e}")))?;
    let mut body = Vec::new();
    ciborium::into_writer(&json_to_cbor(&json, NumberKind::Plain), &mut body)
        .map_err(|e| io::Error::other(e.to_string()))?;
    let mut out = format!(
        "{status_line}\r\nContent-Type: application/cbor\r\nsmithy-protocol: rpc-v2-cbor\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend(body);
    Ok(out)
}

/// The audit lines about one health check, in file order.
fn audit_lines_for(path: &Path, health_check_id: &str) -> Vec<Value> {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("an audit line is JSON"))
        .collect();
    let ids: BTreeSet<String> = lines
        .iter()
        .filter(|l| l["call"]["health_check_id"] == health_check_id)
        .map(|l| text_of(&l["id"]))
        .collect();
    lines
        .into_iter()
        .filter(|l| ids.contains(&text_of(&l["id"])))
        .collect()
}

fn text_of(v: &Value) -> String {
    text(v).to_string()
}

/// Asserts the lines are before/after pairs setting `Inverted` to each of
/// `flips` in turn, each `after` reporting success.
fn assert_audited(lines: &[Value], flips: &[bool]) {
    assert_eq!(lines.len(), flips.len() * 2, "{lines:#?}");
    for (pair, inverted) in lines.chunks(2).zip(flips) {
        let (before, after) = (&pair[0], &pair[1]);
        assert_eq!(before["phase"], "before", "{pair:#?}");
        assert_eq!(before["api"], "route53:UpdateHealthCheck");
        assert_eq!(before["call"]["inverted"], *inverted);
        assert_eq!(after["phase"], "after");
        assert_eq!(after["id"], before["id"]);
        assert_eq!(after["outcome"], "ok", "{pair:#?}");
    }
}

#[tokio::test]
async fn drain_and_restore_through_the_binary_flip_inverted() {
    let Some(url) = emulator() else { return };
    let Some(exe) = aws_cli() else { return };
    let tag = format!("d{}", unique());
    let zone = seed_zone(&url, &tag).await;
    let [use1, euw1] = &zone.api_checks;
    let primary = &zone.primary_check;
    let sandbox = Sandbox::new(&tag);
    // No pipelines live in this home region: the drain reads DNS and health only.
    let config = sandbox.config(&format!(
        "[aws]\nhome_regions = [\"sa-east-1\"]\nhosted_zones = [\"{}\"]\n",
        zone.name.trim_end_matches('.')
    ));
    let cli = AwsCli {
        exe,
        url: url.clone(),
        sandbox: &sandbox,
    };
    let inverted = |id: &str| flag(&cli.health_check_config(id)["Inverted"]);
    let audit = sandbox.audit_log();

    // moto alone: no check has a status, so none may be inverted; the drain
    // is refused before any call, says why, and leaves no audit line.
    let refused = sandbox.wavetop(&url, &config, &["drain", "--region", "us-east-1", "--yes"]);
    assert_eq!(refused.status.code(), Some(2), "{}", describe(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(&format!("health check {use1} has no status yet")),
        "{stderr}"
    );
    assert!(!inverted(use1) && !inverted(primary));
    assert!(audit_lines_for(&audit, use1).is_empty());

    // Every check healthy, as CloudWatch holds it (moto's CloudWatch through
    // the relay). The points are a minute old, as Route53's are: moto leaves
    // out points from the very second a query ends in.
    let a_minute_ago = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(1)).to_string();
    for id in [use1, euw1, primary] {
        cli.call(
            "us-east-1",
            &[
                "cloudwatch",
                "put-metric-data",
                "--namespace",
                "AWS/Route53",
                "--metric-name",
                "HealthCheckStatus",
                "--dimensions",
                &format!("HealthCheckId={id}"),
                "--value",
                "1",
                "--timestamp",
                &a_minute_ago,
            ],
        );
    }
    let relay = CborRelay::start(&url);
    let snapshot = sandbox.wavetop(&relay.url, &config, &["snapshot", "--json"]);
    assert!(snapshot.status.success(), "{}", describe(&snapshot));
    let snapshot: Value = serde_json::from_slice(&snapshot.stdout).unwrap();
    for id in [use1, euw1, primary] {
        let check = items(&snapshot["health"]["checks"])
            .iter()
            .find(|c| c["id"] == id.as_str())
            .expect("the seeded check");
        assert_eq!(
            status_points(&cli, id),
            [1.0],
            "{id} as the aws CLI reads it"
        );
        assert_eq!(check["status"], "healthy", "{check}");
    }

    // Without --yes the plan is printed and nothing changes.
    let unconfirmed = sandbox.wavetop(&relay.url, &config, &["drain", "--region", "us-east-1"]);
    assert_eq!(
        unconfirmed.status.code(),
        Some(2),
        "{}",
        describe(&unconfirmed)
    );
    let plan = String::from_utf8_lossy(&unconfirmed.stdout);
    assert!(
        plan.contains(use1.as_str()) && plan.contains(primary.as_str()),
        "{plan}"
    );
    assert!(!plan.contains(euw1.as_str()), "{plan}");
    assert!(!inverted(use1) && !inverted(primary));

    // Drained: us-east-1's latency check and the failover PRIMARY's are
    // inverted (eu-west-1 and the check-less SECONDARY keep serving); eu-west-1's is not.
    let drained = sandbox.wavetop(
        &relay.url,
        &config,
        &["drain", "--region", "us-east-1", "--yes"],
    );
    assert!(drained.status.success(), "{}", describe(&drained));
    assert!(inverted(use1) && inverted(primary));
    assert!(!inverted(euw1));
    for id in [use1, primary] {
        assert!(
            !flag(&cli.health_check_config(id)["Disabled"]),
            "a drain never disables"
        );
    }

    // Restored, with moto alone: a restore needs only the Inverted flags.
    let restored = sandbox.wavetop(
        &url,
        &config,
        &["restore", "--region", "us-east-1", "--yes"],
    );
    assert!(restored.status.success(), "{}", describe(&restored));
    assert!(!inverted(use1) && !inverted(primary) && !inverted(euw1));

    // Each flip framed by a before line (written first) and its after line.
    assert_audited(&audit_lines_for(&audit, use1), &[true, false]);
    assert_audited(&audit_lines_for(&audit, primary), &[true, false]);
    assert!(audit_lines_for(&audit, euw1).is_empty());
}

// The console itself against the emulator, read through a terminal emulator.

/// How long the console may take to discover and poll the seeded fleet.
const SCREEN_WAIT: Duration = Duration::from_secs(30);

/// Waits until `holds` is true of the screen's rows; panics with the screen
/// and `what` when it never is.
fn wait_for_screen(tui: &Tui, what: &str, holds: impl Fn(&[&str]) -> bool) {
    let start = Instant::now();
    loop {
        let text = tui.screen_text();
        let rows: Vec<&str> = text.lines().collect();
        if holds(&rows) {
            return;
        }
        if start.elapsed() > SCREEN_WAIT {
            panic!("the console never showed {what} within {SCREEN_WAIT:?}; screen:\n{text}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The row of the sources panel (under the activity view) for one poll key.
fn source_row<'s>(rows: &[&'s str], label: &str) -> Option<&'s str> {
    let panel = rows.iter().position(|r| r.contains(" sources: "))?;
    rows[panel + 1..]
        .iter()
        .find(|r| {
            // Past the row's state glyph.
            let mut chars = r.trim_start().chars();
            chars.next();
            chars.as_str().trim_start().starts_with(label)
        })
        .copied()
}

#[tokio::test]
async fn the_console_shows_the_seeded_fleet_and_what_the_emulator_lacks() {
    let Some(url) = emulator() else { return };
    let tag = format!("c{}", unique());
    // A home region no other test lists pipelines in.
    let home = "ap-northeast-1";
    let pipeline = format!("tui-{tag}");
    seed_pipeline(&url, home, &pipeline, &pipeline).await;
    seed_stack(&url, "eu-west-1", &format!("{pipeline}-eu-west-1")).await;
    seed_stack(&url, "us-west-2", &format!("{pipeline}-us-west-2")).await;
    let zone = seed_zone(&url, &tag).await;
    let api = format!("api.{}", zone.name);
    let app = format!("app.{}", zone.name);

    let sandbox = Sandbox::new(&tag);
    let config = sandbox.config(&format!(
        "[aws]\nhome_regions = [\"{home}\"]\nhosted_zones = [\"{}\"]\n",
        zone.name.trim_end_matches('.')
    ));
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_wavetop"));
    cmd.env_clear();
    for (key, value) in sandbox.environment() {
        cmd.env(key, value);
    }
    cmd.env("TERM", "xterm-256color");
    cmd.args(["--endpoint-url", url.as_str(), "--config"]);
    cmd.arg(&config);
    let mut tui = Tui::spawn_command(cmd, 48, 160);

    // The header names the account STS answers for; the grid shows the
    // seeded pipeline with the regions its actions run in as columns.
    wait_for_screen(&tui, "the account in the header", |rows| {
        rows.first().is_some_and(|h| h.contains("123456789012"))
    });
    assert!(tui.raw_mode(), "the console runs in raw mode");
    assert!(
        tui.alternate_screen(),
        "the console uses the alternate screen"
    );
    wait_for_screen(&tui, "the pipeline and its regions", |rows| {
        rows.iter().any(|r| r.contains(&pipeline))
            && rows
                .iter()
                .any(|r| r.contains("eu-west-1") && r.contains("us-west-2"))
    });

    // eu-west-1's health checks (this test's, and those other tests seed in
    // the same account) have no status, as moto's CloudWatch cannot say: the
    // grid shows them unknown, never as failing; nothing has failed.
    wait_for_screen(&tui, "eu-west-1's checks as unknown", |rows| {
        rows.iter().any(|r| r.contains("? 0/"))
    });
    let grid = tui.screen_text();
    assert!(!grid.contains('✖'), "nothing seeded has failed:\n{grid}");

    // Health: the zone's latency and failover record sets.
    tui.send("3");
    wait_for_screen(&tui, "the seeded record sets", |rows| {
        rows.iter().any(|r| r.contains(&api)) && rows.iter().any(|r| r.contains(&app))
    });

    // Activity: every poll key has a row in the sources panel. moto has no
    // GetPipelineState and its CloudWatch does not speak the SDK's protocol:
    // those show as errors of their own sources, and the console keeps going.
    tui.send("6");
    let flow_label = format!("pipeline {pipeline}");
    let labels = [
        flow_label.as_str(),
        "stacks eu-west-1",
        "stacks us-west-2",
        "health",
    ];
    wait_for_screen(&tui, "a source row per poll key", |rows| {
        labels.iter().all(|l| source_row(rows, l).is_some())
    });
    wait_for_screen(&tui, "the emulator's missing calls as errors", |rows| {
        source_row(rows, &flow_label).is_some_and(|r| r.contains("GetPipelineState"))
            && source_row(rows, "health").is_some_and(|r| r.contains("GetMetricData"))
    });
    let text = tui.screen_text();
    let rows: Vec<&str> = text.lines().collect();
    for label in ["stacks eu-west-1", "stacks us-west-2"] {
        let row = source_row(&rows, label).unwrap();
        assert!(row.trim_start().starts_with('●'), "{label} answered: {row}");
    }
    for label in [flow_label.as_str(), "health"] {
        let row = source_row(&rows, label).unwrap();
        assert!(
            row.trim_start().starts_with('!'),
            "{label} marked as answering with an error: {row}"
        );
    }
    // The activity log above the sources says so too, once each.
    let log: Vec<&str> = rows
        .iter()
        .take_while(|r| !r.contains(" sources: "))
        .copied()
        .collect();
    for (label, call) in [
        (flow_label.as_str(), "GetPipelineState"),
        ("health", "GetMetricData"),
    ] {
        let lines = log
            .iter()
            .filter(|r| r.contains(&format!("✖ {label}: answered in part")) && r.contains(call))
            .count();
        assert_eq!(lines, 1, "{label} in the activity log:\n{text}");
    }

    tui.send("q");
    let status = tui.wait_exit(SCREEN_WAIT);
    assert!(status.success(), "exit status {status:?}");
    assert!(!tui.raw_mode(), "terminal left in raw mode");
    assert!(
        !tui.alternate_screen(),
        "terminal left on the alternate screen"
    );
    assert!(!tui.cursor_hidden(), "cursor left hidden");
}
