//! One complete look at a fleet through any [`Observe`] implementation:
//! discover, then poll every key once. Used by headless snapshots.

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::{Observation, Observe, PollKey, SourceError};
use crate::domain::fleet::{Fleet, Health, Stack};

/// Discovers the fleet and polls each flow, each region's stacks, health and
/// each table once, in discovery order (stack regions sorted), and assembles
/// a [`Fleet`]. Stacks keep the events their first poll returned; `now`
/// stamps them, since a stack observation carries no fetch time of its own.
pub async fn full_snapshot(source: &dyn Observe, now: Timestamp) -> Result<Fleet, SourceError> {
    let discovery = source.discover().await?;
    let mut fleet = Fleet::empty();

    for flow in &discovery.flows {
        match source
            .poll(PollKey::Flow {
                flow: flow.name.clone(),
            })
            .await?
        {
            Observation::Flow(polled) => fleet.flows.push(polled),
            other => return Err(unexpected("flow", &other)),
        }
    }

    let regions: BTreeSet<&str> = discovery.stacks.iter().map(|s| s.region.as_str()).collect();
    for region in regions {
        match source
            .poll(PollKey::Stacks {
                region: region.to_string(),
            })
            .await?
        {
            Observation::Stacks { stacks, .. } => {
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
            other => return Err(unexpected("stacks", &other)),
        }
    }

    let checks = match source.poll(PollKey::Health).await? {
        Observation::Health { checks } => checks,
        other => return Err(unexpected("health", &other)),
    };
    fleet.health = Health {
        checks,
        record_sets: discovery.record_sets.clone(),
    };

    for table in &discovery.tables {
        match source
            .poll(PollKey::Replication {
                table: table.name.clone(),
            })
            .await?
        {
            Observation::Replication(t) => fleet.tables.push(t),
            other => return Err(unexpected("replication", &other)),
        }
    }
    Ok(fleet)
}

fn unexpected(asked: &str, got: &Observation) -> SourceError {
    let kind = match got {
        Observation::Flow(_) => "flow",
        Observation::Stacks { .. } => "stacks",
        Observation::Health { .. } => "health",
        Observation::Checkers { .. } => "checkers",
        Observation::Replication(_) => "replication",
    };
    SourceError::Other(format!("asked for {asked}, the backend answered {kind}"))
}
