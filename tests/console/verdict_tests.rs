//! The promotion verdict through update() and on screen. On the demo with
//! seed 1, ten minutes in, global-api's Europe gates are NO-GO: two
//! us-west-2 alarms flapped during the NorthAmerica bake. At 45 minutes
//! the SouthAmerica gate in sa-east-1 is GO.

use ratatui::style::Modifier;
use wavetop::config::Theme;
use wavetop::core::msg::Effect;
use wavetop::domain::verdict::Call;
use wavetop::protocol::OperateCall;

use crate::render_tests::{dark, find, render};
use crate::support::Console;

fn every_theme() -> Vec<Theme> {
    vec![
        dark(),
        Theme::preset("light").unwrap(),
        Theme::preset("high-contrast").unwrap(),
        dark().no_color(),
    ]
}

fn at_a_no_go_gate() -> Console {
    let mut c = Console::at_minutes(10);
    c.navigate("global-api", "Europe", "eu-west-1");
    c
}

#[test]
fn approving_on_no_go_needs_the_region_and_a_reason_that_reach_the_summary_and_the_audit() {
    let mut c = at_a_no_go_gate();
    c.keys("a");
    let dialog = c.model.confirmation.as_ref().expect("an approve dialog");
    let verdict = dialog
        .verdict
        .as_ref()
        .expect("the dialog carries the verdict");
    assert_eq!(verdict.call, Call::NoGo);
    assert!(dialog.overrides_no_go());
    // Today's confirmation alone is not enough on NO-GO.
    c.keys("tab tab right enter");
    assert_eq!(c.dialog_problem(), "a reason for the override is needed");
    assert!(c.sent.is_empty());
    c.keys("shift-tab shift-tab");
    c.type_text("flap was a canary probe");
    // Confirm is still selected on the buttons.
    c.keys("tab tab enter");
    assert_eq!(c.dialog_problem(), "type eu-west-1 to confirm");
    assert!(c.sent.is_empty());
    c.keys("shift-tab");
    c.type_text("eu-west-1");
    c.keys("tab enter");
    let [
        OperateCall::PutApprovalResult {
            approved, summary, ..
        },
    ] = c.sent.as_slice()
    else {
        panic!("one approval expected, sent {:?}", c.sent);
    };
    assert!(*approved);
    assert!(
        summary.contains("NO-GO override: flap was a canary probe"),
        "{summary}"
    );
    let lines = c.audit_lines();
    let [before, after] = lines.as_slice() else {
        panic!("a before and an after line: {lines:?}");
    };
    let intent = before["params"]["intent"].as_str().unwrap();
    assert!(intent.starts_with("Approve manual gate, NO-GO override: flap was a canary probe"));
    assert!(
        intent.contains("fired during the NorthAmerica bake"),
        "{intent}"
    );
    assert!(
        before["call"]["summary"]
            .as_str()
            .unwrap()
            .contains("NO-GO override")
    );
    assert_eq!(after["id"], before["id"]);
    assert_eq!(after["outcome"], "ok");
}

#[test]
fn a_go_gate_keeps_todays_confirmation() {
    let mut c = Console::at_minutes(45);
    c.navigate("global-api", "SouthAmerica", "sa-east-1");
    c.keys("a");
    let dialog = c.model.confirmation.as_ref().expect("an approve dialog");
    assert_eq!(dialog.verdict.as_ref().map(|v| v.call), Some(Call::Go));
    assert!(!dialog.is_dangerous());
    c.keys("tab right enter");
    assert_eq!(c.sent.len(), 1, "approved without typing anything");
}

#[test]
fn approve_at_window_is_not_sent_when_the_verdict_is_no_go_at_the_opening() {
    let mut windows = wavetop::domain::window::Windows::default();
    let zone = jiff::tz::TimeZone::get("UTC").unwrap();
    let open = jiff::civil::Time::constant(2, 20, 0, 0);
    let close = jiff::civil::Time::constant(3, 0, 0, 0);
    windows.insert(
        "eu-west-1",
        wavetop::domain::window::Window::new(zone, open, close).unwrap(),
    );
    // At 5 minutes (02:05) the window is closed and the gate is waiting.
    let mut c = Console::with(5, windows, false);
    c.navigate("global-api", "Europe", "eu-west-1");
    c.keys("A");
    c.keys("tab right enter");
    assert_eq!(c.model.deferred_approvals.len(), 1);
    c.run_operations = false;
    // 02:20: the window opens; the flap during the bake still stands.
    let opening = c.now() + jiff::SignedDuration::from_secs(15 * 60 + 30);
    c.clock.set(opening);
    let fx = c.send(wavetop::core::msg::Msg::Tick);
    let refusals: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::RecordRefusal {
                call,
                verdict,
                target,
                ..
            } => Some((call, verdict, target)),
            _ => None,
        })
        .collect();
    assert_eq!(
        refusals.len(),
        1,
        "update() asks for the refusal to be recorded"
    );
    let (call, verdict, target) = refusals[0];
    assert!(
        matches!(call, OperateCall::PutApprovalResult { approved: true, stage, .. } if stage == "Europe"),
        "{call:?}"
    );
    assert_eq!(verdict.call, Call::NoGo);
    assert!(target.to_string().contains("eu-west-1"), "{target}");
    let approvals = c
        .held_back
        .iter()
        .filter(|e| matches!(e, Effect::Operate { calls, .. } if matches!(calls[0], OperateCall::PutApprovalResult { .. })))
        .count();
    assert_eq!(approvals, 0, "nothing approved on NO-GO");
    assert!(c.model.deferred_approvals.is_empty());
    let refusal = c
        .model
        .activity
        .iter()
        .find(|e| e.text.contains("not sent"))
        .expect("the refusal is logged in the activity view");
    assert!(refusal.text.contains("NO-GO: "), "{}", refusal.text);
    assert!(
        refusal
            .text
            .contains("us-west-2 (an earlier wave) alarming"),
        "{}",
        refusal.text
    );
    let cell = c
        .model
        .fleet
        .flow("global-api")
        .unwrap()
        .wave("Europe")
        .unwrap()
        .cell("eu-west-1")
        .unwrap();
    assert!(
        cell.pending_approval().is_some(),
        "the gate is still waiting"
    );
    // The audit log holds the refusal as a record of its own kind, which
    // `audit --check` accepts and does not count as an unfinished call.
    let lines = c.audit_lines();
    let refused: Vec<_> = lines.iter().filter(|l| l["phase"] == "refused").collect();
    assert_eq!(refused.len(), 1, "{lines:?}");
    let line = refused[0];
    assert_eq!(line["api"], "codepipeline:PutApprovalResult");
    assert_eq!(line["params"]["intent"], "approval at window");
    assert_eq!(line["params"]["verdict"]["call"], "no_go");
    let detail = line["detail"].as_str().unwrap();
    assert!(
        detail.contains("us-west-2 (an earlier wave) alarming"),
        "{detail}"
    );
    assert!(
        line["target"].as_str().unwrap().contains("eu-west-1"),
        "{line}"
    );
    let report = wavetop::audit::check::check(&c.audit_log).unwrap();
    assert!(report.is_clean(), "{}", report.text());
    assert_eq!((report.calls, report.refused), (0, 1));
}

#[test]
fn the_grid_shows_the_verdict_with_its_word_and_style_in_every_theme() {
    let mut c = at_a_no_go_gate();
    // Off the judged cell, so its verdict is not in reverse video.
    c.keys("up");
    for theme in every_theme() {
        let terminal = render(&c.model, &theme, 160, 48);
        let buffer = terminal.backend().buffer();
        let (x, y) = find(buffer, "✘ NO-GO").expect("glyph and word in the cell");
        assert_eq!(
            buffer[(x, y)].fg,
            theme.verdict_no_go.fg.unwrap_or_default()
        );
        assert!(
            buffer[(x, y)]
                .modifier
                .contains(Modifier::REVERSED | Modifier::BOLD)
        );
    }
}

#[test]
fn the_approve_dialog_opens_with_the_verdict_and_its_reasons() {
    let mut c = at_a_no_go_gate();
    c.keys("a");
    for theme in every_theme() {
        let terminal = render(&c.model, &theme, 160, 48);
        let buffer = terminal.backend().buffer();
        let (x, y) = find(buffer, "Verdict: ✘ NO-GO").expect("the verdict at the top");
        let x = x + "Verdict: ".len() as u16;
        assert_eq!(
            buffer[(x, y)].fg,
            theme.verdict_no_go.fg.unwrap_or_default()
        );
        assert!(buffer[(x, y)].modifier.contains(Modifier::REVERSED));
        assert!(
            find(
                buffer,
                "global-api-us-west-2-5xx fired during the NorthAmerica"
            )
            .is_some()
        );
        assert!(find(buffer, "reason for the override (required)").is_some());
        assert!(find(buffer, "type eu-west-1 to confirm").is_some());
    }
    insta::assert_snapshot!(
        "approve_dialog_no_go_120x36",
        render(&c.model, &dark().no_color(), 120, 36).backend()
    );
}

#[test]
fn the_cell_detail_lists_the_verdicts_reasons() {
    let mut c = at_a_no_go_gate();
    c.keys("enter");
    let terminal = render(&c.model, &dark(), 160, 48);
    let buffer = terminal.backend().buffer();
    assert!(find(buffer, "Verdict: ✘ NO-GO").is_some());
    assert!(find(buffer, "NorthAmerica bake in us-west-2").is_some());
}
