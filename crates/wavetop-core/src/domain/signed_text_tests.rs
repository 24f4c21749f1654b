use proptest::prelude::*;

use super::*;

const ALICE: &str = "arn:aws:sts::123456789012:assumed-role/OnCall/alice";

#[test]
fn a_long_stop_reason_keeps_who_stopped_it() {
    let reason = stop_reason(ALICE, &"x".repeat(10_000));
    assert_eq!(reason.chars().count(), MAX_STOP_REASON);
    assert!(reason.ends_with(&format!("… (by {ALICE})")), "{reason}");
    assert_eq!(
        stop_reason(ALICE, "bad deploy"),
        format!("bad deploy (by {ALICE})")
    );
}

#[test]
fn a_long_approval_comment_is_cut_after_the_signature() {
    let summary = approval_summary("Rejected", ALICE, &"y".repeat(600));
    assert_eq!(summary.chars().count(), MAX_APPROVAL_SUMMARY);
    assert!(summary.starts_with(&format!("Rejected by {ALICE} via wavetop: yyy")));
    assert!(summary.ends_with("y…"));
    assert_eq!(
        approval_summary("Approved", ALICE, "  "),
        format!("Approved by {ALICE} via wavetop")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn stop_reasons_fit_and_keep_a_fitting_signature(identity in "\\PC{0,120}", reason in "\\PC{0,400}") {
        let text = stop_reason(&identity, &reason);
        prop_assert!(text.chars().count() <= MAX_STOP_REASON);
        let signature = format!("(by {identity})");
        prop_assert!(text.ends_with(&signature), "{text:?}");
    }

    #[test]
    fn approval_summaries_fit_and_keep_a_fitting_signature(
        identity in "\\PC{0,300}",
        comment in "\\PC{0,900}",
        approved in any::<bool>(),
    ) {
        let verdict = if approved { "Approved" } else { "Rejected" };
        let text = approval_summary(verdict, &identity, &comment);
        prop_assert!(text.chars().count() <= MAX_APPROVAL_SUMMARY);
        let signature = format!("{verdict} by {identity} via wavetop");
        prop_assert!(text.starts_with(&signature), "{text:?}");
    }

    #[test]
    fn any_text_at_all_never_panics(identity in any::<String>(), text in any::<String>()) {
        prop_assert!(stop_reason(&identity, &text).chars().count() <= MAX_STOP_REASON);
        prop_assert!(approval_summary("Approved", &identity, &text).chars().count() <= MAX_APPROVAL_SUMMARY);
    }
}
