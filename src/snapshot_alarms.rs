//! The snapshot's alarms: per (flow, region) with alarms or a bake, the
//! worst state, each alarm, and the bake clocks of its waves, for
//! `snapshot --json`, and one line each for the text snapshot.

use std::fmt::Write as _;

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::alarms::{Alarm, AlarmState};
use crate::domain::bake::{BakeClock, bake_clocks};
use crate::domain::fleet::Fleet;
use crate::ui::glyphs::fmt_age;

/// One region of one flow.
#[derive(Debug, Serialize)]
pub(crate) struct RegionAlarms<'a> {
    flow: String,
    region: String,
    /// The worst state among its alarms; null when it has none.
    worst: Option<AlarmState>,
    alarms: Vec<&'a Alarm>,
    /// One per wave whose deploy in the region finished and that bakes.
    bakes: Vec<BakeClock>,
}

/// Every (flow, region) with alarms watched or a bake clock, in watch order
/// then clock order.
pub(crate) fn region_alarms(fleet: &Fleet, now: Timestamp) -> Vec<RegionAlarms<'_>> {
    let alarms = &fleet.alarms;
    let mut clocks = bake_clocks(fleet, alarms, now);
    let mut pairs: Vec<(String, String)> = alarms
        .watched
        .watches
        .iter()
        .map(|w| (w.flow.clone(), w.region.clone()))
        .collect();
    pairs.extend(clocks.iter().map(|c| (c.flow.clone(), c.region.clone())));
    let mut seen = Vec::new();
    pairs.retain(|p| {
        let new = !seen.contains(p);
        seen.push(p.clone());
        new
    });
    pairs
        .into_iter()
        .map(|(flow, region)| {
            let (bakes, rest) = clocks
                .drain(..)
                .partition(|c| c.flow == flow && c.region == region);
            clocks = rest;
            RegionAlarms {
                worst: alarms.worst(&flow, &region),
                alarms: alarms
                    .alarms
                    .iter()
                    .filter(|a| a.flow == flow && a.region == region)
                    .collect(),
                bakes,
                flow,
                region,
            }
        })
        .collect()
}

/// The text snapshot's alarm section: a line per (flow, region).
pub(crate) fn text_lines(fleet: &Fleet, now: Timestamp) -> String {
    let mut out = String::new();
    for r in region_alarms(fleet, now) {
        let worst = r.worst.map_or("no alarms read", AlarmState::word);
        let firing: Vec<&str> = r
            .alarms
            .iter()
            .filter(|a| a.state == AlarmState::Alarm)
            .map(|a| a.name.as_str())
            .collect();
        let mut line = format!(
            "  {:<14} {:<16} {worst} ({} alarms)",
            r.flow,
            r.region,
            r.alarms.len()
        );
        if !firing.is_empty() {
            let _ = write!(line, " firing: {}", firing.join(", "));
        }
        for bake in r.bakes.iter().filter(|b| !b.done() || !b.flaps.is_empty()) {
            let state = if bake.done() {
                "baked".to_string()
            } else {
                format!("{} left", fmt_age(bake.remaining_secs))
            };
            let _ = write!(line, " · bake {} {state}", bake.wave);
            for flap in &bake.flaps {
                let _ = write!(
                    line,
                    ", {} fired {}",
                    flap.alarm,
                    flap.fired_at.strftime("%H:%M:%S")
                );
            }
        }
        let _ = writeln!(out, "{line}");
    }
    out
}
