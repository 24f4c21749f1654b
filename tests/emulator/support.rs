//! Reaching the emulator, and seeding a fleet in it.

use super::*;

/// Why an emulator test fails when the tier is not set up. The tests are
/// ignored by default; one run with `--include-ignored` must not pass
/// without having run.
pub(crate) const NOT_SET_UP: &str = "run this tier through scripts/emulator.sh, which starts moto \
     and sets WAVETOP_EMULATOR_URL and WAVETOP_AWS_CLI (or `source scripts/emulator.sh` before cargo test)";

/// The emulator's URL; fails the test when `WAVETOP_EMULATOR_URL` is not set.
pub(crate) fn emulator() -> String {
    match std::env::var("WAVETOP_EMULATOR_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!("WAVETOP_EMULATOR_URL is not set: {NOT_SET_UP}"),
    }
}

/// The dummy credentials every in-process client signs with (moto takes
/// any), given to each client so that none looks for real ones.
pub(crate) fn dummy_credentials() -> aws_sdk_sts::config::Credentials {
    aws_sdk_sts::config::Credentials::new(
        "testing",
        "testing",
        Some("testing".into()),
        None,
        "emulator",
    )
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
        .credentials_provider(dummy_credentials())
        .region(aws_config::Region::new(region.to_string()))
        .load()
        .await
}

/// One POST to the emulator signed for `service` in `region` (moto does
/// not verify signatures, only reads the service and region from the
/// credential scope); the answer's body, which must come with a 200.
fn post(url: &str, region: &str, service: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut all = vec![
        ("Host".to_string(), host_of(url)),
        (
            "Authorization".to_string(),
            format!(
                "AWS4-HMAC-SHA256 Credential=testing/20250101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0"
            ),
        ),
    ];
    all.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    let answer = forward(&host_of(url), "POST / HTTP/1.1", &all, body).expect("emulator reachable");
    let (status, out) = split_answer(&answer).expect("an HTTP answer");
    assert!(
        status.contains(" 200 "),
        "{service} {}: {status}\n{}",
        String::from_utf8_lossy(body),
        String::from_utf8_lossy(out)
    );
    out.to_vec()
}

/// One query-protocol request (IAM, STS: services none of wavetop's crates
/// has a client for); the XML answer.
pub(crate) fn query_call(url: &str, service: &str, body: &str) -> String {
    let form = (
        "Content-Type",
        "application/x-www-form-urlencoded; charset=utf-8",
    );
    String::from_utf8_lossy(&post(url, "us-east-1", service, &[form], body.as_bytes())).into_owned()
}

/// One awsJson1.1 request, read as plain JSON (the SDK cannot read moto's
/// CodePipeline timestamps).
pub(crate) fn json_call(url: &str, region: &str, target: &str, body: &Value) -> Value {
    let service = target
        .split('_')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", target),
    ];
    let out = post(url, region, &service, &headers, body.to_string().as_bytes());
    serde_json::from_slice(&out).expect("a JSON answer")
}

/// moto checks that CodePipeline may assume the pipeline's role.
pub(crate) fn create_pipeline_role(url: &str, name: &str) -> String {
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
    query_call(
        url,
        "iam",
        &format!(
            "Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={encoded}"
        ),
    );
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

fn source_stage() -> StageDeclaration {
    let mut source = action(
        "Source",
        ActionCategory::Source,
        "S3",
        &[("S3Bucket", "src"), ("S3ObjectKey", "app.zip")],
    );
    source.output_artifacts = Some(vec![OutputArtifact::builder().name("src").build().unwrap()]);
    StageDeclaration::builder()
        .name("Source")
        .actions(source)
        .build()
        .unwrap()
}

/// A CloudFormation action of a CDK-named group, deploying `stack` in `region`.
fn deploy_action(name: &str, stack: &str, region: &str, mode: &str, run: i32) -> ActionDeclaration {
    let mut a = action(
        name,
        ActionCategory::Deploy,
        "CloudFormation",
        &[
            ("StackName", stack),
            ("ActionMode", mode),
            ("ChangeSetName", "change"),
        ],
    );
    a.region = Some(region.to_string());
    a.run_order = Some(run);
    a.input_artifacts = Some(vec![InputArtifact::builder().name("src").build().unwrap()]);
    a
}

/// Creates the pipeline `name` in `home`: a source stage, then `stages`.
async fn create_pipeline(
    url: &str,
    home: &str,
    name: &str,
    kind: Option<PipelineType>,
    stages: Vec<StageDeclaration>,
) -> aws_sdk_codepipeline::Client {
    let role = create_pipeline_role(url, &format!("{name}-role"));
    let cp = aws_sdk_codepipeline::Client::new(&sdk(url, home).await);
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
        .set_stages(Some([vec![source_stage()], stages].concat()))
        .set_pipeline_type(kind)
        .build()
        .unwrap();
    cp.create_pipeline()
        .pipeline(pipeline)
        .send()
        .await
        .expect("CreatePipeline");
    cp
}

/// A pipeline in `home` with a source stage and one deploy stage whose
/// CloudFormation actions run in eu-west-1 and us-west-2, each in its own
/// CDK-named group.
pub(crate) async fn seed_pipeline(url: &str, home: &str, name: &str, stack: &str) {
    let mut deploy = StageDeclaration::builder().name("Deploy");
    for (group, region) in [("Ireland", "eu-west-1"), ("Oregon", "us-west-2")] {
        let stack_name = format!("{stack}-{region}");
        deploy = deploy
            .actions(deploy_action(
                &format!("{group}.App.Prepare"),
                &stack_name,
                region,
                "CHANGE_SET_REPLACE",
                1,
            ))
            .actions(deploy_action(
                &format!("{group}.App.Deploy"),
                &stack_name,
                region,
                "CHANGE_SET_EXECUTE",
                2,
            ));
    }
    let cp = create_pipeline(url, home, name, None, vec![deploy.build().unwrap()]).await;
    cp.start_pipeline_execution()
        .name(name)
        .send()
        .await
        .expect("StartPipelineExecution");
}

/// A pipeline homed in `region` whose one deploy stage creates and runs a
/// change set of the stack `stack` in that same region.
pub(crate) async fn seed_home_region_pipeline(url: &str, region: &str, name: &str, stack: &str) {
    let deploy = StageDeclaration::builder()
        .name("Deploy")
        .actions(deploy_action(
            "App.Prepare",
            stack,
            region,
            "CHANGE_SET_REPLACE",
            1,
        ))
        .actions(deploy_action(
            "App.Deploy",
            stack,
            region,
            "CHANGE_SET_EXECUTE",
            2,
        ))
        .build()
        .unwrap();
    create_pipeline(url, region, name, None, vec![deploy]).await;
}

/// A V2 pipeline in `home` of two waves, as the stand-in's fixtures
/// describe its state: `Europe` (a manual gate, then a change set, in each
/// of eu-west-1 and eu-central-1) and `America` (us-west-2, no gate).
/// Returns the declaration as moto answers GetPipeline.
pub(crate) async fn seed_gated_pipeline(url: &str, home: &str, name: &str) -> Value {
    let mut europe = StageDeclaration::builder().name("Europe");
    for (group, region) in [("Ireland", "eu-west-1"), ("Frankfurt", "eu-central-1")] {
        let stack = format!("{name}-{region}");
        europe = europe
            .actions(action(
                &format!("{group}.Approve"),
                ActionCategory::Approval,
                "Manual",
                &[],
            ))
            .actions(deploy_action(
                &format!("{group}.App.Prepare"),
                &stack,
                region,
                "CHANGE_SET_REPLACE",
                2,
            ))
            .actions(deploy_action(
                &format!("{group}.App.Deploy"),
                &stack,
                region,
                "CHANGE_SET_EXECUTE",
                3,
            ));
    }
    let stack = format!("{name}-us-west-2");
    let america = StageDeclaration::builder()
        .name("America")
        .actions(deploy_action(
            "Oregon.App.Prepare",
            &stack,
            "us-west-2",
            "CHANGE_SET_REPLACE",
            1,
        ))
        .actions(deploy_action(
            "Oregon.App.Deploy",
            &stack,
            "us-west-2",
            "CHANGE_SET_EXECUTE",
            2,
        ));
    let stages = vec![europe.build().unwrap(), america.build().unwrap()];
    create_pipeline(url, home, name, Some(PipelineType::V2), stages).await;
    json_call(
        url,
        home,
        "CodePipeline_20150709.GetPipeline",
        &json!({ "name": name }),
    )
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
    let printed_id = create_zone(&r53, &zone_name, tag).await;
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
    create_record_sets(&r53, &zone_id, sets).await;
    Zone {
        name: zone_name,
        printed_id,
        api_checks: [use1, euw1],
        primary_check: primary,
    }
}

/// Creates a hosted zone; returns its id as Route53 prints it
/// (`/hostedzone/...`).
pub(crate) async fn create_zone(r53: &aws_sdk_route53::Client, name: &str, tag: &str) -> String {
    r53.create_hosted_zone()
        .name(name)
        .caller_reference(format!("zone-{tag}"))
        .send()
        .await
        .expect("CreateHostedZone")
        .hosted_zone()
        .unwrap()
        .id()
        .to_string()
}

/// Creates the record sets in the zone, in one change batch.
pub(crate) async fn create_record_sets(
    r53: &aws_sdk_route53::Client,
    zone_id: &str,
    sets: impl IntoIterator<Item = aws_sdk_route53::types::builders::ResourceRecordSetBuilder>,
) {
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
}

pub(crate) async fn connect(url: &str, cfg: AwsConfig) -> AwsBackend {
    AwsBackend::connect_with_identity(
        AwsOptions {
            profile: None,
            endpoint_url: Some(url.to_string()),
            home_regions: vec!["us-east-1".to_string()],
        },
        cfg,
        FixedIdentity {
            credentials: dummy_credentials(),
            region: "us-east-1".to_string(),
        },
    )
    .await
    .expect("connect")
}
