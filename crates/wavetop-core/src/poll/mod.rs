//! Polling cadence, backoff and staleness.

pub mod endpoint;
pub mod scheduler;
