//! update(): the only place the model changes. Keys become intents, intents
//! become confirmations, confirmations become effects; backend answers are
//! merged; timers poll and release.

use jiff::{SignedDuration, Timestamp};

use super::action::ActionName;
use super::age::fmt_age;
use super::alarm_polls::{follow_bakes, register_alarm_keys};
use super::command::{self, Command};
use super::confirm::{Confirmation, DialogOutcome};
use super::credentials;
use super::foreign::{foreign_changes, still_shown};
use super::intent::Intent;
use super::key::{Key, KeyCode};
use super::merge::{Merged, apply_discovery, apply_observation};
use super::model::{
    ActivityKind, CommandLine, DeferredApproval, InFlightOp, MIN_HEIGHT, MIN_WIDTH, Model, View,
};
use super::msg::{Effect, Msg, OperateReport};
use super::nav;
use super::notify::{Scope, notifications_due, paced_scope, pending_due};
use super::operator::{
    OperatorCtx, Proposal, due_releases, propose, propose_drain, propose_restore,
};
use super::panes::fit_viewports;
use super::recheck::guard_for;
use super::revision_polls::{follow_flow_endpoint, register_revision_keys};
use super::rows::{health_row_record, health_rows};
use super::schedule_polls::{follow_holds, hold_schedules_unread};
use super::stream::{announce_coverage, on_streamed, read_stream_due};
use super::verdicts::verdict_of;
use crate::domain::failover::with_inverted;
use crate::domain::fleet::Flow;
use crate::domain::verdict::{Call, Verdict};
use crate::poll::endpoint::Endpoint;
use crate::poll::scheduler::jittered_backoff_secs;
use crate::protocol::{
    Observation, OperateCall, PollKey, ReadError, SourceError, UNKNOWN_IDENTITY,
};

/// The effects to run when the console starts: find the fleet, learn who we are.
pub fn start(model: &mut Model) -> Vec<Effect> {
    model.needs_render = true;
    vec![Effect::Discover, Effect::FetchIdentity]
}

pub fn update(model: &mut Model, msg: Msg, now: Timestamp) -> Vec<Effect> {
    let previous_minute = model.now.as_second().div_euclid(60);
    model.now = now;
    let mut fx = Vec::new();
    let notify_scope = notify_scope(&msg);
    match msg {
        Msg::Key(key) => on_key(model, key, &mut fx),
        Msg::Resize { width, height } => {
            model.width = width;
            model.height = height;
            fit_viewports(model);
            model.needs_render = true;
        }
        Msg::Tick => {
            on_tick(model, &mut fx);
            // Clocks and ages are shown to the minute, except in the cell detail.
            let new_minute = now.as_second().div_euclid(60) != previous_minute;
            if new_minute {
                // Bakes end with time alone.
                follow_bakes(model);
            }
            if new_minute || model.view == View::CellDetail {
                model.needs_render = true;
            }
        }
        Msg::Discovered(Ok(mut discovery)) => {
            credentials::on_read_ok(model);
            model.discover_failures = 0;
            apply_discovery(&mut model.fleet, &mut discovery, now);
            model.fleet_label = discovery.fleet_label.clone();
            model.discovered = true;
            let read_early = std::mem::take(&mut model.team.before_discovery);
            if !read_early.is_empty() {
                crate::core::team::on_team_actions(model, read_early);
            }
            for table in &discovery.tables {
                let key = PollKey::Replication {
                    table: table.name.clone(),
                };
                let endpoint = Endpoint::of_key(&key);
                model.poll.register_spread(key, endpoint, now);
            }
            register_keys(model);
            if model.selected_flow.is_none() {
                model.selected_flow = model.fleet.flows.first().map(|f| f.name.clone());
            }
            watch_selected(model);
            note_discovery_errors(model, discovery.hosted_zones, discovery.errors);
            fit_viewports(model);
            fx.extend(poll_due(model));
            model.needs_render = true;
        }
        Msg::Discovered(Err(err)) => {
            credentials::on_read_failed(model, &err);
            model.discover_failures = model.discover_failures.saturating_add(1);
            let secs = discovery_retry_secs(model.discover_failures, model.discover_salt);
            model.log(ActivityKind::Error, format!("discovery failed: {err}"));
            model.flash(format!("discovery failed: {err} (retrying in {secs}s)"));
            model.discover_retry_at = Some(now + SignedDuration::from_secs(secs));
        }
        Msg::Polled {
            key,
            generation,
            result,
            incomplete,
        } => on_polled(model, key, generation, result, incomplete),
        Msg::Identity(Ok(identity)) => {
            model.identity = Some(identity);
            model.needs_render = true;
        }
        Msg::Identity(Err(err)) => {
            credentials::on_read_failed(model, &err);
            model.log(ActivityKind::Error, format!("caller identity: {err}"))
        }
        Msg::Credentials(statuses) => credentials::on_statuses(model, statuses),
        Msg::Streamed { generation, result } => on_streamed(model, generation, result),
        Msg::Paced(paces) => {
            for pace in paces {
                model.log(ActivityKind::Info, pace.describe());
            }
        }
        Msg::Operated { op_id, report } => on_operated(model, op_id, report, &mut fx),
        Msg::RefusalNotRecorded(err) => {
            model.log(ActivityKind::Error, format!("audit log: {err}"));
            model.flash(format!("the refusal could not be recorded: {err}"));
        }
        Msg::TeamActions(actions) => crate::core::team::on_team_actions(model, actions),
        Msg::TeamReadFailed { message, retry_at } => {
            crate::core::team::on_read_failed(model, message, retry_at, now)
        }
        Msg::TeamCopy(status) => crate::core::team::on_copy_status(model, status),
        Msg::OpenFailed(why) => {
            model.log(ActivityKind::Error, format!("open link: {why}"));
            model.flash(format!("could not open the link: {why}"));
        }
        Msg::Focus(focused) => model.notify.focused = focused,
        Msg::Mouse(mouse) => {
            super::mouse::on_mouse(model, mouse, &mut fx);
            after_input(model, &mut fx);
        }
        Msg::Laid(laid) => super::laid::on_laid(model, laid),
    }
    let notify_scope = match notify_scope {
        // Staleness and verdicts move with time alone: read each minute.
        Some(Scope::Nothing) if now.as_second().div_euclid(60) != previous_minute => {
            Some(Scope::All)
        }
        Some(Scope::Nothing) if !pending_due(model) => None,
        scope => scope,
    };
    let notify_scope = paced_scope(&mut model.notify, notify_scope, now);
    if let Some(scope) = notify_scope {
        fx.extend(notifications_due(model, scope));
    }
    announce_coverage(model, &mut fx);
    fx
}

/// What a notification evaluation after `msg` reads again, if one is needed.
fn notify_scope(msg: &Msg) -> Option<Scope> {
    match msg {
        // Input, and where a frame put things, change neither the fleet
        // nor its freshness.
        Msg::Key(_) | Msg::Resize { .. } | Msg::Mouse(_) | Msg::Laid(_) => None,
        Msg::Polled {
            key: PollKey::Flow { flow },
            ..
        } => Some(Scope::Flow(flow.clone())),
        // What these read is never notable; they go stale like any source,
        // which the minute's read finds.
        Msg::Polled {
            key:
                PollKey::Revisions { .. } | PollKey::Checkers { .. } | PollKey::HoldSchedules { .. },
            ..
        } => Some(Scope::Nothing),
        Msg::Tick | Msg::Focus(_) => Some(Scope::Nothing),
        _ => Some(Scope::All),
    }
}

fn on_polled(
    model: &mut Model,
    key: PollKey,
    generation: u64,
    result: Result<Observation, SourceError>,
    incomplete: Option<SourceError>,
) {
    // An answer the scheduler no longer waits for (its request timed out, or
    // a newer one went out) may be older than what the fleet already shows:
    // it is dropped before it can be merged. The sources pane counts it.
    if !model.poll.admit(&key, generation) {
        model.needs_render |= model.view == View::Activity;
        return;
    }
    let now = model.now;
    let lacked_before = model
        .poll
        .state(&key)
        .and_then(|s| s.last_error.as_ref().map(|(_, e)| e.clone()));
    let mut changed = true;
    match result {
        Ok(observation) => {
            credentials::on_read_ok(model);
            let merged = merge_observation(model, observation);
            changed = merged.changed;
            model.poll.cost(&key, merged.requests);
            model
                .poll
                .completed(&key, generation, now, Ok(merged.activity));
            if let Some(err) = incomplete {
                // Logged when it starts or changes, not at every poll.
                if lacked_before.as_ref() != Some(&err) {
                    model.log(
                        ActivityKind::Error,
                        format!("{}: answered in part: {err}", key.label()),
                    );
                }
                model.poll.answered_in_part(&key, now, err);
            }
        }
        Err(err) => {
            credentials::on_read_failed(model, &err);
            model.log(ActivityKind::Error, format!("{}: {err}", key.label()));
            hold_schedules_unread(model, &key, &err);
            model.poll.completed(&key, generation, now, Err(err));
        }
    }
    if let PollKey::Flow { flow } = &key
        && let Some(read) = model.fleet.flow(flow)
    {
        // Its home region (the endpoint) is known once it has been read.
        let endpoint = Endpoint::of_flow(read);
        model
            .poll
            .register_spread(key.clone(), endpoint.clone(), now);
        follow_flow_endpoint(model, flow, endpoint);
    }
    if key == PollKey::Health {
        replan_open_dns_dialog(model);
    }
    if changed && matches!(key, PollKey::Flow { .. }) {
        // A deploy that finished starts a bake, whose alarm history is read.
        follow_bakes(model);
        // A hold placed or released changes which schedules are read.
        follow_holds(model);
    }
    if !changed {
        let error_changed = lacked_before
            != model
                .poll
                .state(&key)
                .and_then(|s| s.last_error.as_ref().map(|(_, e)| e.clone()));
        // An answer that brings nothing new redraws only what shows when
        // it was read: the watched pipeline's age, the sources pane.
        model.needs_render |= error_changed || shows_read_time(model, &key);
        return;
    }
    fit_viewports(model);
    model.needs_render = true;
}

/// Whether the screen shows when `key` was last read, so that even an
/// answer that changed nothing moves what is drawn.
fn shows_read_time(model: &Model, key: &PollKey) -> bool {
    match model.view {
        View::Activity => true,
        View::Grid | View::CellDetail => model.poll.watched().contains(key),
        View::Replication => matches!(key, PollKey::Replication { .. }),
        _ => false,
    }
}

/// What the operator watches, the scheduler polls fast, and at once when
/// its last answer is old: the selected pipeline, and in the cell detail
/// the stacks (and their events) of the cell's region.
fn watch_selected(model: &mut Model) {
    let mut keys: Vec<PollKey> = model
        .selected_flow()
        .map(|f| PollKey::Flow {
            flow: f.name.clone(),
        })
        .into_iter()
        .collect();
    if model.view == View::CellDetail
        && let Some(region) = model.selected_region()
    {
        keys.push(PollKey::Stacks {
            region: region.to_string(),
        });
    }
    model.poll.watch(keys, model.now);
}

/// Registers the fleet's keys: each first asked at its spread offset, so
/// that a fleet found at once is not polled all at once; health, which a
/// drain is decided on, at once.
fn register_keys(model: &mut Model) {
    let now = model.now;
    for flow in &model.fleet.flows {
        model.poll.register_spread(
            PollKey::Flow {
                flow: flow.name.clone(),
            },
            Endpoint::of_flow(flow),
            now,
        );
    }
    let mut regions: Vec<String> = model
        .fleet
        .stacks
        .iter()
        .map(|s| s.region.to_string())
        .collect();
    regions.sort();
    regions.dedup();
    for region in regions {
        let key = PollKey::Stacks { region };
        let endpoint = Endpoint::of_key(&key);
        model.poll.register_spread(key, endpoint, now);
    }
    model.poll.register(PollKey::Health, now);
    let tables: Vec<String> = model.fleet.tables.iter().map(|t| t.name.clone()).collect();
    for table in tables {
        let key = PollKey::Replication { table };
        let endpoint = Endpoint::of_key(&key);
        model.poll.register_spread(key, endpoint, now);
    }
    register_alarm_keys(model);
    register_revision_keys(model);
}

fn poll_due(model: &mut Model) -> Vec<Effect> {
    model
        .poll
        .due(model.now)
        .into_iter()
        .map(|(key, generation)| Effect::Poll { key, generation })
        .collect()
}

/// An unreachable backend at start is retried, never fatal: first after
/// about this long, then backing off.
const DISCOVERY_RETRY_SECS: i64 = 15;
/// The longest wait between discoveries that fail (GetCallerIdentity
/// throttled, an endpoint down), jitter included: recovery shows within it.
const DISCOVERY_MAX_RETRY_SECS: i64 = 60;

/// How long to wait after the `failures`-th failed discovery in a row: the
/// poll keys' jittered backoff, salted per console so that consoles failing
/// together do not all ask again together.
fn discovery_retry_secs(failures: u32, salt: u64) -> i64 {
    jittered_backoff_secs(
        DISCOVERY_RETRY_SECS,
        failures.saturating_sub(1),
        DISCOVERY_MAX_RETRY_SECS,
        salt ^ u64::from(failures),
    )
}
/// A discovery that read the fleet in part (a hosted zone, a home region
/// unreadable) is asked again this much later, or at once on refresh.
const PARTIAL_DISCOVERY_RETRY_SECS: i64 = 120;

/// What discovery could not read is logged when it first fails and when it
/// is read again, and shown until then.
fn note_discovery_errors(model: &mut Model, zones: Vec<String>, errors: Vec<ReadError>) {
    for e in &errors {
        if !model.discovery_errors.iter().any(|old| old == e) {
            model.log(
                ActivityKind::Error,
                format!("{}: could not be read: {}", e.source, e.message),
            );
        }
    }
    let read_again: Vec<String> = model
        .discovery_errors
        .iter()
        .filter(|old| !errors.iter().any(|e| e.source == old.source))
        .map(|old| format!("{}: read", old.source))
        .collect();
    for text in read_again {
        model.log(ActivityKind::Info, text);
    }
    model.discover_retry_at = (!errors.is_empty())
        .then(|| model.now + SignedDuration::from_secs(PARTIAL_DISCOVERY_RETRY_SECS));
    model.hosted_zones = zones;
    model.discovery_errors = errors;
}

fn on_tick(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.discover_retry_at.is_some_and(|at| at <= model.now) {
        model.discover_retry_at = None;
        fx.push(Effect::Discover);
    }
    if !model.discovered {
        return;
    }
    read_stream_due(model, fx);
    fx.extend(poll_due(model));
    let marked = model.foreign_changes.len();
    still_shown(&mut model.foreign_changes, model.now);
    if model.foreign_changes.len() != marked {
        model.needs_render = true;
    }
    if let Some((at, _)) = &model.flash
        && model.now.duration_since(*at) > SignedDuration::from_secs(10)
    {
        model.flash = None;
        model.needs_render = true;
    }
    release_due_holds(model, fx);
    send_due_approvals(model, fx);
}

/// Holds placed until a window carry their release time in the reason that
/// AWS stores, so any wavetop with auto_release on releases them on time.
/// How long after a failed automatic release wavetop tries again.
const AUTO_RELEASE_RETRY_SECS: i64 = 60;

fn release_due_holds(model: &mut Model, fx: &mut Vec<Effect>) {
    // Read-only mode releases nothing, by itself or otherwise.
    if !model.auto_release || model.read_only {
        return;
    }
    let now = model.now;
    for intent in due_releases(&model.fleet, &model.windows, now) {
        let target = intent.target();
        let in_flight = model.in_flight_ops.iter().any(|op| op.target == target);
        let tried_recently = model.auto_release_attempts.iter().any(|(t, at)| {
            *t == target && now.as_second() - at.as_second() < AUTO_RELEASE_RETRY_SECS
        });
        if in_flight || tried_recently {
            continue;
        }
        model.auto_release_attempts.retain(|(t, _)| *t != target);
        model.auto_release_attempts.push((target, now));
        send(model, intent, "", "auto-release at window", fx);
    }
}

fn send_due_approvals(model: &mut Model, fx: &mut Vec<Effect>) {
    let now = model.now;
    let (due, later): (Vec<DeferredApproval>, Vec<DeferredApproval>) =
        std::mem::take(&mut model.deferred_approvals)
            .into_iter()
            .partition(|d| d.at <= now);
    model.deferred_approvals = later;
    for d in due {
        let intent = Intent::Approve {
            pipeline: d.pipeline.clone(),
            stage: d.stage.clone(),
            action: d.action.clone(),
            region: d.region.clone(),
        };
        // Judged again now the window is open: the evidence may have turned
        // since the operator scheduled it.
        if let Some(verdict) = deferred_verdict(model, &d).filter(|v| v.call == Call::NoGo) {
            model.log(
                ActivityKind::Error,
                format!(
                    "approval at window of {} / {} not sent, the gate stays waiting: {}",
                    d.stage,
                    d.region,
                    verdict.summary()
                ),
            );
            model.flash(format!(
                "approval at window of {} / {} refused: NO-GO",
                d.stage, d.region
            ));
            record_refusal(model, intent, &d.comment, verdict, fx);
            continue;
        }
        // Another call on the same gate is still out: keep this one for the next tick.
        if model
            .in_flight_ops
            .iter()
            .any(|op| op.target == intent.target())
        {
            model.deferred_approvals.push(d);
            continue;
        }
        send(model, intent, &d.comment, "approval at window", fx);
    }
}

/// Asks the runtime to record an approval at the window that was not sent.
fn record_refusal(
    model: &Model,
    intent: Intent,
    comment: &str,
    verdict: Verdict,
    fx: &mut Vec<Effect>,
) {
    let identity = model.identity.as_deref().unwrap_or(UNKNOWN_IDENTITY);
    let Some(call) = intent.calls(comment, identity).into_iter().next() else {
        return;
    };
    fx.push(Effect::RecordRefusal {
        intent: "approval at window".to_string(),
        target: intent.target(),
        call,
        verdict,
    });
}

/// The verdict on a deferred approval's gate now; None when the gate is
/// no longer in the fleet (the send then fails on its own, and says why).
fn deferred_verdict(model: &Model, d: &DeferredApproval) -> Option<Verdict> {
    model.fleet.flows.iter().find_map(|flow| {
        let index = flow
            .waves
            .iter()
            .position(|w| w.pipeline == d.pipeline && w.name == d.stage)?;
        Some(verdict_of(model, flow, index, &d.region))
    })
}

fn on_key(model: &mut Model, key: Key, fx: &mut Vec<Effect>) {
    on_key_in_mode(model, key, fx);
    after_input(model, fx);
}

/// A key or a click may have put a new poll key in view (another pipeline,
/// the selected health check's checkers): it is fetched now rather than at
/// the next timer.
fn after_input(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.discovered {
        watch_selected(model);
        fx.extend(poll_due(model));
    }
}

/// A key as the dialog, the command line, the filter, the help or the
/// current view takes it.
fn on_key_in_mode(model: &mut Model, key: Key, fx: &mut Vec<Effect>) {
    model.needs_render = true;
    if let Some(mut dialog) = model.confirmation.take() {
        // A dialog that cannot be seen cannot be confirmed: only cancelling
        // goes through until the terminal is large enough again.
        if model.too_small() && !key.cancels_dialog() {
            model.confirmation = Some(dialog);
            return;
        }
        match dialog.handle_key(key) {
            DialogOutcome::Open => model.confirmation = Some(dialog),
            DialogOutcome::Cancelled => {
                model.key_guard.arm(model.now);
                model.flash(format!("{}: cancelled", dialog.intent.title()))
            }
            DialogOutcome::Confirmed => {
                model.key_guard.arm(model.now);
                confirmed(model, dialog, fx)
            }
        }
        return;
    }
    if model.command.is_some() {
        on_command_key(model, key, fx);
        return;
    }
    if model.filter_editing {
        on_filter_key(model, key);
        return;
    }
    if model.key_guard.swallows(key, model.now) {
        return;
    }
    if model.help {
        let action = model.bindings.action_for(key);
        match action {
            _ if key.code == KeyCode::Esc => model.help = false,
            Some(ActionName::Help | ActionName::Back) => model.help = false,
            Some(ActionName::Quit) => dispatch(model, ActionName::Quit, false, fx),
            Some(
                scroll @ (ActionName::Up
                | ActionName::Down
                | ActionName::PageUp
                | ActionName::PageDown
                | ActionName::First
                | ActionName::Last),
            ) => nav::scroll_help(model, scroll),
            _ => {}
        }
        return;
    }
    match model.bindings.action_for(key) {
        Some(action) => dispatch(model, action, false, fx),
        None if key.code == KeyCode::Esc => dispatch(model, ActionName::Back, false, fx),
        None => {}
    }
}

fn on_command_key(model: &mut Model, key: Key, fx: &mut Vec<Effect>) {
    let names = flow_names(model);
    let Some(line) = model.command.as_mut() else {
        return;
    };
    match key.code {
        KeyCode::Esc => model.command = None,
        KeyCode::Enter => {
            let input = line.input.clone();
            model.command = None;
            match command::parse(&input, &names) {
                Ok(Command::Action { action, force }) => dispatch(model, action, force, fx),
                Ok(Command::SelectPipeline(name)) => select_flow(model, &name),
                Ok(Command::Filter(text)) => {
                    model.filter = text;
                    go(model, View::Pipelines);
                    fit_viewports(model);
                }
                Err(problem) => model.flash(problem),
            }
        }
        KeyCode::Tab => {
            line.input = command::complete(&line.input, &names);
            line.completions = command::completions(&line.input, &names);
        }
        KeyCode::Backspace => {
            if line.input.pop().is_none() {
                model.command = None;
                return;
            }
            line.completions = command::completions(&line.input, &names);
        }
        KeyCode::Char(c) if !key.ctrl && !key.alt => {
            line.input.push(c);
            line.completions = command::completions(&line.input, &names);
        }
        _ => {}
    }
}

fn on_filter_key(model: &mut Model, key: Key) {
    match key.code {
        KeyCode::Esc => {
            model.filter.clear();
            model.filter_editing = false;
        }
        KeyCode::Enter => model.filter_editing = false,
        KeyCode::Backspace => {
            model.filter.pop();
        }
        KeyCode::Char(c) if !key.ctrl && !key.alt => model.filter.push(c),
        _ => {}
    }
    fit_viewports(model);
    model.cursors.pipeline.select(0);
}

fn flow_names(model: &Model) -> Vec<String> {
    model.fleet.flows.iter().map(|f| f.name.clone()).collect()
}

fn select_flow(model: &mut Model, name: &str) {
    model.selected_flow = Some(name.to_string());
    fit_viewports(model);
    model.cursors.wave.select(0);
    model.cursors.region.select(0);
    go(model, View::Grid);
}

fn go(model: &mut Model, view: View) {
    if model.view != view {
        model.history.push(model.view);
        model.view = view;
    }
    if view == View::Health {
        nav::follow_selected_check(model);
    }
}

pub fn dispatch(model: &mut Model, action: ActionName, force: bool, fx: &mut Vec<Effect>) {
    model.needs_render = true;
    match action {
        ActionName::Quit => {
            model.should_quit = true;
            fx.push(Effect::Quit);
        }
        ActionName::Back => {
            if model.help {
                model.help = false;
            } else if let Some(view) = model.history.pop() {
                model.view = view;
            } else if !model.filter.is_empty() {
                model.filter.clear();
            }
        }
        ActionName::Help => {
            model.help = !model.help;
            model.cursors.help.scroll_to(0);
        }
        ActionName::CommandLine => {
            model.command = Some(CommandLine {
                input: String::new(),
                completions: command::completions("", &flow_names(model)),
            })
        }
        ActionName::Filter => {
            go(model, View::Pipelines);
            model.filter_editing = true;
        }
        ActionName::Refresh => {
            model.poll.expedite_all(model.now);
            fx.extend(poll_due(model));
            // Something discovery could not read is asked for again now.
            if model.discovered && model.discover_retry_at.take().is_some() {
                fx.push(Effect::Discover);
            }
            model.flash("refreshing everything");
        }
        ActionName::ToggleTimeZone => {
            model.times = model.times.toggled();
            let zone = crate::core::shown_time::shown_zone(model);
            model.flash(format!("times shown in {}", zone.label));
        }
        ActionName::OpenLink | ActionName::CopyUrl | ActionName::CopyId => {
            super::links::act(model, action, fx)
        }
        ActionName::ViewGrid => go(model, View::Grid),
        ActionName::ViewPipelines => go(model, View::Pipelines),
        ActionName::ViewHealth => go(model, View::Health),
        ActionName::ViewReplication => go(model, View::Replication),
        ActionName::ViewExecutions => go(model, View::Executions),
        ActionName::ViewRevisions => go(model, View::Revisions),
        ActionName::ViewActivity => go(model, View::Activity),
        ActionName::Open => match model.view {
            View::Pipelines => {
                if let Some(name) = model
                    .visible_flows()
                    .get(model.cursors.pipeline.selected)
                    .map(|f| f.name.clone())
                {
                    select_flow(model, &name);
                }
            }
            View::Grid if model.selected_cell().is_some() => {
                model.cursors.detail.scroll_to(0);
                go(model, View::CellDetail);
            }
            _ => {}
        },
        ActionName::Up
        | ActionName::Down
        | ActionName::Left
        | ActionName::Right
        | ActionName::PageUp
        | ActionName::PageDown
        | ActionName::PageLeft
        | ActionName::PageRight
        | ActionName::First
        | ActionName::Last
        | ActionName::NextPipeline
        | ActionName::PrevPipeline => nav::move_cursor(model, action),
        operate => {
            propose_operation(model, operate, force);
            let dns = matches!(operate, ActionName::Drain | ActionName::Restore);
            if dns && model.confirmation.is_some() {
                // Decide on fresh flags: the dialog is planned again when
                // this read arrives (another operator may have drained a
                // region since the last poll).
                model.poll.expedite(&PollKey::Health, model.now);
                fx.extend(poll_due(model));
            }
        }
    }
}

/// A drain or restore dialog shows the plan on the latest health read: when
/// a read changes the plan, the dialog shows the new one (and the operator
/// confirms again), or closes with the reason when there is none any more.
fn replan_open_dns_dialog(model: &mut Model) {
    let Some(dialog) = &model.confirmation else {
        return;
    };
    let Some(again) = propose_dns_again(model, &dialog.intent) else {
        return;
    };
    match again {
        Ok(proposal) if proposal.intent == dialog.intent => {}
        Ok(proposal) => {
            let mut warnings = vec![
                "THE PLAN CHANGED on a fresh read of the health checks: read it again".to_string(),
            ];
            warnings.extend(proposal.warnings);
            model.confirmation = Some(Confirmation::new(proposal.intent, warnings));
        }
        Err(why) => {
            model.confirmation = None;
            model.flash(format!("on a fresh read of the health checks: {why}"));
        }
    }
}

/// A drain or restore proposed again on the model's health as it is now
/// (a forced drain stays forced; an unforced one is refused if it must be);
/// None for any other intent.
fn propose_dns_again(model: &Model, intent: &Intent) -> Option<Result<Proposal, String>> {
    let rules = OperatorCtx::of_console(model);
    match intent {
        Intent::Drain { region, force, .. } => Some(propose_drain(&rules, region, *force)),
        Intent::Restore { region, .. } => Some(propose_restore(&rules, region)),
        _ => None,
    }
}

fn propose_operation(model: &mut Model, action: ActionName, force: bool) {
    if model.too_small() {
        model.flash(format!(
            "{}: the terminal is too small to show a confirmation (need {MIN_WIDTH}x{MIN_HEIGHT})",
            action.as_str()
        ));
        return;
    }
    if model.read_only {
        model.flash(format!(
            "read-only: {} refused (started with --read-only or read_only = true)",
            action.as_str()
        ));
        return;
    }
    let in_health = model.view == View::Health;
    let region_action = matches!(action, ActionName::Drain | ActionName::Restore);
    if !(matches!(model.view, View::Grid | View::CellDetail) || in_health && region_action) {
        model.flash(format!(
            "{}: select a cell in the grid first",
            action.as_str()
        ));
        return;
    }
    let proposal = if in_health {
        // In the health view the region is the selected record's.
        let rules = OperatorCtx::of_console(model);
        match selected_record_region(model) {
            Some(region) if action == ActionName::Drain => propose_drain(&rules, &region, force),
            Some(region) => propose_restore(&rules, &region),
            None => Err("select a record of a region first".to_string()),
        }
    } else {
        propose(model, action, force)
    };
    match proposal {
        Ok(proposal) => {
            let dialog = Confirmation::new(proposal.intent, proposal.warnings);
            model.confirmation = Some(match gate_verdict(model, &dialog.intent) {
                Some(verdict) => dialog.with_verdict(verdict),
                None => dialog,
            });
        }
        Err(why) => model.flash(why),
    }
}

/// The promotion verdict on the selected gate, for an approval's dialog.
fn gate_verdict(model: &Model, intent: &Intent) -> Option<Verdict> {
    if !matches!(
        intent,
        Intent::Approve { .. } | Intent::ApproveAtWindow { .. }
    ) {
        return None;
    }
    let flow = model.selected_flow()?;
    let (wave, region) = model.selected_cell()?;
    Some(verdict_of(model, flow, wave, region))
}

fn selected_record_region(model: &Model) -> Option<String> {
    let row = *health_rows(&model.fleet).get(model.cursors.health.selected)?;
    let (_, record) = health_row_record(&model.fleet, row)?;
    record.map(|r| r.region.clone())
}

fn confirmed(model: &mut Model, dialog: Confirmation, fx: &mut Vec<Effect>) {
    if let Intent::ApproveAtWindow {
        pipeline,
        stage,
        action,
        region,
        at,
    } = &dialog.intent
    {
        model.deferred_approvals.push(DeferredApproval {
            pipeline: pipeline.clone(),
            stage: stage.clone(),
            action: action.clone(),
            region: region.clone(),
            comment: dialog.call_comment(),
            at: *at,
        });
        model.log(
            ActivityKind::Info,
            format!("approval of {stage} / {region} scheduled for {at}"),
        );
        return;
    }
    let mut why = dialog.intent.title().to_string();
    if dialog.overrides_no_go() {
        let verdict = dialog
            .verdict
            .as_ref()
            .map(Verdict::summary)
            .unwrap_or_default();
        why = format!("{why}, {} ({verdict})", dialog.call_comment());
    }
    let comment = dialog.call_comment();
    send(model, dialog.intent, &comment, &why, fx);
}

/// Issues the calls of an intent unless the same target is already being operated on.
fn send(model: &mut Model, intent: Intent, comment: &str, why: &str, fx: &mut Vec<Effect>) {
    let target = intent.target();
    if model.in_flight_ops.iter().any(|op| op.target == target) {
        model.flash(format!("{target}: an operation is already in flight"));
        return;
    }
    // DNS changes are judged against the health they leave behind: one at a
    // time, so two drains cannot each think the other region still serves.
    if target.is_dns() && model.in_flight_ops.iter().any(|op| op.target.is_dns()) {
        model.flash(format!(
            "{target}: wait for the DNS change in flight to finish"
        ));
        return;
    }
    let identity = model
        .identity
        .clone()
        .unwrap_or_else(|| UNKNOWN_IDENTITY.to_string());
    let calls = intent.calls(comment, &identity);
    let guard = Box::new(guard_for(&model.fleet, &intent));
    let op_id = model.next_op_id;
    model.next_op_id += 1;
    model.in_flight_ops.push(InFlightOp {
        id: op_id,
        target: target.clone(),
        calls: calls.clone(),
        intent,
    });
    model.log(
        ActivityKind::Sent,
        format!("{why}: {} on {target}", api_names(&calls)),
    );
    fx.push(Effect::Operate {
        op_id,
        intent: why.to_string(),
        target,
        calls,
        guard,
    });
}

/// Merges an observation into the fleet, telling the operator what another
/// identity changed in a flow since it was last read.
fn merge_observation(model: &mut Model, observation: Observation) -> Merged {
    let events_kept = model.limits.stack_events;
    let mut merged = apply_observation(&mut model.fleet, observation, model.now, events_kept);
    if let Some(before) = merged.replaced.take() {
        note_foreign_changes(model, &before);
    }
    merged
}

/// Compares a flow as it was with what was just merged, and tells the
/// operator what another identity changed in between.
fn note_foreign_changes(model: &mut Model, before: &Flow) {
    let Some(after) = model.fleet.flow(&before.name) else {
        return;
    };
    let changes = foreign_changes(before, after, model.identity.as_deref(), model.now);
    for change in changes {
        model.log(
            ActivityKind::Info,
            format!(
                "{} / {}{}: {} {}{}",
                change.pipeline,
                change.stage,
                change
                    .region
                    .as_deref()
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default(),
                change.who,
                change.what,
                change
                    .at
                    .map(|t| format!(" ({} ago)", fmt_age(model.now.as_second() - t.as_second())))
                    .unwrap_or_default()
            ),
        );
        model.foreign_changes.retain(|c| {
            !(c.flow == change.flow
                && c.pipeline == change.pipeline
                && c.stage == change.stage
                && c.region == change.region)
        });
        model.foreign_changes.push(change);
    }
}

/// The fresh read showed the decision no longer holds: nothing was called.
/// A drain or restore is proposed again on what was just read, so the
/// operator sees the new plan (or why there is none) and decides again.
fn not_done(model: &mut Model, op: InFlightOp, why: &str) {
    let target = op.target;
    model.log(ActivityKind::Error, format!("{target}: not done: {why}"));
    match propose_dns_again(model, &op.intent) {
        Some(Ok(proposal)) if model.confirmation.is_none() => {
            let mut warnings = vec![format!(
                "NOTHING WAS CALLED: {why}. This is the plan on what was just read."
            )];
            warnings.extend(proposal.warnings);
            model.confirmation = Some(Confirmation::new(proposal.intent, warnings));
        }
        Some(Err(refusal)) => model.flash(format!("{target}: not done: {why}. Now: {refusal}")),
        _ => model.flash(format!("{target}: not done: {why}")),
    }
}

/// Whether the hold went through and only its schedule failed: the stage is
/// held (safe), but nothing in AWS will open it at the window.
fn unscheduled_hold(calls: &[OperateCall], report: &OperateReport) -> bool {
    let failed = report.results.iter().position(Result::is_err);
    matches!(
        failed.and_then(|i| calls.get(i)),
        Some(OperateCall::CreateHoldSchedule { .. })
    )
}

fn api_names(calls: &[OperateCall]) -> String {
    let mut names: Vec<&str> = calls.iter().map(OperateCall::api_name).collect();
    names.dedup();
    names.join(", ")
}

fn on_operated(model: &mut Model, op_id: u64, mut report: OperateReport, fx: &mut Vec<Effect>) {
    let Some(op) = model
        .in_flight_ops
        .iter()
        .position(|op| op.id == op_id)
        .map(|i| model.in_flight_ops.remove(i))
    else {
        return;
    };
    if let Some(observation) = report.fresh.take() {
        // Read right before the calls: newer than anything polled.
        merge_observation(model, observation);
    }
    if let Some(Err(SourceError::NotDone(why))) = report.results.first() {
        not_done(model, op, why);
        model.poll.expedite_all(model.now);
        fx.extend(poll_due(model));
        return;
    }
    // Health inversions that went through count at once, before the next
    // health poll confirms them, so the drain safety rule never judges a
    // second drain against health that no longer holds.
    for (call, result) in op.calls.iter().zip(&report.results) {
        if let (
            OperateCall::SetHealthCheckInverted {
                health_check_id,
                inverted,
            },
            Ok(_),
        ) = (call, result)
        {
            model.fleet.health = with_inverted(
                &model.fleet.health,
                std::slice::from_ref(health_check_id),
                *inverted,
            );
        }
    }
    let target = op.target;
    match report.first_error() {
        Some(err) if unscheduled_hold(&op.calls, &report) => {
            let text = format!(
                "{target}: held, but no schedule will open it ({err}): it now opens only while a console with auto_release or `wavetop enforce` runs"
            );
            model.log(ActivityKind::Error, text.clone());
            model.flash(text);
        }
        Some(err) => {
            model.log(ActivityKind::Error, format!("{target}: {err}"));
            model.flash(format!("{target}: {err}"));
        }
        None => {
            let detail: Vec<String> = report
                .results
                .into_iter()
                .filter_map(Result::ok)
                .map(|o| o.detail)
                .collect();
            model.log(
                ActivityKind::Done,
                format!("{target}: {}", detail.join("; ")),
            );
            model.flash(format!("{target}: done"));
        }
    }
    // What the operation changed shows on the next poll: ask for it now.
    model.poll.expedite_all(model.now);
    fx.extend(poll_due(model));
}
