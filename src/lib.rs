//! wavetop: top for deployment waves.
//!
//! A pure core (`core`) turns messages into model changes and effects; the
//! views (`ui`) only draw; the backends (`source`, `sim`) observe and operate
//! behind two traits; the runtime carries effects out.

// A `pub` item is the library's interface; anything else says `pub(crate)`.
#![deny(unreachable_pub)]

// The pure core lives in its own crate (crates/wavetop-core), so that
// Cargo, not habit, keeps I/O out of it; its modules keep their paths here.
pub use wavetop_core::{core, domain, poll, protocol};

pub mod app;
pub mod audit;
pub mod cli;
pub mod config;
pub mod headless;
pub mod headless_needs;
mod headless_verdict;
pub mod output;
pub mod runtime;
pub mod sim;
mod snapshot_alarms;
pub mod snapshot_text;
pub mod snapshot_verdicts;
pub mod source;
pub mod team_audit;
pub mod ui;
