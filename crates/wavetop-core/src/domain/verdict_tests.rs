//! The verdict on one gate for each reason alone, and combined, at clocks
//! passed in. The fleet: "Europe" deployed eu-west-1 at `t0`; "America"
//! waits at a gate in us-east-1, its deploy still to run.

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::domain::alarms::{
    Alarm, AlarmKind, AlarmSelector, AlarmState, AlarmTransition, AlarmWatch,
};
use crate::domain::conditions::{
    Condition, ConditionKind, ConditionSet, ConditionStatus, Rule, RuleKind, RuleResult,
    RuleStatus, WaveConditions,
};
use crate::domain::fleet::{
    Action, ActionStatus, Approval, Cell, FlowKind, GlobalTable, HealthCheck, LatencySeries,
    Transition, Wave,
};
use crate::domain::window::Window;

const EU: &str = "eu-west-1";
const US: &str = "us-east-1";

fn t0() -> Timestamp {
    // 2027-01-15 08:00:00 UTC.
    Timestamp::from_second(1_800_000_000).unwrap()
}

fn at(mins: i64) -> Timestamp {
    t0() + SignedDuration::from_mins(mins)
}

fn action(region: &str, category: &str, status: ActionStatus) -> Action {
    Action {
        name: format!("{region}.{category}").into(),
        category: category.into(),
        provider: if category == "Approval" {
            "Manual"
        } else {
            "CloudFormation"
        }
        .into(),
        run_order: if category == "Approval" { 1 } else { 2 },
        region: region.into(),
        status,
        started_at: Some(t0()),
        ended_at: (status == ActionStatus::Succeeded).then(t0),
        external_url: None,
        error: None,
        approval: (category == "Approval").then(|| {
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

fn wave(name: &str, cells: Vec<Cell>) -> Wave {
    Wave {
        name: name.into(),
        pipeline: "checkout".into(),
        pre_deploy: false,
        transition: Transition::open(),
        stage_status: None,
        execution_id: None,
        cells,
        conditions: None,
        schedule: Default::default(),
    }
}

fn cell(region: &str, actions: Vec<Action>) -> Cell {
    Cell {
        region: region.into(),
        actions,
        held: false,
    }
}

fn fleet() -> Fleet {
    let europe = wave(
        "Europe",
        vec![cell(
            EU,
            vec![action(EU, "Deploy", ActionStatus::Succeeded)],
        )],
    );
    let america = wave(
        "America",
        vec![cell(
            US,
            vec![
                action(US, "Approval", ActionStatus::InProgress),
                action(US, "Deploy", ActionStatus::NotStarted),
            ],
        )],
    );
    let mut fleet = Fleet::empty();
    fleet.flows.push(Flow {
        name: "checkout".into(),
        kind: FlowKind::Pipeline,
        pipelines: Vec::new(),
        regions: vec![EU.into(), US.into()],
        waves: vec![europe, america],
        executions: Vec::new(),
        fetched_at: t0(),
        live: Vec::new(),
    });
    for region in [EU, US] {
        fleet.alarms.watched.watches.push(AlarmWatch {
            flow: "checkout".into(),
            region: region.into(),
            account: "default".into(),
            selectors: vec![AlarmSelector::Prefix("checkout-".into())],
        });
    }
    fleet
}

fn alarm(name: &str, region: &str, state: AlarmState, since: Timestamp) -> Alarm {
    Alarm {
        name: name.into(),
        flow: "checkout".into(),
        region: region.into(),
        kind: AlarmKind::Metric,
        state,
        reason: "Threshold Crossed".into(),
        since: Some(since),
    }
}

/// The verdict on the America gate in us-east-1.
fn judge(fleet: &Fleet, windows: &Windows, now: Timestamp, unread: &[String]) -> Verdict {
    let ctx = VerdictCtx {
        fleet,
        windows,
        now,
        lag_warning_ms: 5_000.0,
        unread_alarm_regions: unread,
    };
    verdict(&ctx, &fleet.flows[0], 1, US)
}

fn judge_now(fleet: &Fleet, now: Timestamp) -> Verdict {
    judge(fleet, &Windows::default(), now, &[])
}

fn kinds(v: &Verdict) -> Vec<ReasonKind> {
    v.reasons.iter().map(|r| r.kind).collect()
}

fn conditions(status: RuleStatus, set: ConditionStatus) -> WaveConditions {
    WaveConditions {
        sets: vec![ConditionSet {
            kind: ConditionKind::BeforeEntry,
            status: Some(set),
            summary: None,
            execution_id: Some("exec-1".into()),
            conditions: vec![Condition {
                result: Some("FAIL".into()),
                status: Some(set),
                rules: vec![Rule {
                    name: "quiet-5xx".into(),
                    kind: RuleKind::CloudWatchAlarm {
                        alarm_names: vec!["checkout-5xx".into()],
                        wait_time_mins: Some(20),
                    },
                    region: None,
                    result: Some(RuleResult {
                        status,
                        summary: Some("checkout-5xx is OK".into()),
                        since: Some(t0()),
                        updated_by: None,
                        url: None,
                    }),
                }],
            }],
        }],
        on_failure: None,
    }
}

#[test]
fn quiet_evidence_is_go() {
    let fleet = fleet();
    let v = judge_now(&fleet, at(60));
    assert_eq!(v.call, Call::Go);
    assert!(v.reasons.is_empty());
    assert_eq!(v.summary(), "GO");
}

#[test]
fn an_alarm_in_alarm_is_no_go_naming_it_and_since_when() {
    let mut fleet = fleet();
    fleet
        .alarms
        .alarms
        .push(alarm("checkout-p99", US, AlarmState::Alarm, at(3)));
    fleet
        .alarms
        .alarms
        .push(alarm("checkout-5xx", US, AlarmState::Ok, at(1)));
    let v = judge_now(&fleet, at(60));
    assert_eq!(v.call, Call::NoGo);
    assert_eq!(kinds(&v), vec![ReasonKind::Alarm]);
    assert_eq!(v.reasons[0].text, "checkout-p99 in ALARM since 08:03:00Z");
}

#[test]
fn a_running_bake_is_wait_with_the_time_left() {
    let mut fleet = fleet();
    fleet
        .alarms
        .watched
        .bakes
        .set("checkout", None, SignedDuration::from_mins(30));
    let v = judge_now(&fleet, at(10));
    assert_eq!(v.call, Call::Wait);
    assert_eq!(kinds(&v), vec![ReasonKind::Bake]);
    assert_eq!(
        v.reasons[0].text,
        "Europe bake in eu-west-1: 20m00s left of 30m00s"
    );
    assert_eq!(judge_now(&fleet, at(30)).call, Call::Go);
}

#[test]
fn a_flap_during_the_bake_is_no_go_after_it_recovered_and_after_the_bake() {
    let mut fleet = fleet();
    fleet
        .alarms
        .watched
        .bakes
        .set("checkout", None, SignedDuration::from_mins(30));
    let change = |at, to| AlarmTransition {
        alarm: "checkout-5xx".into(),
        region: EU.into(),
        at,
        from: None,
        to,
    };
    fleet.alarms.history = vec![
        change(at(5), AlarmState::Alarm),
        change(at(6), AlarmState::Ok),
    ];
    fleet
        .alarms
        .alarms
        .push(alarm("checkout-5xx", EU, AlarmState::Ok, at(6)));
    let v = judge_now(&fleet, at(45));
    assert_eq!(v.call, Call::NoGo);
    assert_eq!(kinds(&v), vec![ReasonKind::AlarmDuringBake]);
    assert_eq!(
        v.reasons[0].text,
        "checkout-5xx fired during the Europe bake in eu-west-1 at 08:05:00Z, recovered 08:06:00Z"
    );
}

#[test]
fn a_failing_rule_is_no_go_and_an_evaluating_one_is_wait() {
    let mut fleet = fleet();
    fleet.flows[0].waves[1].conditions =
        Some(conditions(RuleStatus::Failed, ConditionStatus::Failed));
    let v = judge_now(&fleet, at(5));
    assert_eq!(
        (v.call, kinds(&v)),
        (Call::NoGo, vec![ReasonKind::ConditionFailed])
    );
    assert!(
        v.reasons[0]
            .text
            .contains("quiet-5xx (CloudWatchAlarm) failed"),
        "{}",
        v.reasons[0].text
    );

    fleet.flows[0].waves[1].conditions = Some(conditions(
        RuleStatus::InProgress,
        ConditionStatus::InProgress,
    ));
    let v = judge_now(&fleet, at(5));
    assert_eq!(
        (v.call, kinds(&v)),
        (Call::Wait, vec![ReasonKind::ConditionEvaluating])
    );
    assert!(
        v.reasons[0].text.contains("evaluating (15m00s left)"),
        "{}",
        v.reasons[0].text
    );
}

#[test]
fn a_closed_window_is_wait_saying_when_it_opens() {
    let fleet = fleet();
    let mut windows = Windows::default();
    let two = Time::constant(2, 0, 0, 0);
    let four = Time::constant(4, 0, 0, 0);
    windows.insert(US, Window::new(TimeZone::UTC, two, four).unwrap());
    let v = judge(&fleet, &windows, at(0), &[]);
    assert_eq!(
        (v.call, kinds(&v)),
        (Call::Wait, vec![ReasonKind::WindowClosed])
    );
    assert_eq!(
        v.reasons[0].text,
        "us-east-1's window is closed; opens 02:00:00Z"
    );
    // At 03:00 the next day the window is open.
    assert_eq!(judge(&fleet, &windows, at(19 * 60), &[]).call, Call::Go);
}

#[test]
fn an_unhealthy_or_drained_region_is_no_go() {
    let mut fleet = fleet();
    fleet
        .health
        .checks
        .push(HealthCheck::plain("hc-us", US, HealthStatus::Unhealthy));
    let v = judge_now(&fleet, at(5));
    assert_eq!(
        (v.call, kinds(&v)),
        (Call::NoGo, vec![ReasonKind::Unhealthy])
    );

    let mut drained = HealthCheck::plain("hc-us", US, HealthStatus::Healthy);
    drained.inverted = true;
    fleet.health.checks = vec![drained];
    let v = judge_now(&fleet, at(5));
    assert_eq!((v.call, kinds(&v)), (Call::NoGo, vec![ReasonKind::Drained]));
}

#[test]
fn replication_lag_over_the_warning_is_wait() {
    let mut fleet = fleet();
    fleet.tables.push(GlobalTable {
        name: "orders".into(),
        flow: Some("checkout".into()),
        replicas: Vec::new(),
        latency: vec![LatencySeries {
            source_region: EU.into(),
            receiving_region: US.into(),
            points: vec![(at(4), 900.0), (at(5), 7_200.0)],
        }],
        fetched_at: at(5),
    });
    let v = judge_now(&fleet, at(5));
    assert_eq!((v.call, kinds(&v)), (Call::Wait, vec![ReasonKind::Lag]));
    assert_eq!(
        v.reasons[0].text,
        "replication into us-east-1 lags 7200 ms (over 5000)"
    );
}

#[test]
fn an_earlier_waves_region_alarming_or_unhealthy_is_no_go() {
    let mut fleet = fleet();
    fleet
        .alarms
        .alarms
        .push(alarm("checkout-5xx", EU, AlarmState::Alarm, at(2)));
    fleet
        .health
        .checks
        .push(HealthCheck::plain("hc-eu", EU, HealthStatus::Unhealthy));
    let v = judge_now(&fleet, at(5));
    assert_eq!(v.call, Call::NoGo);
    assert_eq!(
        kinds(&v),
        vec![ReasonKind::PreviousWave, ReasonKind::PreviousWave]
    );
    assert_eq!(
        v.reasons[0].text,
        "eu-west-1 (an earlier wave) alarming: checkout-5xx"
    );
}

#[test]
fn alarms_not_read_are_wait_never_a_silent_go() {
    let fleet = fleet();
    let v = judge(&fleet, &Windows::default(), at(5), &[US.to_string()]);
    assert_eq!((v.call, kinds(&v)), (Call::Wait, vec![ReasonKind::Unknown]));
    let mut unknown = fleet.clone();
    unknown
        .health
        .checks
        .push(HealthCheck::plain("hc-us", US, HealthStatus::Unknown));
    let v = judge_now(&unknown, at(5));
    assert_eq!((v.call, kinds(&v)), (Call::Wait, vec![ReasonKind::Unknown]));
}

#[test]
fn no_go_wins_over_wait_and_every_reason_is_kept() {
    let mut fleet = fleet();
    fleet
        .alarms
        .watched
        .bakes
        .set("checkout", None, SignedDuration::from_mins(30));
    fleet
        .alarms
        .alarms
        .push(alarm("checkout-p99", US, AlarmState::Alarm, at(3)));
    let v = judge(&fleet, &Windows::default(), at(10), &[US.to_string()]);
    assert_eq!(v.call, Call::NoGo);
    assert_eq!(
        kinds(&v),
        vec![ReasonKind::Unknown, ReasonKind::Alarm, ReasonKind::Bake]
    );
    assert!(
        v.summary()
            .starts_with("NO-GO: alarms in us-east-1 not read yet")
    );
}

#[test]
fn gates_and_the_next_region_of_a_moving_wave_are_judged() {
    let mut fleet = fleet();
    let flow = &mut fleet.flows[0];
    flow.regions.push("ap-south-1".into());
    flow.waves[0].cells.push(cell(
        "ap-south-1",
        vec![action("ap-south-1", "Deploy", ActionStatus::NotStarted)],
    ));
    flow.waves[0].cells[0].actions[0].status = ActionStatus::InProgress;
    let judged = judged_cells(&fleet.flows[0]);
    assert_eq!(
        judged,
        vec![
            (0, "ap-south-1".to_string(), false),
            (1, US.to_string(), true)
        ]
    );
    let ctx = VerdictCtx {
        fleet: &fleet,
        windows: &Windows::default(),
        now: at(5),
        lag_warning_ms: 5_000.0,
        unread_alarm_regions: &[],
    };
    let all = fleet_verdicts(&ctx);
    assert_eq!(all.len(), 2);
    assert_eq!((all[1].wave.as_str(), all[1].gate), ("America", true));
}
