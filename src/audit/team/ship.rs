//! The task that ships queued audit lines to the team log: batches of what
//! is waiting, the stream created once, each batch sent until it lands,
//! waiting longer after each failure.

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::Progress;
use super::logs::{PutFailure, TeamLog};
use super::stream_name::Session;
use crate::audit::AuditLine;
use crate::audit::delivery::{self, Delivered};

/// Lines per PutLogEvents call; far under the API's 10,000 and 1 MB.
const BATCH_LINES: usize = 100;

/// How long to wait after a failed send: `first`, doubled each time up to `most`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub first: Duration,
    pub most: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            first: Duration::from_secs(1),
            most: Duration::from_secs(60),
        }
    }
}

pub(super) struct Shipper {
    log: TeamLog,
    local_log: PathBuf,
    session: Session,
    backoff: Backoff,
    report: watch::Sender<Progress>,
    /// Named from the first line's identity; created before the first batch.
    stream: Option<String>,
    created: bool,
}

impl Shipper {
    pub(super) fn new(
        log: TeamLog,
        local_log: PathBuf,
        session: Session,
        backoff: Backoff,
        report: watch::Sender<Progress>,
    ) -> Shipper {
        Shipper {
            log,
            local_log,
            session,
            backoff,
            report,
            stream: None,
            created: false,
        }
    }

    /// Ships until every sender is gone and the queue is empty.
    pub(super) async fn run(mut self, mut queue: mpsc::Receiver<AuditLine>) {
        let mut batch = Vec::with_capacity(BATCH_LINES);
        while queue.recv_many(&mut batch, BATCH_LINES).await > 0 {
            // Before and after lines of calls made side by side may arrive
            // out of order; CloudWatch Logs wants a batch in time order.
            batch.sort_by_key(|l: &AuditLine| l.ts);
            self.deliver(&batch).await;
            batch.clear();
        }
    }

    /// Sends `batch` until it lands.
    async fn deliver(&mut self, batch: &[AuditLine]) {
        let stream = self.stream_for(batch).to_string();
        let mut wait = self.backoff.first;
        loop {
            let outcome = match self.ensure_stream(&stream).await {
                Ok(()) => self.log.put(&stream, batch).await,
                Err(why) => Err(PutFailure::Retry(why)),
            };
            let why = match outcome {
                Ok(()) | Err(PutFailure::AlreadyAccepted) => {
                    self.landed(&stream, batch);
                    return;
                }
                Err(PutFailure::NoStream) => {
                    // Made again on the next try: deleted under us, or never made.
                    self.created = false;
                    "the stream does not exist".to_string()
                }
                Err(PutFailure::Retry(why)) => why,
            };
            self.report.send_modify(|p| p.last_error = Some(why));
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(self.backoff.most);
        }
    }

    fn stream_for(&mut self, batch: &[AuditLine]) -> &str {
        let session = &self.session;
        self.stream.get_or_insert_with(|| {
            let identity = batch.iter().find_map(|l| l.identity.as_deref());
            session.stream_name(identity)
        })
    }

    async fn ensure_stream(&mut self, stream: &str) -> Result<(), String> {
        if !self.created {
            self.log.create_stream(stream).await?;
            self.created = true;
        }
        Ok(())
    }

    /// Records the batch as delivered beside the local log, then reports it.
    fn landed(&self, stream: &str, batch: &[AuditLine]) {
        let record = Delivered {
            ts: jiff::Timestamp::now(),
            group: self.log.group.clone(),
            stream: stream.to_string(),
            lines: batch.iter().map(AuditLine::key).collect(),
        };
        // Not recorded, the lines read as undelivered: the safe side.
        let noted = delivery::record(&self.local_log, &record).err();
        self.report.send_modify(|p| {
            p.delivered += batch.len() as u64;
            p.last_error = noted.map(|e| format!("delivery not recorded locally: {e}"));
        });
    }
}
