//! wavetop: top for deployment waves.
//!
//! A pure core (`core`) turns messages into model changes and effects; the
//! views (`ui`) only draw; the backends (`source`, `sim`) observe and operate
//! behind two traits; the runtime carries effects out.

// A `pub` item is the library's interface; anything else says `pub(crate)`.
#![deny(unreachable_pub)]

pub mod app;
pub mod audit;
pub mod cli;
pub mod config;
pub mod core;
pub mod domain;
pub mod headless;
pub mod headless_needs;
pub mod output;
pub mod poll;
pub mod protocol;
pub mod runtime;
pub mod sim;
pub mod snapshot_text;
pub mod source;
pub mod ui;
