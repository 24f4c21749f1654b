//! `[windows.<region>]` turned into the domain's `Windows`: the values parse
//! as strings, so their meaning is checked here, each error pointing at the
//! offending value. These are the only parsers of window text.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use super::error::ConfigError;
use super::schema::{ConfigFile, WindowConfig};
use super::source_text::{Seg, SourceText};
use crate::domain::window::{Window, Windows};

const DAYS: &[(&str, Weekday)] = &[
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

/// Parses a 24-hour `HH:MM` time, exactly two digits each.
fn parse_hh_mm(text: &str) -> Option<Time> {
    let (hours, minutes) = text.split_once(':')?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return None;
    }
    Time::new(hours.parse().ok()?, minutes.parse().ok()?, 0, 0).ok()
}

/// Parses a day name as written in `days`: `mon` .. `sun`.
fn parse_weekday(text: &str) -> Option<Weekday> {
    DAYS.iter()
        .find(|(name, _)| *name == text)
        .map(|(_, day)| *day)
}

/// Parses a `YYYY-MM-DD` calendar date that exists.
fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
        return None;
    }
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}

/// Builds every window of the config, reporting the first bad value.
pub(crate) fn build(config: &ConfigFile, source: &SourceText) -> Result<Windows, ConfigError> {
    let mut windows = Windows::default();
    for (region, window) in &config.windows {
        windows.insert(region.clone(), window_of(region, window, source)?);
    }
    Ok(windows)
}

fn window_of(
    region: &str,
    window: &WindowConfig,
    source: &SourceText,
) -> Result<Window, ConfigError> {
    let at = |field: &'static str| [Seg::Key("windows"), Seg::Key(region), Seg::Key(field)];
    let zone = TimeZone::get(&window.time_zone).map_err(|_| {
        source
            .error_at_value(
                &at("time_zone"),
                format!(
                    "unknown time zone \"{}\" in [windows.{region}]",
                    window.time_zone
                ),
            )
            .expected("an IANA time zone name such as \"Europe/Lisbon\" or \"America/Sao_Paulo\"")
    })?;
    let time = |field: &'static str, value: &str| {
        parse_hh_mm(value).ok_or_else(|| {
            source
                .error_at_value(
                    &at(field),
                    format!("invalid time \"{value}\" for `windows.{region}.{field}`"),
                )
                .expected("HH:MM on a 24-hour clock, such as \"22:00\"")
        })
    };
    let open = time("open", &window.open)?;
    let close = time("close", &window.close)?;
    let opening = Window::new(zone, open, close).ok_or_else(|| {
        source
            .error_at_value(
                &at("close"),
                format!(
                    "window [windows.{region}] opens and closes at the same time \"{}\"",
                    window.close
                ),
            )
            .expected(
                "a close time different from the open time (earlier than open crosses midnight)",
            )
    })?;
    let item = |field: &'static str, index: usize| {
        [
            Seg::Key("windows"),
            Seg::Key(region),
            Seg::Key(field),
            Seg::Index(index),
        ]
    };
    let mut days = Vec::new();
    for (index, day) in window.days.iter().enumerate() {
        let weekday = parse_weekday(day).ok_or_else(|| {
            let names: Vec<&str> = DAYS.iter().map(|(name, _)| *name).collect();
            source
                .error_at_value(
                    &item("days", index),
                    format!("unknown day \"{day}\" in `windows.{region}.days`"),
                )
                .expected(format!("one of: {}", names.join(", ")))
        })?;
        days.push(weekday);
    }
    let mut freeze = Vec::new();
    for (index, date) in window.freeze.iter().enumerate() {
        let parsed = parse_date(date).ok_or_else(|| {
            source
                .error_at_value(
                    &item("freeze", index),
                    format!("invalid date \"{date}\" in `windows.{region}.freeze`"),
                )
                .expected("an existing date written \"YYYY-MM-DD\", such as \"2026-12-24\"")
        })?;
        freeze.push(parsed);
    }
    Ok(opening.with_days(&days).with_freeze(freeze))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_must_be_two_digit_hours_and_minutes() {
        assert_eq!(parse_hh_mm("22:05"), Some(Time::new(22, 5, 0, 0).unwrap()));
        assert_eq!(parse_hh_mm("00:00"), Some(Time::midnight()));
        for bad in [
            "8:00", "24:00", "12:60", "12:5", "1200", "12:00:00", "ab:cd", "",
        ] {
            assert_eq!(parse_hh_mm(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_three_letter_lowercase_names() {
        assert_eq!(parse_weekday("sun"), Some(Weekday::Sunday));
        assert_eq!(parse_weekday("thu"), Some(Weekday::Thursday));
        assert_eq!(parse_weekday("thur"), None);
        assert_eq!(parse_weekday("Mon"), None);
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(
            parse_date("2028-02-29"),
            Some(Date::new(2028, 2, 29).unwrap())
        );
        for bad in [
            "2027-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026/01/01",
            "2026-01-01x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
