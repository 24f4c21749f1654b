//! The mouse through update(): each test draws the frame with the real view,
//! hands its hit map back (`Msg::Laid`, as the runtime does after each
//! draw), then clicks where the frame shows something, by the text on
//! screen. The clock between clicks is the test's.

use wavetop::core::key::{Key, KeyCode};
use wavetop::core::model::View;
use wavetop::core::mouse::{Mouse, MouseKind};
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::panes::ActivityPane;
use wavetop::core::rows::{HealthRow, health_rows};

use crate::support::{Console, draw_and_report};

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

/// Draws the model as the runtime would and returns the screen's lines.
fn lay_out(c: &mut Console) -> Vec<String> {
    c.send(Msg::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    let now = c.now();
    draw_and_report(&mut c.model, now)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The (column, row) where `text` starts on the first line from `from_row`
/// down that shows it.
fn find(screen: &[String], text: &str, from_row: usize) -> (u16, u16) {
    for (row, line) in screen.iter().enumerate().skip(from_row) {
        if let Some(byte) = line.find(text) {
            let column = line[..byte].chars().count();
            return (column as u16, row as u16);
        }
    }
    panic!("{text:?} is not on screen:\n{}", screen.join("\n"));
}

fn mouse(c: &mut Console, kind: MouseKind, (column, row): (u16, u16)) -> Vec<Effect> {
    c.send(Msg::Mouse(Mouse { kind, column, row }))
}

fn click(c: &mut Console, at: (u16, u16)) -> Vec<Effect> {
    mouse(c, MouseKind::Click, at)
}

#[test]
fn a_click_on_a_tab_shows_its_view() {
    let mut c = Console::at_minutes(45);
    assert_eq!(c.model.view, View::Grid);
    for (title, view) in [
        ("Health", View::Health),
        ("Activity", View::Activity),
        ("Pipelines", View::Pipelines),
        ("Grid", View::Grid),
    ] {
        let screen = lay_out(&mut c);
        // The tab bar is the second line.
        let (column, row) = find(&screen, title, 1);
        assert_eq!(row, 1, "{title} is a tab");
        click(&mut c, (column, row));
        assert_eq!(c.model.view, view, "clicked {title}");
        c.wait_ms(1_000);
    }
}

#[test]
fn a_click_on_a_row_selects_it_and_a_double_click_opens_it() {
    let mut c = Console::at_minutes(45);
    c.keys("2");
    assert_eq!(c.model.view, View::Pipelines);
    let screen = lay_out(&mut c);
    let third = c.model.visible_flows()[2].name.clone();
    let at = find(&screen, &third, 2);
    click(&mut c, at);
    assert_eq!(c.model.cursors.pipeline.selected, 2);
    assert_eq!(c.model.view, View::Pipelines, "one click only selects");

    // Too slow for a double click: still only selected.
    c.wait_ms(600);
    click(&mut c, at);
    assert_eq!(c.model.view, View::Pipelines);
    c.wait_ms(150);
    click(&mut c, at);
    assert_eq!(c.model.view, View::Grid, "a double click opens, as enter");
    assert_eq!(c.model.selected_flow().map(|f| f.name.clone()), Some(third));
}

#[test]
fn a_click_on_a_grid_cell_selects_its_wave_and_region() {
    let mut c = Console::at_minutes(45);
    c.navigate("global-api", "SouthAmerica", "sa-east-1");
    let flow = c.model.selected_flow().unwrap().clone();
    let (row, wave) = flow
        .waves
        .iter()
        .enumerate()
        .rev()
        .find(|(_, w)| !w.pre_deploy)
        .map(|(i, w)| (i, w.name.clone()))
        .unwrap();
    let region = flow.regions.len() - 1;
    let screen = lay_out(&mut c);
    // The region's column, from its header; the wave's row, from its name.
    let (column, header) = find(&screen, &flow.regions[region], 3);
    let (_, line) = find(&screen, &wave, usize::from(header) + 2);
    click(&mut c, (column, line));
    assert_eq!(
        c.model.selected_cell(),
        Some((row, flow.regions[region].as_str()))
    );
    assert_eq!(c.model.view, View::Grid);

    c.wait_ms(100);
    click(&mut c, (column, line));
    assert_eq!(
        c.model.view,
        View::CellDetail,
        "a double click opens the cell"
    );
}

#[test]
fn the_wheel_scrolls_the_list_under_the_pointer_or_in_front() {
    let mut c = Console::at_minutes(45);
    c.keys("2");
    let screen = lay_out(&mut c);
    let first = c.model.visible_flows()[0].name.clone();
    let at = find(&screen, &first, 2);
    mouse(&mut c, MouseKind::WheelDown, at);
    assert_eq!(c.model.cursors.pipeline.selected, 3);
    mouse(&mut c, MouseKind::WheelUp, at);
    assert_eq!(c.model.cursors.pipeline.selected, 0);
    // On the tab bar, which does not scroll: the view in front does.
    mouse(&mut c, MouseKind::WheelDown, (0, 1));
    assert_eq!(c.model.cursors.pipeline.selected, 3);
    assert_eq!(
        c.model.view,
        View::Pipelines,
        "the wheel never switches views"
    );
}

#[test]
fn no_click_anywhere_confirms_or_closes_a_dialog() {
    let mut c = Console::at_minutes(45);
    c.navigate("global-api", "SouthAmerica", "sa-east-1");
    c.keys("a");
    assert!(
        c.model.confirmation.is_some(),
        "the approval dialog is open"
    );
    // Confirm selected: Enter would send the approval now.
    c.send(Msg::Key(Key::plain(KeyCode::Tab)));
    c.send(Msg::Key(Key::plain(KeyCode::Right)));
    assert!(c.model.confirmation.as_ref().unwrap().confirm_selected);
    let before = c.model.confirmation.clone();
    lay_out(&mut c);
    for row in 0..HEIGHT {
        for column in 0..WIDTH {
            for kind in [MouseKind::Click, MouseKind::Click, MouseKind::WheelDown] {
                let fx = mouse(&mut c, kind, (column, row));
                assert!(
                    !fx.iter().any(|e| matches!(e, Effect::Operate { .. })),
                    "{kind:?} at {column},{row} sent a call"
                );
            }
        }
    }
    assert!(c.sent.is_empty());
    assert_eq!(c.model.confirmation, before, "the dialog is as it was");
    assert_eq!(c.model.view, View::Grid);

    // The keyboard still confirms it.
    let fx = c.send(Msg::Key(Key::plain(KeyCode::Enter)));
    assert_eq!(
        fx.iter()
            .filter(|e| matches!(e, Effect::Operate { .. }))
            .count(),
        1
    );
}

#[test]
fn the_help_says_what_the_mouse_does_when_the_terminal_reports_it() {
    let mut c = Console::at_minutes(45);
    c.keys("?");
    let hint = "a double click opens";
    assert!(
        !lay_out(&mut c).join("\n").contains(hint),
        "no mouse, no hint"
    );
    c.model.mouse.captured = true;
    assert!(lay_out(&mut c).join("\n").contains(hint));
    // The wheel scrolls the help, a click on it does nothing.
    c.send(Msg::Resize {
        width: WIDTH,
        height: 12,
    });
    mouse(&mut c, MouseKind::WheelDown, (10, 5));
    assert_eq!(c.model.cursors.help.offset, 3);
    click(&mut c, (10, 5));
    assert!(c.model.help, "still open");
}

#[test]
fn a_click_selects_a_health_row_and_a_sources_row() {
    let mut c = Console::at_minutes(45);
    c.keys("3");
    let screen = lay_out(&mut c);
    let set = c.model.fleet.health.record_sets[1].name.clone();
    let row = health_rows(&c.model.fleet)
        .iter()
        .position(|r| *r == HealthRow::RecordSet { set: 1 })
        .unwrap();
    click(&mut c, find(&screen, &set, 2));
    assert_eq!(c.model.cursors.health.selected, row);

    c.keys("6");
    assert_eq!(c.model.activity_pane, ActivityPane::Log);
    let screen = lay_out(&mut c);
    let (_, panel) = find(&screen, "sources: last answer", 2);
    let third = c.model.poll.keys().nth(2).unwrap().0.label();
    let at = find(&screen, &format!(" {third} "), usize::from(panel) + 1);
    click(&mut c, at);
    assert_eq!(
        c.model.activity_pane,
        ActivityPane::Sources,
        "the pane clicked"
    );
    assert_eq!(c.model.cursors.sources.selected, 2);
}
