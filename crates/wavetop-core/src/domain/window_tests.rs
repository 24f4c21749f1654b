use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

use super::*;

/// The window spelled as in a config file; the names are only test shorthand.
fn window(zone: &str, open: &str, close: &str, days: &[&str], freeze: &[&str]) -> Window {
    let days: Vec<Weekday> = days.iter().map(|d| weekday(d)).collect();
    let freeze = freeze
        .iter()
        .map(|d| d.parse::<Date>().expect("date literal"));
    Window::new(
        TimeZone::get(zone).unwrap(),
        parse_time(open),
        parse_time(close),
    )
    .expect("open differs from close")
    .with_days(&days)
    .with_freeze(freeze)
}

fn weekday(name: &str) -> Weekday {
    let index = DAY_NAMES.iter().position(|d| *d == name).expect("day name");
    Weekday::from_monday_zero_offset(index as i8).unwrap()
}

fn ts(text: &str) -> Timestamp {
    text.parse().expect("timestamp literal")
}

#[test]
fn a_window_needs_a_length() {
    let at = |h| Time::constant(h, 0, 0, 0);
    assert_eq!(Window::new(TimeZone::UTC, at(2), at(2)), None);
    assert!(Window::new(TimeZone::UTC, at(2), at(1)).is_some());
}

#[test]
fn no_days_means_every_day_and_the_zone_keeps_its_name() {
    let w = window("Europe/Berlin", "10:00", "11:00", &[], &[]).with_days(&[]);
    assert_eq!(w.time_zone(), Some("Europe/Berlin"));
    // 2026-11-21 is a Saturday, 2026-11-23 a Monday: 10:00 CET = 09:00Z.
    assert!(w.is_open(ts("2026-11-21T09:30:00Z")));
    assert!(w.is_open(ts("2026-11-23T09:30:00Z")));
    let weekdays_only = w.with_days(&[Weekday::Monday]);
    assert!(!weekdays_only.is_open(ts("2026-11-21T09:30:00Z")));
    assert!(weekdays_only.is_open(ts("2026-11-23T09:30:00Z")));
}

#[test]
fn a_window_crossing_midnight_belongs_to_its_opening_day() {
    // Weekdays 22:00 to 02:00 Berlin (UTC+1 in November).
    let w = window(
        "Europe/Berlin",
        "22:00",
        "02:00",
        &["mon", "tue", "wed", "thu", "fri"],
        &[],
    );
    // Friday 2026-11-20 22:00 local opens; it runs into Saturday 02:00.
    assert!(!w.is_open(ts("2026-11-20T20:59:00Z")));
    assert!(w.is_open(ts("2026-11-20T21:00:00Z")));
    assert!(w.is_open(ts("2026-11-21T00:59:59Z")));
    assert!(!w.is_open(ts("2026-11-21T01:00:00Z")));
    // Saturday evening does not open; the next opening is Monday 22:00.
    assert!(!w.is_open(ts("2026-11-21T21:30:00Z")));
    assert_eq!(
        w.next_opening(ts("2026-11-21T01:00:00Z")),
        Some(ts("2026-11-23T21:00:00Z"))
    );
    assert_eq!(
        w.current_close(ts("2026-11-20T23:00:00Z")),
        Some(ts("2026-11-21T01:00:00Z"))
    );
    assert_eq!(w.current_close(ts("2026-11-21T02:00:00Z")), None);
}

#[test]
fn a_frozen_opening_day_does_not_open_but_the_previous_night_runs_into_it() {
    let w = window("UTC", "22:00", "02:00", &[], &["2026-12-24"]);
    assert!(w.is_open(ts("2026-12-24T01:00:00Z")), "opened on the 23rd");
    assert!(!w.is_open(ts("2026-12-24T23:00:00Z")), "the 24th is frozen");
    assert_eq!(
        w.next_opening(ts("2026-12-24T12:00:00Z")),
        Some(ts("2026-12-25T22:00:00Z"))
    );
}

#[test]
fn next_opening_while_open_is_the_following_window_and_at_the_edge_is_now() {
    let w = window("Asia/Kolkata", "01:00", "05:00", &[], &[]);
    // 01:00 IST = 19:30Z the day before.
    let opening = ts("2026-06-09T19:30:00Z");
    assert_eq!(w.next_opening(opening), Some(opening));
    let inside = ts("2026-06-09T21:00:00Z");
    assert!(w.is_open(inside));
    assert_eq!(w.next_opening(inside), Some(ts("2026-06-10T19:30:00Z")));
    assert_eq!(w.next_change(inside), Some(ts("2026-06-09T23:30:00Z")));
    assert_eq!(
        w.next_change(ts("2026-06-10T00:00:00Z")),
        Some(ts("2026-06-10T19:30:00Z"))
    );
}

#[test]
fn an_opening_in_a_dst_gap_moves_forward_by_the_gap() {
    // New York springs forward at 02:00 on 2026-03-08: 02:30 does not exist.
    let w = window("America/New_York", "02:30", "05:00", &[], &[]);
    let opening = w.next_opening(ts("2026-03-08T00:00:00Z")).unwrap();
    assert_eq!(opening, ts("2026-03-08T07:30:00Z"), "03:30 EDT");
    // Sao Paulo sprang forward at midnight on 2018-11-04.
    let w = window("America/Sao_Paulo", "00:30", "04:00", &[], &[]);
    let opening = w.next_opening(ts("2018-11-04T00:00:00Z")).unwrap();
    assert_eq!(opening, ts("2018-11-04T03:30:00Z"), "01:30 -02");
}

#[test]
fn an_opening_in_a_fold_uses_the_first_occurrence() {
    // New York falls back at 02:00 EDT on 2026-11-01: 01:30 happens twice.
    let w = window("America/New_York", "01:30", "04:00", &[], &[]);
    let opening = w.next_opening(ts("2026-11-01T00:00:00Z")).unwrap();
    assert_eq!(opening, ts("2026-11-01T05:30:00Z"), "01:30 EDT, not EST");
    assert_eq!(
        w.current_close(opening),
        Some(ts("2026-11-01T09:00:00Z")),
        "04:00 EST"
    );
}

#[test]
fn an_occurrence_squeezed_out_by_a_gap_does_not_open() {
    // 02:15 to 03:00 on the spring-forward night resolves to 03:15..03:00.
    let w = window("America/New_York", "02:15", "03:00", &[], &[]);
    let night_before = ts("2026-03-08T05:00:00Z");
    let opening = w.next_opening(night_before).unwrap();
    assert_eq!(
        opening,
        ts("2026-03-09T06:15:00Z"),
        "the next night, 02:15 EDT"
    );
}

#[test]
fn regions_without_a_window_are_always_open() {
    let mut windows = Windows::default();
    windows.insert(
        "eu-west-1",
        window("Europe/London", "22:00", "23:00", &[], &[]),
    );
    let noon = ts("2026-07-01T12:00:00Z");
    assert!(windows.is_open("us-east-1", noon));
    assert_eq!(windows.next_opening("us-east-1", noon), Some(noon));
    assert!(!windows.is_open("eu-west-1", noon));
    // 22:00 BST = 21:00Z.
    assert_eq!(
        windows.next_opening("eu-west-1", noon),
        Some(ts("2026-07-01T21:00:00Z"))
    );
    assert_eq!(windows.next_change(noon), Some(ts("2026-07-01T21:00:00Z")));
}

// ---- properties -------------------------------------------------------------

const ZONES: &[&str] = &[
    "America/Sao_Paulo",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "Europe/Berlin",
    "UTC",
];
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const QUARTER: i64 = 15 * 60;

/// A time on the quarter-hour grid: every zone above has offsets and DST
/// shifts in whole quarter hours, so every edge falls on the UTC grid too.
fn quarter_time() -> impl Strategy<Value = String> {
    (0..24u8, 0..4u8).prop_map(|(h, q)| format!("{h:02}:{:02}", q * 15))
}

/// An instant between 2015 and 2031, half of them within two days before
/// one of the zone's transitions.
fn instant(zone: &'static str) -> impl Strategy<Value = Timestamp> {
    let start = ts("2015-01-01T00:00:00Z").as_second();
    let end = ts("2031-01-01T00:00:00Z").as_second();
    (start..end, any::<bool>(), 0..(48 * 3600i64)).prop_map(move |(s, near_dst, before)| {
        let at = Timestamp::from_second(s).unwrap();
        if !near_dst {
            return at;
        }
        let tz = TimeZone::get(zone).unwrap();
        match tz.following(at).next() {
            Some(t) => t.timestamp() - SignedDuration::from_secs(before),
            None => at,
        }
    })
}

#[derive(Debug, Clone)]
struct Case {
    zone: &'static str,
    open: Time,
    close: Time,
    days: Vec<Weekday>,
    freeze: Vec<Date>,
    after: Timestamp,
}

impl Case {
    fn window(&self) -> Window {
        Window::new(TimeZone::get(self.zone).unwrap(), self.open, self.close)
            .expect("open differs from close")
            .with_days(&self.days)
            .with_freeze(self.freeze.iter().copied())
    }
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![any_case(), transition_case()]
}

/// A window opening right at one of the zone's DST transitions, the wall
/// clock time landing in the gap or the fold.
fn transition_case() -> impl Strategy<Value = Case> {
    let zones = ZONES
        .iter()
        .copied()
        .filter(|z| *z != "UTC" && *z != "Asia/Kolkata");
    (
        proptest::sample::select(zones.collect::<Vec<_>>()),
        2015..2031i16,
        0..2usize,
        0..4i64,
        1..8u8,
    )
        .prop_map(|(zone, year, nth, quarters, hours)| {
            let tz = TimeZone::get(zone).unwrap();
            let start = Date::new(year, 1, 1).unwrap().to_zoned(tz.clone()).unwrap();
            let transition = tz
                .following(start.timestamp())
                .nth(nth)
                // Zones that dropped DST (Sao Paulo in 2019) use their last ones.
                .or_else(|| tz.preceding(start.timestamp()).nth(nth))
                .expect("a zone that had DST")
                .timestamp();
            let just_before = tz.to_datetime(transition - SignedDuration::from_secs(1));
            let open = just_before.time() + SignedDuration::from_secs(1 + quarters * QUARTER);
            let close = open + SignedDuration::from_hours(i64::from(hours));
            Case {
                zone,
                open: on_minute(open),
                close: on_minute(close),
                days: Vec::new(),
                freeze: Vec::new(),
                after: transition - SignedDuration::from_hours(12),
            }
        })
}

fn any_case() -> impl Strategy<Value = Case> {
    proptest::sample::select(ZONES).prop_flat_map(|zone| {
        (
            quarter_time(),
            quarter_time(),
            proptest::collection::vec(any::<bool>(), 7),
            proptest::collection::vec(0..21i64, 0..6),
            instant(zone),
        )
            .prop_filter("open differs from close", |(o, c, ..)| o != c)
            .prop_map(move |(open, close, days, freeze, after)| {
                let tz = TimeZone::get(zone).unwrap();
                let today = tz.to_datetime(after).date();
                let freeze = freeze.iter().map(|d| shift(today, *d)).collect();
                let days = DAY_NAMES
                    .iter()
                    .zip(days)
                    .filter(|(_, on)| *on)
                    .map(|(d, _)| weekday(d))
                    .collect();
                Case {
                    zone,
                    open: parse_time(&open),
                    close: parse_time(&close),
                    days,
                    freeze,
                    after,
                }
            })
    })
}

fn allowed(case: &Case, date: Date) -> bool {
    (case.days.is_empty() || case.days.contains(&date.weekday())) && !case.freeze.contains(&date)
}

fn parse_time(text: &str) -> Time {
    text.parse().unwrap()
}

/// `time` with seconds and below dropped, as a config's `HH:MM` would say it.
fn on_minute(time: Time) -> Time {
    Time::constant(time.hour(), time.minute(), 0, 0)
}

/// The window by wall clock alone, ignoring DST: right whenever no
/// transition is near.
fn open_by_wall_clock(case: &Case, local: DateTime) -> bool {
    let (open, close) = (case.open, case.close);
    let (date, time) = (local.date(), local.time());
    if open < close {
        allowed(case, date) && open <= time && time < close
    } else {
        (allowed(case, date) && time >= open) || (allowed(case, shift(date, -1)) && time < close)
    }
}

fn near_transition(tz: &TimeZone, at: Timestamp) -> bool {
    let margin = SignedDuration::from_hours(30);
    let close = |t: Timestamp| at.duration_until(t).abs() <= margin;
    tz.following(at)
        .next()
        .is_some_and(|t| close(t.timestamp()))
        || tz
            .preceding(at)
            .next()
            .is_some_and(|t| close(t.timestamp()))
}

fn ceil_quarter(at: Timestamp) -> Timestamp {
    let s = at.as_second();
    Timestamp::from_second(s + (QUARTER - s.rem_euclid(QUARTER)) % QUARTER).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn next_opening_is_the_first_opening_edge_after(case in case()) {
        let w = case.window();
        let tz = TimeZone::get(case.zone).unwrap();
        let after = case.after;
        let opening = w.next_opening(after).expect("opens within the horizon");

        prop_assert!(opening >= after);
        prop_assert!(w.is_open(opening));
        prop_assert!(!w.is_open(opening - SignedDuration::from_secs(1)), "an edge, not mid-window");

        let local = tz.to_datetime(opening);
        prop_assert!(allowed(&case, local.date()), "opened on {}", local.date());
        // The wall-clock time is `open`, or `open` pushed past a DST gap.
        let open = case.open;
        let wanted = DateTime::from_parts(local.date(), open);
        let ambiguous = tz.to_ambiguous_timestamp(wanted);
        match ambiguous.offset() {
            AmbiguousOffset::Gap { .. } => {
                prop_assert_eq!(Some(opening), ambiguous.compatible().ok())
            }
            _ => prop_assert_eq!(local.time(), open),
        }

        // No opening edge between `after` and the answer (scan 10 days at most).
        let limit = opening.min(after + SignedDuration::from_hours(240));
        let mut t = ceil_quarter(after);
        let mut seen_closed = !w.is_open(after);
        while t < limit {
            let open_now = w.is_open(t);
            prop_assert!(!(seen_closed && open_now), "opens at {t} before {opening}");
            seen_closed |= !open_now;
            t += SignedDuration::from_secs(QUARTER);
        }
    }

    #[test]
    fn is_open_agrees_with_the_wall_clock_away_from_transitions(case in case()) {
        let w = case.window();
        let tz = TimeZone::get(case.zone).unwrap();
        prop_assume!(!near_transition(&tz, case.after));
        let local = tz.to_datetime(case.after);
        prop_assert_eq!(w.is_open(case.after), open_by_wall_clock(&case, local));
    }

    #[test]
    fn close_and_next_change_bound_the_current_state(case in case()) {
        let w = case.window();
        let at = case.after;
        let change = w.next_change(at).expect("a change within the horizon");
        prop_assert!(change > at);
        prop_assert_ne!(w.is_open(change), w.is_open(at), "the state flips at {}", change);
        match w.current_close(at) {
            Some(close) => {
                prop_assert!(w.is_open(at));
                prop_assert!(close > at);
                prop_assert!(!w.is_open(close));
                prop_assert!(w.is_open(close - SignedDuration::from_secs(1)));
                prop_assert_eq!(change, close);
            }
            None => prop_assert!(!w.is_open(at)),
        }
    }
}
