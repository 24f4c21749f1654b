//! What one poll asks for, the key the scheduler and the model share.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What one poll asks for. The scheduler keeps one request in flight per key
/// and sets each key's cadence on its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PollKey {
    /// A flow's pipelines: structure (when its version changed), state and executions.
    Flow { flow: String },
    /// Status and new events of every tracked stack in one region.
    Stacks { region: String },
    /// Status and flags of every health check (one metric query, one list call).
    Health,
    /// Per-checker observations of the one check the operator is looking at.
    Checkers { health_check_id: String },
    /// Replicas and `ReplicationLatency` of one global table.
    Replication { table: String },
    /// The state of every watched alarm of one region (all its accounts).
    Alarms { region: String },
    /// The state changes of one region's watched alarms since the earliest
    /// bake still running there began.
    AlarmHistory { region: String, since: Timestamp },
    /// What is live in each region of a flow, from its pipelines' action
    /// history: read at the idle cadence, whatever moves.
    Revisions { flow: String },
    /// The hold schedules of one account and home region (one Scheduler
    /// group): `ListSchedules` by the hold prefix, then `GetSchedule` for
    /// `names` alone, the holds the console shows there. Registered only
    /// while a stage is held, so a fleet without holds pays nothing.
    HoldSchedules {
        account: String,
        region: String,
        group: String,
        names: Vec<String>,
    },
}

impl PollKey {
    /// How the source is named to the operator: in the activity view, in
    /// read errors and in timeout messages (`stacks eu-west-3`).
    pub fn label(&self) -> String {
        match self {
            PollKey::Flow { flow } => format!("pipeline {flow}"),
            PollKey::Stacks { region } => format!("stacks {region}"),
            PollKey::Health => "health".to_string(),
            PollKey::Checkers { health_check_id } => format!("checkers {health_check_id}"),
            PollKey::Replication { table } => format!("replication {table}"),
            PollKey::Alarms { region } => format!("alarms {region}"),
            PollKey::AlarmHistory { region, .. } => format!("alarm history {region}"),
            PollKey::Revisions { flow } => format!("revisions {flow}"),
            PollKey::HoldSchedules {
                account, region, ..
            } if account.is_empty() => format!("hold schedules {region}"),
            PollKey::HoldSchedules {
                account, region, ..
            } => format!("hold schedules {account} {region}"),
        }
    }
}
