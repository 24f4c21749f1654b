//! The change stream through update(), on the simulated fleet and a passed-in
//! clock: while the stream is live, pipelines are polled only when they emit
//! an event or at the reconcile cadence; a failed read brings polling back.

use jiff::{SignedDuration, Timestamp};
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::stream::{enable_stream, stream_label};
use wavetop::domain::fleet::ActionStatus;
use wavetop::domain::stream_event::{Change, StreamEvent};
use wavetop::poll::stream::StreamCadence;
use wavetop::protocol::{OperateCall, PollKey, ReadStream, SourceError, StreamBatch};
use wavetop::sim::stream::SimStream;

use super::support::Console;
use futures_util::FutureExt;
use wavetop::protocol::Operate;

/// Ticks once and answers the stream's read, if one was asked, with `answer`.
/// Returns the flows the tick polled.
fn tick(c: &mut Console, answer: &dyn Fn() -> Result<StreamBatch, SourceError>) -> Vec<String> {
    let fx = c.send(Msg::Tick);
    let reads: Vec<Effect> = c
        .held_back
        .extract_if(.., |e| matches!(e, Effect::ReadStream { .. }))
        .collect();
    for read in reads {
        if let Effect::ReadStream { generation } = read {
            c.send(Msg::Streamed {
                generation,
                result: answer(),
            });
        }
    }
    fx.into_iter()
        .filter_map(|e| match e {
            Effect::Poll {
                key: PollKey::Flow { flow },
                ..
            } => Some(flow),
            _ => None,
        })
        .collect()
}

/// Runs the console for `secs` seconds, a tick a second; the flows polled.
fn run_for(
    c: &mut Console,
    secs: i64,
    answer: &dyn Fn() -> Result<StreamBatch, SourceError>,
) -> Vec<String> {
    let mut polled = Vec::new();
    for _ in 0..secs {
        c.clock.advance(SignedDuration::from_secs(1));
        polled.extend(tick(c, answer));
    }
    polled
}

fn quiet() -> Result<StreamBatch, SourceError> {
    Ok(StreamBatch::default())
}

/// A stream that brings `events` at every read (a reader drops what it has
/// seen; the model must cope with seeing them again).
fn bringing(events: Vec<StreamEvent>) -> impl Fn() -> Result<StreamBatch, SourceError> {
    move || {
        Ok(StreamBatch {
            events: events.clone(),
            ..StreamBatch::default()
        })
    }
}

/// The demo fleet with the stream live for a minute: every pipeline has
/// been read once more since and now waits for its reconciliation.
fn live() -> Console {
    let mut c = Console::at_minutes(10);
    enable_stream(&mut c.model, StreamCadence::default());
    run_for(&mut c, 60, &quiet);
    assert_eq!(stream_label(&c.model).as_deref(), Some("⇄ stream live"));
    c
}

fn action_event(pipeline: &str, at: Timestamp) -> StreamEvent {
    StreamEvent {
        id: format!("ev-{pipeline}"),
        time: at,
        account: "111122223333".into(),
        region: "us-east-1".into(),
        change: Change::Pipeline {
            pipeline: pipeline.into(),
            execution_id: None,
            stage: Some("Deploy".into()),
            action: Some("Deploy".into()),
            state: "SUCCEEDED".into(),
        },
    }
}

#[test]
fn with_the_stream_live_a_pipeline_is_polled_only_when_it_emits_an_event() {
    let mut c = live();
    let quiet_polls = run_for(&mut c, 120, &quiet);
    // The flow without a pipeline emits nothing and keeps its cadence.
    assert!(
        quiet_polls.iter().all(|f| f == "billing-failover"),
        "no polling of pipelines while live: {quiet_polls:?}"
    );
    assert!(
        !quiet_polls.is_empty(),
        "the flow without a pipeline is polled"
    );

    let flow = c.model.fleet.flows[1].clone();
    let pipeline = flow.pipelines[0].name.clone();
    let now = c.now();
    let emitted = bringing(vec![action_event(&pipeline, now)]);
    // The read that brings the event, then the tick that polls.
    let mut polled = run_for(&mut c, 2, &emitted);
    polled.extend(run_for(&mut c, 3, &quiet));
    assert!(polled.contains(&flow.name), "{polled:?}");
    assert!(
        polled.iter().all(|f| *f == flow.name),
        "only the emitter: {polled:?}"
    );
}

#[test]
fn a_failed_read_falls_back_to_polling_and_a_good_one_returns_to_the_stream() {
    let mut c = live();
    let failing = || Err(SourceError::Throttled("Rate exceeded".into()));
    let polled = run_for(&mut c, 6, &failing);
    assert_eq!(
        stream_label(&c.model).as_deref(),
        Some("⚠ STREAM FAILED: POLLING")
    );
    assert_eq!(c.model.poll.floor_secs(), None);
    for flow in &c.model.fleet.flows {
        assert!(polled.contains(&flow.name), "{} polled again", flow.name);
    }
    assert!(
        c.model
            .activity
            .iter()
            .any(|e| e.text.contains("change stream failed")),
        "said once in the activity log"
    );

    // The stream reads again (its backoff is at most a minute).
    run_for(&mut c, 70, &quiet);
    assert_eq!(stream_label(&c.model).as_deref(), Some("⇄ stream live"));
    assert_eq!(c.model.poll.floor_secs(), Some(900));
}

#[test]
fn a_change_whose_event_was_missed_is_caught_by_reconciliation() {
    let mut c = live();
    let flow = c
        .model
        .fleet
        .flows
        .iter()
        .find(|f| f.pipelines.len() == 1 && f.waves.iter().all(|w| w.transition.enabled))
        .cloned()
        .expect("a flow with no hold");
    let stage = flow.waves.last().unwrap().name.clone();
    // Another operator holds a stage; its event never reaches the stream.
    c.backend
        .execute(OperateCall::DisableStageTransition {
            pipeline: flow.pipelines[0].name.clone(),
            stage: stage.clone(),
            reason: "held elsewhere".into(),
        })
        .now_or_never()
        .unwrap()
        .unwrap();
    let held = |c: &Console| {
        let f = c.model.fleet.flow(&flow.name).unwrap();
        f.waves
            .iter()
            .any(|w| w.name == stage && !w.transition.enabled)
    };
    run_for(&mut c, 120, &quiet);
    assert!(!held(&c), "not seen before reconciliation");
    run_for(&mut c, 900, &quiet);
    assert!(held(&c), "seen at the reconcile cadence");
}

/// A wave of the demo fleet seen running, and one of its actions that has
/// not succeeded and is no gate: (flow, pipeline, stage, execution, action).
fn a_running_action(c: &Console) -> (String, String, String, String, String) {
    c.model
        .fleet
        .flows
        .iter()
        .flat_map(|f| f.waves.iter().map(move |w| (f, w)))
        .find_map(|(f, w)| {
            let execution = w.execution_id.clone()?;
            let action = w
                .cells
                .iter()
                .flat_map(|c| &c.actions)
                .find(|a| a.status != ActionStatus::Succeeded && a.category != "Approval")?;
            Some((
                f.name.clone(),
                w.pipeline.clone(),
                w.name.clone(),
                execution,
                action.name.to_string(),
            ))
        })
        .expect("an action under way in the demo fleet")
}

fn pipeline_event(
    pipeline: &str,
    execution: &str,
    stage: &str,
    action: Option<&str>,
    state: &str,
    at: Timestamp,
) -> StreamEvent {
    StreamEvent {
        id: format!("ev-{pipeline}-{execution}-{stage}-{state}"),
        time: at,
        account: "111122223333".into(),
        region: "us-east-1".into(),
        change: Change::Pipeline {
            pipeline: pipeline.into(),
            execution_id: Some(execution.into()),
            stage: Some(stage.into()),
            action: action.map(str::to_string),
            state: state.into(),
        },
    }
}

fn action_status_of(c: &Console, flow: &str, stage: &str, action: &str) -> ActionStatus {
    let f = c.model.fleet.flow(flow).unwrap();
    f.waves
        .iter()
        .filter(|w| w.name == stage)
        .flat_map(|w| w.cells.iter().flat_map(|c| &c.actions))
        .find(|a| a.name == action)
        .unwrap()
        .status
}

#[test]
fn an_action_event_changes_the_cell_with_no_poll_of_its_pipeline() {
    let mut c = live();
    let (flow, pipeline, stage, execution, action) = a_running_action(&c);
    let now = c.now();
    let event = pipeline_event(
        &pipeline,
        &execution,
        &stage,
        Some(&action),
        "SUCCEEDED",
        now,
    );
    let emitted = bringing(vec![event]);
    let mut polled = run_for(&mut c, 2, &emitted);
    assert_eq!(
        action_status_of(&c, &flow, &stage, &action),
        ActionStatus::Succeeded,
        "the event's state is in the cell"
    );
    polled.extend(run_for(&mut c, 10, &quiet));
    assert!(
        polled.is_empty(),
        "no read for what the event said: {polled:?}"
    );
    assert!(c.model.stream.as_ref().unwrap().merged >= 1);
}

#[test]
fn an_event_for_an_execution_not_seen_yet_brings_exactly_one_read_of_its_pipeline() {
    let mut c = live();
    let (flow, pipeline, stage, _, action) = a_running_action(&c);
    let before = action_status_of(&c, &flow, &stage, &action);
    let now = c.now();
    // Three events of the new execution in one read: one re-read covers them.
    let events: Vec<StreamEvent> = ["STARTED", "SUCCEEDED"]
        .iter()
        .map(|state| {
            pipeline_event(
                &pipeline,
                "new-execution",
                &stage,
                Some(&action),
                state,
                now,
            )
        })
        .chain([pipeline_event(
            &pipeline,
            "new-execution",
            &stage,
            None,
            "STARTED",
            now,
        )])
        .collect();
    let emitted = bringing(events);
    let mut polled = run_for(&mut c, 2, &emitted);
    polled.extend(run_for(&mut c, 10, &quiet));
    assert_eq!(polled, vec![flow.clone()], "one read of the emitter");
    assert_eq!(
        action_status_of(&c, &flow, &stage, &action),
        before,
        "nothing merged from an execution the model does not know"
    );
}

#[test]
fn an_event_older_than_the_last_read_leaves_the_cell_alone() {
    let mut c = live();
    let (flow, pipeline, stage, execution, action) = a_running_action(&c);
    let before = action_status_of(&c, &flow, &stage, &action);
    let long_ago = c.now() - SignedDuration::from_hours(2);
    let event = pipeline_event(
        &pipeline,
        &execution,
        &stage,
        Some(&action),
        "SUCCEEDED",
        long_ago,
    );
    let emitted = bringing(vec![event]);
    let polled = run_for(&mut c, 2, &emitted);
    assert!(polled.is_empty(), "{polled:?}");
    assert_eq!(action_status_of(&c, &flow, &stage, &action), before);
}

#[test]
fn a_resource_event_shows_in_cell_detail_with_no_read_of_its_stacks() {
    let mut c = live();
    let stack = c.model.fleet.stacks[0].clone();
    let flow = c.model.fleet.flow(&stack.flow).unwrap().clone();
    let wave = flow
        .waves
        .iter()
        .find(|w| w.cells.iter().any(|cell| cell.region == stack.region))
        .unwrap()
        .name
        .clone();
    let at = c.now();
    let event = StreamEvent {
        id: "ev-resource".into(),
        time: at,
        account: "111122223333".into(),
        region: stack.region.to_string(),
        change: Change::Stack {
            stack: stack.name.to_string(),
            resource: Some("OrdersQueuePolicy".into()),
            resource_type: Some("AWS::SQS::QueuePolicy".into()),
            status: "UPDATE_FAILED".into(),
            reason: Some("Invalid policy document".into()),
        },
    };
    let key = PollKey::Stacks {
        region: stack.region.to_string(),
    };
    let last_read = c.model.poll.state(&key).unwrap().last_ok;
    let sent = std::cell::Cell::new(false);
    let once = || {
        let events = if sent.replace(true) {
            vec![]
        } else {
            vec![event.clone()]
        };
        Ok(StreamBatch {
            events,
            ..StreamBatch::default()
        })
    };
    run_for(&mut c, 5, &once);
    assert!(sent.get(), "the stream was read");
    assert_eq!(
        c.model.poll.state(&key).unwrap().last_ok,
        last_read,
        "merged, its stacks not read again"
    );
    c.navigate(&flow.name, &wave, &stack.region);
    c.keys("enter");
    let screen = super::support::screen_text(&c.model, 160, 50);
    assert!(screen.contains("OrdersQueuePolicy"), "{screen}");
    assert!(screen.contains("Invalid policy document"), "{screen}");
}

/// The simulated fleet's own stream, read as the runtime reads it.
fn sim_stream(c: &Console) -> SimStream {
    SimStream::new(std::sync::Arc::new(c.backend.clone()))
}

/// Every action's status in every wave of every flow, as `flows` show them.
fn action_statuses(
    flows: impl Iterator<Item = wavetop::domain::fleet::Flow>,
) -> Vec<(String, String, String, ActionStatus)> {
    let mut all = Vec::new();
    for flow in flows {
        for wave in &flow.waves {
            for cell in &wave.cells {
                for action in &cell.actions {
                    let row = format!("{}/{}", flow.name, wave.name);
                    all.push((
                        row,
                        cell.region.to_string(),
                        action.name.to_string(),
                        action.status,
                    ));
                }
            }
        }
    }
    all.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
    all
}

#[test]
fn on_the_simulated_fleet_the_stream_alone_keeps_the_grid_as_a_poll_would() {
    let mut c = Console::at_minutes(60);
    let stream = sim_stream(&c);
    let read = || stream.read().now_or_never().unwrap();
    enable_stream(&mut c.model, StreamCadence::default());
    run_for(&mut c, 60, &read);
    assert_eq!(stream_label(&c.model).as_deref(), Some("⇄ stream live"));
    let merged_before = c.model.stream.as_ref().unwrap().merged;
    let names: Vec<String> = c.model.fleet.flows.iter().map(|f| f.name.clone()).collect();
    let mut polled: Vec<String> = Vec::new();
    let mut changed = 0;
    let mut last = action_statuses(c.model.fleet.flows.clone().into_iter());
    // Nine minutes, short of the reconciliation, checked every minute right
    // after a read of the stream and the re-reads its events asked for: the
    // grid is what a poll of every flow says.
    for _ in 0..9 {
        polled.extend(run_for(&mut c, 55, &read));
        let at = wavetop::core::stream::next_wakeup(&c.model).unwrap();
        c.clock.set(at.max(c.now()));
        polled.extend(tick(&mut c, &read));
        polled.extend(tick(&mut c, &read));
        let truth = {
            let world = c.backend.world();
            action_statuses(names.iter().filter_map(|n| world.flow(n)))
        };
        let shown = action_statuses(c.model.fleet.flows.clone().into_iter());
        let wrong: Vec<_> = shown.iter().zip(&truth).filter(|(a, b)| a != b).collect();
        assert!(
            wrong.is_empty() && shown.len() == truth.len(),
            "at {}: shown, truth: {wrong:?}",
            c.now()
        );
        changed += shown.iter().zip(&last).filter(|(a, b)| a != b).count();
        last = shown;
    }
    let merged = c.model.stream.as_ref().unwrap().merged - merged_before;
    assert!(changed >= 3, "the fleet moved: {changed} action changes");
    assert!(merged > 0, "changes merged from their events");
    // Only what the events cannot say is read again (a failed action's
    // message, a waiting gate's token, a new execution's layout), and the
    // flow without a pipeline, which emits nothing, at its own cadence.
    let piped: Vec<_> = polled.iter().filter(|f| *f != "billing-failover").collect();
    assert!(
        piped.len() < names.len(),
        "{} polls of {} flows in 9 minutes: {piped:?}",
        piped.len(),
        names.len()
    );
}

#[test]
fn pipelines_and_stacks_where_the_stream_has_no_source_are_polled_as_usual() {
    let mut c = Console::at_minutes(10);
    enable_stream(&mut c.model, StreamCadence::default());
    c.model.stream.as_mut().unwrap().regions = Some(["us-east-1".to_string()].into());
    run_for(&mut c, 60, &quiet);
    assert_eq!(stream_label(&c.model).as_deref(), Some("⇄ stream live"));
    let home = |c: &Console, flow: &str| {
        c.model.fleet.flow(flow).unwrap().pipelines[0]
            .home_region
            .clone()
    };
    assert_eq!(home(&c, "global-api"), "us-east-1");
    assert_eq!(home(&c, "search"), "eu-west-1");
    let polled = run_for(&mut c, 300, &quiet);
    assert!(polled.iter().any(|f| f == "search"), "{polled:?}");
    assert!(!polled.iter().any(|f| f == "global-api"), "{polled:?}");
    let stacks = |region: &str| PollKey::Stacks {
        region: region.into(),
    };
    // The next read of each region's stacks, counted from its last one.
    let wait = |c: &Console, key: &PollKey| {
        let state = c.model.poll.state(key).unwrap();
        state
            .next_due
            .duration_since(state.last_ok.unwrap())
            .as_secs()
    };
    assert!(wait(&c, &stacks("eu-west-1")) < 900);
    assert!(wait(&c, &stacks("us-east-1")) >= 1800);
}
