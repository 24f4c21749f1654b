//! wavetop's pure core: everything that decides, nothing that waits.
//!
//! - [`domain`]: the fleet as data and the rules over it (waves and regions,
//!   failover, windows, attribution);
//! - [`core`]: the console's model and `update(model, msg, now) -> effects`;
//! - [`poll`]: the poll scheduler's cadences and backoff;
//! - [`protocol`]: what the core and the backends say to each other, and the
//!   two backend traits.
//!
//! The crate depends on std, serde, serde_json and jiff only, so a clock,
//! a socket or a terminal cannot reach the rules: time comes in as a value
//! and effects go out as data.

// A `pub` item is the crate's interface; anything else says `pub(crate)`.
#![deny(unreachable_pub)]

pub mod core;
pub mod domain;
pub mod poll;
pub mod protocol;
