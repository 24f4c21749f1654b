//! Notifications through update(): each kind on its transition, nothing for
//! what was so at the first read, one per flow per minute on the clock
//! passed in, none for the flow in front of a focused operator.

use jiff::{SignedDuration, Timestamp};

use super::bindings::Bindings;
use super::model::{Model, View};
use super::msg::{Effect, Msg};
use super::notify::{Desktop, Notification, NotifyKind, NotifySettings};
use super::update::update;
use crate::domain::alarms::{
    Alarm, AlarmKind, AlarmSelector, AlarmState, AlarmWatch, AlarmWatches,
};
use crate::domain::fleet::{
    Action, ActionStatus, Approval, Cell, Execution, ExecutionStatus, Flow, FlowKind, RollbackOf,
    Transition, Wave,
};
use crate::domain::window::Windows;
use crate::protocol::{Discovery, Observation, PollKey, SourceError};

const REGION: &str = "eu-west-1";
const FLOW: &str = "checkout";

fn t0() -> Timestamp {
    Timestamp::from_second(1_800_000_000).unwrap()
}

fn secs(s: i64) -> SignedDuration {
    SignedDuration::from_secs(s)
}

fn action(name: &str, status: ActionStatus, approval: bool) -> Action {
    Action {
        name: name.into(),
        category: if approval { "Approval" } else { "Deploy" }.into(),
        provider: if approval { "Manual" } else { "CloudFormation" }.into(),
        run_order: if approval { 2 } else { 1 },
        region: REGION.into(),
        status,
        started_at: Some(t0()),
        ended_at: None,
        external_url: None,
        error: None,
        approval: approval.then(|| {
            Box::new(Approval {
                token_present: true,
                custom_data: None,
                review_url: None,
            })
        }),
        stack_name: None,
        updated_by: None,
        earlier: None,
    }
}

/// The flow with its one cell's deploy and gate in these states.
fn flow(deploy: ActionStatus, gate: ActionStatus) -> Flow {
    Flow {
        name: FLOW.into(),
        kind: FlowKind::Pipeline,
        pipelines: Vec::new(),
        regions: vec![REGION.into()],
        waves: vec![Wave {
            name: "Europe".into(),
            pipeline: FLOW.into(),
            pre_deploy: false,
            transition: Transition::open(),
            stage_status: None,
            execution_id: None,
            conditions: None,
            schedule: Default::default(),
            cells: vec![Cell {
                region: REGION.into(),
                actions: vec![
                    action("Deploy", deploy, false),
                    action("Approve", gate, true),
                ],
                held: false,
            }],
        }],
        executions: Vec::new(),
        fetched_at: t0(),
        live: Vec::new(),
    }
}

fn deploying() -> Flow {
    flow(ActionStatus::InProgress, ActionStatus::NotStarted)
}

fn gate_waiting() -> Flow {
    flow(ActionStatus::Succeeded, ActionStatus::InProgress)
}

fn failed() -> Flow {
    flow(ActionStatus::Failed, ActionStatus::NotStarted)
}

/// Every kind but stale sources, for tests whose clock runs past the
/// freshness of what they answered.
fn all_but_stale() -> NotifySettings {
    let mut settings = every_event();
    settings.events.remove(&NotifyKind::Stale);
    settings
}

fn every_event() -> NotifySettings {
    NotifySettings {
        events: NotifyKind::ALL.into_iter().collect(),
        bell: true,
        desktop: Desktop::Osc9,
    }
}

/// A console that discovered the flow, with notifications on, looking at
/// the pipelines list (no flow in front).
fn console(settings: NotifySettings) -> Model {
    console_of(settings, vec![deploying()])
}

/// A console that discovered `flows`, as [`console`].
fn console_of(settings: NotifySettings, flows: Vec<Flow>) -> Model {
    let mut model = Model::new(t0(), Bindings::default(), Windows::default(), false);
    model.notify.settings = settings;
    let alarms = AlarmWatches {
        watches: vec![AlarmWatch {
            flow: FLOW.into(),
            region: REGION.into(),
            account: "default".into(),
            selectors: vec![AlarmSelector::Prefix("checkout-".into())],
        }],
        bakes: Default::default(),
    };
    let discovery = Discovery {
        flows,
        stacks: Vec::new(),
        record_sets: Vec::new(),
        tables: Vec::new(),
        fleet_label: "test".into(),
        hosted_zones: Vec::new(),
        errors: Vec::new(),
        alarms,
    };
    update(&mut model, Msg::Discovered(Ok(discovery)), t0());
    model.view = View::Pipelines;
    model
}

/// Answers `key` (polling it first when no request is in flight) and returns the notifications that came of it.
fn answer(
    model: &mut Model,
    key: &PollKey,
    result: Result<Observation, SourceError>,
    now: Timestamp,
) -> Vec<Notification> {
    let mut told = Vec::new();
    let in_flight = model.poll.state(key).and_then(|s| s.in_flight);
    let generation = in_flight.unwrap_or_else(|| {
        model.poll.expedite(key, now);
        let effects = update(model, Msg::Tick, now);
        let generation = effects
            .iter()
            .find_map(|e| match e {
                Effect::Poll { key: k, generation } if k == key => Some(*generation),
                _ => None,
            })
            .expect("the key is polled");
        told.extend(notifications(effects));
        generation
    });
    let msg = Msg::Polled {
        key: key.clone(),
        generation,
        result,
        incomplete: None,
    };
    told.extend(notifications(update(model, msg, now)));
    told
}

fn notifications(effects: Vec<Effect>) -> Vec<Notification> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn flow_key() -> PollKey {
    PollKey::Flow { flow: FLOW.into() }
}

fn poll_flow(model: &mut Model, flow: Flow, now: Timestamp) -> Vec<Notification> {
    answer(model, &flow_key(), Ok(Observation::Flow(flow)), now)
}

fn tick(model: &mut Model, now: Timestamp) -> Vec<Notification> {
    notifications(update(model, Msg::Tick, now))
}

#[test]
fn a_gate_that_starts_waiting_notifies_once_with_the_bell_and_osc9() {
    let mut model = console(all_but_stale());
    assert!(poll_flow(&mut model, deploying(), t0()).is_empty());
    let told = poll_flow(&mut model, gate_waiting(), t0() + secs(10));
    assert_eq!(
        told,
        vec![Notification {
            flow: FLOW.into(),
            kind: NotifyKind::GateWaiting,
            title: "wavetop: checkout".into(),
            body: "gate waiting: Europe eu-west-1".into(),
            bell: true,
            desktop: Desktop::Osc9,
        }]
    );
    // Still waiting, minutes later: not news.
    assert!(poll_flow(&mut model, gate_waiting(), t0() + secs(200)).is_empty());
    assert!(tick(&mut model, t0() + secs(300)).is_empty());
}

#[test]
fn what_was_so_at_the_first_read_does_not_notify() {
    let mut model = console(every_event());
    assert!(poll_flow(&mut model, gate_waiting(), t0()).is_empty());
    assert!(poll_flow(&mut model, gate_waiting(), t0() + secs(10)).is_empty());
    // A change after the first read does.
    let told = poll_flow(&mut model, failed(), t0() + secs(20));
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].kind, NotifyKind::Failed);
}

#[test]
fn a_region_that_fails_notifies() {
    let mut model = console(every_event());
    poll_flow(&mut model, deploying(), t0());
    let told = poll_flow(&mut model, failed(), t0() + secs(10));
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].kind, NotifyKind::Failed);
    assert_eq!(told[0].body, "failed: Europe eu-west-1");
}

#[test]
fn a_rollback_execution_notifies() {
    let mut model = console(every_event());
    poll_flow(&mut model, deploying(), t0());
    let mut rolling = deploying();
    rolling.executions.push(Execution {
        pipeline: FLOW.into(),
        id: "exec-9".into(),
        status: ExecutionStatus::InProgress,
        trigger: "RollbackStage".into(),
        revision_id: None,
        revision_summary: None,
        started_at: t0(),
        updated_at: t0(),
        rollback: Some(RollbackOf {
            target_execution_id: Some("exec-8".into()),
        }),
    });
    let told = poll_flow(&mut model, rolling, t0() + secs(10));
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].kind, NotifyKind::RolledBack);
    assert_eq!(told[0].body, "rolling back: execution exec-9");
}

#[test]
fn a_source_that_goes_stale_notifies_when_stale_is_asked_for() {
    let mut model = console(every_event());
    poll_flow(&mut model, deploying(), t0());
    let failing = Err(SourceError::Throttled("slow down".into()));
    let mut at = t0();
    let mut told = Vec::new();
    // The flow's answers fail from now on; the fleet ages until it is stale.
    for _ in 0..40 {
        at += secs(30);
        told.extend(answer(&mut model, &flow_key(), failing.clone(), at));
        if !told.is_empty() {
            break;
        }
    }
    assert!(model.poll.is_stale(&flow_key(), at), "went stale");
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].kind, NotifyKind::Stale);
    assert_eq!(told[0].body, "stale: pipeline checkout");
}

#[test]
fn stale_sources_are_not_among_the_default_events() {
    let defaults = NotifySettings::defaults();
    assert!(!defaults.events.contains(&NotifyKind::Stale));
    assert!(defaults.events.contains(&NotifyKind::GateWaiting));
    assert!(defaults.bell);
    assert_eq!(defaults.desktop, Desktop::Osc9);
}

#[test]
fn a_verdict_that_turns_no_go_notifies() {
    let mut model = console(every_event());
    poll_flow(&mut model, gate_waiting(), t0());
    let alarms = PollKey::Alarms {
        region: REGION.into(),
    };
    let alarm = |state| Alarm {
        name: "checkout-5xx".into(),
        flow: FLOW.into(),
        region: REGION.into(),
        kind: AlarmKind::Metric,
        state,
        reason: "Threshold Crossed".into(),
        since: Some(t0()),
    };
    let quiet = Observation::Alarms {
        region: REGION.into(),
        alarms: vec![alarm(AlarmState::Ok)],
    };
    assert!(answer(&mut model, &alarms, Ok(quiet), t0() + secs(5)).is_empty());
    let firing = Observation::Alarms {
        region: REGION.into(),
        alarms: vec![alarm(AlarmState::Alarm)],
    };
    let told = answer(&mut model, &alarms, Ok(firing), t0() + secs(10));
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].kind, NotifyKind::NoGo);
    assert_eq!(told[0].body, "NO-GO: Europe eu-west-1");
}

#[test]
fn only_the_configured_events_notify() {
    let mut settings = every_event();
    settings.events = [NotifyKind::Failed].into_iter().collect();
    let mut model = console(settings);
    poll_flow(&mut model, deploying(), t0());
    assert!(poll_flow(&mut model, gate_waiting(), t0() + secs(10)).is_empty());
    assert_eq!(poll_flow(&mut model, failed(), t0() + secs(20)).len(), 1);
}

#[test]
fn a_flow_is_notified_at_most_once_a_minute_the_rest_follows_when_it_ends() {
    let mut model = console(all_but_stale());
    poll_flow(&mut model, deploying(), t0());
    assert_eq!(
        poll_flow(&mut model, gate_waiting(), t0() + secs(1)).len(),
        1
    );
    // Fails 10 s later: within the minute, so it waits.
    assert!(poll_flow(&mut model, failed(), t0() + secs(11)).is_empty());
    assert!(tick(&mut model, t0() + secs(60)).is_empty(), "59 s after");
    let told = tick(&mut model, t0() + secs(61));
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].body, "failed: Europe eu-west-1");
    assert!(tick(&mut model, t0() + secs(200)).is_empty(), "told once");
}

#[test]
fn what_waited_for_the_minute_and_is_over_by_then_is_not_told() {
    let mut model = console(all_but_stale());
    poll_flow(&mut model, deploying(), t0());
    assert_eq!(
        poll_flow(&mut model, gate_waiting(), t0() + secs(1)).len(),
        1
    );
    assert!(poll_flow(&mut model, failed(), t0() + secs(11)).is_empty());
    // Retried and deploying again before the minute ends.
    assert!(poll_flow(&mut model, deploying(), t0() + secs(30)).is_empty());
    assert!(tick(&mut model, t0() + secs(90)).is_empty());
}

#[test]
fn nothing_notifies_for_the_flow_in_front_of_a_focused_operator() {
    let mut model = console(every_event());
    model.view = View::Grid;
    model.selected_flow = Some(FLOW.into());
    poll_flow(&mut model, deploying(), t0());
    assert!(
        poll_flow(&mut model, gate_waiting(), t0() + secs(10)).is_empty(),
        "the operator sees it"
    );
    // The operator switched to another window: the failure is told.
    assert!(notifications(update(&mut model, Msg::Focus(false), t0() + secs(20))).is_empty());
    let told = poll_flow(&mut model, failed(), t0() + secs(30));
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].kind, NotifyKind::Failed);
}

#[test]
fn notifications_off_means_none_whatever_changes() {
    let mut settings = every_event();
    settings.bell = false;
    settings.desktop = Desktop::Off;
    let mut model = console(settings);
    poll_flow(&mut model, deploying(), t0());
    assert!(poll_flow(&mut model, gate_waiting(), t0() + secs(10)).is_empty());
    assert!(poll_flow(&mut model, failed(), t0() + secs(20)).is_empty());
}

/// `flow` under another name.
fn renamed(mut flow: Flow, name: &str) -> Flow {
    flow.name = name.into();
    for wave in &mut flow.waves {
        wave.pipeline = name.into();
    }
    flow
}

#[test]
fn each_flow_has_its_own_minute_and_one_flow_s_answer_keeps_another_s_waiting() {
    let other = |flow: Flow| renamed(flow, "search");
    let other_key = PollKey::Flow {
        flow: "search".into(),
    };
    let mut model = console_of(all_but_stale(), vec![deploying(), other(deploying())]);
    poll_flow(&mut model, deploying(), t0());
    answer(
        &mut model,
        &other_key,
        Ok(Observation::Flow(other(deploying()))),
        t0(),
    );
    assert_eq!(
        poll_flow(&mut model, gate_waiting(), t0() + secs(1)).len(),
        1
    );
    // checkout fails within its minute: it waits.
    assert!(poll_flow(&mut model, failed(), t0() + secs(11)).is_empty());
    // search's gate is told at once: its minute is its own.
    let told = answer(
        &mut model,
        &other_key,
        Ok(Observation::Flow(other(gate_waiting()))),
        t0() + secs(20),
    );
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].title, "wavetop: search");
    // Reading search again did not lose checkout's failure.
    let told = tick(&mut model, t0() + secs(61));
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].title, "wavetop: checkout");
    assert_eq!(told[0].body, "failed: Europe eu-west-1");
}

#[test]
fn the_whole_fleet_is_read_at_most_every_five_seconds_and_a_change_is_read_after() {
    use super::notify::{NotifyState, Scope, paced_scope};
    let mut state = NotifyState::new(NotifySettings::defaults());
    let at = |s: i64| t0() + secs(s);
    assert_eq!(
        paced_scope(&mut state, Some(Scope::All), at(0)),
        Some(Scope::All)
    );
    // A stacks answer a second later: put off, only what waits is looked at.
    assert_eq!(
        paced_scope(&mut state, Some(Scope::All), at(1)),
        Some(Scope::Nothing)
    );
    // A pipeline's own read is never put off, nor widened before its time.
    let flow = Some(Scope::Flow(FLOW.into()));
    assert_eq!(paced_scope(&mut state, flow.clone(), at(2)), flow);
    assert_eq!(paced_scope(&mut state, None, at(4)), None);
    // Five seconds on, the first message reads the fleet the answer changed.
    assert_eq!(paced_scope(&mut state, None, at(5)), Some(Scope::All));
    assert_eq!(
        paced_scope(&mut state, None, at(11)),
        None,
        "nothing changed since"
    );
}
