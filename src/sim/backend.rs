//! The simulated world behind the two backend traits. Every call first
//! brings the world up to the clock's time.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use jiff::Timestamp;

use super::clock::SimClock;
use super::operate::SIM_IDENTITY;
use super::world::SimWorld;
use crate::domain::shared_str::SharedStr;
use crate::domain::stack_status::StackStatus;
use crate::protocol::{
    BoxFuture, Discovery, Observation, Observe, Operate, OperateCall, OperateOutcome, PollKey,
    SourceError,
};

/// What the last stacks polls returned of one stack.
#[derive(Default)]
struct PolledStack {
    /// The id of the newest event a poll already returned.
    newest_event: Option<SharedStr>,
    status: Option<StackStatus>,
}

/// A handle on a shared simulated world. Clones share the world and the
/// per-region event cursors.
#[derive(Clone)]
pub struct SimBackend {
    world: Arc<Mutex<SimWorld>>,
    clock: SimClock,
    /// What the last polls returned of each stack, by its index in the
    /// world's stacks: one entry per stack of a large fleet, so it holds no
    /// names of its own.
    polled_stacks: Arc<Mutex<BTreeMap<usize, PolledStack>>>,
    /// A live change stream brings the resource events: a stacks poll
    /// returns the events only of a stack whose status changed, as AWS's does.
    stream_covers_stacks: Arc<AtomicBool>,
}

impl SimBackend {
    pub fn new(world: SimWorld, clock: SimClock) -> Self {
        Self {
            world: Arc::new(Mutex::new(world)),
            clock,
            polled_stacks: Arc::new(Mutex::new(BTreeMap::new())),
            stream_covers_stacks: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Another handle on the same world (one for observing, one for operating).
    pub fn clone_handle(&self) -> Self {
        self.clone()
    }

    /// The simulated time now, as the backend's clock tells it.
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// The world brought up to the clock's time.
    pub fn world(&self) -> MutexGuard<'_, SimWorld> {
        let now: Timestamp = (self.clock)();
        let mut world = self
            .world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        world.advance_to(now);
        world
    }

    fn observe(&self, key: PollKey) -> Result<Observation, SourceError> {
        let world = self.world();
        match key {
            PollKey::Flow { flow } => world
                .flow(&flow)
                .map(Observation::Flow)
                .ok_or_else(|| SourceError::NotFound(format!("flow {flow}"))),
            PollKey::Stacks { region } => {
                let mut polled = self.polled_stacks.lock().unwrap_or_else(|p| p.into_inner());
                let covered = self.stream_covers_stacks.load(Ordering::Relaxed);
                let found = world.stacks_in(&region, |i| {
                    polled.get(&i).and_then(|p| p.newest_event.clone())
                });
                let mut stacks = Vec::with_capacity(found.len());
                for (i, mut s) in found {
                    let seen = polled.entry(i).or_default();
                    let was = seen.status.replace(s.status.clone());
                    if covered && was.as_ref() == Some(&s.status) {
                        s.new_events.clear();
                    }
                    if let Some(newest) = s.new_events.first() {
                        seen.newest_event = Some(newest.event_id.clone());
                    }
                    stacks.push(s);
                }
                Ok(Observation::Stacks { region, stacks })
            }
            PollKey::Health => Ok(Observation::Health {
                checks: world.health_checks(false),
            }),
            PollKey::Checkers { health_check_id } => {
                let check = world
                    .checks
                    .iter()
                    .find(|c| c.id == health_check_id)
                    .ok_or_else(|| {
                        SourceError::NotFound(format!("health check {health_check_id}"))
                    })?;
                Ok(Observation::Checkers {
                    observations: check.observations(world.now),
                    health_check_id,
                })
            }
            PollKey::Replication { table } => world
                .tables
                .iter()
                .find(|t| t.name == table)
                .map(|t| Observation::Replication(t.to_table(world.now)))
                .ok_or_else(|| SourceError::NotFound(format!("table {table}"))),
            PollKey::Alarms { region } => Ok(Observation::Alarms {
                alarms: world.alarms_in(&region),
                region,
            }),
            PollKey::AlarmHistory { region, since } => Ok(Observation::AlarmHistory {
                transitions: world.alarm_history(&region, since),
                region,
                since,
            }),
            // The simulated flows already carry what is live where.
            PollKey::Revisions { flow } => match world.flow(&flow) {
                Some(f) => Ok(Observation::Revisions {
                    flow,
                    live: f.live,
                    requests: 1,
                }),
                None => Err(SourceError::NotFound(format!("flow {flow}"))),
            },
            PollKey::HoldSchedules { group, names, .. } => Ok(world.hold_schedules(&group, &names)),
        }
    }
}

impl Observe for SimBackend {
    fn discover(&self) -> BoxFuture<'_, Result<Discovery, SourceError>> {
        let discovery = self.world().discovery();
        Box::pin(async move { Ok(discovery) })
    }

    fn poll(&self, key: PollKey) -> BoxFuture<'_, Result<Observation, SourceError>> {
        let result = self.observe(key);
        Box::pin(async move { result })
    }

    fn stream_covers_stacks(&self, live: bool) {
        self.stream_covers_stacks.store(live, Ordering::Relaxed);
    }
}

impl Operate for SimBackend {
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
        Box::pin(async { Ok(SIM_IDENTITY.to_string()) })
    }

    fn execute(&self, call: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
        let result = self.world().operate(call, SIM_IDENTITY);
        Box::pin(async move { result })
    }
}
