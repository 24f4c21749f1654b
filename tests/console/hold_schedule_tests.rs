//! Holds until a window with `[scheduler]`: the hold also gets a one-time
//! schedule that opens the stage at the window whether or not a console
//! runs; release deletes it; a schedule that cannot be made leaves the hold
//! and says what it now depends on.

use wavetop::core::msg::{Effect, Msg, OperateReport};
use wavetop::domain::hold_schedule::HoldScheduler;
use wavetop::protocol::{OperateCall, OperateOutcome, SourceError};

use crate::support::Console;
use crate::window_tests::{hold_north_america_until_the_us_west_2_window, windows};

fn scheduled_console() -> Console {
    // 02:10 UTC is 18:10 in Los Angeles: the 22:00-05:00 window opens at 06:00 UTC.
    let mut c = Console::with(
        10,
        windows("us-west-2", "America/Los_Angeles", "22:00", "05:00"),
        false,
    );
    c.model.hold_scheduler = Some(HoldScheduler {
        role_arn: "arn:aws:iam::111111111111:role/wavetop-scheduler".into(),
        group: "wavetop-holds".into(),
    });
    c
}

fn north_america_enabled(c: &Console) -> bool {
    let flow = c.model.fleet.flow("global-api").unwrap();
    flow.wave("NorthAmerica").unwrap().transition.enabled
}

#[test]
fn the_dialog_names_the_schedule_and_its_local_time() {
    let mut c = scheduled_console();
    c.navigate("global-api", "NorthAmerica", "us-west-2");
    c.keys("w");
    let lines = c.model.confirmation.as_ref().unwrap().intent.describe();
    assert!(
        lines.iter().any(|l| l
            == "scheduler:CreateSchedule wavetop-hold-global-api.NorthAmerica at(2026-11-19T22:00:00) America/Los_Angeles"),
        "{lines:#?}"
    );
}

#[test]
fn the_hold_gets_a_schedule_that_opens_it_at_the_window_with_no_console_action() {
    let mut c = scheduled_console();
    assert!(!c.model.auto_release, "nothing in the console releases it");
    hold_north_america_until_the_us_west_2_window(&mut c);

    let [
        OperateCall::DisableStageTransition { .. },
        OperateCall::CreateHoldSchedule {
            name,
            group,
            at_local,
            time_zone,
            stage,
            ..
        },
    ] = c.sent.as_slice()
    else {
        panic!("a hold, then its schedule: {:#?}", c.sent);
    };
    assert_eq!(name, "wavetop-hold-global-api.NorthAmerica");
    assert_eq!(group, "wavetop-holds");
    assert_eq!(stage, "NorthAmerica");
    // 06:00 UTC on the Los Angeles wall clock, in that zone.
    assert_eq!(at_local, "2026-11-19T22:00:00");
    assert_eq!(time_zone, "America/Los_Angeles");
    assert!(!north_america_enabled(&c), "held");

    // Both calls audited before and after: two lines each.
    let lines = c.audit_lines();
    let before = lines
        .iter()
        .find(|l| l["api"] == "scheduler:CreateSchedule")
        .expect("a line before the schedule call");
    let phases: Vec<&str> = lines
        .iter()
        .filter(|l| l["id"] == before["id"])
        .map(|l| l["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["before", "after"]);

    c.advance(3 * 3600 + 49 * 60);
    assert!(!north_america_enabled(&c), "still held before the window");
    c.advance(15 * 60);
    assert!(north_america_enabled(&c), "the schedule opened it at 06:00");
    assert_eq!(
        c.sent.len(),
        2,
        "the console sent nothing more: {:#?}",
        c.sent
    );
}

#[test]
fn releasing_the_hold_deletes_its_schedule_so_it_cannot_fire_later() {
    let mut c = scheduled_console();
    hold_north_america_until_the_us_west_2_window(&mut c);
    c.pause_after_dialog();
    c.keys("u right enter");
    let tail: Vec<&str> = c.sent.iter().skip(2).map(OperateCall::api_name).collect();
    assert_eq!(
        tail,
        [
            "codepipeline:EnableStageTransition",
            "scheduler:DeleteSchedule"
        ]
    );
    assert!(matches!(
        &c.sent[3],
        OperateCall::DeleteHoldSchedule { name, .. } if name == "wavetop-hold-global-api.NorthAmerica"
    ));
}

#[test]
fn a_plain_hold_gets_no_schedule_and_its_release_deletes_none() {
    let mut c = scheduled_console();
    c.navigate("global-api", "NorthAmerica", "us-west-2");
    c.keys("h tab");
    c.type_text("NorthAmerica");
    c.keys("tab right enter");
    c.pause_after_dialog();
    c.keys("u right enter");
    let names: Vec<&str> = c.sent.iter().map(OperateCall::api_name).collect();
    assert_eq!(
        names,
        [
            "codepipeline:DisableStageTransition",
            "codepipeline:EnableStageTransition"
        ]
    );
}

#[test]
fn a_schedule_that_cannot_be_made_leaves_the_hold_and_says_it_needs_a_console_or_enforce() {
    let mut c = scheduled_console();
    c.run_operations = false;
    hold_north_america_until_the_us_west_2_window(&mut c);
    let Some(Effect::Operate { op_id, calls, .. }) = c.held_back.pop() else {
        panic!("the hold is held back");
    };
    assert_eq!(calls.len(), 2);
    c.send(Msg::Operated {
        op_id,
        report: OperateReport {
            results: vec![
                Ok(OperateOutcome {
                    detail: "held".into(),
                }),
                Err(SourceError::AccessDenied(
                    "scheduler:CreateSchedule: not authorized to perform iam:PassRole".into(),
                )),
            ],
            ..OperateReport::default()
        },
    });
    let flash = &c.model.flash.as_ref().unwrap().1;
    assert!(
        flash.contains("held, but no schedule will open it"),
        "{flash}"
    );
    assert!(flash.contains("wavetop enforce"), "{flash}");
}

/// The cell detail of the held wave, as text.
/// The cell detail's text with its wrapping undone: the hold line is long
/// and wraps wherever the width puts it.
fn detail_of_north_america(c: &mut Console) -> String {
    c.pause_after_dialog();
    c.navigate("global-api", "NorthAmerica", "us-west-2");
    c.keys("enter");
    let screen = crate::support::screen_text(&c.model, 120, 40);
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_held_wave_with_its_schedule_read_back_says_when_it_opens_by_itself() {
    let mut c = scheduled_console();
    hold_north_america_until_the_us_west_2_window(&mut c);
    // The next flow poll sees the hold, the schedule key follows and is read
    // within its first spread, through the simulated Scheduler.
    c.advance(40);
    c.advance(10);
    let wave = c
        .model
        .fleet
        .flow("global-api")
        .unwrap()
        .wave("NorthAmerica")
        .unwrap();
    assert_eq!(
        wave.schedule.describe(true),
        "opens 22:00 America/Los_Angeles (scheduled)"
    );
    let screen = detail_of_north_america(&mut c);
    assert!(
        screen.contains("opens 22:00 America/Los_Angeles (scheduled)"),
        "{screen}"
    );
}

#[test]
fn a_held_wave_without_a_schedule_opens_only_with_a_console_or_enforce() {
    let mut c = scheduled_console();
    c.navigate("global-api", "NorthAmerica", "us-west-2");
    c.keys("h tab");
    c.type_text("NorthAmerica");
    c.keys("tab right enter");
    c.advance(40);
    c.advance(10);
    let screen = detail_of_north_america(&mut c);
    assert!(
        screen.contains("opens only with a console or enforce"),
        "{screen}"
    );
}

#[test]
fn a_freeze_date_added_since_the_hold_moves_its_schedule_to_the_next_opening() {
    let mut c = scheduled_console();
    hold_north_america_until_the_us_west_2_window(&mut c);
    c.advance(40);
    c.advance(10);
    // The config gains a freeze on the date the schedule fires (22:00 on
    // 2026-11-19 in Los Angeles) after the hold was placed.
    let frozen = windows("us-west-2", "America/Los_Angeles", "22:00", "05:00");
    let window = frozen
        .get("us-west-2")
        .unwrap()
        .clone()
        .with_freeze(["2026-11-19".parse().unwrap()]);
    c.model.windows.insert("us-west-2", window);
    let screen = detail_of_north_america(&mut c);
    assert!(
        screen.contains("opens on a freeze date: w moves it to the next opening"),
        "{screen}"
    );
    c.keys("esc");
    c.pause_after_dialog();
    c.keys("w");
    let dialog = crate::support::screen_text(&c.model, 120, 40);
    assert!(
        dialog.contains("Move the hold's opening off a freeze date"),
        "{dialog}"
    );
    c.keys("right enter");
    let [
        OperateCall::DisableStageTransition { .. },
        OperateCall::CreateHoldSchedule { .. },
        OperateCall::CreateHoldSchedule {
            name,
            at_local,
            time_zone,
            ..
        },
    ] = c.sent.as_slice()
    else {
        panic!(
            "the hold, its schedule, then the schedule again: {:#?}",
            c.sent
        );
    };
    assert_eq!(name, "wavetop-hold-global-api.NorthAmerica");
    assert_eq!(
        at_local, "2026-11-20T22:00:00",
        "the next opening past the freeze"
    );
    assert_eq!(time_zone, "America/Los_Angeles");
    // The stage stays held through the frozen night and opens the next one.
    c.advance(4 * 3600);
    assert!(
        !north_america_enabled(&c),
        "nothing opened on the freeze date"
    );
    c.advance(24 * 3600);
    assert!(north_america_enabled(&c), "opened at the next opening");
}

#[test]
fn with_no_schedule_on_a_freeze_date_w_on_a_held_wave_still_says_it_is_held() {
    let mut c = scheduled_console();
    hold_north_america_until_the_us_west_2_window(&mut c);
    c.advance(40);
    c.advance(10);
    c.pause_after_dialog();
    c.keys("w");
    assert!(c.model.confirmation.is_none(), "no dialog");
    assert_eq!(c.sent.len(), 2, "nothing more sent: {:#?}", c.sent);
}
