//! A call wavetop decided not to make on the operator's behalf: an approval
//! scheduled for a region's window whose verdict was NO-GO when the window
//! opened. The operator asked for it hours before and may be asleep; the
//! log says what was not done and why. It is a line of its own kind
//! (`"phase":"refused"`) that frames no call, so `audit --check` never
//! counts it as a call whose outcome is missing.
//!
//! ```text
//! {"ts":"…","phase":"refused","id":"…","identity":"…","target":"api/NorthAmerica us-west-2","api":"codepipeline:PutApprovalResult","call":{…},"params":{"intent":"approval at window","verdict":{"call":"no_go","reasons":[…]}},"detail":"NO-GO: …"}
//! ```

use std::io;

use jiff::Timestamp;

use super::{AuditId, AuditIntent, AuditLog, Phase};
use crate::domain::verdict::Verdict;
use crate::protocol::OperateCall;

/// What was not done (as whom, on what) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRefusal {
    /// The call that would have been made; its params carry the intent's
    /// title and the verdict with its reasons.
    pub refused: AuditIntent,
    /// Why it was not: the verdict in words.
    pub reason: String,
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
            refused: AuditIntent {
                ts,
                identity: identity.to_string(),
                target,
                call,
                params: serde_json::json!({ "intent": intent, "verdict": verdict }),
            },
            reason: verdict.summary(),
        }
    }
}

impl AuditLog {
    /// Records a refusal and makes sure it is on disk.
    pub fn refused(&self, entry: &AuditRefusal) -> io::Result<AuditId> {
        self.call_line(Phase::Refused, &entry.refused, Some(entry.reason.clone()))
    }
}
