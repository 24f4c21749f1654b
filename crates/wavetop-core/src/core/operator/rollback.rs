//! Rolling a stage back to the pipeline's previous successful execution.

use super::{Proposal, owned_regions};
use crate::core::intent::Intent;
use crate::domain::fleet::{ExecutionStatus, Flow, Wave};

pub(super) fn propose_rollback(flow: &Flow, wave: &Wave) -> Result<Proposal, String> {
    if wave.pre_deploy {
        return Err(format!("{} deploys nothing to roll back", wave.name));
    }
    let current = wave.execution_id.as_deref();
    let target = flow
        .executions
        .iter()
        .filter(|e| e.pipeline == wave.pipeline && e.status == ExecutionStatus::Succeeded)
        .find(|e| Some(e.id.as_str()) != current)
        .ok_or_else(|| {
            format!(
                "no earlier successful execution of {} to roll back to",
                wave.pipeline
            )
        })?;
    Ok(Proposal::plain(Intent::Rollback {
        pipeline: wave.pipeline.clone(),
        stage: wave.name.clone(),
        target_execution_id: target.id.to_string(),
        regions: owned_regions(wave),
    }))
}
