//! A pipeline as CodePipeline's GetPipeline and GetPipelineState describe it.

use super::pipeline::{PipelineSim, epoch};
use super::run_state::RunState;
use crate::domain::attribution::runs_in;
use crate::domain::current_run::{ActionRun, RunEvidence};
use crate::domain::pipeline_doc::{
    ActionDeclaration, ActionState, GetPipelineOutput, GetPipelineStateOutput, PipelineDeclaration,
    PipelineMetadata, StageState,
};

impl PipelineSim {
    pub fn pipeline_doc(&self) -> GetPipelineOutput {
        GetPipelineOutput {
            pipeline: PipelineDeclaration::clone(&self.decl),
            metadata: Some(PipelineMetadata {
                pipeline_arn: Some(format!(
                    "arn:aws:codepipeline:{}:{}:{}",
                    self.home_region,
                    self.account_id,
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
                .enumerate()
                .map(|(i, (decl, sim))| StageState {
                    stage_name: decl.name.clone(),
                    inbound_transition_state: sim.transition.clone(),
                    action_states: decl
                        .actions
                        .iter()
                        .zip(&sim.actions)
                        .map(|(a, s)| ActionState {
                            action_name: a.name.to_string(),
                            latest_execution: s.state.as_ref().map(RunState::to_execution),
                            entity_url: entity_url(a, &self.home_region),
                            revision_url: None,
                        })
                        .collect(),
                    latest_execution: sim.latest.clone(),
                    conditions: self
                        .gates
                        .iter()
                        .find(|g| g.stage == i)
                        .and_then(|g| g.state_doc())
                        .unwrap_or_default(),
                })
                .collect(),
            created: epoch(self.created),
            updated: epoch(self.updated),
        }
    }
}

impl PipelineSim {
    /// What ListPipelineExecutions and, for the executions whose runs the
    /// time cannot place, ListActionExecutions would answer: the same
    /// evidence the AWS adapter gathers.
    pub fn run_evidence(&self) -> RunEvidence {
        let mut evidence = RunEvidence::from_executions(&self.executions);
        for id in evidence.executions_to_list(&self.state_doc()) {
            let runs = self
                .decl
                .stages
                .iter()
                .zip(&self.stages)
                .flat_map(|(decl, sim)| {
                    decl.actions
                        .iter()
                        .zip(&sim.actions)
                        .filter(|(_, a)| a.execution_id.as_deref() == Some(id.as_str()))
                        .map(|(d, a)| ActionRun {
                            stage: decl.name.clone(),
                            action: d.name.to_string(),
                            action_execution_id: a
                                .state
                                .as_ref()
                                .and_then(|s| s.action_execution_id().map(str::to_string)),
                        })
                })
                .collect();
            evidence.action_runs.insert(id, runs);
        }
        evidence
    }
}

fn entity_url(a: &ActionDeclaration, home: &str) -> Option<String> {
    let region = runs_in(a, home);
    match &*a.action_type_id.provider {
        "CodeBuild" => a.configuration.get("ProjectName").map(|p| {
            format!("https://console.aws.amazon.com/codebuild/home?region={region}#/projects/{p}/view")
        }),
        "CloudFormation" => a.configuration.get("StackName").map(|s| {
            format!("https://console.aws.amazon.com/cloudformation/home?region={region}#/stacks?filteringText={s}")
        }),
        _ => None,
    }
}
