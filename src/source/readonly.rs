//! Read-only mode at the backend boundary: whatever the UI or a headless
//! command asks, no operate call reaches the wrapped backend.

use super::{BoxFuture, Operate, OperateCall, OperateOutcome, SourceError};

pub struct ReadOnly<O> {
    inner: O,
}

impl<O: Operate> ReadOnly<O> {
    pub fn new(inner: O) -> Self {
        Self { inner }
    }
}

impl<O: Operate> Operate for ReadOnly<O> {
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
        self.inner.identity()
    }

    fn execute(&self, _call: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
        Box::pin(async { Err(SourceError::ReadOnly) })
    }
}
