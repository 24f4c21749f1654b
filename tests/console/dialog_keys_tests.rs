//! Keys typed into a confirmation stay in it: a printable key never closes a
//! dialog, a character typed on the buttons goes back into its text field,
//! and characters typed just after a dialog closed do not reach the grid.

use wavetop::core::key::{Key, KeyCode};
use wavetop::core::key_guard::KEY_GUARD;
use wavetop::core::model::View;
use wavetop::core::msg::{Effect, Msg};
use wavetop::protocol::OperateCall;

use crate::support::Console;

/// Time between two keystrokes of someone typing steadily.
const KEYSTROKE_MS: i64 = 120;

fn operates(fx: &[Effect]) -> usize {
    fx.iter()
        .filter(|e| matches!(e, Effect::Operate { .. }))
        .count()
}

#[test]
fn a_stray_enter_mid_comment_keeps_the_dialog_and_every_letter() {
    // A GO gate: the comment is optional and nothing needs typing.
    let mut c = Console::at_minutes(45);
    c.navigate("global-api", "SouthAmerica", "sa-east-1");
    let mut keys = vec![Key::char('a')];
    keys.extend("canary".chars().map(Key::char));
    keys.push(Key::plain(KeyCode::Enter));
    // `c` and `n` of "canary" once cancelled from the buttons, and `a` then
    // opened a second approval on the grid.
    keys.extend(" ok".chars().map(Key::char));
    keys.extend([Key::plain(KeyCode::Tab), Key::plain(KeyCode::Right)]);

    let mut dialogs_opened = 0;
    let mut open = false;
    for key in keys {
        let fx = c.send(Msg::Key(key));
        assert_eq!(operates(&fx), 0, "{key} sent a call before Confirm");
        if c.model.confirmation.is_some() && !open {
            dialogs_opened += 1;
        }
        open = c.model.confirmation.is_some();
        c.wait_ms(KEYSTROKE_MS);
    }
    assert!(open, "the dialog is still open");
    assert_eq!(dialogs_opened, 1, "one dialog, never closed in between");
    assert!(c.sent.is_empty());
    let dialog = c.model.confirmation.as_ref().unwrap();
    assert_eq!(dialog.comment, "canary ok");
    assert!(dialog.confirm_selected);

    let fx = c.send(Msg::Key(Key::plain(KeyCode::Enter)));
    assert_eq!(operates(&fx), 1, "Confirm sends the approval");
    let [
        OperateCall::PutApprovalResult {
            approved: true,
            stage,
            summary,
            ..
        },
    ] = c.sent.as_slice()
    else {
        panic!("one approval expected, sent {:?}", c.sent);
    };
    assert_eq!(stage, "SouthAmerica");
    assert!(summary.contains("canary ok"), "{summary}");
}

#[test]
fn characters_never_cancel_a_dialog_without_a_text_field_only_esc_and_ctrl_c_do() {
    let mut c = Console::at_minutes(10);
    c.navigate("service-x", "Deploy", "ap-southeast-2");
    c.keys("r");
    let dialog = c.model.confirmation.as_ref().expect("the retry dialog");
    assert_eq!(dialog.last_field, None, "a retry asks for no text");
    // Each of these does something on the grid or used to cancel here.
    for key in ["c", "n", "q", "x", "a", "y", "space", "1", "?"] {
        c.keys(key);
        assert!(c.model.confirmation.is_some(), "{key} closed the dialog");
    }
    assert!(!c.model.should_quit);
    assert!(!c.model.help);
    assert_eq!(c.model.view, View::Grid);
    assert!(c.sent.is_empty());

    c.keys("esc");
    assert!(c.model.confirmation.is_none());
    assert!(c.model.flash.as_ref().unwrap().1.contains("cancelled"));

    c.pause_after_dialog();
    c.keys("r");
    assert!(c.model.confirmation.is_some());
    c.keys("ctrl-c");
    assert!(c.model.confirmation.is_none());
    assert!(
        !c.model.should_quit,
        "ctrl-c closes the dialog, not wavetop"
    );
    assert!(c.sent.is_empty());
}

#[test]
fn a_key_typed_just_after_a_dialog_closed_opens_nothing_until_typing_pauses() {
    let mut c = Console::at_minutes(10);
    c.navigate("global-api", "Europe", "eu-west-1");
    c.keys("a");
    assert!(c.model.confirmation.is_some());
    c.keys("esc");
    assert!(c.model.confirmation.is_none());

    c.wait_ms(KEYSTROKE_MS);
    c.keys("a");
    assert!(c.model.confirmation.is_none(), "`a` right after the cancel");
    // Navigation passes: the cursor moves and comes back.
    let region = c.model.cursors.region.selected;
    c.keys("right");
    assert_eq!(c.model.cursors.region.selected, region + 1);
    c.keys("left");
    // Typing on keeps the pause going.
    c.wait_ms(KEY_GUARD.as_millis() as i64 - 1);
    c.keys("a");
    assert!(c.model.confirmation.is_none(), "still typing");

    c.wait_ms(KEY_GUARD.as_millis() as i64);
    c.keys("a");
    assert!(
        c.model.confirmation.is_some(),
        "after a pause `a` approves again"
    );
}
