//! Where the executor records operator actions, and how it writes there
//! without holding up the async workers.

use std::io;
use std::sync::Arc;

use jiff::Timestamp;

use crate::audit::{AuditId, AuditIntent, AuditLog, AuditRefusal};

/// Where operator actions are recorded. The line written by `before` must be
/// on disk when it returns: a call is only made after that.
pub trait AuditSink: Send + Sync {
    fn before(&self, entry: &AuditIntent) -> io::Result<AuditId>;
    fn after(&self, id: AuditId, at: Timestamp, outcome: Result<&str, &str>) -> io::Result<()>;
    /// Records a call wavetop decided not to make.
    fn refused(&self, entry: &AuditRefusal) -> io::Result<AuditId>;
}

impl AuditSink for AuditLog {
    fn before(&self, entry: &AuditIntent) -> io::Result<AuditId> {
        AuditLog::before(self, entry)
    }

    fn after(&self, id: AuditId, at: Timestamp, outcome: Result<&str, &str>) -> io::Result<()> {
        AuditLog::after(self, id, at, outcome)
    }

    fn refused(&self, entry: &AuditRefusal) -> io::Result<AuditId> {
        AuditLog::refused(self, entry)
    }
}

/// The audit log of a read-only console whose log could not be opened:
/// refuses every record, so even a call that slipped past read-only would
/// not be made.
pub struct RefusingAudit(pub String);

impl AuditSink for RefusingAudit {
    fn before(&self, _: &AuditIntent) -> io::Result<AuditId> {
        Err(io::Error::other(self.0.clone()))
    }

    fn after(&self, _: AuditId, _: Timestamp, _: Result<&str, &str>) -> io::Result<()> {
        Err(io::Error::other(self.0.clone()))
    }

    fn refused(&self, _: &AuditRefusal) -> io::Result<AuditId> {
        Err(io::Error::other(self.0.clone()))
    }
}

/// Writes the `before` line on tokio's blocking pool: it waits for the disk
/// (an fsync under a file lock), which an async worker must not.
pub(super) async fn record_before(
    audit: &Arc<dyn AuditSink>,
    entry: AuditIntent,
) -> io::Result<AuditId> {
    let audit = audit.clone();
    off_the_workers(move || audit.before(&entry)).await
}

/// Writes the `after` line on tokio's blocking pool, as [`record_before`].
pub(super) async fn record_after(
    audit: &Arc<dyn AuditSink>,
    id: AuditId,
    at: Timestamp,
    outcome: Result<String, String>,
) -> io::Result<()> {
    let audit = audit.clone();
    off_the_workers(move || audit.after(id, at, outcome.as_deref().map_err(String::as_str))).await
}

/// Writes a refusal on tokio's blocking pool, as [`record_before`].
pub(super) async fn record_refusal(
    audit: &Arc<dyn AuditSink>,
    entry: AuditRefusal,
) -> io::Result<AuditId> {
    let audit = audit.clone();
    off_the_workers(move || audit.refused(&entry)).await
}

async fn off_the_workers<T: Send + 'static>(
    write: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(write)
        .await
        .unwrap_or_else(|stopped| Err(io::Error::other(format!("audit write stopped: {stopped}"))))
}
