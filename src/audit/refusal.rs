//! A call wavetop decided not to make on the operator's behalf: an approval
//! scheduled for a region's window whose verdict was NO-GO when the window
//! opened. The operator asked for it hours before and may be asleep; the
//! log says what was not done and why. It is a line of its own kind
//! (`"phase":"refused"`) that frames no call, so `audit --check` never
//! counts it as a call whose outcome is missing.
//!
//! ```text
//! {"ts":"…","phase":"refused","id":"…","identity":"…","target":"api/NorthAmerica us-west-2","api":"codepipeline:PutApprovalResult","call":{…},"params":{"intent":"approval at window","verdict":"no_go","reasons":["…"]},"detail":"NO-GO: …"}
//! ```

use std::io;

use jiff::Timestamp;

use super::{AuditId, AuditLine, AuditLog, Phase};
use crate::domain::verdict::Verdict;
use crate::protocol::OperateCall;

/// What was not done, as whom, on what, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRefusal {
    pub ts: Timestamp,
    pub identity: String,
    pub target: String,
    /// The call that would have been made.
    pub call: OperateCall,
    /// Why it was not: the verdict in words.
    pub reason: String,
    /// What the line carries beside: the intent's title, the verdict and its reasons.
    pub params: serde_json::Value,
}

impl AuditRefusal {
    /// The refusal of `call`, asked for as `intent`, on `verdict`.
    pub fn on_verdict(
        (ts, identity): (Timestamp, &str),
        target: String,
        call: OperateCall,
        intent: &str,
        verdict: &Verdict,
    ) -> AuditRefusal {
        AuditRefusal {
            ts,
            identity: identity.to_string(),
            target,
            call,
            reason: verdict.summary(),
            params: serde_json::json!({ "intent": intent, "verdict": verdict }),
        }
    }
}

impl AuditLog {
    /// Records a refusal and makes sure it is on disk.
    pub fn refused(&self, entry: &AuditRefusal) -> io::Result<AuditId> {
        let id = AuditId::next(entry.ts);
        self.append(&AuditLine {
            ts: entry.ts,
            phase: Phase::Refused,
            id: id.clone(),
            identity: Some(entry.identity.clone()),
            target: Some(entry.target.clone()),
            api: Some(entry.call.api_name().to_string()),
            call: Some(entry.call.clone()),
            params: Some(entry.params.clone()),
            outcome: None,
            detail: Some(entry.reason.clone()),
        })?;
        Ok(id)
    }
}
