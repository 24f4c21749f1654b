//! The promotion verdict: GO, WAIT or NO-GO for a region's gate, with every
//! reason. It gathers the evidence an operator would otherwise read in
//! several consoles (alarms, the bake, the stage's V2 conditions, the
//! window, health, replication, the waves already promoted) and judges it
//! in one place, so the grid, the approve dialog, approve-at-window and the
//! snapshot can never disagree.
//!
//! Precedence: any NO-GO reason makes NO-GO, else any WAIT reason makes
//! WAIT, else GO. Evidence not read yet (or gone stale) is a WAIT reason:
//! silence is never taken for a GO.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::alarms::AlarmState;
use super::bake::{BakeClock, bake_clock};
use super::fleet::{CellStatus, Fleet, Flow, HealthStatus};
use super::window::Windows;

/// The call, worst last, so that `max` over the reasons is the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    Go,
    Wait,
    NoGo,
}

impl Call {
    /// The word shown beside the glyph, so the call is never told by colour alone.
    pub fn word(self) -> &'static str {
        match self {
            Call::Go => "GO",
            Call::Wait => "WAIT",
            Call::NoGo => "NO-GO",
        }
    }
}

/// What a reason is about, for machines (`snapshot --json`) and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// One of the region's alarms is in ALARM now.
    Alarm,
    /// An alarm fired during the bake, also one that has recovered since.
    AlarmDuringBake,
    /// The bake has time left.
    Bake,
    /// A V2 stage condition's rule failed.
    ConditionFailed,
    /// A V2 stage condition's rule is still evaluating.
    ConditionEvaluating,
    /// The region's off-hours window is closed.
    WindowClosed,
    Unhealthy,
    Drained,
    /// Replication into the region lags over `lag_warning_ms`.
    Lag,
    /// A region an earlier wave promoted to is now unhealthy or alarming.
    PreviousWave,
    /// Evidence never read, or stale.
    Unknown,
}

/// One piece of evidence against promoting now, with the call it makes alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub kind: ReasonKind,
    pub call: Call,
    pub text: String,
}

/// The verdict on one (flow, wave, region) at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub call: Call,
    pub reasons: Vec<Reason>,
}

impl Verdict {
    fn of(reasons: Vec<Reason>) -> Verdict {
        Verdict {
            call: reasons.iter().map(|r| r.call).max().unwrap_or(Call::Go),
            reasons,
        }
    }

    /// The reasons as one line, for an audit record or a refusal.
    pub fn summary(&self) -> String {
        let texts: Vec<&str> = self.reasons.iter().map(|r| r.text.as_str()).collect();
        match texts.is_empty() {
            true => self.call.word().to_string(),
            false => format!("{}: {}", self.call.word(), texts.join("; ")),
        }
    }
}

/// Everything the verdict reads, and nothing more.
#[derive(Debug, Clone, Copy)]
pub struct VerdictCtx<'a> {
    pub fleet: &'a Fleet,
    pub windows: &'a Windows,
    pub now: Timestamp,
    /// Replication lag (ms) over which a region waits.
    pub lag_warning_ms: f64,
    /// Regions with watched alarms whose alarms were never read, or whose
    /// last read is stale: their quiet is unknown, not proven.
    pub unread_alarm_regions: &'a [String],
}

/// A cell judged: a waiting gate, or the next region of a moving wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellVerdict {
    pub flow: String,
    pub wave: String,
    pub region: String,
    /// True for a gate waiting on an operator; false for the next region of
    /// a wave in progress.
    pub gate: bool,
    pub verdict: Verdict,
}

/// The cells of a flow that get a verdict, as (wave index, region, gate):
/// every cell with a waiting gate, and in a wave in progress the first
/// region (in column order) that has not started yet.
pub fn judged_cells(flow: &Flow) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    for (index, wave) in flow.waves.iter().enumerate() {
        let gates = wave.cells.iter().filter(|c| c.pending_approval().is_some());
        out.extend(gates.map(|c| (index, c.region.to_string(), true)));
        // Moving: some region of the wave deploys or waits at its gate now
        // (a stage merely reported in progress may be parked on a hold).
        let moving = wave.cells.iter().any(|c| {
            matches!(
                c.status(),
                CellStatus::InProgress | CellStatus::AwaitingApproval
            )
        });
        if !moving || wave.pre_deploy {
            continue;
        }
        let next = flow.regions.iter().find(|region| {
            wave.cell(region)
                .is_some_and(|c| matches!(c.status(), CellStatus::NotStarted | CellStatus::Held))
        });
        out.extend(next.map(|region| (index, region.clone(), false)));
    }
    out
}

/// Every judged cell of the fleet, in flow, wave, region order.
pub fn fleet_verdicts(ctx: &VerdictCtx) -> Vec<CellVerdict> {
    let mut out = Vec::new();
    for flow in &ctx.fleet.flows {
        for (index, region, gate) in judged_cells(flow) {
            let Some(wave) = flow.waves.get(index) else {
                continue;
            };
            out.push(CellVerdict {
                flow: flow.name.clone(),
                wave: wave.name.clone(),
                region: region.clone(),
                gate,
                verdict: verdict(ctx, flow, index, &region),
            });
        }
    }
    out
}

/// The verdict on promoting `region` in the flow's wave at `wave_index`.
pub fn verdict(ctx: &VerdictCtx, flow: &Flow, wave_index: usize, region: &str) -> Verdict {
    let mut reasons = Vec::new();
    alarm_reasons(ctx, &flow.name, region, &mut reasons);
    bake_reasons(ctx, flow, wave_index, region, &mut reasons);
    condition_reasons(ctx, flow, wave_index, &mut reasons);
    window_reason(ctx, region, &mut reasons);
    health_reasons(ctx, &flow.name, region, &mut reasons);
    lag_reason(ctx, &flow.name, region, &mut reasons);
    previous_wave_reasons(ctx, flow, wave_index, region, &mut reasons);
    Verdict::of(reasons)
}

fn reason(kind: ReasonKind, call: Call, text: String) -> Reason {
    Reason { kind, call, text }
}

fn alarm_reasons(ctx: &VerdictCtx, flow: &str, region: &str, out: &mut Vec<Reason>) {
    let alarms = &ctx.fleet.alarms;
    let watched = alarms
        .watched
        .watches
        .iter()
        .any(|w| w.flow == flow && w.region == region);
    if watched && ctx.unread_alarm_regions.iter().any(|r| r == region) {
        out.push(reason(
            ReasonKind::Unknown,
            Call::Wait,
            format!("alarms in {region} not read yet (or stale)"),
        ));
    }
    for alarm in alarms
        .of(flow, region)
        .filter(|a| a.state == AlarmState::Alarm)
    {
        let since = alarm
            .since
            .map(|t| format!(" since {}", clock(t)))
            .unwrap_or_default();
        out.push(reason(
            ReasonKind::Alarm,
            Call::NoGo,
            format!("{} in ALARM{since}", alarm.name),
        ));
    }
}

/// The bakes a promotion waits on: the cell's own (a gate after its deploy)
/// and those of the nearest earlier wave that deployed (a gate before it).
fn bake_reasons(
    ctx: &VerdictCtx,
    flow: &Flow,
    wave_index: usize,
    region: &str,
    out: &mut Vec<Reason>,
) {
    let mut clocks: Vec<BakeClock> = Vec::new();
    let mut own = |wave: &str, region: &str| {
        clocks.extend(bake_clock(
            ctx.fleet,
            &ctx.fleet.alarms,
            &flow.name,
            wave,
            region,
            ctx.now,
        ))
    };
    if let Some(wave) = flow.waves.get(wave_index) {
        own(&wave.name, region);
    }
    let earlier = flow.waves.get(..wave_index).unwrap_or_default();
    if let Some(previous) = earlier.iter().rev().find(|w| !w.pre_deploy) {
        for cell in &previous.cells {
            own(&previous.name, &cell.region);
        }
    }
    let alarms = &ctx.fleet.alarms;
    let firing = |alarm: &str, region: &str| {
        alarms
            .of(&flow.name, region)
            .any(|a| a.name == alarm && a.state == AlarmState::Alarm)
    };
    for c in &clocks {
        if c.remaining_secs > 0 {
            out.push(reason(
                ReasonKind::Bake,
                Call::Wait,
                format!(
                    "{} bake in {}: {} left of {}",
                    c.wave,
                    c.region,
                    span(c.remaining_secs),
                    span(c.duration_secs)
                ),
            ));
        }
        for f in &c.flaps {
            // An alarm still in ALARM is named by its own reason already.
            if f.recovered_at.is_none() && firing(&f.alarm, &c.region) {
                continue;
            }
            let recovered = f.recovered_at.map_or(String::from(", still firing"), |t| {
                format!(", recovered {}", clock(t))
            });
            out.push(reason(
                ReasonKind::AlarmDuringBake,
                Call::NoGo,
                format!(
                    "{} fired during the {} bake in {} at {}{recovered}",
                    f.alarm,
                    c.wave,
                    c.region,
                    clock(f.fired_at)
                ),
            ));
        }
    }
}

fn condition_reasons(ctx: &VerdictCtx, flow: &Flow, wave_index: usize, out: &mut Vec<Reason>) {
    let Some(conditions) = flow
        .waves
        .get(wave_index)
        .and_then(|w| w.conditions.as_ref())
    else {
        return;
    };
    for e in conditions.evidence(ctx.now) {
        let summary = e
            .summary
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        let (kind, call, state) = match e.failed {
            true => (ReasonKind::ConditionFailed, Call::NoGo, "failed"),
            false => (ReasonKind::ConditionEvaluating, Call::Wait, "evaluating"),
        };
        let left = e
            .time_left_secs
            .map(|s| format!(" ({} left)", span(s)))
            .unwrap_or_default();
        out.push(reason(
            kind,
            call,
            format!(
                "{} rule {} ({}) {state}{left}{summary}",
                e.kind.label(),
                e.rule,
                e.provider
            ),
        ));
    }
}

fn window_reason(ctx: &VerdictCtx, region: &str, out: &mut Vec<Reason>) {
    if !ctx.windows.has_window(region) || ctx.windows.is_open(region, ctx.now) {
        return;
    }
    let text = match ctx.windows.next_opening(region, ctx.now) {
        Some(at) => format!("{region}'s window is closed; opens {}", clock(at)),
        None => format!("{region}'s window is closed and never opens (frozen?)"),
    };
    out.push(reason(ReasonKind::WindowClosed, Call::Wait, text));
}

fn health_reasons(ctx: &VerdictCtx, flow: &str, region: &str, out: &mut Vec<Reason>) {
    let Some(health) = ctx.fleet.health.region_summary_for(flow, region) else {
        return;
    };
    if health.drained {
        out.push(reason(
            ReasonKind::Drained,
            Call::NoGo,
            format!("{region} is drained out of DNS"),
        ));
    }
    match health.status() {
        HealthStatus::Unhealthy => out.push(reason(
            ReasonKind::Unhealthy,
            Call::NoGo,
            format!(
                "{region} unhealthy: {} of {} checks failing",
                health.unhealthy, health.total
            ),
        )),
        HealthStatus::Unknown => out.push(reason(
            ReasonKind::Unknown,
            Call::Wait,
            format!("health of {region} not read yet"),
        )),
        HealthStatus::Healthy => {}
    }
}

/// Lag only waits: replication catches up by itself, and an operator
/// should let it rather than override it.
fn lag_reason(ctx: &VerdictCtx, flow: &str, region: &str, out: &mut Vec<Reason>) {
    let Some(ms) = ctx.fleet.lag_into(flow, region) else {
        return;
    };
    if ms > ctx.lag_warning_ms {
        out.push(reason(
            ReasonKind::Lag,
            Call::Wait,
            format!(
                "replication into {region} lags {:.0} ms (over {:.0})",
                ms, ctx.lag_warning_ms
            ),
        ));
    }
}

/// A region an earlier wave already promoted to that is now unhealthy or
/// alarming: the change being promoted may be what hurts it.
fn previous_wave_reasons(
    ctx: &VerdictCtx,
    flow: &Flow,
    wave_index: usize,
    region: &str,
    out: &mut Vec<Reason>,
) {
    let earlier = flow.waves.get(..wave_index).unwrap_or_default();
    let mut regions: Vec<&str> = earlier
        .iter()
        .filter(|w| !w.pre_deploy)
        .flat_map(|w| w.cells.iter())
        .filter(|c| c.region != region && c.status() != CellStatus::NotApplicable)
        .map(|c| c.region.as_str())
        .collect();
    regions.sort_unstable();
    regions.dedup();
    for other in regions {
        let alarms = &ctx.fleet.alarms;
        if alarms.worst(&flow.name, other) == Some(AlarmState::Alarm) {
            let names: Vec<&str> = alarms
                .of(&flow.name, other)
                .filter(|a| a.state == AlarmState::Alarm)
                .map(|a| a.name.as_str())
                .collect();
            out.push(reason(
                ReasonKind::PreviousWave,
                Call::NoGo,
                format!("{other} (an earlier wave) alarming: {}", names.join(", ")),
            ));
        }
        let unhealthy = ctx
            .fleet
            .health
            .region_summary_for(&flow.name, other)
            .is_some_and(|h| h.status() == HealthStatus::Unhealthy);
        if unhealthy {
            out.push(reason(
                ReasonKind::PreviousWave,
                Call::NoGo,
                format!("{other} (an earlier wave) unhealthy"),
            ));
        }
    }
}

/// A moment as the reasons show it: UTC, to the second.
fn clock(at: Timestamp) -> String {
    at.strftime("%H:%M:%SZ").to_string()
}

/// A span of seconds, coarse: `1h05m`, `12m30s`, `45s`.
fn span(secs: i64) -> String {
    let secs = secs.max(0);
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

#[cfg(test)]
#[path = "verdict_tests.rs"]
mod tests;
