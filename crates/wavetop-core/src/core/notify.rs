//! Notifications: what the operator should hear about while looking
//! elsewhere (a gate starts waiting, a region fails or rolls back, a source
//! goes stale, a verdict turns NO-GO), found as transitions between one
//! evaluation of the model and the next, and coalesced per flow.
//!
//! Rules, each tested in `notify_tests`:
//! - A notable thing notifies when it appears, not while it lasts: the set
//!   seen at the last evaluation is remembered, and only what is new in the
//!   current set counts.
//! - Nothing that was already so when its source was first read notifies: a
//!   gate waiting when the console starts, a stack already rolled back. A
//!   notable thing counts only if every source it comes from had answered
//!   before this evaluation.
//! - At most one notification per flow per [`COALESCE_SECS`]: what turns up
//!   within the minute waits, and goes out as one notification when the
//!   minute is over, if it is still so then.
//! - None for the flow the operator is looking at: the flow selected in the
//!   grid, the cell detail or the executions view, while the terminal has
//!   focus (assumed when the terminal never says).

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use super::model::{Model, View};
use super::msg::Effect;
use super::verdicts::flow_verdicts;
use crate::domain::fleet::{CellStatus, ExecutionStatus, Flow};
use crate::domain::verdict::Call;
use crate::protocol::PollKey;

/// At most one notification per flow within this many seconds.
pub const COALESCE_SECS: i64 = 60;

/// How many notable things a notification names before "and N more".
const NAMED_IN_BODY: usize = 3;

/// What notifies, most urgent first (the order a notification's kind is chosen by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotifyKind {
    Failed,
    RolledBack,
    NoGo,
    GateWaiting,
    Stale,
}

impl NotifyKind {
    pub const ALL: [NotifyKind; 5] = [
        NotifyKind::GateWaiting,
        NotifyKind::Failed,
        NotifyKind::RolledBack,
        NotifyKind::Stale,
        NotifyKind::NoGo,
    ];

    /// The name `[notify] events` uses.
    pub fn name(self) -> &'static str {
        match self {
            NotifyKind::GateWaiting => "gate-waiting",
            NotifyKind::Failed => "failed",
            NotifyKind::RolledBack => "rolled-back",
            NotifyKind::Stale => "stale",
            NotifyKind::NoGo => "no-go",
        }
    }

    pub fn from_name(name: &str) -> Option<NotifyKind> {
        NotifyKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// How a notification's body says it.
    fn phrase(self) -> &'static str {
        match self {
            NotifyKind::GateWaiting => "gate waiting",
            NotifyKind::Failed => "failed",
            NotifyKind::RolledBack => "rolling back",
            NotifyKind::Stale => "stale",
            NotifyKind::NoGo => "NO-GO",
        }
    }
}

/// Which desktop notification escape sequence the terminal is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desktop {
    Off,
    /// `ESC ] 9 ; text BEL` (iTerm2, WezTerm, Windows Terminal, kitty).
    Osc9,
    /// `ESC ] 777 ; notify ; title ; body BEL` (foot, urxvt, Ghostty).
    Osc777,
}

/// `[notify]`, as the core needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    pub events: BTreeSet<NotifyKind>,
    pub bell: bool,
    pub desktop: Desktop,
}

impl NotifySettings {
    /// Nothing notifies (a model built without configuration, as in tests).
    pub fn off() -> Self {
        Self {
            events: BTreeSet::new(),
            bell: false,
            desktop: Desktop::Off,
        }
    }

    /// What a config without `[notify]` gets: the bell and OSC 9 for gates,
    /// failures, rollbacks and NO-GO verdicts. Stale sources are left out:
    /// a network blip would ring every laptop in the room.
    pub fn defaults() -> Self {
        Self {
            events: [
                NotifyKind::GateWaiting,
                NotifyKind::Failed,
                NotifyKind::RolledBack,
                NotifyKind::NoGo,
            ]
            .into_iter()
            .collect(),
            bell: true,
            desktop: Desktop::Osc9,
        }
    }

    fn is_on(&self) -> bool {
        !self.events.is_empty() && (self.bell || self.desktop != Desktop::Off)
    }
}

/// One notification for the runtime to write to the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The flow it is about; empty for a source no flow owns.
    pub flow: String,
    /// The most urgent kind among what it tells.
    pub kind: NotifyKind,
    pub title: String,
    pub body: String,
    pub bell: bool,
    pub desktop: Desktop,
}

/// One thing that may notify: `subject` names it within its flow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Notable {
    flow: String,
    kind: NotifyKind,
    subject: String,
}

/// What the model keeps between evaluations.
#[derive(Debug, Clone)]
pub struct NotifyState {
    pub settings: NotifySettings,
    /// Whether the terminal has focus, as its focus reports say; true until
    /// one says otherwise.
    pub focused: bool,
    /// The notable things of each flow's pipelines, as last read.
    seen_flows: BTreeMap<String, BTreeSet<Notable>>,
    /// The notable stacks and stale sources, as last read.
    seen_fleet: BTreeSet<Notable>,
    /// The sources that had answered at the last evaluation.
    read_before: BTreeSet<PollKey>,
    /// What turned up within a flow's minute, waiting for it to end.
    pending: BTreeMap<String, BTreeSet<Notable>>,
    /// When each flow was last notified.
    last_sent: BTreeMap<String, Timestamp>,
    /// When the whole fleet was last read for notable changes, and whether
    /// an answer has changed it since (see [`paced_scope`]).
    last_fleet_read: Option<Timestamp>,
    fleet_changed: bool,
}

impl NotifyState {
    pub fn new(settings: NotifySettings) -> Self {
        Self {
            settings,
            focused: true,
            seen_flows: BTreeMap::new(),
            seen_fleet: BTreeSet::new(),
            read_before: BTreeSet::new(),
            pending: BTreeMap::new(),
            last_sent: BTreeMap::new(),
            last_fleet_read: None,
            fleet_changed: false,
        }
    }
}

/// What an evaluation reads again: finding the notable things of a whole
/// fleet costs milliseconds at hundreds of pipelines, so a flow's answer
/// reads that flow alone, and most clock ticks read nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every flow, the stacks and the freshness of every source.
    All,
    /// One flow's own cells, executions and verdicts.
    Flow(String),
    /// Nothing: only what waits for its minute, or for the operator to look away.
    Nothing,
}

/// Compares the model with the last evaluation and returns the
/// notifications due now.
pub fn notifications_due(model: &mut Model, scope: Scope) -> Vec<Effect> {
    if !model.notify.settings.is_on() {
        return Vec::new();
    }
    let now = model.now;
    let mut fresh: Vec<Notable> = Vec::new();
    let mut remember = |seen: &mut BTreeSet<Notable>, found: Vec<(Notable, Vec<PollKey>)>| {
        let read_before = &model.notify.read_before;
        fresh.extend(
            found
                .iter()
                .filter(|(notable, _)| !seen.contains(notable))
                .filter(|(_, sources)| sources.iter().all(|s| read_before.contains(s)))
                .map(|(notable, _)| notable.clone()),
        );
        *seen = found.into_iter().map(|(n, _)| n).collect();
    };
    let mut seen_flows = std::mem::take(&mut model.notify.seen_flows);
    let mut seen_fleet = std::mem::take(&mut model.notify.seen_fleet);
    match &scope {
        Scope::All => {
            seen_flows.retain(|name, _| model.fleet.flow(name).is_some());
            for flow in &model.fleet.flows {
                let seen = seen_flows.entry(flow.name.clone()).or_default();
                remember(seen, flow_notables(model, flow));
            }
            remember(&mut seen_fleet, fleet_notables(model));
        }
        Scope::Flow(name) => match model.fleet.flow(name) {
            Some(flow) => {
                let seen = seen_flows.entry(name.clone()).or_default();
                remember(seen, flow_notables(model, flow));
            }
            None => {
                seen_flows.remove(name);
            }
        },
        Scope::Nothing => {}
    }
    let is_current = |n: &Notable| {
        seen_fleet.contains(n) || seen_flows.get(&n.flow).is_some_and(|s| s.contains(n))
    };
    let looking_at = looked_at_flow(model);
    let read_now = match &scope {
        Scope::Nothing => None,
        _ => Some(
            model
                .poll
                .keys()
                .filter(|(_, state)| state.last_ok.is_some())
                .map(|(key, _)| key.clone())
                .collect(),
        ),
    };

    let state = &mut model.notify;
    for notable in fresh {
        state
            .pending
            .entry(notable.flow.clone())
            .or_default()
            .insert(notable);
    }
    state.pending.retain(|flow, waiting| {
        // What the operator sees, or what is no longer so, is not told.
        waiting.retain(&is_current);
        if looking_at.as_deref() == Some(flow.as_str()) {
            waiting.clear();
        }
        !waiting.is_empty()
    });
    let due: Vec<String> = state
        .pending
        .keys()
        .filter(|flow| minute_over(state, flow, now))
        .cloned()
        .collect();
    let mut effects = Vec::new();
    for flow in due {
        let Some(waiting) = state.pending.remove(&flow) else {
            continue;
        };
        if let Some(notification) = compose(&flow, &waiting, &state.settings) {
            state.last_sent.insert(flow, now);
            effects.push(Effect::Notify(notification));
        }
    }
    state.seen_flows = seen_flows;
    state.seen_fleet = seen_fleet;
    if let Some(read_now) = read_now {
        state.read_before = read_now;
    }
    effects
}

/// Whether something waits for a flow whose minute is over: a clock tick
/// then needs an evaluation, even one that reads nothing again.
/// The shortest time between two reads of the whole fleet for notable
/// changes: on a large fleet a read costs milliseconds, and answers other
/// than a pipeline's (stacks, health, alarms, replication) come every second.
const FLEET_READ_SECS: i64 = 5;

/// `scope` paced: a whole-fleet read within [`FLEET_READ_SECS`] of the last
/// one is put off (only what waits for its minute is looked at), and done
/// with the first message after that time; a flow's own read is never put off.
pub fn paced_scope(state: &mut NotifyState, scope: Option<Scope>, now: Timestamp) -> Option<Scope> {
    let recent = state
        .last_fleet_read
        .is_some_and(|at| now.as_second() - at.as_second() < FLEET_READ_SECS);
    let wants_fleet = matches!(scope, Some(Scope::All)) || state.fleet_changed;
    match (wants_fleet, recent) {
        (true, false) => {
            state.last_fleet_read = Some(now);
            state.fleet_changed = false;
            Some(Scope::All)
        }
        (true, true) if matches!(scope, Some(Scope::All)) => {
            state.fleet_changed = true;
            Some(Scope::Nothing)
        }
        _ => scope,
    }
}

pub fn pending_due(model: &Model) -> bool {
    let state = &model.notify;
    state
        .pending
        .keys()
        .any(|flow| minute_over(state, flow, model.now))
}

fn minute_over(state: &NotifyState, flow: &str, now: Timestamp) -> bool {
    state
        .last_sent
        .get(flow)
        .is_none_or(|at| now.as_second() - at.as_second() >= COALESCE_SECS)
}

/// The flow the operator has in front of them, if the terminal has focus.
fn looked_at_flow(model: &Model) -> Option<String> {
    if !model.notify.focused {
        return None;
    }
    if !matches!(model.view, View::Grid | View::CellDetail | View::Executions) {
        return None;
    }
    model.selected_flow().map(|f| f.name.clone())
}

/// One notification telling everything in `waiting`, most urgent first.
fn compose(
    flow: &str,
    waiting: &BTreeSet<Notable>,
    settings: &NotifySettings,
) -> Option<Notification> {
    let mut ordered: Vec<&Notable> = waiting.iter().collect();
    ordered.sort_by(|a, b| (a.kind, &a.subject).cmp(&(b.kind, &b.subject)));
    let kind = ordered.first()?.kind;
    let mut parts: Vec<String> = ordered
        .iter()
        .take(NAMED_IN_BODY)
        .map(|n| format!("{}: {}", n.kind.phrase(), n.subject))
        .collect();
    if ordered.len() > NAMED_IN_BODY {
        parts.push(format!("and {} more", ordered.len() - NAMED_IN_BODY));
    }
    let title = if flow.is_empty() {
        "wavetop".to_string()
    } else {
        format!("wavetop: {flow}")
    };
    Some(Notification {
        flow: flow.to_string(),
        kind,
        title,
        body: parts.join("; "),
        bell: settings.bell,
        desktop: settings.desktop,
    })
}

/// The notable things of one flow's pipelines now, of the kinds
/// configured, each with the sources whose answers it comes from.
fn flow_notables(model: &Model, flow: &Flow) -> Vec<(Notable, Vec<PollKey>)> {
    let events = &model.notify.settings.events;
    let mut found = Found::new(events);
    let source = || {
        vec![PollKey::Flow {
            flow: flow.name.clone(),
        }]
    };
    for wave in &flow.waves {
        for cell in &wave.cells {
            let kind = match cell.status() {
                CellStatus::AwaitingApproval => NotifyKind::GateWaiting,
                CellStatus::Failed => NotifyKind::Failed,
                _ => continue,
            };
            let subject = || format!("{} {}", wave.name, cell.region);
            found.add(&flow.name, kind, subject, source);
        }
    }
    for execution in &flow.executions {
        if execution.rollback.is_some() && execution.status == ExecutionStatus::InProgress {
            let subject = || format!("execution {}", execution.id);
            found.add(&flow.name, NotifyKind::RolledBack, subject, source);
        }
    }
    if events.contains(&NotifyKind::NoGo) {
        for (wave, region, verdict) in flow_verdicts(model, flow) {
            if verdict.call != Call::NoGo {
                continue;
            }
            let name = flow.waves.get(wave).map_or("", |w| w.name.as_str());
            let alarms = PollKey::Alarms {
                region: region.clone(),
            };
            let sources = || {
                let mut sources = source();
                if model.poll.state(&alarms).is_some() {
                    sources.push(alarms.clone());
                }
                sources
            };
            let subject = || format!("{name} {region}");
            found.add(&flow.name, NotifyKind::NoGo, subject, sources);
        }
    }
    found.0
}

/// The notable stacks and stale sources now, of the kinds configured.
fn fleet_notables(model: &Model) -> Vec<(Notable, Vec<PollKey>)> {
    let events = &model.notify.settings.events;
    let mut found = Found::new(events);
    for stack in &model.fleet.stacks {
        let kind = if stack.status.is_rollback() {
            NotifyKind::RolledBack
        } else if stack.status.is_failed() {
            NotifyKind::Failed
        } else {
            continue;
        };
        let subject = || format!("{} {}", stack.region, stack.name);
        let source = || {
            vec![PollKey::Stacks {
                region: stack.region.to_string(),
            }]
        };
        found.add(&stack.flow, kind, subject, source);
    }
    if events.contains(&NotifyKind::Stale) {
        for key in model.poll.stale_keys(model.now) {
            let flow = match key {
                PollKey::Flow { flow } | PollKey::Revisions { flow } => flow.as_str(),
                _ => "",
            };
            found.add(
                flow,
                NotifyKind::Stale,
                || key.label(),
                || vec![key.clone()],
            );
        }
    }
    found.0
}

/// Notable things gathered, each built only when its kind is configured.
struct Found<'a>(Vec<(Notable, Vec<PollKey>)>, &'a BTreeSet<NotifyKind>);

impl<'a> Found<'a> {
    fn new(events: &'a BTreeSet<NotifyKind>) -> Self {
        Found(Vec::new(), events)
    }

    fn add(
        &mut self,
        flow: &str,
        kind: NotifyKind,
        subject: impl FnOnce() -> String,
        sources: impl FnOnce() -> Vec<PollKey>,
    ) {
        if self.1.contains(&kind) {
            let notable = Notable {
                flow: flow.to_string(),
                kind,
                subject: subject(),
            };
            self.0.push((notable, sources()));
        }
    }
}
