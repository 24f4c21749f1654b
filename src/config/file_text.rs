//! Reading a config, theme or keymap file from disk: regular files only,
//! at most [`MAX_FILE_BYTES`], and UTF-8, with the position of the first
//! byte that is not.
//!
//! A device (`/dev/zero`) would be read until memory ran out and a fifo
//! would block start-up forever, so neither is read. The file is opened
//! without blocking and checked through the open handle, so what is checked
//! is what is read.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::error::{ConfigError, Location};
use super::source_text::SourceText;
use crate::audit::regular_file::describe;

/// The largest file read: far beyond any real config, theme or keymap.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadFailure {
    /// Nothing at the path.
    NotFound,
    /// The file could not be used as a whole: not a regular file, too big,
    /// unreadable. The text says why, without the path.
    Unusable(String),
    /// The file was read but is not text; the error points into it.
    NotText(ConfigError),
}

/// Reads `path`, reported under `name`.
pub fn read_source(path: &Path, name: &str) -> Result<SourceText, ReadFailure> {
    let mut file = open(path)?;
    let kind = file
        .metadata()
        .map_err(|e| ReadFailure::Unusable(e.to_string()))?
        .file_type();
    if !kind.is_file() {
        return Err(ReadFailure::Unusable(format!(
            "it is {}, not a regular file",
            describe(kind)
        )));
    }
    let mut bytes = Vec::new();
    (&mut file)
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadFailure::Unusable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadFailure::Unusable(format!(
            "it is larger than {} KiB",
            MAX_FILE_BYTES / 1024
        )));
    }
    text_of(bytes, name).map(|text| SourceText::new(name, text))
}

fn open(path: &Path) -> Result<File, ReadFailure> {
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => ReadFailure::NotFound,
            _ => ReadFailure::Unusable(e.to_string()),
        })
}

/// The bytes as text, or an error at the first byte that is not UTF-8.
pub fn text_of(bytes: Vec<u8>, name: &str) -> Result<String, ReadFailure> {
    String::from_utf8(bytes).map_err(|err| {
        let bytes = err.as_bytes();
        // `valid_up_to` is within the bytes and points at a byte that is not
        // UTF-8, so the split always has a first byte after it.
        let (valid, rest) = bytes.split_at(err.utf8_error().valid_up_to());
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let before_bytes = valid.get(line_start..).unwrap_or_default();
        let line_rest = rest.split(|&b| b == b'\n').next().unwrap_or_default();
        // Valid up to the bad byte, so the prefix of the line decodes whole.
        let before = String::from_utf8_lossy(before_bytes);
        let location = Location {
            line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
            column: before.chars().count() + 1,
            line_text: format!("{before}{}", String::from_utf8_lossy(line_rest)),
            width: 1,
        };
        let bad = rest.first().copied().unwrap_or_default();
        ReadFailure::NotText(
            ConfigError::at(name, location, format!("byte 0x{bad:02X} is not UTF-8"))
                .expected("a UTF-8 text file"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_text(bytes: &[u8]) -> ConfigError {
        match text_of(bytes.to_vec(), "f.toml") {
            Err(ReadFailure::NotText(e)) => e,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn the_first_byte_that_is_not_utf8_is_located() {
        let err = not_text(
            "a = 1\nthème = \""
                .bytes()
                .chain(*b"\xff\"\n")
                .collect::<Vec<u8>>()
                .as_slice(),
        );
        assert_eq!(
            err.headline(),
            "f.toml:2:10: byte 0xFF is not UTF-8 (expected a UTF-8 text file)"
        );
        let err = not_text(b"\x89PNG\r\n");
        assert_eq!((err.line(), err.column()), (Some(1), Some(1)));
    }

    #[test]
    fn devices_fifos_and_directories_are_not_read() {
        for path in ["/dev/zero", "/dev/null", "/"] {
            match read_source(Path::new(path), path) {
                Err(ReadFailure::Unusable(why)) => {
                    assert!(why.contains("not a regular file"), "{why}")
                }
                other => panic!("{path}: {other:?}"),
            }
        }
        let fifo = std::env::temp_dir().join(format!("wavetop-fifo-{}", std::process::id()));
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a node.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let read = read_source(&fifo, "fifo");
        let _ = std::fs::remove_file(&fifo);
        assert!(
            matches!(&read, Err(ReadFailure::Unusable(why)) if why.contains("a fifo")),
            "{read:?}"
        );
        assert!(matches!(
            read_source(Path::new("/no/such/file"), "x"),
            Err(ReadFailure::NotFound)
        ));
    }
}
