//! How states look: a glyph and a word for every state, so nothing is told
//! by colour alone, and the theme style that colours it.

use ratatui::style::Style;

use crate::config::theme::Theme;
use crate::domain::conditions::ConditionMark;
use crate::domain::fleet::{ActionStatus, CellStatus, ExecutionStatus, HealthStatus};
use crate::domain::stack_status::StackStatus;
use crate::domain::verdict::Call;

/// Marks a cell that another identity changed lately (see `core::foreign`).
pub const CHANGED_ELSEWHERE: &str = "✎";

/// Marks a region whose live revision is behind the newest one deployed
/// (see `domain::revisions`).
pub const BEHIND: &str = "↓";

/// Marks a console link (the cell detail's): one column wide, so the
/// runtime finds the link's text on screen cell by cell.
pub const LINK_MARK: &str = "↗";

pub fn cell_glyph(status: CellStatus) -> (&'static str, &'static str) {
    match status {
        CellStatus::Succeeded => ("✔", "done"),
        CellStatus::InProgress => ("▶", "running"),
        CellStatus::Failed => ("✖", "FAILED"),
        CellStatus::AwaitingApproval => ("⚑", "APPROVE?"),
        CellStatus::Held => ("⏸", "held"),
        CellStatus::NotStarted => ("○", "pending"),
        CellStatus::NotApplicable => ("·", ""),
    }
}

pub fn cell_style(theme: &Theme, status: CellStatus) -> Style {
    match status {
        CellStatus::Succeeded => theme.status_succeeded,
        CellStatus::InProgress => theme.status_in_progress,
        CellStatus::Failed => theme.status_failed,
        CellStatus::AwaitingApproval => theme.status_awaiting_approval,
        CellStatus::Held => theme.status_held,
        CellStatus::NotStarted => theme.status_not_started,
        CellStatus::NotApplicable => theme.status_not_applicable,
    }
}

/// A wave's stage conditions: evaluating (the stage waits on them) or failed.
pub fn condition_glyph(mark: ConditionMark) -> (&'static str, &'static str) {
    match mark {
        ConditionMark::Blocking => ("◴", "cond"),
        ConditionMark::Failed => ("⊗", "COND FAIL"),
    }
}

pub fn condition_style(theme: &Theme, mark: ConditionMark) -> Style {
    match mark {
        ConditionMark::Blocking => theme.condition_blocking,
        ConditionMark::Failed => theme.condition_failed,
    }
}

pub fn action_glyph(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::NotStarted => "○",
        ActionStatus::InProgress => "▶",
        ActionStatus::Succeeded => "✔",
        ActionStatus::Failed => "✖",
        ActionStatus::Abandoned => "⊘",
    }
}

pub fn action_style(theme: &Theme, status: ActionStatus) -> Style {
    match status {
        ActionStatus::NotStarted => theme.status_not_started,
        ActionStatus::InProgress => theme.status_in_progress,
        ActionStatus::Succeeded => theme.status_succeeded,
        ActionStatus::Failed => theme.status_failed,
        ActionStatus::Abandoned => theme.status_held,
    }
}

pub fn execution_glyph(status: ExecutionStatus) -> (&'static str, &'static str) {
    match status {
        ExecutionStatus::InProgress => ("▶", "InProgress"),
        ExecutionStatus::Succeeded => ("✔", "Succeeded"),
        ExecutionStatus::Failed => ("✖", "Failed"),
        ExecutionStatus::Stopped => ("■", "Stopped"),
        ExecutionStatus::Stopping => ("□", "Stopping"),
        ExecutionStatus::Superseded => ("↷", "Superseded"),
        ExecutionStatus::Cancelled => ("⊘", "Cancelled"),
    }
}

pub fn execution_style(theme: &Theme, status: ExecutionStatus) -> Style {
    match status {
        ExecutionStatus::InProgress | ExecutionStatus::Stopping => theme.status_in_progress,
        ExecutionStatus::Succeeded => theme.status_succeeded,
        ExecutionStatus::Failed => theme.status_failed,
        ExecutionStatus::Stopped | ExecutionStatus::Cancelled => theme.status_held,
        ExecutionStatus::Superseded => theme.dim,
    }
}

pub fn health_glyph(status: HealthStatus, inverted: bool) -> (&'static str, &'static str) {
    match (status, inverted) {
        (_, true) => ("▼", "drained"),
        (HealthStatus::Healthy, _) => ("●", "healthy"),
        (HealthStatus::Unhealthy, _) => ("✖", "UNHEALTHY"),
        (HealthStatus::Unknown, _) => ("?", "unknown"),
    }
}

pub fn health_style(theme: &Theme, status: HealthStatus, inverted: bool) -> Style {
    match (status, inverted) {
        (_, true) => theme.health_drained,
        (HealthStatus::Healthy, _) => theme.health_healthy,
        (HealthStatus::Unhealthy, _) => theme.health_unhealthy,
        (HealthStatus::Unknown, _) => theme.health_unknown,
    }
}

/// A CloudFormation stack status in a few letters, worst news loudest.
pub fn stack_short(status: &StackStatus) -> &'static str {
    if status.is_rolling_back() {
        "ROLLBACK"
    } else if status.is_rolled_back() {
        "rolled back"
    } else if status.is_failed() {
        "STACK FAIL"
    } else if status.is_in_progress() {
        "updating"
    } else if status.is_complete() {
        "stack ok"
    } else if status.is_unknown() {
        "stack ?"
    } else {
        "stack"
    }
}

pub fn event_style(theme: &Theme, status: &StackStatus) -> Style {
    // Unknown is not good news: never drawn in the colour of a completed stack.
    if status.is_unknown() {
        theme.dim
    } else if status.is_rollback() {
        theme.event_rollback
    } else if status.is_failed() {
        theme.event_failed
    } else if status.is_in_progress() {
        theme.event_in_progress
    } else {
        theme.event_complete
    }
}

pub fn lag_style(theme: &Theme, ms: f64, warn_ms: f64) -> Style {
    if ms >= warn_ms {
        theme.lag_high
    } else if ms >= warn_ms / 5.0 {
        theme.lag_warn
    } else {
        theme.lag_ok
    }
}

/// `850ms`, `1.2s`, `45s`.
pub fn fmt_ms(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{}ms", Whole(ms))
    } else if ms < 10_000.0 {
        format!("{:.1}s", ms / 1000.0)
    } else {
        format!("{}s", Whole(ms / 1000.0))
    }
}

/// A number shown to the unit, as `{:.0}` shows it (ties to even). The grid
/// shows a lag in every cell, and float formatting to a precision costs
/// several times more than printing the integer it rounds to.
struct Whole(f64);

impl std::fmt::Display for Whole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rounded = self.0.round_ties_even();
        // Below zero (`-0` included) or beyond what an i64 holds exactly, as is.
        if rounded.is_sign_positive() && rounded < 9.0e15 {
            write!(f, "{}", rounded as i64)
        } else {
            write!(f, "{:.0}", self.0)
        }
    }
}

pub use crate::core::age::fmt_age;

/// `4m05s` for timers shown to the second.
pub fn fmt_elapsed(secs: i64) -> String {
    let secs = secs.max(0);
    if secs < 3600 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{}h{:02}m", secs / 3600, secs % 3600 / 60)
    }
}

/// The last `n` of `values` (all of them when there are fewer).
pub fn last_values(values: &[f64], n: usize) -> &[f64] {
    values
        .get(values.len().saturating_sub(n)..)
        .unwrap_or_default()
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of the last `width` values, scaled between their smallest
/// and largest so that variation shows even on a high baseline.
pub fn sparkline(values: &[f64], width: usize) -> String {
    let tail = last_values(values, width);
    let max = tail.iter().cloned().fold(f64::MIN, f64::max);
    let min = tail.iter().cloned().fold(f64::MAX, f64::min);
    let range = max - min;
    tail.iter()
        .map(|v| {
            if range <= 0.0 {
                SPARKS[0]
            } else {
                let level = (((v - min) / range) * 7.0).round().clamp(0.0, 7.0) as usize;
                SPARKS.get(level).copied().unwrap_or(SPARKS[7])
            }
        })
        .collect()
}

/// The promotion verdict: a glyph and a word, the word alone enough.
pub fn verdict_glyph(call: Call) -> (&'static str, &'static str) {
    match call {
        Call::Go => ("✔", "GO"),
        Call::Wait => ("◷", "WAIT"),
        Call::NoGo => ("✘", "NO-GO"),
    }
}

pub fn verdict_style(theme: &Theme, call: Call) -> Style {
    match call {
        Call::Go => theme.verdict_go,
        Call::Wait => theme.verdict_wait,
        Call::NoGo => theme.verdict_no_go,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_state_has_a_distinct_glyph() {
        let all = [
            CellStatus::Succeeded,
            CellStatus::InProgress,
            CellStatus::Failed,
            CellStatus::AwaitingApproval,
            CellStatus::Held,
            CellStatus::NotStarted,
            CellStatus::NotApplicable,
        ];
        let mut glyphs: Vec<&str> = all.iter().map(|s| cell_glyph(*s).0).collect();
        glyphs.sort();
        glyphs.dedup();
        assert_eq!(glyphs.len(), all.len());
    }

    #[test]
    fn formats_durations_and_lag() {
        assert_eq!(fmt_age(59), "59s");
        assert_eq!(fmt_age(3_900), "1h05m");
        assert_eq!(fmt_elapsed(245), "4m05s");
        assert_eq!(fmt_ms(850.4), "850ms");
        assert_eq!(fmt_ms(1_234.0), "1.2s");
        assert_eq!(fmt_ms(45_499.0), "45s");
        assert_eq!(sparkline(&[0.0, 5.0, 10.0], 10), "▁▅█");
        assert_eq!(
            sparkline(&[100.0, 105.0, 110.0], 10),
            "▁▅█",
            "scaled from the smallest value"
        );
        assert_eq!(sparkline(&[7.0, 7.0], 10), "▁▁");
        assert_eq!(
            sparkline(&[1.0, 2.0, 3.0, 4.0], 2),
            "▁█",
            "only the last values"
        );
        assert_eq!(
            stack_short(&"UPDATE_ROLLBACK_IN_PROGRESS".into()),
            "ROLLBACK"
        );
    }

    #[test]
    fn lag_is_rounded_as_float_formatting_rounds() {
        for ms in [0.0, -0.0, 0.5, 1.5, 2.5, 999.4, 999.5, -0.4, -3.6] {
            assert_eq!(fmt_ms(ms), format!("{ms:.0}ms"), "{ms}");
        }
        // Not below 1000 ms, a NaN takes the seconds' branch, as before.
        for ms in [
            10_000.0,
            10_500.0,
            11_500.0,
            86_400_000.0,
            f64::INFINITY,
            f64::NAN,
        ] {
            assert_eq!(fmt_ms(ms), format!("{:.0}s", ms / 1000.0), "{ms}");
        }
    }
}
