//! The console at the edges of its limits: read-only with an audit log that
//! cannot be opened, and a simulated fleet started a long way into its life.

use std::time::{Duration, Instant};

use crate::{WAIT, spawn_demo_sized, tempdir};

#[test]
fn read_only_starts_without_an_audit_log_and_says_so() {
    let dir = tempdir("read-only-no-audit");
    let mut tui = spawn_demo_sized(
        &dir,
        &["--read-only", "--audit-log", "/dev/null", "--at", "10m"],
        48,
        160,
    );
    tui.wait_for("global-api", WAIT);
    tui.wait_for("READ-ONLY", WAIT);
    tui.wait_for("audit log unavailable", WAIT);
    tui.send("6");
    tui.wait_for("(read-only: no call can be made)", WAIT);
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}

#[test]
fn a_year_into_the_fleet_the_console_opens_and_quits_promptly() {
    let dir = tempdir("far-at");
    let started = Instant::now();
    let mut tui = spawn_demo_sized(&dir, &["--at", "3023h59m"], 48, 160);
    tui.wait_for("global-api", WAIT);
    tui.wait_for("2027-03-26 01:59 UTC", WAIT);
    let opened = started.elapsed();
    let asked = Instant::now();
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
    let quit = asked.elapsed();
    assert!(
        quit < Duration::from_secs(3),
        "q took {quit:?} (opened in {opened:?})"
    );
}
