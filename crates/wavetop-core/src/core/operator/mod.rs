//! Turning an operator action on a target into an intent, or saying plainly
//! why it cannot apply there.
//!
//! The rules read an [`OperatorCtx`] (the fleet, the windows, the clock and
//! the lag threshold), never the console's model: the console builds one from
//! its model, headless from the fleet it has just read. One file per family
//! of actions.

mod console;
mod ctx;
mod dns;
mod gate;
mod hold;
mod override_condition;
mod release;
mod retry;
mod rollback;
mod stop;
mod window;

pub use console::{propose, selected_target};
pub use ctx::OperatorCtx;
pub use dns::{propose_drain, propose_restore};
pub use release::due_releases;
pub use window::{WindowWait, next_window_opening};

use super::action::ActionName;
use super::intent::Intent;
use crate::domain::fleet::Wave;

/// An intent ready for confirmation, with the warnings to show in the dialog.
pub struct Proposal {
    pub intent: Intent,
    pub warnings: Vec<String>,
}

impl Proposal {
    /// An intent with nothing to warn about.
    pub fn plain(intent: Intent) -> Proposal {
        Proposal {
            intent,
            warnings: Vec::new(),
        }
    }
}

/// Where an action applies: a flow, one of its waves, and a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub flow: String,
    pub wave: usize,
    pub region: String,
}

/// An action on an explicit target (the console's selection, or what a
/// headless command names on its command line).
pub fn propose_for(
    ctx: &OperatorCtx,
    action: ActionName,
    target: &Target,
    force: bool,
) -> Result<Proposal, String> {
    // Draining acts on a region's DNS records, whatever pipeline is targeted.
    match action {
        ActionName::Drain => return propose_drain(ctx, &target.region, force),
        ActionName::Restore => return propose_restore(ctx, &target.region),
        _ => {}
    }
    let flow = ctx
        .fleet
        .flow(&target.flow)
        .ok_or_else(|| format!("no pipeline named {}", target.flow))?;
    let wave = flow.waves.get(target.wave).ok_or("no such wave")?;
    let region = target.region.as_str();
    match action {
        ActionName::Approve => gate::propose_approve(wave, region),
        ActionName::Reject => gate::propose_reject(wave, region),
        ActionName::ApproveAtWindow => gate::propose_approve_at_window(ctx, wave, region),
        ActionName::RetryFailed => retry::propose_retry(wave, false),
        ActionName::RetryAll => retry::propose_retry(wave, true),
        ActionName::Hold => hold::propose_hold(ctx, flow, wave, None),
        ActionName::HoldUntilWindow => hold::propose_hold(ctx, flow, wave, Some(region)),
        ActionName::Release => release::propose_release(ctx.scheduler, wave),
        ActionName::Stop => stop::propose_stop(flow, wave, false),
        ActionName::StopAbandon => stop::propose_stop(flow, wave, true),
        ActionName::Rollback => rollback::propose_rollback(flow, wave),
        ActionName::OverrideCondition => override_condition::propose_override(ctx, wave, region),
        other => Err(format!("{} is not an operator action", other.as_str())),
    }
}

/// Regions a wave deploys (pre-deploy rows included, in column order).
fn owned_regions(wave: &Wave) -> Vec<String> {
    wave.cells
        .iter()
        .filter(|c| !c.actions.is_empty())
        .map(|c| c.region.to_string())
        .collect()
}
