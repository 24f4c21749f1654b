//! Folding backend answers into the fleet the console shows.

use jiff::Timestamp;

use super::merge_alarms::{merge_alarms, merge_history};
use super::schedule_polls::{apply_hold_schedules, carry_schedules};
use super::stream_stacks::drop_streamed_copies;
use crate::domain::fleet::{CellStatus, ExecutionStatus, Fleet, Flow, Stack};
use crate::domain::revisions::merge_live;
use crate::domain::stack_status::StackStatus;
use crate::poll::scheduler::Activity;
use crate::protocol::{Discovery, Observation};

/// Takes the flows and record sets out of `discovery` rather than copying
/// them: on a large fleet they are megabytes, and a copy made only to drop
/// the original leaves the heap fragmented for the life of the console.
pub fn apply_discovery(fleet: &mut Fleet, discovery: &mut Discovery, now: Timestamp) {
    // Keep what earlier polls brought for flows that still exist: a
    // discovery (again, after one that read the fleet in part) knows their
    // structure only, and their next poll brings any change to it.
    let mut known = std::mem::take(&mut fleet.flows);
    let mut flows = std::mem::take(&mut discovery.flows);
    for flow in &mut flows {
        if let Some(old) = known.iter_mut().find(|f| f.name == flow.name) {
            std::mem::swap(flow, old);
        }
    }
    fleet.flows = flows;
    fleet.health.record_sets = std::mem::take(&mut discovery.record_sets);
    fleet.alarms.watched = discovery.alarms.clone();
    // Room for every stack at once: grown by doubling, thousands of stacks
    // would leave a third of the vector unused.
    fleet
        .stacks
        .reserve(discovery.stacks.len().saturating_sub(fleet.stacks.len()));
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

/// What merging one observation did.
#[derive(Debug)]
pub struct Merged {
    /// Whether it saw anything moving.
    pub activity: Activity,
    /// Whether anything the console shows changed, the time of the read aside.
    pub changed: bool,
    /// The flow as it was before a flow observation replaced it.
    pub replaced: Option<Flow>,
    /// About how many requests the answer took, for the poll budget: one
    /// per pipeline and one more where its executions were listed again,
    /// one per region's stacks and one more per stack with new events.
    pub requests: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether a flow is deploying: an action runs, or an execution is under
/// way and waits for neither an approval nor a hold. A gate waiting for an
/// approval, or a wave held until its window, may wait for hours: it is
/// polled like a settled flow.
pub fn flow_is_moving(flow: &Flow) -> bool {
    let cells = || flow.waves.iter().flat_map(|w| w.cells.iter());
    if cells().any(|c| c.status() == CellStatus::InProgress)
        || flow
            .executions
            .iter()
            .any(|e| e.status == ExecutionStatus::Stopping)
    {
        return true;
    }
    let waiting = cells().any(|c| matches!(c.status(), CellStatus::AwaitingApproval))
        || flow.waves.iter().any(|w| !w.transition.enabled);
    !waiting
        && flow
            .executions
            .iter()
            .any(|e| e.status == ExecutionStatus::InProgress)
}

/// Merges one observation: what moves, what changed, what it replaced.
/// Each stack keeps its newest `events_kept` events.
pub fn apply_observation(
    fleet: &mut Fleet,
    observation: Observation,
    now: Timestamp,
    events_kept: usize,
) -> Merged {
    match observation {
        Observation::Flow(mut flow) => {
            let activity = activity(flow_is_moving(&flow));
            let reads = count(flow.pipelines.len().max(1));
            let Some(slot) = fleet.flows.iter_mut().find(|f| f.name == flow.name) else {
                fleet.flows.push(flow);
                return Merged {
                    activity,
                    changed: true,
                    replaced: None,
                    requests: reads + 1,
                };
            };
            let listed = u32::from(slot.executions != flow.executions);
            flow.live = merge_live(&slot.live, std::mem::take(&mut flow.live), &flow.regions);
            carry_schedules(slot, &mut flow);
            // The same flow read again differs only in when it was read.
            let read_at = flow.fetched_at;
            flow.fetched_at = slot.fetched_at;
            let changed = *slot != flow;
            flow.fetched_at = read_at;
            let old = std::mem::replace(slot, flow);
            Merged {
                activity,
                changed,
                replaced: changed.then_some(old),
                requests: reads + listed,
            }
        }
        Observation::Stacks { region, stacks } => {
            let mut moving = false;
            let mut changed = false;
            let requests = 1 + count(stacks.iter().filter(|s| !s.new_events.is_empty()).count());
            for obs in stacks {
                moving |= obs.status.is_in_progress();
                let known = fleet
                    .stacks
                    .iter()
                    .position(|s| s.region == region && s.name == obs.name);
                if known.is_none() {
                    changed = true;
                    fleet.stacks.push(Stack {
                        name: obs.name.clone(),
                        region: region.as_str().into(),
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
                changed |= stack.status != obs.status || stack.status_reason != obs.status_reason;
                stack.status = obs.status;
                stack.status_reason = obs.status_reason;
                stack.fetched_at = now;
                let mut events = obs.new_events;
                events.retain(|e| !stack.events.iter().any(|old| old.event_id == e.event_id));
                if !events.is_empty() {
                    changed = true;
                    drop_streamed_copies(&mut stack.events, &events);
                    events.append(&mut stack.events);
                    // The stream's events may be newer than the ones polled.
                    events.sort_by_key(|e| std::cmp::Reverse(e.timestamp));
                    events.truncate(events_kept);
                    // Appending grew it by doubling; thousands of stacks keep theirs.
                    events.shrink_to_fit();
                    stack.events = events;
                }
            }
            Merged {
                activity: activity(moving),
                changed,
                replaced: None,
                requests,
            }
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
            // Each check carries its read time, which the view judges the
            // metric's age by: a health answer always counts as a change.
            fleet.health.checks = checks;
            Merged {
                activity: Activity::Idle,
                changed: true,
                replaced: None,
                requests: 2,
            }
        }
        Observation::Checkers {
            health_check_id,
            observations,
        } => {
            let mut changed = false;
            if let Some(check) = fleet
                .health
                .checks
                .iter_mut()
                .find(|c| c.id == health_check_id)
            {
                changed = check.checkers != observations;
                check.checkers = observations;
            }
            Merged {
                activity: Activity::Moving,
                changed,
                replaced: None,
                requests: 1,
            }
        }
        Observation::Replication(mut table) => {
            let changed = match fleet.tables.iter_mut().find(|t| t.name == table.name) {
                Some(slot) => {
                    let read_at = table.fetched_at;
                    table.fetched_at = slot.fetched_at;
                    let changed = *slot != table;
                    table.fetched_at = read_at;
                    *slot = table;
                    changed
                }
                None => {
                    fleet.tables.push(table);
                    true
                }
            };
            Merged {
                activity: Activity::Idle,
                changed,
                replaced: None,
                requests: 2,
            }
        }
        Observation::Alarms { region, alarms } => merge_alarms(fleet, &region, alarms),
        Observation::AlarmHistory {
            region,
            since,
            transitions,
        } => merge_history(fleet, &region, since, transitions),
        Observation::Revisions {
            flow,
            live,
            requests,
        } => Merged {
            activity: Activity::Idle,
            changed: fleet
                .flows
                .iter_mut()
                .find(|f| f.name == flow)
                .is_some_and(|f| f.fold_history(live)),
            replaced: None,
            requests,
        },
        Observation::HoldSchedules {
            asked,
            found,
            requests,
        } => Merged {
            activity: Activity::Idle,
            changed: apply_hold_schedules(fleet, &asked, &found),
            replaced: None,
            requests,
        },
    }
}

fn activity(moving: bool) -> Activity {
    if moving {
        Activity::Moving
    } else {
        Activity::Idle
    }
}
