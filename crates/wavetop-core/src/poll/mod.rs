//! Polling cadence, backoff, the poll budget and staleness.

mod budget;
pub mod endpoint;
pub mod scheduler;
pub mod stream;
