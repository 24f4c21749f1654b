use jiff::civil::Time;
use jiff::tz::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::domain::window::Window;

fn dublin_windows() -> Windows {
    let mut windows = Windows::default();
    let open = Time::constant(2, 0, 0, 0);
    let close = Time::constant(5, 0, 0, 0);
    windows.insert(
        "eu-west-1",
        Window::new(TimeZone::get("Europe/Dublin").unwrap(), open, close).unwrap(),
    );
    windows
}

fn scheduler() -> HoldScheduler {
    HoldScheduler {
        role_arn: "arn:aws:iam::123456789012:role/wavetop-scheduler".into(),
        group: "wavetop-holds".into(),
    }
}

#[test]
fn a_short_plain_name_is_kept_readable() {
    assert_eq!(
        schedule_name("checkout", "Europe"),
        "wavetop-hold-checkout.Europe"
    );
}

#[test]
fn a_long_name_is_cut_to_64_with_a_hash_that_tells_it_apart() {
    let stage = "A".repeat(80);
    let one = schedule_name("checkout-service-pipeline", &stage);
    let other = schedule_name("checkout-service-pipeline", &format!("{stage}B"));
    assert_eq!(one.len(), 64, "{one}");
    assert!(one.starts_with("wavetop-hold-checkout-service-pipeline.AAA"));
    assert_ne!(one, other, "names differing past the cut still differ");
    assert_eq!(one, schedule_name("checkout-service-pipeline", &stage));
}

#[test]
fn characters_scheduler_refuses_are_replaced_and_the_hash_keeps_names_apart() {
    let spaced = schedule_name("checkout", "Europe West");
    let dashed = schedule_name("checkout", "Europe-West");
    assert!(
        spaced.starts_with("wavetop-hold-checkout.Europe-West-"),
        "{spaced}"
    );
    assert_eq!(dashed, "wavetop-hold-checkout.Europe-West");
    assert_ne!(spaced, dashed);
}

#[test]
fn the_hash_is_the_same_on_every_build() {
    // Other consoles derive the name again: the value is fixed, not just stable in-process.
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
}

#[test]
fn the_schedule_opens_at_the_window_on_the_region_s_wall_clock() {
    // 01:00 UTC on a summer night is 02:00 in Dublin (IST, UTC+1).
    let until: Timestamp = "2026-07-01T01:00:00Z".parse().unwrap();
    let schedule = HoldSchedule::for_hold(
        &scheduler(),
        &dublin_windows(),
        "eu-west-1",
        "checkout",
        "Europe",
        until,
    )
    .unwrap();
    assert_eq!(schedule.expression(), "at(2026-07-01T02:00:00)");
    assert_eq!(schedule.time_zone, "Europe/Dublin");
    assert_eq!(schedule.name, "wavetop-hold-checkout.Europe");
    assert_eq!(schedule.group, "wavetop-holds");
}

#[test]
fn a_region_without_a_window_gets_no_schedule() {
    let until: Timestamp = "2026-07-01T01:00:00Z".parse().unwrap();
    let none = HoldSchedule::for_hold(
        &scheduler(),
        &dublin_windows(),
        "us-east-1",
        "p",
        "s",
        until,
    );
    assert_eq!(none, None);
}

proptest! {
    #[test]
    fn every_name_is_one_scheduler_accepts(pipeline in "\\PC{1,100}", stage in "\\PC{1,100}") {
        let name = schedule_name(&pipeline, &stage);
        prop_assert!(name.len() <= 64, "{name}");
        prop_assert!(name.starts_with(SCHEDULE_NAME_PREFIX));
        prop_assert!(name.chars().all(allowed), "{name}");
    }
}

#[test]
fn a_schedule_on_a_freeze_date_added_later_is_told_apart() {
    let opening = ScheduledOpening {
        name: "wavetop-hold-checkout.Europe".into(),
        at: "2026-07-02T02:00:00".into(),
        time_zone: "Europe/Dublin".into(),
    };
    let windows = dublin_windows();
    assert!(!opening.falls_on_freeze(&windows, &["eu-west-1"]));
    let mut frozen = Windows::default();
    let window = windows
        .get("eu-west-1")
        .unwrap()
        .clone()
        .with_freeze(["2026-07-02".parse().unwrap()]);
    frozen.insert("eu-west-1", window);
    assert!(opening.falls_on_freeze(&frozen, &["eu-west-1"]));
    assert!(!opening.falls_on_freeze(&frozen, &["us-east-1"]));
}

#[test]
fn a_held_wave_s_schedule_serializes_with_its_state() {
    let seen = ScheduleSeen::Scheduled(ScheduledOpening {
        name: "wavetop-hold-checkout.Europe".into(),
        at: "2026-07-02T02:00:00".into(),
        time_zone: "Europe/Dublin".into(),
    });
    assert_eq!(
        serde_json::to_value(&seen).unwrap(),
        serde_json::json!({
            "state": "scheduled",
            "name": "wavetop-hold-checkout.Europe",
            "at": "2026-07-02T02:00:00",
            "time_zone": "Europe/Dublin",
        })
    );
    assert_eq!(
        serde_json::to_value(ScheduleSeen::None).unwrap(),
        serde_json::json!({"state": "none"})
    );
}
