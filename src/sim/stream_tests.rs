use jiff::SignedDuration;

use super::*;
use crate::sim::{ManualClock, world_at};

fn stream_at(minutes: i64) -> (SimStream, ManualClock) {
    let world = world_at(1, SignedDuration::from_mins(minutes));
    let clock = ManualClock::new(world.now);
    let c = clock.clone();
    let backend = SimBackend::new(world, Arc::new(move || c.now()));
    (SimStream::new(Arc::new(backend)), clock)
}

#[test]
fn the_first_read_takes_stock_and_the_next_brings_only_what_moved() {
    let (stream, clock) = stream_at(10);
    assert!(
        stream.read_now().events.is_empty(),
        "the console read it all"
    );
    assert!(stream.read_now().events.is_empty(), "nothing moved");
    clock.advance(SignedDuration::from_mins(3));
    let batch = stream.read_now();
    assert!(!batch.events.is_empty());
    assert_eq!(batch.requests, 1);
    let times: Vec<_> = batch.events.iter().map(|e| e.time).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    let ids: std::collections::HashSet<_> = batch.events.iter().map(|e| &e.id).collect();
    assert_eq!(ids.len(), batch.events.len(), "each event its own id");
    assert!(stream.read_now().events.is_empty(), "each change once");
}

#[test]
fn an_action_event_names_the_execution_its_stage_runs_and_its_new_state() {
    let (stream, clock) = stream_at(10);
    stream.read_now();
    clock.advance(SignedDuration::from_mins(5));
    let batch = stream.read_now();
    let world = stream.backend.world();
    let actions: Vec<_> = batch
        .events
        .iter()
        .filter_map(|e| match &e.change {
            Change::Pipeline {
                pipeline,
                execution_id: Some(execution),
                stage: Some(stage),
                action: Some(action),
                state,
            } => Some((pipeline, execution, stage, action, state)),
            _ => None,
        })
        .collect();
    assert!(!actions.is_empty(), "{:?}", batch.events);
    // The last event of each action is the state GetPipelineState shows now.
    let (pipeline, execution, stage, action, state) = actions.last().unwrap();
    let doc = world.pipeline_state_doc(pipeline).unwrap();
    let stage_state = doc
        .stage_states
        .iter()
        .find(|s| s.stage_name == **stage)
        .unwrap();
    assert_eq!(
        &stage_state
            .latest_execution
            .as_ref()
            .unwrap()
            .pipeline_execution_id,
        *execution
    );
    let run = stage_state
        .action_states
        .iter()
        .find(|a| a.action_name == **action)
        .and_then(|a| a.latest_execution.as_ref())
        .unwrap();
    assert_eq!(action_state(&run.status), state.as_str());
}

#[test]
fn a_stack_s_new_events_come_as_resource_events_and_its_own_as_status_events() {
    let (stream, clock) = stream_at(10);
    stream.read_now();
    clock.advance(SignedDuration::from_mins(20));
    let batch = stream.read_now();
    let stacks: Vec<_> = batch
        .events
        .iter()
        .filter_map(|e| match &e.change {
            Change::Stack {
                stack,
                resource,
                resource_type,
                status,
                ..
            } => Some((stack, resource, resource_type, status)),
            _ => None,
        })
        .collect();
    assert!(
        stacks.iter().any(|(_, r, t, _)| r.is_some() && t.is_some()),
        "resource events"
    );
    assert!(
        stacks.iter().any(|(_, r, _, _)| r.is_none()),
        "stack status events"
    );
}
