//! The simulator through the Observe and Operate traits.

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::protocol::{Observation, Observe, Operate, OperateCall, PollKey, SourceError};

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
    // Five flow shapes, and two V2 pipelines held by stage conditions.
    assert_eq!(d.flows.len(), 7);
    assert_eq!(d.stacks.len(), 24);
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
        None,
    ))
    .into_answered()
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

#[test]
fn a_merged_stack_event_is_the_simulator_s_record_not_a_copy() {
    let clock = ManualClock::new(DEMO_EPOCH + mins(10));
    let backend = SimBackend::new(SimWorld::new(1, DEMO_EPOCH), clock.as_clock());
    let region = "ap-southeast-2";
    let mut fleet = crate::domain::fleet::Fleet::empty();
    let mut discovery = run(backend.discover()).unwrap();
    crate::core::merge::apply_discovery(&mut fleet, &mut discovery, clock.now());
    let answer = run(backend.poll(PollKey::Stacks {
        region: region.into(),
    }))
    .unwrap();
    crate::core::merge::apply_observation(&mut fleet, answer, clock.now(), 200);

    let world = backend.world();
    let simulated: Vec<_> = world.stacks.iter().filter(|s| s.region == region).collect();
    assert!(!simulated.is_empty());
    for sim in simulated {
        let kept = fleet
            .stacks
            .iter()
            .find(|s| s.name == sim.name && s.region == region)
            .unwrap();
        assert!(!kept.events.is_empty(), "{}", sim.name);
        assert_eq!(kept.events, sim.events, "{}", sim.name);
        assert!(
            kept.events
                .iter()
                .zip(&sim.events)
                .all(|(kept, held)| kept.is_shared_with(held)),
            "{}",
            sim.name
        );
    }
}

#[test]
fn a_flow_answer_s_history_keeps_no_room_beyond_its_executions() {
    let world = SimWorld::new(1, DEMO_EPOCH);
    let names: Vec<String> = world.flows.iter().map(|f| f.name.clone()).collect();
    let mut seen = 0;
    for name in names {
        let flow = world.flow(&name).unwrap();
        seen += flow.executions.len();
        assert_eq!(flow.executions.capacity(), flow.executions.len(), "{name}");
    }
    assert!(seen > 10, "{seen}");
}
