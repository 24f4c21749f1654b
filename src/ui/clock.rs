//! Times as the views print them: in the zone the operator chose (`t`), with
//! the date when they are from before today there.

use jiff::Timestamp;

use crate::core::model::Model;
use crate::core::shown_time::{clock_text, shown_zone};

/// `09:17:57`, or `11-28 09:17:57` for an earlier day.
pub(crate) fn clock(model: &Model, at: Timestamp) -> String {
    clock_text(at, model.now, &shown_zone(model).tz, true)
}

/// [`clock`] with the zone's abbreviation: `09:17:57 UTC`, `01:17:57 PST`.
pub(crate) fn clock_zoned(model: &Model, at: Timestamp) -> String {
    let tz = shown_zone(model).tz;
    let abbreviation = at.to_zoned(tz.clone()).strftime("%Z").to_string();
    format!("{} {abbreviation}", clock_text(at, model.now, &tz, true))
}

/// `at` in the shown zone, in a format that always carries the date
/// (`%m-%d %H:%M`), for lists where every row has one.
pub(crate) fn stamp(model: &Model, at: Timestamp, format: &str) -> String {
    at.to_zoned(shown_zone(model).tz)
        .strftime(format)
        .to_string()
}
