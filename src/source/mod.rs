//! The two backend traits: one observes the fleet, one operates on it. Both
//! have an AWS implementation and an in-process simulator. Read-only mode is
//! enforced here, at the boundary, by [`ReadOnly`].

pub mod aws;
pub mod readonly;
pub mod snapshot;

use std::time::Duration;

use crate::protocol::{Observation, Observe, PollKey, SourceError};

pub use readonly::ReadOnly;

/// Polls `key`, counting an answer that takes longer than `timeout` as a
/// timeout of that key alone: one hung region costs its own wait and no more.
pub async fn poll_within(
    source: &dyn Observe,
    key: PollKey,
    timeout: Duration,
) -> Result<Observation, SourceError> {
    match tokio::time::timeout(timeout, source.poll(key.clone())).await {
        Ok(result) => result,
        Err(_) => Err(SourceError::timed_out(&key.label(), timeout)),
    }
}
