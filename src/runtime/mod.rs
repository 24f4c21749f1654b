//! The impure shell: terminal, tokio, signals, and carrying out effects.

pub mod audit_sink;
mod browser;
pub mod clock;
mod creds_watch;
pub mod event_loop;
pub mod executor;
pub mod keys;
pub mod malloc;
mod pace_watch;
pub mod signals;
pub mod team_watch;
pub mod terminal;
