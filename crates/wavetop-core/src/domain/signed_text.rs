//! Operator text sent to AWS together with who sent it, within the length
//! AWS accepts. When the whole does not fit, the operator's text is cut
//! (its cut marked with `…`), never the attribution: AWS keeps these texts
//! as the record of who approved, rejected or stopped.

use super::pipeline_limits::{MAX_APPROVAL_SUMMARY, MAX_STOP_REASON};

/// `Approved by IDENTITY via wavetop: COMMENT`, at most 512 characters.
pub fn approval_summary(verdict: &str, identity: &str, comment: &str) -> String {
    let signature = format!("{verdict} by {identity} via wavetop");
    match comment.trim() {
        "" => cut(&signature, MAX_APPROVAL_SUMMARY),
        comment => {
            let head = format!("{signature}: ");
            let room = MAX_APPROVAL_SUMMARY.saturating_sub(head.chars().count());
            format!("{}{}", cut(&head, MAX_APPROVAL_SUMMARY), cut(comment, room))
        }
    }
}

/// `REASON (by IDENTITY)`, at most 200 characters.
pub fn stop_reason(identity: &str, reason: &str) -> String {
    let signature = format!("(by {identity})");
    match reason.trim() {
        "" => cut(&signature, MAX_STOP_REASON),
        reason => {
            let room = MAX_STOP_REASON.saturating_sub(signature.chars().count() + 1);
            if room == 0 {
                return cut(&signature, MAX_STOP_REASON);
            }
            format!("{} {signature}", cut(reason, room))
        }
    }
}

/// `text` in at most `max` characters, ending in `…` when it was cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    if max > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
#[path = "signed_text_tests.rs"]
mod tests;
