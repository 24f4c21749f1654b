//! The two backend traits: one observes the fleet, one operates on it. Both
//! have an AWS implementation and an in-process simulator; read-only mode is
//! enforced by a wrapper at the operate boundary (`source::ReadOnly`).
//!
//! The futures are plain boxed std futures, so the traits name no runtime.

use std::future::Future;
use std::pin::Pin;

use super::{
    CredentialsStatus, Discovery, Observation, OperateCall, OperateOutcome, Pace, PollKey,
    SourceError,
};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

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
    /// How fast each service endpoint is read now, for a backend that paces
    /// its reads; empty for one that needs no pacing (the simulator).
    fn pacing(&self) -> Vec<Pace> {
        Vec::new()
    }
    /// Whether a live change stream brings the stacks' resource events: a
    /// poll of stacks may then leave out the events of a stack whose status
    /// has not changed since its last poll (reconciliation).
    fn stream_covers_stacks(&self, _live: bool) {}
    /// The credentials each account is read with, asked of their provider
    /// (which caches them); empty for a backend that needs none (the simulator).
    fn credentials(&self) -> BoxFuture<'_, Vec<CredentialsStatus>> {
        Box::pin(std::future::ready(Vec::new()))
    }
}

/// The identity recorded (in approval summaries, hold reasons and the audit
/// log) when the backend could not say who the calls are made as.
pub const UNKNOWN_IDENTITY: &str = "unknown";

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
