//! Bake clocks: after a region's deploy succeeds, its alarms must stay quiet
//! for the bake time before the next wave is promoted. A clock runs per
//! (flow, wave, region) from the moment the cell's last deploy action
//! succeeded, and keeps every transition to ALARM during the bake, also one
//! that has since recovered: a one-minute flap is exactly what a glance at a
//! green dashboard misses.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::alarms::{AlarmState, FleetAlarms};
use super::fleet::{ActionStatus, Cell, Fleet};

/// A bake time for every wave of a flow (`wave` None) or for one wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BakeTime {
    pub flow: String,
    pub wave: Option<String>,
    pub secs: i64,
}

/// The bake times of the fleet: a wave's own wins over its flow's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BakeTimes {
    pub times: Vec<BakeTime>,
}

impl BakeTimes {
    /// Sets a bake time (a V2 rule's `WaitTime` arrives this way too),
    /// replacing one set before for the same flow and wave.
    pub fn set(&mut self, flow: &str, wave: Option<&str>, duration: SignedDuration) {
        self.times
            .retain(|t| !(t.flow == flow && t.wave.as_deref() == wave));
        self.times.push(BakeTime {
            flow: flow.to_string(),
            wave: wave.map(str::to_string),
            secs: duration.as_secs(),
        });
    }

    /// How long a wave of a flow bakes, if it does.
    pub fn of(&self, flow: &str, wave: &str) -> Option<SignedDuration> {
        let wave_own = self
            .times
            .iter()
            .find(|t| t.flow == flow && t.wave.as_deref() == Some(wave));
        let flow_wide = || {
            self.times
                .iter()
                .find(|t| t.flow == flow && t.wave.is_none())
        };
        wave_own
            .or_else(flow_wide)
            .map(|t| SignedDuration::from_secs(t.secs))
    }
}

/// An alarm that went to ALARM during a bake, and when it left ALARM
/// (None while it still is there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flap {
    pub alarm: String,
    pub fired_at: Timestamp,
    pub recovered_at: Option<Timestamp>,
}

/// One region's bake after one wave's deploy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BakeClock {
    pub flow: String,
    pub wave: String,
    pub region: String,
    /// When the cell's last deploy action succeeded.
    pub started_at: Timestamp,
    pub duration_secs: i64,
    pub elapsed_secs: i64,
    pub remaining_secs: i64,
    /// Transitions to ALARM of the region's alarms since the bake started,
    /// up to its end, oldest first.
    pub flaps: Vec<Flap>,
}

impl BakeClock {
    pub fn done(&self) -> bool {
        self.remaining_secs == 0
    }
}

/// When the deploy of a cell finished: every deploy action succeeded, the
/// last one at this time. None for a cell with no deploy action, or one
/// whose deploy has not succeeded (an approval waiting beside it is no
/// deploy).
pub fn deploy_finished_at(cell: &Cell) -> Option<Timestamp> {
    let deploys: Vec<_> = cell
        .actions
        .iter()
        .filter(|a| a.category == "Deploy")
        .collect();
    if deploys.is_empty() || deploys.iter().any(|a| a.status != ActionStatus::Succeeded) {
        return None;
    }
    deploys.iter().filter_map(|a| a.ended_at).max()
}

/// The bake clock of (flow, wave, region) at `now`, when that wave bakes
/// and its deploy in the region finished.
pub fn bake_clock(
    fleet: &Fleet,
    alarms: &FleetAlarms,
    flow: &str,
    wave: &str,
    region: &str,
    now: Timestamp,
) -> Option<BakeClock> {
    let duration = alarms.watched.bakes.of(flow, wave)?;
    let cell = fleet.flow(flow)?.wave(wave)?.cell(region)?;
    let started_at = deploy_finished_at(cell)?;
    let ends_at = started_at + duration;
    let elapsed = (now.as_second() - started_at.as_second()).clamp(0, duration.as_secs());
    Some(BakeClock {
        flow: flow.to_string(),
        wave: wave.to_string(),
        region: region.to_string(),
        started_at,
        duration_secs: duration.as_secs(),
        elapsed_secs: elapsed,
        remaining_secs: duration.as_secs() - elapsed,
        flaps: flaps(alarms, flow, region, started_at, ends_at.min(now)),
    })
}

/// Every bake clock of the fleet at `now`, in flow, wave, region order.
pub fn bake_clocks(fleet: &Fleet, alarms: &FleetAlarms, now: Timestamp) -> Vec<BakeClock> {
    let mut clocks = Vec::new();
    for flow in &fleet.flows {
        for wave in &flow.waves {
            for cell in &wave.cells {
                clocks.extend(bake_clock(
                    fleet,
                    alarms,
                    &flow.name,
                    &wave.name,
                    &cell.region,
                    now,
                ));
            }
        }
    }
    clocks
}

/// The earliest start of a bake still running in each region: the history
/// to read there, and from when. Regions with no running bake need none.
pub fn history_to_read(
    fleet: &Fleet,
    alarms: &FleetAlarms,
    now: Timestamp,
) -> Vec<(String, Timestamp)> {
    let mut since: Vec<(String, Timestamp)> = Vec::new();
    for clock in bake_clocks(fleet, alarms, now)
        .into_iter()
        .filter(|c| !c.done())
    {
        match since.iter_mut().find(|(r, _)| *r == clock.region) {
            Some((_, at)) => *at = (*at).min(clock.started_at),
            None => since.push((clock.region, clock.started_at)),
        }
    }
    since.sort();
    since
}

/// The flow's alarms in `region` that entered ALARM in `[from, to]`, each
/// with when it left ALARM again, if it did.
fn flaps(
    alarms: &FleetAlarms,
    flow: &str,
    region: &str,
    from: Timestamp,
    to: Timestamp,
) -> Vec<Flap> {
    let ours = |name: &str| alarms.watched.flows_of(region, name).contains(&flow);
    let mut flaps: Vec<Flap> = Vec::new();
    for t in alarms
        .history
        .iter()
        .filter(|t| t.region == region && t.at >= from && ours(&t.alarm))
    {
        let open = flaps
            .iter_mut()
            .find(|f| f.alarm == t.alarm && f.recovered_at.is_none());
        match (t.to, open) {
            (AlarmState::Alarm, None) if t.at <= to => flaps.push(Flap {
                alarm: t.alarm.clone(),
                fired_at: t.at,
                recovered_at: None,
            }),
            (AlarmState::Ok | AlarmState::InsufficientData, Some(flap)) => {
                flap.recovered_at = Some(t.at);
            }
            _ => {}
        }
    }
    // An alarm already in ALARM when the bake started fired before it, but
    // it is in ALARM during the bake all the same.
    for alarm in alarms.of(flow, region) {
        let since = alarm.since.unwrap_or(from);
        if alarm.state == AlarmState::Alarm
            && since <= to
            && !flaps
                .iter()
                .any(|f| f.alarm == alarm.name && f.recovered_at.is_none())
        {
            flaps.push(Flap {
                alarm: alarm.name.clone(),
                fired_at: since.max(from),
                recovered_at: None,
            });
        }
    }
    flaps.sort_by(|a, b| (a.fired_at, &a.alarm).cmp(&(b.fired_at, &b.alarm)));
    flaps
}
