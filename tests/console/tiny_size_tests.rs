//! Every view at every small terminal size, on the seeded simulator: nothing
//! panics (a resize that passes through a tiny size must not kill a running
//! console), and below the minimum size one line says how much room the
//! console needs instead of a frame cut to pieces.

use std::panic::{AssertUnwindSafe, catch_unwind};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use wavetop::config::Theme;
use wavetop::core::model::Model;
use wavetop::core::msg::Msg;
use wavetop::ui::{MIN_HEIGHT, MIN_WIDTH, view};

use crate::support::Console;

/// Each view, and each overlay, with the keys that open it.
const SCREENS: [(&str, &str); 11] = [
    ("grid", ""),
    ("pipelines", "2"),
    ("pipelines filtered", "2 / g l"),
    ("health", "3 down"),
    ("replication", "4"),
    ("executions", "5"),
    ("activity", "6"),
    ("help", "?"),
    ("cell detail", "down down down down enter"),
    ("confirmation dialog", "down down down down d"),
    ("command line", ": p i p"),
];

/// Sizes tried: every size from 1x1 to a little past the minimum (the views
/// themselves then draw into the least room they ever get), taller terminals
/// at the minimum width, and the widths at which a view changes its layout
/// (the pipelines' extra columns, the health side panel, two help columns).
fn sizes() -> Vec<(u16, u16)> {
    let mut sizes = Vec::new();
    for width in 1..=MIN_WIDTH + 8 {
        for height in 1..=MIN_HEIGHT + 2 {
            sizes.push((width, height));
        }
    }
    for width in [MIN_WIDTH, 80] {
        for height in MIN_HEIGHT + 3..=MIN_HEIGHT + 24 {
            sizes.push((width, height));
        }
    }
    for width in [99, 100, 119, 120, 199, 200] {
        for height in 1..=MIN_HEIGHT + 2 {
            sizes.push((width, height));
        }
    }
    sizes
}

fn draw(model: &Model, theme: &Theme, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view(f, model, theme)).unwrap();
    terminal.backend().buffer().clone()
}

fn rows(buffer: &Buffer) -> Vec<String> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// A screen opened by keys on the demo fleet ten minutes in.
fn screen(keys: &str) -> Model {
    let mut c = Console::at_minutes(10);
    c.keys(keys);
    c.model
}

/// What is wrong with one drawn frame, if anything.
fn check_frame(rows: &[String], width: u16, height: u16) -> Option<String> {
    let text: Vec<&str> = rows
        .iter()
        .map(|r| r.trim_end())
        .filter(|r| !r.is_empty())
        .collect();
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        // The message, cut to the width, and nothing else.
        let message = format!("terminal too small (need {MIN_WIDTH}x{MIN_HEIGHT})");
        let fits: String = message.chars().take(width as usize).collect();
        (text != [fits.trim_end()]).then(|| "is not the too-small line".to_string())
    } else if text.len() < 2 || rows.iter().any(|r| r.contains("too small")) {
        Some("is not the console".to_string())
    } else {
        None
    }
}

#[test]
fn every_screen_draws_at_every_small_size_and_below_the_minimum_says_so() {
    let theme = Theme::preset("dark").unwrap();
    let mut failures = Vec::new();
    for (name, keys) in SCREENS {
        let model = screen(keys);
        for (width, height) in sizes() {
            let drawn = catch_unwind(AssertUnwindSafe(|| draw(&model, &theme, width, height)));
            let Ok(buffer) = drawn else {
                failures.push(format!("{name} at {width}x{height} panicked"));
                // The first size that panics is enough to point at the bug.
                break;
            };
            let rows = rows(&buffer);
            if let Some(problem) = check_frame(&rows, width, height) {
                failures.push(format!(
                    "{name} at {width}x{height} {problem}:\n{}",
                    rows.join("\n")
                ));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn at_the_minimum_size_the_grid_shows_a_wave_in_a_region_and_the_dialog_its_buttons() {
    let theme = Theme::preset("dark").unwrap();
    let c = Console::at_minutes(10);
    let grid = rows(&draw(&c.model, &theme, MIN_WIDTH, MIN_HEIGHT)).join("\n");
    let flow = c.model.selected_flow().unwrap();
    assert!(grid.contains(&flow.waves[0].name), "{grid}");
    assert!(grid.contains(&flow.regions[0]), "{grid}");

    let dialog = screen("down down down down d");
    let region = dialog.selected_cell().unwrap().1.to_string();
    let shown = rows(&draw(&dialog, &theme, MIN_WIDTH, MIN_HEIGHT)).join("\n");
    assert!(shown.contains("[ Cancel ]"), "{shown}");
    assert!(shown.contains("CONFIRM"), "{shown}");
    assert!(shown.contains(&format!("type {region}")), "{shown}");
}

#[test]
fn nothing_can_be_confirmed_on_a_terminal_too_small_to_show_the_dialog() {
    let mut c = Console::at_minutes(10);
    c.navigate("global-api", "Europe", "eu-west-1");
    // Too small: the operator key opens nothing and says why.
    c.send(Msg::Resize {
        width: 30,
        height: 8,
    });
    c.keys("a");
    assert!(c.model.confirmation.is_none());
    let flash = &c.model.flash.as_ref().unwrap().1;
    assert!(flash.contains("too small"), "{flash}");

    // A dialog open when the terminal shrinks: keys that would confirm do
    // nothing, Esc still cancels.
    c.send(Msg::Resize {
        width: 160,
        height: 48,
    });
    c.keys("a");
    assert!(c.model.confirmation.is_some());
    c.send(Msg::Resize {
        width: 30,
        height: 8,
    });
    c.keys("tab right enter");
    assert!(c.model.confirmation.is_some(), "not confirmed blind");
    assert!(c.sent.is_empty(), "{:?}", c.sent);
    c.keys("esc");
    assert!(c.model.confirmation.is_none());
    assert!(c.sent.is_empty());
}
