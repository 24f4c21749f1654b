//! A hold's EventBridge Scheduler schedule: the one-time schedule that opens
//! a stage's transition at the window's opening, with every console closed.
//!
//! Its name is derived from the pipeline and stage alone, so any wavetop (a
//! console, `release`, `snapshot`) finds it again without storing anything.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::domain::window::Windows;

/// Every hold schedule's name starts with this; `ListSchedules` filters on it.
pub const SCHEDULE_NAME_PREFIX: &str = "wavetop-hold-";

/// Scheduler's limit on a schedule name.
const MAX_NAME_LEN: usize = 64;

/// Hex digits of the hash kept when a name must be shortened or cleaned.
const HASH_LEN: usize = 16;

/// `[scheduler]` as the core needs it: where schedules go and the role they
/// call CodePipeline with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldScheduler {
    pub role_arn: String,
    pub group: String,
}

/// The schedule that releases one hold: everything `CreateSchedule` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldSchedule {
    pub name: String,
    pub group: String,
    pub role_arn: String,
    /// The local wall-clock time in `time_zone`, `YYYY-MM-DDThh:mm:ss`.
    pub at_local: String,
    /// The IANA zone `at_local` is read in (`ScheduleExpressionTimezone`).
    pub time_zone: String,
}

/// Which schedule a release deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRef {
    pub name: String,
    pub group: String,
}

impl ScheduleRef {
    /// The schedule a hold on `stage` of `pipeline` would have.
    pub fn of_hold(scheduler: &HoldScheduler, pipeline: &str, stage: &str) -> ScheduleRef {
        ScheduleRef {
            name: schedule_name(pipeline, stage),
            group: scheduler.group.clone(),
        }
    }
}

impl HoldSchedule {
    /// The hold's schedule that opens at `until` in the zone of `region`'s
    /// window; `None` when the region has no window with a named zone.
    pub fn for_hold(
        scheduler: &HoldScheduler,
        windows: &Windows,
        region: &str,
        pipeline: &str,
        stage: &str,
        until: Timestamp,
    ) -> Option<HoldSchedule> {
        let window = windows.get(region)?;
        let time_zone = window.time_zone()?.to_string();
        Some(HoldSchedule {
            name: schedule_name(pipeline, stage),
            group: scheduler.group.clone(),
            role_arn: scheduler.role_arn.clone(),
            at_local: local_time(until, window.zone()),
            time_zone,
        })
    }

    /// `at(...)`, the one-time schedule expression.
    pub fn expression(&self) -> String {
        format!("at({})", self.at_local)
    }
}

/// A schedule as `GetSchedule` reads it back: when, on whose wall clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledOpening {
    pub name: String,
    /// The local wall-clock time of the `at(...)` expression.
    pub at: String,
    pub time_zone: String,
}

impl ScheduledOpening {
    /// `02:00 Europe/Dublin`: the clock time, as the operator set the window.
    pub fn short(&self) -> String {
        let clock = self
            .at
            .split_once('T')
            .map_or(self.at.as_str(), |(_, time)| time);
        let clock = clock.strip_suffix(":00").unwrap_or(clock);
        format!("{clock} {}", self.time_zone)
    }

    /// True when the schedule fires on a freeze date of the window (kept in
    /// the schedule's zone) of one of `regions`: a freeze date added to the
    /// config after the schedule was made does not move it.
    pub fn falls_on_freeze(&self, windows: &Windows, regions: &[&str]) -> bool {
        let Ok(date) = self.at.get(..10).unwrap_or_default().parse::<Date>() else {
            return false;
        };
        regions
            .iter()
            .filter_map(|r| windows.get(r))
            .any(|w| w.time_zone() == Some(self.time_zone.as_str()) && w.is_frozen(date))
    }
}

/// Whether a held stage opens by itself, as far as the console has read.
/// A read that failed is `Unknown`, never `None`: an operator must not be
/// told a hold stays closed when wavetop merely could not look.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ScheduleSeen {
    /// Not read: no `[scheduler]` configured, or the stage is not held.
    #[default]
    NotRead,
    /// The read failed (no permission, throttled): nobody can say.
    Unknown { why: String },
    /// Read: no schedule opens this stage.
    None,
    /// Read: a schedule opens it.
    Scheduled(ScheduledOpening),
}

impl ScheduleSeen {
    pub fn is_not_read(&self) -> bool {
        matches!(self, ScheduleSeen::NotRead)
    }

    /// How the hold's end reads in the cell detail and the text snapshot.
    /// Without `[scheduler]` nothing but a console or `enforce` opens a hold;
    /// with it, a hold not read yet is not yet known either way.
    pub fn describe(&self, scheduler_configured: bool) -> String {
        match self {
            ScheduleSeen::Scheduled(s) => format!("opens {} (scheduled)", s.short()),
            ScheduleSeen::Unknown { why } => format!("schedule unknown: {why}"),
            ScheduleSeen::NotRead if scheduler_configured => "schedule not read yet".to_string(),
            ScheduleSeen::None | ScheduleSeen::NotRead => {
                "opens only with a console or enforce".to_string()
            }
        }
    }
}

/// `until` on the wall clock of `zone`, to the second, as `at(...)` wants it.
pub fn local_time(until: Timestamp, zone: &TimeZone) -> String {
    zone.to_datetime(until)
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// The schedule name of a hold on `stage` of `pipeline`: the prefix and
/// `pipeline.stage` when that fits Scheduler's rule (at most 64 characters of
/// `[0-9a-zA-Z-_.]`); otherwise what fits of the cleaned text and a hash of
/// the exact names, so that two holds never share a schedule.
pub fn schedule_name(pipeline: &str, stage: &str) -> String {
    let plain = format!("{SCHEDULE_NAME_PREFIX}{pipeline}.{stage}");
    if plain.len() <= MAX_NAME_LEN && plain.chars().all(allowed) {
        return plain;
    }
    let cleaned: String = format!("{pipeline}.{stage}")
        .chars()
        .map(|c| if allowed(c) { c } else { '-' })
        .collect();
    let room = MAX_NAME_LEN - SCHEDULE_NAME_PREFIX.len() - HASH_LEN - 1;
    let kept: String = cleaned.chars().take(room).collect();
    let hash = fnv1a(format!("{pipeline}\n{stage}").as_bytes());
    format!("{SCHEDULE_NAME_PREFIX}{kept}-{hash:0HASH_LEN$x}")
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// FNV-1a, 64 bits: stable across builds and platforms, which a name that
/// other consoles must derive again needs (std's hasher promises neither).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
#[path = "hold_schedule_tests.rs"]
mod tests;
