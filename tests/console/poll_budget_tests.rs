//! What the console polls and when, on the simulator and a virtual clock:
//! the first polls spread, a waiting gate at the idle cadence, the watched
//! pipeline fast, and an answer that changes nothing drawing nothing.

use futures_util::FutureExt;
use wavetop::core::merge::flow_is_moving;
use wavetop::core::model::View;
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::update::{start, update};
use wavetop::domain::fleet::CellStatus;
use wavetop::protocol::{Observation, Observe, PollKey};

use crate::support::Console;

fn flow_key(name: &str) -> PollKey {
    PollKey::Flow { flow: name.into() }
}

/// How many times `key` is answered while the clock moves `secs` seconds,
/// one tick a second.
fn answers_of(c: &mut Console, key: &PollKey, secs: i64) -> usize {
    let mut answers = 0;
    for _ in 0..secs {
        let before = c.model.poll.state(key).and_then(|s| s.last_ok);
        c.advance(1);
        answers += usize::from(c.model.poll.state(key).and_then(|s| s.last_ok) != before);
    }
    answers
}

#[test]
fn after_discovery_only_the_watched_pipeline_and_health_are_asked_at_once() {
    let mut c = Console::at_minutes(10);
    // Start again on the same world, as the console does.
    c.model = wavetop::core::model::Model::new(
        c.now(),
        c.model.bindings.clone(),
        c.model.windows.clone(),
        false,
    );
    let now = c.now();
    let fx = start(&mut c.model);
    assert!(fx.contains(&Effect::Discover));
    let discovery = c.backend.discover().now_or_never().unwrap();
    let first = update(&mut c.model, Msg::Discovered(discovery), now);
    let polled: Vec<&PollKey> = first
        .iter()
        .filter_map(|e| match e {
            Effect::Poll { key, .. } => Some(key),
            _ => None,
        })
        .collect();
    let selected = c.model.selected_flow().unwrap().name.clone();
    assert!(polled.contains(&&flow_key(&selected)), "{polled:?}");
    assert!(polled.contains(&&PollKey::Health));
    let keys = c.model.poll.keys().count();
    assert!(
        polled.len() < keys / 2,
        "{} of {keys} keys asked at once",
        polled.len()
    );
    // Every other key is asked within its first interval (5 s for pipelines and stacks).
    for (key, state) in c.model.poll.keys() {
        let wait = state.next_due.as_second() - now.as_second();
        assert!((0..=5).contains(&wait), "{key:?} first asked after {wait}s");
    }
}

#[test]
fn a_pipeline_waiting_at_a_gate_is_polled_at_the_idle_cadence() {
    let mut c = Console::at_minutes(10);
    let waiting = c
        .model
        .fleet
        .flows
        .iter()
        .find(|f| {
            !flow_is_moving(f)
                && f.waves
                    .iter()
                    .flat_map(|w| w.cells.iter())
                    .any(|cell| cell.status() == CellStatus::AwaitingApproval)
        })
        .map(|f| f.name.clone())
        .expect("a gate waits at 10m with nothing else deploying");
    // The operator looks at another pipeline.
    let other = c
        .model
        .fleet
        .flows
        .iter()
        .find(|f| f.name != waiting)
        .map(|f| f.name.clone())
        .unwrap();
    c.keys(":");
    c.type_text(&format!("pipeline {other}"));
    c.keys("enter");
    let key = flow_key(&waiting);
    let state = c.model.poll.state(&key).unwrap();
    assert!(!state.active, "a waiting gate is not movement");
    let polls = answers_of(&mut c, &key, 90);
    assert!(
        (2..=4).contains(&polls),
        "{polls} polls in 90 s (idle: every 30 s; moving: every 5 s)"
    );
}

#[test]
fn the_selected_pipeline_is_polled_faster_than_an_unwatched_settled_one() {
    let mut c = Console::at_minutes(10);
    let settled: Vec<String> = c
        .model
        .fleet
        .flows
        .iter()
        .filter(|f| !flow_is_moving(f))
        .map(|f| f.name.clone())
        .collect();
    let [watched, unwatched, ..] = settled.as_slice() else {
        panic!("two settled pipelines at 10m: {settled:?}");
    };
    c.keys(":");
    c.type_text(&format!("pipeline {watched}"));
    c.keys("enter");
    assert_eq!(c.model.poll.watched(), [flow_key(watched)]);
    let keys = [flow_key(watched), flow_key(unwatched)];
    let mut answers = [0, 0];
    for _ in 0..60 {
        let before: Vec<_> = keys
            .iter()
            .map(|k| c.model.poll.state(k).and_then(|s| s.last_ok))
            .collect();
        c.advance(1);
        for (i, k) in keys.iter().enumerate() {
            let after = c.model.poll.state(k).and_then(|s| s.last_ok);
            answers[i] += usize::from(before.get(i) != Some(&after));
        }
    }
    assert!(answers[0] >= 10, "watched: {answers:?} in a minute");
    assert!(answers[1] <= 2, "unwatched and settled: {answers:?}");
}

#[test]
fn an_answer_that_changes_nothing_does_not_ask_for_a_render() {
    let mut c = Console::at_minutes(10);
    let selected = c.model.selected_flow().unwrap().name.clone();
    let other = c
        .model
        .fleet
        .flows
        .iter()
        .find(|f| f.name != selected)
        .unwrap()
        .clone();
    let key = flow_key(&other.name);
    let answer = |c: &mut Console, flow: wavetop::domain::fleet::Flow| {
        c.model.poll.expedite(&key, c.now());
        let generation = c
            .model
            .poll
            .due(c.now())
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, g)| g)
            .unwrap();
        c.model.needs_render = false;
        let now = c.now();
        update(
            &mut c.model,
            Msg::Polled {
                key: key.clone(),
                generation,
                result: Ok(Observation::Flow(flow)),
                incomplete: None,
            },
            now,
        );
        c.model.needs_render
    };
    assert_eq!(c.model.view, View::Grid);
    let mut same = other.clone();
    same.fetched_at = c.now();
    assert!(!answer(&mut c, same), "read again, nothing new");
    assert_eq!(
        c.model.poll.state(&key).unwrap().last_ok,
        Some(c.now()),
        "the answer still counts"
    );
    let mut moved = other;
    if let Some(e) = moved.executions.first_mut() {
        e.id = format!("{}-next", e.id).into();
    } else {
        moved.regions.reverse();
    }
    assert!(answer(&mut c, moved), "a change is drawn");
}

#[test]
fn a_long_session_keeps_the_newest_activity_and_views_within_its_limits() {
    let mut c = Console::at_minutes(10);
    c.model.set_limits(wavetop::core::ring::Limits {
        activity_entries: 3,
        view_history: 2,
        stack_events: 200,
    });
    for i in 0..10 {
        c.model.log(
            wavetop::core::model::ActivityKind::Info,
            format!("note {i}"),
        );
    }
    let kept: Vec<&str> = c.model.activity.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(kept, ["note 7", "note 8", "note 9"]);
    // Pipelines, health, replication, executions: `back` returns through the last two.
    c.keys("2 3 4 5");
    assert_eq!(c.model.history.len(), 2);
    c.keys("esc");
    assert_eq!(c.model.view, View::Replication);
}
