//! The terminal is put back the way it was on every way out: normal quit,
//! error return (the guard's Drop), panic (the hook, which then aborts),
//! and every terminating signal (the event loop turns them into an exit);
//! and while the console is suspended. Before any of that,
//! `console_refusal` says whether there is a terminal to take over at all.
//! Mouse capture, when it is on, is turned off on each of those ways out
//! too, before the rest.

use std::ffi::OsStr;
use std::io::{self, IsTerminal, Write};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableFocusChange, DisableMouseCapture, EnableFocusChange, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::DefaultTerminal;
use ratatui::layout::Rect;

use super::signals::stop_self;

/// Why the console cannot run on this process's standard streams, if it
/// cannot: a full-screen program needs a terminal to read keys from and one
/// to draw on, and one that understands cursor movement. Checked before a
/// single byte is written, so a redirected run leaves its output file empty.
pub fn console_refusal() -> Option<String> {
    refusal(
        io::stdin().is_terminal(),
        io::stdout().is_terminal(),
        std::env::var_os("TERM").as_deref(),
    )
}

fn refusal(stdin_tty: bool, stdout_tty: bool, term: Option<&OsStr>) -> Option<String> {
    let problem = if !stdin_tty {
        "standard input is not a terminal"
    } else if !stdout_tty {
        "standard output is not a terminal"
    } else if term == Some(OsStr::new("dumb")) {
        "TERM=dumb says this terminal cannot move its cursor"
    } else {
        return None;
    };
    Some(format!(
        "{problem}; the console needs a full-screen terminal on standard input and output; \
         for a file or a pipe use `wavetop snapshot` (or `wavetop snapshot --json`)"
    ))
}

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
    /// Whether the terminal reports the mouse to the console.
    mouse: bool,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen, and takes the mouse when
    /// `mouse`; installs the panic hook that restores all of it. On failure
    /// the terminal is restored again.
    pub fn enter(mouse: bool) -> io::Result<Self> {
        let terminal = match ratatui::try_init() {
            Ok(terminal) => terminal,
            Err(e) => {
                ratatui::restore();
                return Err(e);
            }
        };
        let guard = Self { terminal, mouse };
        release_reports_on_panic(mouse);
        // Focus reports tell notifications whether the operator is looking;
        // a terminal without them never sends any. On failure the guard's
        // drop gives everything back.
        execute!(io::stdout(), EnableFocusChange)?;
        if mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        Ok(guard)
    }

    /// Gives the terminal back to the shell (cooked mode, main screen,
    /// cursor shown), stops the process until it is continued, then takes
    /// the terminal again with a full redraw.
    pub fn suspend(&mut self) -> io::Result<()> {
        self.leave()?;
        stop_self()?;
        self.reenter()
    }

    /// Takes the terminal again after the process was stopped and
    /// continued, whoever stopped it: the shell may have reset the mode and
    /// printed over the screen, so everything is set again and the next
    /// frame is drawn whole.
    pub fn reenter(&mut self) -> io::Result<()> {
        enable_raw_mode()?;
        execute!(io::stdout(), EnterAlternateScreen, Hide, EnableFocusChange)?;
        if self.mouse {
            execute!(io::stdout(), EnableMouseCapture)?;
        }
        // Clears the screen and forgets the last frame, so the next draw
        // writes every cell. (`Terminal::clear` would do the same but first
        // asks the terminal where its cursor is, and waits for the answer.)
        let size = self.terminal.size()?;
        self.terminal
            .resize(Rect::new(0, 0, size.width, size.height))
    }

    fn leave(&mut self) -> io::Result<()> {
        if self.mouse {
            execute!(io::stdout(), DisableMouseCapture)?;
        }
        execute!(io::stdout(), DisableFocusChange)?;
        ratatui::try_restore()?;
        self.terminal.show_cursor()?;
        io::stdout().flush()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        release_reports(self.mouse);
        ratatui::restore();
    }
}

/// Tells the terminal to stop reporting focus changes, and the mouse when
/// it was taken. Best effort: on the way out there is no one left to report
/// a failure to.
fn release_reports(mouse: bool) {
    let _ = execute!(io::stdout(), DisableFocusChange);
    if mouse {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
}

/// A panic ends the console. The hook takes standard output for good, so no
/// other thread can draw another frame into the terminal it gives back;
/// turns focus and mouse reporting off (a shell left with either on fills
/// with escape sequences) and shows the cursor (on every other way out the
/// terminal's destructor shows it, and no destructor runs here); runs the
/// hook that was there (ratatui's, which leaves raw mode and the alternate
/// screen and prints the report); and aborts. Ending here, rather than by
/// the build's panic strategy, makes a panic on any thread end the same in
/// every build: a task's panic never leaves the console running in a
/// terminal already given back.
fn release_reports_on_panic(mouse: bool) {
    let earlier = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Held until the abort. Reentrant: a panic while this thread writes
        // a frame still gets it.
        let _held = io::stdout().lock();
        release_reports(mouse);
        let _ = execute!(io::stdout(), Show);
        earlier(info);
        std::process::abort();
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_refuses_without_a_terminal_on_either_end_or_with_term_dumb() {
        let xterm = Some(OsStr::new("xterm-256color"));
        assert_eq!(refusal(true, true, xterm), None);
        assert_eq!(refusal(true, true, None), None);
        for (stdin, stdout, term, problem) in [
            (false, true, xterm, "standard input is not a terminal"),
            (false, false, xterm, "standard input is not a terminal"),
            (true, false, xterm, "standard output is not a terminal"),
            (true, true, Some(OsStr::new("dumb")), "TERM=dumb"),
        ] {
            let message = refusal(stdin, stdout, term).expect("refused");
            assert!(message.contains(problem), "{message}");
            assert!(message.contains("wavetop snapshot"), "{message}");
        }
    }
}
