//! Carrying out confirmed operations: audit line first, flushed to disk, then
//! the call, then the outcome. Shared by the console and the headless commands.

use std::io;

use jiff::Timestamp;

use crate::audit::{AuditId, AuditIntent, AuditLog};
use crate::source::{Operate, OperateCall, OperateOutcome, SourceError};

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
    ) -> io::Result<AuditId> {
        AuditLog::before(
            self,
            &AuditIntent {
                ts: at,
                identity: identity.to_string(),
                target: target.to_string(),
                call: call.clone(),
                params: serde_json::json!({ "intent": intent }),
            },
        )
    }

    fn after(&self, at: Timestamp, id: AuditId, outcome: Result<&str, &str>) -> io::Result<()> {
        AuditLog::after(self, id, at, outcome)
    }
}

/// Runs the calls in order and stops at the first failure; one result per
/// call attempted.
pub async fn run_calls(
    operate: &dyn Operate,
    audit: &dyn AuditSink,
    now: &(dyn Fn() -> Timestamp + Send + Sync),
    identity: &str,
    intent: &str,
    target: &str,
    calls: &[OperateCall],
) -> Vec<Result<OperateOutcome, SourceError>> {
    let mut results = Vec::with_capacity(calls.len());
    for call in calls {
        let id = match audit.before(now(), identity, intent, target, call) {
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
