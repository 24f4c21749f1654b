//! Holding a wave: disabling the transition into its stage, for as long as
//! the operator wants or until a region's off-hours window opens.

use super::window::{WindowWait, next_window_opening};
use super::{OperatorCtx, Proposal, owned_regions};
use crate::core::intent::Intent;
use crate::domain::fleet::{Flow, Wave};
use crate::domain::hold_schedule::HoldSchedule;

/// A hold on the wave; with `until_window_of`, one that ends when that
/// region's window next opens.
pub(super) fn propose_hold(
    ctx: &OperatorCtx,
    flow: &Flow,
    wave: &Wave,
    until_window_of: Option<&str>,
) -> Result<Proposal, String> {
    if !wave.transition.enabled {
        return Err(format!("{} is already held", wave.name));
    }
    if flow.pipelines.is_empty() {
        return Err("stacks deployed outside a pipeline cannot be held".into());
    }
    let until = until_window_of
        .map(|region| {
            next_window_opening(ctx.windows, region, ctx.now).map_err(|wait| match wait {
                WindowWait::OpenNow => format!("{}: nothing to wait for", wait.describe(region)),
                _ => wait.describe(region),
            })
        })
        .transpose()?;
    let schedule = match (ctx.scheduler, until_window_of, until) {
        (Some(scheduler), Some(region), Some(at)) => HoldSchedule::for_hold(
            scheduler,
            ctx.windows,
            region,
            &wave.pipeline,
            &wave.name,
            at,
        ),
        _ => None,
    };
    let regions = owned_regions(wave);
    let mut warnings = Vec::new();
    if regions.len() > 1 {
        warnings.push(format!(
            "CodePipeline holds a whole stage: {} regions stop together",
            regions.len()
        ));
    }
    Ok(Proposal {
        intent: Intent::Hold {
            pipeline: wave.pipeline.clone(),
            stage: wave.name.clone(),
            regions,
            until,
            schedule,
        },
        warnings,
    })
}
