use std::fs;

use super::super::test_support::Scratch;
use super::{ReadError, read_log};

const RECORD: &str = "{\"ts\":\"2026-11-21T22:00:00Z\",\"phase\":\"before\",\"id\":\"a\"}";

fn log(scratch: &Scratch, text: &[u8]) -> std::path::PathBuf {
    let path = scratch.0.join("audit.jsonl");
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_torn_last_line_is_set_aside_and_the_records_before_it_count() {
    let scratch = Scratch::new();
    let path = log(
        &scratch,
        format!("{RECORD}\n{RECORD}\n{{\"ts\":\"2026-11-2").as_bytes(),
    );
    let read = read_log(&path).unwrap();
    assert_eq!(read.lines.len(), 2);
    let torn = read.torn.expect("the last line is torn");
    assert_eq!(torn.line, 3);
    assert!(!torn.has_newline);
    assert_eq!(torn.bytes, 16);
    assert_eq!(torn.excerpt, "{\"ts\":\"2026-11-2");
}

#[test]
fn a_whole_record_without_its_newline_is_not_counted() {
    // The write stopped before the newline: the writer took it back or died
    // before it returned, so the call it announces was never made.
    let scratch = Scratch::new();
    let path = log(&scratch, format!("{RECORD}\n{RECORD}").as_bytes());
    let read = read_log(&path).unwrap();
    assert_eq!(read.lines.len(), 1);
    assert_eq!(read.torn.map(|t| t.line), Some(2));
}

#[test]
fn an_unparsable_last_line_with_a_newline_is_torn_too() {
    let scratch = Scratch::new();
    let path = log(&scratch, format!("{RECORD}\n{{\"ts\":\n\n").as_bytes());
    let read = read_log(&path).unwrap();
    assert_eq!(read.lines.len(), 1);
    let torn = read.torn.unwrap();
    assert_eq!((torn.line, torn.has_newline), (2, true));
}

#[test]
fn a_bad_line_in_the_middle_fails_the_read_naming_its_line() {
    let scratch = Scratch::new();
    let path = log(
        &scratch,
        format!("{RECORD}\n\n{{\"ts\":\n{RECORD}\n").as_bytes(),
    );
    let error = read_log(&path).unwrap_err();
    assert!(
        matches!(error, ReadError::Corrupt { line: 3, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("audit.jsonl:3:"), "{error}");
}

#[test]
fn bytes_that_are_not_text_in_the_middle_name_their_line() {
    let scratch = Scratch::new();
    let mut text = format!("{RECORD}\n").into_bytes();
    text.extend_from_slice(b"\xff\xfe\n");
    text.extend_from_slice(format!("{RECORD}\n").as_bytes());
    let path = log(&scratch, &text);
    let error = read_log(&path).unwrap_err();
    assert!(error.to_string().contains("audit.jsonl:2:"), "{error}");
}

#[test]
fn an_empty_log_reads_as_no_records() {
    let scratch = Scratch::new();
    let path = log(&scratch, b"");
    let read = read_log(&path).unwrap();
    assert!(read.lines.is_empty());
    assert_eq!(read.torn, None);
}

#[test]
fn a_log_that_is_not_there_is_an_error_naming_it() {
    let scratch = Scratch::new();
    let path = scratch.0.join("missing.jsonl");
    let error = read_log(&path).unwrap_err();
    assert!(error.to_string().contains("missing.jsonl"), "{error}");
}
