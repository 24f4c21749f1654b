//! What a backend answers when a read or a call fails.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Errors a backend can answer; the ones that change behaviour have their own variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum SourceError {
    /// Read-only mode refused an operate call before it reached the backend.
    ReadOnly,
    Throttled(String),
    AccessDenied(String),
    ExpiredCredentials(String),
    NotFound(String),
    /// The approval's token is stale or the approval was already answered.
    InvalidApprovalToken(String),
    ApprovalAlreadyCompleted(String),
    StageNotRetryable(String),
    /// The call targets an execution that is no longer the stage's latest.
    NotLatestExecution(String),
    Conflict(String),
    Timeout(String),
    Unreachable(String),
    /// Nothing was called: what the decision rested on changed (someone
    /// else got there first) or could not be read again.
    NotDone(String),
    Other(String),
}

impl SourceError {
    /// A read of `label` that gave no answer within `after`: the scheduler
    /// and a single bounded poll word it the same way.
    pub fn timed_out(label: &str, after: Duration) -> SourceError {
        SourceError::Timeout(format!("{label} took longer than {}s", after.as_secs()))
    }

    /// Whether the scheduler should back off before asking again.
    pub fn is_throttle_or_server(&self) -> bool {
        matches!(
            self,
            SourceError::Throttled(_) | SourceError::Timeout(_) | SourceError::Unreachable(_)
        )
    }
}

impl SourceError {
    /// The text the variant carries, without the words Display puts before it.
    pub fn detail(&self) -> &str {
        match self {
            SourceError::ReadOnly => "",
            SourceError::Throttled(m)
            | SourceError::AccessDenied(m)
            | SourceError::ExpiredCredentials(m)
            | SourceError::NotFound(m)
            | SourceError::InvalidApprovalToken(m)
            | SourceError::ApprovalAlreadyCompleted(m)
            | SourceError::StageNotRetryable(m)
            | SourceError::NotLatestExecution(m)
            | SourceError::Conflict(m)
            | SourceError::Timeout(m)
            | SourceError::Unreachable(m)
            | SourceError::NotDone(m)
            | SourceError::Other(m) => m,
        }
    }
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceError::ReadOnly => write!(f, "refused: wavetop is in read-only mode"),
            SourceError::Throttled(m) => write!(f, "throttled by AWS: {m}"),
            SourceError::AccessDenied(m) => write!(f, "access denied: {m}"),
            SourceError::ExpiredCredentials(m) => write!(f, "credentials expired: {m}"),
            SourceError::NotFound(m) => write!(f, "not found: {m}"),
            SourceError::InvalidApprovalToken(m) => {
                write!(
                    f,
                    "approval token is no longer valid (refresh and try again): {m}"
                )
            }
            SourceError::ApprovalAlreadyCompleted(m) => {
                write!(f, "approval was already answered: {m}")
            }
            SourceError::StageNotRetryable(m) => write!(f, "stage cannot be retried now: {m}"),
            SourceError::NotLatestExecution(m) => {
                write!(f, "not the stage's latest execution: {m}")
            }
            SourceError::Conflict(m) => write!(f, "conflict: {m}"),
            SourceError::Timeout(m) => write!(f, "timed out: {m}"),
            SourceError::Unreachable(m) => write!(f, "unreachable: {m}"),
            SourceError::NotDone(m) => write!(f, "not done: {m}"),
            SourceError::Other(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for SourceError {}
