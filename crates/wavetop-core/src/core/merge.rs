//! Folding backend answers into the fleet the console shows.

use jiff::Timestamp;

use crate::domain::fleet::{ExecutionStatus, Fleet, Stack, StageStatus};
use crate::domain::stack_status::StackStatus;
use crate::poll::scheduler::Activity;
use crate::protocol::{Discovery, Observation};

/// How many stack events are kept per stack (newest first).
pub const EVENTS_KEPT: usize = 200;

pub fn apply_discovery(fleet: &mut Fleet, discovery: &Discovery, now: Timestamp) {
    // Keep what earlier polls brought for flows that still exist: a
    // discovery (again, after one that read the fleet in part) knows their
    // structure only, and their next poll brings any change to it.
    let mut flows = discovery.flows.clone();
    for flow in &mut flows {
        if let Some(old) = fleet.flow(&flow.name) {
            *flow = old.clone();
        }
    }
    fleet.flows = flows;
    fleet.health.record_sets = discovery.record_sets.clone();
    for r in &discovery.stacks {
        if fleet.stack(&r.region, &r.name).is_none() {
            fleet.stacks.push(Stack {
                name: r.name.clone(),
                region: r.region.clone(),
                flow: r.flow.clone(),
                status: StackStatus::unknown(),
                status_reason: None,
                events: Vec::new(),
                fetched_at: now,
            });
        }
    }
}

/// Merges one observation and says whether it saw anything moving.
pub fn apply_observation(fleet: &mut Fleet, observation: Observation, now: Timestamp) -> Activity {
    match observation {
        Observation::Flow(flow) => {
            let moving = flow
                .waves
                .iter()
                .any(|w| w.stage_status == Some(StageStatus::InProgress))
                || flow.executions.iter().any(|e| {
                    matches!(
                        e.status,
                        ExecutionStatus::InProgress | ExecutionStatus::Stopping
                    )
                });
            match fleet.flows.iter_mut().find(|f| f.name == flow.name) {
                Some(slot) => *slot = flow,
                None => fleet.flows.push(flow),
            }
            activity(moving)
        }
        Observation::Stacks { region, stacks } => {
            let mut moving = false;
            for obs in stacks {
                moving |= obs.status.is_in_progress();
                let known = fleet
                    .stacks
                    .iter()
                    .position(|s| s.region == region && s.name == obs.name);
                if known.is_none() {
                    fleet.stacks.push(Stack {
                        name: obs.name.clone(),
                        region: region.clone(),
                        flow: obs.flow.clone(),
                        status: StackStatus::unknown(),
                        status_reason: None,
                        events: Vec::new(),
                        fetched_at: now,
                    });
                }
                // The stack found, or the one just pushed.
                let slot = match known {
                    Some(i) => fleet.stacks.get_mut(i),
                    None => fleet.stacks.last_mut(),
                };
                let Some(stack) = slot else {
                    continue;
                };
                stack.status = obs.status;
                stack.status_reason = obs.status_reason;
                stack.fetched_at = now;
                let mut events = obs.new_events;
                events.retain(|e| !stack.events.iter().any(|old| old.event_id == e.event_id));
                events.append(&mut stack.events);
                events.truncate(EVENTS_KEPT);
                stack.events = events;
            }
            activity(moving)
        }
        Observation::Health { checks } => {
            let mut checks = checks;
            for check in &mut checks {
                // Per-checker detail comes from its own, rarer poll: keep it.
                if check.checkers.is_empty()
                    && let Some(old) = fleet.health.check(&check.id)
                {
                    check.checkers = old.checkers.clone();
                }
            }
            fleet.health.checks = checks;
            Activity::Idle
        }
        Observation::Checkers {
            health_check_id,
            observations,
        } => {
            if let Some(check) = fleet
                .health
                .checks
                .iter_mut()
                .find(|c| c.id == health_check_id)
            {
                check.checkers = observations;
            }
            Activity::Moving
        }
        Observation::Replication(table) => {
            match fleet.tables.iter_mut().find(|t| t.name == table.name) {
                Some(slot) => *slot = table,
                None => fleet.tables.push(table),
            }
            Activity::Idle
        }
    }
}

fn activity(moving: bool) -> Activity {
    if moving {
        Activity::Moving
    } else {
        Activity::Idle
    }
}
