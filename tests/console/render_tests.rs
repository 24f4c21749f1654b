//! Rendered frames on ratatui's TestBackend: insta snapshots of every view at
//! 80x24 and 160x48 on the seeded simulator, and explicit checks of the
//! styles that carry state (snapshots drop colour).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

use wavetop::config::Theme;
use wavetop::core::model::Model;
use wavetop::core::msg::Msg;
use wavetop::domain::fleet::CellStatus;
use wavetop::ui::view;

use crate::support::Console;

pub(crate) fn render(
    model: &Model,
    theme: &Theme,
    width: u16,
    height: u16,
) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view(f, model, theme)).unwrap();
    terminal
}

pub(crate) fn dark() -> Theme {
    Theme::preset("dark").unwrap()
}

/// Every view, at both sizes, after the given keys (pressed at that size:
/// a page is as long as the screen).
fn snapshot_views(keys: &str, name: &str) {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut c = Console::at_minutes(10);
        c.send(Msg::Resize {
            width: w,
            height: h,
        });
        c.keys(keys);
        let terminal = render(&c.model, &dark(), w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn grid() {
    snapshot_views("", "grid");
}

#[test]
fn grid_of_a_chained_flow() {
    snapshot_views(
        ": p i p e l i n e space e d g e - r e l a y enter",
        "grid_chained",
    );
}

#[test]
fn pipelines() {
    snapshot_views("2", "pipelines");
}

#[test]
fn cell_detail() {
    snapshot_views("down down down down enter", "cell_detail");
}

#[test]
fn health() {
    snapshot_views("3 down", "health");
}

#[test]
fn replication() {
    snapshot_views("4", "replication");
}

#[test]
fn executions() {
    snapshot_views("5", "executions");
}

#[test]
fn activity() {
    snapshot_views("6", "activity");
}

#[test]
fn help() {
    snapshot_views("?", "help");
}

#[test]
fn help_scrolled_to_the_operator_actions() {
    snapshot_views("? pagedown pagedown", "help_scrolled");
}

#[test]
fn confirmation_dialog() {
    snapshot_views("down down down down d", "confirm_drain");
}

/// The buffer cells of the first occurrence of `needle` on screen.
pub(crate) fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    for y in 0..area.height {
        let line: String = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        if let Some(byte) = line.find(needle) {
            let x = line[..byte].chars().count() as u16;
            return Some((x, y));
        }
    }
    None
}

#[test]
fn the_selected_cell_is_reverse_video_in_every_theme_and_without_colour() {
    let c = Console::at_minutes(10);
    for theme in [
        dark(),
        Theme::preset("light").unwrap(),
        Theme::preset("high-contrast").unwrap(),
        dark().no_color(),
    ] {
        let terminal = render(&c.model, &theme, 160, 48);
        let buffer = terminal.backend().buffer();
        let flow = c.model.selected_flow().unwrap();
        let wave = &flow.waves[c.model.cursors.wave.selected];
        let (glyph, _) = wavetop::ui::glyphs::cell_glyph(wave.cells[0].status());
        let (x, y) = find(buffer, glyph).expect("the selected cell's glyph is drawn");
        assert!(
            buffer[(x, y)].modifier.contains(Modifier::REVERSED),
            "selected cell at {x},{y} is reversed"
        );
    }
}

#[test]
fn state_colours_come_from_the_theme() {
    let mut c = Console::at_minutes(10);
    let theme = dark();
    let flow = c.model.fleet.flow("global-api").unwrap().clone();
    let waiting = flow
        .waves
        .iter()
        .flat_map(|w| w.cells.iter())
        .any(|cell| cell.status() == CellStatus::AwaitingApproval);
    assert!(waiting);
    c.keys("2 esc");
    let terminal = render(&c.model, &theme, 160, 48);
    let buffer = terminal.backend().buffer();
    let (x, y) = find(buffer, "APPROVE?").expect("a waiting gate is drawn");
    assert_eq!(
        buffer[(x, y)].fg,
        theme.status_awaiting_approval.fg.unwrap_or_default()
    );
    let no_color = dark().no_color();
    let terminal = render(&c.model, &no_color, 160, 48);
    let buffer = terminal.backend().buffer();
    let (x, y) = find(buffer, "APPROVE?").expect("the word carries the state without colour");
    assert_eq!(buffer[(x, y)].fg, ratatui::style::Color::Reset);
}

#[test]
fn read_only_shows_a_lock_in_the_header_and_greys_operator_keys() {
    let c = Console::with(10, Default::default(), true);
    let terminal = render(&c.model, &dark(), 160, 48);
    let buffer = terminal.backend().buffer();
    assert!(find(buffer, "READ-ONLY").is_some_and(|(_, y)| y == 0));
    let (x, y) = find(buffer, "approve").expect("approve hint in the footer");
    assert!(buffer[(x, y)].modifier.contains(Modifier::CROSSED_OUT));
}

#[test]
fn many_regions_scroll_with_the_selected_column_in_view() {
    let mut c = Console::at_minutes(0);
    let now = c.model.now;
    c.model.fleet = wavetop::domain::synthetic::fleet(12, 24, now);
    c.model.selected_flow = Some("synthetic".into());
    c.keys("1");
    for _ in 0..23 {
        c.keys("right");
    }
    let terminal = render(&c.model, &dark(), 80, 24);
    let buffer = terminal.backend().buffer();
    let last = c.model.fleet.flows[0].regions[23].clone();
    assert!(
        find(buffer, &last).is_some(),
        "the 24th region is in view at 80 columns"
    );
    assert!(
        find(buffer, "more").is_some(),
        "hidden columns are announced"
    );
}

#[test]
fn a_pipeline_whose_last_poll_failed_says_so_in_the_grid_title() {
    use wavetop::core::msg::{Effect, Msg};
    use wavetop::protocol::{PollKey, SourceError};

    let mut c = Console::at_minutes(10);
    let key = PollKey::Flow {
        flow: "global-api".into(),
    };
    c.advance(40);
    let now = c.now();
    // Answer the next poll of global-api with an error; the others normally.
    c.clock.set(now + jiff::SignedDuration::from_secs(40));
    let at = c.now();
    let fx = wavetop::core::update::update(&mut c.model, Msg::Tick, at);
    let generation = fx
        .iter()
        .find_map(|e| match e {
            Effect::Poll { key: k, generation } if *k == key => Some(*generation),
            _ => None,
        })
        .expect("global-api is due");
    c.send(Msg::Polled {
        key: key.clone(),
        generation,
        result: Err(SourceError::AccessDenied(
            "codepipeline:GetPipelineState".into(),
        )),
        incomplete: None,
    });
    let terminal = render(&c.model, &dark(), 200, 30);
    let buffer = terminal.backend().buffer();
    let (x, y) = find(buffer, "⚠ access denied").expect("the title names the failure");
    assert_eq!(y, 2, "on the grid's title line");
    assert!(buffer[(x, y)].modifier.contains(Modifier::BOLD));
}

/// The case on the demo fleet: the Europe gate is answered in a new
/// execution while the change set and its execution last ran in an earlier
/// one. The cell must not read "done": it is pending, with the earlier
/// result beside it, greyed.
#[test]
fn an_answered_gate_leaves_its_cell_pending_with_the_earlier_result_greyed() {
    use wavetop::domain::fleet::ActionStatus;

    let mut c = Console::at_minutes(10);
    c.navigate("global-api", "Europe", "eu-west-1");
    // The gate is NO-GO at 10m (a flap during the NorthAmerica bake): the
    // approval is an override, with its reason and the region typed.
    c.keys("a");
    c.type_text("flap understood");
    c.keys("tab");
    c.type_text("eu-west-1");
    c.keys("tab right enter");
    let flow = c.model.fleet.flow("global-api").unwrap();
    let cell = flow.wave("Europe").unwrap().cell("eu-west-1").unwrap();
    let statuses: Vec<(ActionStatus, Option<ActionStatus>)> = cell
        .actions
        .iter()
        .map(|a| (a.status, a.earlier.as_ref().map(|e| e.status)))
        .collect();
    assert_eq!(
        statuses,
        [
            (ActionStatus::Succeeded, None),
            (ActionStatus::NotStarted, Some(ActionStatus::Succeeded)),
            (ActionStatus::NotStarted, Some(ActionStatus::Succeeded)),
        ]
    );
    assert_eq!(cell.status(), CellStatus::NotStarted);

    // In the grid, off the cursor: the earlier glyph is greyed, not green.
    c.keys("up");
    let theme = dark();
    let terminal = render(&c.model, &theme, 160, 48);
    let buffer = terminal.backend().buffer();
    // The next region of the moving Europe wave: its verdict between the
    // status and the earlier result.
    let (x, y) = find(buffer, "pending ✘ NO-GO (✔)").expect("the cell is pending");
    let earlier = &buffer[(x + "pending ✘ NO-GO (".chars().count() as u16, y)];
    assert_eq!(earlier.symbol(), "✔");
    assert_eq!(earlier.fg, theme.dim.fg.unwrap());
    assert_ne!(earlier.fg, theme.status_succeeded.fg.unwrap());

    // In the detail: each action says where it runs; the earlier run greyed.
    c.keys("down enter");
    let terminal = render(&c.model, &theme, 160, 48);
    let buffer = terminal.backend().buffer();
    let (x, y) = find(buffer, "earlier run ✔").expect("the detail names the earlier run");
    assert_eq!(buffer[(x, y)].fg, theme.dim.fg.unwrap());
    let text: String = (0..160)
        .map(|x| buffer[(x, y)].symbol().to_string())
        .collect();
    assert!(text.contains("EuWest1.Api.Prepare"), "{text}");
    assert!(
        text.contains("eu-west-1 "),
        "the change set runs in eu-west-1: {text}"
    );
    let (_, gate_y) = find(buffer, "EuWest1.Approve").expect("the gate's line");
    let gate: String = (0..160)
        .map(|x| buffer[(x, gate_y)].symbol().to_string())
        .collect();
    assert!(
        gate.contains("us-east-1 (home)"),
        "the gate runs at home: {gate}"
    );
}
