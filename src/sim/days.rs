//! Where the simulated fleet is at a given offset into its life, at a cost
//! that does not grow with the offset.
//!
//! The fleet lives one period at a time (a day for the demo, shorter for
//! the large fleet, see [`FleetSize::period`]): each period opens the way
//! the first one does (deployments under way, gates waiting, a region
//! heading for a failure) from draws of its own, and the history before a
//! period's opening is synthesized rather than replayed, as it is for the
//! first one. Reaching any moment therefore steps at most one period plus
//! the warm-up, never every second since the first. A world already running
//! carries its period on past the next opening; only where a world starts
//! depends on the period.

use jiff::SignedDuration;

use super::DEMO_EPOCH;
use super::fleet_size::FleetSize;
use super::world::SimWorld;

/// One day of the simulated fleet's life.
pub const DAY: SignedDuration = SignedDuration::from_hours(24);

/// The latest start offset the simulated fleet accepts (`--at`).
pub const MAX_AT: SignedDuration = SignedDuration::from_hours(24 * 366);

/// The demo fleet as it stands `at` after [`DEMO_EPOCH`] (clamped to
/// `0..=`[`MAX_AT`]): the same seed and offset give the same world.
pub fn world_at(seed: u64, at: SignedDuration) -> SimWorld {
    fleet_world_at(FleetSize::Demo, seed, at)
}

/// [`world_at`] for any fleet.
pub fn fleet_world_at(fleet: FleetSize, seed: u64, at: SignedDuration) -> SimWorld {
    let at = at.clamp(SignedDuration::ZERO, MAX_AT);
    let period = fleet.period().as_secs();
    let n = at.as_secs() / period;
    let opens = DEMO_EPOCH + SignedDuration::from_secs(n * period);
    let mut world = SimWorld::with_fleet(fleet, period_seed(seed, n), opens);
    world.seed = seed;
    world.advance_to(DEMO_EPOCH + at);
    world
}

/// The seed a period's draws come from; the first period's is the fleet's
/// own, so offsets within it give the worlds they always gave.
fn period_seed(seed: u64, n: i64) -> u64 {
    // An odd constant spreads consecutive periods far apart (a Weyl sequence).
    seed ^ (n as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93)
}
