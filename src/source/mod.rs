//! The two backend traits: one observes the fleet, one operates on it. Both
//! have an AWS implementation and an in-process simulator. Read-only mode is
//! enforced here, at the boundary, by [`ReadOnly`].

pub mod aws;
pub mod read_error;
pub mod readonly;
pub mod snapshot;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::domain::fleet::{
    CheckerObservation, Flow, GlobalTable, HealthCheck, RecordSet, StackEvent,
};

pub use read_error::ReadError;
pub use readonly::ReadOnly;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What one poll asks for. The scheduler keeps one request in flight per key
/// and sets each key's cadence on its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PollKey {
    /// A flow's pipelines: structure (when its version changed), state and executions.
    Flow { flow: String },
    /// Status and new events of every tracked stack in one region.
    Stacks { region: String },
    /// Status and flags of every health check (one metric query, one list call).
    Health,
    /// Per-checker observations of the one check the operator is looking at.
    Checkers { health_check_id: String },
    /// Replicas and `ReplicationLatency` of one global table.
    Replication { table: String },
}

impl PollKey {
    /// The region whose endpoints the request goes to, for per-region isolation.
    pub fn label(&self) -> String {
        match self {
            PollKey::Flow { flow } => format!("pipeline {flow}"),
            PollKey::Stacks { region } => format!("stacks {region}"),
            PollKey::Health => "health".to_string(),
            PollKey::Checkers { health_check_id } => format!("checkers {health_check_id}"),
            PollKey::Replication { table } => format!("replication {table}"),
        }
    }
}

/// What the fleet is made of, found once at start (and again on demand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// Flows with their structure; states may be empty until the first poll.
    pub flows: Vec<Flow>,
    /// (flow, region, stack name) of every stack to watch.
    pub stacks: Vec<StackRef>,
    pub record_sets: Vec<RecordSet>,
    /// Global tables to watch, by name, with the flow they serve.
    pub tables: Vec<TableRef>,
    /// "DEMO", or the AWS account and profile.
    pub fleet_label: String,
    /// The hosted zones the configuration names, as written there.
    #[serde(default)]
    pub hosted_zones: Vec<String>,
    /// What discovery could not read (a hosted zone, an account, a home
    /// region, a configured pipeline); everything else was found.
    #[serde(default)]
    pub errors: Vec<ReadError>,
}

/// The source label of a configured hosted zone, as written in the config.
pub fn zone_source(zone: &str) -> String {
    format!("hosted zone {zone}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackRef {
    pub flow: String,
    pub region: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRef {
    pub name: String,
    pub flow: Option<String>,
    /// The region whose CloudWatch holds `ReplicationLatency` for the table.
    pub source_region: String,
}

/// A stack as one poll saw it. `new_events` holds only the events newer than
/// the last one a previous poll returned, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackObservation {
    pub flow: String,
    pub region: String,
    pub name: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub new_events: Vec<StackEvent>,
}

/// The answer to one [`PollKey`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Observation {
    Flow(Flow),
    Stacks {
        region: String,
        stacks: Vec<StackObservation>,
    },
    Health {
        checks: Vec<HealthCheck>,
    },
    Checkers {
        health_check_id: String,
        observations: Vec<CheckerObservation>,
    },
    Replication(GlobalTable),
}

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

/// Reads the fleet. Implementations must be cheap to call concurrently for
/// different keys; the scheduler never calls one key twice at once.
pub trait Observe: Send + Sync {
    fn discover(&self) -> BoxFuture<'_, Result<Discovery, SourceError>>;
    fn poll(&self, key: PollKey) -> BoxFuture<'_, Result<Observation, SourceError>>;
    /// What the last good answer to `key` could not include: a call refused
    /// or missing (an emulator without GetPipelineState) whose part of the
    /// answer is then unknown. None when the answer was whole.
    fn incomplete(&self, _key: &PollKey) -> Option<SourceError> {
        None
    }
}

/// Polls `key`, counting an answer that takes longer than `timeout` as a
/// timeout of that key alone: one hung region costs its own wait and no more.
pub async fn poll_within(
    source: &dyn Observe,
    key: PollKey,
    timeout: Duration,
) -> Result<Observation, SourceError> {
    match tokio::time::timeout(timeout, source.poll(key.clone())).await {
        Ok(result) => result,
        Err(_) => Err(SourceError::Timeout(format!(
            "{} took longer than {}s",
            key.label(),
            timeout.as_secs()
        ))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RetryMode {
    FailedActions,
    AllActions,
}

/// One call that changes AWS, named after the API it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum OperateCall {
    /// PutApprovalResult; the backend reads the current token right before the call.
    PutApprovalResult {
        pipeline: String,
        stage: String,
        action: String,
        approved: bool,
        summary: String,
    },
    RetryStageExecution {
        pipeline: String,
        stage: String,
        execution_id: String,
        mode: RetryMode,
    },
    DisableStageTransition {
        pipeline: String,
        stage: String,
        reason: String,
    },
    EnableStageTransition {
        pipeline: String,
        stage: String,
    },
    StopPipelineExecution {
        pipeline: String,
        execution_id: String,
        abandon: bool,
        reason: String,
    },
    RollbackStage {
        pipeline: String,
        stage: String,
        target_execution_id: String,
    },
    /// UpdateHealthCheck with `Inverted` (never `Disabled`: Route53 treats a
    /// disabled check as healthy).
    SetHealthCheckInverted {
        health_check_id: String,
        inverted: bool,
    },
}

impl OperateCall {
    /// The AWS API this call maps to, as shown in confirmations and the audit log.
    pub fn api_name(&self) -> &'static str {
        match self {
            OperateCall::PutApprovalResult { .. } => "codepipeline:PutApprovalResult",
            OperateCall::RetryStageExecution { .. } => "codepipeline:RetryStageExecution",
            OperateCall::DisableStageTransition { .. } => "codepipeline:DisableStageTransition",
            OperateCall::EnableStageTransition { .. } => "codepipeline:EnableStageTransition",
            OperateCall::StopPipelineExecution { .. } => "codepipeline:StopPipelineExecution",
            OperateCall::RollbackStage { .. } => "codepipeline:RollbackStage",
            OperateCall::SetHealthCheckInverted { .. } => "route53:UpdateHealthCheck",
        }
    }
}

/// What a successful operate call reports back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperateOutcome {
    pub detail: String,
}

/// Changes the fleet. Every call is confirmed by the operator and audited by
/// the caller before it reaches an implementation.
pub trait Operate: Send + Sync {
    /// Who the calls are made as (STS caller identity, or the simulator's user).
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>>;
    fn execute(&self, call: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>>;
}

impl<T: Operate + ?Sized> Operate for std::sync::Arc<T> {
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
        (**self).identity()
    }

    fn execute(&self, call: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
        (**self).execute(call)
    }
}
