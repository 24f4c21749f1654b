use std::collections::HashSet;
use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde_json::json;

use super::*;
use crate::source::OperateCall;

static NEXT_DIR: AtomicU64 = AtomicU64::new(0);

/// A fresh directory under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let n = NEXT_DIR.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("wavetop-audit-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        Scratch(dir)
    }

    fn log_path(&self) -> PathBuf {
        self.0.join("state").join("wavetop").join("audit.jsonl")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn intent(at: &str) -> AuditIntent {
    AuditIntent {
        ts: ts(at),
        identity: "arn:aws:sts::111122223333:assumed-role/OnCall/alice".to_string(),
        target: "api.example.com. us-east-1".to_string(),
        call: OperateCall::SetHealthCheckInverted {
            health_check_id: "hc-use1".to_string(),
            inverted: true,
        },
        params: json!({ "receiving_regions": ["us-west-2"] }),
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn raw_lines(path: &Path) -> Vec<serde_json::Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

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

    let lines = read_lines(&path).unwrap();
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
    let ids: Vec<AuditId> = read_lines(&path)
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();
    assert_eq!(ids, vec![first, second]);
}

#[test]
fn a_torn_line_is_reported_with_its_line_number() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    AuditLog::open(&path)
        .unwrap()
        .before(&intent("2026-11-21T22:00:00Z"))
        .unwrap();
    let mut file = OpenOptions::new().append(true).open(&path).unwrap();
    file.write_all(b"{\"ts\":\"2026-11-21T22:0").unwrap();
    let error = read_lines(&path).unwrap_err();
    assert!(error.to_string().contains("audit.jsonl:2:"), "{error}");
}

#[test]
fn concurrent_writers_never_interleave_lines() {
    let scratch = Scratch::new();
    let path = scratch.log_path();
    let log = Arc::new(AuditLog::open(&path).unwrap());
    let big = "x".repeat(16 * 1024);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let log = Arc::clone(&log);
            let big = big.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let mut entry = intent("2026-11-21T22:00:00Z");
                    entry.params = json!({ "thread": t, "i": i, "padding": big });
                    let id = log.before(&entry).unwrap();
                    log.after(id, ts("2026-11-21T22:00:01Z"), Ok("done"))
                        .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let lines = read_lines(&path).unwrap();
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
