//! The console needs a terminal on both ends. Without one (no controlling
//! terminal, output to a file, TERM=dumb) it writes one line saying so and
//! pointing at `wavetop snapshot`, exits 2, and writes nothing else: not a
//! single escape byte.

use std::fs::{File, OpenOptions};
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::{WAIT, demo_env, spawn_demo_with_env, tempdir};

/// The console (no subcommand) on the simulated fleet, with stdout to `out`.
fn console(dir: &std::path::Path, out: &File) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wavetop"));
    cmd.arg("--demo")
        .env("TERM", "xterm-256color")
        .envs(demo_env(dir))
        .stdout(out.try_clone().unwrap())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `cmd` to its end; a console that runs instead of refusing is killed.
fn run(cmd: &mut Command) -> Output {
    let mut child = cmd.spawn().expect("spawn wavetop");
    let start = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > WAIT {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "still running after {WAIT:?}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn assert_refused_naming(output: &Output, problem: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {stderr:?}");
    assert!(lines[0].contains(problem), "names the problem: {stderr:?}");
    assert!(
        lines[0].contains("wavetop snapshot"),
        "points at snapshot: {stderr:?}"
    );
    assert!(
        !stderr.contains('\x1b'),
        "no escape bytes on stderr: {stderr:?}"
    );
}

#[test]
fn without_a_controlling_terminal_it_exits_2_and_writes_nothing_to_stdout() {
    let dir = tempdir("no-ctty");
    let out_path = dir.join("out");
    let out = File::create(&out_path).unwrap();
    let mut cmd = console(&dir, &out);
    cmd.stdin(Stdio::null());
    // SAFETY: setsid is async-signal-safe; a new session has no controlling
    // terminal, like a process started by cron or `setsid -w`.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = run(&mut cmd);
    assert_refused_naming(&output, "standard input is not a terminal");
    assert_eq!(
        std::fs::metadata(&out_path).unwrap().len(),
        0,
        "stdout empty"
    );
}

/// A pseudo-terminal's follower side, opened as a file (the leader is
/// returned too, so the terminal stays open).
fn pty_follower() -> (File, File) {
    // SAFETY: plain POSIX pty calls on a descriptor we own; ptsname_r writes
    // into our buffer only.
    unsafe {
        let leader = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(leader >= 0, "posix_openpt");
        assert_eq!(libc::grantpt(leader), 0, "grantpt");
        assert_eq!(libc::unlockpt(leader), 0, "unlockpt");
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(leader, name.as_mut_ptr(), name.len()), 0);
        let path = std::ffi::CStr::from_ptr(name.as_ptr()).to_str().unwrap();
        let follower = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .unwrap();
        use std::os::fd::FromRawFd;
        (File::from_raw_fd(leader), follower)
    }
}

#[test]
fn output_to_a_file_is_refused_with_exit_2_even_with_a_terminal_on_stdin() {
    let dir = tempdir("stdout-file");
    let out_path = dir.join("out");
    let out = File::create(&out_path).unwrap();
    let (_leader, follower) = pty_follower();
    let output = run(console(&dir, &out).stdin(follower));
    assert_refused_naming(&output, "standard output is not a terminal");
    assert_eq!(
        std::fs::metadata(&out_path).unwrap().len(),
        0,
        "stdout empty"
    );
}

#[test]
fn term_dumb_is_refused_with_exit_2_before_any_escape_sequence() {
    let dir = tempdir("dumb");
    let mut tui = spawn_demo_with_env(&dir, &[], &[("TERM", "dumb")], 24, 80);
    let status = tui.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 2, "{status:?}");
    let screen = tui.screen_text();
    assert!(screen.contains("TERM=dumb"), "{screen}");
    assert!(screen.contains("wavetop snapshot"), "{screen}");
    assert_eq!(screen.trim().lines().count(), 1, "one line: {screen}");
    let output = tui.output();
    assert!(
        !output.contains(&0x1b),
        "no escape byte: {:?}",
        String::from_utf8_lossy(&output)
    );
    assert!(!tui.raw_mode());
}
