//! Stopping a pipeline's execution, letting its actions finish or abandoning them.

use super::Proposal;
use crate::core::intent::Intent;
use crate::domain::fleet::{ActionStatus, ExecutionStatus, Flow, StageStatus, Wave};

pub(super) fn propose_stop(flow: &Flow, wave: &Wave, abandon: bool) -> Result<Proposal, String> {
    let execution_id = running_execution(flow, wave, abandon)
        .ok_or_else(|| format!("no execution of {} is in progress", wave.pipeline))?;
    Ok(Proposal::plain(Intent::Stop {
        pipeline: wave.pipeline.clone(),
        execution_id,
        abandon,
    }))
}

/// The execution a stop acts on: the wave's while it runs, else the
/// pipeline's running one. An execution already stopping (its actions left
/// to finish) can still be abandoned, as CodePipeline allows.
fn running_execution(flow: &Flow, wave: &Wave, abandon: bool) -> Option<String> {
    if (wave.stage_status == Some(StageStatus::InProgress)
        || wave
            .cells
            .iter()
            .flat_map(|c| &c.actions)
            .any(|a| a.status == ActionStatus::InProgress))
        && let Some(id) = &wave.execution_id
    {
        return Some(id.clone());
    }
    flow.executions
        .iter()
        .find(|e| {
            e.pipeline == wave.pipeline
                && (e.status == ExecutionStatus::InProgress
                    || (abandon && e.status == ExecutionStatus::Stopping))
        })
        .map(|e| e.id.to_string())
}
