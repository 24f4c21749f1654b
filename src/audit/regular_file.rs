//! Opening the audit log file, and refusing anything that is not a regular
//! file.
//!
//! Symbolic links are followed, as every other program would: what the path
//! finally names must be a regular file, or not exist yet (then it is created
//! `0600`). A device, directory, fifo or socket is refused with an error
//! naming the path and what it is, and is never opened for writing nor
//! chmodded: narrowing the mode of `/dev/null` would break the machine.

use std::fmt;
use std::fs::{self, File, FileType, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Why the audit log could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The path names something other than a regular file.
    NotARegularFile {
        path: PathBuf,
        kind: &'static str,
    },
    Io {
        path: PathBuf,
        source: io::Error,
    },
}

impl OpenError {
    fn io(path: &Path, source: io::Error) -> OpenError {
        OpenError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::NotARegularFile { path, kind } => write!(
                f,
                "the audit log {} is {kind}, not a regular file",
                path.display()
            ),
            OpenError::Io { path, source } => {
                write!(f, "cannot open the audit log {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for OpenError {}

impl From<OpenError> for io::Error {
    fn from(e: OpenError) -> io::Error {
        let kind = match &e {
            OpenError::NotARegularFile { .. } => io::ErrorKind::InvalidInput,
            OpenError::Io { source, .. } => source.kind(),
        };
        io::Error::new(kind, e.to_string())
    }
}

/// What a file that is not a regular file is, in words.
pub(crate) fn describe(file_type: FileType) -> &'static str {
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_fifo() {
        "a fifo (named pipe)"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Refuses a path that (after following symbolic links) exists and is not a
/// regular file. A path that does not exist yet passes.
fn refuse_non_regular(path: &Path) -> Result<(), OpenError> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(meta) => Err(OpenError::NotARegularFile {
            path: path.to_path_buf(),
            kind: describe(meta.file_type()),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OpenError::io(path, e)),
    }
}

/// Checks what an open descriptor really is: the path may have been swapped
/// between the look and the open.
fn require_regular(path: &Path, file: &File) -> Result<(), OpenError> {
    let meta = file.metadata().map_err(|e| OpenError::io(path, e))?;
    if meta.is_file() {
        Ok(())
    } else {
        Err(OpenError::NotARegularFile {
            path: path.to_path_buf(),
            kind: describe(meta.file_type()),
        })
    }
}

/// Opens the log for appending, creating a missing directory `0700` and a
/// missing file `0600`; an existing file that others can read is narrowed to
/// `0600`.
pub(crate) fn open_for_append(path: &Path) -> Result<File, OpenError> {
    refuse_non_regular(path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| OpenError::io(path, e))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        // Read too: the end of the log is looked at before each record.
        .read(true)
        .mode(0o600)
        // Should a fifo appear at the path after the look above, opening it
        // must fail at once instead of waiting for a reader.
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| OpenError::io(path, e))?;
    require_regular(path, &file)?;
    let permissions = file.metadata().map_err(|e| OpenError::io(path, e))?;
    if permissions.permissions().mode() & 0o077 != 0 {
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(|e| OpenError::io(path, e))?;
    }
    Ok(file)
}

/// Opens the log for reading; only a regular file is read.
pub(crate) fn open_for_read(path: &Path) -> Result<File, OpenError> {
    refuse_non_regular(path)?;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| OpenError::io(path, e))?;
    require_regular(path, &file)?;
    Ok(file)
}

#[cfg(test)]
#[path = "regular_file_tests.rs"]
mod tests;
