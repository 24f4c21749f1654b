//! Keys typed into a confirmation stay in it, with real keystrokes: a stray
//! Enter in the middle of a comment neither cancels the dialog nor lets the
//! rest of the comment loose on the grid.

use serde_json::Value;

use crate::operate::{ENTER, RIGHT, TAB, audit_lines, closed_and_done, go};
use crate::{WAIT, spawn_demo_sized, tempdir};

#[test]
fn a_stray_enter_mid_comment_approves_once_with_the_whole_comment() {
    let dir = tempdir("stray-enter");
    let mut tui = spawn_demo_sized(&dir, &["--at", "45m"], 48, 160);
    tui.wait_for("APPROVE?", WAIT);
    // global-api, SouthAmerica wave, sa-east-1: a gate waits there at 45m,
    // its verdict GO, so the comment is all the dialog asks for.
    go(&mut tui, "global-api", 4, 0);
    tui.send("a");
    tui.wait_for("[ Cancel ]", WAIT);
    tui.send("canary");
    tui.send(ENTER);
    tui.send(" ok");
    tui.wait_for("canary ok", WAIT);
    tui.send(TAB);
    tui.send(RIGHT);
    tui.send(ENTER);
    // Typing on as the dialog closes: this `a` must not open a second approval.
    tui.send("a");
    closed_and_done(&tui, "global-api/SouthAmerica/sa-east-1: done");
    let screen = tui.screen_text();
    assert!(
        !screen.contains("[ Cancel ]"),
        "no second dialog on screen:\n{screen}"
    );
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());

    let lines = audit_lines(&dir.join("state/wavetop/audit.jsonl"));
    let approvals: Vec<&Value> = lines
        .iter()
        .filter(|l| l["phase"] == "before" && l["api"] == "codepipeline:PutApprovalResult")
        .collect();
    assert_eq!(approvals.len(), 1, "one approval: {lines:#?}");
    let call = &approvals[0]["call"];
    assert_eq!(call["approved"], true);
    assert!(
        call["summary"]
            .as_str()
            .is_some_and(|s| s.contains("canary ok")),
        "{call}"
    );
}
