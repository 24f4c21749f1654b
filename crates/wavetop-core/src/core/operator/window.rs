//! When an action tied to a region's off-hours window would happen.

use jiff::Timestamp;

use crate::domain::window::Windows;

/// Why there is no opening to wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowWait {
    /// The region has no window configured.
    NoWindow,
    /// The window is open already.
    OpenNow,
    /// Every opening in reach is frozen (or squeezed out by DST).
    NeverOpens,
}

impl WindowWait {
    /// The plain fact, naming the region; each action adds what to do instead.
    pub fn describe(self, region: &str) -> String {
        match self {
            WindowWait::NoWindow => format!("{region} has no off-hours window configured"),
            WindowWait::OpenNow => format!("{region}'s off-hours window is open now"),
            WindowWait::NeverOpens => format!("{region}'s window never opens (frozen?)"),
        }
    }
}

/// The instant the region's window next opens, for an action that waits for
/// it; an error when there is nothing to wait for.
pub fn next_window_opening(
    windows: &Windows,
    region: &str,
    now: Timestamp,
) -> Result<Timestamp, WindowWait> {
    if !windows.has_window(region) {
        return Err(WindowWait::NoWindow);
    }
    if windows.is_open(region, now) {
        return Err(WindowWait::OpenNow);
    }
    windows
        .next_opening(region, now)
        .ok_or(WindowWait::NeverOpens)
}

#[cfg(test)]
#[path = "window_tests.rs"]
mod tests;
