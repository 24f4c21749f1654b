//! What discovery finds: the fleet's flows, stacks, record sets and tables.

use serde::{Deserialize, Serialize};

use crate::domain::shared_str::SharedStr;

use super::ReadError;
use crate::domain::alarms::AlarmWatches;
use crate::domain::fleet::{Flow, RecordSet};

/// What the fleet is made of, found once at start (and again on demand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// Flows with their structure; states may be empty until the first poll.
    pub flows: Vec<Flow>,
    /// (flow, region, stack name) of every stack to watch.
    pub stacks: Vec<StackRef>,
    pub record_sets: Vec<RecordSet>,
    /// Global tables to watch, by name, with the flow they serve.
    pub tables: Vec<TableRef>,
    /// "DEMO", or the AWS account and profile.
    pub fleet_label: String,
    /// The hosted zones the configuration names, as written there.
    #[serde(default)]
    pub hosted_zones: Vec<String>,
    /// What discovery could not read (a hosted zone, an account, a home
    /// region, a configured pipeline); everything else was found.
    #[serde(default)]
    pub errors: Vec<ReadError>,
    /// The alarms to read per (flow, region), and the bake times.
    #[serde(default)]
    pub alarms: AlarmWatches,
}

/// The source label of a configured hosted zone, as written in the config.
pub fn zone_source(zone: &str) -> String {
    format!("hosted zone {zone}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// Its strings are shared with the model's stack and each answer about it.
pub struct StackRef {
    pub flow: SharedStr,
    pub region: SharedStr,
    pub name: SharedStr,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRef {
    pub name: String,
    pub flow: Option<String>,
    /// The region whose CloudWatch holds `ReplicationLatency` for the table.
    pub source_region: String,
}
