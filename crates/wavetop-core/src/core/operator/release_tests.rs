use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::domain::fleet::Transition;
use crate::domain::hold_reason::encode_hold;
use crate::domain::synthetic;

fn ts(text: &str) -> Timestamp {
    text.parse().expect("timestamp literal")
}

fn held(reason: String) -> Transition {
    Transition {
        enabled: false,
        disabled_reason: Some(reason),
        changed_by: None,
        changed_at: None,
    }
}

/// Wave00 held until `until`, Wave01 held an hour later, Wave02 held by
/// hand with no end, Wave03 released since (the old reason left behind).
fn fleet_with_holds(until: Timestamp) -> Fleet {
    let mut fleet = synthetic::fleet(4, 2, until);
    let waves = &mut fleet.flows[0].waves;
    for wave in waves.iter_mut() {
        wave.transition = Transition::open();
    }
    let regions = waves[0]
        .regions()
        .iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>();
    let until_reason = |at| encode_hold(Some(at), "alice", "quiet hours", &regions);
    waves[0].transition = held(until_reason(until));
    waves[1].transition = held(until_reason(until + SignedDuration::from_hours(1)));
    waves[2].transition = held(encode_hold(None, "bob", "incident", &regions));
    waves[3].transition = Transition {
        enabled: true,
        ..held(until_reason(until))
    };
    fleet
}

fn released_stages(intents: &[Intent]) -> Vec<&str> {
    intents
        .iter()
        .map(|intent| match intent {
            Intent::Release { stage, .. } => stage.as_str(),
            other => panic!("not a release: {other:?}"),
        })
        .collect()
}

#[test]
fn a_hold_is_due_from_its_end_time_on_and_only_then() {
    let until = ts("2026-11-20T06:00:00Z");
    let fleet = fleet_with_holds(until);
    let before = until - SignedDuration::from_secs(1);
    assert!(due_releases(&fleet, &Windows::default(), before).is_empty());
    assert_eq!(
        released_stages(&due_releases(&fleet, &Windows::default(), until)),
        ["Wave00"]
    );
    let later = until + SignedDuration::from_hours(2);
    assert_eq!(
        released_stages(&due_releases(&fleet, &Windows::default(), later)),
        ["Wave00", "Wave01"],
        "a hand-placed hold and a released stage are never due"
    );
}

#[test]
fn a_due_release_names_the_stage_and_every_region_it_deploys() {
    let until = ts("2026-11-20T06:00:00Z");
    let fleet = fleet_with_holds(until);
    let wave = &fleet.flows[0].waves[0];
    assert_eq!(
        due_releases(&fleet, &Windows::default(), until),
        [Intent::Release {
            pipeline: wave.pipeline.clone(),
            stage: "Wave00".into(),
            regions: vec!["us-east-1".into(), "us-east-2".into()],
            schedule: None,
        }]
    );
}

#[test]
fn a_hold_ending_on_a_freeze_date_added_since_waits_for_the_next_opening() {
    // Wave00 ends at 06:00 UTC on 2026-11-20, 22:00 the day before in Los
    // Angeles: a freeze on 2026-11-19 there (added after the hold) keeps
    // it closed until the window opens again, 22:00 on the 20th.
    let until = ts("2026-11-20T06:00:00Z");
    let fleet = fleet_with_holds(until);
    let zone = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap();
    let window = crate::domain::window::Window::new(
        zone,
        "22:00".parse().unwrap(),
        "05:00".parse().unwrap(),
    )
    .unwrap()
    .with_freeze(["2026-11-19".parse().unwrap()]);
    let mut windows = Windows::default();
    windows.insert("us-east-2", window);
    assert!(due_releases(&fleet, &windows, until).is_empty());
    let thawed = ts("2026-11-21T06:00:00Z");
    assert_eq!(
        thawed_end(&fleet.flows[0].waves[0], &windows, until),
        thawed
    );
    assert!(due_releases(&fleet, &windows, thawed - SignedDuration::from_secs(1)).is_empty());
    assert_eq!(
        released_stages(&due_releases(&fleet, &windows, thawed)),
        ["Wave00", "Wave01"]
    );
}
