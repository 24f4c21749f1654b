use jiff::Timestamp;
use proptest::prelude::*;

use super::*;
use crate::domain::pipeline_limits::is_valid_transition_reason;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn regions(names: &[&str]) -> Vec<String> {
    names.iter().map(|r| r.to_string()).collect()
}

#[test]
fn encodes_the_documented_shape_and_reads_it_back() {
    let reason = encode_hold(
        Some(ts("2026-11-22T03:00:42Z")),
        "arn:aws:sts::111122223333:assumed-role/OnCall/alice",
        "waiting for CAB: ticket #42, see wiki holds",
        &regions(&["eu-west-1", "us-east-1"]),
    );
    assert_eq!(
        reason,
        "wavetop hold until 2026-11-22T0300Z by OnCall.alice (eu-west-1 us-east-1) \
         note waiting for CAB ticket 42 see wiki holds"
    );
    assert!(is_valid_transition_reason(&reason));
    let hold = decode_hold(&reason).unwrap();
    assert_eq!(hold.until, Some(ts("2026-11-22T03:00:00Z")));
    assert_eq!(hold.by, "OnCall.alice");
    assert_eq!(hold.regions, regions(&["eu-west-1", "us-east-1"]));
    assert_eq!(hold.note, "waiting for CAB ticket 42 see wiki holds");
}

#[test]
fn an_open_ended_hold_without_regions_or_note_is_short() {
    let reason = encode_hold(None, "alice@example.com", "  ", &[]);
    assert_eq!(reason, "wavetop hold by alice@example.com");
    let hold = decode_hold(&reason).unwrap();
    assert_eq!(hold.until, None);
    assert!(hold.regions.is_empty() && hold.note.is_empty());
}

#[test]
fn identities_become_readable_names() {
    let cases = [
        ("arn:aws:sts::111:assumed-role/OnCall/alice", "OnCall.alice"),
        ("arn:aws:iam::111:user/ops/bob_smith", "bob-smith"),
        ("arn:aws:iam::111:root", "root"),
        ("arn:aws-cn:sts::111:federated-user/carol", "carol"),
        ("dave+release@example.com", "dave.release@example.com"),
        ("Zoë Ångström", "Zo?.?ngstr?m"),
        ("::://", "unknown"),
        ("", "unknown"),
    ];
    for (raw, want) in cases {
        assert_eq!(sanitize_by(raw), want, "{raw}");
    }
}

#[test]
fn reasons_from_people_or_other_tools_are_not_holds() {
    assert_eq!(decode_hold("Deployment freeze until Monday"), None);
    assert_eq!(decode_hold("wavetop hold until tomorrow by alice"), None);
    assert_eq!(decode_hold("wavetop hold"), None);
    assert_eq!(decode_hold("wavetop hold by "), None);
}

#[test]
fn a_long_region_list_is_cut_with_a_marker_and_the_prefix_survives() {
    let many: Vec<String> = (0..40).map(|i| format!("xx-region-{i}")).collect();
    let reason = encode_hold(
        Some(ts("2030-01-01T00:00:00Z")),
        "alice",
        &"n".repeat(500),
        &many,
    );
    assert!(
        is_valid_transition_reason(&reason),
        "{} chars",
        reason.len()
    );
    assert!(reason.contains(" ...)"));
    let hold = decode_hold(&reason).unwrap();
    assert_eq!(hold.until, Some(ts("2030-01-01T00:00:00Z")));
    assert!(!hold.regions.is_empty() && hold.regions.len() < many.len());
    assert_eq!(hold.regions[..], many[..hold.regions.len()]);
}

fn sane_instant() -> impl Strategy<Value = Timestamp> {
    let start = ts("2000-01-01T00:00:00Z").as_second();
    let end = ts("2200-01-01T00:00:00Z").as_second();
    (start..end).prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn to_minute(at: Timestamp) -> Timestamp {
    Timestamp::from_second(at.as_second().div_euclid(60) * 60).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_hold_encodes_to_a_valid_reason_that_decodes(
        until in proptest::option::of(sane_instant()),
        by in any::<String>(),
        note in any::<String>(),
        names in proptest::collection::vec(any::<String>(), 0..30),
    ) {
        let reason = encode_hold(until, &by, &note, &names);
        prop_assert!(is_valid_transition_reason(&reason), "{:?}", reason);
        let hold = decode_hold(&reason).expect("wavetop reads its own holds");
        prop_assert_eq!(hold.until, until.map(to_minute));
        prop_assert_eq!(&hold.by, &sanitize_by(&by));
        prop_assert!(sanitize_note(&note).starts_with(&hold.note));
        // The regions read back are the leading sanitized, non-empty ones.
        let sanitized: Vec<String> = names
            .iter()
            .map(|r| r.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .map(|c| c.to_ascii_lowercase()).collect::<String>())
            .filter(|r| !r.is_empty())
            .collect();
        prop_assert!(sanitized.starts_with(&hold.regions));
    }

    #[test]
    fn plain_names_and_notes_survive_unchanged(
        by in "[a-zA-Z0-9][a-zA-Z0-9.@-]{0,40}[a-zA-Z0-9]",
        note in "[a-zA-Z0-9][a-zA-Z0-9 !?*()-]{0,100}[a-zA-Z0-9]",
        names in proptest::collection::vec("[a-z]{2}-[a-z]{4,9}-[1-9]", 0..6),
    ) {
        prop_assume!(!by.contains(".."));
        prop_assume!(!note.contains("  "));
        let hold = decode_hold(&encode_hold(None, &by, &note, &names)).unwrap();
        prop_assert_eq!(hold.by, by);
        prop_assert_eq!(hold.note, note);
        prop_assert_eq!(hold.regions, names);
    }
}
