//! Operate calls applied to the world the way AWS applies them, with the
//! errors AWS answers when a call does not fit the current state.

use jiff::Timestamp;

use super::pipeline::{PipelineSim, epoch};
use super::run_state::RunState;
use super::scheduler::{SimSchedule, instant_of};
use super::world::SimWorld;
use crate::domain::conditions::ConditionKind;
use crate::domain::fleet::{ExecutionStatus, RollbackOf};
use crate::domain::pipeline_doc::{StageExecution, TransitionState};
use crate::domain::pipeline_limits::{
    MAX_APPROVAL_SUMMARY, MAX_TRANSITION_REASON, is_valid_transition_reason,
};
use crate::protocol::{OperateCall, OperateOutcome, RetryMode, SourceError};

/// Who the simulator's operate calls are made as.
pub const SIM_IDENTITY: &str = "arn:aws:sts::111111111111:assumed-role/OnCall/demo-operator";

impl SimWorld {
    pub fn operate(
        &mut self,
        call: OperateCall,
        identity: &str,
    ) -> Result<OperateOutcome, SourceError> {
        let now = self.now;
        let detail = match call {
            OperateCall::PutApprovalResult {
                pipeline,
                stage,
                action,
                approved,
                summary,
            } => put_approval(
                self.pipeline_found(&pipeline)?,
                Answer {
                    stage: &stage,
                    action: &action,
                    approved,
                    summary: &summary,
                    identity,
                },
                now,
            )?,
            OperateCall::RetryStageExecution {
                pipeline,
                stage,
                execution_id,
                mode,
            } => retry(
                self.pipeline_found(&pipeline)?,
                &stage,
                &execution_id,
                mode,
                now,
            )?,
            OperateCall::DisableStageTransition {
                pipeline,
                stage,
                reason,
            } => {
                validate_reason(&reason)?;
                let p = self.pipeline_found(&pipeline)?;
                set_transition(p, &stage, Some(reason), identity, now)?
            }
            OperateCall::EnableStageTransition { pipeline, stage } => {
                set_transition(self.pipeline_found(&pipeline)?, &stage, None, identity, now)?
            }
            OperateCall::StopPipelineExecution {
                pipeline,
                execution_id,
                abandon,
                reason: _,
            } => stop(self.pipeline_found(&pipeline)?, &execution_id, abandon, now)?,
            OperateCall::RollbackStage {
                pipeline,
                stage,
                target_execution_id,
            } => {
                let p = self
                    .pipelines
                    .iter()
                    .position(|p| p.name() == pipeline)
                    .ok_or_else(|| no_pipeline(&pipeline))?;
                rollback(
                    &mut self.pipelines[p],
                    &stage,
                    &target_execution_id,
                    now,
                    &mut self.rng,
                )?
            }
            OperateCall::OverrideStageCondition {
                pipeline,
                stage,
                execution_id,
                condition,
            } => {
                let p = self.pipeline_found(&pipeline)?;
                let s = stage_index(p, &stage)?;
                let gate = p
                    .gates
                    .iter_mut()
                    .find(|g| g.stage == s)
                    .filter(|_| condition == ConditionKind::BeforeEntry)
                    .ok_or_else(|| {
                        SourceError::Conflict(format!(
                            "ConditionNotOverridableException: {stage} has no {} condition \
                             in progress",
                            condition.label()
                        ))
                    })?;
                gate.override_for(&execution_id, now, identity)?
            }
            OperateCall::SetHealthCheckInverted {
                health_check_id,
                inverted,
            } => {
                let check = self
                    .checks
                    .iter_mut()
                    .find(|c| c.id == health_check_id)
                    .ok_or_else(|| {
                        SourceError::NotFound(format!(
                            "No health check exists with the specified ID {health_check_id}"
                        ))
                    })?;
                check.set_inverted(inverted, now);
                format!(
                    "health check {health_check_id} ({}) {}",
                    check.region,
                    if inverted {
                        "inverted"
                    } else {
                        "no longer inverted"
                    }
                )
            }
            OperateCall::CreateHoldSchedule {
                pipeline,
                stage,
                name,
                group,
                role_arn: _,
                at_local,
                time_zone,
            } => {
                let at = instant_of(&at_local, &time_zone)?;
                stage_index(self.pipeline_found(&pipeline)?, &stage)?;
                self.put_schedule(SimSchedule {
                    name,
                    group,
                    pipeline,
                    stage,
                    at,
                    at_local,
                    time_zone,
                })
            }
            OperateCall::DeleteHoldSchedule { name, group, .. } => {
                self.delete_schedule(&name, &group)
            }
        };
        Ok(OperateOutcome { detail })
    }

    /// EnableStageTransition as a hold's schedule makes it, as `identity`.
    pub(super) fn enable_by_schedule(
        &mut self,
        pipeline: &str,
        stage: &str,
        identity: &str,
    ) -> Result<String, SourceError> {
        let now = self.now;
        set_transition(self.pipeline_found(pipeline)?, stage, None, identity, now)
    }

    fn pipeline_found(&mut self, name: &str) -> Result<&mut PipelineSim, SourceError> {
        self.pipeline_mut(name).ok_or_else(|| no_pipeline(name))
    }
}

fn no_pipeline(name: &str) -> SourceError {
    SourceError::NotFound(format!(
        "PipelineNotFoundException: pipeline {name} does not exist"
    ))
}

fn stage_index(p: &PipelineSim, stage: &str) -> Result<usize, SourceError> {
    p.stage_index(stage).ok_or_else(|| {
        SourceError::NotFound(format!(
            "StageNotFoundException: stage {stage} does not exist in {}",
            p.name()
        ))
    })
}

/// An operator's answer to a manual gate.
struct Answer<'a> {
    stage: &'a str,
    action: &'a str,
    approved: bool,
    summary: &'a str,
    identity: &'a str,
}

fn put_approval(
    p: &mut PipelineSim,
    answer: Answer,
    now: Timestamp,
) -> Result<String, SourceError> {
    let Answer {
        stage,
        action,
        approved,
        summary,
        identity,
    } = answer;
    if summary.chars().count() > MAX_APPROVAL_SUMMARY {
        return Err(SourceError::Other(format!(
            "ValidationException: the approval summary must be at most {MAX_APPROVAL_SUMMARY} characters"
        )));
    }
    let s = stage_index(p, stage)?;
    let a = p.decl.stages[s]
        .actions
        .iter()
        .position(|d| d.name == action && &*d.action_type_id.category == "Approval")
        .ok_or_else(|| {
            SourceError::NotFound(format!(
                "ActionNotFoundException: no approval action {action} in {stage}"
            ))
        })?;
    // Answered during the pipeline's newest execution: already completed.
    // Anything else has no token to answer with.
    let action_sim = &p.stages[s].actions[a];
    let newest = p.executions.first().map(|e| e.id.as_str());
    let state = action_sim.state.as_ref();
    match state.map(|st| (st.status(), st.has_token())) {
        Some(("InProgress", true)) => {}
        Some(("Succeeded" | "Failed" | "Abandoned", _))
            if action_sim.execution_id.as_deref() == newest =>
        {
            return Err(SourceError::ApprovalAlreadyCompleted(format!(
                "ApprovalAlreadyCompletedException: {stage}/{action} was already answered"
            )));
        }
        _ => {
            return Err(SourceError::InvalidApprovalToken(format!(
                "InvalidApprovalTokenException: {stage}/{action} is not waiting for approval"
            )));
        }
    }
    if let Some(st) = p.stages[s].actions[a].state.as_mut().map(RunState::get_mut) {
        st.summary = Some(summary.to_string());
        st.last_updated_by = Some(identity.to_string());
    }
    let result = if approved {
        Ok(())
    } else {
        Err(format!("Rejected: {summary}"))
    };
    p.complete_action(s, a, result, now);
    Ok(format!(
        "{} {}/{}/{action}",
        if approved { "approved" } else { "rejected" },
        p.name(),
        stage
    ))
}

fn retry(
    p: &mut PipelineSim,
    stage: &str,
    execution_id: &str,
    mode: RetryMode,
    now: Timestamp,
) -> Result<String, SourceError> {
    let s = stage_index(p, stage)?;
    let latest = p.stages[s].latest.clone();
    let Some(latest) = latest else {
        return Err(SourceError::StageNotRetryable(format!(
            "{stage} has not run"
        )));
    };
    if latest.pipeline_execution_id != execution_id {
        return Err(SourceError::NotLatestExecution(format!(
            "NotLatestPipelineExecutionException: {execution_id} is not the latest execution of {stage}"
        )));
    }
    if latest.status != "Failed" {
        return Err(SourceError::StageNotRetryable(format!(
            "StageNotRetryableException: {stage} is {}, only a failed stage can be retried",
            latest.status
        )));
    }
    if p.run.is_some() {
        return Err(SourceError::Conflict(format!(
            "another execution of {} is in progress",
            p.name()
        )));
    }
    for action in &mut p.stages[s].actions {
        let failed = action.execution_id.as_deref() == Some(execution_id)
            && action
                .state
                .as_ref()
                .is_some_and(|st| st.status() != "Succeeded");
        if mode == RetryMode::AllActions || failed {
            action.execution_id = None;
        }
    }
    let last_stage = match p.executions.iter().find(|e| e.id == execution_id) {
        Some(e) if e.trigger == "RollbackStage" => s,
        _ => p.stages.len() - 1,
    };
    p.stages[s].latest = Some(StageExecution {
        pipeline_execution_id: execution_id.to_string(),
        status: "InProgress".to_string(),
    });
    if let Some(e) = p.execution_mut(execution_id) {
        e.status = ExecutionStatus::InProgress;
        e.updated_at = now;
    }
    p.next_auto_start = None;
    p.run = Some(super::pipeline::Run {
        execution_id: execution_id.into(),
        stage: s,
        last_stage,
        entered: true,
        stopping: false,
        failure_rate: 0.05,
        fail_region: None,
    });
    Ok(format!(
        "retrying {}/{stage} ({mode:?}) for {execution_id}",
        p.name()
    ))
}

/// DisableStageTransition refuses a reason outside its documented pattern.
fn validate_reason(reason: &str) -> Result<(), SourceError> {
    if !is_valid_transition_reason(reason) {
        return Err(SourceError::Other(format!(
            "ValidationException: reason must be 1-{MAX_TRANSITION_REASON} characters of letters, digits, spaces and !@().*?-"
        )));
    }
    Ok(())
}

fn set_transition(
    p: &mut PipelineSim,
    stage: &str,
    disabled_reason: Option<String>,
    identity: &str,
    now: Timestamp,
) -> Result<String, SourceError> {
    let s = stage_index(p, stage)?;
    let name = p.name().to_string();
    let Some(t) = p.stages[s].transition.as_mut() else {
        return Err(SourceError::Conflict(format!(
            "{stage} is the first stage of {name} and has no inbound transition"
        )));
    };
    let enabled = disabled_reason.is_none();
    *t = TransitionState {
        enabled,
        last_changed_by: Some(identity.to_string()),
        last_changed_at: epoch(now),
        disabled_reason,
    };
    Ok(format!(
        "{} transition into {name}/{stage}",
        if enabled { "enabled" } else { "disabled" }
    ))
}

fn stop(
    p: &mut PipelineSim,
    execution_id: &str,
    abandon: bool,
    now: Timestamp,
) -> Result<String, SourceError> {
    if p.executions.iter().all(|e| e.id != execution_id) {
        return Err(SourceError::NotFound(format!(
            "PipelineExecutionNotFoundException: {execution_id} is not an execution of {}",
            p.name()
        )));
    }
    let run = match p.run.clone() {
        // A stopping execution may still be abandoned.
        Some(run) if *run.execution_id == *execution_id && (!run.stopping || abandon) => run,
        _ => {
            return Err(SourceError::Conflict(format!(
                "PipelineExecutionNotStoppableException: {execution_id} is not in progress"
            )));
        }
    };
    let s = run.stage;
    let name = p.name().to_string();
    let set_status = |p: &mut PipelineSim, status: ExecutionStatus| {
        if let Some(e) = p.execution_mut(execution_id) {
            e.status = status;
            e.updated_at = now;
        }
    };
    // Running actions are abandoned at once when asked to, approvals always:
    // nobody would ever finish them.
    let mut still_running = false;
    for a in 0..p.stages[s].actions.len() {
        let action = &mut p.stages[s].actions[a];
        let running = action.execution_id.as_deref() == Some(execution_id)
            && action
                .state
                .as_ref()
                .is_some_and(|st| st.status() == "InProgress");
        if !running {
            continue;
        }
        let is_approval =
            p.decl.stages[s].actions[a].action_type_id.category.as_ref() == "Approval";
        if abandon || is_approval {
            let action = &mut p.stages[s].actions[a];
            action.job = None;
            if let Some(st) = action.state.as_mut().map(RunState::get_mut) {
                st.status = "Abandoned".to_string();
                st.token = None;
                st.last_status_change = epoch(now);
            }
        } else {
            still_running = true;
        }
    }
    if still_running {
        if let Some(r) = p.run.as_mut() {
            r.stopping = true;
        }
        p.stages[s].latest = Some(StageExecution {
            pipeline_execution_id: execution_id.to_string(),
            status: "Stopping".to_string(),
        });
        set_status(p, ExecutionStatus::Stopping);
        return Ok(format!(
            "stopping {name} execution {execution_id} once running actions finish"
        ));
    }
    p.run = None;
    if run.entered {
        p.stages[s].latest = Some(StageExecution {
            pipeline_execution_id: execution_id.to_string(),
            status: "Stopped".to_string(),
        });
    }
    set_status(p, ExecutionStatus::Stopped);
    Ok(format!("stopped {name} execution {execution_id}"))
}

fn rollback(
    p: &mut PipelineSim,
    stage: &str,
    target: &str,
    now: Timestamp,
    rng: &mut super::rng::SimRng,
) -> Result<String, SourceError> {
    let s = stage_index(p, stage)?;
    let target_exec = p
        .executions
        .iter()
        .find(|e| e.id == target)
        .cloned()
        .ok_or_else(|| {
            SourceError::NotFound(format!(
                "PipelineExecutionNotFoundException: {target} is not an execution of {}",
                p.name()
            ))
        })?;
    if target_exec.status != ExecutionStatus::Succeeded {
        return Err(SourceError::Conflict(format!(
            "UnableToRollbackStageException: target execution {target} did not succeed"
        )));
    }
    if p.run.is_some() {
        return Err(SourceError::Conflict(format!(
            "UnableToRollbackStageException: {} has an execution in progress",
            p.name()
        )));
    }
    let summary = format!(
        "Rollback to {target}: {}",
        target_exec.revision_summary.as_deref().unwrap_or("")
    );
    let id = p.start_execution(
        now,
        "RollbackStage",
        target_exec.revision_id.as_deref().unwrap_or(""),
        &summary,
        (s, s),
        0.0,
        None,
        rng,
    );
    if let Some(e) = p.execution_mut(&id) {
        e.rollback = Some(RollbackOf {
            target_execution_id: Some(target.to_string()),
        });
    }
    Ok(format!(
        "rolling back {}/{stage} to {target} as execution {id}",
        p.name()
    ))
}
