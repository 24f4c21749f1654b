//! The shape of the demo fleet: which flows exist, the CodePipeline
//! declarations behind them, the stacks they deploy, the DNS records and
//! health checks in front of them and the global table behind them.
//!
//! Choices worth knowing:
//! - `global-api` is a CDK Pipelines (V2) pipeline homed in us-east-1.
//! - `billing-failover` has no pipeline; its grid row is one `manual` wave
//!   whose cell per region holds a single pseudo action mirroring the stack.
//! - `edge-relay` chains two pipelines; their stage names differ so that each
//!   wave name is unique within the flow.

use std::collections::BTreeMap;

use crate::domain::fleet::{FlowKind, Record, RecordSet, RoutingPolicy};
use crate::domain::pipeline_doc::{
    ActionDeclaration, ActionTypeId, PipelineDeclaration, StageDeclaration,
};

pub const ACCOUNT: &str = "111111111111";

/// One flow and the pipelines it is made of, in hand-off order.
#[derive(Debug, Clone)]
pub struct FlowSpec {
    pub name: &'static str,
    pub kind: FlowKind,
    pub pipelines: Vec<PipelineSpec>,
    /// Stacks deployed by hand (unmanaged flows only): (region, stack name).
    pub manual_stacks: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Clone)]
pub struct PipelineSpec {
    pub decl: PipelineDeclaration,
    pub home_region: &'static str,
    /// The pipeline whose successful execution hands its artifact to this one.
    pub upstream: Option<&'static str>,
}

/// A stack the fleet deploys, with the resources an update touches.
#[derive(Debug, Clone)]
pub struct StackSpec {
    pub flow: String,
    pub region: String,
    pub name: String,
    pub resources: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct CheckSpec {
    pub id: String,
    pub region: String,
    pub target: String,
}

pub struct TableSpec {
    pub name: &'static str,
    pub flow: &'static str,
    pub source_region: &'static str,
    pub replicas: Vec<&'static str>,
}

pub fn flows() -> Vec<FlowSpec> {
    vec![
        FlowSpec {
            name: "global-api",
            kind: FlowKind::Pipeline,
            pipelines: vec![PipelineSpec {
                decl: global_api(),
                home_region: "us-east-1",
                upstream: None,
            }],
            manual_stacks: vec![],
        },
        FlowSpec {
            name: "service-x",
            kind: FlowKind::Pipeline,
            pipelines: vec![PipelineSpec {
                decl: service_x(),
                home_region: "eu-west-1",
                upstream: None,
            }],
            manual_stacks: vec![],
        },
        FlowSpec {
            name: "orders-active-active",
            kind: FlowKind::Pipeline,
            pipelines: vec![PipelineSpec {
                decl: orders(),
                home_region: "us-east-1",
                upstream: None,
            }],
            manual_stacks: vec![],
        },
        FlowSpec {
            name: "billing-failover",
            kind: FlowKind::Unmanaged,
            pipelines: vec![],
            manual_stacks: vec![("us-east-1", "billing-api"), ("us-west-2", "billing-api")],
        },
        FlowSpec {
            name: "edge-relay",
            kind: FlowKind::Chained,
            pipelines: vec![
                PipelineSpec {
                    decl: edge_relay_build(),
                    home_region: "us-east-1",
                    upstream: None,
                },
                PipelineSpec {
                    decl: edge_relay_apse(),
                    home_region: "ap-south-1",
                    upstream: Some("edge-relay-build"),
                },
            ],
            manual_stacks: vec![],
        },
    ]
}

/// Every stack of the fleet: the ones pipeline actions name, then the manual ones.
pub fn stacks(flows: &[FlowSpec]) -> Vec<StackSpec> {
    let mut out: Vec<StackSpec> = Vec::new();
    let mut push = |flow: &str, region: &str, name: &str| {
        if !out.iter().any(|s| s.region == region && s.name == name) {
            out.push(StackSpec {
                flow: flow.to_string(),
                region: region.to_string(),
                name: name.to_string(),
                resources: resources_for(name),
            });
        }
    };
    for flow in flows {
        for p in &flow.pipelines {
            for stage in &p.decl.stages {
                for a in &stage.actions {
                    if let (Some(region), Some(stack)) =
                        (&a.region, a.configuration.get("StackName"))
                    {
                        push(flow.name, region, stack);
                    }
                }
            }
        }
        for (region, name) in &flow.manual_stacks {
            push(flow.name, region, name);
        }
    }
    out
}

fn resources_for(stack: &str) -> Vec<(String, String)> {
    let r = |id: &str, ty: &str| (id.to_string(), ty.to_string());
    if stack.ends_with("infra") {
        return vec![
            r("Vpc", "AWS::EC2::VPC"),
            r("ClusterSecurityGroup", "AWS::EC2::SecurityGroup"),
            r("Cluster", "AWS::ECS::Cluster"),
            r("LogGroup", "AWS::Logs::LogGroup"),
        ];
    }
    if stack.starts_with("orders") {
        return vec![
            r("OrdersTableReplica", "AWS::DynamoDB::GlobalTable"),
            r("OrdersHandlerServiceRole", "AWS::IAM::Role"),
            r("OrdersHandler", "AWS::Lambda::Function"),
            r("OrdersApi", "AWS::ApiGateway::RestApi"),
            r("OrdersApiDeployment", "AWS::ApiGateway::Deployment"),
            r("OrdersApiStage", "AWS::ApiGateway::Stage"),
            r("HealthCheckFunction", "AWS::Lambda::Function"),
        ];
    }
    if stack.starts_with("edge-relay") {
        return vec![
            r("RelayFunction", "AWS::Lambda::Function"),
            r("RelayQueue", "AWS::SQS::Queue"),
            r("RelayAlarm", "AWS::CloudWatch::Alarm"),
        ];
    }
    vec![
        r("ApiHandlerServiceRole", "AWS::IAM::Role"),
        r("ApiHandler", "AWS::Lambda::Function"),
        r("ApiHandlerLogGroup", "AWS::Logs::LogGroup"),
        r("RestApi", "AWS::ApiGateway::RestApi"),
        r("RestApiDeployment", "AWS::ApiGateway::Deployment"),
        r("RestApiStage", "AWS::ApiGateway::Stage"),
        r("CDKMetadata", "AWS::CDK::Metadata"),
    ]
}

pub fn record_sets() -> Vec<RecordSet> {
    let record = |flow: &str, region: &str, detail: Option<&str>, checked: bool| Record {
        set_identifier: format!("{flow}-{region}"),
        region: region.to_string(),
        routing_detail: detail.map(str::to_string),
        health_check_id: checked.then(|| health_check_id(flow, region)),
    };
    let geo = [
        ("sa-east-1", "SA"),
        ("us-west-2", "US-CA"),
        ("us-east-2", "NA"),
        ("eu-west-1", "EU"),
        ("eu-central-1", "DE"),
    ];
    vec![
        RecordSet {
            name: "api.global.example.com.".into(),
            record_type: "A".into(),
            policy: RoutingPolicy::Geolocation,
            flow: Some("global-api".into()),
            records: geo
                .iter()
                .map(|(region, loc)| record("global-api", region, Some(loc), true))
                .collect(),
        },
        RecordSet {
            name: "orders.example.com.".into(),
            record_type: "A".into(),
            policy: RoutingPolicy::Latency,
            flow: Some("orders-active-active".into()),
            records: ORDERS_REGIONS
                .iter()
                .map(|region| record("orders-active-active", region, None, true))
                .collect(),
        },
        // The secondary carries no check of its own: Route53 answers with it
        // whenever the primary's check fails.
        RecordSet {
            name: "billing.example.com.".into(),
            record_type: "A".into(),
            policy: RoutingPolicy::Failover,
            flow: Some("billing-failover".into()),
            records: vec![
                record("billing-failover", "us-east-1", Some("PRIMARY"), true),
                record("billing-failover", "us-west-2", Some("SECONDARY"), false),
            ],
        },
    ]
}

/// Every health check named by a record set, in record order.
pub fn health_checks(sets: &[RecordSet]) -> Vec<CheckSpec> {
    let mut out = Vec::new();
    for set in sets {
        let host = set.name.trim_end_matches('.');
        for rec in &set.records {
            if let Some(id) = &rec.health_check_id {
                out.push(CheckSpec {
                    id: id.clone(),
                    region: rec.region.clone(),
                    target: format!("https://{}.{host}/health", rec.region),
                });
            }
        }
    }
    out
}

/// A stable, UUID-shaped id per (flow, region), the same under every seed so
/// that configuration files can name it.
pub fn health_check_id(flow: &str, region: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in flow.bytes().chain([b'/']).chain(region.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let g = h.rotate_left(29) ^ 0x9E37_79B9_7F4A_7C15;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        (h >> 32) as u32,
        (h >> 16) as u16,
        h as u16,
        (g >> 48) as u16,
        g & 0xFFFF_FFFF_FFFF
    )
}

pub const ORDERS_REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

pub fn tables() -> Vec<TableSpec> {
    vec![TableSpec {
        name: "orders",
        flow: "orders-active-active",
        source_region: "us-east-1",
        replicas: ORDERS_REGIONS.to_vec(),
    }]
}

// ---- pipeline declarations -------------------------------------------------

fn act(
    name: &str,
    category: &str,
    provider: &str,
    run_order: i32,
    region: Option<&str>,
    config: &[(&str, String)],
) -> ActionDeclaration {
    ActionDeclaration {
        name: name.to_string(),
        action_type_id: ActionTypeId {
            category: category.to_string(),
            owner: "AWS".to_string(),
            provider: provider.to_string(),
            version: "1".to_string(),
        },
        run_order: Some(run_order),
        configuration: config
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
        region: region.map(str::to_string),
        namespace: None,
    }
}

fn stage(name: &str, actions: Vec<ActionDeclaration>) -> StageDeclaration {
    StageDeclaration {
        name: name.to_string(),
        actions,
        before_entry: None,
    }
}

fn decl(
    name: &str,
    pipeline_type: &str,
    mode: &str,
    stages: Vec<StageDeclaration>,
) -> PipelineDeclaration {
    PipelineDeclaration {
        name: name.to_string(),
        role_arn: Some(format!("arn:aws:iam::{ACCOUNT}:role/{name}-pipeline-role")),
        stages,
        version: Some(1),
        pipeline_type: Some(pipeline_type.to_string()),
        execution_mode: Some(mode.to_string()),
    }
}

fn github_source(repo: &str) -> StageDeclaration {
    stage(
        "Source",
        vec![act(
            &format!("example-org_{repo}"),
            "Source",
            "CodeStarSourceConnection",
            1,
            None,
            &[
                (
                    "ConnectionArn",
                    format!(
                        "arn:aws:codeconnections:us-east-1:{ACCOUNT}:connection/0d3c1f7e-5b1a-4c2e-9f55-2a1e7d6c4b90"
                    ),
                ),
                ("FullRepositoryId", format!("example-org/{repo}")),
                ("BranchName", "main".to_string()),
            ],
        )],
    )
}

fn codebuild(name: &str, project: &str, run_order: i32) -> ActionDeclaration {
    act(
        name,
        "Build",
        "CodeBuild",
        run_order,
        None,
        &[("ProjectName", project.to_string())],
    )
}

fn cfn(name: &str, run_order: i32, region: &str, stack: &str, mode: &str) -> ActionDeclaration {
    let mut config = vec![
        ("StackName", stack.to_string()),
        ("ActionMode", mode.to_string()),
        (
            "Capabilities",
            "CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND".to_string(),
        ),
        (
            "RoleArn",
            format!("arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{ACCOUNT}-{region}"),
        ),
    ];
    if mode.starts_with("CHANGE_SET") {
        config.push(("ChangeSetName", "PipelineChange".to_string()));
    }
    if mode != "CHANGE_SET_EXECUTE" {
        config.push((
            "TemplatePath",
            format!("BuildOutput::{stack}.template.json"),
        ));
    }
    act(
        name,
        "Deploy",
        "CloudFormation",
        run_order,
        Some(region),
        &config,
    )
}

fn approval(name: &str, run_order: i32, what: &str, region: &str) -> ActionDeclaration {
    act(
        name,
        "Approval",
        "Manual",
        run_order,
        None,
        &[
            (
                "CustomData",
                format!("Promote {what} to {region}? Check the canary dashboard first."),
            ),
            (
                "ExternalEntityLink",
                format!("https://dashboards.example.com/{what}/{region}"),
            ),
        ],
    )
}

/// The CDK stage name of a region, e.g. `UsWest2` for us-west-2.
pub fn cdk_stage_name(region: &str) -> String {
    region
        .split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A CDK Pipelines wave: one CDK stage per region, each with an approval,
/// a change set and its execution. A single-stage wave drops the prefix.
fn cdk_wave(wave: &str, regions: &[&str]) -> StageDeclaration {
    let single = regions.len() == 1;
    let mut actions = Vec::new();
    for region in regions {
        let cdk_stage = cdk_stage_name(region);
        let prefix = if single {
            String::new()
        } else {
            format!("{cdk_stage}.")
        };
        let stack = format!("{cdk_stage}-Api");
        actions.push(approval(
            &format!("{prefix}Approve"),
            1,
            "global-api",
            region,
        ));
        actions.push(cfn(
            &format!("{prefix}Api.Prepare"),
            2,
            region,
            &stack,
            "CHANGE_SET_REPLACE",
        ));
        actions.push(cfn(
            &format!("{prefix}Api.Deploy"),
            3,
            region,
            &stack,
            "CHANGE_SET_EXECUTE",
        ));
    }
    stage(wave, actions)
}

fn global_api() -> PipelineDeclaration {
    decl(
        "global-api",
        "V2",
        "SUPERSEDED",
        vec![
            github_source("global-api"),
            stage("Build", vec![codebuild("Synth", "global-api-synth", 1)]),
            stage(
                "UpdatePipeline",
                vec![codebuild("SelfMutate", "global-api-selfupdate", 1)],
            ),
            stage(
                "Assets",
                vec![
                    codebuild("FileAsset1", "global-api-asset-1", 1),
                    codebuild("FileAsset2", "global-api-asset-2", 1),
                ],
            ),
            cdk_wave("SouthAmerica", &["sa-east-1"]),
            cdk_wave("NorthAmerica", &["us-west-2", "us-east-2"]),
            cdk_wave("Europe", &["eu-west-1", "eu-central-1"]),
        ],
    )
}

fn service_x() -> PipelineDeclaration {
    let mut deploy = Vec::new();
    for region in ["eu-west-1", "us-east-1", "ap-southeast-2"] {
        deploy.push(cfn(
            &format!("{region}-CreateInfrastructure"),
            1,
            region,
            "service-x-infra",
            "CREATE_UPDATE",
        ));
        deploy.push(cfn(
            &format!("{region}-CreateChangeSet"),
            2,
            region,
            "service-x-app",
            "CHANGE_SET_REPLACE",
        ));
        deploy.push(cfn(
            &format!("{region}-ExecuteChangeSet"),
            3,
            region,
            "service-x-app",
            "CHANGE_SET_EXECUTE",
        ));
    }
    decl(
        "service-x",
        "V1",
        "SUPERSEDED",
        vec![
            stage(
                "Source",
                vec![act(
                    "Source",
                    "Source",
                    "CodeCommit",
                    1,
                    None,
                    &[
                        ("RepositoryName", "service-x".to_string()),
                        ("BranchName", "main".to_string()),
                    ],
                )],
            ),
            stage("Deploy", deploy),
        ],
    )
}

fn orders() -> PipelineDeclaration {
    let mut stages = vec![
        github_source("orders"),
        stage("Build", vec![codebuild("Synth", "orders-synth", 1)]),
    ];
    for (i, region) in ORDERS_REGIONS.iter().enumerate() {
        let mut actions = Vec::new();
        // The first region is the canary; the others wait for a person.
        if i > 0 {
            actions.push(approval("Approve", 1, "orders", region));
        }
        actions.push(cfn("Deploy", 2, region, "orders-api", "CREATE_UPDATE"));
        stages.push(stage(&cdk_stage_name(region), actions));
    }
    decl("orders-active-active", "V2", "QUEUED", stages)
}

fn edge_relay_build() -> PipelineDeclaration {
    decl(
        "edge-relay-build",
        "V2",
        "SUPERSEDED",
        vec![
            github_source("edge-relay"),
            stage("Build", vec![codebuild("Package", "edge-relay-package", 1)]),
            stage(
                "DeployUsEast1",
                vec![
                    cfn("Deploy", 1, "us-east-1", "edge-relay", "CREATE_UPDATE"),
                    act(
                        "PublishArtifact",
                        "Deploy",
                        "S3",
                        2,
                        Some("us-east-1"),
                        &[
                            ("BucketName", "edge-relay-artifacts-us-east-1".to_string()),
                            ("Extract", "false".to_string()),
                            ("ObjectKey", "edge-relay.zip".to_string()),
                        ],
                    ),
                ],
            ),
        ],
    )
}

fn edge_relay_apse() -> PipelineDeclaration {
    decl(
        "edge-relay-apse",
        "V1",
        "QUEUED",
        vec![
            stage(
                "ReplicatedSource",
                vec![act(
                    "FetchArtifact",
                    "Source",
                    "S3",
                    1,
                    None,
                    &[
                        ("S3Bucket", "edge-relay-artifacts-ap-south-1".to_string()),
                        ("S3ObjectKey", "edge-relay.zip".to_string()),
                        ("PollForSourceChanges", "false".to_string()),
                    ],
                )],
            ),
            stage(
                "DeployApSouth1",
                vec![cfn(
                    "Deploy",
                    1,
                    "ap-south-1",
                    "edge-relay",
                    "CREATE_UPDATE",
                )],
            ),
        ],
    )
}
