//! Alarms and bake clocks through update(): the polls registered, answers
//! merged quietly when nothing changed, the history read only while a bake
//! runs, and the clock (passed in) running the bake down.

use jiff::{SignedDuration, Timestamp};

use super::bindings::Bindings;
use super::model::Model;
use super::msg::{Effect, Msg};
use super::update::update;
use crate::domain::alarms::{
    Alarm, AlarmKind, AlarmSelector, AlarmState, AlarmTransition, AlarmWatch, AlarmWatches,
};
use crate::domain::bake::{BakeTimes, bake_clock};
use crate::domain::fleet::{Action, ActionStatus, Cell, Flow, FlowKind, Transition, Wave};
use crate::domain::window::Windows;
use crate::protocol::{Discovery, Observation, PollKey};

const REGION: &str = "eu-west-1";

fn t0() -> Timestamp {
    Timestamp::from_second(1_800_000_000).unwrap()
}

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

/// A flow whose one wave deployed `REGION`, finished at `deployed` (None:
/// still deploying).
fn flow(deployed: Option<Timestamp>) -> Flow {
    let action = Action {
        name: format!("{REGION}.App.Deploy").into(),
        category: "Deploy".into(),
        provider: "CloudFormation".into(),
        run_order: 1,
        region: REGION.into(),
        status: if deployed.is_some() {
            ActionStatus::Succeeded
        } else {
            ActionStatus::InProgress
        },
        started_at: Some(t0()),
        ended_at: deployed,
        external_url: None,
        error: None,
        approval: None,
        stack_name: None,
        updated_by: None,
        earlier: None,
    };
    Flow {
        name: "checkout".into(),
        kind: FlowKind::Pipeline,
        pipelines: Vec::new(),
        regions: vec![REGION.into()],
        waves: vec![Wave {
            name: "Europe".into(),
            pipeline: "checkout".into(),
            pre_deploy: false,
            transition: Transition::open(),
            stage_status: None,
            execution_id: None,
            conditions: None,
            schedule: Default::default(),
            cells: vec![Cell {
                region: REGION.into(),
                actions: vec![action],
                held: false,
            }],
        }],
        executions: Vec::new(),
        fetched_at: t0(),
        live: Vec::new(),
    }
}

fn watches() -> AlarmWatches {
    let mut bakes = BakeTimes::default();
    bakes.set("checkout", None, mins(30));
    AlarmWatches {
        watches: vec![AlarmWatch {
            flow: "checkout".into(),
            region: REGION.into(),
            account: "default".into(),
            selectors: vec![AlarmSelector::Prefix("checkout-".into())],
        }],
        bakes,
    }
}

fn alarm(state: AlarmState, since: Timestamp) -> Alarm {
    Alarm {
        name: "checkout-5xx".into(),
        flow: "checkout".into(),
        region: REGION.into(),
        kind: AlarmKind::Metric,
        state,
        reason: "Threshold Crossed".into(),
        since: Some(since),
    }
}

fn change(at: Timestamp, to: AlarmState) -> AlarmTransition {
    AlarmTransition {
        alarm: "checkout-5xx".into(),
        region: REGION.into(),
        at,
        from: None,
        to,
    }
}

/// A console that discovered `flow` with the alarm watches.
fn console(flow: Flow, now: Timestamp) -> Model {
    let mut model = Model::new(now, Bindings::default(), Windows::default(), false);
    let discovery = Discovery {
        flows: vec![flow],
        stacks: Vec::new(),
        record_sets: Vec::new(),
        tables: Vec::new(),
        fleet_label: "test".into(),
        hosted_zones: Vec::new(),
        errors: Vec::new(),
        alarms: watches(),
    };
    update(&mut model, Msg::Discovered(Ok(discovery)), now);
    model
}

/// Answers the request of `key` in flight, or polls it first (making it
/// due) when none is.
fn answer(model: &mut Model, key: &PollKey, observation: Observation, now: Timestamp) {
    let in_flight = model.poll.state(key).and_then(|s| s.in_flight);
    let generation = in_flight.unwrap_or_else(|| {
        model.poll.expedite(key, now);
        update(model, Msg::Tick, now)
            .iter()
            .find_map(|e| match e {
                Effect::Poll { key: k, generation } if k == key => Some(*generation),
                _ => None,
            })
            .expect("the key is polled")
    });
    model.needs_render = false;
    update(
        model,
        Msg::Polled {
            key: key.clone(),
            generation,
            result: Ok(observation),
            incomplete: None,
        },
        now,
    );
}

fn history_keys(model: &Model) -> Vec<PollKey> {
    model
        .poll
        .keys()
        .map(|(k, _)| k.clone())
        .filter(|k| matches!(k, PollKey::AlarmHistory { .. }))
        .collect()
}

#[test]
fn the_same_alarms_twice_do_not_redraw_a_change_does() {
    let now = t0() + mins(40);
    let mut model = console(flow(None), now);
    let key = PollKey::Alarms {
        region: REGION.into(),
    };
    assert!(
        model.poll.state(&key).is_some(),
        "alarms are polled per region"
    );
    let quiet = Observation::Alarms {
        region: REGION.into(),
        alarms: vec![alarm(AlarmState::Ok, t0())],
    };
    answer(&mut model, &key, quiet.clone(), now);
    assert!(model.needs_render);
    answer(&mut model, &key, quiet, now + SignedDuration::from_secs(1));
    assert!(!model.needs_render, "nothing changed, nothing redrawn");
    let firing = Observation::Alarms {
        region: REGION.into(),
        alarms: vec![alarm(AlarmState::Alarm, now)],
    };
    answer(&mut model, &key, firing, now + SignedDuration::from_secs(2));
    assert!(model.needs_render);
    assert_eq!(
        model.fleet.alarms.worst("checkout", REGION),
        Some(AlarmState::Alarm)
    );
}

#[test]
fn history_is_read_only_while_a_bake_runs() {
    let deployed = t0() + mins(10);
    let mut model = console(flow(None), deployed - SignedDuration::from_secs(5));
    assert!(history_keys(&model).is_empty(), "no bake before the deploy");
    // The deploy finishes: its flow answer starts the bake.
    let key = PollKey::Flow {
        flow: "checkout".into(),
    };
    answer(
        &mut model,
        &key,
        Observation::Flow(flow(Some(deployed))),
        deployed,
    );
    assert_eq!(
        history_keys(&model),
        vec![PollKey::AlarmHistory {
            region: REGION.into(),
            since: deployed
        }]
    );
    // Thirty minutes later the bake is over and its history no longer read.
    update(&mut model, Msg::Tick, deployed + mins(31));
    assert!(history_keys(&model).is_empty());
}

#[test]
fn the_bake_clock_runs_down_and_keeps_a_flap_that_recovered() {
    let deployed = t0() + mins(10);
    let now = deployed + mins(12);
    let mut model = console(flow(Some(deployed)), now);
    let key = PollKey::AlarmHistory {
        region: REGION.into(),
        since: deployed,
    };
    let history = Observation::AlarmHistory {
        region: REGION.into(),
        since: deployed,
        transitions: vec![
            // Before the bake: not a flap of it.
            change(deployed - mins(5), AlarmState::Alarm),
            change(deployed - mins(4), AlarmState::Ok),
            change(deployed + mins(4), AlarmState::Alarm),
            change(deployed + mins(5), AlarmState::Ok),
        ],
    };
    answer(&mut model, &key, history, now);
    let clock = bake_clock(
        &model.fleet,
        &model.fleet.alarms,
        "checkout",
        "Europe",
        REGION,
        now,
    )
    .expect("a bake clock");
    assert_eq!(clock.started_at, deployed);
    assert_eq!(clock.elapsed_secs, 12 * 60);
    assert_eq!(clock.remaining_secs, 18 * 60);
    assert_eq!(clock.flaps.len(), 1);
    let flap = &clock.flaps[0];
    assert_eq!(flap.alarm, "checkout-5xx");
    assert_eq!(flap.fired_at, deployed + mins(4));
    assert_eq!(flap.recovered_at, Some(deployed + mins(5)));
    // Past its end the clock stops at zero and still names the flap.
    let later = deployed + mins(45);
    let done = bake_clock(
        &model.fleet,
        &model.fleet.alarms,
        "checkout",
        "Europe",
        REGION,
        later,
    )
    .expect("a bake clock");
    assert!(done.done());
    assert_eq!(done.elapsed_secs, 30 * 60);
    assert_eq!(done.flaps.len(), 1);
}

#[test]
fn an_alarm_firing_now_counts_as_fired_during_the_bake() {
    let deployed = t0() + mins(10);
    let now = deployed + mins(3);
    let mut model = console(flow(Some(deployed)), now);
    let key = PollKey::Alarms {
        region: REGION.into(),
    };
    let firing = Observation::Alarms {
        region: REGION.into(),
        alarms: vec![alarm(AlarmState::Alarm, deployed - mins(2))],
    };
    answer(&mut model, &key, firing, now);
    let clock = bake_clock(
        &model.fleet,
        &model.fleet.alarms,
        "checkout",
        "Europe",
        REGION,
        now,
    )
    .expect("a bake clock");
    assert_eq!(clock.flaps.len(), 1);
    assert_eq!(
        clock.flaps[0].fired_at, deployed,
        "in ALARM since before the bake"
    );
    assert_eq!(clock.flaps[0].recovered_at, None);
}

#[test]
fn a_wave_bake_time_wins_over_the_flow_s_and_no_bake_means_no_clock() {
    let mut bakes = BakeTimes::default();
    bakes.set("checkout", None, mins(30));
    bakes.set("checkout", Some("Europe"), mins(60));
    assert_eq!(bakes.of("checkout", "Europe"), Some(mins(60)));
    assert_eq!(bakes.of("checkout", "Asia"), Some(mins(30)));
    assert_eq!(bakes.of("search", "Europe"), None);
    let deployed = t0();
    let mut model = console(flow(Some(deployed)), deployed);
    model.fleet.alarms.watched.bakes = BakeTimes::default();
    assert_eq!(
        bake_clock(
            &model.fleet,
            &model.fleet.alarms,
            "checkout",
            "Europe",
            REGION,
            deployed
        ),
        None
    );
}
