//! Cost of the pure core at scale: merging a large flow observation, moving
//! the cursor, and one scheduler pass over many poll keys.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};

use wavetop::core::bindings::Bindings;
use wavetop::core::key::{Key, KeyCode};
use wavetop::core::model::Model;
use wavetop::core::msg::Msg;
use wavetop::core::update::update;
use wavetop::domain::fleet::Fleet;
use wavetop::domain::synthetic;
use wavetop::domain::window::Windows;
use wavetop::poll::scheduler::{Activity, Cadence, PollScheduler};
use wavetop::protocol::{Observation, PollKey};

fn model(now: Timestamp) -> Model {
    let mut model = Model::new(
        now,
        Bindings::from_pairs([(
            wavetop::core::action::ActionName::Down,
            vec![Key::plain(KeyCode::Down)],
        )]),
        Windows::default(),
        false,
    );
    model.fleet = synthetic::fleet(12, 24, now);
    model.discovered = true;
    model
}

/// `pipelines` copies of the synthetic flow, each under its own name.
fn fleet_of(pipelines: usize, waves: usize, regions: usize, now: Timestamp) -> Fleet {
    let mut fleet = synthetic::fleet(waves, regions, now);
    let template = fleet.flows.remove(0);
    fleet.flows = (0..pipelines)
        .map(|i| {
            let mut flow = template.clone();
            flow.name = format!("svc{i:03}");
            for p in &mut flow.pipelines {
                p.name = flow.name.clone();
            }
            for w in &mut flow.waves {
                w.pipeline = flow.name.clone();
            }
            flow
        })
        .collect();
    fleet
}

fn core(c: &mut Criterion) {
    let now = Timestamp::from_second(1_800_000_000).unwrap();
    let flow = synthetic::fleet(12, 24, now).flows.remove(0);

    let mut m = model(now);
    m.poll.register(
        PollKey::Flow {
            flow: "synthetic".into(),
        },
        now,
    );
    c.bench_function("update: merge a 12x24 flow observation", |b| {
        b.iter(|| {
            let due = m.poll.due(now);
            let generation = due.first().map(|(_, g)| *g).unwrap_or(0);
            m.poll.expedite_all(now);
            update(
                &mut m,
                Msg::Polled {
                    key: PollKey::Flow {
                        flow: "synthetic".into(),
                    },
                    generation,
                    result: Ok(Observation::Flow(flow.clone())),
                    incomplete: None,
                },
                now,
            )
        })
    });

    // 200 pipelines of 5 waves x 25 regions: one flow's answer merged into
    // the whole fleet, once as news and once as what the fleet already shows.
    let mut big = model(now);
    big.fleet = fleet_of(200, 5, 25, now);
    let answer = big.fleet.flows.get(199).cloned().unwrap();
    let key = PollKey::Flow {
        flow: answer.name.clone(),
    };
    big.poll.register(key.clone(), now);
    let mut moved = answer.clone();
    moved.fetched_at = now + SignedDuration::from_secs(1);
    for (name, observed) in [("a changed", moved), ("an unchanged", answer)] {
        c.bench_function(
            &format!("update: merge {name} flow into 200 pipelines x 25 regions"),
            |b| {
                b.iter(|| {
                    big.poll.expedite_all(now);
                    let generation = big.poll.due(now).first().map(|(_, g)| *g).unwrap_or(0);
                    update(
                        &mut big,
                        Msg::Polled {
                            key: key.clone(),
                            generation,
                            result: Ok(Observation::Flow(observed.clone())),
                            incomplete: None,
                        },
                        now,
                    )
                })
            },
        );
    }

    let mut m = model(now);
    c.bench_function("update: one navigation key", |b| {
        b.iter(|| update(&mut m, Msg::Key(Key::plain(KeyCode::Down)), now))
    });

    // 10 pipelines x 8 regions of stacks, 3 tables, health: 22 keys; and a
    // larger 500-key fleet for headroom.
    for keys in [22usize, 500] {
        let mut s = PollScheduler::new(Cadence::default());
        for i in 0..keys {
            s.register(
                PollKey::Flow {
                    flow: format!("p{i}"),
                },
                now,
            );
        }
        let mut t = now;
        c.bench_function(
            &format!("scheduler: due + complete over {keys} keys"),
            |b| {
                b.iter(|| {
                    t += SignedDuration::from_secs(30);
                    for (k, g) in s.due(t) {
                        s.completed(&k, g, t, Ok(Activity::Idle));
                    }
                })
            },
        );
    }
}

criterion_group!(benches, core);
criterion_main!(benches);
