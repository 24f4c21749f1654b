use super::*;

/// How one status must be classified.
struct Expect {
    in_progress: bool,
    failed: bool,
    complete: bool,
    rollback: bool,
    rolling_back: bool,
}

const fn running(rollback: bool, rolling_back: bool) -> Expect {
    Expect {
        in_progress: true,
        failed: false,
        complete: false,
        rollback,
        rolling_back,
    }
}

const fn failed(rollback: bool) -> Expect {
    Expect {
        in_progress: false,
        failed: true,
        complete: false,
        rollback,
        rolling_back: false,
    }
}

const fn complete(rollback: bool) -> Expect {
    Expect {
        in_progress: false,
        failed: false,
        complete: true,
        rollback,
        rolling_back: false,
    }
}

/// Every stack status (`StackStatus`) and resource status (`ResourceStatus`)
/// the CloudFormation API reference lists.
const DOCUMENTED: &[(&str, Expect)] = &[
    ("CREATE_IN_PROGRESS", running(false, false)),
    ("CREATE_FAILED", failed(false)),
    ("CREATE_COMPLETE", complete(false)),
    ("ROLLBACK_IN_PROGRESS", running(true, true)),
    ("ROLLBACK_FAILED", failed(true)),
    ("ROLLBACK_COMPLETE", complete(true)),
    ("DELETE_IN_PROGRESS", running(false, false)),
    ("DELETE_FAILED", failed(false)),
    ("DELETE_COMPLETE", complete(false)),
    ("UPDATE_IN_PROGRESS", running(false, false)),
    ("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", running(false, false)),
    ("UPDATE_COMPLETE", complete(false)),
    ("UPDATE_FAILED", failed(false)),
    ("UPDATE_ROLLBACK_IN_PROGRESS", running(true, true)),
    ("UPDATE_ROLLBACK_FAILED", failed(true)),
    // The rollback is done; only its clean-up runs.
    (
        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        running(true, false),
    ),
    ("UPDATE_ROLLBACK_COMPLETE", complete(true)),
    ("REVIEW_IN_PROGRESS", running(false, false)),
    ("IMPORT_IN_PROGRESS", running(false, false)),
    ("IMPORT_COMPLETE", complete(false)),
    ("IMPORT_FAILED", failed(false)),
    ("IMPORT_ROLLBACK_IN_PROGRESS", running(true, true)),
    ("IMPORT_ROLLBACK_FAILED", failed(true)),
    ("IMPORT_ROLLBACK_COMPLETE", complete(true)),
    ("EXPORT_IN_PROGRESS", running(false, false)),
    ("EXPORT_COMPLETE", complete(false)),
    ("EXPORT_FAILED", failed(false)),
    ("EXPORT_ROLLBACK_IN_PROGRESS", running(true, true)),
    ("EXPORT_ROLLBACK_FAILED", failed(true)),
    ("EXPORT_ROLLBACK_COMPLETE", complete(true)),
    // A resource left alone on delete (DeletionPolicy: Retain): no phase.
    (
        "DELETE_SKIPPED",
        Expect {
            in_progress: false,
            failed: false,
            complete: false,
            rollback: false,
            rolling_back: false,
        },
    ),
];

#[test]
fn every_documented_status_is_classified() {
    for (text, want) in DOCUMENTED {
        let status = StackStatus::from(*text);
        let got = (
            status.is_in_progress(),
            status.is_failed(),
            status.is_complete(),
            status.is_rollback(),
            status.is_rolling_back(),
        );
        let expected = (
            want.in_progress,
            want.failed,
            want.complete,
            want.rollback,
            want.rolling_back,
        );
        assert_eq!(got, expected, "{text}");
        assert_eq!(
            status.is_rolled_back(),
            want.rollback && (want.failed || want.complete),
            "{text}"
        );
        assert!(!status.is_unknown(), "{text}");
        assert_eq!(status.as_str(), *text);
    }
}

#[test]
fn only_a_finished_delete_is_deleted() {
    let deleted: Vec<&str> = DOCUMENTED
        .iter()
        .map(|(text, _)| *text)
        .filter(|text| StackStatus::from(*text).is_deleted())
        .collect();
    assert_eq!(deleted, ["DELETE_COMPLETE"]);
}

#[test]
fn unknown_has_one_spelling_whether_never_read_or_read_empty() {
    for status in [
        StackStatus::unknown(),
        StackStatus::default(),
        StackStatus::from(""),
        StackStatus::from(String::new()),
    ] {
        assert!(status.is_unknown());
        assert_eq!(status.as_str(), "UNKNOWN");
        assert!(!status.is_in_progress() && !status.is_failed() && !status.is_complete());
    }
}

#[test]
fn a_status_aws_adds_later_keeps_its_text_and_its_phase() {
    let status = StackStatus::from("MIGRATE_ROLLBACK_IN_PROGRESS");
    assert_eq!(status.to_string(), "MIGRATE_ROLLBACK_IN_PROGRESS");
    assert!(status.is_in_progress() && status.is_rolling_back());
    assert!(!status.is_unknown());

    let odd = StackStatus::from("DOES_NOT_EXIST");
    assert_eq!(odd, "DOES_NOT_EXIST");
    assert!(!odd.is_in_progress() && !odd.is_failed() && !odd.is_complete());
}

#[test]
fn serde_writes_and_reads_the_bare_text() {
    let status = StackStatus::from("UPDATE_ROLLBACK_IN_PROGRESS");
    let json = serde_json::to_string(&status).unwrap();
    assert_eq!(json, r#""UPDATE_ROLLBACK_IN_PROGRESS""#);
    assert_eq!(serde_json::from_str::<StackStatus>(&json).unwrap(), status);
    assert_eq!(
        serde_json::to_string(&StackStatus::unknown()).unwrap(),
        r#""UNKNOWN""#
    );
    let empty: StackStatus = serde_json::from_str(r#""""#).unwrap();
    assert!(empty.is_unknown());
}

#[test]
fn display_honours_width_like_the_text_did() {
    let status = StackStatus::from("UPDATE_COMPLETE");
    assert_eq!(format!("{status:<18}|"), "UPDATE_COMPLETE   |");
}

#[test]
fn a_documented_status_is_held_without_a_copy_and_a_new_one_as_it_came() {
    let documented = StackStatus::from("UPDATE_COMPLETE".to_string());
    assert!(matches!(documented.0, Cow::Borrowed(_)));
    let added_later = StackStatus::from("MIGRATE_IN_PROGRESS");
    assert!(matches!(added_later.0, Cow::Owned(_)));
    assert_eq!(added_later, "MIGRATE_IN_PROGRESS");
    assert!(added_later.is_in_progress());
    assert_eq!(StackStatus::from(""), StackStatus::unknown());
}
