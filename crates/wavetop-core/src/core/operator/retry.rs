//! Retrying a failed stage, its failed actions or all of them.

use super::{Proposal, owned_regions};
use crate::core::intent::Intent;
use crate::domain::fleet::{CellStatus, StageStatus, Wave};
use crate::protocol::RetryMode;

pub(super) fn propose_retry(wave: &Wave, all_actions: bool) -> Result<Proposal, String> {
    // The stage's own status decides; a failed action of a stage that
    // is running again (already retried) is not retryable.
    let failed = match wave.stage_status {
        Some(status) => status == StageStatus::Failed,
        None => wave.cells.iter().any(|c| c.status() == CellStatus::Failed),
    };
    if !failed {
        return Err(format!("{} has not failed; nothing to retry", wave.name));
    }
    let execution_id = wave
        .execution_id
        .clone()
        .ok_or("the stage's execution is not known yet")?;
    let mode = if all_actions {
        RetryMode::AllActions
    } else {
        RetryMode::FailedActions
    };
    Ok(Proposal::plain(Intent::Retry {
        pipeline: wave.pipeline.clone(),
        stage: wave.name.clone(),
        execution_id,
        mode,
        regions: owned_regions(wave),
    }))
}
