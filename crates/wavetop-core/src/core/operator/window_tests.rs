use jiff::Timestamp;

use super::*;
use jiff::civil::{date, time};
use jiff::tz::TimeZone;

use crate::domain::window::Window;

/// us-west-2 opens every night 22:00-02:00 UTC, except when the opening day
/// is 2026-11-20.
fn nightly_with_a_frozen_day() -> Windows {
    let window = Window::new(TimeZone::UTC, time(22, 0, 0, 0), time(2, 0, 0, 0))
        .expect("a window with a length")
        .with_freeze([date(2026, 11, 20)]);
    let mut windows = Windows::default();
    windows.insert("us-west-2", window);
    windows
}

fn ts(text: &str) -> Timestamp {
    text.parse().expect("timestamp literal")
}

#[test]
fn a_region_without_a_window_has_nothing_to_wait_for() {
    let windows = nightly_with_a_frozen_day();
    let now = ts("2026-11-19T12:00:00Z");
    assert_eq!(
        next_window_opening(&windows, "eu-west-1", now),
        Err(WindowWait::NoWindow)
    );
    assert_eq!(
        WindowWait::NoWindow.describe("eu-west-1"),
        "eu-west-1 has no off-hours window configured"
    );
}

#[test]
fn a_window_open_now_has_nothing_to_wait_for() {
    let windows = nightly_with_a_frozen_day();
    assert_eq!(
        next_window_opening(&windows, "us-west-2", ts("2026-11-19T23:00:00Z")),
        Err(WindowWait::OpenNow)
    );
    // The night that opened before the frozen day still runs into it.
    assert_eq!(
        next_window_opening(&windows, "us-west-2", ts("2026-11-20T01:00:00Z")),
        Err(WindowWait::OpenNow)
    );
}

#[test]
fn a_closed_window_waits_for_its_next_opening() {
    let windows = nightly_with_a_frozen_day();
    assert_eq!(
        next_window_opening(&windows, "us-west-2", ts("2026-11-19T12:00:00Z")),
        Ok(ts("2026-11-19T22:00:00Z"))
    );
}

#[test]
fn the_next_opening_skips_a_frozen_day() {
    let windows = nightly_with_a_frozen_day();
    assert_eq!(
        next_window_opening(&windows, "us-west-2", ts("2026-11-20T12:00:00Z")),
        Ok(ts("2026-11-21T22:00:00Z"))
    );
}
