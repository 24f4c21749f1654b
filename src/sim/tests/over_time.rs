//! The demo fleet as time passes.

use jiff::SignedDuration;

use super::*;
use crate::domain::fleet::{CellStatus, ExecutionStatus, FlowKind, HealthStatus};
use crate::sim::days::world_at as world_at_offset;

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
            ("checkout", FlowKind::Pipeline),
            ("search", FlowKind::Pipeline),
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
                    Some(run) => assert_eq!(
                        live.first().map(|e| e.id.as_str()),
                        Some(&*run.execution_id)
                    ),
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
                        if &*d.action_type_id.category == "Approval" {
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

#[test]
fn a_start_days_into_the_fleets_life_is_one_world_within_its_day() {
    let day = crate::sim::days::DAY;
    let late = day * 200 + mins(30);
    // One world within a day: starting later equals starting earlier and
    // running on.
    let mut early = world_at_offset(5, late);
    early.advance_to(DEMO_EPOCH + late + mins(20));
    let later = world_at_offset(5, late + mins(20));
    assert_eq!(
        serde_json::to_string(&early).unwrap(),
        serde_json::to_string(&later).unwrap()
    );
    // Same seed and offset, same bytes; another day or seed, another world.
    let again = world_at_offset(5, late + mins(20));
    assert_eq!(
        serde_json::to_string(&later).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
    let other_day = world_at_offset(5, late + day);
    assert_ne!(later.pipelines, other_day.pipelines);
    let other_seed = world_at_offset(6, late + mins(20));
    assert_ne!(later.pipelines, other_seed.pipelines);
    // The first day is the world stepped from the epoch, as it always was.
    assert_eq!(
        serde_json::to_string(&world_at_offset(5, mins(40))).unwrap(),
        serde_json::to_string(&world_at(5, mins(40))).unwrap()
    );
}

#[test]
fn a_late_day_opens_like_the_first_and_keeps_a_history() {
    let fleet = fleet_at(DEFAULT_SEED, crate::sim::days::DAY * 365 + mins(10)).unwrap();
    let now = DEMO_EPOCH + crate::sim::days::DAY * 365 + mins(10);
    for flow in fleet.flows.iter().filter(|f| !f.pipelines.is_empty()) {
        assert!(
            flow.executions.len() >= 5,
            "{} has a history: {}",
            flow.name,
            flow.executions.len()
        );
        assert!(flow.executions.iter().all(|e| e.started_at <= now));
    }
    assert!(
        fleet.flows.iter().any(|f| f.pending_approvals() > 0),
        "gates wait ten minutes into the day, as on the first"
    );
}

#[test]
fn offsets_beyond_the_bound_are_clamped_not_overflowed() {
    let world = world_at_offset(1, SignedDuration::MAX);
    assert_eq!(world.now, DEMO_EPOCH + crate::sim::MAX_AT);
    let world = world_at_offset(1, SignedDuration::MIN);
    assert_eq!(world.now, DEMO_EPOCH);
}
