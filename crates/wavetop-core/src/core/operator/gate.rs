//! Manual gates: approve, reject, or approve when the region's window opens.

use super::window::{WindowWait, next_window_opening};
use super::{OperatorCtx, Proposal};
use crate::core::intent::Intent;
use crate::domain::fleet::{Action, Wave};

pub(super) fn propose_approve(wave: &Wave, region: &str) -> Result<Proposal, String> {
    let gate = waiting_gate(wave, region)?;
    Ok(Proposal::plain(Intent::Approve {
        pipeline: wave.pipeline.clone(),
        stage: wave.name.clone(),
        action: gate.name.to_string(),
        region: region.to_string(),
    }))
}

pub(super) fn propose_reject(wave: &Wave, region: &str) -> Result<Proposal, String> {
    let gate = waiting_gate(wave, region)?;
    Ok(Proposal::plain(Intent::Reject {
        pipeline: wave.pipeline.clone(),
        stage: wave.name.clone(),
        action: gate.name.to_string(),
        region: region.to_string(),
    }))
}

pub(super) fn propose_approve_at_window(
    ctx: &OperatorCtx,
    wave: &Wave,
    region: &str,
) -> Result<Proposal, String> {
    let gate = waiting_gate(wave, region)?;
    let at = next_window_opening(ctx.windows, region, ctx.now).map_err(|wait| match wait {
        WindowWait::NeverOpens => wait.describe(region),
        _ => format!("{}; approve now instead", wait.describe(region)),
    })?;
    Ok(Proposal::plain(Intent::ApproveAtWindow {
        pipeline: wave.pipeline.clone(),
        stage: wave.name.clone(),
        action: gate.name.to_string(),
        region: region.to_string(),
        at,
    }))
}

/// The gate waiting for an answer in the wave's region, once its approval
/// token has been read (the answer is sent with it).
fn waiting_gate<'w>(wave: &'w Wave, region: &str) -> Result<&'w Action, String> {
    let cell = wave
        .cell(region)
        .ok_or_else(|| format!("{} does not deploy {region}", wave.name))?;
    let gate = cell
        .pending_approval()
        .ok_or_else(|| format!("no manual gate is waiting in {} / {region}", wave.name))?;
    if !gate.approval.as_ref().is_some_and(|a| a.token_present) {
        return Err("the gate has no approval token yet; wait for the next refresh".into());
    }
    Ok(gate)
}
