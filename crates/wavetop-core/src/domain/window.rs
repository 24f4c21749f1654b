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

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;

/// How far ahead `next_opening` looks, in local days, beyond the frozen dates.
/// A valid window opens at least weekly, so this is only reached when every
/// occurrence in reach is frozen or squeezed out by DST.
const SEARCH_DAYS: i64 = 400;

/// A region's off-hours window, validated and ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    zone: TimeZone,
    open: Time,
    close: Time,
    /// The opening weekdays, a bit each (see [`day_bit`]).
    days: u8,
    freeze: BTreeSet<Date>,
}

/// One occurrence of a window: opening day and its half-open instant range.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    start: Timestamp,
    end: Timestamp,
}

impl Window {
    /// A window kept in `zone` that opens at `open` every day and closes at
    /// `close`: the same day, or the next one when `close` is earlier.
    /// `None` when `open` equals `close`: a window needs a length.
    pub fn new(zone: TimeZone, open: Time, close: Time) -> Option<Window> {
        (open != close).then(|| Window {
            zone,
            open,
            close,
            days: EVERY_DAY,
            freeze: BTreeSet::new(),
        })
    }

    /// The same window opening only on `days`; an empty list keeps every day.
    pub fn with_days(mut self, days: &[Weekday]) -> Window {
        if !days.is_empty() {
            self.days = days.iter().fold(0, |set, day| set | day_bit(*day));
        }
        self
    }

    /// The same window not opening on any of `dates` (local dates).
    pub fn with_freeze(mut self, dates: impl IntoIterator<Item = Date>) -> Window {
        self.freeze.extend(dates);
        self
    }

    /// The IANA name of the window's zone; `None` only for a zone without
    /// one (a fixed offset).
    pub fn time_zone(&self) -> Option<&str> {
        self.zone.iana_name()
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

    /// The opening a hold released at `at` waits for when `at` falls on a
    /// freeze date in the window's zone (a date added after the hold was
    /// placed); `None` when `at` is not frozen.
    pub fn thawed_opening(&self, at: Timestamp) -> Option<Timestamp> {
        self.is_frozen(self.local_date(at))
            .then(|| self.next_opening(at))
            .flatten()
    }

    /// True when `date` is one of the window's freeze dates.
    pub fn is_frozen(&self, date: Date) -> bool {
        self.freeze.contains(&date)
    }

    fn opens_on(&self, date: Date) -> bool {
        self.days & day_bit(date.weekday()) != 0 && !self.freeze.contains(&date)
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
    pub fn has_window(&self, region: &str) -> bool {
        self.get(region).is_some()
    }

    /// The IANA zone the region's window is kept in, when it has one.
    pub fn time_zone(&self, region: &str) -> Option<String> {
        self.get(region)
            .and_then(Window::time_zone)
            .map(str::to_string)
    }

    pub fn get(&self, region: &str) -> Option<&Window> {
        self.by_region.get(region)
    }

    /// The regions that have a window, in name order.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.by_region.keys().map(String::as_str)
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

/// The days a window opens on, one bit a weekday (bit 0 is Monday).
const EVERY_DAY: u8 = 0b111_1111;

fn day_bit(weekday: Weekday) -> u8 {
    1 << weekday.to_monday_zero_offset()
}

#[cfg(test)]
#[path = "window_tests.rs"]
mod tests;
