//! view(): draws the model, never changes it, never fetches.

mod activity;
mod alarm_marks;
mod cells;
mod chrome;
mod chrome_credentials;
mod clock;
mod columns;
mod conditions;
mod detail;
mod dialog;
mod executions;
pub mod glyphs;
mod grid;
mod grid_cell;
mod health;
mod help;
mod hits;
mod links;
#[cfg(test)]
mod narrow_tests;
mod pipelines;
mod replication;
mod revisions;
mod scroll;
mod sources;
mod text;
mod verdict_lines;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::core::laid::Laid;
use crate::core::model::{Model, View};

pub use crate::core::model::{MIN_HEIGHT, MIN_WIDTH};

pub use links::hyperlinks;

pub fn view(frame: &mut Frame, model: &Model, theme: &Theme) {
    view_laid(frame, model, theme);
}

/// Draws the model, and says where it drew what the pointer can pick and
/// what it measured: the runtime hands that back to update() (`Msg::Laid`),
/// which resolves clicks and pages against what is on screen rather than
/// against a guess of it.
pub fn view_laid(frame: &mut Frame, model: &Model, theme: &Theme) -> Laid {
    let mut laid = Laid::default();
    let hits = &mut laid.hits;
    let measures = &mut laid.measures;
    let area = frame.area();
    // The theme's colours under every view. The frame's buffer is exactly
    // its area, so each cell is styled in turn rather than looked up by
    // position, as a widget filling an area does: a tenth of the grid's drawing.
    cells::paint(&mut frame.buffer_mut().content, theme.base);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, theme);
        return laid;
    }
    let [header, tabs, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::header(frame, header, model, theme);
    chrome::tabs(frame, tabs, model, theme, hits);
    hits.add(hits::area(body), hits::front_pane(model.view));
    match model.view {
        View::Pipelines => pipelines::render(frame, body, model, theme, hits),
        View::Grid => measures.grid = grid::render(frame, body, model, theme, hits),
        View::CellDetail => measures.detail = detail::render(frame, body, model, theme),
        View::Health => health::render(frame, body, model, theme, hits),
        View::Replication => replication::render(frame, body, model, theme, hits),
        View::Executions => executions::render(frame, body, model, theme, hits),
        View::Revisions => revisions::render(frame, body, model, theme, hits),
        View::Activity => activity::render(frame, body, model, theme, hits),
    }
    chrome::status_line(frame, status, model, theme);
    chrome::footer(frame, footer, model, theme);
    if model.help {
        help::render(frame, body, model, theme);
    }
    if let Some(dialog) = &model.confirmation {
        dialog::render(frame, area, dialog, model, theme);
    }
    laid
}

/// Below the minimum size: one line, cut to whatever fits, instead of a
/// frame whose parts no longer have room. Keys still work; a resize brings
/// the console back.
fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let line = Rect {
        y: area.y + area.height / 2,
        height: 1.min(area.height),
        ..area
    };
    let text = format!("terminal too small (need {MIN_WIDTH}x{MIN_HEIGHT})");
    frame.render_widget(Paragraph::new(text).style(theme.base), line);
}

/// Every cell's symbol of a test terminal's buffer, row after row.
#[cfg(test)]
fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    buffer.content().iter().map(|c| c.symbol()).collect()
}
