//! Which pipeline execution an action's latest run belongs to.
//!
//! GetPipelineState reports each action's latest run, whichever pipeline
//! execution it was part of, next to the stage's current execution. When a
//! new execution enters a stage, actions it has not reached yet still show
//! the earlier execution's result: a cell whose gate was just approved would
//! read "done" while its deployment has not started. A cell is drawn from
//! the stage's current execution only, so each run is placed:
//!
//! 1. When the current execution's action runs were listed
//!    (ListActionExecutions filtered by its id), a run is current exactly
//!    when it is among them.
//! 2. Otherwise by time: a run whose last status change is earlier than the
//!    start of the stage's current execution (ListPipelineExecutions) belongs
//!    to an earlier execution; nothing in an execution happens before it
//!    starts.
//! 3. A run still in progress in a stage in progress is current: a stage
//!    runs one execution at a time.
//! 4. Otherwise the time cannot tell (an earlier execution may still have
//!    been finishing the stage after the current one started). For a stage
//!    in progress that is worth one ListActionExecutions call; for a settled
//!    stage, and when the call could not be made, the run counts as current.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::fleet::Execution;
use super::grid::epoch_to_timestamp;
use super::pipeline_doc::{ActionState, GetPipelineStateOutput, StageState};
use super::shared_str::SharedStr;

/// One action run of a pipeline execution, as ListActionExecutions lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRun {
    pub stage: String,
    pub action: String,
    pub action_execution_id: Option<String>,
}

/// What is known about the pipeline's executions beyond GetPipelineState.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunEvidence {
    /// When each listed pipeline execution started.
    pub execution_starts: BTreeMap<SharedStr, Timestamp>,
    /// The action runs of pipeline executions, by pipeline execution id.
    pub action_runs: BTreeMap<String, Vec<ActionRun>>,
}

/// Which execution an action's latest run belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOf {
    /// The stage's current execution (or no execution to compare against).
    Current,
    /// An execution before the stage's current one.
    Earlier,
    /// The time cannot tell and no list of the current execution's runs is at hand.
    Unknown,
}

impl RunEvidence {
    /// The start times of the executions a pipeline listed.
    pub fn from_executions<'a>(executions: impl IntoIterator<Item = &'a Execution>) -> Self {
        RunEvidence {
            execution_starts: executions
                .into_iter()
                .map(|e| (e.id.clone(), e.started_at))
                .collect(),
            action_runs: BTreeMap::new(),
        }
    }

    pub fn run_of(&self, stage: &StageState, action: &ActionState) -> RunOf {
        let (Some(current), Some(latest)) = (&stage.latest_execution, &action.latest_execution)
        else {
            return RunOf::Current;
        };
        let id = &current.pipeline_execution_id;
        if let Some(runs) = self.action_runs.get(id) {
            let listed = runs.iter().any(|run| {
                run.stage == stage.stage_name
                    && run.action == action.action_name
                    && match (&run.action_execution_id, &latest.action_execution_id) {
                        (Some(listed), Some(shown)) => listed == shown,
                        _ => true,
                    }
            });
            return if listed {
                RunOf::Current
            } else {
                RunOf::Earlier
            };
        }
        let changed = latest.last_status_change.and_then(epoch_to_timestamp);
        let started = self.execution_starts.get(id.as_str());
        if changed
            .zip(started)
            .is_some_and(|(changed, started)| changed < *started)
        {
            return RunOf::Earlier;
        }
        let stage_in_progress = current.status == "InProgress";
        if stage_in_progress && latest.status != "InProgress" {
            RunOf::Unknown
        } else {
            RunOf::Current
        }
    }

    /// The current executions of stages in progress whose action runs the
    /// time cannot place and that were not listed yet, each once.
    pub fn executions_to_list(&self, state: &GetPipelineStateOutput) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for stage in &state.stage_states {
            let Some(current) = &stage.latest_execution else {
                continue;
            };
            let unplaced = stage
                .action_states
                .iter()
                .any(|a| self.run_of(stage, a) == RunOf::Unknown);
            if unplaced && !ids.contains(&current.pipeline_execution_id) {
                ids.push(current.pipeline_execution_id.clone());
            }
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pipeline_doc::{ActionExecution, StageExecution};

    fn action(name: &str, status: &str, at: f64, id: &str) -> ActionState {
        ActionState::ran(
            name,
            ActionExecution {
                action_execution_id: Some(id.to_string()),
                ..ActionExecution::with_status(status, Some(at))
            },
        )
    }

    fn stage(status: &str, actions: Vec<ActionState>) -> StageState {
        StageState {
            stage_name: "Europe".to_string(),
            inbound_transition_state: None,
            action_states: actions,
            conditions: Default::default(),
            latest_execution: Some(StageExecution {
                pipeline_execution_id: "exec-2".to_string(),
                status: status.to_string(),
            }),
        }
    }

    fn started_at(secs: i64) -> RunEvidence {
        RunEvidence {
            execution_starts: BTreeMap::from([(
                "exec-2".into(),
                Timestamp::from_second(secs).unwrap(),
            )]),
            action_runs: BTreeMap::new(),
        }
    }

    #[test]
    fn a_run_that_changed_before_the_execution_started_is_earlier() {
        let evidence = started_at(1_000);
        let s = stage(
            "InProgress",
            vec![
                action("Approve", "Succeeded", 1_100.0, "a1"),
                action("Api.Prepare", "Succeeded", 999.5, "a0"),
                action("Api.Deploy", "InProgress", 1_200.0, "a2"),
            ],
        );
        let placed: Vec<RunOf> = s
            .action_states
            .iter()
            .map(|a| evidence.run_of(&s, a))
            .collect();
        assert_eq!(placed, [RunOf::Unknown, RunOf::Earlier, RunOf::Current]);
        assert_eq!(evidence.executions_to_list(&state(vec![s])), ["exec-2"]);
    }

    #[test]
    fn the_listed_runs_of_the_current_execution_decide_when_time_cannot() {
        let mut evidence = started_at(1_000);
        evidence.action_runs.insert(
            "exec-2".to_string(),
            vec![ActionRun {
                stage: "Europe".to_string(),
                action: "Approve".to_string(),
                action_execution_id: Some("a1".to_string()),
            }],
        );
        let s = stage(
            "InProgress",
            vec![
                action("Approve", "Succeeded", 1_100.0, "a1"),
                // Finished by an earlier execution after exec-2 had started.
                action("Api.Prepare", "Succeeded", 1_050.0, "a0"),
            ],
        );
        assert_eq!(evidence.run_of(&s, &s.action_states[0]), RunOf::Current);
        assert_eq!(evidence.run_of(&s, &s.action_states[1]), RunOf::Earlier);
        assert!(evidence.executions_to_list(&state(vec![s])).is_empty());
    }

    #[test]
    fn settled_stages_and_unknown_starts_are_never_listed() {
        let settled = stage("Failed", vec![action("Deploy", "Succeeded", 1_100.0, "a")]);
        let evidence = started_at(1_000);
        assert_eq!(
            evidence.run_of(&settled, &settled.action_states[0]),
            RunOf::Current
        );
        assert!(
            evidence
                .executions_to_list(&state(vec![settled]))
                .is_empty()
        );
        // No start known: time cannot place a finished run in a stage in progress.
        let moving = stage("InProgress", vec![action("Deploy", "Succeeded", 1.0, "a")]);
        let none = RunEvidence::default();
        assert_eq!(
            none.run_of(&moving, &moving.action_states[0]),
            RunOf::Unknown
        );
    }

    fn state(stages: Vec<StageState>) -> GetPipelineStateOutput {
        GetPipelineStateOutput {
            pipeline_name: "p".to_string(),
            pipeline_version: Some(1),
            stage_states: stages,
            created: None,
            updated: None,
        }
    }
}
