//! Alarms and bake clocks on screen, on the seeded simulator: global-api's
//! us-west-2 alarm fires four minutes into the NorthAmerica bake (02:04:57)
//! and recovers a minute later. The header's glyph, the cell's mark and the
//! detail's lines, with the styles that carry them in every theme and
//! without colour.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use wavetop::config::Theme;
use wavetop::core::msg::Msg;

use crate::render_tests::{dark, find, render};
use crate::support::{Console, screen_text};

/// The demo at `minutes`, its alarm history read too, on global-api's
/// NorthAmerica wave in us-west-2.
fn on_the_flapping_cell(minutes: i64) -> Console {
    let mut c = Console::at_minutes(minutes);
    // The flows' answers start the bakes, whose history is read next.
    c.send(Msg::Tick);
    c.navigate("global-api", "NorthAmerica", "us-west-2");
    c
}

fn themes() -> [Theme; 4] {
    [
        dark(),
        Theme::preset("light").unwrap(),
        Theme::preset("high-contrast").unwrap(),
        dark().no_color(),
    ]
}

fn at(buffer: &Buffer, needle: &str) -> ratatui::buffer::Cell {
    let (x, y) = find(buffer, needle).unwrap_or_else(|| panic!("{needle} is drawn"));
    buffer[(x, y)].clone()
}

#[test]
fn an_alarm_firing_marks_the_region_header_and_the_baking_cell() {
    let c = on_the_flapping_cell(5);
    for theme in themes() {
        let terminal = render(&c.model, &theme, 160, 48);
        let buffer = terminal.backend().buffer();
        let glyph = at(buffer, "us-west-2 ◆");
        let (x, y) = find(buffer, "us-west-2 ◆").unwrap();
        let glyph_cell = &buffer[(x + 10, y)];
        assert_eq!(glyph_cell.symbol(), "◆");
        assert!(
            glyph_cell
                .modifier
                .contains(Modifier::BOLD | Modifier::REVERSED)
        );
        assert_eq!(glyph_cell.fg, theme.alarm_alarm.fg.unwrap_or(Color::Reset));
        assert_ne!(glyph.symbol(), "");
        // The cell says the word, so no colour is needed to read it.
        assert!(find(buffer, "◆ALARM").is_some(), "the cell names the state");
    }
    let screen = screen_text(&c.model, 160, 48);
    assert!(
        screen.contains("sa-east-1 ◇"),
        "a quiet region shows its OK glyph"
    );
}

#[test]
fn a_recovered_flap_stays_on_the_cell_and_in_its_detail_with_its_times() {
    let mut c = on_the_flapping_cell(10);
    let theme = dark();
    // Off the cell: a selected cell is one uniform bar.
    c.keys("left");
    let terminal = render(&c.model, &theme, 160, 48);
    let buffer = terminal.backend().buffer();
    assert!(
        find(buffer, "us-west-2 ◇").is_some(),
        "the alarm is OK again"
    );
    let mark = at(buffer, "◆flap");
    assert_eq!(mark.fg, theme.alarm_alarm.fg.unwrap());
    // The bake started at the deploy's end, 02:00:57, and runs 30 minutes.
    assert!(find(buffer, "◆flap ◴20m").is_some());

    c.keys("right enter");
    let screen = screen_text(&c.model, 160, 48);
    for line in [
        "Alarms in us-west-2",
        "◴ baking 9m of 30m, 20m left since the deploy finished at 02:00:57",
        "◆ fired during the bake global-api-us-west-2-5xx at 02:04:57, recovered 02:05:57 (1m later)",
        "◇ OK global-api-us-west-2-5xx since 02:05:57",
        "◇ OK global-api-us-west-2-health (composite)",
    ] {
        assert!(screen.contains(line), "{line}\n{screen}");
    }
    for theme in themes() {
        let terminal = render(&c.model, &theme, 160, 48);
        let buffer = terminal.backend().buffer();
        let fired = at(buffer, "◆ fired during the bake");
        assert!(fired.modifier.contains(Modifier::BOLD));
        assert_eq!(fired.fg, theme.alarm_alarm.fg.unwrap_or(Color::Reset));
        let bake = at(buffer, "◴ baking");
        assert_eq!(bake.fg, theme.bake.fg.unwrap_or(Color::Reset));
    }
}

#[test]
fn an_alarm_answer_that_changed_nothing_does_not_redraw() {
    let mut c = Console::at_minutes(40);
    let key = wavetop::protocol::PollKey::Alarms {
        region: "us-west-2".into(),
    };
    c.model.poll.expedite(&key, c.now());
    c.model.needs_render = false;
    c.send(Msg::Tick);
    assert!(
        c.model.poll.state(&key).unwrap().last_ok.is_some(),
        "the region's alarms were read again"
    );
    assert!(!c.model.needs_render, "the same alarms draw nothing new");
}
