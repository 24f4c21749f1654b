//! Holding a wave: disabling the transition into its stage, for as long as
//! the operator wants or until a region's off-hours window opens.

use jiff::civil::DateTime;

use super::window::{WindowWait, next_window_opening};
use super::{OperatorCtx, Proposal, owned_regions};
use crate::core::intent::Intent;
use crate::domain::fleet::{Flow, Wave};
use crate::domain::hold_schedule::{HoldSchedule, ScheduleSeen};

/// A hold on the wave; with `until_window_of`, one that ends when that
/// region's window next opens.
pub(super) fn propose_hold(
    ctx: &OperatorCtx,
    flow: &Flow,
    wave: &Wave,
    until_window_of: Option<&str>,
) -> Result<Proposal, String> {
    if !wave.transition.enabled {
        return match until_window_of.and_then(|_| propose_move(ctx, wave)) {
            Some(proposal) => Ok(proposal),
            None => Err(format!("{} is already held", wave.name)),
        };
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

/// For a held wave whose schedule fires on a freeze date added since it was
/// placed: the schedule made again for the window's next opening. `None`
/// when there is nothing to move (no schedule read, or none on a freeze).
fn propose_move(ctx: &OperatorCtx, wave: &Wave) -> Option<Proposal> {
    let scheduler = ctx.scheduler?;
    let ScheduleSeen::Scheduled(seen) = &wave.schedule else {
        return None;
    };
    let regions = wave.regions();
    if !seen.falls_on_freeze(ctx.windows, &regions) {
        return None;
    }
    let (region, window) = regions.iter().find_map(|r| {
        let w = ctx.windows.get(r)?;
        (w.time_zone() == Some(seen.time_zone.as_str())).then_some((*r, w))
    })?;
    let fires = seen
        .at
        .parse::<DateTime>()
        .ok()?
        .to_zoned(window.zone().clone())
        .ok()?
        .timestamp();
    let until = window.thawed_opening(fires)?;
    let schedule = HoldSchedule::for_hold(
        scheduler,
        ctx.windows,
        region,
        &wave.pipeline,
        &wave.name,
        until,
    )?;
    Some(Proposal::plain(Intent::MoveHoldSchedule {
        pipeline: wave.pipeline.clone(),
        stage: wave.name.clone(),
        was: seen.short(),
        until,
        schedule,
    }))
}
