//! One complete look at a fleet through any [`Observe`] implementation:
//! discover, then poll every key once, all side by side, each within its own
//! timeout, as the console's scheduler would. A source that fails or hangs is
//! an error of the snapshot and the others are read all the same. Used by
//! `wavetop snapshot` and by the headless commands.

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use jiff::Timestamp;

use super::aws::GLOBAL_REGION;
use super::poll_within;
use crate::core::schedule_polls::{apply_hold_schedules, hold_schedule_keys, mark_unknown};
use crate::domain::bake::history_to_read;
use crate::domain::fleet::{Fleet, Health, Stack};
use crate::domain::hold_schedule::HoldScheduler;
use crate::poll::scheduler::Cadence;
use crate::protocol::{Discovery, Observation, Observe, PollKey, ReadError, SourceError};

/// What a snapshot read, and what it could not.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub fleet: Fleet,
    /// Everything that could not be read: discovery's first, then each
    /// source's in the order they are polled.
    pub errors: Vec<ReadError>,
    /// False when discovery failed: then nothing at all was read.
    pub discovered: bool,
    /// Sources that gave no answer (failed or timed out): their part of the
    /// fleet is absent, where an answer lacking a part is merely incomplete.
    pub unanswered: Vec<String>,
}

/// How much of the fleet a snapshot holds; `wavetop snapshot` exits 0, 3 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    Partial,
    NothingRead,
}

impl Snapshot {
    pub fn completeness(&self) -> Completeness {
        if !self.discovered {
            Completeness::NothingRead
        } else if self.errors.is_empty() {
            Completeness::Complete
        } else {
            Completeness::Partial
        }
    }

    /// The fleet when discovery and every poll answered (an answer may
    /// still lack a part); otherwise the first source that gave no answer.
    pub fn into_answered(self) -> Result<Fleet, ReadError> {
        let first_unanswered = self
            .errors
            .iter()
            .find(|e| self.unanswered.contains(&e.source));
        match first_unanswered {
            Some(e) => Err(e.clone()),
            None => Ok(self.fleet),
        }
    }
}

/// How long one source may take, the same as in the console.
pub fn poll_timeout() -> Duration {
    Duration::from_secs(Cadence::default().timeout_secs.unsigned_abs())
}

/// Discovers the fleet and polls each flow, each region's stacks, health and
/// each table once, side by side, each within `timeout` (None: no limit, for
/// a backend that answers at once), and assembles a [`Fleet`] in discovery
/// order (stack regions sorted). Stacks keep the events their first poll
/// returned; `now` stamps them, since a stack observation carries no fetch
/// time of its own.
pub async fn full_snapshot(
    source: &dyn Observe,
    now: Timestamp,
    timeout: Option<Duration>,
) -> Snapshot {
    let discovery = match source.discover().await {
        Ok(d) => d,
        Err(e) => {
            let failed = ReadError::unplaced("discovery", &e);
            return Snapshot {
                fleet: Fleet::empty(),
                unanswered: vec![failed.source.clone()],
                errors: vec![failed],
                discovered: false,
            };
        }
    };
    let keys = keys_of(&discovery);
    let regions: Vec<String> = keys.iter().map(|k| region_of(k, &discovery)).collect();
    let mut snapshot = Snapshot {
        fleet: Fleet::empty(),
        errors: discovery.errors,
        discovered: true,
        unanswered: Vec::new(),
    };
    snapshot.fleet.health = Health {
        checks: Vec::new(),
        record_sets: discovery.record_sets,
    };
    snapshot.fleet.alarms.watched = discovery.alarms;
    // The rest of the discovery (every flow's grid) is not kept while the
    // polls bring the same flows again: a large fleet is held once, not twice.
    drop(discovery.flows);
    let answers = ask_all(source, &keys, timeout).await;

    for ((key, region), (result, incomplete)) in keys.iter().zip(regions).zip(answers) {
        record(&mut snapshot, key, region, result, incomplete, now);
    }
    // A region's alarm history is read when a bake runs there, which only
    // the flows just read can tell.
    let watched = snapshot.fleet.alarms.watched.regions();
    let mut history = history_to_read(&snapshot.fleet, &snapshot.fleet.alarms, now);
    history.retain(|(region, _)| watched.contains(region));
    let keys: Vec<PollKey> = history
        .iter()
        .map(|(region, since)| PollKey::AlarmHistory {
            region: region.clone(),
            since: *since,
        })
        .collect();
    let answers = ask_all(source, &keys, timeout).await;
    for ((key, (region, _)), (result, incomplete)) in keys.iter().zip(history).zip(answers) {
        record(&mut snapshot, key, region, result, incomplete, now);
    }
    snapshot
}

/// Reads the schedules of the snapshot's held stages (one key per account
/// and home region with a hold) and sets them on the held waves; a read
/// that fails leaves those schedules unknown and is reported.
pub async fn read_hold_schedules(
    source: &dyn Observe,
    snapshot: &mut Snapshot,
    scheduler: &HoldScheduler,
    timeout: Option<Duration>,
) {
    let keys = hold_schedule_keys(&snapshot.fleet, scheduler);
    let answers = ask_all(source, &keys, timeout).await;
    for (key, (result, _)) in keys.iter().zip(answers) {
        let PollKey::HoldSchedules { region, names, .. } = key else {
            continue;
        };
        match result {
            Ok(Observation::HoldSchedules { asked, found, .. }) => {
                apply_hold_schedules(&mut snapshot.fleet, &asked, &found);
            }
            Ok(other) => {
                let e = unexpected(key, &other);
                mark_unknown(&mut snapshot.fleet, names, &e);
                snapshot
                    .errors
                    .push(ReadError::new(key.label(), region.clone(), &e));
            }
            Err(e) => {
                mark_unknown(&mut snapshot.fleet, names, &e);
                snapshot
                    .errors
                    .push(ReadError::new(key.label(), region.clone(), &e));
            }
        }
    }
}

/// Merges one answer, or records why there is none.
fn record(
    snapshot: &mut Snapshot,
    key: &PollKey,
    region: String,
    result: Result<Observation, SourceError>,
    incomplete: Option<SourceError>,
    now: Timestamp,
) {
    let merged = result.and_then(|observation| merge(&mut snapshot.fleet, key, observation, now));
    match merged {
        Ok(()) => {
            if let Some(e) = incomplete {
                snapshot
                    .errors
                    .push(ReadError::new(key.label(), region, &e));
            }
        }
        Err(e) => {
            snapshot
                .errors
                .push(ReadError::new(key.label(), region, &e));
            snapshot.unanswered.push(key.label());
        }
    }
}

/// Polls asked at once. Each poll of a large fleet is a future of some
/// kilobytes (a flow's reads, a region's stacks); the pacer lets only a few
/// requests per endpoint go at a time anyway, so asking every key at once
/// would hold hundreds of waiting futures for no speed.
const POLLS_AT_ONCE: usize = 64;

/// Every key's answer, in the keys' order; a poll that ends frees its place
/// for the next key at once, whatever the polls before it are doing.
async fn ask_all(
    source: &dyn Observe,
    keys: &[PollKey],
    timeout: Option<Duration>,
) -> Vec<(Result<Observation, SourceError>, Option<SourceError>)> {
    let asks = keys
        .iter()
        .enumerate()
        .map(|(i, key)| async move { (i, ask(source, key.clone(), timeout).await) });
    let mut answers: Vec<_> = stream::iter(asks)
        .buffer_unordered(POLLS_AT_ONCE)
        .collect()
        .await;
    answers.sort_by_key(|(i, _)| *i);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

/// One poll and what its answer lacked.
async fn ask(
    source: &dyn Observe,
    key: PollKey,
    timeout: Option<Duration>,
) -> (Result<Observation, SourceError>, Option<SourceError>) {
    let result = match timeout {
        Some(limit) => poll_within(source, key.clone(), limit).await,
        None => source.poll(key.clone()).await,
    };
    let incomplete = match &result {
        Ok(_) => source.incomplete(&key),
        Err(_) => None,
    };
    (result, incomplete)
}

/// Every key a fresh console would poll, in the order the snapshot lists them.
fn keys_of(discovery: &Discovery) -> Vec<PollKey> {
    let flows = discovery.flows.iter().map(|f| PollKey::Flow {
        flow: f.name.clone(),
    });
    let regions: BTreeSet<&str> = discovery.stacks.iter().map(|s| s.region.as_str()).collect();
    let stacks = regions.into_iter().map(|r| PollKey::Stacks {
        region: r.to_string(),
    });
    let tables = discovery.tables.iter().map(|t| PollKey::Replication {
        table: t.name.clone(),
    });
    let alarms = discovery
        .alarms
        .regions()
        .into_iter()
        .map(|region| PollKey::Alarms { region });
    flows
        .chain(stacks)
        .chain([PollKey::Health])
        .chain(tables)
        .chain(alarms)
        .collect()
}

/// Where a key's calls go: a flow's home regions, a stack region, Route53
/// and its metric in us-east-1, a table's source region.
fn region_of(key: &PollKey, discovery: &Discovery) -> String {
    match key {
        PollKey::Flow { flow } | PollKey::Revisions { flow } => {
            let Some(f) = discovery.flows.iter().find(|f| f.name == *flow) else {
                return String::new();
            };
            // A flow of stacks deployed by hand has no pipeline: its regions.
            let places: Vec<&str> = if f.pipelines.is_empty() {
                f.regions.iter().map(String::as_str).collect()
            } else {
                f.pipelines.iter().map(|p| p.home_region.as_str()).collect()
            };
            let mut regions: Vec<&str> = Vec::new();
            for r in places {
                if !regions.contains(&r) {
                    regions.push(r);
                }
            }
            regions.join(", ")
        }
        PollKey::Stacks { region }
        | PollKey::HoldSchedules { region, .. }
        | PollKey::Alarms { region }
        | PollKey::AlarmHistory { region, .. } => region.clone(),
        PollKey::Health | PollKey::Checkers { .. } => GLOBAL_REGION.to_string(),
        PollKey::Replication { table } => discovery
            .tables
            .iter()
            .find(|t| t.name == *table)
            .map(|t| t.source_region.clone())
            .unwrap_or_default(),
    }
}

fn merge(
    fleet: &mut Fleet,
    key: &PollKey,
    observation: Observation,
    now: Timestamp,
) -> Result<(), SourceError> {
    match (key, observation) {
        (PollKey::Flow { .. }, Observation::Flow(polled)) => fleet.flows.push(polled),
        (PollKey::Stacks { .. }, Observation::Stacks { stacks, .. }) => {
            fleet.stacks.extend(stacks.into_iter().map(|s| Stack {
                name: s.name,
                region: s.region,
                flow: s.flow,
                status: s.status,
                status_reason: s.status_reason,
                events: s.new_events,
                fetched_at: now,
            }));
        }
        (PollKey::Health, Observation::Health { checks }) => fleet.health.checks = checks,
        (PollKey::Replication { .. }, Observation::Replication(t)) => fleet.tables.push(t),
        (PollKey::Alarms { .. }, Observation::Alarms { region, alarms }) => {
            fleet.alarms.replace_region(&region, alarms);
        }
        (
            PollKey::AlarmHistory { .. },
            Observation::AlarmHistory {
                region,
                since,
                transitions,
            },
        ) => {
            fleet.alarms.replace_history(&region, since, transitions);
        }
        (_, other) => return Err(unexpected(key, &other)),
    }
    Ok(())
}

fn unexpected(asked: &PollKey, got: &Observation) -> SourceError {
    let kind = match got {
        Observation::Flow(_) => "flow",
        Observation::Stacks { .. } => "stacks",
        Observation::Health { .. } => "health",
        Observation::Checkers { .. } => "checkers",
        Observation::Replication(_) => "replication",
        Observation::Alarms { .. } => "alarms",
        Observation::AlarmHistory { .. } => "alarm history",
        Observation::Revisions { .. } => "revisions",
        Observation::HoldSchedules { .. } => "hold schedules",
    };
    SourceError::Other(format!(
        "asked for {}, the backend answered {kind}",
        asked.label()
    ))
}
