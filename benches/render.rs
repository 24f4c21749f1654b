//! Cost of drawing one frame at 240x70, three ways for each view:
//!
//! - `view only/…`: wavetop's `view` drawing into the frame's buffer, the
//!   part this code controls;
//! - `frame/…`: a whole `Terminal::draw` on crossterm's backend writing to a
//!   sink, what the console pays per frame (the view, ratatui's buffer
//!   reset and its diff over every cell, the escape codes of what changed);
//! - the plain view names: the same `Terminal::draw` on ratatui's
//!   `TestBackend`, which keeps bookkeeping a terminal does not (the first
//!   figures the issue recorded were taken this way).
//!
//! Views: the grid of a synthetic flow of 12 waves x 24 regions and the
//! health view of its 24 regions; the pipelines list and the activity view
//! (log and sources) of the large simulated fleet.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::io::Sink;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use wavetop::config::theme::Theme;
use wavetop::core::bindings::Bindings;
use wavetop::core::model::{ActivityKind, Model, View};
use wavetop::domain::synthetic;
use wavetop::domain::window::Windows;
use wavetop::protocol::PollKey;
use wavetop::sim::FleetSize;
use wavetop::ui::view;

const WIDTH: u16 = 240;
const HEIGHT: u16 = 70;

fn synthetic_model(view: View) -> Model {
    let now = Timestamp::from_second(1_800_000_000).unwrap();
    let mut model = Model::new(now, Bindings::default(), Windows::default(), false);
    model.fleet = synthetic::fleet(12, 24, now);
    model.fleet_label = "bench".into();
    model.discovered = true;
    model.view = view;
    model.cursors.region.selected = 20;
    model.cursors.wave.selected = 7;
    model
}

/// The large simulated fleet an hour in, with a poll key for every source
/// the console would watch and a session's worth of activity.
fn large_model(view: View) -> Model {
    let at = SignedDuration::from_hours(1);
    let fleet = wavetop::sim::snapshot_at(FleetSize::Large, wavetop::sim::DEFAULT_SEED, at).fleet;
    let now = wavetop::sim::DEMO_EPOCH + at;
    let mut model = Model::new(now, Bindings::default(), Windows::default(), false);
    let mut keys: Vec<PollKey> = fleet
        .flows
        .iter()
        .map(|f| PollKey::Flow {
            flow: f.name.clone(),
        })
        .collect();
    let mut regions: Vec<String> = fleet.stacks.iter().map(|s| s.region.to_string()).collect();
    regions.sort();
    regions.dedup();
    keys.extend(regions.into_iter().map(|region| PollKey::Stacks { region }));
    keys.push(PollKey::Health);
    keys.extend(fleet.tables.iter().map(|t| PollKey::Replication {
        table: t.name.clone(),
    }));
    for key in keys {
        model.poll.register(key, now);
    }
    for i in 0..500 {
        model.log(
            ActivityKind::Info,
            format!("pacing: us-east-1 codepipeline answers slower, {i} requests a second"),
        );
    }
    model.selected_flow = fleet.flows.first().map(|f| f.name.clone());
    model.fleet = fleet;
    model.fleet_label = "bench".into();
    model.discovered = true;
    model.view = view;
    model.cursors.pipeline.selected = 120;
    model
}

fn terminal<B: Backend>(backend: B) -> Terminal<B> {
    let viewport = Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT));
    Terminal::with_options(backend, TerminalOptions { viewport })
        .map_err(|_| "a terminal")
        .unwrap()
}

fn crossterm() -> Terminal<CrosstermBackend<Sink>> {
    terminal(CrosstermBackend::new(std::io::sink()))
}

fn render(c: &mut Criterion) {
    let theme = Theme::preset("dark").expect("dark theme");
    let cases = [
        ("grid 12x24 at 240x70", synthetic_model(View::Grid)),
        ("health 24 regions at 240x70", synthetic_model(View::Health)),
        (
            "pipelines 200 (large fleet) at 240x70",
            large_model(View::Pipelines),
        ),
        (
            "activity and sources (large fleet) at 240x70",
            large_model(View::Activity),
        ),
    ];
    for (name, model) in &cases {
        let mut only = crossterm();
        c.bench_function(&format!("view only/{name}"), |b| {
            b.iter(|| view(&mut only.get_frame(), model, &theme));
        });
        let mut frame = crossterm();
        c.bench_function(&format!("frame/{name}"), |b| {
            b.iter(|| {
                frame.draw(|f| view(f, model, &theme)).unwrap();
            });
        });
        let mut test = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        c.bench_function(name, |b| {
            b.iter(|| {
                test.draw(|f| view(f, model, &theme)).unwrap();
            });
        });
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
