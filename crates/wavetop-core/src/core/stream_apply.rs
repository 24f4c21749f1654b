//! What a change-stream event says, merged into the model without a read.
//! An action's, stage's or execution's new state, or a stack's new status,
//! is the whole fact when the event names something the model already
//! knows: the same execution, the same stage, the same action. What it
//! cannot say (a new execution's layout, a failure's message, a waiting
//! approval's token) leaves the model alone and asks for a re-read. A
//! stack's or resource's new status is merged by [`super::stream_stacks`].
//! Pure: the event's own time stamps what it changes.

use jiff::Timestamp;

use super::model::Model;
use super::stream_stacks::{StackChange, apply_stack_change};
use crate::domain::fleet::{ActionStatus, ExecutionStatus, Flow, StageStatus, Wave};
use crate::domain::stream_event::{Change, StreamEvent};

/// What merging an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The model now shows what the event says.
    Merged,
    /// The model already shows it, or the console does not show that thing.
    Nothing,
    /// The event says too little: what emitted it is to be read again.
    Reread,
}

/// Merges one event into the model, or says it needs a read.
pub fn apply_event(model: &mut Model, event: &StreamEvent) -> Applied {
    match &event.change {
        Change::Pipeline {
            pipeline,
            execution_id,
            stage,
            action,
            state,
        } => {
            let Some(flow) = model
                .fleet
                .flows
                .iter_mut()
                .find(|f| f.pipelines.iter().any(|p| p.name == *pipeline))
            else {
                return Applied::Nothing;
            };
            // A read at or after the event's time already holds it; a late
            // event must not take the cell back.
            if event.seen_by_read_at(flow.fetched_at) {
                return Applied::Nothing;
            }
            let Some(execution_id) = execution_id else {
                return Applied::Reread;
            };
            let at = Some(event.time);
            match (stage, action) {
                (Some(stage), Some(action)) => {
                    apply_action(flow, pipeline, execution_id, stage, action, state, at)
                }
                (Some(stage), None) => apply_stage(flow, pipeline, execution_id, stage, state),
                (None, _) => apply_execution(flow, pipeline, execution_id, state, event.time),
            }
        }
        // A resource's event says all there is to say of it; the stack's
        // event list is read with the stack at reconciliation.
        Change::Stack {
            stack,
            resource,
            resource_type,
            status,
            reason,
        } => {
            let events_kept = model.limits.stack_events;
            let Some(known) = model
                .fleet
                .stacks
                .iter_mut()
                .find(|s| s.name == *stack && s.region == event.region)
            else {
                return Applied::Nothing;
            };
            let change = StackChange {
                event_id: &event.id,
                time: event.time,
                resource: resource.as_deref(),
                resource_type: resource_type.as_deref(),
                status,
                reason: reason.as_deref(),
            };
            apply_stack_change(known, &change, events_kept)
        }
        Change::Alarm { .. } => Applied::Reread,
    }
}

/// The stage's wave, if it is running the event's execution. Else what to
/// do: nothing for a stage the console does not show; a read for an
/// execution the stage has not been seen running (its layout, earlier runs
/// and revision come with a read).
fn running_wave<'f>(
    flow: &'f mut Flow,
    pipeline: &str,
    stage: &str,
    execution_id: &str,
) -> Result<&'f mut Wave, Applied> {
    let wave = flow
        .waves
        .iter_mut()
        .find(|w| w.pipeline == pipeline && w.name == stage)
        .ok_or(Applied::Nothing)?;
    if wave.execution_id.as_deref() != Some(execution_id) {
        return Err(Applied::Reread);
    }
    Ok(wave)
}

fn apply_action(
    flow: &mut Flow,
    pipeline: &str,
    execution_id: &str,
    stage: &str,
    action: &str,
    state: &str,
    at: Option<Timestamp>,
) -> Applied {
    let wave = match running_wave(flow, pipeline, stage, execution_id) {
        Ok(wave) => wave,
        Err(applied) => return applied,
    };
    let Some(status) = action_status(state) else {
        return Applied::Reread;
    };
    let Some(found) = wave
        .cells
        .iter_mut()
        .flat_map(|c| c.actions.iter_mut())
        .find(|a| a.name == action)
    else {
        return Applied::Reread;
    };
    // A failure's message and a waiting approval's token are not in the event.
    let waiting_gate = found.category == "Approval" && status == ActionStatus::InProgress;
    if status == ActionStatus::Failed || waiting_gate {
        return Applied::Reread;
    }
    if found.status == status {
        return Applied::Nothing;
    }
    found.status = status;
    found.earlier = None;
    found.error = None;
    if status == ActionStatus::InProgress {
        found.started_at = at;
        found.ended_at = None;
    } else {
        found.ended_at = at;
    }
    Applied::Merged
}

fn apply_stage(
    flow: &mut Flow,
    pipeline: &str,
    execution_id: &str,
    stage: &str,
    state: &str,
) -> Applied {
    let wave = match running_wave(flow, pipeline, stage, execution_id) {
        Ok(wave) => wave,
        Err(applied) => return applied,
    };
    let Some(status) = stage_status(state) else {
        return Applied::Reread;
    };
    if wave.stage_status == Some(status) {
        return Applied::Nothing;
    }
    wave.stage_status = Some(status);
    Applied::Merged
}

fn apply_execution(
    flow: &mut Flow,
    pipeline: &str,
    execution_id: &str,
    state: &str,
    at: Timestamp,
) -> Applied {
    let Some(execution) = flow
        .executions
        .iter_mut()
        .find(|e| e.pipeline == pipeline && e.id == execution_id)
    else {
        // A new execution: its trigger and revision come with a read.
        return Applied::Reread;
    };
    let Some(status) = execution_status(state) else {
        return Applied::Reread;
    };
    if execution.status == status {
        return Applied::Nothing;
    }
    execution.status = status;
    execution.updated_at = at;
    Applied::Merged
}

/// EventBridge's action states (`STARTED`, `SUCCEEDED`, ...).
fn action_status(state: &str) -> Option<ActionStatus> {
    Some(match state {
        "STARTED" => ActionStatus::InProgress,
        "SUCCEEDED" => ActionStatus::Succeeded,
        "FAILED" => ActionStatus::Failed,
        "ABANDONED" | "CANCELED" => ActionStatus::Abandoned,
        _ => return None,
    })
}

fn stage_status(state: &str) -> Option<StageStatus> {
    Some(match state {
        "STARTED" | "RESUMED" => StageStatus::InProgress,
        "SUCCEEDED" => StageStatus::Succeeded,
        "FAILED" => StageStatus::Failed,
        "CANCELED" => StageStatus::Cancelled,
        "STOPPED" => StageStatus::Stopped,
        "STOPPING" => StageStatus::Stopping,
        _ => return None,
    })
}

fn execution_status(state: &str) -> Option<ExecutionStatus> {
    Some(match state {
        "STARTED" | "RESUMED" => ExecutionStatus::InProgress,
        "SUCCEEDED" => ExecutionStatus::Succeeded,
        "FAILED" => ExecutionStatus::Failed,
        "CANCELED" => ExecutionStatus::Cancelled,
        "STOPPED" => ExecutionStatus::Stopped,
        "STOPPING" => ExecutionStatus::Stopping,
        "SUPERSEDED" => ExecutionStatus::Superseded,
        _ => return None,
    })
}
