//! The change stream's backend: reads what arrived since its last read.

use super::{BoxFuture, SourceError};
use crate::domain::stream_event::StreamEvent;

/// What one read of the stream brought.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamBatch {
    /// Events not seen before, oldest first.
    pub events: Vec<StreamEvent>,
    /// Log events that were not events the console follows, with why (the
    /// first few).
    pub skipped: Vec<String>,
    /// Requests the read took (pages, log groups).
    pub requests: u32,
}

/// A change stream a console reads from its own start time: nothing is
/// consumed, so any number of consoles read the same one. The reader keeps
/// its own position.
pub trait ReadStream: Send + Sync {
    fn read(&self) -> BoxFuture<'_, Result<StreamBatch, SourceError>>;
}
