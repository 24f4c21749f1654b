//! Polling cadence, backoff and staleness.

pub mod scheduler;
