//! Signals and the terminal: a suspend (SIGTSTP or ctrl-z) gives the
//! terminal back while stopped and repaints on SIGCONT; every terminating
//! signal restores the terminal and exits 128 + the signal's number, so a
//! wrapper can tell it from `q`.

use crate::harness::Tui;
use crate::{WAIT, assert_restored, spawn_demo, tempdir};

fn started(name: &str) -> Tui {
    let dir = tempdir(name);
    let tui = spawn_demo(&dir, &[]);
    tui.wait_for("global-api", WAIT);
    assert!(tui.raw_mode() && tui.alternate_screen() && tui.cursor_hidden());
    tui
}

/// Suspends by `how`, checks the terminal while stopped, continues, checks
/// the console is back, answers keys and quits with 0.
fn suspends_and_resumes(name: &str, how: impl FnOnce(&mut Tui)) {
    let mut tui = started(name);
    how(&mut tui);
    tui.wait_until("the process stops", WAIT, |t| t.process_state() == 'T');
    tui.wait_until("the terminal is restored", WAIT, |t| {
        !t.alternate_screen() && !t.cursor_hidden()
    });
    assert_restored(&tui);
    assert_eq!(tui.process_state(), 'T', "stays stopped until continued");

    tui.signal(libc::SIGCONT);
    // The alternate screen starts blank: the console is on it only if it
    // drew the whole frame again.
    tui.wait_until("the console is back", WAIT, |t| {
        t.alternate_screen() && t.screen_text().contains("global-api")
    });
    assert!(tui.raw_mode(), "raw mode again");
    assert!(tui.cursor_hidden(), "cursor hidden again");
    tui.send("2");
    tui.wait_for("billing-failover", WAIT);
    tui.send("q");
    assert_eq!(tui.wait_exit(WAIT).exit_code(), 0);
    assert_restored(&tui);
}

#[test]
fn sigtstp_gives_the_terminal_back_and_sigcont_repaints() {
    suspends_and_resumes("tstp", |tui| tui.signal(libc::SIGTSTP));
}

#[test]
fn ctrl_z_suspends_like_in_every_terminal_program() {
    suspends_and_resumes("ctrl-z", |tui| tui.send("\x1a"));
}

#[test]
fn every_terminating_signal_restores_the_terminal_and_exits_128_plus_its_number() {
    let signals = [
        libc::SIGHUP,
        libc::SIGINT,
        libc::SIGQUIT,
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGTERM,
    ];
    let mut consoles: Vec<(libc::c_int, Tui)> = signals
        .iter()
        .map(|&signal| (signal, started(&format!("signal-{signal}"))))
        .collect();
    for (signal, tui) in &consoles {
        tui.signal(*signal);
    }
    for (signal, tui) in &mut consoles {
        let status = tui.wait_exit(WAIT);
        assert_eq!(
            status.exit_code(),
            128 + *signal as u32,
            "signal {signal}: {status:?}"
        );
        assert_restored(tui);
    }
}
