//! Throttling and recovery through update() with a passed-in clock:
//! discovery backs off with jitter, and six minutes of throttling are
//! forgotten within about a minute of AWS answering again.

use futures_util::FutureExt;
use jiff::{SignedDuration, Timestamp};

use wavetop::core::model::Model;
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::update::{start, update};
use wavetop::domain::window::Windows;
use wavetop::protocol::{Observe, SourceError};
use wavetop::sim::DEMO_EPOCH;

use crate::support::{Console, bindings};

fn throttled() -> SourceError {
    SourceError::Throttled("sts:GetCallerIdentity: Rate exceeded".into())
}

/// Ticks a console whose discovery is throttled until `recovers_at`, one
/// second at a time, and returns the waits between discoveries and when
/// the first discovery after recovery was made.
fn discover_until(started: Timestamp, recovers_at: Timestamp) -> (Vec<i64>, Timestamp) {
    let c = Console::at_minutes(10);
    let mut model = Model::new(started, bindings("default"), Windows::default(), false);
    let mut pending = start(&mut model);
    let mut now = started;
    let mut last_ask = started;
    let mut waits = Vec::new();
    loop {
        if pending.contains(&Effect::Discover) {
            if now >= recovers_at {
                let found = c.backend.discover().now_or_never().unwrap();
                update(&mut model, Msg::Discovered(found), now);
                assert!(model.discovered);
                return (waits, now);
            }
            if now > started {
                waits.push(now.as_second() - last_ask.as_second());
            }
            last_ask = now;
            update(&mut model, Msg::Discovered(Err(throttled())), now);
        }
        now += SignedDuration::from_secs(1);
        pending = update(&mut model, Msg::Tick, now);
    }
}

#[test]
fn discovery_backs_off_with_jitter_and_shows_recovery_within_a_minute() {
    let t0 = DEMO_EPOCH;
    let recovery = t0 + SignedDuration::from_mins(6);
    let (waits, found_at) = discover_until(t0, recovery);
    assert!(waits[0] <= 15, "the first retry comes soon: {waits:?}");
    assert!(
        waits.iter().skip(3).all(|w| *w > waits[0]),
        "then it backs off: {waits:?}"
    );
    assert!(
        waits.iter().all(|w| *w <= 60),
        "never past a minute: {waits:?}"
    );
    assert!(
        waits.len() < 6 * 60 / 15,
        "fewer calls than every 15 s: {waits:?}"
    );
    let late = found_at.as_second() - recovery.as_second();
    assert!(late <= 60, "found {late}s after AWS recovered");

    // Another console started a moment later does not retry in lockstep.
    let (others, _) = discover_until(t0 + SignedDuration::from_millis(1_500), recovery);
    assert_ne!(waits, others, "the retries are jittered per console");
}

#[test]
fn six_minutes_of_throttled_polls_are_forgotten_within_a_minute_of_recovery() {
    let mut c = Console::at_minutes(10);
    let throttled_from = c.now();
    let recovery = throttled_from + SignedDuration::from_mins(6);
    let mut now = throttled_from;
    while now < recovery + SignedDuration::from_secs(60) {
        now += SignedDuration::from_secs(1);
        c.clock.set(now);
        let effects = update(&mut c.model, Msg::Tick, now);
        for effect in effects {
            let Effect::Poll { key, generation } = effect else {
                continue;
            };
            let result = if now < recovery {
                Err(SourceError::Throttled(format!(
                    "{}: Rate exceeded",
                    key.label()
                )))
            } else {
                c.backend.poll(key.clone()).now_or_never().unwrap()
            };
            let msg = Msg::Polled {
                key,
                generation,
                result,
                incomplete: None,
            };
            update(&mut c.model, msg, now);
        }
        if now == recovery {
            let stale = c.model.poll.stale_keys(now);
            assert!(!stale.is_empty(), "six minutes of throttling show as stale");
        }
    }
    let stale: Vec<String> = c
        .model
        .poll
        .stale_keys(now)
        .iter()
        .map(|k| k.label())
        .collect();
    assert!(
        stale.is_empty(),
        "still stale a minute after recovery: {stale:?}"
    );
    for (key, state) in c.model.poll.keys() {
        // A flow's action history is read every 15 to 30 minutes: it was
        // not due in those six, and its last answer still stands.
        if matches!(key, wavetop::protocol::PollKey::Revisions { .. }) {
            assert_eq!(state.failures, 0, "{}", key.label());
            continue;
        }
        let ok = state.last_ok.expect("answered");
        assert!(
            ok >= recovery,
            "{} last answered {ok}, before the recovery at {recovery}",
            key.label()
        );
    }
}
