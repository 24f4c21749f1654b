//! Releasing a held wave, by hand or because its hold's time has come.

use jiff::Timestamp;

use super::{Proposal, owned_regions};
use crate::core::intent::Intent;
use crate::domain::fleet::{Fleet, Wave};
use crate::domain::hold_reason::decode_hold;
use crate::domain::hold_schedule::{HoldScheduler, ScheduleRef};
use crate::domain::window::Windows;

/// A release by hand; with `[scheduler]`, a hold placed until a window also
/// loses its schedule, so it cannot open the stage again later.
pub(super) fn propose_release(
    scheduler: Option<&HoldScheduler>,
    wave: &Wave,
) -> Result<Proposal, String> {
    if wave.transition.enabled {
        return Err(format!("{} is not held", wave.name));
    }
    let schedule = scheduler
        .filter(|_| hold_ends(wave).is_some())
        .map(|s| ScheduleRef::of_hold(s, &wave.pipeline, &wave.name));
    Ok(Proposal::plain(Intent::Release {
        pipeline: wave.pipeline.clone(),
        stage: wave.name.clone(),
        regions: owned_regions(wave),
        schedule,
    }))
}

/// The releases of holds whose stored reason says they end at or before
/// `now`. The time travels in the reason AWS keeps, so any wavetop (the
/// console with auto_release on, or `enforce`) can lift a hold on time. A
/// hold whose end falls on a freeze date of one of its regions' windows
/// (added after it was placed) waits for that window's next opening:
/// nothing is released on a freeze date.
pub fn due_releases(fleet: &Fleet, windows: &Windows, now: Timestamp) -> Vec<Intent> {
    fleet
        .flows
        .iter()
        .flat_map(|flow| &flow.waves)
        .filter(|wave| {
            !wave.transition.enabled
                && hold_ends(wave).is_some_and(|u| thawed_end(wave, windows, u) <= now)
        })
        .map(|wave| Intent::Release {
            pipeline: wave.pipeline.clone(),
            stage: wave.name.clone(),
            regions: wave.regions().iter().map(|r| r.to_string()).collect(),
            // Due now: its schedule fires (and deletes itself) on its own.
            schedule: None,
        })
        .collect()
}

/// When a hold that ends at `until` is released: `until`, or the latest of
/// the next openings of the wave's regions' windows that freeze that date.
pub(super) fn thawed_end(wave: &Wave, windows: &Windows, until: Timestamp) -> Timestamp {
    wave.regions()
        .iter()
        .filter_map(|r| windows.get(r))
        .filter_map(|w| w.thawed_opening(until))
        .fold(until, Timestamp::max)
}

/// When the wave's hold ends, if wavetop placed it with an end time.
fn hold_ends(wave: &Wave) -> Option<Timestamp> {
    wave.transition
        .disabled_reason
        .as_deref()
        .and_then(decode_hold)
        .and_then(|h| h.until)
}

#[cfg(test)]
#[path = "release_tests.rs"]
mod tests;
