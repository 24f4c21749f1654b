//! What CodePipeline accepts in the texts wavetop writes to it, kept in one
//! place so the core that words the texts, the simulator that refuses what
//! AWS would refuse and the AWS adapter that sends them agree.

/// Longest summary `PutApprovalResult` accepts.
pub const MAX_APPROVAL_SUMMARY: usize = 512;
/// Longest reason `DisableStageTransition` accepts; the shortest is one.
pub const MAX_TRANSITION_REASON: usize = 300;
/// Longest reason `StopPipelineExecution` accepts.
pub const MAX_STOP_REASON: usize = 200;

/// What a transition reason may hold besides ASCII letters and digits: AWS
/// documents the pattern `[a-zA-Z0-9!@ ()\.\*\?\-]+`, so no colons, commas
/// or slashes.
const TRANSITION_REASON_PUNCTUATION: &str = "!@ ().*?-";

/// Whether `DisableStageTransition` accepts `c` in a reason.
pub fn is_transition_reason_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || TRANSITION_REASON_PUNCTUATION.contains(c)
}

/// Whether `DisableStageTransition` accepts the whole text as a reason.
pub fn is_valid_transition_reason(reason: &str) -> bool {
    let len = reason.chars().count();
    (1..=MAX_TRANSITION_REASON).contains(&len) && reason.chars().all(is_transition_reason_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_reasons_follow_the_documented_pattern() {
        assert!(is_valid_transition_reason(
            "held (eu-west-1) by ops@example.com?!*"
        ));
        for refused in ["", "until 22:00", "a, b", "eu/west", "naïve", "tab\there"] {
            assert!(!is_valid_transition_reason(refused), "{refused:?}");
        }
        assert!(is_valid_transition_reason(
            &"a".repeat(MAX_TRANSITION_REASON)
        ));
        assert!(!is_valid_transition_reason(
            &"a".repeat(MAX_TRANSITION_REASON + 1)
        ));
    }
}
