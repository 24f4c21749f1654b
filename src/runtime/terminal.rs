//! The terminal is put back the way it was on every way out: normal quit,
//! error return (the guard's Drop), panic (ratatui's hook), and SIGINT,
//! SIGTERM, SIGHUP (the event loop turns them into a quit).

use ratatui::DefaultTerminal;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen; installs the panic hook that
    /// restores them. Without a terminal to enter, an error, never a panic.
    pub fn enter() -> std::io::Result<Self> {
        Ok(Self {
            terminal: ratatui::try_init()?,
        })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
