//! The in-process simulated fleet behind `--demo`: a deterministic world
//! (one seed, one-second ticks) that implements both backend traits.
//!
//! Entry points: [`SimWorld::new`] and [`SimWorld::advance_to`] for the
//! world itself, [`fleet_world_at`] for a world started any day into its
//! life, [`FleetSize`] for the demo fleet or the large one,
//! [`SimBackend`] for the runtime, [`demo_backend`] for the
//! interactive demo and [`snapshot_at`] for headless snapshots.

// The simulator addresses its world by position: stages, actions and stacks
// live in vectors built once from the declarations and never resized, and
// every index comes from iterating those same vectors. Rewriting that as
// `get` chains would hide the shape without making a wrong index less of a
// bug; the AWS path, which reads untrusted answers, keeps the full wall.
#![allow(clippy::indexing_slicing)]

pub mod actions;
pub mod alarms;
pub mod backend;
pub mod clock;
pub mod condition_flows;
pub mod conditions;
pub mod days;
pub mod declarations;
pub mod documents;
pub mod fleet_size;
pub mod health;
pub mod history;
pub mod large;
pub mod observe;
pub mod operate;
pub mod pipeline;
pub mod replication;
pub mod revisions;
pub mod rng;
pub mod run_state;
pub mod scheduler;
pub mod shared_strings;
pub mod spec;
pub mod stack_kind;
pub mod stacks;
pub mod stream;
pub mod world;

use futures_util::FutureExt;
use jiff::{SignedDuration, Timestamp};

pub use backend::SimBackend;
pub use clock::{ManualClock, SimClock, wall_clock_from, wall_clock_scaled};
pub use days::{MAX_AT, fleet_world_at, world_at};
pub use fleet_size::FleetSize;
pub use operate::SIM_IDENTITY;
pub use world::SimWorld;

use crate::domain::fleet::Fleet;
use crate::protocol::SourceError;
use crate::source::snapshot::{Snapshot, full_snapshot};

/// When the demo world starts: 2026-11-20T02:00:00Z.
pub const DEMO_EPOCH: Timestamp = Timestamp::constant(1_795_140_000, 0);

/// The seed `--demo` uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 1;

/// The interactive demo: a world at [`DEMO_EPOCH`] following the wall clock.
pub fn demo_backend(seed: u64) -> SimBackend {
    SimBackend::new(SimWorld::new(seed, DEMO_EPOCH), wall_clock_from(DEMO_EPOCH))
}

/// `fleet` as a fresh observer sees it `at` after [`DEMO_EPOCH`] (clamped
/// to `0..=`[`MAX_AT`], as [`fleet_world_at`] does).
#[allow(
    clippy::expect_used,
    reason = "the simulator's reads are plain computations behind ready futures"
)]
pub fn snapshot_at(fleet: FleetSize, seed: u64, at: SignedDuration) -> Snapshot {
    let t = DEMO_EPOCH + at.clamp(SignedDuration::ZERO, MAX_AT);
    let world = fleet_world_at(fleet, seed, at);
    let backend = SimBackend::new(world, std::sync::Arc::new(move || t));
    full_snapshot(&backend, t, None)
        .now_or_never()
        .expect("the simulator answers without waiting")
}

/// [`snapshot_at`]'s demo fleet, or the first source that did not answer.
pub fn fleet_at(seed: u64, at: SignedDuration) -> Result<Fleet, SourceError> {
    snapshot_at(FleetSize::Demo, seed, at)
        .into_answered()
        .map_err(|e| SourceError::Other(e.to_string()))
}

#[cfg(test)]
mod tests;
