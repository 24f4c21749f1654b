use std::fs::{self, File, OpenOptions};
use std::io;

use super::super::test_support::Scratch;
use super::super::{Phase, read_log};
use super::{LogFile, append_record};

const FIRST: &[u8] = b"{\"ts\":\"2026-11-21T22:00:00Z\",\"phase\":\"before\",\"id\":\"a\"}\n";
const SECOND: &[u8] =
    b"{\"ts\":\"2026-11-21T22:00:01Z\",\"phase\":\"after\",\"id\":\"a\",\"outcome\":\"ok\"}\n";

/// A log file on a disk with `room` bytes left: a write goes out up to the
/// room and then fails, as `write(2)` does on a full disk. Optionally the
/// sync or the undo fails too.
struct FullDisk {
    file: File,
    room: usize,
    sync_fails: bool,
    undo_fails: bool,
}

impl FullDisk {
    fn new(file: File, room: usize) -> FullDisk {
        FullDisk {
            file,
            room,
            sync_fails: false,
            undo_fails: false,
        }
    }
}

impl LogFile for FullDisk {
    fn len(&self) -> io::Result<u64> {
        LogFile::len(&self.file)
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        LogFile::read_exact_at(&self.file, buf, offset)
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        let fits = bytes.len().min(self.room);
        LogFile::write_all(&mut self.file, &bytes[..fits])?;
        self.room -= fits;
        if fits < bytes.len() {
            return Err(io::Error::from(io::ErrorKind::StorageFull));
        }
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        if self.sync_fails {
            return Err(io::Error::other("I/O error on sync"));
        }
        LogFile::sync(&mut self.file)
    }

    fn set_len(&mut self, len: u64) -> io::Result<()> {
        if self.undo_fails {
            return Err(io::Error::from(io::ErrorKind::PermissionDenied));
        }
        LogFile::set_len(&mut self.file, len)
    }
}

fn log_with_first_record(scratch: &Scratch) -> (std::path::PathBuf, File) {
    let path = scratch.0.join("audit.jsonl");
    fs::write(&path, FIRST).unwrap();
    let file = OpenOptions::new()
        .append(true)
        .read(true)
        .open(&path)
        .unwrap();
    (path, file)
}

#[test]
fn a_write_cut_short_by_a_full_disk_leaves_no_torn_line_and_the_next_record_is_whole() {
    let scratch = Scratch::new();
    let (path, file) = log_with_first_record(&scratch);
    let mut disk = FullDisk::new(file, 10);

    let error = append_record(&mut disk, SECOND).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::StorageFull);
    assert_eq!(fs::read(&path).unwrap(), FIRST, "the partial line is gone");

    // Room again: the next record lands on a line of its own.
    append_record(&mut disk.file, SECOND).unwrap();
    let read = read_log(&path).unwrap();
    assert_eq!(read.torn, None);
    let phases: Vec<Phase> = read.lines.iter().map(|l| l.phase).collect();
    assert_eq!(phases, vec![Phase::Before, Phase::After]);
}

#[test]
fn a_line_whose_sync_fails_is_taken_back() {
    let scratch = Scratch::new();
    let (path, file) = log_with_first_record(&scratch);
    let mut disk = FullDisk::new(file, usize::MAX);
    disk.sync_fails = true;

    let error = append_record(&mut disk, SECOND).unwrap_err();
    assert!(error.to_string().contains("sync"), "{error}");
    assert_eq!(fs::read(&path).unwrap(), FIRST);
}

#[test]
fn a_partial_line_that_could_not_be_taken_back_is_said_and_cut_before_the_next_record() {
    let scratch = Scratch::new();
    let (path, file) = log_with_first_record(&scratch);
    let mut disk = FullDisk::new(file, 10);
    disk.undo_fails = true;

    let error = append_record(&mut disk, SECOND).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("partial line could not be removed"),
        "{error}"
    );
    assert_eq!(fs::read(&path).unwrap().len(), FIRST.len() + 10);

    append_record(&mut disk.file, SECOND).unwrap();
    assert_eq!(fs::read(&path).unwrap(), [FIRST, SECOND].concat());
}

#[test]
fn a_fragment_longer_than_one_read_is_cut_whole() {
    let scratch = Scratch::new();
    let (path, mut file) = log_with_first_record(&scratch);
    let fragment = format!(
        "{{\"ts\":\"2026-11-21T22:00:00Z\",\"params\":\"{}",
        "z".repeat(10_000)
    );
    LogFile::write_all(&mut file, fragment.as_bytes()).unwrap();

    append_record(&mut file, SECOND).unwrap();
    assert_eq!(fs::read(&path).unwrap(), [FIRST, SECOND].concat());
}
