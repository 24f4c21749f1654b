//! The CodePipeline declarations of the demo fleet, shaped the way CDK
//! Pipelines and hand-written CloudFormation pipelines name things. Like
//! CDK, an action names its region only when it runs away from the
//! pipeline's home region: CodePipeline runs a region-less action at home.

use super::spec::{ACCOUNT, ORDERS_REGIONS};
use crate::domain::pipeline_doc::{ActionDeclaration, PipelineDeclaration, StageDeclaration};

pub(super) fn act(
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
            .collect(),
        ..ActionDeclaration::new(name, category, provider, run_order, region)
    }
}

pub(super) fn stage(name: &str, actions: Vec<ActionDeclaration>) -> StageDeclaration {
    StageDeclaration::new(name, actions)
}

pub(super) fn decl(
    account: &str,
    name: &str,
    pipeline_type: &str,
    mode: &str,
    mut stages: Vec<StageDeclaration>,
) -> PipelineDeclaration {
    // A declaration lives as long as the simulated fleet, and a large fleet
    // declares thousands of stages: none keeps room left over from building.
    for stage in &mut stages {
        stage.actions.shrink_to_fit();
    }
    stages.shrink_to_fit();
    PipelineDeclaration {
        name: name.to_string(),
        role_arn: Some(format!("arn:aws:iam::{account}:role/{name}-pipeline-role")),
        stages,
        version: Some(1),
        pipeline_type: Some(pipeline_type.to_string()),
        execution_mode: Some(mode.to_string()),
    }
}

pub(super) fn github_source(account: &str, repo: &str) -> StageDeclaration {
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
                        "arn:aws:codeconnections:us-east-1:{account}:connection/0d3c1f7e-5b1a-4c2e-9f55-2a1e7d6c4b90"
                    ),
                ),
                ("FullRepositoryId", format!("example-org/{repo}")),
                ("BranchName", "main".to_string()),
            ],
        )],
    )
}

pub(super) fn codecommit_source(repo: &str) -> StageDeclaration {
    stage(
        "Source",
        vec![act(
            "Source",
            "Source",
            "CodeCommit",
            1,
            None,
            &[
                ("RepositoryName", repo.to_string()),
                ("BranchName", "main".to_string()),
            ],
        )],
    )
}

pub(super) fn codebuild(name: &str, project: &str, run_order: i32) -> ActionDeclaration {
    act(
        name,
        "Build",
        "CodeBuild",
        run_order,
        None,
        &[("ProjectName", project.to_string())],
    )
}

/// Where an action runs, the pipeline's home region and the account both
/// are in.
#[derive(Clone, Copy)]
pub(super) struct Place<'a> {
    pub region: &'a str,
    pub home: &'a str,
    pub account: &'a str,
}

impl Place<'_> {
    /// The action's `region` field: none at home.
    fn declared(&self) -> Option<&str> {
        (self.region != self.home).then_some(self.region)
    }
}

pub(super) fn cfn(
    name: &str,
    run_order: i32,
    place: Place,
    stack: &str,
    mode: &str,
) -> ActionDeclaration {
    let Place {
        region, account, ..
    } = place;
    let mut config = vec![
        ("StackName", stack.to_string()),
        ("ActionMode", mode.to_string()),
        (
            "Capabilities",
            "CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND".to_string(),
        ),
        (
            "RoleArn",
            format!("arn:aws:iam::{account}:role/cdk-hnb659fds-cfn-exec-role-{account}-{region}"),
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

pub(super) fn approval(name: &str, run_order: i32, what: &str, region: &str) -> ActionDeclaration {
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

/// The CDK stage name of a region, e.g. `UsWest2` for us-west-2 (or any
/// dashed name in CamelCase).
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

/// A CDK app a pipeline deploys: the service it ships (named in approval
/// prompts), the CDK stack id (`Api`), and where the pipeline lives.
#[derive(Clone, Copy)]
pub(super) struct CdkApp<'a> {
    pub service: &'a str,
    pub stack: &'a str,
    pub home: &'a str,
    pub account: &'a str,
}

/// A CDK Pipelines wave: one CDK stage per region, each with an approval,
/// a change set and its execution. A single-stage wave drops the prefix.
pub(super) fn cdk_wave(wave: &str, regions: &[&str], app: CdkApp) -> StageDeclaration {
    let single = regions.len() == 1;
    let id = app.stack;
    let mut actions = Vec::with_capacity(3 * regions.len());
    for region in regions {
        let place = Place {
            region,
            home: app.home,
            account: app.account,
        };
        let cdk_stage = cdk_stage_name(region);
        let prefix = if single {
            String::new()
        } else {
            format!("{cdk_stage}.")
        };
        let stack = format!("{cdk_stage}-{id}");
        actions.push(approval(
            &format!("{prefix}Approve"),
            1,
            app.service,
            region,
        ));
        actions.push(cfn(
            &format!("{prefix}{id}.Prepare"),
            2,
            place,
            &stack,
            "CHANGE_SET_REPLACE",
        ));
        actions.push(cfn(
            &format!("{prefix}{id}.Deploy"),
            3,
            place,
            &stack,
            "CHANGE_SET_EXECUTE",
        ));
    }
    stage(wave, actions)
}

pub(super) fn global_api(home: &str) -> PipelineDeclaration {
    let app = CdkApp {
        service: "global-api",
        stack: "Api",
        home,
        account: ACCOUNT,
    };
    decl(
        ACCOUNT,
        "global-api",
        "V2",
        "SUPERSEDED",
        vec![
            github_source(ACCOUNT, "global-api"),
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
            cdk_wave("SouthAmerica", &["sa-east-1"], app),
            cdk_wave("NorthAmerica", &["us-west-2", "us-east-2"], app),
            cdk_wave("Europe", &["eu-west-1", "eu-central-1"], app),
        ],
    )
}

/// A region's three actions in a hand-written cross-region CloudFormation
/// pipeline: the shared infrastructure, then the app's change set and its
/// execution, by runOrder.
pub(super) fn cross_region_cfn(place: Place, service: &str) -> [ActionDeclaration; 3] {
    let region = place.region;
    [
        cfn(
            &format!("{region}-CreateInfrastructure"),
            1,
            place,
            &format!("{service}-infra"),
            "CREATE_UPDATE",
        ),
        cfn(
            &format!("{region}-CreateChangeSet"),
            2,
            place,
            &format!("{service}-app"),
            "CHANGE_SET_REPLACE",
        ),
        cfn(
            &format!("{region}-ExecuteChangeSet"),
            3,
            place,
            &format!("{service}-app"),
            "CHANGE_SET_EXECUTE",
        ),
    ]
}

pub(super) fn service_x(home: &str) -> PipelineDeclaration {
    let mut deploy = Vec::new();
    for region in ["eu-west-1", "us-east-1", "ap-southeast-2"] {
        let place = Place {
            region,
            home,
            account: ACCOUNT,
        };
        deploy.extend(cross_region_cfn(place, "service-x"));
    }
    decl(
        ACCOUNT,
        "service-x",
        "V1",
        "SUPERSEDED",
        vec![codecommit_source("service-x"), stage("Deploy", deploy)],
    )
}

pub(super) fn orders(home: &str) -> PipelineDeclaration {
    let regions = ORDERS_REGIONS;
    let service = Service {
        account: ACCOUNT,
        pipeline: "orders-active-active",
        repo: "orders",
        stack: "orders-api",
    };
    stage_per_region(service, &regions, home)
}

/// What a pipeline ships and under which names.
#[derive(Clone, Copy)]
pub(super) struct Service<'a> {
    pub account: &'a str,
    pub pipeline: &'a str,
    pub repo: &'a str,
    pub stack: &'a str,
}

/// An active-active service's pipeline: a stage per region, in order. The
/// first region is the canary; the others wait for a person.
pub(super) fn stage_per_region(svc: Service, regions: &[&str], home: &str) -> PipelineDeclaration {
    let mut stages = vec![
        github_source(svc.account, svc.repo),
        stage(
            "Build",
            vec![codebuild("Synth", &format!("{}-synth", svc.repo), 1)],
        ),
    ];
    for (i, region) in regions.iter().enumerate() {
        let mut actions = Vec::new();
        if i > 0 {
            actions.push(approval("Approve", 1, svc.repo, region));
        }
        let place = Place {
            region,
            home,
            account: svc.account,
        };
        actions.push(cfn("Deploy", 2, place, svc.stack, "CREATE_UPDATE"));
        stages.push(stage(&cdk_stage_name(region), actions));
    }
    decl(svc.account, svc.pipeline, "V2", "QUEUED", stages)
}

pub(super) fn edge_relay_build(home: &str) -> PipelineDeclaration {
    let place = Place {
        region: "us-east-1",
        home,
        account: ACCOUNT,
    };
    decl(
        ACCOUNT,
        "edge-relay-build",
        "V2",
        "SUPERSEDED",
        vec![
            github_source(ACCOUNT, "edge-relay"),
            stage("Build", vec![codebuild("Package", "edge-relay-package", 1)]),
            stage(
                "DeployUsEast1",
                vec![
                    cfn("Deploy", 1, place, "edge-relay", "CREATE_UPDATE"),
                    publish_artifact(place, "edge-relay", 2),
                ],
            ),
        ],
    )
}

pub(super) fn edge_relay_apse(home: &str) -> PipelineDeclaration {
    let place = Place {
        region: "ap-south-1",
        home,
        account: ACCOUNT,
    };
    decl(
        ACCOUNT,
        "edge-relay-apse",
        "V1",
        "QUEUED",
        vec![
            replicated_source("edge-relay", "ap-south-1"),
            stage(
                "DeployApSouth1",
                vec![cfn("Deploy", 1, place, "edge-relay", "CREATE_UPDATE")],
            ),
        ],
    )
}

/// The hand-off of a chained flow: the build's artifact copied to the
/// bucket S3 replicates to the next pipeline's region.
pub(super) fn publish_artifact(place: Place, repo: &str, run_order: i32) -> ActionDeclaration {
    act(
        "PublishArtifact",
        "Deploy",
        "S3",
        run_order,
        place.declared(),
        &[
            ("BucketName", format!("{repo}-artifacts-{}", place.region)),
            ("Extract", "false".to_string()),
            ("ObjectKey", format!("{repo}.zip")),
        ],
    )
}

/// The first stage of a pipeline fed by another: the replicated artifact,
/// picked up by an event rule rather than by polling.
pub(super) fn replicated_source(repo: &str, region: &str) -> StageDeclaration {
    stage(
        "ReplicatedSource",
        vec![act(
            "FetchArtifact",
            "Source",
            "S3",
            1,
            None,
            &[
                ("S3Bucket", format!("{repo}-artifacts-{region}")),
                ("S3ObjectKey", format!("{repo}.zip")),
                ("PollForSourceChanges", "false".to_string()),
            ],
        )],
    )
}
