//! A pipeline as CodePipeline's GetPipeline and GetPipelineState describe it.

use super::pipeline::{PipelineSim, epoch};
use super::spec::ACCOUNT;
use crate::domain::pipeline_doc::{
    ActionDeclaration, ActionState, GetPipelineOutput, GetPipelineStateOutput, PipelineMetadata,
    StageState,
};

impl PipelineSim {
    pub fn pipeline_doc(&self) -> GetPipelineOutput {
        GetPipelineOutput {
            pipeline: self.decl.clone(),
            metadata: Some(PipelineMetadata {
                pipeline_arn: Some(format!(
                    "arn:aws:codepipeline:{}:{ACCOUNT}:{}",
                    self.home_region,
                    self.name()
                )),
                created: epoch(self.created),
                updated: epoch(self.updated),
            }),
        }
    }

    pub fn state_doc(&self) -> GetPipelineStateOutput {
        GetPipelineStateOutput {
            pipeline_name: self.name().to_string(),
            pipeline_version: self.decl.version,
            stage_states: self
                .decl
                .stages
                .iter()
                .zip(&self.stages)
                .map(|(decl, sim)| StageState {
                    stage_name: decl.name.clone(),
                    inbound_transition_state: sim.transition.clone(),
                    action_states: decl
                        .actions
                        .iter()
                        .zip(&sim.actions)
                        .map(|(a, s)| ActionState {
                            action_name: a.name.clone(),
                            latest_execution: s.state.clone(),
                            entity_url: entity_url(a, &self.home_region),
                            revision_url: None,
                        })
                        .collect(),
                    latest_execution: sim.latest.clone(),
                })
                .collect(),
            created: epoch(self.created),
            updated: epoch(self.updated),
        }
    }
}

fn entity_url(a: &ActionDeclaration, home: &str) -> Option<String> {
    let region = a.region.as_deref().unwrap_or(home);
    match a.action_type_id.provider.as_str() {
        "CodeBuild" => a.configuration.get("ProjectName").map(|p| {
            format!("https://console.aws.amazon.com/codebuild/home?region={region}#/projects/{p}/view")
        }),
        "CloudFormation" => a.configuration.get("StackName").map(|s| {
            format!("https://console.aws.amazon.com/cloudformation/home?region={region}#/stacks?filteringText={s}")
        }),
        _ => None,
    }
}
