//! The simulated fleet's CloudWatch alarms. Each watched (flow, region)
//! has a metric alarm on its error rate and a composite alarm over it; one
//! region's canary alarm lacks data. In one region of the first flow the
//! error-rate alarm fires a few minutes into every bake and recovers a
//! minute later: the flap a glance at a green dashboard misses. States and
//! history follow from the cells' deploy times alone, so they are the same
//! under the same seed at the same `--at`.

use jiff::{SignedDuration, Timestamp};

use super::fleet_size::FleetSize;
use super::world::SimWorld;
use crate::domain::alarms::{
    Alarm, AlarmKind, AlarmSelector, AlarmState, AlarmTransition, AlarmWatch, AlarmWatches,
};
use crate::domain::bake::{BakeTimes, deploy_finished_at};
use crate::domain::fleet::{Flow, FlowKind};

/// Every simulated flow bakes this long after a region's deploy.
pub const BAKE: SignedDuration = SignedDuration::from_mins(30);
/// How far into a bake the flapping alarm fires, and how long it stays in ALARM.
pub const FLAP_AFTER: SignedDuration = SignedDuration::from_mins(4);
pub const FLAP_FOR: SignedDuration = SignedDuration::from_mins(1);
/// The large fleet watches only its first few flows: enough to see alarms
/// at scale without deriving hundreds of grids at every alarm poll.
const LARGE_FLEET_FLOWS: usize = 4;
const ACCOUNT: &str = "default";

/// The error-rate alarm of a (flow, region): the one that flaps.
pub fn error_alarm(flow: &str, region: &str) -> String {
    format!("{flow}-{region}-5xx")
}

fn composite_alarm(flow: &str, region: &str) -> String {
    format!("{flow}-{region}-health")
}

fn canary_alarm(flow: &str, region: &str) -> String {
    format!("{flow}-{region}-canary")
}

impl SimWorld {
    /// The flows with alarms: those deployed by pipelines (a hand-deployed
    /// stack has no bake), every one in the demo, the first few at scale.
    fn alarm_flows(&self) -> Vec<Flow> {
        let limit = match self.fleet {
            FleetSize::Demo => usize::MAX,
            FleetSize::Large => LARGE_FLEET_FLOWS,
        };
        self.flows
            .iter()
            .filter(|f| f.kind != FlowKind::Unmanaged)
            .take(limit)
            .filter_map(|f| self.flow(&f.name))
            .collect()
    }

    /// What discovery says is watched: each alarm flow's regions by name
    /// prefix, and a 30-minute bake per flow.
    pub fn alarm_watches(&self) -> AlarmWatches {
        let mut watched = AlarmWatches {
            watches: Vec::new(),
            bakes: BakeTimes::default(),
        };
        for flow in self.alarm_flows() {
            watched.bakes.set(&flow.name, None, BAKE);
            for region in &flow.regions {
                watched.watches.push(AlarmWatch {
                    flow: flow.name.clone(),
                    region: region.clone(),
                    account: ACCOUNT.to_string(),
                    selectors: vec![AlarmSelector::Prefix(format!("{}-{region}-", flow.name))],
                });
            }
        }
        watched
    }

    /// The state of every alarm of `region`, now.
    pub fn alarms_in(&self, region: &str) -> Vec<Alarm> {
        let mut alarms = Vec::new();
        for (index, flow) in self.alarm_flows().iter().enumerate() {
            if !flow.regions.iter().any(|r| r == region) {
                continue;
            }
            let flaps = flap_times(flow, region, index == 0, self.now);
            let firing = flaps
                .iter()
                .any(|(on, off)| *on <= self.now && self.now < *off);
            // The last state change before now: a flap's start or its end.
            let since = flaps
                .iter()
                .flat_map(|(on, off)| [*on, *off])
                .filter(|t| *t <= self.now)
                .max();
            let (state, reason) = if firing {
                (
                    AlarmState::Alarm,
                    "Threshold Crossed: 1 datapoint [7.4 (5xx %)] was greater than the threshold (5.0)",
                )
            } else {
                (
                    AlarmState::Ok,
                    "Threshold Crossed: 3 datapoints were not greater than the threshold (5.0)",
                )
            };
            let alarm = |name: String, kind: AlarmKind, state: AlarmState, reason: &str| Alarm {
                name,
                flow: flow.name.clone(),
                region: region.to_string(),
                kind,
                state,
                reason: reason.to_string(),
                since,
            };
            alarms.push(alarm(
                error_alarm(&flow.name, region),
                AlarmKind::Metric,
                state,
                reason,
            ));
            alarms.push(alarm(
                composite_alarm(&flow.name, region),
                AlarmKind::Composite,
                state,
                "composite of the error-rate and latency alarms",
            ));
            if flow.regions.last().is_some_and(|r| r == region) {
                alarms.push(Alarm {
                    since: None,
                    ..alarm(
                        canary_alarm(&flow.name, region),
                        AlarmKind::Metric,
                        AlarmState::InsufficientData,
                        "Insufficient Data: 0 datapoints were received for 1 period",
                    )
                });
            }
        }
        alarms
    }

    /// The state changes of `region`'s alarms from `since` to now.
    pub fn alarm_history(&self, region: &str, since: Timestamp) -> Vec<AlarmTransition> {
        let mut transitions = Vec::new();
        for (index, flow) in self.alarm_flows().iter().enumerate() {
            for (on, off) in flap_times(flow, region, index == 0, self.now) {
                for name in [
                    error_alarm(&flow.name, region),
                    composite_alarm(&flow.name, region),
                ] {
                    let change =
                        |at: Timestamp, from: AlarmState, to: AlarmState| AlarmTransition {
                            alarm: name.clone(),
                            region: region.to_string(),
                            at,
                            from: Some(from),
                            to,
                        };
                    transitions.push(change(on, AlarmState::Ok, AlarmState::Alarm));
                    transitions.push(change(off, AlarmState::Alarm, AlarmState::Ok));
                }
            }
        }
        transitions.retain(|t| t.at >= since && t.at <= self.now);
        transitions.sort_by(|a, b| (a.at, &a.alarm).cmp(&(b.at, &b.alarm)));
        transitions
    }
}

/// The region that flaps: the first alarm flow's second region (its only
/// one, if it has one).
pub fn flapping_region(flow: &Flow) -> Option<&str> {
    flow.regions
        .get(1)
        .or(flow.regions.first())
        .map(String::as_str)
}

/// When the flapping alarm fired and recovered in each bake of `region`
/// that reached its flap by `now`; none but in the first flow's flapping
/// region.
fn flap_times(
    flow: &Flow,
    region: &str,
    first_flow: bool,
    now: Timestamp,
) -> Vec<(Timestamp, Timestamp)> {
    if !first_flow || flapping_region(flow) != Some(region) {
        return Vec::new();
    }
    flow.waves
        .iter()
        .filter_map(|w| w.cell(region))
        .filter_map(deploy_finished_at)
        .map(|done| (done + FLAP_AFTER, done + FLAP_AFTER + FLAP_FOR))
        .filter(|(on, _)| *on <= now)
        .collect()
}
