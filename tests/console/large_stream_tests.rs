//! What a console costs in requests on the large simulated fleet (200
//! pipelines over 25 regions in 3 accounts, a quarter of them moving),
//! polling and with the simulated change stream, through update() on a
//! virtual clock as the runtime drives it. Run with `-- --nocapture` for
//! the figures (README, "A change stream").

use std::sync::Arc;

use futures_util::FutureExt;
use jiff::{SignedDuration, Timestamp};
use wavetop::core::model::Model;
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::stream::{enable_stream, next_wakeup};
use wavetop::core::update::{start, update};
use wavetop::domain::window::Windows;
use wavetop::poll::stream::StreamCadence;
use wavetop::protocol::{Observe, ReadStream};
use wavetop::sim::stream::SimStream;
use wavetop::sim::{FleetSize, ManualClock, SimBackend, fleet_world_at};

use crate::support::bindings;

/// Requests made, and when: polls as their answers count them, and reads
/// of the stream.
#[derive(Default)]
struct Tally {
    requests: u64,
    stream_reads: u64,
    /// Requests by kind of poll key ("pipeline", "stacks", ...).
    by_kind: std::collections::BTreeMap<String, u64>,
}

fn carry_out(
    backend: &SimBackend,
    stream: Option<&SimStream>,
    model: &mut Model,
    effects: Vec<Effect>,
    now: Timestamp,
    tally: &mut Tally,
) {
    let mut queue = effects;
    while !queue.is_empty() {
        let mut next = Vec::new();
        for effect in queue {
            let msg = match effect {
                Effect::Discover => Msg::Discovered(backend.discover().now_or_never().unwrap()),
                Effect::Poll { key, generation } => {
                    let result = backend.poll(key.clone()).now_or_never().unwrap();
                    let msg = Msg::Polled {
                        result,
                        incomplete: None,
                        key: key.clone(),
                        generation,
                    };
                    next.extend(update(model, msg, now));
                    let n = u64::from(model.poll.state(&key).map_or(1, |s| s.requests.max(1)));
                    tally.requests += n;
                    let label = key.label();
                    let kind = label.split(' ').next().unwrap_or_default();
                    *tally.by_kind.entry(kind.to_string()).or_default() += n;
                    continue;
                }
                Effect::StreamCoverage { live } => {
                    backend.stream_covers_stacks(live);
                    continue;
                }
                Effect::ReadStream { generation } => match stream {
                    Some(stream) => {
                        let result = stream.read().now_or_never().unwrap();
                        tally.stream_reads += 1;
                        tally.requests += result.as_ref().map_or(1, |b| u64::from(b.requests));
                        Msg::Streamed { generation, result }
                    }
                    None => continue,
                },
                _ => continue,
            };
            next.extend(update(model, msg, now));
        }
        queue = next;
    }
}

/// Requests a minute over the last `window` of `minutes` virtual minutes.
fn requests_a_minute(with_stream: bool, minutes: i64, window: i64) -> (f64, Model) {
    let at = SignedDuration::from_hours(1);
    let world = fleet_world_at(FleetSize::Large, 1, at);
    let t0 = world.now;
    let clock = ManualClock::new(t0);
    let c = clock.clone();
    let backend = SimBackend::new(world, Arc::new(move || c.now()));
    let stream = with_stream.then(|| SimStream::new(Arc::new(backend.clone())));
    let mut model = Model::new(t0, bindings("default"), Windows::default(), false);
    let mut tally = Tally::default();
    let fx = start(&mut model);
    carry_out(&backend, stream.as_ref(), &mut model, fx, t0, &mut tally);
    if with_stream {
        enable_stream(&mut model, StreamCadence::default());
    }
    let counted_from = t0 + SignedDuration::from_mins(minutes - window);
    let end = t0 + SignedDuration::from_mins(minutes);
    let mut before = None;
    let mut now = t0;
    while now < end {
        let wait = next_wakeup(&model)
            .map_or(1_000, |t| t.as_millisecond() - now.as_millisecond())
            .clamp(50, 1_000);
        now += SignedDuration::from_millis(wait);
        clock.set(now);
        if before.is_none() && now >= counted_from {
            before = Some(tally.requests);
            tally.by_kind.clear();
        }
        let fx = update(&mut model, Msg::Tick, now);
        carry_out(&backend, stream.as_ref(), &mut model, fx, now, &mut tally);
    }
    let counted = tally.requests - before.unwrap_or(0);
    println!(
        "{} by kind over {window} minutes: {:?}",
        if with_stream { "stream" } else { "polling" },
        tally.by_kind
    );
    (counted as f64 / window as f64, model)
}

#[test]
fn on_the_large_simulated_fleet_the_stream_costs_a_fraction_of_polling() {
    let (polling, m) = requests_a_minute(false, 30, 20);
    let flows = m.fleet.flows.len();
    // Forty minutes, the last thirty counted: two reconciliations of every
    // pipeline and one of every region's stacks.
    let (streaming, m) = requests_a_minute(true, 40, 30);
    let state = m.stream.as_ref().unwrap();
    println!(
        "large simulated fleet ({flows} flows): {polling:.0} requests a minute polling, {streaming:.0} with the stream ({} events read, {} merged without a read)",
        state.events, state.merged
    );
    assert!(state.is_live());
    assert!(state.merged > 0);
    assert!(streaming <= 60.0, "{streaming:.0} a minute with the stream");
    assert!(
        streaming * 3.0 < polling,
        "{streaming:.0} against {polling:.0}"
    );
}
