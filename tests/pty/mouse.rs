//! The mouse in a real terminal: the console asks for SGR mouse reports,
//! a click (button down, then up, as a terminal sends them) on a tab shows
//! its view and on a row selects it; the terminal stops reporting the mouse
//! on every way out; `[ui] mouse = false` never asks for it.

use crate::harness::{Tui, contains};
use crate::{WAIT, assert_restored, spawn_demo, spawn_demo_sized, tempdir};

/// Where `text` starts on screen: 0-based (column, row), first match from
/// `from_row` down. The screens searched have no wide characters before it.
fn position(tui: &Tui, text: &str, from_row: usize) -> (u16, u16) {
    let screen = tui.screen_text();
    for (row, line) in screen.lines().enumerate().skip(from_row) {
        if let Some(byte) = line.find(text) {
            return (line[..byte].chars().count() as u16, row as u16);
        }
    }
    panic!("{text:?} is not on screen:\n{screen}");
}

/// A left click as an SGR terminal reports it: 1-based column and row.
fn click(tui: &mut Tui, (column, row): (u16, u16)) {
    tui.send(&format!("\x1b[<0;{};{}M", column + 1, row + 1));
    tui.send(&format!("\x1b[<0;{};{}m", column + 1, row + 1));
}

/// The demo console, up, with the mouse reported.
fn started_with_mouse(name: &str) -> Tui {
    let dir = tempdir(name);
    let tui = spawn_demo(&dir, &[]);
    tui.wait_for("global-api", WAIT);
    assert_eq!(tui.mouse_reported(), (true, true));
    tui
}

/// What turns mouse reporting off: crossterm's DisableMouseCapture.
const MOUSE_OFF: [&str; 2] = ["\x1b[?1000l", "\x1b[?1006l"];

#[test]
fn clicks_select_the_tab_and_the_row_they_land_on() {
    let dir = tempdir("mouse-click");
    let mut tui = spawn_demo_sized(&dir, &[], 30, 120);
    tui.wait_for("global-api", WAIT);
    assert_eq!(
        tui.mouse_reported(),
        (true, true),
        "SGR mouse reports are on"
    );

    let health = position(&tui, "Health", 1);
    assert_eq!(health.1, 1, "on the tab bar");
    click(&mut tui, health);
    tui.wait_for("record sets", WAIT);

    let pipelines = position(&tui, "Pipelines", 1);
    click(&mut tui, pipelines);
    // The health view names the flow too: wait for the list itself.
    tui.wait_for("pipelines · / filter", WAIT);
    let row = position(&tui, "billing-failover", 2);
    assert!(row.1 > 3, "a row of the list");
    click(&mut tui, row);
    tui.wait_until("the clicked row is selected", WAIT, |t| {
        t.inverse_rows()
            .iter()
            .any(|r| r.contains("billing-failover"))
    });

    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
    assert_restored(&tui);
    let output = tui.output();
    for off in MOUSE_OFF {
        assert!(contains(&output, off), "{off:?} written at exit");
    }
    assert_eq!(tui.mouse_reported(), (false, false), "reporting is off");
}

#[test]
fn a_terminating_signal_turns_mouse_reporting_off_too() {
    let mut tui = started_with_mouse("mouse-signal");
    tui.signal(libc::SIGTERM);
    assert_eq!(tui.wait_exit(WAIT).exit_code(), 128 + libc::SIGTERM as u32);
    assert_restored(&tui);
    assert_eq!(tui.mouse_reported(), (false, false));
    let output = tui.output();
    for off in MOUSE_OFF {
        assert!(contains(&output, off), "{off:?} written on SIGTERM");
    }
}

#[test]
fn mouse_false_in_the_config_never_asks_for_the_mouse() {
    let dir = tempdir("mouse-off");
    let cfg = dir.join("config.toml");
    std::fs::write(&cfg, "[ui]\nmouse = false\n").unwrap();
    let cfg = cfg.display().to_string();
    let mut tui = spawn_demo(&dir, &["--config", &cfg]);
    tui.wait_for("global-api", WAIT);
    assert_eq!(tui.mouse_reported(), (false, false));
    // A click the terminal would not send anyway is dropped too: back from
    // the pipelines view goes to the grid, not to a health view it opened.
    let health = position(&tui, "Health", 1);
    click(&mut tui, health);
    tui.send("2");
    tui.wait_for("pipelines · / filter", WAIT);
    tui.send("\x1b");
    tui.wait_gone("billing-failover", WAIT);
    assert!(
        !tui.screen_text().contains("record sets"),
        "the click was dropped"
    );
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
    let output = tui.output();
    assert!(
        !contains(&output, "\x1b[?1000h"),
        "no mouse capture asked for"
    );
    assert!(!contains(&output, "\x1b[?1006h"));
}

#[test]
fn a_suspended_console_gives_the_mouse_back_and_takes_it_again() {
    let mut tui = started_with_mouse("mouse-suspend");
    tui.send("\x1a");
    tui.wait_until("the process stops", WAIT, |t| t.process_state() == 'T');
    tui.wait_until("the mouse is given back", WAIT, |t| {
        t.mouse_reported() == (false, false)
    });
    tui.signal(libc::SIGCONT);
    tui.wait_until("the mouse is taken again", WAIT, |t| {
        t.mouse_reported() == (true, true)
    });
    // The screen is drawn again after the mouse is taken.
    tui.wait_for("Health", WAIT);
    let health = position(&tui, "Health", 1);
    click(&mut tui, health);
    tui.wait_for("record sets", WAIT);
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
    assert_restored(&tui);
}
