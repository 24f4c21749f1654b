//! The answers polls bring back.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::domain::shared_str::SharedStr;

use crate::domain::alarms::{Alarm, AlarmTransition};
use crate::domain::fleet::{CheckerObservation, Flow, GlobalTable, HealthCheck, StackEvent};
use crate::domain::hold_schedule::ScheduledOpening;
use crate::domain::revisions::LiveRevision;
use crate::domain::stack_status::StackStatus;

/// A stack as one poll saw it. `new_events` holds only the events newer than
/// the last one a previous poll returned, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackObservation {
    pub flow: SharedStr,
    pub region: SharedStr,
    pub name: SharedStr,
    pub status: StackStatus,
    pub status_reason: Option<String>,
    pub new_events: Vec<StackEvent>,
}

/// The answer to one [`PollKey`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Observation {
    Flow(Flow),
    Stacks {
        region: String,
        stacks: Vec<StackObservation>,
    },
    Health {
        checks: Vec<HealthCheck>,
    },
    Checkers {
        health_check_id: String,
        observations: Vec<CheckerObservation>,
    },
    Replication(GlobalTable),
    /// Every watched alarm of a region, as it is now.
    Alarms {
        region: String,
        alarms: Vec<Alarm>,
    },
    /// The region's alarm state changes from `since` on.
    AlarmHistory {
        region: String,
        since: Timestamp,
        transitions: Vec<AlarmTransition>,
    },
    /// The revision each region of a flow runs, as its action history tells.
    Revisions {
        flow: String,
        live: Vec<LiveRevision>,
        /// Requests the answer took (pages of the history).
        requests: u32,
    },
    /// Which of the asked hold schedules exist, and when they fire; an
    /// asked name missing from `found` has no schedule.
    HoldSchedules {
        asked: Vec<String>,
        found: Vec<ScheduledOpening>,
        /// Requests the answer took (list pages and gets).
        requests: u32,
    },
}
