//! Which hold-schedule polls run, and what their answers mean for the held
//! waves. With `[scheduler]` configured, every account and home region with
//! a held stage gets one key naming the schedules of its holds; a fleet with
//! nothing held registers nothing and pays nothing.

use std::collections::BTreeMap;

use super::model::Model;
use crate::domain::fleet::{Fleet, Flow, Wave};
use crate::domain::hold_schedule::{HoldScheduler, ScheduleSeen, ScheduledOpening, schedule_name};
use crate::poll::endpoint::Endpoint;
use crate::protocol::{PollKey, SourceError};

/// The key each (account, home region) with held stages needs.
pub fn hold_schedule_keys(fleet: &Fleet, scheduler: &HoldScheduler) -> Vec<PollKey> {
    let mut names: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for flow in &fleet.flows {
        for wave in flow.waves.iter().filter(|w| !w.transition.enabled) {
            let Some(pipeline) = flow.pipelines.iter().find(|p| p.name == wave.pipeline) else {
                continue;
            };
            names
                .entry((pipeline.account.clone(), pipeline.home_region.clone()))
                .or_default()
                .push(schedule_name(&wave.pipeline, &wave.name));
        }
    }
    names
        .into_iter()
        .map(|((account, region), mut names)| {
            names.sort();
            names.dedup();
            PollKey::HoldSchedules {
                account,
                region,
                group: scheduler.group.clone(),
                names,
            }
        })
        .collect()
}

/// Keeps the hold-schedule keys in step with the holds the fleet shows:
/// a new hold is a new key, read within the first spread.
pub(super) fn follow_holds(model: &mut Model) {
    let wanted = match &model.hold_scheduler {
        Some(scheduler) => hold_schedule_keys(&model.fleet, scheduler),
        None => Vec::new(),
    };
    model
        .poll
        .unregister_unwanted(|key| matches!(key, PollKey::HoldSchedules { .. }), &wanted);
    for key in wanted {
        if model.poll.state(&key).is_none() {
            let endpoint = Endpoint::of_key(&key);
            model.poll.register_spread(key, endpoint, model.now);
        }
    }
}

fn asked_waves<'a>(
    fleet: &'a mut Fleet,
    asked: &'a [String],
) -> impl Iterator<Item = (String, &'a mut Wave)> {
    fleet
        .flows
        .iter_mut()
        .flat_map(|f| f.waves.iter_mut())
        .filter(|w| !w.transition.enabled)
        .map(|w| (schedule_name(&w.pipeline, &w.name), w))
        .filter(move |(name, _)| asked.contains(name))
}

/// Sets each asked held wave's schedule from a read; true when any changed.
pub fn apply_hold_schedules(
    fleet: &mut Fleet,
    asked: &[String],
    found: &[ScheduledOpening],
) -> bool {
    let mut changed = false;
    for (name, wave) in asked_waves(fleet, asked) {
        let seen = found
            .iter()
            .find(|s| s.name == name)
            .map_or(ScheduleSeen::None, |s| ScheduleSeen::Scheduled(s.clone()));
        changed |= wave.schedule != seen;
        wave.schedule = seen;
    }
    changed
}

/// A read that failed leaves the asked holds' schedules unknown, not absent.
pub(super) fn hold_schedules_unread(model: &mut Model, key: &PollKey, err: &SourceError) {
    if let PollKey::HoldSchedules { names, .. } = key {
        mark_unknown(&mut model.fleet, names, err);
    }
}

/// The asked holds' schedules could not be read: unknown, with why.
pub fn mark_unknown(fleet: &mut Fleet, asked: &[String], err: &SourceError) {
    let why = err.to_string();
    for (_, wave) in asked_waves(fleet, asked) {
        wave.schedule = ScheduleSeen::Unknown { why: why.clone() };
    }
}

/// A flow read again carries no schedules: each wave still held keeps what
/// the last schedule read said of it.
pub fn carry_schedules(old: &Flow, new: &mut Flow) {
    for wave in new.waves.iter_mut().filter(|w| !w.transition.enabled) {
        if let Some(before) = old
            .waves
            .iter()
            .find(|w| w.pipeline == wave.pipeline && w.name == wave.name)
        {
            wave.schedule = before.schedule.clone();
        }
    }
}

#[cfg(test)]
#[path = "schedule_polls_tests.rs"]
mod tests;
