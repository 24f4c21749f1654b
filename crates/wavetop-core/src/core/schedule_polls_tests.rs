use jiff::Timestamp;

use super::*;
use crate::core::bindings::Bindings;
use crate::core::merge::apply_observation;
use crate::domain::fleet::{ExecutionMode, FlowKind, Pipeline, PipelineType, Transition, Wave};
use crate::domain::window::Windows;
use crate::protocol::Observation;

fn t0() -> Timestamp {
    "2026-07-01T12:00:00Z".parse().unwrap()
}

fn wave(name: &str, held: bool) -> Wave {
    let mut transition = Transition::open();
    transition.enabled = !held;
    Wave {
        name: name.into(),
        pipeline: "checkout".into(),
        pre_deploy: false,
        transition,
        stage_status: None,
        execution_id: None,
        cells: Vec::new(),
        conditions: None,
        schedule: ScheduleSeen::NotRead,
    }
}

fn fleet(europe_held: bool) -> Fleet {
    let mut fleet = Fleet::empty();
    fleet.flows.push(Flow {
        name: "checkout".into(),
        kind: FlowKind::Pipeline,
        pipelines: vec![Pipeline {
            name: "checkout".into(),
            home_region: "eu-west-1".into(),
            account: "111111111111".into(),
            pipeline_type: PipelineType::V2,
            execution_mode: ExecutionMode::Superseded,
            version: 1,
        }],
        regions: vec!["eu-west-1".into()],
        waves: vec![wave("Europe", europe_held), wave("Americas", false)],
        executions: Vec::new(),
        live: Vec::new(),
        fetched_at: t0(),
    });
    fleet
}

fn scheduler() -> HoldScheduler {
    HoldScheduler {
        role_arn: "arn:aws:iam::111111111111:role/wavetop-scheduler".into(),
        group: "wavetop-holds".into(),
    }
}

fn opening() -> ScheduledOpening {
    ScheduledOpening {
        name: "wavetop-hold-checkout.Europe".into(),
        at: "2026-07-02T02:00:00".into(),
        time_zone: "Europe/Dublin".into(),
    }
}

#[test]
fn only_held_stages_are_asked_for_one_key_per_account_and_region() {
    assert!(hold_schedule_keys(&fleet(false), &scheduler()).is_empty());
    assert_eq!(
        hold_schedule_keys(&fleet(true), &scheduler()),
        vec![PollKey::HoldSchedules {
            account: "111111111111".into(),
            region: "eu-west-1".into(),
            group: "wavetop-holds".into(),
            names: vec!["wavetop-hold-checkout.Europe".into()],
        }]
    );
}

#[test]
fn a_read_sets_the_held_wave_s_schedule_or_none() {
    let mut fleet = fleet(true);
    let asked = vec!["wavetop-hold-checkout.Europe".to_string()];
    assert!(apply_hold_schedules(&mut fleet, &asked, &[opening()]));
    assert_eq!(
        fleet.flows[0].waves[0].schedule,
        ScheduleSeen::Scheduled(opening())
    );
    assert_eq!(
        fleet.flows[0].waves[0].schedule.describe(true),
        "opens 02:00 Europe/Dublin (scheduled)"
    );
    assert!(apply_hold_schedules(&mut fleet, &asked, &[]));
    assert_eq!(fleet.flows[0].waves[0].schedule, ScheduleSeen::None);
    assert_eq!(fleet.flows[0].waves[1].schedule, ScheduleSeen::NotRead);
}

#[test]
fn a_flow_read_again_keeps_the_schedule_while_the_stage_stays_held() {
    let mut fleet = fleet(true);
    let asked = vec!["wavetop-hold-checkout.Europe".to_string()];
    apply_hold_schedules(&mut fleet, &asked, &[opening()]);
    let again = self::fleet(true).flows.remove(0);
    let merged = apply_observation(&mut fleet, Observation::Flow(again), t0(), 10);
    assert!(!merged.changed);
    assert_eq!(
        fleet.flows[0].waves[0].schedule,
        ScheduleSeen::Scheduled(opening())
    );
    // Released: the wave no longer carries the schedule it had.
    let released = self::fleet(false).flows.remove(0);
    apply_observation(&mut fleet, Observation::Flow(released), t0(), 10);
    assert_eq!(fleet.flows[0].waves[0].schedule, ScheduleSeen::NotRead);
}

#[test]
fn a_failed_read_makes_the_schedule_unknown_not_absent() {
    let mut model = Model::new(t0(), Bindings::default(), Windows::default(), false);
    model.fleet = fleet(true);
    model.hold_scheduler = Some(scheduler());
    follow_holds(&mut model);
    let key = hold_schedule_keys(&model.fleet, &scheduler()).remove(0);
    assert!(model.poll.state(&key).is_some());
    hold_schedules_unread(
        &mut model,
        &key,
        &SourceError::AccessDenied("scheduler:ListSchedules".into()),
    );
    let seen = &model.fleet.flows[0].waves[0].schedule;
    assert!(matches!(seen, ScheduleSeen::Unknown { .. }), "{seen:?}");
    assert!(seen.describe(true).starts_with("schedule unknown"));
    // Released everywhere: the key goes.
    model.fleet = self::fleet(false);
    follow_holds(&mut model);
    assert!(model.poll.state(&key).is_none());
}
