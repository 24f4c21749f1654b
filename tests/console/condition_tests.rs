//! V2 stage conditions through update() and on screen: the grid's mark, the
//! cell detail's rules, and the override's confirmation, refusal and audit.

use wavetop::config::Theme;
use wavetop::core::intent::Intent;
use wavetop::domain::conditions::ConditionKind;
use wavetop::protocol::OperateCall;
use wavetop::sim::SIM_IDENTITY;

use crate::render_tests::{dark, find, render};
use crate::support::Console;

/// The demo's `search` pipeline: its Americas wave waits on an alarm rule
/// at the demo's start.
fn at_the_alarm_rule() -> Console {
    let mut c = Console::at_minutes(0);
    c.navigate("search", "Americas", "us-east-1");
    c
}

#[test]
fn the_override_needs_the_typed_region_and_is_audited_before_and_after() {
    let mut c = at_the_alarm_rule();
    let execution = c
        .model
        .fleet
        .flow("search")
        .unwrap()
        .wave("Americas")
        .unwrap()
        .conditions
        .as_ref()
        .unwrap()
        .overridable()
        .unwrap()
        .1
        .to_string();
    c.keys("O");
    let dialog = c.model.confirmation.as_ref().expect("a confirmation");
    let Intent::OverrideCondition {
        condition, rules, ..
    } = &dialog.intent
    else {
        panic!("an override dialog: {:?}", dialog.intent);
    };
    assert_eq!(*condition, ConditionKind::BeforeEntry);
    assert_eq!(rules, &["EuropeQuiet (CloudWatchAlarm evaluating)"]);
    c.keys("tab right enter");
    assert!(c.dialog_problem().contains("type us-east-1"));
    assert!(c.sent.is_empty());
    c.keys("shift-tab");
    c.type_text("us-east-1");
    c.keys("tab enter");
    assert_eq!(
        c.sent,
        [OperateCall::OverrideStageCondition {
            pipeline: "search".into(),
            stage: "Americas".into(),
            execution_id: execution.clone(),
            condition: ConditionKind::BeforeEntry,
        }]
    );
    assert_eq!(c.audit_lines_at_call, [1], "the before line came first");
    let lines = c.audit_lines();
    let [before, after] = lines.as_slice() else {
        panic!("a before and an after line: {lines:?}");
    };
    assert_eq!(before["api"], "codepipeline:OverrideStageCondition");
    assert_eq!(before["identity"], SIM_IDENTITY);
    assert_eq!(before["target"], "search/Americas");
    assert_eq!(before["params"]["state_read"]["condition"], "BEFORE_ENTRY");
    assert_eq!(before["params"]["state_read"]["execution_id"], execution);
    assert_eq!(after["outcome"], "ok");
}

#[test]
fn read_only_refuses_the_override_before_any_dialog() {
    let mut c = Console::with(0, Default::default(), true);
    c.navigate("search", "Americas", "us-east-1");
    c.keys("O");
    assert!(c.model.confirmation.is_none());
    assert!(c.model.flash.as_ref().unwrap().1.contains("read-only"));
    assert!(c.sent.is_empty());
}

#[test]
fn a_wave_without_a_held_condition_says_why_it_cannot_be_overridden() {
    let mut c = at_the_alarm_rule();
    c.navigate("search", "Europe", "eu-west-1");
    c.keys("O");
    assert!(c.model.confirmation.is_none());
    let flash = &c.model.flash.as_ref().unwrap().1;
    assert!(flash.contains("declares no stage conditions"), "{flash}");
}

#[test]
fn the_grid_marks_a_held_wave_with_a_glyph_and_word_in_every_theme() {
    let mut c = at_the_alarm_rule();
    // Away from the marked cell, so the mark is not in reverse video.
    c.keys("up");
    for theme in [
        dark(),
        Theme::preset("light").unwrap(),
        Theme::preset("high-contrast").unwrap(),
        dark().no_color(),
    ] {
        let terminal = render(&c.model, &theme, 160, 48);
        let buffer = terminal.backend().buffer();
        let (x, y) = find(buffer, "◴ cond").expect("the mark is drawn, glyph and word");
        assert_eq!(
            buffer[(x, y)].fg,
            theme.condition_blocking.fg.unwrap_or_default()
        );
        assert_eq!(
            buffer[(x, y)].modifier,
            theme.condition_blocking.add_modifier
        );
    }
}

#[test]
fn the_cell_detail_lists_the_rule_its_result_and_the_wait_left() {
    let mut c = at_the_alarm_rule();
    c.keys("enter");
    let theme = dark();
    let terminal = render(&c.model, &theme, 160, 48);
    let buffer = terminal.backend().buffer();
    assert!(find(buffer, "Stage conditions").is_some());
    assert!(find(buffer, "EuropeQuiet  CloudWatchAlarm").is_some());
    let (x, y) = find(buffer, "◴ evaluating").expect("the rule's status");
    assert_eq!(
        buffer[(x, y)].fg,
        theme.condition_blocking.fg.unwrap_or_default()
    );
    assert!(find(buffer, " left").is_some(), "the wait left is shown");
    assert!(find(buffer, "search-eu-west-1-p99-latency is in ALARM").is_some());
    assert!(find(buffer, "retries automatically (FAILED_ACTIONS)").is_some());
    assert!(find(buffer, "⊗ FAILED").is_none(), "nothing failed yet");
}
