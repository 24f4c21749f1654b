use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use super::super::test_support::{Scratch, mode};
use super::{OpenError, open_for_append, open_for_read};

fn mknod(path: &Path, kind: libc::mode_t, dev: libc::dev_t) -> bool {
    let c = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a NUL-terminated path we own.
    unsafe { libc::mknod(c.as_ptr(), kind | 0o644, dev) == 0 }
}

/// A character device to point the log at: a private copy of the null
/// device when this test may make one (as root), else `/dev/null` itself.
fn char_device(scratch: &Scratch) -> PathBuf {
    let own = scratch.0.join("null");
    if mknod(&own, libc::S_IFCHR, libc::makedev(1, 3)) {
        fs::set_permissions(&own, fs::Permissions::from_mode(0o666)).unwrap();
        own
    } else {
        PathBuf::from("/dev/null")
    }
}

fn assert_refused(error: OpenError, path: &Path, kind: &str) {
    let text = error.to_string();
    assert!(
        matches!(error, OpenError::NotARegularFile { .. }),
        "{error:?}"
    );
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains(kind), "{text}");
}

#[test]
fn a_character_device_is_refused_directly_or_through_a_symlink_and_its_mode_left_alone() {
    let scratch = Scratch::new();
    let device = char_device(&scratch);
    let before = mode(&device);
    let link = scratch.0.join("link.jsonl");
    symlink(&device, &link).unwrap();
    for path in [&device, &link] {
        assert_refused(
            open_for_append(path).unwrap_err(),
            path,
            "a character device",
        );
    }
    assert_eq!(mode(&device), before);
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_reader() {
    let scratch = Scratch::new();
    let fifo = scratch.0.join("pipe");
    assert!(mknod(&fifo, libc::S_IFIFO, 0), "mkfifo");
    assert_refused(open_for_append(&fifo).unwrap_err(), &fifo, "a fifo");
    assert_refused(open_for_read(&fifo).unwrap_err(), &fifo, "a fifo");
    assert_eq!(mode(&fifo), 0o644, "never chmodded");
}

#[test]
fn a_directory_is_refused() {
    let scratch = Scratch::new();
    assert_refused(
        open_for_append(&scratch.0).unwrap_err(),
        &scratch.0,
        "a directory",
    );
}

#[test]
fn a_symlink_is_followed_to_the_regular_file_it_names() {
    let scratch = Scratch::new();
    let target = scratch.0.join("real.jsonl");
    fs::write(&target, "").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
    let link = scratch.0.join("link.jsonl");
    symlink(&target, &link).unwrap();

    open_for_append(&link).unwrap();
    assert_eq!(mode(&target), 0o600, "the file it names is narrowed");
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
}

#[test]
fn a_symlink_whose_file_is_gone_creates_it() {
    // A log rotated away from under a symlink is created again where the
    // link points.
    let scratch = Scratch::new();
    let target = scratch.0.join("real.jsonl");
    let link = scratch.0.join("link.jsonl");
    symlink(&target, &link).unwrap();
    open_for_append(&link).unwrap();
    assert_eq!(mode(&target), 0o600);
}
