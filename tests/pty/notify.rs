//! Notifications from the real binary: a gate that starts waiting in the
//! demo rings the bell and sends the configured OSC 9, once the operator's
//! terminal lost focus; nothing is sent for the flow in front of them.

use std::time::Duration;

use crate::harness::{Tui, contains};
use crate::{WAIT, spawn_demo_sized, tempdir};

/// Focus reports as the terminal sends them (`CSI O`, `CSI I`).
const FOCUS_LOST: &str = "\x1b[O";

/// The demo's first gates (global-api, Europe) start waiting 30 s to a
/// minute into the fleet's life; orders-active-active's 3 to 4 minutes in.
const GLOBAL_API_GATE: &[u8] = b"\x07\x1b]9;wavetop: global-api: gate waiting: Europe";
const ORDERS_GATE: &[u8] = b"\x07\x1b]9;wavetop: orders-active-active: gate waiting";

fn with_config(name: &str, speed: &str) -> Tui {
    let dir = tempdir(name);
    let config = dir.join("notify.toml");
    std::fs::write(
        &config,
        "[notify]\nevents = [\"gate-waiting\"]\nbell = true\ndesktop = \"osc9\"\n",
    )
    .unwrap();
    let config = config.display().to_string();
    spawn_demo_sized(&dir, &["--config", &config, "--speed", speed], 30, 120)
}

#[test]
fn a_gate_that_starts_waiting_rings_and_sends_osc9_when_the_terminal_lost_focus() {
    let mut tui = with_config("notify-osc9", "5");
    tui.wait_for("global-api", WAIT);
    tui.send(FOCUS_LOST);
    tui.wait_until("the gate's notification", Duration::from_secs(30), |t| {
        contains(&t.output(), GLOBAL_API_GATE)
    });
    let output = tui.output();
    let at = output
        .windows(GLOBAL_API_GATE.len())
        .position(|w| w == GLOBAL_API_GATE)
        .unwrap();
    let rest = &output[at + GLOBAL_API_GATE.len()..];
    let end = rest.iter().position(|&b| b == 0x07).expect("the OSC ends");
    let text = String::from_utf8_lossy(&rest[..end]);
    assert!(text.contains("eu-"), "names the regions: {text:?}");
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}

#[test]
fn the_flow_in_front_of_a_focused_operator_is_not_notified_another_flow_is() {
    let mut tui = with_config("notify-in-front", "40");
    tui.wait_for("global-api", WAIT);
    // global-api is selected in the grid; orders-active-active's gate
    // starts waiting later and is told.
    tui.wait_until(
        "the other flow's notification",
        Duration::from_secs(30),
        |t| contains(&t.output(), ORDERS_GATE),
    );
    assert!(
        !contains(&tui.output(), GLOBAL_API_GATE),
        "the flow on screen was notified"
    );
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}
