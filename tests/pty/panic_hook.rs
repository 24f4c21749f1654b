//! A panic gives the terminal back and ends the process. The console here
//! is a stand-in run in the pseudo-terminal: the console's own terminal
//! guard, frames drawn on one thread without pause, and a panic on another
//! (as a bug in a background task would panic) when a key arrives. What the
//! terminal is left with is the guard's panic hook's doing alone.

use std::io::{self, Read};
use std::thread;
use std::time::Duration;

use portable_pty::CommandBuilder;
use ratatui::widgets::Paragraph;
use wavetop::runtime::terminal::TerminalGuard;

use crate::harness::{Tui, last_index};
use crate::{WAIT, assert_restored};

/// Set in the stand-in's environment: this same test binary, told to run
/// [`stand_in_console_that_panics`] only.
const STAND_IN: &str = "WAVETOP_PTY_PANIC_STAND_IN";
const FOCUS_REPORTS_ON: &[u8] = b"\x1b[?1004h";
const FOCUS_REPORTS_OFF: &[u8] = b"\x1b[?1004l";

/// The stand-in itself. Ignored in an ordinary run, and a no-op there: the
/// test below runs it as a child process, in a pseudo-terminal.
#[test]
#[ignore = "the stand-in console that the panic test runs in a pseudo-terminal"]
fn stand_in_console_that_panics() {
    if std::env::var_os(STAND_IN).is_none() {
        return;
    }
    let mut guard = TerminalGuard::enter(true).expect("take the terminal");
    thread::spawn(|| {
        let mut key = [0u8; 1];
        if io::stdin().read(&mut key).is_ok() {
            panic!("a bug in a background task");
        }
    });
    loop {
        guard
            .terminal
            .draw(|frame| {
                frame.render_widget(
                    Paragraph::new("console running; any key panics"),
                    frame.area(),
                );
            })
            .expect("draw");
        thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_panic_on_any_thread_gives_the_terminal_back_and_aborts() {
    let mut cmd = CommandBuilder::new(std::env::current_exe().expect("this test binary"));
    cmd.args([
        "panic_hook::stand_in_console_that_panics",
        "--exact",
        "--include-ignored",
        "--nocapture",
    ]);
    cmd.env(STAND_IN, "1");
    cmd.env("TERM", "xterm-256color");
    let mut tui = Tui::spawn_command(cmd, 24, 80);
    tui.wait_for("console running", WAIT);
    assert!(tui.raw_mode() && tui.alternate_screen() && tui.cursor_hidden());
    assert!(tui.mouse_reported().0, "the stand-in takes the mouse");

    tui.send("x");
    let status = tui.wait_exit(WAIT);
    // SAFETY: strsignal returns a pointer to a static description.
    let aborted = unsafe { std::ffi::CStr::from_ptr(libc::strsignal(libc::SIGABRT)) };
    assert_eq!(
        status.signal(),
        Some(aborted.to_string_lossy().as_ref()),
        "ended by the hook's abort, not by unwinding: {status}"
    );
    // Frames were being drawn until the panic: none may follow the restore.
    assert_restored(&tui);
    assert!(!tui.mouse_reported().0, "mouse reporting left on");
    let output = tui.output();
    let on = last_index(&output, FOCUS_REPORTS_ON).expect("focus reports were asked for");
    let off = last_index(&output, FOCUS_REPORTS_OFF).expect("focus reports were turned off");
    assert!(off > on, "focus reports left on");
    // The report is on the shell's screen, where the operator sees it.
    tui.wait_for("a bug in a background task", WAIT);
}
