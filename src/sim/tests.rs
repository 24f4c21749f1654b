//! The simulated world over time, its determinism and its operate calls.

use futures_util::FutureExt;
use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::domain::fleet::{CellStatus, ExecutionStatus, FlowKind, HealthStatus};
use crate::domain::pipeline_doc::ActionExecution;
use crate::source::{Observation, Observe, Operate, OperateCall, PollKey, RetryMode};

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

fn world_at(seed: u64, at: SignedDuration) -> SimWorld {
    let mut w = SimWorld::new(seed, DEMO_EPOCH);
    w.advance_to(DEMO_EPOCH + at);
    w
}

fn step(w: &mut SimWorld, by: SignedDuration) {
    let t = w.now + by;
    w.advance_to(t);
}

fn action_state(
    w: &SimWorld,
    pipeline: &str,
    stage: &str,
    action: &str,
) -> Option<ActionExecution> {
    let doc = w.pipeline_state_doc(pipeline)?;
    let st = doc
        .stage_states
        .into_iter()
        .find(|s| s.stage_name == stage)?;
    st.action_states
        .into_iter()
        .find(|a| a.action_name == action)?
        .latest_execution
}

fn stage_latest(w: &SimWorld, pipeline: &str, stage: &str) -> Option<(String, String)> {
    let p = w.pipeline(pipeline)?;
    let s = p.stage_index(stage)?;
    p.stages[s]
        .latest
        .as_ref()
        .map(|l| (l.pipeline_execution_id.clone(), l.status.clone()))
}

fn newest(w: &SimWorld, pipeline: &str) -> crate::domain::fleet::Execution {
    w.pipeline(pipeline).unwrap().executions[0].clone()
}

fn approve(pipeline: &str, stage: &str, action: &str, approved: bool) -> OperateCall {
    OperateCall::PutApprovalResult {
        pipeline: pipeline.into(),
        stage: stage.into(),
        action: action.into(),
        approved,
        summary: "checked the canary".into(),
    }
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    f.now_or_never().expect("the simulator answers at once")
}

// ---- determinism and time ---------------------------------------------------

#[test]
fn same_seed_and_time_give_the_same_bytes_and_another_seed_differs() {
    let a = serde_json::to_string(&fleet_at(1, mins(10)).unwrap()).unwrap();
    let b = serde_json::to_string(&fleet_at(1, mins(10)).unwrap()).unwrap();
    let c = serde_json::to_string(&fleet_at(2, mins(10)).unwrap()).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let w1 = serde_json::to_string(&world_at(7, mins(3))).unwrap();
    let w2 = serde_json::to_string(&world_at(7, mins(3))).unwrap();
    assert_eq!(w1, w2);
}

#[test]
fn advancing_in_steps_equals_advancing_at_once_and_never_goes_back() {
    let mut stepped = SimWorld::new(3, DEMO_EPOCH);
    for _ in 0..10 {
        step(&mut stepped, SignedDuration::from_secs(37));
    }
    let direct = world_at(3, SignedDuration::from_secs(370));
    assert_eq!(
        serde_json::to_string(&stepped).unwrap(),
        serde_json::to_string(&direct).unwrap()
    );
    let before = stepped.now;
    stepped.advance_to(DEMO_EPOCH);
    assert_eq!(stepped.now, before);
}

// ---- the world over time ------------------------------------------------------

#[test]
fn ten_minutes_in_seed_one_shows_a_waiting_gate_a_failure_and_fresh_events() {
    let fleet = fleet_at(DEFAULT_SEED, mins(10)).unwrap();
    let global = fleet.flow("global-api").unwrap();
    assert!(global.pending_approvals() >= 1);
    let waiting = global
        .waves
        .iter()
        .flat_map(|w| &w.cells)
        .find_map(|c| c.pending_approval())
        .unwrap();
    assert!(waiting.approval.as_ref().unwrap().token_present);

    let service_x = fleet.flow("service-x").unwrap();
    assert_eq!(
        service_x.latest_execution().unwrap().status,
        ExecutionStatus::Failed
    );
    let deploy = service_x.wave("Deploy").unwrap();
    assert_eq!(
        deploy.cell("ap-southeast-2").unwrap().status(),
        CellStatus::Failed
    );
    assert_eq!(
        deploy.cell("eu-west-1").unwrap().status(),
        CellStatus::Succeeded
    );
    let app = fleet.stack("ap-southeast-2", "service-x-app").unwrap();
    assert_eq!(app.status, "UPDATE_ROLLBACK_COMPLETE");
    assert!(app.failing_event().is_some());

    let fresh = fleet
        .stacks
        .iter()
        .flat_map(|s| &s.events)
        .filter(|e| e.timestamp > DEMO_EPOCH)
        .count();
    assert!(fresh > 10, "only {fresh} events since the start");
    let progressed = fleet
        .flows
        .iter()
        .flat_map(|f| &f.executions)
        .filter(|e| e.updated_at > DEMO_EPOCH)
        .count();
    assert!(progressed >= 2);
    assert!(fleet.flows.iter().any(|f| {
        f.waves
            .iter()
            .flat_map(|w| &w.cells)
            .any(|c| c.status() == CellStatus::InProgress)
    }));
}

#[test]
fn every_flow_shape_is_present_with_history() {
    let fleet = fleet_at(1, SignedDuration::ZERO).unwrap();
    let kinds: Vec<(&str, FlowKind)> = fleet
        .flows
        .iter()
        .map(|f| (f.name.as_str(), f.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("global-api", FlowKind::Pipeline),
            ("service-x", FlowKind::Pipeline),
            ("orders-active-active", FlowKind::Pipeline),
            ("billing-failover", FlowKind::Unmanaged),
            ("edge-relay", FlowKind::Chained),
        ]
    );
    let billing = fleet.flow("billing-failover").unwrap();
    assert!(billing.pipelines.is_empty());
    assert_eq!(billing.waves.len(), 1);
    assert_eq!(billing.waves[0].regions(), ["us-east-1", "us-west-2"]);
    assert_eq!(billing.waves[0].cells[0].stack_names(), ["billing-api"]);
    let edge = fleet.flow("edge-relay").unwrap();
    assert_eq!(edge.pipelines.len(), 2);
    assert_eq!(edge.regions, ["us-east-1", "ap-south-1"]);
    for flow in fleet.flows.iter().filter(|f| f.kind != FlowKind::Unmanaged) {
        assert!(flow.executions.len() >= 10, "{}", flow.name);
        for pair in flow.executions.windows(2) {
            assert!(pair[0].started_at >= pair[1].started_at);
        }
        assert!(
            flow.executions
                .iter()
                .any(|e| e.status == ExecutionStatus::Succeeded)
        );
        assert!(
            flow.executions
                .iter()
                .all(|e| e.revision_id.as_ref().is_some_and(|r| r.len() == 40))
        );
    }
    assert_eq!(fleet.tables[0].latency.len(), 6);
    assert!(fleet.tables[0].latency.iter().all(|s| s.points.len() == 60));
}

#[test]
fn stack_events_are_unique_and_newest_first() {
    let w = world_at(5, mins(30));
    for s in &w.stacks {
        for pair in s.events.windows(2) {
            assert!(
                pair[0].timestamp >= pair[1].timestamp,
                "{} {}",
                s.region,
                s.name
            );
        }
        let mut ids: Vec<&str> = s.events.iter().map(|e| e.event_id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), s.events.len());
    }
}

#[test]
fn the_chained_pipeline_starts_after_the_first_one_succeeds() {
    let w = world_at(1, mins(60));
    let build = w.pipeline("edge-relay-build").unwrap();
    let apse = w.pipeline("edge-relay-apse").unwrap();
    let done = build
        .executions
        .iter()
        .find(|e| e.started_at > DEMO_EPOCH && e.status == ExecutionStatus::Succeeded)
        .expect("a build that succeeded during the hour");
    let handed = apse
        .executions
        .iter()
        .find(|e| e.revision_id == done.revision_id)
        .expect("the second pipeline ran the same revision");
    assert_eq!(handed.trigger, "CloudWatchEvent");
    assert!(handed.started_at > done.updated_at);
}

#[test]
fn idle_pipelines_start_new_executions() {
    let w = world_at(1, mins(90));
    let started = w
        .pipelines
        .iter()
        .flat_map(|p| &p.executions)
        .filter(|e| e.started_at > DEMO_EPOCH)
        .count();
    assert!(started >= 3, "{started}");
}

#[test]
fn health_checks_flap_and_recover() {
    let mut w = world_at(1, SignedDuration::ZERO);
    let mut went_down = 0;
    let mut recovered = 0;
    let mut was_down = vec![false; w.checks.len()];
    for _ in 0..(6 * 360) {
        step(&mut w, SignedDuration::from_secs(10));
        for (i, c) in w.checks.iter().enumerate() {
            let down = c.status(w.now) == HealthStatus::Unhealthy;
            if down && !was_down[i] {
                went_down += 1;
                assert!(
                    c.observations(w.now)
                        .iter()
                        .any(|o| !o.healthy && o.reason.starts_with("Failure"))
                );
            }
            if !down && was_down[i] {
                recovered += 1;
            }
            was_down[i] = down;
        }
    }
    assert!(went_down >= 2, "{went_down}");
    assert!(recovered >= 1);
}

#[test]
fn invariants_hold_for_many_seeds_over_two_hours() {
    for seed in 0..12 {
        let mut w = world_at(seed, SignedDuration::ZERO);
        for _ in 0..8 {
            step(&mut w, mins(15));
            for p in &w.pipelines {
                let live: Vec<_> = p
                    .executions
                    .iter()
                    .filter(|e| {
                        matches!(
                            e.status,
                            ExecutionStatus::InProgress | ExecutionStatus::Stopping
                        )
                    })
                    .collect();
                assert!(
                    live.len() <= 1,
                    "seed {seed}: {} has {} live executions",
                    p.name(),
                    live.len()
                );
                match &p.run {
                    Some(run) => assert_eq!(live.first().map(|e| &e.id), Some(&run.execution_id)),
                    None => assert!(
                        live.is_empty(),
                        "seed {seed}: {} idle with a live execution",
                        p.name()
                    ),
                }
                for pair in p.executions.windows(2) {
                    assert!(pair[0].started_at >= pair[1].started_at);
                }
                let doc = p.state_doc();
                for (stage, decl) in doc.stage_states.iter().zip(&p.decl.stages) {
                    for (a, d) in stage.action_states.iter().zip(&decl.actions) {
                        let Some(e) = &a.latest_execution else {
                            continue;
                        };
                        if d.action_type_id.category == "Approval" {
                            assert_eq!(
                                e.status == "InProgress",
                                e.token.is_some(),
                                "seed {seed}: {}",
                                a.action_name
                            );
                        }
                    }
                }
            }
        }
    }
}

// ---- operate -------------------------------------------------------------------

#[test]
fn approving_a_waiting_gate_lets_the_stage_continue_and_a_second_answer_is_refused() {
    let mut w = world_at(1, mins(10));
    let state = action_state(&w, "global-api", "Europe", "EuWest1.Approve").unwrap();
    assert_eq!(state.status, "InProgress");
    assert!(state.token.is_some());
    w.operate(
        approve("global-api", "Europe", "EuWest1.Approve", true),
        SIM_IDENTITY,
    )
    .unwrap();
    let state = action_state(&w, "global-api", "Europe", "EuWest1.Approve").unwrap();
    assert_eq!(state.status, "Succeeded");
    assert!(state.token.is_none());
    assert_eq!(state.summary.as_deref(), Some("checked the canary"));
    let again = w.operate(
        approve("global-api", "Europe", "EuWest1.Approve", true),
        SIM_IDENTITY,
    );
    assert!(
        matches!(again, Err(SourceError::ApprovalAlreadyCompleted(_))),
        "{again:?}"
    );

    w.operate(
        approve("global-api", "Europe", "EuCentral1.Approve", true),
        SIM_IDENTITY,
    )
    .unwrap();
    step(&mut w, SignedDuration::from_secs(2));
    let prepare = action_state(&w, "global-api", "Europe", "EuWest1.Api.Prepare").unwrap();
    assert_eq!(prepare.status, "InProgress");
    assert_eq!(
        prepare.last_status_change,
        pipeline::epoch(w.now - SignedDuration::from_secs(1))
    );
}

#[test]
fn rejecting_a_gate_fails_the_stage_and_the_execution() {
    let mut w = world_at(1, mins(10));
    let exec = newest(&w, "global-api");
    w.operate(
        approve("global-api", "Europe", "EuCentral1.Approve", false),
        SIM_IDENTITY,
    )
    .unwrap();
    let state = action_state(&w, "global-api", "Europe", "EuCentral1.Approve").unwrap();
    assert_eq!(state.status, "Failed");
    // The other gate of the wave still waits; the stage fails once nothing runs.
    w.operate(
        approve("global-api", "Europe", "EuWest1.Approve", true),
        SIM_IDENTITY,
    )
    .unwrap();
    step(&mut w, SignedDuration::from_secs(1));
    assert_eq!(
        stage_latest(&w, "global-api", "Europe"),
        Some((exec.id.clone(), "Failed".into()))
    );
    assert_eq!(newest(&w, "global-api").status, ExecutionStatus::Failed);
    assert_eq!(
        action_state(&w, "global-api", "Europe", "EuWest1.Api.Prepare")
            .unwrap()
            .status,
        "Succeeded"
    );
}

#[test]
fn approving_a_gate_the_current_execution_has_not_reached_is_an_invalid_token() {
    let mut w = world_at(1, SignedDuration::ZERO);
    let p = w.pipeline("global-api").unwrap();
    let run_stage = p.run.as_ref().expect("global-api is rolling out").stage;
    let europe = p.stage_index("Europe").unwrap();
    assert!(run_stage < europe);
    let r = w.operate(
        approve("global-api", "Europe", "EuWest1.Approve", true),
        SIM_IDENTITY,
    );
    assert!(
        matches!(r, Err(SourceError::InvalidApprovalToken(_))),
        "{r:?}"
    );
    let r = w.operate(approve("global-api", "Build", "Synth", true), SIM_IDENTITY);
    assert!(matches!(r, Err(SourceError::NotFound(_))), "{r:?}");
    let r = w.operate(approve("nope", "Build", "Synth", true), SIM_IDENTITY);
    assert!(matches!(r, Err(SourceError::NotFound(_))), "{r:?}");
}

fn retry(execution_id: &str, stage: &str, mode: RetryMode) -> OperateCall {
    OperateCall::RetryStageExecution {
        pipeline: "service-x".into(),
        stage: stage.into(),
        execution_id: execution_id.into(),
        mode,
    }
}

fn deploy_action_ids(w: &SimWorld) -> Vec<(String, Option<String>)> {
    let doc = w.pipeline_state_doc("service-x").unwrap();
    doc.stage_states[1]
        .action_states
        .iter()
        .map(|a| {
            (
                a.action_name.clone(),
                a.latest_execution
                    .as_ref()
                    .and_then(|e| e.action_execution_id.clone()),
            )
        })
        .collect()
}

#[test]
fn retrying_failed_actions_reruns_only_those() {
    let mut w = world_at(1, mins(10));
    let failed = newest(&w, "service-x");
    assert_eq!(failed.status, ExecutionStatus::Failed);
    let older = w.pipeline("service-x").unwrap().executions[1].id.clone();
    let r = w.operate(
        retry(&older, "Deploy", RetryMode::FailedActions),
        SIM_IDENTITY,
    );
    assert!(
        matches!(r, Err(SourceError::NotLatestExecution(_))),
        "{r:?}"
    );
    let r = w.operate(
        retry(&failed.id, "Source", RetryMode::FailedActions),
        SIM_IDENTITY,
    );
    assert!(matches!(r, Err(SourceError::StageNotRetryable(_))), "{r:?}");

    let before = deploy_action_ids(&w);
    w.operate(
        retry(&failed.id, "Deploy", RetryMode::FailedActions),
        SIM_IDENTITY,
    )
    .unwrap();
    assert_eq!(newest(&w, "service-x").status, ExecutionStatus::InProgress);
    let r = w.operate(
        retry(&failed.id, "Deploy", RetryMode::FailedActions),
        SIM_IDENTITY,
    );
    assert!(matches!(r, Err(SourceError::StageNotRetryable(_))), "{r:?}");
    step(&mut w, SignedDuration::from_secs(1));
    let after = deploy_action_ids(&w);
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, _)| b.0.as_str())
        .collect();
    assert_eq!(changed, ["ap-southeast-2-ExecuteChangeSet"]);
    step(&mut w, mins(10));
    let done = newest(&w, "service-x");
    assert_eq!(done.id, failed.id);
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(
        stage_latest(&w, "service-x", "Deploy"),
        Some((failed.id, "Succeeded".into()))
    );
}

#[test]
fn retrying_all_actions_starts_the_stage_over() {
    let mut w = world_at(1, mins(10));
    let failed = newest(&w, "service-x");
    let before = deploy_action_ids(&w);
    w.operate(
        retry(&failed.id, "Deploy", RetryMode::AllActions),
        SIM_IDENTITY,
    )
    .unwrap();
    step(&mut w, SignedDuration::from_secs(1));
    let after = deploy_action_ids(&w);
    for ((name, old), (_, new)) in before.iter().zip(&after) {
        // runOrder 1 (infrastructure) runs again first; later run orders wait.
        assert_eq!(old != new, name.ends_with("CreateInfrastructure"), "{name}");
    }
    let doc = w.pipeline_state_doc("service-x").unwrap();
    let running = doc.stage_states[1]
        .action_states
        .iter()
        .filter(|a| {
            a.latest_execution
                .as_ref()
                .is_some_and(|e| e.status == "InProgress")
        })
        .count();
    assert_eq!(running, 3);
}

#[test]
fn a_disabled_transition_holds_the_execution_until_enabled() {
    let mut w = world_at(1, SignedDuration::ZERO);
    let bad = OperateCall::DisableStageTransition {
        pipeline: "global-api".into(),
        stage: "Europe".into(),
        reason: "hold: until 20:00".into(),
    };
    assert!(matches!(
        w.operate(bad, SIM_IDENTITY),
        Err(SourceError::Other(_))
    ));
    let first = OperateCall::DisableStageTransition {
        pipeline: "global-api".into(),
        stage: "Source".into(),
        reason: "no".into(),
    };
    assert!(matches!(
        w.operate(first, SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));

    let held_at = w.now;
    w.operate(
        OperateCall::DisableStageTransition {
            pipeline: "global-api".into(),
            stage: "Europe".into(),
            reason: "Hold until off-hours in Europe".into(),
        },
        SIM_IDENTITY,
    )
    .unwrap();
    let wave = w.flow("global-api").unwrap();
    let europe = wave.wave("Europe").unwrap();
    assert!(!europe.transition.enabled);
    assert_eq!(
        europe.transition.disabled_reason.as_deref(),
        Some("Hold until off-hours in Europe")
    );
    assert_eq!(europe.transition.changed_by.as_deref(), Some(SIM_IDENTITY));
    assert_eq!(europe.transition.changed_at, Some(held_at));
    assert!(europe.cells.iter().all(|c| c.held));

    step(&mut w, mins(60));
    let exec = newest(&w, "global-api");
    assert_eq!(exec.status, ExecutionStatus::InProgress);
    let run = w.pipeline("global-api").unwrap().run.clone().unwrap();
    assert_eq!(
        run.stage,
        w.pipeline("global-api")
            .unwrap()
            .stage_index("Europe")
            .unwrap()
    );
    assert!(!run.entered);
    assert_ne!(stage_latest(&w, "global-api", "Europe").unwrap().0, exec.id);

    w.operate(
        OperateCall::EnableStageTransition {
            pipeline: "global-api".into(),
            stage: "Europe".into(),
        },
        SIM_IDENTITY,
    )
    .unwrap();
    step(&mut w, SignedDuration::from_secs(1));
    assert_eq!(
        stage_latest(&w, "global-api", "Europe"),
        Some((exec.id, "InProgress".into()))
    );
    assert!(
        w.flow("global-api")
            .unwrap()
            .wave("Europe")
            .unwrap()
            .transition
            .enabled
    );
}

#[test]
fn stop_with_abandon_ends_the_execution_at_once() {
    let mut w = world_at(1, mins(10));
    let exec = newest(&w, "global-api");
    let stop = |abandon| OperateCall::StopPipelineExecution {
        pipeline: "global-api".into(),
        execution_id: exec.id.clone(),
        abandon,
        reason: "bad canary".into(),
    };
    w.operate(stop(true), SIM_IDENTITY).unwrap();
    assert_eq!(newest(&w, "global-api").status, ExecutionStatus::Stopped);
    assert_eq!(
        stage_latest(&w, "global-api", "Europe"),
        Some((exec.id.clone(), "Stopped".into()))
    );
    let gate = action_state(&w, "global-api", "Europe", "EuWest1.Approve").unwrap();
    assert_eq!(gate.status, "Abandoned");
    assert!(gate.token.is_none());
    assert!(matches!(
        w.operate(stop(true), SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));
    let older = w.pipeline("global-api").unwrap().executions[1].id.clone();
    let r = w.operate(
        OperateCall::StopPipelineExecution {
            pipeline: "global-api".into(),
            execution_id: older,
            abandon: false,
            reason: "x".into(),
        },
        SIM_IDENTITY,
    );
    assert!(matches!(r, Err(SourceError::Conflict(_))));
}

#[test]
fn stop_without_abandon_waits_for_running_actions() {
    let mut w = world_at(1, mins(10));
    let deploy = action_state(&w, "orders-active-active", "ApSoutheast2", "Deploy").unwrap();
    assert_eq!(deploy.status, "InProgress");
    let exec = newest(&w, "orders-active-active");
    w.operate(
        OperateCall::StopPipelineExecution {
            pipeline: "orders-active-active".into(),
            execution_id: exec.id.clone(),
            abandon: false,
            reason: "pause".into(),
        },
        SIM_IDENTITY,
    )
    .unwrap();
    assert_eq!(
        newest(&w, "orders-active-active").status,
        ExecutionStatus::Stopping
    );
    assert_eq!(
        stage_latest(&w, "orders-active-active", "ApSoutheast2")
            .unwrap()
            .1,
        "Stopping"
    );
    step(&mut w, mins(6));
    assert_eq!(
        newest(&w, "orders-active-active").status,
        ExecutionStatus::Stopped
    );
    assert_eq!(
        stage_latest(&w, "orders-active-active", "ApSoutheast2")
            .unwrap()
            .1,
        "Stopped"
    );
    let deploy = action_state(&w, "orders-active-active", "ApSoutheast2", "Deploy").unwrap();
    assert!(
        deploy.status == "Succeeded" || deploy.status == "Failed",
        "{}",
        deploy.status
    );
}

#[test]
fn rollback_redeploys_one_stage_with_the_target_revision() {
    let mut w = world_at(1, mins(10));
    let history = w.pipeline("service-x").unwrap().executions.clone();
    let target = history
        .iter()
        .find(|e| e.status == ExecutionStatus::Succeeded)
        .unwrap()
        .clone();
    let failed = history
        .iter()
        .find(|e| e.status == ExecutionStatus::Failed)
        .unwrap()
        .clone();
    let rollback = |target: &str| OperateCall::RollbackStage {
        pipeline: "service-x".into(),
        stage: "Deploy".into(),
        target_execution_id: target.into(),
    };
    assert!(matches!(
        w.operate(rollback(&failed.id), SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));
    assert!(matches!(
        w.operate(rollback("missing"), SIM_IDENTITY),
        Err(SourceError::NotFound(_))
    ));
    let source_before = stage_latest(&w, "service-x", "Source");

    w.operate(rollback(&target.id), SIM_IDENTITY).unwrap();
    let rb = newest(&w, "service-x");
    assert_eq!(rb.trigger, "RollbackStage");
    assert_eq!(rb.revision_id, target.revision_id);
    assert!(matches!(
        w.operate(rollback(&target.id), SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));
    step(&mut w, mins(12));
    assert_eq!(
        w.pipeline("service-x")
            .unwrap()
            .executions
            .iter()
            .find(|e| e.id == rb.id)
            .unwrap()
            .status,
        ExecutionStatus::Succeeded
    );
    assert_eq!(
        stage_latest(&w, "service-x", "Deploy"),
        Some((rb.id, "Succeeded".into()))
    );
    assert_eq!(stage_latest(&w, "service-x", "Source"), source_before);
}

#[test]
fn inverting_a_check_drains_the_region_and_raises_replication_lag_elsewhere() {
    let mut calm = world_at(1, mins(10));
    let mut drained = calm.clone();
    let id = spec::health_check_id("orders-active-active", "eu-west-1");
    drained
        .operate(
            OperateCall::SetHealthCheckInverted {
                health_check_id: id.clone(),
                inverted: true,
            },
            SIM_IDENTITY,
        )
        .unwrap();
    let check = drained
        .health_checks(false)
        .into_iter()
        .find(|c| c.id == id)
        .unwrap();
    assert!(check.inverted);
    assert_eq!(check.status, HealthStatus::Unhealthy);
    step(&mut calm, mins(15));
    step(&mut drained, mins(15));
    let recent = |w: &SimWorld| -> f64 {
        let t = w.tables[0].to_table(w.now);
        let s = t.series("us-east-1", "ap-southeast-2").unwrap();
        s.points.iter().rev().take(10).map(|(_, v)| v).sum()
    };
    assert!(recent(&drained) > recent(&calm) * 1.4);
    let r = drained.operate(
        OperateCall::SetHealthCheckInverted {
            health_check_id: "nope".into(),
            inverted: true,
        },
        SIM_IDENTITY,
    );
    assert!(matches!(r, Err(SourceError::NotFound(_))));
}

// ---- the backend traits ---------------------------------------------------------

#[test]
fn stacks_polls_return_only_events_newer_than_the_last_poll() {
    let clock = ManualClock::new(DEMO_EPOCH + mins(10));
    let backend = SimBackend::new(SimWorld::new(1, DEMO_EPOCH), clock.as_clock());
    let poll = |b: &SimBackend| match run(b.poll(PollKey::Stacks {
        region: "ap-southeast-2".into(),
    }))
    .unwrap()
    {
        Observation::Stacks { stacks, .. } => stacks,
        other => panic!("{other:?}"),
    };
    let first = poll(&backend);
    assert_eq!(first.len(), 3);
    assert!(first.iter().all(|s| !s.new_events.is_empty()));
    let newest_seen = first
        .iter()
        .flat_map(|s| s.new_events.first())
        .map(|e| e.timestamp)
        .max()
        .unwrap();
    assert!(poll(&backend).iter().all(|s| s.new_events.is_empty()));
    clock.advance(mins(5));
    let later = poll(&backend.clone_handle());
    let fresh: Vec<_> = later.iter().flat_map(|s| &s.new_events).collect();
    assert!(!fresh.is_empty());
    assert!(
        fresh
            .iter()
            .all(|e| e.timestamp > newest_seen - SignedDuration::from_secs(300))
    );
    assert!(
        later
            .iter()
            .any(|s| s.name == "orders-api" && s.status == "UPDATE_COMPLETE")
    );
}

#[test]
fn the_backend_observes_and_operates_the_same_world() {
    let clock = ManualClock::new(DEMO_EPOCH);
    let backend = SimBackend::new(SimWorld::new(1, DEMO_EPOCH), clock.as_clock());
    let operator = backend.clone_handle();
    assert_eq!(run(operator.identity()).unwrap(), SIM_IDENTITY);
    let d = run(backend.discover()).unwrap();
    assert_eq!(d.fleet_label, "DEMO");
    assert_eq!(d.flows.len(), 5);
    assert_eq!(d.stacks.len(), 18);
    assert_eq!(d.tables[0].source_region, "us-east-1");
    let failover = d
        .record_sets
        .iter()
        .find(|r| r.name == "billing.example.com.")
        .unwrap();
    assert!(failover.records[0].health_check_id.is_some());
    assert!(failover.records[1].health_check_id.is_none());

    let id = spec::health_check_id("billing-failover", "us-east-1");
    run(operator.execute(OperateCall::SetHealthCheckInverted {
        health_check_id: id.clone(),
        inverted: true,
    }))
    .unwrap();
    clock.advance(SignedDuration::from_secs(30));
    match run(backend.poll(PollKey::Health)).unwrap() {
        Observation::Health { checks } => {
            let c = checks.iter().find(|c| c.id == id).unwrap();
            assert!(c.inverted && !c.routes_traffic());
            assert_eq!(c.fetched_at, DEMO_EPOCH + SignedDuration::from_secs(30));
        }
        other => panic!("{other:?}"),
    }
    match run(backend.poll(PollKey::Checkers {
        health_check_id: id,
    }))
    .unwrap()
    {
        Observation::Checkers { observations, .. } => assert_eq!(observations.len(), 6),
        other => panic!("{other:?}"),
    }
    let missing = run(backend.poll(PollKey::Checkers {
        health_check_id: "x".into(),
    }));
    assert!(matches!(missing, Err(SourceError::NotFound(_))));
    let missing = run(backend.poll(PollKey::Flow { flow: "x".into() }));
    assert!(matches!(missing, Err(SourceError::NotFound(_))));
    let fleet: Timestamp = backend.world().now;
    assert_eq!(fleet, DEMO_EPOCH + SignedDuration::from_secs(30));
}

#[test]
fn full_snapshot_of_the_backend_matches_fleet_at() {
    let at = mins(4);
    let clock = ManualClock::new(DEMO_EPOCH + at);
    let backend = SimBackend::new(SimWorld::new(9, DEMO_EPOCH), clock.as_clock());
    let observe: &dyn Observe = &backend;
    let via_trait = run(crate::source::snapshot::full_snapshot(
        observe,
        DEMO_EPOCH + at,
    ))
    .unwrap();
    assert_eq!(via_trait, fleet_at(9, at).unwrap());
    let regions: Vec<&str> = via_trait.stacks.iter().map(|s| s.region.as_str()).collect();
    let mut sorted = regions.clone();
    sorted.sort();
    assert_eq!(regions, sorted);
}

#[test]
#[ignore = "timing: cargo test --release --lib sim::tests::timing -- --ignored --nocapture"]
fn timing_of_fleet_at() {
    for at in [mins(10), mins(60), mins(24 * 60)] {
        let started = std::time::Instant::now();
        let fleet = fleet_at(1, at).unwrap();
        println!(
            "fleet_at(1, {at:?}): {:?}, {} bytes of JSON",
            started.elapsed(),
            serde_json::to_string(&fleet).unwrap().len()
        );
    }
}
