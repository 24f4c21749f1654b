//! wavetop: top for deployment waves.
//!
//! A pure core (`core`) turns messages into model changes and effects; the
//! views (`ui`) only draw; the backends (`source`, `sim`) observe and operate
//! behind two traits; the runtime carries effects out.

pub mod audit;
pub mod config;
pub mod cli;
pub mod core;
pub mod domain;
pub mod poll;
pub mod runtime;
pub mod source;
pub mod ui;
