//! Reaching the emulator, and seeding a fleet in it.

use super::*;

/// The emulator's URL, or None (with a notice) when the tier is not set up.
pub(crate) fn emulator() -> Option<String> {
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
pub(crate) fn dummy_credentials() {
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
pub(crate) fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{nanos:09}")
}

pub(crate) async fn sdk(url: &str, region: &str) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(aws_config::Region::new(region.to_string()))
        .load()
        .await
}

/// moto checks that CodePipeline may assume the pipeline's role. There is
/// no IAM client among wavetop's crates, so the role is made with one
/// plain query-protocol request (moto does not verify signatures).
pub(crate) fn create_pipeline_role(url: &str, name: &str) -> String {
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

pub(crate) fn action(
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
pub(crate) async fn seed_pipeline(url: &str, home: &str, name: &str, stack: &str) {
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

pub(crate) const TEMPLATE: &str = r#"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#;

pub(crate) async fn seed_stack(url: &str, region: &str, name: &str) {
    let cfn = aws_sdk_cloudformation::Client::new(&sdk(url, region).await);
    cfn.create_stack()
        .stack_name(name)
        .template_body(TEMPLATE)
        .send()
        .await
        .expect("CreateStack");
}

pub(crate) async fn seed_health_check(r53: &aws_sdk_route53::Client, fqdn: &str) -> String {
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

pub(crate) fn record(
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

pub(crate) struct Zone {
    pub(crate) name: String,
    /// As CreateHostedZone answers it: `/hostedzone/...`.
    pub(crate) printed_id: String,
    pub(crate) api_checks: [String; 2],
    pub(crate) primary_check: String,
}

/// A zone with latency records (us-east-1, eu-west-1) and failover records
/// (PRIMARY with a health check, SECONDARY without), as the write-ups run them.
pub(crate) async fn seed_zone(url: &str, tag: &str) -> Zone {
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
    let printed_id = zone.hosted_zone().unwrap().id().to_string();
    let zone_id = printed_id.trim_start_matches("/hostedzone/").to_string();
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
        printed_id,
        api_checks: [use1, euw1],
        primary_check: primary,
    }
}

pub(crate) async fn connect(url: &str, cfg: AwsConfig) -> AwsBackend {
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
