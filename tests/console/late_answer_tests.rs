//! A poll answer that comes after the scheduler gave up on its request is
//! dropped before it is merged: it never overwrites what a newer request
//! brought, nor disturbs the request in flight.

use futures_util::FutureExt;
use jiff::SignedDuration;

use wavetop::core::msg::{Effect, Msg};
use wavetop::core::update::update;
use wavetop::domain::fleet::Flow;
use wavetop::protocol::{Observation, Observe, PollKey, SourceError};

use crate::render_tests::{dark, render};
use crate::support::Console;

fn global_api() -> PollKey {
    PollKey::Flow {
        flow: "global-api".into(),
    }
}

/// Lets the clock run a second at a time, answering every poll from the
/// simulator except `held`'s, until a request for `held` goes out; returns
/// that request's generation.
fn tick_until_polled(c: &mut Console, held: &PollKey) -> u64 {
    for _ in 0..600 {
        c.clock.set(c.now() + SignedDuration::from_secs(1));
        let now = c.now();
        let mut ours = None;
        let mut others = Vec::new();
        for effect in update(&mut c.model, Msg::Tick, now) {
            match effect {
                Effect::Poll { key, generation } if key == *held => ours = Some(generation),
                other => others.push(other),
            }
        }
        c.run(others);
        if let Some(generation) = ours {
            return generation;
        }
    }
    panic!("{} was never polled", held.label());
}

fn simulated_flow(c: &Console, key: &PollKey) -> Flow {
    match c.backend.poll(key.clone()).now_or_never().unwrap() {
        Ok(Observation::Flow(flow)) => flow,
        other => panic!("a flow observation, got {other:?}"),
    }
}

fn answer(c: &mut Console, generation: u64, flow: &Flow) {
    c.send(Msg::Polled {
        key: global_api(),
        generation,
        result: Ok(Observation::Flow(flow.clone())),
        incomplete: None,
    });
}

/// A request that never answers in time, the scheduler's timeout, and the
/// new request it sends: (console, late generation, what the late answer
/// carries, current generation).
fn a_request_overtaken_after_its_timeout() -> (Console, u64, Flow, u64) {
    let mut c = Console::at_minutes(10);
    let key = global_api();
    let old = tick_until_polled(&mut c, &key);
    // What the slow request brings in the end: the fleet as it was when the
    // request went out, made unmistakable.
    let mut late = simulated_flow(&c, &key);
    late.executions.clear();
    let current = tick_until_polled(&mut c, &key);
    assert!(current > old);
    let state = c.model.poll.state(&key).unwrap();
    assert!(
        matches!(state.last_error, Some((_, SourceError::Timeout(_)))),
        "the old request timed out: {state:?}"
    );
    assert_ne!(c.model.fleet.flow("global-api"), Some(&late));
    (c, old, late, current)
}

#[test]
fn a_late_answer_changes_nothing_and_the_current_one_is_merged() {
    let (mut c, old, late, current) = a_request_overtaken_after_its_timeout();
    let key = global_api();
    let fleet_before = c.model.fleet.clone();
    let state_before = c.model.poll.state(&key).unwrap().clone();

    answer(&mut c, old, &late);
    // Whole fleets compared: a failure names the rule, not the fleet.
    assert!(c.model.fleet == fleet_before, "the late answer was merged");
    let state = c.model.poll.state(&key).unwrap();
    assert_eq!(
        state.in_flight,
        Some(current),
        "still waiting for the new one"
    );
    assert_eq!(state.sent_at, state_before.sent_at);
    assert_eq!(state.failures, state_before.failures);
    assert_eq!(state.late_answers, 1);

    // The current request answers with the same content: that one counts.
    answer(&mut c, current, &late);
    assert_eq!(c.model.fleet.flow("global-api"), Some(&late));
    let state = c.model.poll.state(&key).unwrap();
    assert_eq!(state.in_flight, None);
    assert_eq!(state.last_ok, Some(c.now()));
    assert_eq!(state.failures, 0);

    // The sources pane beside the activity log counts what was dropped.
    c.keys("6");
    let screen = render(&c.model, &dark(), 160, 48).backend().to_string();
    let row = screen
        .lines()
        .find(|l| l.contains("pipeline global-api"))
        .expect("global-api among the sources");
    assert!(row.contains("1 late dropped"), "{row}");
}

#[test]
fn a_late_answer_after_the_current_one_does_not_roll_the_fleet_back() {
    let (mut c, old, late, current) = a_request_overtaken_after_its_timeout();
    let fresh = simulated_flow(&c, &global_api());
    answer(&mut c, current, &fresh);
    assert_eq!(c.model.fleet.flow("global-api"), Some(&fresh));

    answer(&mut c, old, &late);
    assert_eq!(c.model.fleet.flow("global-api"), Some(&fresh));
}
