//! Cost of drawing the grid for a large fleet: 12 waves x 24 regions at 240x70.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use wavetop::config::theme::Theme;
use wavetop::core::bindings::Bindings;
use wavetop::core::model::{Model, View};
use wavetop::domain::synthetic;
use wavetop::domain::window::Windows;
use wavetop::ui::view;

fn model(view: View) -> Model {
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

fn render(c: &mut Criterion) {
    let theme = Theme::preset("dark").expect("dark theme");
    for (name, view) in [
        ("grid 12x24 at 240x70", View::Grid),
        ("health 24 regions at 240x70", View::Health),
    ] {
        let model = model(view);
        let mut terminal = Terminal::new(TestBackend::new(240, 70)).unwrap();
        c.bench_function(name, |b| {
            b.iter(|| {
                terminal.draw(|f| view_fn(f, &model, &theme)).unwrap();
            })
        });
    }
}

fn view_fn(frame: &mut ratatui::Frame, model: &Model, theme: &Theme) {
    view(frame, model, theme)
}

criterion_group!(benches, render);
criterion_main!(benches);
