//! Every time the console shows, in one zone: UTC, or the selected region's
//! local time (`t` toggles). A time from before today in that zone carries
//! its date, so an event two days old does not read as this morning's.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::model::Model;
use crate::domain::regions::region_time_zone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShownZone {
    #[default]
    Utc,
    /// The selected region's zone: its off-hours window's, else the zone
    /// of the city it is in.
    RegionLocal,
}

/// The zone times are shown in, and its name for the header.
#[derive(Debug, Clone)]
pub struct Zone {
    pub tz: TimeZone,
    /// `UTC`, or `eu-west-1 (Europe/Dublin)`.
    pub label: String,
}

impl ShownZone {
    pub fn toggled(self) -> ShownZone {
        match self {
            ShownZone::Utc => ShownZone::RegionLocal,
            ShownZone::RegionLocal => ShownZone::Utc,
        }
    }
}

/// The zone of `region`: its window's, else its city's.
pub fn region_zone(model: &Model, region: &str) -> Option<TimeZone> {
    let name = model
        .windows
        .time_zone(region)
        .or_else(|| region_time_zone(region).map(str::to_string))?;
    TimeZone::get(&name).ok()
}

/// The zone the console shows times in now. Local time with no region
/// selected, or a region of unknown zone, falls back to UTC and says so.
pub fn shown_zone(model: &Model) -> Zone {
    let utc = |label: &str| Zone {
        tz: TimeZone::UTC,
        label: label.to_string(),
    };
    if model.times == ShownZone::Utc {
        return utc("UTC");
    }
    let Some(region) = model.selected_region() else {
        return utc("UTC (no region selected)");
    };
    match region_zone(model, region) {
        Some(tz) => {
            let name = tz.iana_name().unwrap_or("local").to_string();
            Zone {
                tz,
                label: format!("{region} ({name})"),
            }
        }
        None => utc(&format!("UTC ({region}: zone unknown)")),
    }
}

/// `09:17:57` today, `11-28 09:17:57` earlier this year, `2025-11-28 09:17`
/// before that; `seconds` false drops them (`09:17`, `11-28 09:17`).
pub fn clock_text(at: Timestamp, now: Timestamp, zone: &TimeZone, seconds: bool) -> String {
    let at = at.to_zoned(zone.clone());
    let today = now.to_zoned(zone.clone()).date();
    let time = if seconds { "%H:%M:%S" } else { "%H:%M" };
    let format = if at.date() == today {
        time.to_string()
    } else if at.year() == today.year() {
        format!("%m-%d {time}")
    } else {
        "%Y-%m-%d %H:%M".to_string()
    };
    at.strftime(&format).to_string()
}

/// [`clock_text`] in the zone the console shows.
pub fn shown_clock(model: &Model, at: Timestamp, seconds: bool) -> String {
    clock_text(at, model.now, &shown_zone(model).tz, seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_time_before_today_carries_its_date() {
        let now = ts("2026-11-30T12:00:00Z");
        let utc = TimeZone::UTC;
        assert_eq!(
            clock_text(ts("2026-11-30T09:17:57Z"), now, &utc, true),
            "09:17:57"
        );
        assert_eq!(
            clock_text(ts("2026-11-28T09:17:57Z"), now, &utc, true),
            "11-28 09:17:57"
        );
        assert_eq!(
            clock_text(ts("2026-11-28T09:17:57Z"), now, &utc, false),
            "11-28 09:17"
        );
        assert_eq!(
            clock_text(ts("2025-12-31T23:00:00Z"), now, &utc, true),
            "2025-12-31 23:00"
        );
    }

    #[test]
    fn today_is_the_shown_zones_today() {
        // 01:30 UTC on the 30th is still the 29th in Los Angeles, where it
        // is now 04:00 on the 30th: the time carries its date there only.
        let now = ts("2026-11-30T12:00:00Z");
        let la = TimeZone::get("America/Los_Angeles").unwrap();
        let at = ts("2026-11-30T01:30:00Z");
        assert_eq!(clock_text(at, now, &TimeZone::UTC, true), "01:30:00");
        assert_eq!(clock_text(at, now, &la, true), "11-29 17:30:00");
    }
}
