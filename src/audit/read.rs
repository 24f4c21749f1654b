//! Reading a log back.
//!
//! The last line may be torn (a writer died mid-line, or is writing it right
//! now): it is set aside and reported, and the records before it still
//! count. A line in the middle that is not a record is damage, not a torn
//! write, and fails the read with its line number.

use std::fmt;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::AuditLine;
use super::regular_file::{self, OpenError};

/// Every record of a log, in file order, and the torn last line if any.
#[derive(Debug)]
pub struct AuditRead {
    pub lines: Vec<AuditLine>,
    pub torn: Option<TornLine>,
}

/// A last line that is not a whole record: no newline, or not parsable.
#[derive(Debug, Clone, PartialEq)]
pub struct TornLine {
    /// 1-based line number.
    pub line: usize,
    pub bytes: usize,
    /// Whether it ends with a newline (a write cut short never does).
    pub has_newline: bool,
    /// The start of the line, for a person to recognise it.
    pub excerpt: String,
}

/// Why a log could not be read.
#[derive(Debug)]
pub enum ReadError {
    Open(OpenError),
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// A line before the last is not a record.
    Corrupt {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Open(e) => e.fmt(f),
            ReadError::Io { path, source } => {
                write!(f, "cannot read the audit log {}: {source}", path.display())
            }
            ReadError::Corrupt {
                path,
                line,
                message,
            } => write!(
                f,
                "{}:{line}: not an audit record: {message}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// How many characters of a torn line are shown.
const EXCERPT_CHARS: usize = 60;

/// A line that did not read as a record, kept until we know whether it is
/// the last one.
struct Suspect {
    torn: TornLine,
    message: String,
}

/// Reads every record of the log at `path`.
pub fn read_log(path: &Path) -> Result<AuditRead, ReadError> {
    let file = regular_file::open_for_read(path).map_err(ReadError::Open)?;
    let io_error = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = BufReader::new(file);
    let mut lines = Vec::new();
    let mut suspect: Option<Suspect> = None;
    let mut raw = Vec::new();
    let mut number = 0;
    loop {
        raw.clear();
        if reader.read_until(b'\n', &mut raw).map_err(io_error)? == 0 {
            break;
        }
        number += 1;
        let has_newline = raw.last() == Some(&b'\n');
        let text = match raw.split_last() {
            Some((b'\n', line)) => line,
            _ => &raw[..],
        };
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Some(earlier) = suspect.take() {
            return Err(ReadError::Corrupt {
                path: path.to_path_buf(),
                line: earlier.torn.line,
                message: earlier.message,
            });
        }
        let parsed = serde_json::from_slice::<AuditLine>(text);
        match parsed {
            Ok(line) if has_newline => lines.push(line),
            outcome => {
                suspect = Some(Suspect {
                    torn: TornLine {
                        line: number,
                        bytes: raw.len(),
                        has_newline,
                        excerpt: String::from_utf8_lossy(text)
                            .chars()
                            .take(EXCERPT_CHARS)
                            .collect(),
                    },
                    message: match outcome {
                        Err(e) => e.to_string(),
                        Ok(_) => "no newline after the record".to_string(),
                    },
                });
            }
        }
    }
    Ok(AuditRead {
        lines,
        torn: suspect.map(|s| s.torn),
    })
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
