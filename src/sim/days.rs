//! Where the simulated fleet is at a given offset into its life, at a cost
//! that does not grow with the offset.
//!
//! The fleet lives one day at a time: each day opens the way the first one
//! does (deployments under way, gates waiting, a region heading for a
//! failure) from draws of its own, and the history before a day's opening is
//! synthesized rather than replayed, as it is for the first day. Reaching any
//! moment therefore steps at most one day plus the warm-up, never every
//! second since the first day. A world already running carries its day on
//! past midnight; only where a world starts depends on the day.

use jiff::SignedDuration;

use super::DEMO_EPOCH;
use super::world::SimWorld;

/// One day of the simulated fleet's life.
pub const DAY: SignedDuration = SignedDuration::from_hours(24);

/// The latest start offset the simulated fleet accepts (`--at`).
pub const MAX_AT: SignedDuration = SignedDuration::from_hours(24 * 366);

/// The world as it stands `at` after [`DEMO_EPOCH`] (clamped to
/// `0..=`[`MAX_AT`]): the same seed and offset give the same world.
pub fn world_at(seed: u64, at: SignedDuration) -> SimWorld {
    let at = at.clamp(SignedDuration::ZERO, MAX_AT);
    let day = at.as_secs() / DAY.as_secs();
    let opens = DEMO_EPOCH + SignedDuration::from_secs(day * DAY.as_secs());
    let mut world = SimWorld::new(day_seed(seed, day), opens);
    world.seed = seed;
    world.advance_to(DEMO_EPOCH + at);
    world
}

/// The seed a day's draws come from; the first day's is the fleet's own, so
/// offsets within it give the worlds they always gave.
fn day_seed(seed: u64, day: i64) -> u64 {
    // An odd constant spreads consecutive days far apart (a Weyl sequence).
    seed ^ (day as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93)
}
