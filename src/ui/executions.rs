//! The selected flow's execution history, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::columns::{TextRow, fitted_table, of_rows};
use super::glyphs::{execution_glyph, execution_style, fmt_age, fmt_elapsed};
use super::scroll::rows_note;
use super::text::{titled, truncate};
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::core::mouse::{HitMap, Pane};
use crate::domain::fleet::{Execution, RollbackOf};

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let Some(flow) = model.selected_flow() else {
        frame.render_widget(
            Paragraph::new("No pipeline selected.").style(theme.dim),
            area,
        );
        return;
    };
    let headers = [
        "status",
        "execution",
        "pipeline",
        "trigger",
        "revision",
        "started (UTC)",
        "took",
    ];
    // Under the title and the table's header.
    let shown = model
        .cursors
        .execution
        .shown(usize::from(area.height.saturating_sub(2)));
    let rows = flow
        .executions
        .iter()
        .enumerate()
        .skip(shown.start)
        .take(shown.len())
        .map(|(i, e)| {
            let (g, w) = execution_glyph(e.status);
            let revision = match (&e.revision_id, &e.revision_summary) {
                (Some(id), Some(s)) => format!("{} {}", truncate(id, 7), s),
                (Some(id), None) => id.to_string(),
                _ => "—".to_string(),
            };
            let took = fmt_elapsed(e.duration_secs(model.now));
            let started = format!(
                "{} ({} ago)",
                super::clock::stamp(model, e.started_at, "%m-%d %H:%M"),
                fmt_age(model.now.as_second() - e.started_at.as_second())
            );
            let selected = i == model.cursors.execution.selected;
            let texts = vec![
                (format!("{g} {w}"), execution_style(theme, e.status)),
                (e.id.chars().take(8).collect::<String>(), theme.base),
                (e.pipeline.to_string(), theme.base),
                (trigger_label(e), theme.base),
                (revision, theme.base),
                (started, theme.base),
                (took, theme.base),
            ];
            (selected, texts)
        });
    let rows: Vec<TextRow> = rows.collect();
    // Status, start and duration stay whole; a narrow terminal drops the
    // trigger, then the pipeline (a chained flow's), then the id.
    let column = |i, min, rank| of_rows(&headers, &rows, i, min, rank);
    let columns = [
        column(0, u16::MAX, 9),
        column(1, 8, 4),
        column(2, 10, 3),
        column(3, 7, 2),
        column(4, 12, 6),
        column(5, u16::MAX, 7),
        column(6, u16::MAX, 8),
    ];
    let title = Line::from(Span::styled(
        format!(
            " {} · {} executions{}",
            flow.name,
            flow.executions.len(),
            rows_note(&shown, flow.executions.len())
        ),
        theme.title,
    ));
    let table_area = titled(frame, area, title);
    let table = fitted_table(
        &headers,
        &columns,
        rows,
        table_area.width,
        (theme.dim, theme.selected),
    );
    frame.render_widget(table, table_area);
    // The rows start under the table's header.
    hits.rows(Pane::Executions, super::hits::line(table_area, 1), shown);
}

/// The trigger, or for a rollback execution what it rolls back to: a
/// rollback must not read like one more deployment.
fn trigger_label(e: &Execution) -> String {
    match &e.rollback {
        Some(RollbackOf {
            target_execution_id: Some(target),
        }) => format!("↺ rollback to {}", truncate(target, 8)),
        Some(_) => "↺ rollback".to_string(),
        None => e.trigger.to_string(),
    }
}
