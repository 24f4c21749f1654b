//! Folding alarm answers into the fleet. An answer that says what the last
//! one said changes nothing, so an idle fleet's alarm polls never redraw.

use jiff::Timestamp;

use super::merge::Merged;
use crate::domain::alarms::{Alarm, AlarmTransition};
use crate::domain::fleet::Fleet;
use crate::poll::scheduler::Activity;

/// One region's alarms, as they are now (one DescribeAlarms call or a few).
pub(super) fn merge_alarms(fleet: &mut Fleet, region: &str, alarms: Vec<Alarm>) -> Merged {
    quiet(fleet.alarms.replace_region(region, alarms))
}

/// One region's alarm history from `since` on.
pub(super) fn merge_history(
    fleet: &mut Fleet,
    region: &str,
    since: Timestamp,
    transitions: Vec<AlarmTransition>,
) -> Merged {
    quiet(fleet.alarms.replace_history(region, since, transitions))
}

/// Alarms move nothing: their polls keep the idle cadence.
fn quiet(changed: bool) -> Merged {
    Merged {
        activity: Activity::Idle,
        changed,
        replaced: None,
        requests: 1,
    }
}
