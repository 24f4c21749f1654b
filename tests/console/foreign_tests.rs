//! Changes another identity made since this console last looked: marked in
//! the grid cell, spelled out in the cell detail, logged in the activity.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use wavetop::config::Theme;
use wavetop::protocol::OperateCall;
use wavetop::ui::view;

use super::support::Console;

const BOB: &str = "arn:aws:sts::111111111111:assumed-role/OnCall/bob";

fn approve_as_bob(c: &Console) {
    c.backend
        .world()
        .operate(
            OperateCall::PutApprovalResult {
                pipeline: "global-api".into(),
                stage: "Europe".into(),
                action: "EuWest1.Approve".into(),
                approved: true,
                summary: "looks good".into(),
            },
            BOB,
        )
        .expect("bob's approval goes through");
}

fn screen(c: &Console, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::preset("dark").unwrap();
    terminal.draw(|f| view(f, &c.model, &theme)).unwrap();
    terminal
}

#[test]
fn a_gate_answered_by_someone_else_is_marked_with_who_and_when() {
    let mut c = Console::at_minutes(10);
    c.navigate("global-api", "Europe", "eu-west-1");
    assert!(c.model.foreign_changes.is_empty());
    approve_as_bob(&c);
    c.advance(5);
    c.keys("ctrl-r");

    let change = c
        .model
        .foreign_changes
        .iter()
        .find(|ch| ch.stage == "Europe")
        .expect("bob's approval is noticed");
    assert_eq!(change.who, BOB);
    assert_eq!(change.what, "approved EuWest1.Approve");
    assert_eq!(change.region.as_deref(), Some("eu-west-1"));
    assert!(
        c.model
            .activity
            .iter()
            .any(|a| a.text.contains(&format!("{BOB} approved EuWest1.Approve"))),
        "logged in the activity view"
    );

    // The grid marks the cell, in the held colour and bold (seen with the
    // cursor elsewhere: the selection bar restyles its cell).
    c.keys("up");
    let grid = screen(&c, 160, 48);
    let buffer = grid.backend().buffer();
    let marker = buffer
        .content()
        .iter()
        .find(|cell| cell.symbol() == "✎")
        .expect("the cell carries the marker");
    let theme = Theme::preset("dark").unwrap();
    assert_eq!(marker.fg, theme.status_held.fg.unwrap());
    assert!(marker.modifier.contains(Modifier::BOLD));

    // The detail says who, what and when.
    c.keys("down enter");
    let detail = super::support::screen_text(&c.model, 160, 48);
    assert!(
        detail.contains(&format!(
            "CHANGED ELSEWHERE  {BOB} approved EuWest1.Approve at"
        )),
        "{detail}"
    );
    assert!(detail.contains("ago)"), "{detail}");

    // Thirty minutes on, the mark is gone; the activity keeps the record.
    c.advance(31 * 60);
    assert!(
        !c.model.foreign_changes.iter().any(|ch| ch.who == BOB),
        "{:?}",
        c.model.foreign_changes
    );
}

#[test]
fn what_this_console_did_itself_is_not_marked() {
    let mut c = Console::at_minutes(45);
    c.navigate("global-api", "SouthAmerica", "sa-east-1");
    c.keys("a tab right enter");
    assert!(
        c.sent
            .iter()
            .any(|call| matches!(call, OperateCall::PutApprovalResult { .. }))
    );
    c.advance(5);
    c.keys("ctrl-r");
    assert!(
        c.model
            .foreign_changes
            .iter()
            .all(|ch| ch.stage != "Europe"),
        "{:?}",
        c.model.foreign_changes
    );
}
