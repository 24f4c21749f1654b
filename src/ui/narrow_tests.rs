//! Each view drawn straight into areas narrower than any terminal `view()`
//! lets through (it draws a "too small" line below the minimum size). A
//! view must not rely on that guard: a panic while drawing kills the
//! console in the middle of an incident.

use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

use super::{activity, chrome, detail, dialog, executions, grid, health, help};
use super::{pipelines, replication, sources};
use crate::config::theme::Theme;
use crate::core::bindings::Bindings;
use crate::core::confirm::Confirmation;
use crate::core::intent::Intent;
use crate::core::model::{ActivityEntry, ActivityKind, Model};
use crate::core::mouse::HitMap;
use crate::domain::synthetic;
use crate::domain::window::Windows;

type Draw = fn(&mut ratatui::Frame, Rect, &Model, &Theme);

const VIEWS: [(&str, Draw); 13] = [
    ("grid", |f, a, m, t| {
        grid::render(f, a, m, t, &mut HitMap::default());
    }),
    ("cell detail", |f, a, m, t| {
        detail::render(f, a, m, t);
    }),
    ("pipelines", |f, a, m, t| {
        pipelines::render(f, a, m, t, &mut HitMap::default())
    }),
    ("health", |f, a, m, t| {
        health::render(f, a, m, t, &mut HitMap::default())
    }),
    ("replication", |f, a, m, t| {
        replication::render(f, a, m, t, &mut HitMap::default())
    }),
    ("executions", |f, a, m, t| {
        executions::render(f, a, m, t, &mut HitMap::default())
    }),
    ("activity", |f, a, m, t| {
        activity::render(f, a, m, t, &mut HitMap::default())
    }),
    ("sources", |f, a, m, t| {
        sources::render(f, a, m, t, &mut HitMap::default())
    }),
    ("help", help::render),
    ("header", chrome::header),
    ("tabs", |f, a, m, t| {
        chrome::tabs(f, a, m, t, &mut HitMap::default())
    }),
    ("status line", chrome::status_line),
    ("footer", chrome::footer),
];

/// Three waves by four regions, a gate waiting and a region unhealthy, with
/// the cursor on a deploying cell and one line of activity.
fn model() -> Model {
    let now = Timestamp::from_second(1_800_000_000).unwrap();
    let mut model = Model::new(now, Bindings::default(), Windows::default(), false);
    model.fleet = synthetic::fleet(3, 4, now);
    model.discovered = true;
    model.cursors.wave.selected = 1;
    model.cursors.region.selected = 2;
    model.activity.push(ActivityEntry {
        at: now,
        kind: ActivityKind::Error,
        text: "access denied: codepipeline:GetPipelineState".into(),
    });
    model
}

fn drain_dialog() -> Confirmation {
    Confirmation::new(
        Intent::Drain {
            region: "us-east-1".into(),
            health_check_ids: vec!["hc-us-east-1".into()],
            force: false,
        },
        vec!["replication into us-east-1 lags 12 s".into()],
    )
}

const NARROW: [(u16, u16); 5] = [(3, 3), (3, 1), (3, 40), (1, 1), (0, 0)];

#[test]
fn every_view_draws_into_three_columns_without_panicking() {
    let model = model();
    let theme = Theme::preset("dark").unwrap();
    for (name, draw) in VIEWS {
        for (width, height) in NARROW {
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            let drawn = terminal.draw(|f| draw(f, f.area(), &model, &theme));
            assert!(drawn.is_ok(), "{name} at {width}x{height}");
        }
    }
}

#[test]
fn a_confirmation_dialog_draws_into_three_columns_without_panicking() {
    let model = model();
    let theme = Theme::preset("dark").unwrap();
    let dialog = drain_dialog();
    for (width, height) in NARROW {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let drawn = terminal.draw(|f| dialog::render(f, f.area(), &dialog, &model, &theme));
        assert!(drawn.is_ok(), "dialog at {width}x{height}");
    }
}

#[test]
fn views_still_draw_their_text_with_room() {
    // The same drawings at a usable size put the fleet on screen, so the
    // narrow runs above exercise views that really draw.
    let model = model();
    let theme = Theme::preset("dark").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal
        .draw(|f| {
            grid::render(f, f.area(), &model, &theme, &mut HitMap::default());
        })
        .unwrap();
    let text = super::buffer_text(terminal.backend().buffer());
    let flow = &model.fleet.flows[0].name;
    assert!(text.contains(flow.as_str()), "{text}");
}
