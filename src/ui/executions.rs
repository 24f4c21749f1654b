//! The selected flow's execution history, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use super::glyphs::{execution_glyph, execution_style, fmt_age, fmt_elapsed};
use super::scroll::rows_note;
use super::text::{cells, table_row, titled, truncate};
use crate::config::theme::Theme;
use crate::core::model::Model;

pub(crate) fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let Some(flow) = model.selected_flow() else {
        frame.render_widget(
            Paragraph::new("No pipeline selected.").style(theme.dim),
            area,
        );
        return;
    };
    let header = Row::new([
        "status",
        "execution",
        "pipeline",
        "trigger",
        "revision",
        "started (UTC)",
        "took",
    ])
    .style(theme.dim.add_modifier(Modifier::BOLD));
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
                (Some(id), None) => id.clone(),
                _ => "—".to_string(),
            };
            let took = fmt_elapsed(e.duration_secs(model.now));
            let started = format!(
                "{} ({} ago)",
                e.started_at.strftime("%m-%d %H:%M"),
                fmt_age(model.now.as_second() - e.started_at.as_second())
            );
            let selected = i == model.cursors.execution.selected;
            table_row(
                cells(
                    vec![
                        (format!("{g} {w}"), execution_style(theme, e.status)),
                        (e.id.chars().take(8).collect::<String>(), theme.base),
                        (e.pipeline.clone(), theme.base),
                        (e.trigger.clone(), theme.base),
                        (revision, theme.base),
                        (started, theme.base),
                        (took, theme.base),
                    ],
                    selected,
                ),
                selected,
                theme.selected,
            )
        });
    let widths = [
        Constraint::Length(13),
        Constraint::Length(9),
        Constraint::Length(18),
        Constraint::Length(18),
        Constraint::Min(20),
        Constraint::Length(21),
        Constraint::Length(7),
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
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table_area,
    );
}
