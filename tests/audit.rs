//! The audit log through the real binary: a record cut short by a full
//! file system leaves no torn line, a log path that is not a regular file is
//! refused before anything starts, and `wavetop audit --check` with its exit
//! statuses.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use binary::{EUROPE_GATE, wavetop_in};
use serde_json::Value;

#[path = "support/binary.rs"]
mod binary;

/// Approves the Europe gate of global-api in eu-west-1 (NO-GO at 10m: a
/// flap during the NorthAmerica bake, so the approval is an override).
fn approve_args() -> Vec<&'static str> {
    [
        &["approve"],
        EUROPE_GATE,
        &[
            "--comment",
            "canary clean",
            "--override-reason",
            "flap understood",
            "--yes",
        ],
    ]
    .concat()
}

/// How long any one run may take; a run that waits on a fifo would hang.
const DEADLINE: Duration = Duration::from_secs(30);

/// A directory of its own with the XDG paths inside it, so the default audit
/// log lands at `state/wavetop/audit.jsonl`.
struct Sandbox {
    dir: PathBuf,
}

impl Sandbox {
    fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("wavetop-audit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Sandbox { dir }
    }

    fn log(&self) -> PathBuf {
        self.dir.join("state/wavetop/audit.jsonl")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = wavetop_in(&self.dir, args);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        finish(self.command(args))
    }

    fn approve(&self) -> Output {
        self.run(&approve_args())
    }

    fn check(&self, extra: &[&str]) -> Output {
        let log = self.log();
        let mut args = vec!["audit", "--check", log.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs the command to its end, failing the test if it outlives the deadline.
fn finish(mut cmd: Command) -> Output {
    let mut child = cmd.spawn().expect("run wavetop");
    let start = Instant::now();
    while child.try_wait().expect("wait for wavetop").is_none() {
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("wavetop {cmd:?} still running after {DEADLINE:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("read wavetop's output")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// A sandbox whose log holds one approval, before and after.
fn one_approval(name: &str) -> Sandbox {
    let sandbox = Sandbox::new(name);
    let out = sandbox.approve();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    sandbox
}

fn log_lines(sandbox: &Sandbox) -> Vec<String> {
    std::fs::read_to_string(sandbox.log())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_record_cut_short_by_a_full_file_system_is_taken_back_and_the_next_call_is_recorded_whole() {
    let sandbox = one_approval("fsize");
    let written = std::fs::read_to_string(sandbox.log()).unwrap();
    // Room for a few bytes of the next line only: write(2) stores them and
    // then fails, as on a full disk.
    let limit = written.len() as libc::rlim_t + 24;
    let mut cmd = sandbox.command(&approve_args());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Past the limit the kernel sends SIGXFSZ; ignored, the
            // write fails with EFBIG instead.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = finish(cmd);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("audit log not writable, call not made"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stdout(&out).contains("done:"),
        "no call without its record"
    );
    assert_eq!(
        std::fs::read_to_string(sandbox.log()).unwrap(),
        written,
        "the partial line is gone"
    );

    let out = sandbox.approve();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = log_lines(&sandbox);
    assert_eq!(lines.len(), 4);
    for line in &lines {
        serde_json::from_str::<Value>(line).expect("each line is a whole record");
    }
    let out = sandbox.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// A character device to point the log at: a private twin of /dev/null when
/// this test may make one (as root), so a regression could only ever chmod
/// the twin; else /dev/null itself, whose mode we cannot change anyway.
fn char_device(sandbox: &Sandbox) -> PathBuf {
    let twin = sandbox.dir.join("null");
    let c = std::ffi::CString::new(twin.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path we own.
    if unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) } == 0 {
        std::fs::set_permissions(&twin, std::fs::Permissions::from_mode(0o666)).unwrap();
        twin
    } else {
        PathBuf::from("/dev/null")
    }
}

#[test]
fn an_audit_log_that_is_not_a_regular_file_is_refused_before_anything_starts() {
    let sandbox = Sandbox::new("notfile");
    let fifo = sandbox.dir.join("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let cases = [
        (char_device(&sandbox), "a character device"),
        (fifo, "a fifo"),
        (sandbox.dir.join("config"), "a directory"),
    ];
    std::fs::create_dir_all(&cases[2].0).unwrap();
    for (path, kind) in &cases {
        let mode_before = mode(path);
        let path_arg = path.to_str().unwrap();
        // The console, then a headless command.
        for args in [
            vec!["--demo", "--audit-log", path_arg],
            [&approve_args(), &["--audit-log", path_arg][..]].concat(),
        ] {
            let out = sandbox.run(&args);
            let message = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {message}");
            assert!(message.contains(path_arg), "names the path: {message}");
            assert!(message.contains(kind), "says what it is: {message}");
            assert!(message.contains("not a regular file"), "{message}");
            assert!(
                out.stdout.is_empty(),
                "nothing drawn, nothing called: {}",
                stdout(&out)
            );
            assert_eq!(mode(path), mode_before, "{path:?} never chmodded");
        }
    }
}

#[test]
fn audit_check_passes_a_log_written_by_real_calls() {
    let sandbox = one_approval("clean");
    let log = sandbox.log();

    let out = sandbox.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(log.to_str().unwrap()), "{text}");
    assert!(text.contains("2 records, 1 call"), "{text}");
    assert!(text.contains("clean"), "{text}");

    // Without a path: --audit-log, else the default path.
    let out = sandbox.run(&["audit", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(log.to_str().unwrap()));
    let moved = sandbox.dir.join("moved.jsonl");
    std::fs::rename(&log, &moved).unwrap();
    let out = sandbox.run(&["audit", "--check", "--audit-log", moved.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("moved.jsonl"));

    let out = sandbox.run(&["audit", "--check", moved.to_str().unwrap(), "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["clean"], true);
    assert_eq!(report["records"], 2);
    assert_eq!(report["calls"], 1);
    assert_eq!(report["unfinished"], Value::Array(vec![]));
    assert_eq!(report["torn"], Value::Null);
}

#[test]
fn audit_check_lists_a_call_whose_outcome_was_never_recorded() {
    let sandbox = one_approval("unfinished");
    let lines = log_lines(&sandbox);
    // wavetop stopped between the call and its outcome: only the before line.
    std::fs::write(sandbox.log(), format!("{}\n", lines[0])).unwrap();
    let before: Value = serde_json::from_str(&lines[0]).unwrap();
    let id = before["id"].as_str().unwrap();

    let out = sandbox.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("unfinished: 1 call"), "{text}");
    let listed = text
        .lines()
        .find(|l| l.contains(id))
        .unwrap_or_else(|| panic!("{id} listed: {text}"));
    assert!(listed.contains(before["ts"].as_str().unwrap()), "{listed}");
    assert!(
        listed.contains("codepipeline:PutApprovalResult"),
        "{listed}"
    );
    assert!(
        listed.contains(before["target"].as_str().unwrap()),
        "{listed}"
    );

    let out = sandbox.check(&["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["clean"], false);
    let unfinished = &report["unfinished"][0];
    assert_eq!(unfinished["id"], id);
    assert_eq!(unfinished["ts"], before["ts"]);
    assert_eq!(unfinished["api"], "codepipeline:PutApprovalResult");
    assert_eq!(unfinished["target"], before["target"]);
}

#[test]
fn audit_check_reports_a_torn_last_line() {
    let sandbox = one_approval("torn");
    let mut text = std::fs::read_to_string(sandbox.log()).unwrap();
    text.push_str("{\"ts\":\"2026-11-20T02:1");
    std::fs::write(sandbox.log(), text).unwrap();

    let out = sandbox.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.contains("torn: line 3"), "{report}");
    assert!(report.contains("no newline"), "{report}");
    assert!(report.contains("2 records, 1 call"), "{report}");

    let out = sandbox.check(&["--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["torn"]["line"], 3);
    assert_eq!(report["torn"]["has_newline"], false);
    assert_eq!(report["unfinished"], Value::Array(vec![]));
}

#[test]
fn audit_check_names_a_corrupt_line_in_the_middle_and_exits_2() {
    let sandbox = one_approval("corrupt");
    let lines = log_lines(&sandbox);
    let damaged = format!("{}\n{{\"ts\": oops\n{}\n", lines[0], lines[1]);
    std::fs::write(sandbox.log(), damaged).unwrap();

    let out = sandbox.check(&[]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains(&format!("{}:2:", sandbox.log().display())),
        "{message}"
    );

    let out = sandbox.check(&["--json"]);
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["line"], 2);
    assert!(
        report["error"]
            .as_str()
            .unwrap()
            .contains("not an audit record")
    );
}

#[test]
fn audit_check_of_a_log_that_cannot_be_read_exits_2_naming_it() {
    let sandbox = Sandbox::new("missing");
    let out = sandbox.check(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(sandbox.log().to_str().unwrap()),
        "{}",
        stderr(&out)
    );
    let out = sandbox.run(&["audit", "--check", sandbox.dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("a directory"), "{}", stderr(&out));
}

/// Appends the refusal of an approval at the window, as the console and
/// the headless command write it, to the sandbox's log.
fn refuse_an_approval(sandbox: &Sandbox) {
    use wavetop::audit::{AuditLog, AuditRefusal};
    use wavetop::domain::verdict::{Call, Reason, ReasonKind, Verdict};
    use wavetop::protocol::OperateCall;
    let verdict = Verdict {
        call: Call::NoGo,
        reasons: vec![Reason {
            kind: ReasonKind::Alarm,
            call: Call::NoGo,
            text: "alarm api-5xx in ALARM".into(),
        }],
    };
    let call = OperateCall::PutApprovalResult {
        pipeline: "global-api".into(),
        stage: "Europe".into(),
        action: "Approve".into(),
        approved: true,
        summary: "Approved by oncall".into(),
    };
    let at = "2026-11-21T22:00:00Z".parse().unwrap();
    let entry = AuditRefusal::on_verdict(
        (at, "arn:aws:sts::111122223333:assumed-role/oncall/alice"),
        "global-api/Europe eu-west-1".into(),
        call,
        "approval at window",
        &verdict,
    );
    AuditLog::open(&sandbox.log())
        .unwrap()
        .refused(&entry)
        .unwrap();
}

#[test]
fn a_refused_approval_is_read_back_as_its_own_record_and_never_counted_unfinished() {
    let sandbox = one_approval("refused");
    refuse_an_approval(&sandbox);

    let read = wavetop::audit::read_log(&sandbox.log()).unwrap();
    assert_eq!(read.lines.len(), 3);
    let refusal = &read.lines[2];
    assert_eq!(refusal.phase, wavetop::audit::Phase::Refused);
    assert_eq!(
        refusal.api.as_deref(),
        Some("codepipeline:PutApprovalResult")
    );
    assert_eq!(
        refusal.detail.as_deref(),
        Some("NO-GO: alarm api-5xx in ALARM")
    );
    assert_eq!(refusal.outcome, None, "no call, so no outcome");
    let params = refusal.params.as_ref().unwrap();
    assert_eq!(params["verdict"]["reasons"][0]["kind"], "alarm");
    assert!(wavetop::audit::unfinished(&read.lines).is_empty());

    let out = sandbox.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("3 records, 1 call, 1 refused: clean"),
        "{}",
        stdout(&out)
    );
    let out = sandbox.check(&["--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["clean"].as_bool(), report["refused"].as_u64()),
        (Some(true), Some(1))
    );

    // The approval's outcome lost: only its call is unfinished.
    let lines = log_lines(&sandbox);
    std::fs::write(sandbox.log(), format!("{}\n{}\n", lines[0], lines[2])).unwrap();
    let out = sandbox.check(&["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let unfinished = report["unfinished"].as_array().unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(
        unfinished[0]["id"].as_str(),
        serde_json::from_str::<Value>(&lines[0]).unwrap()["id"].as_str()
    );
}
