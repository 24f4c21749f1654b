//! The signals the console answers, and what each asks of it. Handlers are
//! installed before the terminal is touched, so no signal can end the
//! process with the terminal left in raw mode on the alternate screen.

use std::io;

use tokio::signal::unix::{Signal, SignalKind, signal};

/// What a signal asks of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Restore the terminal and exit with 128 + this signal's number.
    Exit(libc::c_int),
    /// SIGTSTP: give the terminal back and stop until continued.
    Suspend,
    /// SIGCONT: the process was stopped (by us or by anyone) and runs again;
    /// the screen may hold anything by now.
    Continued,
}

/// Signals whose default action ends the process. Each is caught so the
/// terminal is restored first; the exit status still names the signal.
const TERMINATING: [libc::c_int; 6] = [
    libc::SIGTERM,
    libc::SIGINT,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

pub struct Signals {
    terminating: Vec<(libc::c_int, Signal)>,
    suspend: Signal,
    continued: Signal,
}

impl Signals {
    /// Needs a tokio runtime with its signal driver.
    pub fn install() -> io::Result<Self> {
        let terminating = TERMINATING
            .iter()
            .map(|&n| signal(SignalKind::from_raw(n)).map(|s| (n, s)))
            .collect::<io::Result<_>>()?;
        Ok(Self {
            terminating,
            suspend: signal(SignalKind::from_raw(libc::SIGTSTP))?,
            continued: signal(SignalKind::from_raw(libc::SIGCONT))?,
        })
    }

    /// The next request. Cancel-safe: a signal that arrives while another
    /// branch of a `select!` wins is kept for the next call.
    pub async fn recv(&mut self) -> Request {
        let terminating = futures_util::future::select_all(
            self.terminating
                .iter_mut()
                .map(|(n, s)| Box::pin(async move { s.recv().await.map(|_| *n) })),
        );
        tokio::select! {
            (Some(n), _, _) = terminating => Request::Exit(n),
            Some(()) = self.suspend.recv() => Request::Suspend,
            Some(()) = self.continued.recv() => Request::Continued,
        }
    }
}

/// The exit status for a process ended by `signal`, as shells report it.
pub fn exit_status(signal: libc::c_int) -> u8 {
    u8::try_from(128 + signal).unwrap_or(u8::MAX)
}

/// Stops this process until SIGCONT, as the default action of SIGTSTP
/// would (that default is replaced by the handler that restores the
/// terminal first). SIGSTOP cannot be caught, so this returns only once the
/// process has been continued.
pub fn stop_self() -> io::Result<()> {
    // SAFETY: kill with our own pid and a valid signal number has no
    // memory-safety preconditions.
    if unsafe { libc::kill(libc::getpid(), libc::SIGSTOP) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_statuses_name_the_signal_as_shells_do() {
        assert_eq!(exit_status(libc::SIGINT), 130);
        assert_eq!(exit_status(libc::SIGTERM), 143);
        assert_eq!(exit_status(libc::SIGHUP), 129);
    }
}
