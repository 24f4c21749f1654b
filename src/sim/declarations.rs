//! The CodePipeline declarations of the demo fleet, shaped the way CDK
//! Pipelines and hand-written CloudFormation pipelines name things. Like
//! CDK, an action names its region only when it runs away from the
//! pipeline's home region: CodePipeline runs a region-less action at home.

use std::collections::BTreeMap;

use super::spec::{ACCOUNT, ORDERS_REGIONS};
use crate::domain::pipeline_doc::{ActionDeclaration, PipelineDeclaration, StageDeclaration};

fn act(
    name: &str,
    category: &str,
    provider: &str,
    run_order: i32,
    region: Option<&str>,
    config: &[(&str, String)],
) -> ActionDeclaration {
    ActionDeclaration {
        configuration: config
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
        ..ActionDeclaration::new(name, category, provider, run_order, region)
    }
}

fn stage(name: &str, actions: Vec<ActionDeclaration>) -> StageDeclaration {
    StageDeclaration::new(name, actions)
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

/// Where an action runs, and the pipeline's home region.
#[derive(Clone, Copy)]
struct Place<'a> {
    region: &'a str,
    home: &'a str,
}

impl Place<'_> {
    /// The action's `region` field: none at home.
    fn declared(&self) -> Option<&str> {
        (self.region != self.home).then_some(self.region)
    }
}

fn cfn(name: &str, run_order: i32, place: Place, stack: &str, mode: &str) -> ActionDeclaration {
    let region = place.region;
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
        place.declared(),
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
fn cdk_wave(wave: &str, regions: &[&str], home: &str) -> StageDeclaration {
    let single = regions.len() == 1;
    let mut actions = Vec::new();
    for region in regions {
        let place = Place { region, home };
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
            place,
            &stack,
            "CHANGE_SET_REPLACE",
        ));
        actions.push(cfn(
            &format!("{prefix}Api.Deploy"),
            3,
            place,
            &stack,
            "CHANGE_SET_EXECUTE",
        ));
    }
    stage(wave, actions)
}

pub(super) fn global_api(home: &str) -> PipelineDeclaration {
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
            cdk_wave("SouthAmerica", &["sa-east-1"], home),
            cdk_wave("NorthAmerica", &["us-west-2", "us-east-2"], home),
            cdk_wave("Europe", &["eu-west-1", "eu-central-1"], home),
        ],
    )
}

pub(super) fn service_x(home: &str) -> PipelineDeclaration {
    let mut deploy = Vec::new();
    for region in ["eu-west-1", "us-east-1", "ap-southeast-2"] {
        let place = Place { region, home };
        deploy.push(cfn(
            &format!("{region}-CreateInfrastructure"),
            1,
            place,
            "service-x-infra",
            "CREATE_UPDATE",
        ));
        deploy.push(cfn(
            &format!("{region}-CreateChangeSet"),
            2,
            place,
            "service-x-app",
            "CHANGE_SET_REPLACE",
        ));
        deploy.push(cfn(
            &format!("{region}-ExecuteChangeSet"),
            3,
            place,
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

pub(super) fn orders(home: &str) -> PipelineDeclaration {
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
        let place = Place { region, home };
        actions.push(cfn("Deploy", 2, place, "orders-api", "CREATE_UPDATE"));
        stages.push(stage(&cdk_stage_name(region), actions));
    }
    decl("orders-active-active", "V2", "QUEUED", stages)
}

pub(super) fn edge_relay_build(home: &str) -> PipelineDeclaration {
    let place = Place {
        region: "us-east-1",
        home,
    };
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
                    cfn("Deploy", 1, place, "edge-relay", "CREATE_UPDATE"),
                    act(
                        "PublishArtifact",
                        "Deploy",
                        "S3",
                        2,
                        place.declared(),
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

pub(super) fn edge_relay_apse(home: &str) -> PipelineDeclaration {
    let place = Place {
        region: "ap-south-1",
        home,
    };
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
                vec![cfn("Deploy", 1, place, "edge-relay", "CREATE_UPDATE")],
            ),
        ],
    )
}
