use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;

use super::test_support::{Scratch, intent, mode, raw_lines, ts};
use super::*;

#[test]
fn a_new_log_is_private_to_its_owner() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = AuditLog::open(&path).unwrap();
    assert_eq!(log.path(), path);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
}

#[test]
fn an_existing_log_readable_by_others_is_narrowed() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, "").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    AuditLog::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn the_before_line_is_on_disk_when_before_returns() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = AuditLog::open(&path).unwrap();
    let id = log.before(&intent("2026-11-21T22:00:00Z")).unwrap();

    // Read through a separate handle, as a crash-surviving reader would.
    let lines = raw_lines(&path);
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!(line["phase"], "before");
    assert_eq!(line["id"], id.as_str());
    assert_eq!(line["ts"], "2026-11-21T22:00:00Z");
    assert_eq!(
        line["identity"],
        "arn:aws:sts::111122223333:assumed-role/OnCall/alice"
    );
    assert_eq!(line["target"], "api.example.com. us-east-1");
    assert_eq!(line["api"], "route53:UpdateHealthCheck");
    assert_eq!(line["call"]["call"], "set_health_check_inverted");
    assert_eq!(line["call"]["health_check_id"], "hc-use1");
    assert_eq!(line["params"]["receiving_regions"][0], "us-west-2");
}

#[test]
fn after_lines_match_their_before_and_a_missing_after_stays_visible() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = AuditLog::open(&path).unwrap();
    let done = log.before(&intent("2026-11-21T22:00:00Z")).unwrap();
    let failed = log.before(&intent("2026-11-21T22:00:00Z")).unwrap();
    let crashed = log.before(&intent("2026-11-21T22:00:05Z")).unwrap();
    assert!(
        done != failed && failed != crashed,
        "ids are unique even within a millisecond"
    );
    log.after(done.clone(), ts("2026-11-21T22:00:01Z"), Ok("inverted"))
        .unwrap();
    log.after(failed.clone(), ts("2026-11-21T22:00:02Z"), Err("throttled"))
        .unwrap();
    drop(log);

    let raw = raw_lines(&path);
    assert_eq!(raw[3]["phase"], "after");
    assert_eq!(raw[3]["outcome"], "ok");
    assert_eq!(raw[3]["detail"], "inverted");
    assert_eq!(raw[4]["outcome"], "error");
    assert_eq!(raw[4]["detail"], "throttled");
    assert!(
        raw[3].get("call").is_none(),
        "after lines carry only the outcome"
    );

    let lines = read_log(&path).unwrap().lines;
    let open: Vec<&AuditId> = unfinished(&lines).into_iter().map(|l| &l.id).collect();
    assert_eq!(open, vec![&crashed]);
}

#[test]
fn reopening_appends_instead_of_truncating() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let first = AuditLog::open(&path)
        .unwrap()
        .before(&intent("2026-11-21T22:00:00Z"))
        .unwrap();
    let second = AuditLog::open(&path)
        .unwrap()
        .before(&intent("2026-11-21T22:00:00Z"))
        .unwrap();
    let ids: Vec<AuditId> = read_log(&path)
        .unwrap()
        .lines
        .into_iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(ids, vec![first, second]);
}

/// `threads` threads, taking the logs in turn, each record `calls` calls
/// (before and after) carrying `padding` to make the lines long.
fn calls_from_threads(logs: &[Arc<AuditLog>], threads: usize, calls: usize, padding: &str) {
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let log = Arc::clone(&logs[t % logs.len()]);
            let padding = padding.to_string();
            std::thread::spawn(move || {
                for i in 0..calls {
                    let mut entry = intent("2026-11-21T22:00:00Z");
                    entry.params = json!({ "thread": t, "i": i, "padding": padding });
                    let id = log.before(&entry).unwrap();
                    log.after(id, ts("2026-11-21T22:00:01Z"), Ok("done"))
                        .unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

#[test]
fn concurrent_writers_never_interleave_lines() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = Arc::new(AuditLog::open(&path).unwrap());
    let big = "x".repeat(16 * 1024);
    calls_from_threads(&[log], 8, 25, &big);
    let lines = read_log(&path).unwrap().lines;
    assert_eq!(lines.len(), 8 * 25 * 2);
    let ids: HashSet<&AuditId> = lines
        .iter()
        .filter(|l| l.phase == Phase::Before)
        .map(|l| &l.id)
        .collect();
    assert_eq!(ids.len(), 8 * 25);
    assert!(unfinished(&lines).is_empty());
    for line in lines.iter().filter(|l| l.phase == Phase::Before) {
        let padding = &line.params.as_ref().unwrap()["padding"];
        assert_eq!(padding.as_str().map(str::len), Some(big.len()));
    }
}

#[test]
fn two_logs_on_one_file_take_turns() {
    // Two open files on one path, as two wavetop processes have: each line
    // is written whole, and repairing the end of the log never cuts a line
    // the other is writing.
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let logs = [
        Arc::new(AuditLog::open(&path).unwrap()),
        Arc::new(AuditLog::open(&path).unwrap()),
    ];
    calls_from_threads(&logs, 6, 15, &"y".repeat(64 * 1024));
    let read = read_log(&path).unwrap();
    assert_eq!(read.torn, None);
    assert_eq!(read.lines.len(), 6 * 15 * 2);
    assert!(unfinished(&read.lines).is_empty());
}

#[test]
fn a_log_deleted_while_open_is_created_again_at_its_path() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = AuditLog::open(&path).unwrap();
    log.before(&intent("2026-11-21T22:00:00Z")).unwrap();
    fs::remove_file(&path).unwrap();

    let id = log.before(&intent("2026-11-21T22:00:05Z")).unwrap();
    log.after(id.clone(), ts("2026-11-21T22:00:06Z"), Ok("inverted"))
        .unwrap();
    assert_eq!(mode(&path), 0o600, "created again as private as at first");
    let lines = read_log(&path).unwrap().lines;
    let phases: Vec<(Phase, &AuditId)> = lines.iter().map(|l| (l.phase, &l.id)).collect();
    assert_eq!(phases, vec![(Phase::Before, &id), (Phase::After, &id)]);
}

#[test]
fn a_log_whose_directory_was_removed_is_created_again_with_it() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = AuditLog::open(&path).unwrap();
    fs::remove_dir_all(path.parent().unwrap()).unwrap();

    log.before(&intent("2026-11-21T22:00:00Z")).unwrap();
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(raw_lines(&path).len(), 1);
}

#[test]
fn a_rotated_log_keeps_its_lines_and_new_lines_go_to_the_path() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = AuditLog::open(&path).unwrap();
    let id = log.before(&intent("2026-11-21T22:00:00Z")).unwrap();
    let rotated = path.with_extension("jsonl.1");
    fs::rename(&path, &rotated).unwrap();

    log.after(id.clone(), ts("2026-11-21T22:00:01Z"), Ok("inverted"))
        .unwrap();
    let old = read_log(&rotated).unwrap().lines;
    assert_eq!(old.len(), 1, "the rotated file is left as it was");
    assert_eq!(old[0].phase, Phase::Before);
    let new = read_log(&path).unwrap().lines;
    assert_eq!(new.len(), 1);
    assert_eq!((new[0].phase, &new[0].id), (Phase::After, &id));
}

#[test]
fn a_record_cut_short_by_a_crash_is_removed_before_the_next_one() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = AuditLog::open(&path).unwrap();
    let first = log.before(&intent("2026-11-21T22:00:00Z")).unwrap();
    let mut file = OpenOptions::new().append(true).open(&path).unwrap();
    file.write_all(b"{\"ts\":\"2026-11-21T22:0").unwrap();
    assert!(read_log(&path).unwrap().torn.is_some());

    let second = log.before(&intent("2026-11-21T22:00:05Z")).unwrap();
    let read = read_log(&path).unwrap();
    assert_eq!(read.torn, None);
    let ids: Vec<&AuditId> = read.lines.iter().map(|l| &l.id).collect();
    assert_eq!(ids, vec![&first, &second]);
}

#[test]
fn text_at_the_end_that_is_not_a_record_is_kept_on_its_own_line() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, "kept by hand, no newline").unwrap();
    let log = AuditLog::open(&path).unwrap();
    let id = log.before(&intent("2026-11-21T22:00:00Z")).unwrap();

    let text = fs::read_to_string(&path).unwrap();
    let (kept, record) = text.split_once('\n').unwrap();
    assert_eq!(kept, "kept by hand, no newline");
    let record: AuditLine = serde_json::from_str(record.trim_end()).unwrap();
    assert_eq!(record.id, id);
}

#[test]
fn default_path_follows_xdg_state_home_then_home() {
    let path =
        AuditLog::default_path_from(Some(OsStr::new("/var/state")), Some(OsStr::new("/home/a")));
    assert_eq!(path, PathBuf::from("/var/state/wavetop/audit.jsonl"));
    let path =
        AuditLog::default_path_from(Some(OsStr::new("relative")), Some(OsStr::new("/home/a")));
    assert_eq!(
        path,
        PathBuf::from("/home/a/.local/state/wavetop/audit.jsonl")
    );
    let path = AuditLog::default_path_from(None, Some(OsStr::new("/home/a")));
    assert_eq!(
        path,
        PathBuf::from("/home/a/.local/state/wavetop/audit.jsonl")
    );
}
