//! The task that ships queued audit lines to the team log: batches of what
//! is waiting, the stream created once, each batch sent until it lands,
//! waiting longer after each failure.

use std::collections::HashMap;
use std::collections::HashSet;
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

/// The widest time span of one PutLogEvents batch the API accepts.
const BATCH_SPAN: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// An earlier run's lines cut into batches the API accepts, each with the
/// identity whose stream it goes to: an `after` line (which names no one)
/// goes with its `before`. Those runs' own streams cannot be told from the
/// log, so the lines go to this session's stream for that identity, with
/// their original times.
fn backlog_batches<'a>(lines: &'a [AuditLine]) -> Vec<(Option<&'a str>, &'a [AuditLine])> {
    let callers: HashMap<&str, &'a str> = lines
        .iter()
        .filter_map(|l| Some((l.id.as_str(), l.identity.as_deref()?)))
        .collect();
    let who = |l: &'a AuditLine| -> Option<&'a str> {
        l.identity
            .as_deref()
            .or_else(|| callers.get(l.id.as_str()).copied())
    };
    let mut batches = Vec::new();
    let mut start = 0;
    for (i, line) in lines.iter().enumerate() {
        let first = lines.get(start).unwrap_or(line);
        if i > start
            && (i - start == BATCH_LINES
                || who(line) != who(first)
                || line.ts.duration_since(first.ts) >= BATCH_SPAN)
        {
            batches.push((who(first), lines.get(start..i).unwrap_or_default()));
            start = i;
        }
    }
    if let Some(rest) = lines.get(start..).filter(|r| !r.is_empty()) {
        batches.push((rest.first().and_then(who), rest));
    }
    batches
}

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
    /// Streams made (or found) by this session.
    created: HashSet<String>,
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
            created: HashSet::new(),
        }
    }

    /// Ships `backlog` (an earlier run's undelivered lines, oldest first),
    /// then the queue until every sender is gone and it is empty.
    pub(super) async fn run(
        mut self,
        backlog: Vec<AuditLine>,
        mut queue: mpsc::Receiver<AuditLine>,
    ) {
        for (identity, batch) in backlog_batches(&backlog) {
            let stream = self.session.stream_name(identity);
            self.deliver(&stream, batch).await;
        }
        let mut batch = Vec::with_capacity(BATCH_LINES);
        while queue.recv_many(&mut batch, BATCH_LINES).await > 0 {
            // Before and after lines of calls made side by side may arrive
            // out of order; CloudWatch Logs wants a batch in time order.
            batch.sort_by_key(|l: &AuditLine| l.ts);
            let stream = self.stream_for(&batch).to_string();
            self.deliver(&stream, &batch).await;
            batch.clear();
        }
    }

    /// Sends `batch` to `stream` until it lands.
    async fn deliver(&mut self, stream: &str, batch: &[AuditLine]) {
        let mut wait = self.backoff.first;
        loop {
            let outcome = match self.ensure_stream(stream).await {
                Ok(()) => self.log.put(stream, batch).await,
                Err(why) => Err(PutFailure::Retry(why)),
            };
            let why = match outcome {
                Ok(()) | Err(PutFailure::AlreadyAccepted) => {
                    self.landed(stream, batch);
                    return;
                }
                Err(PutFailure::NoStream) => {
                    // Made again on the next try: deleted under us, or never made.
                    self.created.remove(stream);
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
        if !self.created.contains(stream) {
            self.log.create_stream(stream).await?;
            self.created.insert(stream.to_string());
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
