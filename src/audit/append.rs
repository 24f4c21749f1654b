//! Appending one record so that it is either whole on disk or not there at
//! all.
//!
//! A disk that fills up halfway through a line used to leave the line torn,
//! without its newline; the next record was then glued to it and the log no
//! longer read. Here the length is taken before writing and, on any write or
//! sync error, the file is cut back to it.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::fs::FileExt;

/// How every record starts (`ts` is the first field serialized); a fragment
/// at the end of the log that starts this way is a record of ours cut short.
const RECORD_START: &[u8] = br#"{"ts":""#;

/// What appending needs from the log file. A trait so a test can make a
/// write or a sync fail halfway, as a full disk does.
pub(super) trait LogFile {
    fn len(&self) -> io::Result<u64>;
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()>;
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()>;
    fn sync(&mut self) -> io::Result<()>;
    fn set_len(&mut self, len: u64) -> io::Result<()>;
}

impl LogFile for File {
    fn len(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        FileExt::read_exact_at(self, buf, offset)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        Write::write_all(self, bytes)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.sync_data()
    }

    fn set_len(&mut self, len: u64) -> io::Result<()> {
        File::set_len(self, len)
    }
}

/// Appends `record` (one line, its newline included) and syncs it to disk.
/// On any error the file is put back to the length it had, so no part of
/// the line survives and the next record starts on a line of its own.
pub(super) fn append_record(file: &mut impl LogFile, record: &[u8]) -> io::Result<()> {
    let start = settle_tail(file)?;
    let separated;
    let record = if start.needs_newline {
        separated = [b"\n", record].concat();
        &separated[..]
    } else {
        record
    };
    let written = file.write_all(record).and_then(|()| file.sync());
    if let Err(error) = written {
        return Err(match file.set_len(start.len).and_then(|()| file.sync()) {
            Ok(()) => error,
            Err(undo) => io::Error::new(
                error.kind(),
                format!("{error} (and the partial line could not be removed: {undo})"),
            ),
        });
    }
    Ok(())
}

/// Where the next record goes.
struct Tail {
    len: u64,
    /// The file ends with text that is not ours: keep it, on its own line.
    needs_newline: bool,
}

/// A log ends with a newline unless a writer died mid-line (power lost
/// during a write) or an older wavetop was stopped by a full disk. A
/// fragment of one of our records is cut: it never was a record (its call
/// was not made, or its `before` line is whole and still shows the call
/// unfinished), and left there it would glue itself to the next record.
/// Text that is not ours is never cut.
fn settle_tail(file: &mut impl LogFile) -> io::Result<Tail> {
    let len = file.len()?;
    let line_start = start_of_last_line(file, len)?;
    if line_start == len {
        return Ok(Tail {
            len,
            needs_newline: false,
        });
    }
    let mut head = vec![0u8; RECORD_START.len().min((len - line_start) as usize)];
    file.read_exact_at(&mut head, line_start)?;
    if RECORD_START.starts_with(&head) || head.starts_with(RECORD_START) {
        file.set_len(line_start)?;
        file.sync()?;
        Ok(Tail {
            len: line_start,
            needs_newline: false,
        })
    } else {
        Ok(Tail {
            len,
            needs_newline: true,
        })
    }
}

/// The offset just past the last newline (0 when there is none); `len`
/// when the file is empty or ends with a newline.
fn start_of_last_line(file: &impl LogFile, len: u64) -> io::Result<u64> {
    let mut buf = [0u8; 4096];
    let mut end = len;
    // The last byte first: almost always a newline, and then nothing more is read.
    let mut chunk_len = 1;
    while end > 0 {
        let start = end.saturating_sub(chunk_len);
        // At most `buf.len()` bytes by how `chunk_len` is chosen.
        let wanted = usize::try_from(end - start).unwrap_or(buf.len());
        let Some(chunk) = buf.get_mut(..wanted) else {
            break;
        };
        file.read_exact_at(chunk, start)?;
        if let Some(i) = chunk.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
        chunk_len = buf.len() as u64;
    }
    Ok(0)
}

/// `flock(LOCK_EX)` on the log while a record is written. wavetop processes
/// sharing one log take turns, so the length read before a write is where
/// the write lands, and undoing a failed write never cuts another
/// process's line.
pub(super) struct Turn(RawFd);

impl Turn {
    pub(super) fn take(file: &File) -> io::Result<Turn> {
        let fd = file.as_raw_fd();
        loop {
            // SAFETY: flock on a descriptor that `file` keeps open; the Turn
            // is dropped before the file in every caller.
            if unsafe { libc::flock(fd, libc::LOCK_EX) } == 0 {
                return Ok(Turn(fd));
            }
            let error = io::Error::last_os_error();
            if error.kind() != io::ErrorKind::Interrupted {
                return Err(error);
            }
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        // SAFETY: see `take`; unlocking cannot fail in a way we could act on.
        unsafe {
            libc::flock(self.0, libc::LOCK_UN);
        }
    }
}

#[cfg(test)]
#[path = "append_tests.rs"]
mod tests;
