//! Off-hours windows as a user writes them: every malformed field of a
//! `[windows.<region>]` table, loaded from a file on disk the way the
//! program loads it, is reported at the file, line and column of the value.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::path::PathBuf;

use wavetop::config::{ConfigError, load};

/// A config with one window; each field can be replaced by a case.
struct WindowFile {
    time_zone: &'static str,
    open: &'static str,
    close: &'static str,
    days: String,
    freeze: String,
}

impl Default for WindowFile {
    fn default() -> Self {
        WindowFile {
            time_zone: "\"Europe/Dublin\"",
            open: "\"22:00\"",
            close: "\"05:00\"",
            days: "[\"mon\", \"tue\", \"wed\"]".to_string(),
            freeze: "[\"2026-12-24\", \"2026-12-31\", \"2027-01-01\"]".to_string(),
        }
    }
}

impl WindowFile {
    fn text(&self) -> String {
        format!(
            "read_only = true\n\n[windows.eu-west-1]\ntime_zone = {}\nopen = {}\nclose = {}\ndays = {}\nfreeze = {}\n",
            self.time_zone, self.open, self.close, self.days, self.freeze
        )
    }
}

/// Writes `text` to a file of its own and loads it as `--config` would.
fn load_error(name: &str, text: &str) -> (String, ConfigError) {
    let dir = std::env::temp_dir().join(format!("wavetop-windows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let err = load(Some(&path)).expect_err(name);
    std::fs::remove_file(&path).ok();
    assert_eq!(err.exit_code(), 2, "{name}");
    (path.display().to_string(), err)
}

/// Line and 1-based character column of `needle` on the line starting with
/// `line_start`.
fn position(text: &str, line_start: &str, needle: &str) -> (usize, usize) {
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, line)| line.starts_with(line_start))
        .unwrap_or_else(|| panic!("no line starts with {line_start:?}"));
    let byte = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not on {line:?}"));
    (index + 1, line[..byte].chars().count() + 1)
}

/// Loads `file` and checks the error names the file, points at `needle` on
/// the line starting with `line_start`, and says `message`.
fn assert_points_at(name: &str, file: &WindowFile, line_start: &str, needle: &str, message: &str) {
    let text = file.text();
    let (path, err) = load_error(name, &text);
    let (line, column) = position(&text, line_start, needle);
    assert_eq!(
        (err.line(), err.column()),
        (Some(line), Some(column)),
        "{name}: {err}"
    );
    let headline = err.headline();
    let located = format!("{path}:{line}:{column}: ");
    assert!(headline.starts_with(&located), "{name}: {headline}");
    assert!(headline.contains(message), "{name}: {headline}");
}

#[test]
fn a_well_formed_window_loads() {
    let dir = std::env::temp_dir().join(format!("wavetop-windows-ok-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, WindowFile::default().text()).unwrap();
    let loaded = load(Some(&path)).unwrap();
    std::fs::remove_file(&path).ok();
    assert!(loaded.windows.has_window("eu-west-1"));
    assert_eq!(
        loaded.windows.time_zone("eu-west-1").as_deref(),
        Some("Europe/Dublin")
    );
    // Thursday 2026-12-24 is frozen; Wednesday 23:00 GMT is inside the window.
    let wednesday_night = "2026-12-23T23:00:00Z".parse().unwrap();
    assert!(loaded.windows.is_open("eu-west-1", wednesday_night));
}

#[test]
fn an_unknown_time_zone_points_at_it() {
    let file = WindowFile {
        time_zone: "\"Europe/Dublinn\"",
        ..WindowFile::default()
    };
    assert_points_at(
        "zone",
        &file,
        "time_zone",
        "\"Europe/Dublinn\"",
        "unknown time zone \"Europe/Dublinn\" in [windows.eu-west-1]",
    );
}

#[test]
fn a_malformed_open_or_close_points_at_it() {
    for (bad, text) in [
        ("24:00", "\"24:00\""),
        ("9:00", "\"9:00\""),
        ("22.00", "\"22.00\""),
    ] {
        let file = WindowFile {
            open: text,
            ..WindowFile::default()
        };
        let message = format!("invalid time \"{bad}\" for `windows.eu-west-1.open`");
        assert_points_at("open", &file, "open", text, &message);
        let file = WindowFile {
            close: text,
            ..WindowFile::default()
        };
        let message = format!("invalid time \"{bad}\" for `windows.eu-west-1.close`");
        assert_points_at("close", &file, "close", text, &message);
    }
}

#[test]
fn equal_open_and_close_point_at_close() {
    let file = WindowFile {
        open: "\"22:00\"",
        close: "\"22:00\"",
        ..WindowFile::default()
    };
    assert_points_at(
        "equal",
        &file,
        "close",
        "\"22:00\"",
        "window [windows.eu-west-1] opens and closes at the same time \"22:00\"",
    );
}

/// Each way of writing `good` as a TOML array with one item replaced by
/// `bad`, with the replaced index.
fn arrays_with_one_bad(good: &[&str], bad: &str) -> Vec<(usize, String)> {
    (0..good.len())
        .map(|index| {
            let mut items = good.to_vec();
            items[index] = bad;
            (index, format!("[{}]", items.join(", ")))
        })
        .collect()
}

#[test]
fn every_day_position_is_located_and_only_short_lowercase_names_pass() {
    let good = ["\"mon\"", "\"tue\"", "\"wed\""];
    for bad in ["\"thur\"", "\"Monday\"", "\"MON\"", "\" mon \"", "\"\""] {
        let message = format!(
            "unknown day {bad} in `windows.eu-west-1.days` (expected one of: mon, tue, wed, thu, fri, sat, sun)"
        );
        for (index, days) in arrays_with_one_bad(&good, bad) {
            let file = WindowFile {
                days,
                ..WindowFile::default()
            };
            assert_points_at(&format!("day{index}"), &file, "days", bad, &message);
        }
    }
}

#[test]
fn every_freeze_position_is_located() {
    let good = ["\"2026-12-24\"", "\"2026-12-31\"", "\"2027-01-01\""];
    for bad in ["\"2026-02-30\"", "\"24.12.2026\"", "\"2026-1-01\""] {
        let message = format!("invalid date {bad} in `windows.eu-west-1.freeze`");
        for (index, freeze) in arrays_with_one_bad(&good, bad) {
            let file = WindowFile {
                freeze,
                ..WindowFile::default()
            };
            assert_points_at(&format!("freeze{index}"), &file, "freeze", bad, &message);
        }
    }
}

#[test]
fn values_of_the_wrong_type_point_at_the_value() {
    let cases: [(&str, WindowFile, &str, &str, &str); 8] = [
        (
            "zone-number",
            WindowFile {
                time_zone: "5",
                ..WindowFile::default()
            },
            "time_zone",
            "5",
            "invalid type: integer `5`",
        ),
        (
            "open-number",
            WindowFile {
                open: "2200",
                ..WindowFile::default()
            },
            "open",
            "2200",
            "invalid type: integer `2200`",
        ),
        (
            "close-bool",
            WindowFile {
                close: "true",
                ..WindowFile::default()
            },
            "close",
            "true",
            "invalid type: boolean `true`",
        ),
        (
            "days-string",
            WindowFile {
                days: "\"mon\"".to_string(),
                ..WindowFile::default()
            },
            "days",
            "\"mon\"",
            "invalid type: string \"mon\"",
        ),
        (
            "day-number",
            WindowFile {
                days: "[\"mon\", 2]".to_string(),
                ..WindowFile::default()
            },
            "days",
            "2",
            "invalid type: integer `2`",
        ),
        (
            "freeze-number",
            WindowFile {
                freeze: "[\"2026-12-24\", 20261231]".to_string(),
                ..WindowFile::default()
            },
            "freeze",
            "20261231",
            "invalid type: integer `20261231`",
        ),
        (
            "freeze-unquoted",
            WindowFile {
                freeze: "[\"2026-12-24\", 2026-12-31]".to_string(),
                ..WindowFile::default()
            },
            "freeze",
            "2026-12-31]",
            "unquoted date or time 2026-12-31",
        ),
        (
            "open-time-unquoted",
            WindowFile {
                open: "22:00:00",
                ..WindowFile::default()
            },
            "open",
            "22:00:00",
            "unquoted date or time 22:00:00",
        ),
    ];
    for (name, file, line_start, needle, message) in cases {
        assert_points_at(name, &file, line_start, needle, message);
    }
}

#[test]
fn a_window_that_is_not_a_table_points_at_it() {
    let text = "[windows]\neu-west-1 = \"22:00-05:00\"\n";
    let (path, err) = load_error("not-a-table", text);
    assert_eq!((err.line(), err.column()), (Some(2), Some(13)), "{err}");
    assert!(
        err.headline()
            .starts_with(&format!("{path}:2:13: invalid type: string")),
        "{err}"
    );
}
