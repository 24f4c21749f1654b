//! Starting one action the way its provider runs it: approvals hand out a
//! token, CloudFormation updates play out on the stack, builds and sources
//! take their usual time.

use jiff::{SignedDuration, Timestamp};

use super::pipeline::{Job, PipelineSim, Run, epoch};
use super::rng::SimRng;
use super::run_state::RunState;
use super::stacks::StackSim;
use crate::domain::attribution::runs_in;
use crate::domain::pipeline_doc::{ActionDeclaration, ActionExecution};

impl PipelineSim {
    pub(super) fn start_action(
        &mut self,
        s: usize,
        a: usize,
        run: &Run,
        now: Timestamp,
        stacks: &mut [StackSim],
        rng: &mut SimRng,
    ) {
        let decl = self.decl.stages[s].actions[a].clone();
        let region = runs_in(&decl, &self.home_region).to_string();
        let mut state = ActionExecution {
            action_execution_id: Some(rng.uuid()),
            ..ActionExecution::with_status("InProgress", epoch(now))
        };
        let mut job = Job {
            ends_at: None,
            stack: None,
            captain_at: None,
        };
        let mode = decl.configuration.get("ActionMode").unwrap_or("");
        let secs =
            |rng: &mut SimRng, lo: i64, hi: i64| now + SignedDuration::from_secs(rng.range(lo, hi));
        let mut immediate_failure = None;
        match (
            &*decl.action_type_id.category,
            &*decl.action_type_id.provider,
        ) {
            ("Approval", _) => {
                state.token = Some(rng.uuid());
                let delay = match self.pace.captain_secs {
                    Some((lo, hi)) => SignedDuration::from_secs(rng.range(lo, hi)),
                    None => captain_delay(self.name(), &self.decl.stages[s].name, rng),
                };
                job.captain_at = Some(now + delay);
            }
            ("Deploy", "CloudFormation")
                if mode == "CHANGE_SET_EXECUTE" || mode == "CREATE_UPDATE" =>
            {
                let stack_name = decl
                    .configuration
                    .get("StackName")
                    .unwrap_or_default()
                    .to_string();
                let idx = stacks
                    .iter()
                    .position(|st| st.region == region && st.name == stack_name);
                state.external_execution_url = Some(format!(
                    "https://console.aws.amazon.com/cloudformation/home?region={region}#/stacks/events?stackId={stack_name}"
                ));
                match idx {
                    Some(i) if stacks[i].busy() => {
                        immediate_failure = Some(format!(
                            "Stack {stack_name} is in {} state and can not be updated.",
                            stacks[i].status
                        ));
                    }
                    Some(i) => {
                        let scripted = run.fail_region.as_deref() == Some(region.as_str())
                            && self.is_final_update_in_region(s, a, &region);
                        let fail = rng.chance(run.failure_rate) || scripted;
                        let duration = SignedDuration::from_secs(rng.range(60, 240));
                        stacks[i].begin_update(now, duration, fail, rng);
                        job.stack = Some(i);
                    }
                    None => job.ends_at = Some(secs(rng, 30, 90)),
                }
            }
            ("Deploy", "CloudFormation") => {
                let stack_name = decl
                    .configuration
                    .get("StackName")
                    .unwrap_or_default()
                    .to_string();
                state.external_execution_url = Some(format!(
                    "https://console.aws.amazon.com/cloudformation/home?region={region}#/stacks/changesets?stackId={stack_name}"
                ));
                job.ends_at = Some(secs(rng, 15, 45));
            }
            ("Build", _) => {
                let project = decl
                    .configuration
                    .get("ProjectName")
                    .unwrap_or_default()
                    .to_string();
                let build = format!("{project}:{}", rng.uuid());
                state.external_execution_url = Some(format!(
                    "https://console.aws.amazon.com/codesuite/codebuild/projects/{project}/build/{build}?region={region}"
                ));
                state.external_execution_id = Some(build);
                job.ends_at = Some(match decl.name.as_str() {
                    "SelfMutate" => secs(rng, 40, 80),
                    n if n.starts_with("FileAsset") => secs(rng, 30, 70),
                    _ => secs(rng, 90, 180),
                });
            }
            ("Source", _) => {
                let exec = self.executions.iter().find(|e| e.id == *run.execution_id);
                state.external_execution_id =
                    exec.and_then(|e| e.revision_id.as_deref().map(str::to_string));
                state.summary =
                    exec.and_then(|e| e.revision_summary.as_deref().map(str::to_string));
                job.ends_at = Some(secs(rng, 4, 12));
            }
            _ => job.ends_at = Some(secs(rng, 5, 20)),
        }
        let action = &mut self.stages[s].actions[a];
        action.state = Some(RunState::from(state));
        action.execution_id = Some(run.execution_id.clone());
        action.job = Some(Box::new(job));
        if let Some(message) = immediate_failure {
            self.complete_action(s, a, Err(message), now);
        }
    }

    /// Whether action `a` is the last stack update of its region in stage `s`
    /// (where a scripted failure lands).
    pub(super) fn is_final_update_in_region(&self, s: usize, a: usize, region: &str) -> bool {
        let updates = |d: &ActionDeclaration| {
            runs_in(d, &self.home_region) == region
                && &*d.action_type_id.provider == "CloudFormation"
                && matches!(
                    d.configuration.get("ActionMode"),
                    Some("CHANGE_SET_EXECUTE" | "CREATE_UPDATE")
                )
        };
        let actions = &self.decl.stages[s].actions;
        let max_order = actions
            .iter()
            .filter(|d| updates(d))
            .filter_map(|d| d.run_order)
            .max();
        updates(&actions[a]) && actions[a].run_order == max_order
    }
}

/// How long the simulated release captain takes to approve a gate. Europe
/// of global-api is approved only after the morning's review.
fn captain_delay(pipeline: &str, stage: &str, rng: &mut SimRng) -> SignedDuration {
    let secs = if pipeline == "global-api" && stage == "Europe" {
        rng.range(20 * 60, 30 * 60)
    } else {
        rng.range(3 * 60, 8 * 60)
    };
    SignedDuration::from_secs(secs)
}
