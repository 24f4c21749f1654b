//! The console while its terminal is resized through every tiny size: it
//! keeps running, says when it has too little room, and comes back whole.

use std::thread;
use std::time::Duration;

use crate::{WAIT, assert_restored, spawn_demo, tempdir};

#[test]
fn a_resize_storm_through_every_tiny_size_leaves_a_console_that_answers_keys() {
    let dir = tempdir("resize-storm");
    let mut tui = spawn_demo(&dir, &[]);
    tui.wait_for("global-api", WAIT);
    for cols in 1..=20 {
        for rows in 1..=8 {
            tui.resize_pty(rows, cols);
            // Long enough for a frame at most sizes, short enough to be a storm.
            thread::sleep(Duration::from_millis(15));
        }
    }
    // 20 columns hold the start of the line.
    tui.wait_for("terminal too small (", WAIT);
    assert!(tui.child.try_wait().unwrap().is_none(), "still running");

    tui.resize(24, 80);
    tui.wait_for("global-api", WAIT);
    tui.send("2");
    tui.wait_for("billing-failover", WAIT);
    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 0, "{status:?}");
    assert_restored(&tui);
}
