//! The team's log group in CloudWatch Logs: writing a batch of audit lines
//! to this console's stream, and reading the whole group back.

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudwatchlogs::operation::create_log_stream::CreateLogStreamError;
use aws_sdk_cloudwatchlogs::operation::put_log_events::PutLogEventsError;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;

use crate::audit::AuditLine;

/// How many pages one read of the group follows at most; a busier group
/// than that is cut short and says so.
pub const MAX_PAGES: usize = 200;

/// One log group, reached with one client.
#[derive(Clone, Debug)]
pub struct TeamLog {
    pub client: Client,
    pub group: String,
}

/// Why a batch did not land.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutFailure {
    /// This console's stream does not exist yet (or was deleted): create it, then send again.
    NoStream,
    /// CloudWatch Logs already holds this batch (the legacy sequence-token
    /// answer to a batch sent twice): it is delivered.
    AlreadyAccepted,
    /// Worth sending again later: throttling, a service error, the network,
    /// a stale sequence token from the legacy API.
    Retry(String),
}

/// A line read back from the group, with the stream it was written to.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamLine {
    pub stream: String,
    pub line: AuditLine,
}

/// What one read of the group found.
#[derive(Debug, Default)]
pub struct GroupRead {
    pub lines: Vec<TeamLine>,
    /// Events that were not audit lines (another writer in the group).
    pub skipped: usize,
    /// True when [`MAX_PAGES`] ran out before the last page.
    pub cut_short: bool,
}

impl TeamLog {
    /// Creates `stream`; one that already exists is fine.
    pub async fn create_stream(&self, stream: &str) -> Result<(), String> {
        let sent = self
            .client
            .create_log_stream()
            .log_group_name(&self.group)
            .log_stream_name(stream)
            .send()
            .await;
        match sent {
            Ok(_) => Ok(()),
            Err(SdkError::ServiceError(e))
                if matches!(
                    e.err(),
                    CreateLogStreamError::ResourceAlreadyExistsException(_)
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(format!("logs:CreateLogStream: {}", describe(&e))),
        }
    }

    /// Sends `lines` (oldest first) to `stream` as one batch.
    pub async fn put(&self, stream: &str, lines: &[AuditLine]) -> Result<(), PutFailure> {
        let mut events = Vec::with_capacity(lines.len());
        for line in lines {
            let message = serde_json::to_string(line)
                .map_err(|e| PutFailure::Retry(format!("cannot encode an audit line: {e}")))?;
            let event = InputLogEvent::builder()
                .timestamp(line.ts.as_millisecond())
                .message(message)
                .build()
                .map_err(|e| PutFailure::Retry(e.to_string()))?;
            events.push(event);
        }
        let sent = self
            .client
            .put_log_events()
            .log_group_name(&self.group)
            .log_stream_name(stream)
            .set_log_events(Some(events))
            .send()
            .await;
        match sent {
            Ok(_) => Ok(()),
            Err(SdkError::ServiceError(e)) => Err(match e.err() {
                PutLogEventsError::ResourceNotFoundException(_) => PutFailure::NoStream,
                PutLogEventsError::DataAlreadyAcceptedException(_) => PutFailure::AlreadyAccepted,
                other => PutFailure::Retry(format!(
                    "logs:PutLogEvents: {}: {}",
                    other.code().unwrap_or("error"),
                    other.message().unwrap_or("no message")
                )),
            }),
            Err(e) => Err(PutFailure::Retry(format!(
                "logs:PutLogEvents: {}",
                describe(&e)
            ))),
        }
    }

    /// Every audit line of the group since `start_ms`, paged, oldest first.
    pub async fn read_since(&self, start_ms: i64) -> Result<GroupRead, String> {
        let mut read = GroupRead::default();
        let mut token: Option<String> = None;
        for page in 0.. {
            if page == MAX_PAGES {
                read.cut_short = true;
                break;
            }
            let out = self
                .client
                .filter_log_events()
                .log_group_name(&self.group)
                .start_time(start_ms)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| format!("logs:FilterLogEvents: {}", describe(&e)))?;
            for event in out.events() {
                let parsed = event
                    .message()
                    .and_then(|m| serde_json::from_str::<AuditLine>(m).ok());
                match parsed {
                    Some(line) => read.lines.push(TeamLine {
                        stream: event.log_stream_name().unwrap_or_default().to_string(),
                        line,
                    }),
                    None => read.skipped += 1,
                }
            }
            match out.next_token() {
                Some(next) if !next.is_empty() => token = Some(next.to_string()),
                _ => break,
            }
        }
        read.lines.sort_by_key(|l| l.line.ts);
        Ok(read)
    }
}

/// An SDK error in a line: the service's code and message when it answered.
fn describe<E: ProvideErrorMetadata + std::error::Error + 'static, R>(e: &SdkError<E, R>) -> String
where
    R: std::fmt::Debug,
{
    match e {
        SdkError::ServiceError(service) => format!(
            "{}: {}",
            service.err().code().unwrap_or("error"),
            service.err().message().unwrap_or("no message")
        ),
        other => format!(
            "{}",
            aws_smithy_types::error::display::DisplayErrorContext(other)
        ),
    }
}
