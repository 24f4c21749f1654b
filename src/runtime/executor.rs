//! Carrying out confirmed operations: what the decision rests on read again,
//! then the audit line (with what was read) flushed to disk, then the call,
//! then the outcome. Shared by the console and the headless commands.

use std::io;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;

use crate::audit::{AuditId, AuditIntent, AuditLog};
use crate::core::recheck::{Guard, recheck};
use crate::protocol::{Observation, Observe, Operate, OperateCall, OperateOutcome, SourceError};

/// How long the fresh read before a call may take. Past it nothing is called:
/// an operator action is never made on state that could not be read.
const FRESH_READ_TIMEOUT: Duration = Duration::from_secs(20);

/// The outcome of one confirmed operation.
pub struct Operated {
    /// One result per call attempted; a single [`SourceError::NotDone`] when
    /// the fresh read refused the calls.
    pub results: Vec<Result<OperateOutcome, SourceError>>,
    /// What the guard read, when it could.
    pub fresh: Option<Observation>,
}

/// Where operator actions are recorded. The line written by `before` must be
/// on disk when it returns: a call is only made after that.
pub trait AuditSink: Send + Sync {
    fn before(
        &self,
        at: Timestamp,
        identity: &str,
        intent: &str,
        target: &str,
        call: &OperateCall,
        state_read: &Value,
    ) -> io::Result<AuditId>;
    fn after(&self, at: Timestamp, id: AuditId, outcome: Result<&str, &str>) -> io::Result<()>;
}

impl AuditSink for AuditLog {
    fn before(
        &self,
        at: Timestamp,
        identity: &str,
        intent: &str,
        target: &str,
        call: &OperateCall,
        state_read: &Value,
    ) -> io::Result<AuditId> {
        AuditLog::before(
            self,
            &AuditIntent {
                ts: at,
                identity: identity.to_string(),
                target: target.to_string(),
                call: call.clone(),
                params: serde_json::json!({ "intent": intent, "state_read": state_read }),
            },
        )
    }

    fn after(&self, at: Timestamp, id: AuditId, outcome: Result<&str, &str>) -> io::Result<()> {
        AuditLog::after(self, id, at, outcome)
    }
}

/// Who acts, on what, and how the calls are recorded.
pub struct Operation<'a> {
    pub identity: &'a str,
    /// What the operator asked for, in words.
    pub intent: &'a str,
    /// The region or wave the calls act on.
    pub target: &'a str,
    pub calls: &'a [OperateCall],
    pub guard: &'a Guard,
}

/// Reads again what the decision rests on and makes the calls only if it
/// still holds; otherwise calls nothing and says why.
pub async fn run_guarded(
    observe: &dyn Observe,
    operate: &dyn Operate,
    audit: &dyn AuditSink,
    now: &(dyn Fn() -> Timestamp + Send + Sync),
    op: &Operation<'_>,
) -> Operated {
    let read = op.guard.read.clone();
    let fresh = match tokio::time::timeout(FRESH_READ_TIMEOUT, observe.poll(read.clone())).await {
        Ok(Ok(observation)) => observation,
        Ok(Err(e)) => {
            return not_done(
                format!("could not read {} again before the call: {e}", read.label()),
                None,
            );
        }
        Err(_) => {
            return not_done(
                format!(
                    "could not read {} again before the call within {}s",
                    read.label(),
                    FRESH_READ_TIMEOUT.as_secs()
                ),
                None,
            );
        }
    };
    match recheck(&op.guard.expect, &fresh, now()) {
        Ok(state_read) => Operated {
            results: run_calls(operate, audit, now, op, &state_read).await,
            fresh: Some(fresh),
        },
        Err(why) => not_done(why, Some(fresh)),
    }
}

fn not_done(why: String, fresh: Option<Observation>) -> Operated {
    Operated {
        results: vec![Err(SourceError::NotDone(format!(
            "{why}; nothing was called"
        )))],
        fresh,
    }
}

/// Runs the calls in order and stops at the first failure; one result per
/// call attempted.
async fn run_calls(
    operate: &dyn Operate,
    audit: &dyn AuditSink,
    now: &(dyn Fn() -> Timestamp + Send + Sync),
    op: &Operation<'_>,
    state_read: &Value,
) -> Vec<Result<OperateOutcome, SourceError>> {
    let Operation {
        identity,
        intent,
        target,
        calls,
        ..
    } = *op;
    let mut results = Vec::with_capacity(calls.len());
    for call in calls {
        let id = match audit.before(now(), identity, intent, target, call, state_read) {
            Ok(id) => id,
            Err(e) => {
                // No audit line, no call.
                results.push(Err(SourceError::Other(format!(
                    "audit log not writable, call not made: {e}"
                ))));
                break;
            }
        };
        let result = operate.execute(call.clone()).await;
        let outcome = match &result {
            Ok(o) => Ok(o.detail.as_str()),
            Err(e) => Err(e.to_string()),
        };
        let logged = match &outcome {
            Ok(detail) => audit.after(now(), id, Ok(detail)),
            Err(text) => audit.after(now(), id, Err(text.as_str())),
        };
        let failed = result.is_err();
        results.push(result);
        if let Err(e) = logged {
            results.push(Err(SourceError::Other(format!(
                "audit log not writable after the call: {e}"
            ))));
            break;
        }
        if failed {
            break;
        }
    }
    results
}
