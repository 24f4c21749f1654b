//! One CodePipeline: its declaration, the state GetPipelineState reports and
//! the execution in flight, moved forward one second at a time with
//! CodePipeline's rules: actions of a stage run by runOrder (one runOrder in
//! parallel, the next once all of it succeeded), a stage succeeds when every
//! action did, and an execution enters the next stage only through an
//! enabled inbound transition.
//!
//! One execution is in flight per pipeline; a start that arrives while one
//! runs waits its turn (the hand-off of a chained flow, for instance).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::conditions::{GateAnswer, GateSim, gates_of};
use super::history::new_revision;
use super::rng::SimRng;
use super::run_state::RunState;
use super::shared_strings::SharedId;
use super::spec::PipelineSpec;
use super::stacks::StackSim;
use crate::domain::fleet::{Execution, ExecutionStatus};
use crate::domain::grid::timestamp_to_epoch;
use crate::domain::pipeline_doc::{
    ActionExecution, ErrorDetails, PipelineDeclaration, StageExecution, TransitionState,
};
use crate::domain::shared_str::SharedStr;

/// Executions kept in the history, newest first.
const HISTORY: usize = 20;
/// Who answers the simulated fleet's gates when no operator does first.
pub const RELEASE_CAPTAIN: &str = "arn:aws:sts::111111111111:assumed-role/ReleaseCaptain/carol";

/// How a pipeline's team ships: the pause before the next commit after a
/// success and after a failure, the chance that one stack update fails, and
/// how long the release captain takes to answer a gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    pub after_success_secs: (i64, i64),
    pub after_failure_secs: (i64, i64),
    pub update_failure_rate: f64,
    /// None: the demo's own delays (see `actions::captain_delay`).
    pub captain_secs: Option<(i64, i64)>,
}

impl Default for Pace {
    /// The demo's: a commit every few minutes, after a failure the team
    /// looks for half an hour first.
    fn default() -> Self {
        Pace {
            after_success_secs: (6 * 60, 18 * 60),
            after_failure_secs: (25 * 60, 45 * 60),
            update_failure_rate: 0.15,
            captain_secs: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineSim {
    pub flow: String,
    /// The spec's own declaration, shared rather than copied.
    #[serde(with = "shared_decl")]
    pub decl: Arc<PipelineDeclaration>,
    pub home_region: String,
    /// The account label the pipeline is listed under, and its id (in ARNs).
    pub account: String,
    pub account_id: String,
    pub pace: Pace,
    pub created: Timestamp,
    pub updated: Timestamp,
    /// The pipeline whose success starts this one.
    pub upstream: Option<String>,
    pub stages: Vec<StageSim>,
    /// Newest first.
    pub executions: Vec<Execution>,
    pub run: Option<Run>,
    /// When an idle pipeline sees its next commit.
    pub next_auto_start: Option<Timestamp>,
    /// Starts waiting for the pipeline to be idle, oldest first.
    pub queued: Vec<PendingStart>,
    /// The stages' simulated `beforeEntry` rules.
    #[serde(default)]
    pub gates: Vec<GateSim>,
    /// Draws of this pipeline's own, for one added after the demo's others
    /// so that their draws stay what they were.
    #[serde(default)]
    pub own_rng: Option<SimRng>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSim {
    /// None for the first stage, which has no inbound transition.
    pub transition: Option<TransitionState>,
    pub latest: Option<StageExecution>,
    pub actions: Vec<ActionSim>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionSim {
    pub state: Option<RunState>,
    /// The pipeline execution `state` belongs to.
    pub execution_id: Option<SharedId>,
    /// Boxed: at any moment few of the fleet's actions are running.
    pub job: Option<Box<Job>>,
    /// The execution of this action's last successful run and when it
    /// ended: what a deploy action left live in its region.
    #[serde(default)]
    pub last_success: Option<(SharedId, Timestamp)>,
}

/// What an in-progress action is waiting for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub ends_at: Option<Timestamp>,
    /// Index of the stack whose update the action waits on.
    pub stack: Option<usize>,
    /// When the release captain answers this approval, if ever.
    pub captain_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub execution_id: SharedId,
    pub stage: usize,
    pub last_stage: usize,
    /// False while the execution waits before the stage's inbound transition.
    pub entered: bool,
    pub stopping: bool,
    /// Chance that a stack update of this run fails.
    pub failure_rate: f64,
    /// A region whose deployment this run fails for certain.
    pub fail_region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingStart {
    pub at: Timestamp,
    pub trigger: String,
    pub revision_id: String,
    pub summary: String,
    /// A region this execution's deployment fails in for certain.
    pub fail_region: Option<String>,
}

/// An execution that just succeeded, for the pipeline downstream of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Handoff {
    pub from: String,
    pub revision_id: Option<String>,
    pub summary: Option<String>,
}

/// What an action's state reads in-progress and done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

pub fn epoch(t: Timestamp) -> Option<f64> {
    Some(timestamp_to_epoch(t))
}

impl PipelineSim {
    pub fn new(flow: &str, spec: &PipelineSpec, created: Timestamp) -> Self {
        let decl = Arc::clone(&spec.decl);
        let stages = decl
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| StageSim {
                transition: (i > 0).then_some(TransitionState {
                    enabled: true,
                    last_changed_by: None,
                    last_changed_at: None,
                    disabled_reason: None,
                }),
                latest: None,
                actions: s
                    .actions
                    .iter()
                    .map(|_| ActionSim {
                        state: None,
                        execution_id: None,
                        job: None,
                        last_success: None,
                    })
                    .collect(),
            })
            .collect();
        Self {
            flow: flow.to_string(),
            decl,
            home_region: spec.home_region.clone(),
            account: spec.account.clone(),
            account_id: spec.account_id.clone(),
            pace: spec.pace.clone(),
            created,
            updated: created,
            upstream: spec.upstream.clone(),
            stages,
            executions: Vec::new(),
            run: None,
            next_auto_start: None,
            queued: Vec::new(),
            gates: gates_of(&spec.decl),
            own_rng: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.decl.name
    }

    /// The name as the executions hold it: the newest one's copy, so that
    /// a pipeline's history holds its name once.
    pub fn shared_name(&self) -> SharedStr {
        match self.executions.first() {
            Some(newest) => newest.pipeline.clone(),
            None => self.name().into(),
        }
    }

    pub fn stage_index(&self, stage: &str) -> Option<usize> {
        self.decl.stages.iter().position(|s| s.name == stage)
    }

    pub fn execution_mut(&mut self, id: &str) -> Option<&mut Execution> {
        self.executions.iter_mut().find(|e| e.id == id)
    }

    /// Adds an execution to the front of the history (which keeps the
    /// newest `HISTORY`) and starts it: it becomes the run in flight.
    #[allow(clippy::too_many_arguments)]
    pub fn start_execution(
        &mut self,
        now: Timestamp,
        trigger: &str,
        revision_id: &str,
        summary: &str,
        stages: (usize, usize),
        failure_rate: f64,
        fail_region: Option<String>,
        rng: &mut SimRng,
    ) -> String {
        let uuid = rng.uuid();
        let id = SharedStr::from(uuid.as_str());
        self.executions.insert(
            0,
            Execution {
                pipeline: self.shared_name(),
                id: id.clone(),
                status: ExecutionStatus::InProgress,
                trigger: trigger.into(),
                revision_id: Some(revision_id.into()),
                revision_summary: Some(summary.into()),
                started_at: now,
                updated_at: now,
                rollback: None,
            },
        );
        self.executions.truncate(HISTORY);
        self.run = Some(Run {
            execution_id: id,
            stage: stages.0,
            last_stage: stages.1,
            entered: false,
            stopping: false,
            failure_rate,
            fail_region,
        });
        uuid
    }

    fn set_execution_status(&mut self, id: &str, status: ExecutionStatus, now: Timestamp) {
        if let Some(e) = self.execution_mut(id) {
            e.status = status;
            e.updated_at = now;
        }
    }

    fn phase(&self, stage: usize, action: usize, execution_id: &str) -> Phase {
        let a = &self.stages[stage].actions[action];
        if a.execution_id.as_deref() != Some(execution_id) {
            return Phase::Pending;
        }
        match a.state.as_ref().map(RunState::status) {
            Some("InProgress") => Phase::Running,
            Some("Succeeded") => Phase::Succeeded,
            Some(_) => Phase::Failed,
            None => Phase::Pending,
        }
    }

    /// Moves the execution in flight one step; returns a hand-off when it succeeded.
    pub fn tick(
        &mut self,
        now: Timestamp,
        stacks: &mut [StackSim],
        rng: &mut SimRng,
    ) -> Option<Handoff> {
        if self.run.is_none() {
            self.start_if_due(now, rng);
        }
        let run = self.run.clone()?;
        let s = run.stage;
        if !run.entered {
            let open = self.stages[s].transition.as_ref().is_none_or(|t| t.enabled);
            if !open {
                return None;
            }
            match self.gate_answer(s, &run.execution_id, now) {
                GateAnswer::Enter => {}
                GateAnswer::Wait => return None,
                GateAnswer::Fail => {
                    self.end_run(s, "Failed", ExecutionStatus::Failed, now, rng);
                    return None;
                }
            }
            self.enter_stage(s, &run.execution_id);
        }
        self.finish_due_actions(s, &run, now, stacks);

        let phases: Vec<Phase> = (0..self.stages[s].actions.len())
            .map(|a| self.phase(s, a, &run.execution_id))
            .collect();
        if phases.contains(&Phase::Running) {
            return None;
        }
        if run.stopping {
            self.end_run(s, "Stopped", ExecutionStatus::Stopped, now, rng);
            return None;
        }
        if phases.contains(&Phase::Failed) {
            self.end_run(s, "Failed", ExecutionStatus::Failed, now, rng);
            return None;
        }
        let pending_orders = phases
            .iter()
            .enumerate()
            .filter(|(_, p)| **p == Phase::Pending)
            .map(|(a, _)| self.decl.stages[s].actions[a].run_order.unwrap_or(1));
        if let Some(next_order) = pending_orders.min() {
            let due: Vec<usize> = phases
                .iter()
                .enumerate()
                .filter(|(a, p)| {
                    **p == Phase::Pending
                        && self.decl.stages[s].actions[*a].run_order.unwrap_or(1) == next_order
                })
                .map(|(a, _)| a)
                .collect();
            for a in due {
                self.start_action(s, a, &run, now, stacks, rng);
            }
            return None;
        }
        // Every action succeeded.
        self.stages[s].latest = Some(StageExecution {
            pipeline_execution_id: run.execution_id.to_string(),
            status: "Succeeded".to_string(),
        });
        if s < run.last_stage {
            if let Some(r) = self.run.as_mut() {
                r.stage = s + 1;
                r.entered = false;
            }
            return None;
        }
        self.end_run(s, "Succeeded", ExecutionStatus::Succeeded, now, rng);
        let done = self.executions.iter().find(|e| e.id == *run.execution_id);
        Some(Handoff {
            from: self.name().to_string(),
            revision_id: done.and_then(|e| e.revision_id.as_deref().map(str::to_string)),
            summary: done.and_then(|e| e.revision_summary.as_deref().map(str::to_string)),
        })
    }

    fn start_if_due(&mut self, now: Timestamp, rng: &mut SimRng) {
        if let Some(pos) = self.queued.iter().position(|q| q.at <= now) {
            let q = self.queued.remove(pos);
            let last = self.stages.len() - 1;
            let rate = if q.fail_region.is_some() {
                0.0
            } else {
                self.pace.update_failure_rate
            };
            self.start_execution(
                now,
                &q.trigger,
                &q.revision_id,
                &q.summary,
                (0, last),
                rate,
                q.fail_region,
                rng,
            );
            return;
        }
        if self.next_auto_start.is_some_and(|t| t <= now) {
            self.next_auto_start = None;
            let trigger = if rng.chance(0.8) {
                "Webhook"
            } else {
                "StartPipelineExecution"
            };
            let (rev, summary) = new_revision(rng);
            let last = self.stages.len() - 1;
            let rate = self.pace.update_failure_rate;
            self.start_execution(now, trigger, &rev, &summary, (0, last), rate, None, rng);
        }
    }

    fn gate_answer(&mut self, s: usize, execution_id: &str, now: Timestamp) -> GateAnswer {
        match self.gates.iter_mut().find(|g| g.stage == s) {
            Some(gate) => gate.answer(execution_id, now),
            None => GateAnswer::Enter,
        }
    }

    fn enter_stage(&mut self, s: usize, execution_id: &str) {
        self.stages[s].latest = Some(StageExecution {
            pipeline_execution_id: execution_id.to_string(),
            status: "InProgress".to_string(),
        });
        if let Some(r) = self.run.as_mut() {
            r.entered = true;
        }
    }

    fn end_run(
        &mut self,
        s: usize,
        stage_status: &str,
        status: ExecutionStatus,
        now: Timestamp,
        rng: &mut SimRng,
    ) {
        let Some(run) = self.run.take() else { return };
        if run.entered || stage_status != "Stopped" {
            self.stages[s].latest = Some(StageExecution {
                pipeline_execution_id: run.execution_id.to_string(),
                status: stage_status.to_string(),
            });
        }
        self.set_execution_status(&run.execution_id, status, now);
        if self.upstream.is_none() {
            // After a failure the team looks before pushing again.
            let (lo, hi) = if status == ExecutionStatus::Succeeded {
                self.pace.after_success_secs
            } else {
                self.pace.after_failure_secs
            };
            let wait = rng.range(lo, hi);
            self.next_auto_start = Some(now + SignedDuration::from_secs(wait));
        }
    }

    fn finish_due_actions(&mut self, s: usize, run: &Run, now: Timestamp, stacks: &[StackSim]) {
        for a in 0..self.stages[s].actions.len() {
            if self.phase(s, a, &run.execution_id) != Phase::Running {
                continue;
            }
            let Some(job) = self.stages[s].actions[a].job.clone() else {
                continue;
            };
            let outcome = if let Some(idx) = job.stack {
                let stack = &stacks[idx];
                if stack.busy() {
                    None
                } else if stack.last_update_succeeded() {
                    Some(Ok(()))
                } else {
                    let why = stack
                        .events
                        .iter()
                        .find(|e| e.status.is_failed())
                        .and_then(|e| e.reason.clone())
                        .unwrap_or_default();
                    Some(Err(format!(
                        "Stack {} in region {} failed: {}. {why}",
                        stack.name, stack.region, stack.status
                    )))
                }
            } else if job.captain_at.is_some_and(|t| t <= now) {
                // A running action always has a state; the captain signs it.
                if let Some(state) = self.stages[s].actions[a]
                    .state
                    .as_mut()
                    .map(RunState::get_mut)
                {
                    state.summary = Some(
                        "Approved by the release captain after checking the canary dashboard"
                            .into(),
                    );
                    state.last_updated_by = Some(RELEASE_CAPTAIN.to_string());
                }
                Some(Ok(()))
            } else if job.ends_at.is_some_and(|t| t <= now) {
                Some(Ok(()))
            } else {
                None
            };
            if let Some(result) = outcome {
                self.complete_action(s, a, result, now);
            }
        }
    }

    /// Ends an in-progress action with success or a failure message.
    pub fn complete_action(
        &mut self,
        s: usize,
        a: usize,
        result: Result<(), String>,
        now: Timestamp,
    ) {
        let action = &mut self.stages[s].actions[a];
        action.job = None;
        if let (Ok(()), Some(id)) = (&result, &action.execution_id) {
            action.last_success = Some((id.clone(), now));
        }
        if let Some(state) = action.state.as_mut().map(RunState::get_mut) {
            state.token = None;
            state.last_status_change = epoch(now);
            match result {
                Ok(()) => {
                    state.status = "Succeeded".to_string();
                    state.percent_complete = Some(100);
                }
                Err(message) => {
                    state.status = "Failed".to_string();
                    state.summary.get_or_insert_with(|| message.clone());
                    state.error_details = Some(ErrorDetails {
                        code: Some("JobFailed".to_string()),
                        message: Some(message),
                    });
                }
            }
        }
    }

    /// Fills the state as the given (finished) execution left it, for the
    /// history that predates the simulation.
    pub fn settle_from(&mut self, execution_id: &str, at: Timestamp, rng: &mut SimRng) {
        let shared = SharedId::from(execution_id);
        for stage in &mut self.stages {
            stage.latest = Some(StageExecution {
                pipeline_execution_id: execution_id.to_string(),
                status: "Succeeded".to_string(),
            });
            for action in &mut stage.actions {
                action.execution_id = Some(shared.clone());
                action.last_success = Some((shared.clone(), at));
                action.state = Some(RunState::from(ActionExecution {
                    action_execution_id: Some(rng.uuid()),
                    percent_complete: Some(100),
                    ..ActionExecution::with_status("Succeeded", epoch(at))
                }));
            }
        }
    }
}

/// A shared declaration written and read as the declaration itself, without
/// serde's `rc` feature (which would rebuild every crate that uses serde).
mod shared_decl {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::domain::pipeline_doc::PipelineDeclaration;

    pub(super) fn serialize<S: Serializer>(
        decl: &Arc<PipelineDeclaration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        decl.as_ref().serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Arc<PipelineDeclaration>, D::Error> {
        PipelineDeclaration::deserialize(deserializer).map(Arc::new)
    }
}
