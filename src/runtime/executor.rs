//! Carrying out confirmed operations: what the decision rests on read again,
//! then the audit line (with what was read) flushed to disk, then the call,
//! then the outcome. The one path the console, its test harness and the
//! headless commands all take.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::audit_sink::{AuditSink, record_after, record_before, record_refusal};
use super::clock::Clock;
use crate::audit::{AuditIntent, AuditRefusal};
use crate::core::msg::{Effect, Msg, OperateReport};
use crate::core::op_target::OpTarget;
use crate::core::recheck::{Guard, recheck};
use crate::protocol::{Observation, Observe, Operate, OperateCall, SourceError, UNKNOWN_IDENTITY};

/// How long the fresh read before a call may take. Past it nothing is called:
/// an operator action is never made on state that could not be read.
const FRESH_READ_TIMEOUT: Duration = Duration::from_secs(20);

/// What confirmed operations are carried out with: the backend that is read
/// again and called, the log that records each call, the clock that stamps it.
#[derive(Clone)]
pub struct Executor {
    pub observe: Arc<dyn Observe>,
    pub operate: Arc<dyn Operate>,
    pub audit: Arc<dyn AuditSink>,
    pub clock: Clock,
}

/// Who acts, on what, with which calls, resting on what.
#[derive(Debug, Clone)]
pub struct Operation {
    pub identity: String,
    /// What the operator asked for, in words.
    pub intent: String,
    /// The gate, stage, execution or region the calls act on.
    pub target: OpTarget,
    pub calls: Vec<OperateCall>,
    pub guard: Guard,
}

impl Operation {
    /// The operation an [`Effect::Operate`] asks for, with its id; made as
    /// `identity` when the backend told who the caller is. None for any
    /// other effect.
    pub fn asked_by(effect: Effect, identity: Option<&str>) -> Option<(u64, Operation)> {
        let Effect::Operate {
            op_id,
            intent,
            target,
            calls,
            guard,
        } = effect
        else {
            return None;
        };
        let identity = identity.unwrap_or(UNKNOWN_IDENTITY).to_string();
        Some((
            op_id,
            Operation {
                identity,
                intent,
                target,
                calls,
                guard: *guard,
            },
        ))
    }
}

impl Executor {
    /// Records the refusal an [`Effect::RecordRefusal`] asks for, made as
    /// `identity`: the message for update() when it could not be written,
    /// None when it was (or for any other effect).
    pub async fn record_refusal(&self, effect: Effect, identity: Option<&str>) -> Option<Msg> {
        let Effect::RecordRefusal {
            intent,
            target,
            call,
            verdict,
        } = effect
        else {
            return None;
        };
        let who = ((self.clock)(), identity.unwrap_or(UNKNOWN_IDENTITY));
        let entry = AuditRefusal::on_verdict(who, target.to_string(), call, &intent, &verdict);
        match record_refusal(&self.audit, entry).await {
            Ok(_) => None,
            Err(e) => Some(Msg::RefusalNotRecorded(e.to_string())),
        }
    }

    /// Carries out operation `op_id` and says how it went, as update() expects.
    pub async fn answer(&self, op_id: u64, op: &Operation) -> Msg {
        Msg::Operated {
            op_id,
            report: self.run(op).await,
        }
    }

    /// Reads again what the decision rests on and makes the calls only if it
    /// still holds; otherwise calls nothing and says why. An operation
    /// without calls has nothing to guard: nothing is read or called.
    pub async fn run(&self, op: &Operation) -> OperateReport {
        if op.calls.is_empty() {
            return OperateReport::default();
        }
        let fresh = match self.read_again(&op.guard).await {
            Ok(fresh) => fresh,
            Err(why) => return not_done(why, None),
        };
        match recheck(&op.guard.expect, &fresh, (self.clock)()) {
            Ok(state_read) => OperateReport {
                fresh: Some(fresh),
                ..self.make_calls(op, &state_read).await
            },
            Err(why) => not_done(why, Some(fresh)),
        }
    }

    async fn read_again(&self, guard: &Guard) -> Result<Observation, String> {
        let read = &guard.read;
        match tokio::time::timeout(FRESH_READ_TIMEOUT, self.observe.poll(read.clone())).await {
            Ok(Ok(observation)) => Ok(observation),
            Ok(Err(e)) => Err(format!(
                "could not read {} again before the call: {e}",
                read.label()
            )),
            Err(_) => Err(format!(
                "could not read {} again before the call within {}s",
                read.label(),
                FRESH_READ_TIMEOUT.as_secs()
            )),
        }
    }

    /// Makes the calls in order and stops at the first failure: one result
    /// per call attempted, so never more results than calls.
    async fn make_calls(&self, op: &Operation, state_read: &Value) -> OperateReport {
        let mut report = OperateReport::default();
        for call in &op.calls {
            let id = match record_before(&self.audit, self.audit_intent(op, call, state_read)).await
            {
                Ok(id) => id,
                Err(e) => {
                    // No audit line, no call.
                    report.results.push(Err(SourceError::Other(format!(
                        "audit log not writable, call not made: {e}"
                    ))));
                    break;
                }
            };
            let result = self.operate.execute(call.clone()).await;
            let outcome = match &result {
                Ok(o) => Ok(o.detail.clone()),
                Err(e) => Err(e.to_string()),
            };
            let logged = record_after(&self.audit, id, (self.clock)(), outcome).await;
            let failed = result.is_err();
            report.results.push(result);
            if let Err(e) = logged {
                report.audit_error = Some(SourceError::Other(format!(
                    "audit log not writable after the call: {e}"
                )));
                break;
            }
            if failed {
                break;
            }
        }
        report
    }

    fn audit_intent(&self, op: &Operation, call: &OperateCall, state_read: &Value) -> AuditIntent {
        AuditIntent {
            ts: (self.clock)(),
            identity: op.identity.clone(),
            target: op.target.to_string(),
            call: call.clone(),
            params: serde_json::json!({ "intent": op.intent, "state_read": state_read }),
        }
    }
}

fn not_done(why: String, fresh: Option<Observation>) -> OperateReport {
    OperateReport {
        results: vec![Err(SourceError::NotDone(format!(
            "{why}; nothing was called"
        )))],
        audit_error: None,
        fresh,
    }
}

#[cfg(test)]
#[path = "executor_tests.rs"]
mod tests;
