//! Every flow in one list: status, age, gates waiting, holds. `/` filters it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::glyphs::{execution_glyph, execution_style, fmt_age};
use super::scroll::rows_note;
use super::text::{cells, table_row, titled};
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::domain::fleet::FlowKind;

pub(crate) fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let flows = model.visible_flows();
    // Under the title and the table's header.
    let shown = model
        .cursors
        .pipeline
        .shown(usize::from(area.height.saturating_sub(2)));
    let header_cells = [
        "pipeline", "kind", "home", "latest", "age", "gates", "holds", "regions",
    ];
    let rows_cells: Vec<(bool, Vec<Cell>)> = flows
        .iter()
        .enumerate()
        .skip(shown.start)
        .take(shown.len())
        .map(|(i, flow)| {
            let kind = match flow.kind {
                FlowKind::Pipeline => "pipeline",
                FlowKind::Chained => "chained",
                FlowKind::Unmanaged => "stacks only",
            };
            let (latest, age, style) = match flow.latest_execution() {
                Some(e) => {
                    let (g, w) = execution_glyph(e.status);
                    (
                        format!("{g} {w}"),
                        fmt_age(model.now.as_second() - e.started_at.as_second()),
                        execution_style(theme, e.status),
                    )
                }
                None => ("—".to_string(), String::new(), theme.dim),
            };
            let gates = flow.pending_approvals();
            let holds = flow.holds();
            let (gate_text, gate_style) = if gates > 0 {
                (format!("⚑ {gates}"), theme.status_awaiting_approval)
            } else {
                ("·".to_string(), theme.dim)
            };
            let (hold_text, hold_style) = if holds > 0 {
                (format!("⏸ {holds}"), theme.status_held)
            } else {
                ("·".to_string(), theme.dim)
            };
            let selected = i == model.cursors.pipeline.selected;
            let cells = cells(
                vec![
                    (flow.name.clone(), theme.base),
                    (kind.to_string(), theme.base),
                    (flow.home_region().to_string(), theme.base),
                    (latest, style),
                    (age, theme.base),
                    (gate_text, gate_style),
                    (hold_text, hold_style),
                    (flow.regions.len().to_string(), theme.base),
                ],
                selected,
            );
            (selected, cells)
        })
        .collect();
    // Narrow terminals drop the kind and home columns before cutting names.
    let wide = area.width >= 100;
    let keep = |i: usize| wide || !(i == 1 || i == 2);
    let widths: Vec<Constraint> = [
        Constraint::Length(26),
        Constraint::Length(12),
        Constraint::Length(15),
        Constraint::Length(14),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(7),
    ]
    .into_iter()
    .enumerate()
    .filter(|(i, _)| keep(*i))
    .map(|(_, c)| c)
    .collect();
    let header = Row::new(
        header_cells
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, c)| c),
    )
    .style(theme.dim.add_modifier(Modifier::BOLD));
    let rows: Vec<Row> = rows_cells
        .into_iter()
        .map(|(selected, cells)| {
            let kept = cells
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, c)| c)
                .collect();
            table_row(kept, selected, theme.selected)
        })
        .collect();
    let title = if model.filter.is_empty() {
        Line::from(Span::styled(
            format!(
                " {} pipelines · / filter · enter opens the grid{}",
                flows.len(),
                rows_note(&shown, flows.len())
            ),
            theme.dim,
        ))
    } else {
        Line::from(Span::styled(
            format!(
                " {} of {} match “{}”{}",
                flows.len(),
                model.fleet.flows.len(),
                model.filter,
                rows_note(&shown, flows.len())
            ),
            theme.status_awaiting_approval,
        ))
    };
    let table_area = titled(frame, area, title);
    // The table starts one column in, like every other view.
    let table_area = Rect {
        x: table_area.x + 1,
        width: table_area.width.saturating_sub(1),
        ..table_area
    };
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table_area,
    );
}
