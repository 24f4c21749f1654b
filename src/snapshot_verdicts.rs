//! The snapshot's promotion verdicts: one per waiting gate and per next
//! region of a moving wave, put in that cell of `snapshot --json` and
//! listed in the text snapshot.

use std::fmt::Write as _;

use jiff::Timestamp;

use crate::domain::fleet::Fleet;
use crate::domain::verdict::{CellVerdict, VerdictCtx, fleet_verdicts};
use crate::domain::window::Windows;
use crate::protocol::PollKey;
use crate::source::snapshot::Snapshot;
use crate::ui::glyphs::verdict_glyph;

/// What the verdict reads beyond the fleet: the configuration's windows and
/// lag warning.
#[derive(Debug, Clone, Copy)]
pub struct Judging<'a> {
    pub windows: &'a Windows,
    pub lag_warning_ms: f64,
}

impl Default for Judging<'_> {
    /// No window, and the default lag warning.
    fn default() -> Self {
        static NO_WINDOWS: std::sync::OnceLock<Windows> = std::sync::OnceLock::new();
        Judging {
            windows: NO_WINDOWS.get_or_init(Windows::default),
            lag_warning_ms: 5_000.0,
        }
    }
}

/// Every verdict of the snapshot. A region whose alarm read gave no answer
/// has alarms of unknown state: its verdict waits on them.
pub(crate) fn snapshot_verdicts(
    snapshot: &Snapshot,
    now: Timestamp,
    judging: Judging<'_>,
) -> Vec<CellVerdict> {
    let unread = unread_alarm_regions(&snapshot.fleet, &snapshot.unanswered);
    fleet_verdicts(&VerdictCtx {
        fleet: &snapshot.fleet,
        windows: judging.windows,
        now,
        lag_warning_ms: judging.lag_warning_ms,
        unread_alarm_regions: &unread,
    })
}

fn unread_alarm_regions(fleet: &Fleet, unanswered: &[String]) -> Vec<String> {
    fleet
        .alarms
        .watched
        .regions()
        .into_iter()
        .filter(|region| {
            let label = PollKey::Alarms {
                region: region.clone(),
            }
            .label();
            unanswered.contains(&label)
        })
        .collect()
}

/// The text snapshot's verdict section: a line per judged cell, then its reasons.
pub(crate) fn text_lines(verdicts: &[CellVerdict]) -> String {
    let mut out = String::new();
    for v in verdicts {
        let (glyph, word) = verdict_glyph(v.verdict.call);
        let what = if v.gate { "gate" } else { "next" };
        let _ = writeln!(
            out,
            "  {:<14} {:<14} {:<16} {what:<5} {glyph} {word}",
            v.flow, v.wave, v.region
        );
        for r in &v.verdict.reasons {
            let _ = writeln!(out, "      - {}", r.text);
        }
    }
    out
}
