//! The team audit trail: each audit line, once on disk, is also copied to a
//! CloudWatch Logs group the whole team reads, one stream per identity and
//! console session.
//!
//! The local line stays the gate ("no line, no call"). The copy is offered
//! to a bounded queue without waiting and shipped in batches by a task of
//! its own, retried with backoff; an operator action never waits for it and
//! is never refused because of it. What landed is recorded beside the log
//! (`delivery`), so a line that never got there is known.

pub mod logs;
mod ship;
pub mod stream_name;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, watch};

pub use logs::{GroupRead, PutFailure, TeamLine, TeamLog};
pub use ship::Backoff;

use super::AuditLine;

/// How many lines wait for the team log at most; past it a line is not
/// queued (it stays on disk, reported as not delivered).
pub const QUEUE_LINES: usize = 1024;

/// How the copy is doing, for a status line or a test.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub delivered: u64,
    /// The last failure to send, cleared when a batch lands.
    pub last_error: Option<String>,
}

/// The handle the audit log offers its lines to.
#[derive(Debug, Clone)]
pub struct TeamCopy {
    group: String,
    /// The group and this session, for reading the others' lines back.
    log: TeamLog,
    session: stream_name::Session,
    queue: mpsc::Sender<AuditLine>,
    offered: Arc<AtomicU64>,
    dropped: Arc<AtomicU64>,
    progress: watch::Receiver<Progress>,
}

impl TeamCopy {
    /// Starts shipping to `log` on the current tokio runtime. `local_log`
    /// is where delivery is recorded; `session` names this console's stream.
    pub fn start(
        log: TeamLog,
        local_log: PathBuf,
        session: stream_name::Session,
        backoff: Backoff,
    ) -> TeamCopy {
        TeamCopy::start_with_backlog(log, local_log, session, backoff, Vec::new())
    }

    /// [`TeamCopy::start`], sending first `backlog`: lines of earlier runs
    /// that never reached the group ([`super::delivery::backlog`]).
    pub fn start_with_backlog(
        log: TeamLog,
        local_log: PathBuf,
        session: stream_name::Session,
        backoff: Backoff,
        backlog: Vec<AuditLine>,
    ) -> TeamCopy {
        let (queue, lines) = mpsc::channel(QUEUE_LINES);
        let (report, progress) = watch::channel(Progress::default());
        let group = log.group.clone();
        // Counted as offered, so that settling waits for them too.
        let offered = Arc::new(AtomicU64::new(backlog.len() as u64));
        let shipper = ship::Shipper::new(log.clone(), local_log, session.clone(), backoff, report);
        tokio::spawn(shipper.run(backlog, lines));
        TeamCopy {
            group,
            log,
            session,
            queue,
            offered,
            dropped: Arc::default(),
            progress,
        }
    }

    pub fn group(&self) -> &str {
        &self.group
    }

    /// The group, to read back what the rest of the team did.
    pub fn team_log(&self) -> &TeamLog {
        &self.log
    }

    /// Whether `stream` is this session's own.
    pub fn is_own_stream(&self, stream: &str) -> bool {
        stream.ends_with(&self.session.suffix())
    }

    /// Queues a copy of a line already on disk; never waits. A full queue
    /// (the group unreachable for long) leaves the line undelivered.
    pub fn offer(&self, line: AuditLine) {
        match self.queue.try_send(line) {
            Ok(()) => {
                self.offered.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn progress(&self) -> Progress {
        self.progress.borrow().clone()
    }

    /// Lines queued that have not landed yet, plus any the queue refused.
    pub fn pending(&self) -> u64 {
        let offered = self.offered.load(Ordering::Relaxed);
        offered.saturating_sub(self.progress.borrow().delivered)
            + self.dropped.load(Ordering::Relaxed)
    }

    /// Waits until every queued line landed, or `limit` passed; says what
    /// is still pending (and why) when it gives up.
    pub async fn settle(&self, limit: Duration) -> Result<(), String> {
        let mut progress = self.progress.clone();
        let offered = self.offered.load(Ordering::Relaxed);
        let landed = progress.wait_for(|p| p.delivered >= offered);
        let dropped = self.dropped.load(Ordering::Relaxed);
        match tokio::time::timeout(limit, landed).await {
            Ok(Ok(_)) if dropped == 0 => Ok(()),
            _ => {
                let why = self.progress().last_error.unwrap_or_default();
                Err(format!(
                    "{} audit line(s) not copied to the team log {} yet{}; they stay in the local log (see `wavetop audit --check`)",
                    self.pending(),
                    self.group,
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(": {why}")
                    }
                ))
            }
        }
    }
}

#[cfg(test)]
#[path = "team_tests.rs"]
pub(crate) mod tests;
