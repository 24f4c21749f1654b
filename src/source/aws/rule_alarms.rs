//! Alarms a pipeline names itself: a V2 stage condition's `CloudWatchAlarm`
//! rule watches alarms that gate the stage, so those alarms are promotion
//! evidence as much as the ones the config lists, and are read without
//! being configured. The rule's `WaitTime` is how long the pipeline itself
//! bakes, so it is the bake time where the config sets none.

use jiff::SignedDuration;

use super::state::{PipelineEntry, State};
use crate::domain::alarms::AlarmWatches;
use crate::domain::conditions::{ConditionKind, RuleKind, WaveConditions};

/// Adds every `CloudWatchAlarm` rule's alarms of the watched pipelines to
/// `watches`, for the flow the pipeline belongs to and the region the rule
/// runs in: the region it names, or the pipeline's home region.
pub(super) fn watch_rule_alarms(watches: &mut AlarmWatches, state: &State) {
    for def in &state.flows {
        for entry in def.pipelines.iter().filter_map(|k| state.pipelines.get(k)) {
            watch_entry(watches, &def.name, entry);
        }
    }
}

fn watch_entry(watches: &mut AlarmWatches, flow: &str, entry: &PipelineEntry) {
    let stages = &entry.structure.pipeline.stages;
    let mut previous: Option<&str> = None;
    for stage in stages {
        if let Some(conditions) = WaveConditions::from_docs(&stage.conditions, None, None) {
            for set in &conditions.sets {
                // A before-entry rule bakes the wave before this stage; an
                // on-success rule bakes this stage's own wave.
                let baked = match set.kind {
                    ConditionKind::BeforeEntry => previous,
                    ConditionKind::OnSuccess => Some(stage.name.as_str()),
                    ConditionKind::OnFailure => None,
                };
                for rule in set.rules() {
                    let RuleKind::CloudWatchAlarm {
                        alarm_names,
                        wait_time_mins,
                    } = &rule.kind
                    else {
                        continue;
                    };
                    let region = rule.region.as_deref().unwrap_or(&entry.region);
                    watches.add_names(flow, region, &entry.account, alarm_names);
                    if let (Some(wave), Some(mins)) = (baked, wait_time_mins) {
                        bake_unless_configured(watches, flow, wave, *mins);
                    }
                }
            }
        }
        previous = Some(stage.name.as_str());
    }
}

/// The config's bake time (for the wave or the whole flow) wins; the rule's
/// is taken once, at the first discovery that finds it.
fn bake_unless_configured(watches: &mut AlarmWatches, flow: &str, wave: &str, mins: u32) {
    if watches.bakes.of(flow, wave).is_none() {
        let duration = SignedDuration::from_mins(i64::from(mins));
        watches.bakes.set(flow, Some(wave), duration);
    }
}
