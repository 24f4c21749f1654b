//! Writing to standard output and standard error without ever panicking.
//!
//! A reader that goes away (`wavetop snapshot --json | head`) is not an
//! error: the rest of the output is dropped and the command finishes as it
//! would have, with its own exit status. Any other failure to write (a full
//! disk) is said once on standard error and makes a successful exit 1, since
//! the output the caller asked for is not all there.
//!
//! Both streams show control characters visibly ([`sanitize::visible`]):
//! what is printed often holds text from a file, a flag or AWS, and none of
//! it may retitle, clear or otherwise drive the operator's terminal. Lines on
//! standard error are also cut to [`ERROR_LINE_WIDTH`] columns, so a huge
//! bad value never gives megabytes of message.

pub mod osc_link;
pub mod osc_notify;
pub mod sanitize;
mod visible_writer;

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// The widest line written to standard error. Messages bound the text they
/// quote themselves; this only stops what slipped through from filling the
/// scrollback.
pub const ERROR_LINE_WIDTH: usize = 1024;

static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static WRITE_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to standard output (use [`outln!`](crate::outln) / [`out!`](crate::out)).
pub fn write_out(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    stream_out(|out| out.write_all(text.as_bytes()));
}

/// Gives `write` standard output, buffered and made visible as it goes,
/// for output too large to build as one string first (`snapshot --json`).
pub fn stream_out(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = BufWriter::with_capacity(
        STREAM_BUFFER,
        visible_writer::Visible::new(io::stdout().lock()),
    );
    let written = write(&mut stdout).and_then(|()| stdout.flush());
    if let Err(e) = written {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        if e.kind() != io::ErrorKind::BrokenPipe && !WRITE_FAILED.swap(true, Ordering::Relaxed) {
            write_err(format_args!("wavetop: cannot write the output: {e}\n"));
        }
    }
}

/// Bytes gathered before they are made visible and written: large enough
/// that a long document costs few writes, small against the document.
const STREAM_BUFFER: usize = 64 * 1024;

/// Writes to standard error (use [`errln!`](crate::errln)); a closed or
/// broken standard error loses the message and nothing else.
pub fn write_err(args: fmt::Arguments<'_>) {
    let text = sanitize::elide_lines(&args.to_string(), ERROR_LINE_WIDTH);
    let mut stderr = io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush());
}

/// Whether writing the output failed for a reason other than a reader that left.
pub fn write_failed() -> bool {
    WRITE_FAILED.load(Ordering::Relaxed)
}

/// `println!` for standard output that never panics.
#[macro_export]
macro_rules! outln {
    () => {
        $crate::output::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for standard output that never panics.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_out(format_args!($($arg)*))
    };
}

/// `eprintln!` that never panics.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}
