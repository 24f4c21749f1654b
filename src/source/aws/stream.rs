//! The change stream on AWS: `FilterLogEvents` on the log group(s) the
//! rules of `deploy/wavetop-stream.yaml` write to, from this console's own
//! start time. Nothing is consumed: any number of consoles read the same
//! group, each keeping its own position here.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use aws_sdk_cloudwatchlogs::Client;
use jiff::Timestamp;

use super::AwsBackend;
use super::clients::DEFAULT_ACCOUNT;
use super::errors::map_sdk_error;
use crate::config::stream::{StreamConfig, StreamSource};
use crate::domain::stream_event::parse_event;
use crate::protocol::{BoxFuture, ReadStream, SourceError, StreamBatch};

/// CloudWatch Logs stamps an event with the EventBridge event's time, and
/// delivery takes a few seconds: an event may show up after a later one
/// was read. Each read goes back this far and drops the ids it has seen.
const OVERLAP_MS: i64 = 30_000;
/// Pages one read follows at most; the rest waits for the next read.
const MAX_PAGES: u32 = 20;
/// Why an event was skipped is told for this many a read at most.
const MAX_SKIPPED_NOTES: usize = 3;

/// One log group and where this console has read it to.
struct Group {
    source: StreamSource,
    client: Client,
    cursor: Mutex<Cursor>,
}

#[derive(Default)]
struct Cursor {
    /// The newest event time read (ms).
    newest_ms: i64,
    /// Ids of the events read within the overlap, with their times.
    seen: HashMap<String, i64>,
}

pub struct AwsStream {
    groups: Vec<Group>,
}

impl AwsStream {
    /// Reads each group from `start` on.
    pub fn new(groups: Vec<(StreamSource, Client)>, start: Timestamp) -> AwsStream {
        let newest_ms = start.as_millisecond();
        AwsStream {
            groups: groups
                .into_iter()
                .map(|(source, client)| Group {
                    source,
                    client,
                    cursor: Mutex::new(Cursor {
                        newest_ms,
                        seen: HashMap::new(),
                    }),
                })
                .collect(),
        }
    }

    async fn read_all(&self) -> Result<StreamBatch, SourceError> {
        let mut batch = StreamBatch::default();
        for group in &self.groups {
            read_group(group, &mut batch).await.map_err(|e| {
                SourceError::Other(format!(
                    "{} in {} ({}): {e}",
                    group.source.log_group, group.source.region, group.source.account
                ))
            })?;
        }
        batch.events.sort_by_key(|e| e.time);
        Ok(batch)
    }
}

impl ReadStream for AwsStream {
    fn read(&self) -> BoxFuture<'_, Result<StreamBatch, SourceError>> {
        Box::pin(self.read_all())
    }
}

impl AwsBackend {
    /// The reader of `[stream]`'s log groups, from `start` on. Nothing is
    /// sent to AWS here.
    pub async fn open_stream(
        &self,
        config: &StreamConfig,
        start: Timestamp,
    ) -> Result<AwsStream, SourceError> {
        let home = self
            .pool
            .account(DEFAULT_ACCOUNT)
            .map(|a| a.home_regions.clone())
            .unwrap_or_default();
        let mut groups = Vec::new();
        for source in config.sources(&home) {
            let client = self
                .pool
                .cloudwatchlogs(&source.account, &source.region)
                .await?;
            groups.push((source, client));
        }
        Ok(AwsStream::new(groups, start))
    }

    /// The regions whose pipelines and stacks the stream hears from in every
    /// account the console reads: the stream stands in for their polls. A
    /// region without a stack of the template, or an account without any,
    /// is polled as usual (if one account has none, every region is).
    pub fn stream_regions(&self, config: &StreamConfig) -> BTreeSet<String> {
        let home = self
            .pool
            .account(DEFAULT_ACCOUNT)
            .map(|a| a.home_regions.clone())
            .unwrap_or_default();
        let sources = config.sources(&home);
        let every_account = self
            .pool
            .accounts()
            .iter()
            .all(|a| sources.iter().any(|s| s.account == a.name));
        match every_account {
            true => sources.into_iter().map(|s| s.region).collect(),
            false => BTreeSet::new(),
        }
    }
}

fn lock(m: &Mutex<Cursor>) -> std::sync::MutexGuard<'_, Cursor> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

async fn read_group(group: &Group, batch: &mut StreamBatch) -> Result<(), SourceError> {
    let from_ms = lock(&group.cursor).newest_ms - OVERLAP_MS;
    let mut token: Option<String> = None;
    let mut fresh: Vec<(String, i64, String)> = Vec::new();
    for _ in 0..MAX_PAGES {
        let out = group
            .client
            .filter_log_events()
            .log_group_name(&group.source.log_group)
            .start_time(from_ms)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("logs:FilterLogEvents", e))?;
        batch.requests = batch.requests.saturating_add(1);
        for event in out.events() {
            let (Some(id), Some(ms), Some(message)) =
                (event.event_id(), event.timestamp(), event.message())
            else {
                continue;
            };
            // An event id is unique within its log stream only.
            let stream = event.log_stream_name().unwrap_or_default();
            fresh.push((format!("{stream}/{id}"), ms, message.to_string()));
        }
        match out.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    let mut cursor = lock(&group.cursor);
    for (id, ms, message) in fresh {
        if cursor.seen.insert(id, ms).is_some() {
            continue;
        }
        cursor.newest_ms = cursor.newest_ms.max(ms);
        match parse_event(&message) {
            Ok(event) => batch.events.push(event),
            Err(why) if batch.skipped.len() < MAX_SKIPPED_NOTES => batch.skipped.push(why),
            Err(_) => {}
        }
    }
    let keep_from = cursor.newest_ms - OVERLAP_MS;
    cursor.seen.retain(|_, ms| *ms >= keep_from);
    Ok(())
}
