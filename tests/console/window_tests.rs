//! Holds and approvals tied to a region's off-hours window, driven through
//! update() with the clock moved by hand.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use wavetop::core::msg::Effect;
use wavetop::domain::hold_reason::decode_hold;
use wavetop::domain::window::{Window, Windows};
use wavetop::protocol::OperateCall;

use crate::support::Console;

/// A daily window in one region, as `[windows.<region>]` in the config would give it.
pub(crate) fn windows(region: &str, zone: &str, open: &str, close: &str) -> Windows {
    let zone = TimeZone::get(zone).unwrap();
    let window = Window::new(zone, open.parse().unwrap(), close.parse().unwrap()).unwrap();
    let mut windows = Windows::default();
    windows.insert(region, window);
    windows
}

/// Holds NorthAmerica (two regions: the wave name is typed) until us-west-2's
/// window, with keys, as an operator would.
pub(crate) fn hold_north_america_until_the_us_west_2_window(c: &mut Console) {
    c.navigate("global-api", "NorthAmerica", "us-west-2");
    c.keys("w tab");
    c.type_text("NorthAmerica");
    c.keys("tab right enter");
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn hold_until_window_stores_the_release_time_and_auto_release_lifts_it_when_the_window_opens() {
    // 02:10 UTC is 18:10 in Los Angeles: the 22:00-05:00 window opens at 06:00 UTC.
    let mut c = Console::with(
        10,
        windows("us-west-2", "America/Los_Angeles", "22:00", "05:00"),
        false,
    );
    c.model.auto_release = true;
    c.navigate("global-api", "NorthAmerica", "us-west-2");
    c.keys("w");
    let dialog = c.model.confirmation.as_ref().expect("a confirmation opens");
    assert!(
        dialog
            .intent
            .describe()
            .iter()
            .any(|l| l.contains("2 regions")),
        "the dialog says the hold covers both regions"
    );
    c.type_text("quiet hours");
    c.keys("tab");
    c.type_text("NorthAmerica");
    c.keys("tab right enter");

    let reason = c
        .sent
        .iter()
        .find_map(|call| match call {
            OperateCall::DisableStageTransition { reason, stage, .. }
                if stage == "NorthAmerica" =>
            {
                Some(reason.clone())
            }
            _ => None,
        })
        .expect("the hold was sent");
    let hold = decode_hold(&reason).expect("wavetop can read its own hold back");
    assert_eq!(hold.until, Some(ts("2026-11-20T06:00:00Z")));
    assert!(hold.by.contains("demo-operator"));
    let wave = c
        .model
        .fleet
        .flow("global-api")
        .unwrap()
        .wave("NorthAmerica")
        .unwrap()
        .clone();
    assert!(
        !wave.transition.enabled,
        "the poll after the call shows the hold"
    );

    // Before the window: nothing released.
    c.advance(3 * 3600);
    assert!(
        !c.sent
            .iter()
            .any(|call| matches!(call, OperateCall::EnableStageTransition { .. }))
    );
    // The window opens at 06:00 UTC.
    c.advance(3600);
    let released = c.sent.iter().any(|call| matches!(call, OperateCall::EnableStageTransition { stage, .. } if stage == "NorthAmerica"));
    assert!(
        released,
        "auto_release lifted the hold when the window opened"
    );
}

#[test]
fn without_auto_release_the_hold_stays() {
    let mut c = Console::with(
        10,
        windows("us-west-2", "America/Los_Angeles", "22:00", "05:00"),
        false,
    );
    hold_north_america_until_the_us_west_2_window(&mut c);
    c.advance(5 * 3600);
    assert!(
        !c.sent
            .iter()
            .any(|call| matches!(call, OperateCall::EnableStageTransition { .. }))
    );
}

#[test]
fn approve_at_window_waits_for_the_opening_and_then_approves_once() {
    let mut c = Console::with(
        10,
        windows("eu-west-1", "Europe/Dublin", "06:00", "07:00"),
        false,
    );
    c.navigate("global-api", "Europe", "eu-west-1");
    c.keys("A");
    c.type_text("after hours");
    c.keys("tab right enter");
    assert!(c.sent.is_empty(), "nothing is sent before the window");
    assert_eq!(c.model.deferred_approvals.len(), 1);
    assert_eq!(c.model.deferred_approvals[0].at, ts("2026-11-20T06:00:00Z"));
    c.run_operations = false;
    c.advance(3 * 3600 + 49 * 60);
    assert!(c.held_back.is_empty());
    c.advance(120);
    let approvals = c
        .held_back
        .iter()
        .filter(|e| matches!(e, Effect::Operate { calls, .. } if matches!(calls[0], OperateCall::PutApprovalResult { approved: true, .. })))
        .count();
    assert_eq!(approvals, 1);
    assert!(c.model.deferred_approvals.is_empty());
}

#[test]
fn window_actions_say_why_when_the_region_has_no_window_or_it_is_open() {
    let mut c = Console::with(
        10,
        windows("eu-west-1", "Europe/Dublin", "00:00", "23:59"),
        false,
    );
    c.navigate("global-api", "Europe", "eu-central-1");
    c.keys("A");
    assert!(
        c.model
            .flash
            .as_ref()
            .unwrap()
            .1
            .contains("no off-hours window")
    );
    c.navigate("global-api", "Europe", "eu-west-1");
    c.keys("A");
    assert!(c.model.flash.as_ref().unwrap().1.contains("open now"));
    assert!(c.model.confirmation.is_none());
}

#[test]
fn each_window_action_words_its_refusal_its_own_way() {
    let mut c = Console::with(
        10,
        windows("eu-west-1", "Europe/Dublin", "00:00", "23:59"),
        false,
    );
    let mut refusal = |region: &str, key: &str| {
        c.model.flash = None;
        c.navigate("global-api", "Europe", region);
        c.keys(key);
        assert!(c.model.confirmation.is_none(), "{key} in {region} refused");
        c.model.flash.clone().expect("a refusal is shown").1
    };
    assert_eq!(
        refusal("eu-central-1", "A"),
        "eu-central-1 has no off-hours window configured; approve now instead"
    );
    assert_eq!(
        refusal("eu-west-1", "A"),
        "eu-west-1's off-hours window is open now; approve now instead"
    );
    assert_eq!(
        refusal("eu-central-1", "w"),
        "eu-central-1 has no off-hours window configured"
    );
    assert_eq!(
        refusal("eu-west-1", "w"),
        "eu-west-1's off-hours window is open now: nothing to wait for"
    );
}

#[test]
fn a_failing_auto_release_is_retried_a_minute_later_not_on_every_tick() {
    let mut c = Console::with(
        10,
        windows("us-west-2", "America/Los_Angeles", "22:00", "05:00"),
        false,
    );
    c.model.auto_release = true;
    hold_north_america_until_the_us_west_2_window(&mut c);
    // From now on the release calls are held back and answered with an error.
    c.run_operations = false;
    c.advance(4 * 3600);
    let first: Vec<Effect> = std::mem::take(&mut c.held_back);
    assert_eq!(first.len(), 1, "one release at the opening");
    let Effect::Operate { op_id, .. } = first[0] else {
        panic!()
    };
    c.send(wavetop::core::msg::Msg::Operated {
        op_id,
        report: wavetop::core::msg::OperateReport {
            results: vec![Err(wavetop::protocol::SourceError::AccessDenied(
                "not allowed".into(),
            ))],
            ..Default::default()
        },
    });
    for _ in 0..30 {
        c.advance(1);
    }
    assert!(c.held_back.is_empty(), "not retried within the minute");
    c.advance(31);
    assert_eq!(c.held_back.len(), 1, "retried after a minute");
}
