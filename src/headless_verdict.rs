//! The promotion verdict for headless approvals: an approval on NO-GO needs
//! `--override-reason`, and an approval at the window is judged again on a
//! fresh read when the window opens, and not sent on NO-GO.

use jiff::Timestamp;

use crate::core::intent::Intent;
use crate::domain::fleet::Fleet;
use crate::domain::verdict::{Call, Verdict, VerdictCtx, verdict};
use crate::domain::window::Windows;

/// The verdict on the gate an approval answers, on `fleet` at `now`; None
/// for any other intent, or a gate no longer in the fleet. Alarms that a
/// fleet read did not answer are already errors of the read: the headless
/// commands refuse such a read before judging.
pub(crate) fn approval_verdict(
    fleet: &Fleet,
    windows: &Windows,
    (now, lag_warning_ms): (Timestamp, f64),
    intent: &Intent,
) -> Option<Verdict> {
    let (Intent::Approve {
        pipeline,
        stage,
        region,
        ..
    }
    | Intent::ApproveAtWindow {
        pipeline,
        stage,
        region,
        ..
    }) = intent
    else {
        return None;
    };
    let ctx = VerdictCtx {
        fleet,
        windows,
        now,
        lag_warning_ms,
        unread_alarm_regions: &[],
    };
    fleet.flows.iter().find_map(|flow| {
        let index = flow
            .waves
            .iter()
            .position(|w| w.pipeline == *pipeline && w.name == *stage)?;
        Some(verdict(&ctx, flow, index, region))
    })
}

/// The comment an approval is sent with: on NO-GO the override's reason,
/// which must be given; otherwise the operator's comment as it is.
pub(crate) fn approval_comment(
    verdict: Option<&Verdict>,
    comment: &str,
    override_reason: &str,
) -> Result<String, String> {
    match verdict {
        Some(v) if v.call == Call::NoGo => {
            if override_reason.trim().is_empty() {
                return Err(format!(
                    "the gate's verdict is {}; to approve anyway pass --override-reason",
                    v.summary()
                ));
            }
            let reason = format!("NO-GO override: {}", override_reason.trim());
            Ok(match comment.trim().is_empty() {
                true => reason,
                false => format!("{reason}; {comment}"),
            })
        }
        _ => Ok(comment.to_string()),
    }
}
