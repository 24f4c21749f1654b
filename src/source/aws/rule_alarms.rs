//! Alarms a pipeline names itself: a V2 stage condition's `CloudWatchAlarm`
//! rule watches alarms that gate the stage, so those alarms are promotion
//! evidence as much as the ones the config lists, and are read without
//! being configured.

use super::state::{PipelineEntry, State};
use crate::domain::alarms::AlarmWatches;
use crate::domain::conditions::WaveConditions;

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
    for stage in &entry.structure.pipeline.stages {
        let Some(conditions) = WaveConditions::from_docs(&stage.conditions, None, None) else {
            continue;
        };
        for (rule, names, _) in conditions.alarm_rules() {
            let region = rule.region.as_deref().unwrap_or(&entry.region);
            watches.add_names(flow, region, &entry.account, names);
        }
    }
}
