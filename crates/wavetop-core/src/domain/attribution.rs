//! Which column an action is drawn in, and which stages are drawn as
//! pre-deploy rows, read from a pipeline's declaration the way CodePipeline
//! runs it.
//!
//! An action runs in its `region`, or in the pipeline's own (home) region
//! when it names none: CDK leaves `region` out of every action that runs at
//! home. A deploy action (CloudFormation, CodeDeploy, ECS, S3, ...) is drawn
//! where it runs, always. An action that deploys nothing (an approval, a
//! test, an invoke, a shell step) and names no region is drawn in its
//! group's column when the group's other actions run in exactly one region:
//! the approval of a CDK stage `UsWest2` gates us-west-2 even though
//! CodePipeline runs it at home. A group is the `<Group>.` prefix of CDK's
//! `<Group>.<Stack>.<Step>` names, or the whole stage when its actions carry
//! no such prefix (a single-stage wave, a hand-written stage).

use std::collections::BTreeSet;

use super::pipeline_doc::{ActionDeclaration, PipelineDeclaration, StageDeclaration};

/// Stage names that build and publish before any region deploys.
const PRE_DEPLOY_NAMES: [&str; 6] = [
    "Source",
    "Build",
    "Synth",
    "UpdatePipeline",
    "SelfMutate",
    "Assets",
];

/// Where an action runs: its own region, or the pipeline's when it names none.
pub fn runs_in<'a>(action: &'a ActionDeclaration, home_region: &'a str) -> &'a str {
    action.region.as_deref().unwrap_or(home_region)
}

/// Whether the action changes nothing in a region: it gates, checks or
/// computes, and may be drawn with the region it belongs to.
pub fn deploys_nothing(action: &ActionDeclaration) -> bool {
    matches!(
        &*action.action_type_id.category,
        "Approval" | "Test" | "Invoke" | "Build" | "Compute"
    )
}

/// The column of each action of a stage, in declaration order.
pub fn columns(stage: &StageDeclaration, home_region: &str) -> Vec<String> {
    let groups = cdk_groups(stage);
    stage
        .actions
        .iter()
        .map(|action| {
            if action.region.is_some() || !deploys_nothing(action) {
                return runs_in(action, home_region).to_string();
            }
            let group = group_of(&action.name, &groups);
            let anchors: BTreeSet<&str> = stage
                .actions
                .iter()
                .filter(|other| group_of(&other.name, &groups) == group)
                .filter(|other| other.region.is_some() || !deploys_nothing(other))
                .map(|other| runs_in(other, home_region))
                .collect();
            match anchors.iter().collect::<Vec<_>>().as_slice() {
                [only] => only.to_string(),
                _ => home_region.to_string(),
            }
        })
        .collect()
}

/// Whether each stage of the pipeline is a pre-deploy row: a stage named
/// like a build step, a stage of source actions only, or any stage before
/// the first one that holds a deploy or approval action. A pipeline where no
/// stage holds one (every deploy a shell step) is judged by names alone.
pub fn pre_deploy_stages(decl: &PipelineDeclaration) -> Vec<bool> {
    let first_deploy = decl.stages.iter().position(|stage| {
        stage
            .actions
            .iter()
            .any(|a| matches!(&*a.action_type_id.category, "Deploy" | "Approval"))
    });
    decl.stages
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            PRE_DEPLOY_NAMES.contains(&stage.name.as_str())
                || stage
                    .actions
                    .iter()
                    .all(|a| &*a.action_type_id.category == "Source")
                || first_deploy.is_some_and(|first| i < first)
        })
        .collect()
}

/// The CDK stage groups of a stage: prefixes of `<Group>.<Stack>.<Step>`.
/// A single-stage wave names its actions `<Stack>.<Step>`: no group.
fn cdk_groups(stage: &StageDeclaration) -> BTreeSet<&str> {
    stage
        .actions
        .iter()
        .filter_map(|a| match a.name.split_once('.') {
            Some((group, rest)) if rest.contains('.') => Some(group),
            _ => None,
        })
        .collect()
}

/// The group an action belongs to: its CDK group, or the whole stage (None).
fn group_of<'a>(name: &'a str, groups: &BTreeSet<&str>) -> Option<&'a str> {
    name.split_once('.')
        .map(|(prefix, _)| prefix)
        .filter(|prefix| groups.contains(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(name: &str, category: &str, region: Option<&str>) -> ActionDeclaration {
        ActionDeclaration::new(name, category, "Any", 1, region)
    }

    fn stage(name: &str, actions: Vec<ActionDeclaration>) -> StageDeclaration {
        StageDeclaration::new(name, actions)
    }

    #[test]
    fn a_region_less_deploy_runs_at_home_whatever_its_stage_deploys_elsewhere() {
        let s = stage(
            "Prod",
            vec![
                action("edge.Deploy", "Deploy", Some("us-east-1")),
                action("main.Deploy", "Deploy", None),
            ],
        );
        assert_eq!(columns(&s, "eu-west-1"), ["us-east-1", "eu-west-1"]);
    }

    #[test]
    fn a_gate_follows_its_group_only_when_the_group_runs_in_one_region() {
        let s = stage(
            "Wave",
            vec![
                action("UsWest2.Approve", "Approval", None),
                action("UsWest2.Api.Deploy", "Deploy", Some("us-west-2")),
                action("Home.Approve", "Approval", None),
                action("Home.Api.Deploy", "Deploy", None),
                action("Both.Check", "Test", None),
                action("Both.Api.Deploy", "Deploy", Some("us-east-2")),
                action("Both.Web.Deploy", "Deploy", None),
                action("WaveGate", "Approval", None),
            ],
        );
        assert_eq!(
            columns(&s, "eu-west-1"),
            [
                "us-west-2",
                "us-west-2",
                "eu-west-1",
                "eu-west-1",
                "eu-west-1",
                "us-east-2",
                "eu-west-1",
                // Not in a group: the stage's actions run in three regions.
                "eu-west-1",
            ]
        );
    }

    #[test]
    fn an_ungrouped_stage_is_one_group() {
        let s = stage(
            "prod",
            vec![
                action("ManualApproval", "Approval", None),
                action("RunTestCommands", "Build", None),
                action("app.Prepare", "Deploy", Some("us-east-1")),
            ],
        );
        assert_eq!(
            columns(&s, "eu-central-1"),
            ["us-east-1", "us-east-1", "us-east-1"]
        );
    }

    #[test]
    fn stages_before_the_first_deploy_or_gate_are_pre_deploy() {
        let decl = PipelineDeclaration {
            name: "p".into(),
            role_arn: None,
            stages: vec![
                stage("Fetch", vec![action("s", "Source", None)]),
                stage("PrepareCloudAssembly", vec![action("l", "Invoke", None)]),
                stage("Validate", vec![action("v", "Build", None)]),
                stage("Prod", vec![action("d", "Deploy", None)]),
                stage("Assets", vec![action("a", "Build", None)]),
                stage("Smoke", vec![action("t", "Test", None)]),
            ],
            version: None,
            pipeline_type: None,
            execution_mode: None,
        };
        assert_eq!(
            pre_deploy_stages(&decl),
            [true, true, true, false, true, false]
        );
        // Without any deploy or gate, names alone decide.
        let mut shell_only = decl.clone();
        shell_only.stages.remove(3);
        assert_eq!(
            pre_deploy_stages(&shell_only),
            [true, false, false, true, false]
        );
    }
}
