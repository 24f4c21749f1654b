//! `t` in the real binary: the header names the region's zone while times
//! are shown in it, and the same key goes back to UTC.

use crate::{WAIT, spawn_demo_sized, tempdir};

#[test]
fn t_toggles_the_zone_times_are_shown_in() {
    let dir = tempdir("times");
    let mut tui = spawn_demo_sized(&dir, &["--at", "10m"], 48, 160);
    tui.wait_for("global-api", WAIT);
    tui.send("t");
    tui.wait_for("times shown in", WAIT);
    // The demo opens on its first pipeline's home region, us-east-1.
    tui.wait_for("times us-east-1 (America/New_York) [t]", WAIT);
    tui.send("t");
    tui.wait_for("times shown in UTC", WAIT);
    tui.wait_gone("(America/New_York) [t]", WAIT);
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}
