//! Off-hours windows: when a region may receive a held deployment.
//!
//! A window opens on a local date D at `open` and closes at `close` on D, or
//! on D+1 when `close` is earlier than `open` (a window crossing midnight).
//! Whether it opens at all is decided by D alone, the *opening day*: D's
//! weekday must be one of `days` and D must not be a freeze date. A window
//! that opened the evening before a frozen date still runs into that date.
//!
//! Local times are turned into instants with jiff's `compatible`
//! disambiguation, so a time inside a DST gap is pushed forward by the length
//! of the gap (02:30 on a spring-forward night with a one-hour gap becomes
//! 03:30), and a time repeated by a fold resolves to its first, earlier
//! occurrence. When DST squeezes an occurrence down to nothing (its resolved
//! close is not after its resolved open) that occurrence does not open.
//!
//! Intervals are half-open: open at the opening instant, closed at the
//! closing instant. Occurrences that touch or overlap (only possible around a
//! DST change) count as one continuous opening.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;

use crate::config::schema::WindowConfig;

/// How far ahead `next_opening` looks, in local days, beyond the frozen dates.
/// A valid window opens at least weekly, so this is only reached when every
/// occurrence in reach is frozen or squeezed out by DST.
const SEARCH_DAYS: i64 = 400;

/// A configuration value that does not describe a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowError {
    /// The region whose window is wrong, when known.
    pub region: Option<String>,
    /// The field of the window table, e.g. `open` or `freeze[2]`.
    pub field: String,
    /// The offending value as written.
    pub value: String,
    pub reason: String,
}

impl fmt::Display for WindowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(region) = &self.region {
            write!(f, "windows.{region}.")?;
        }
        write!(f, "{} = {:?}: {}", self.field, self.value, self.reason)
    }
}

impl std::error::Error for WindowError {}

/// A region's off-hours window, validated and ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    zone: TimeZone,
    zone_name: String,
    open: Time,
    close: Time,
    /// Indexed by `Weekday::to_monday_zero_offset`.
    days: [bool; 7],
    freeze: BTreeSet<Date>,
}

/// One occurrence of a window: opening day and its half-open instant range.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    start: Timestamp,
    end: Timestamp,
}

impl Window {
    pub fn from_config(config: &WindowConfig) -> Result<Window, WindowError> {
        let error = |field: &str, value: &str, reason: String| WindowError {
            region: None,
            field: field.to_string(),
            value: value.to_string(),
            reason,
        };
        let zone = TimeZone::get(&config.time_zone).map_err(|_| {
            error(
                "time_zone",
                &config.time_zone,
                "not a known IANA time zone (e.g. Europe/Berlin)".to_string(),
            )
        })?;
        let open =
            parse_hhmm(&config.open).map_err(|reason| error("open", &config.open, reason))?;
        let close =
            parse_hhmm(&config.close).map_err(|reason| error("close", &config.close, reason))?;
        if open == close {
            return Err(error(
                "close",
                &config.close,
                "equals `open`: a window needs a length (use e.g. 00:00 to 23:59 for a whole day)"
                    .to_string(),
            ));
        }
        let mut days = [config.days.is_empty(); 7];
        for (i, day) in config.days.iter().enumerate() {
            let weekday = parse_weekday(day).ok_or_else(|| {
                error(
                    &format!("days[{i}]"),
                    day,
                    "not a day of the week (mon, tue, wed, thu, fri, sat, sun)".to_string(),
                )
            })?;
            days[weekday_index(weekday)] = true;
        }
        let mut freeze = BTreeSet::new();
        for (i, date) in config.freeze.iter().enumerate() {
            let parsed = parse_date(date).ok_or_else(|| {
                error(
                    &format!("freeze[{i}]"),
                    date,
                    "not a date YYYY-MM-DD".to_string(),
                )
            })?;
            freeze.insert(parsed);
        }
        Ok(Window {
            zone,
            zone_name: config.time_zone.clone(),
            open,
            close,
            days,
            freeze,
        })
    }

    /// The IANA name the window was configured with.
    pub fn time_zone(&self) -> &str {
        &self.zone_name
    }

    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// Whether the window is open at `at`.
    pub fn is_open(&self, at: Timestamp) -> bool {
        let today = self.local_date(at);
        // Only an occurrence that opened today, yesterday or (around a DST
        // change) the day before can still be open.
        (-2..=0).any(|offset| {
            self.occurrence(shift(today, offset))
                .is_some_and(|o| o.start <= at && at < o.end)
        })
    }

    /// The earliest instant at or after `after` at which the window goes
    /// from closed to open.
    ///
    /// When the window is already open at `after` (and did not open exactly
    /// then), the answer is the opening *after* the current one closes: a
    /// hold "until the next window" placed during a window waits for the next
    /// one. Ask [`Window::is_open`] first to treat "open now" differently.
    /// `None` only when no occurrence opens within the search horizon.
    pub fn next_opening(&self, after: Timestamp) -> Option<Timestamp> {
        self.runs_from(after)
            .find(|&(start, _)| start >= after)
            .map(|(start, _)| start)
    }

    /// When the opening that contains `at` closes; `None` when closed at `at`.
    pub fn current_close(&self, at: Timestamp) -> Option<Timestamp> {
        self.runs_from(at)
            .take_while(|&(start, _)| start <= at)
            .find(|&(start, end)| start <= at && at < end)
            .map(|(_, end)| end)
    }

    /// The next instant at which `is_open` changes: the close when open, the
    /// next opening when closed. A timer set to it needs no other wake-up.
    pub fn next_change(&self, at: Timestamp) -> Option<Timestamp> {
        self.current_close(at).or_else(|| self.next_opening(at))
    }

    fn local_date(&self, at: Timestamp) -> Date {
        self.zone.to_datetime(at).date()
    }

    fn opens_on(&self, date: Date) -> bool {
        self.days[weekday_index(date.weekday())] && !self.freeze.contains(&date)
    }

    /// The occurrence opening on `date`, if the window opens that day.
    fn occurrence(&self, date: Date) -> Option<Occurrence> {
        if !self.opens_on(date) {
            return None;
        }
        let close_date = if self.close < self.open {
            shift(date, 1)
        } else {
            date
        };
        let start = self.resolve(date, self.open)?;
        let end = self.resolve(close_date, self.close)?;
        (start < end).then_some(Occurrence { start, end })
    }

    fn resolve(&self, date: Date, time: Time) -> Option<Timestamp> {
        self.zone
            .to_ambiguous_timestamp(DateTime::from_parts(date, time))
            .compatible()
            .ok()
    }

    /// Continuous openings (occurrences merged where they touch or
    /// overlap), starting with the one that may contain `from`.
    fn runs_from(&self, from: Timestamp) -> impl Iterator<Item = (Timestamp, Timestamp)> + '_ {
        let first = shift(self.local_date(from), -2);
        let horizon = SEARCH_DAYS + self.freeze.len() as i64;
        let mut occurrences = (0..horizon)
            .map(move |i| shift(first, i))
            .filter_map(|date| self.occurrence(date))
            .peekable();
        std::iter::from_fn(move || {
            let first = occurrences.next()?;
            let (start, mut end) = (first.start, first.end);
            while let Some(next) = occurrences.next_if(|o| o.start <= end) {
                end = end.max(next.end);
            }
            Some((start, end))
        })
    }
}

/// Every region's window. A region without one is always open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Windows {
    by_region: BTreeMap<String, Window>,
}

impl Windows {
    /// Validates every configured window; the error names the region.
    pub fn from_config(config: &BTreeMap<String, WindowConfig>) -> Result<Windows, WindowError> {
        let mut by_region = BTreeMap::new();
        for (region, window) in config {
            let window = Window::from_config(window).map_err(|mut e| {
                e.region = Some(region.clone());
                e
            })?;
            by_region.insert(region.clone(), window);
        }
        Ok(Windows { by_region })
    }

    pub fn has_window(&self, region: &str) -> bool {
        self.get(region).is_some()
    }

    /// The IANA zone the region's window is kept in, when it has one.
    pub fn time_zone(&self, region: &str) -> Option<String> {
        self.get(region).map(|w| w.time_zone().to_string())
    }

    pub fn get(&self, region: &str) -> Option<&Window> {
        self.by_region.get(region)
    }

    pub fn insert(&mut self, region: impl Into<String>, window: Window) {
        self.by_region.insert(region.into(), window);
    }

    pub fn is_open(&self, region: &str, at: Timestamp) -> bool {
        self.get(region).is_none_or(|w| w.is_open(at))
    }

    /// The region's next opening at or after `at`; `at` itself when the
    /// region has no window (nothing to wait for).
    pub fn next_opening(&self, region: &str, at: Timestamp) -> Option<Timestamp> {
        match self.get(region) {
            Some(window) => window.next_opening(at),
            None => Some(at),
        }
    }

    /// The earliest instant after `at` at which any region's window opens or
    /// closes, for a single timer.
    pub fn next_change(&self, at: Timestamp) -> Option<Timestamp> {
        self.by_region
            .values()
            .filter_map(|w| w.next_change(at))
            .min()
    }
}

fn shift(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days))
        .unwrap_or(date)
}

fn weekday_index(weekday: Weekday) -> usize {
    weekday.to_monday_zero_offset() as usize
}

/// Strict `HH:MM`, 24-hour clock.
fn parse_hhmm(text: &str) -> Result<Time, String> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i8> {
        bytes
            .get(range)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .map(|d| ((d[0] - b'0') * 10 + (d[1] - b'0')) as i8)
    };
    if bytes.len() != 5 || bytes[2] != b':' {
        return Err("not a time HH:MM (24-hour clock, e.g. 02:00 or 22:30)".to_string());
    }
    match (digits(0..2), digits(3..5)) {
        (Some(hour), Some(minute)) if hour < 24 && minute < 60 => {
            Ok(Time::constant(hour, minute, 0, 0))
        }
        _ => Err("not a time HH:MM (hours 00-23, minutes 00-59)".to_string()),
    }
}

fn parse_weekday(text: &str) -> Option<Weekday> {
    let lower = text.trim().to_ascii_lowercase();
    let day = match lower.as_str() {
        "mon" | "monday" => Weekday::Monday,
        "tue" | "tuesday" => Weekday::Tuesday,
        "wed" | "wednesday" => Weekday::Wednesday,
        "thu" | "thursday" => Weekday::Thursday,
        "fri" | "friday" => Weekday::Friday,
        "sat" | "saturday" => Weekday::Saturday,
        "sun" | "sunday" => Weekday::Sunday,
        _ => return None,
    };
    Some(day)
}

fn parse_date(text: &str) -> Option<Date> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    text.parse::<Date>().ok()
}

#[cfg(test)]
#[path = "window_tests.rs"]
mod tests;
