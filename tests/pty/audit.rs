//! The audit log while the console runs: deleted or rotated under it, the
//! next call is still recorded, at the log's path.

use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::operate::{NORTH_AMERICA, act, hold_north_america};
use crate::{WAIT, spawn_demo_sized, tempdir};

/// The log's lines once it holds `count` of them (a call's `after` line is
/// written just after the screen says done).
fn wait_for_lines(path: &Path, count: usize) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let lines: Vec<Value> = std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("each audit line is JSON"))
            .collect();
        if lines.len() >= count || start.elapsed() > WAIT {
            return lines;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// The one call in `lines`: its API, after checking it has its outcome.
fn one_call(lines: &[Value]) -> &str {
    assert_eq!(lines.len(), 2, "a before and an after: {lines:#?}");
    assert_eq!(lines[0]["phase"], "before");
    assert_eq!(lines[1]["phase"], "after");
    assert_eq!(lines[1]["outcome"], "ok");
    assert_eq!(lines[0]["id"], lines[1]["id"]);
    lines[0]["api"].as_str().unwrap_or("")
}

#[test]
fn a_log_deleted_or_rotated_while_the_console_runs_is_written_again_at_its_path() {
    let dir = tempdir("audit-moved");
    let log = dir.join("state/wavetop/audit.jsonl");
    let mut tui = spawn_demo_sized(&dir, &["--at", "10m"], 48, 160);
    tui.wait_for("APPROVE?", WAIT);
    assert!(log.exists(), "the console opens its log at start");

    std::fs::remove_file(&log).unwrap();
    hold_north_america(&mut tui);
    let held = wait_for_lines(&log, 2);
    assert_eq!(one_call(&held), "codepipeline:DisableStageTransition");

    // Rotated, as logrotate does: moved aside, nothing at the path.
    let rotated = dir.join("state/wavetop/audit.jsonl.1");
    std::fs::rename(&log, &rotated).unwrap();
    act(&mut tui, "u", None, None, NORTH_AMERICA);
    let released = wait_for_lines(&log, 2);
    assert_eq!(one_call(&released), "codepipeline:EnableStageTransition");
    assert_eq!(
        wait_for_lines(&rotated, 2),
        held,
        "the rotated file keeps its lines and gets no new ones"
    );

    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&log).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "created again private to its owner");
}
