//! Every flow in one list: status, age, gates waiting, holds. `/` filters it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::columns::{TextRow, fitted_table, of_rows};
use super::glyphs::{execution_glyph, execution_style, fmt_age};
use super::scroll::rows_note;
use super::text::titled;
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::core::mouse::{HitMap, Pane};
use crate::domain::fleet::FlowKind;

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let flows = model.visible_flows();
    // Under the title and the table's header.
    let shown = model
        .cursors
        .pipeline
        .shown(usize::from(area.height.saturating_sub(2)));
    let headers = [
        "pipeline", "kind", "home", "latest", "age", "gates", "holds", "regions",
    ];
    let rows: Vec<TextRow> = flows
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
            let texts = vec![
                (flow.name.clone(), theme.base),
                (kind.to_string(), theme.base),
                (flow.home_region().to_string(), theme.base),
                (latest, style),
                (age, theme.base),
                (gate_text, gate_style),
                (hold_text, hold_style),
                (flow.regions.len().to_string(), theme.base),
            ];
            (selected, texts)
        })
        .collect();
    // Narrow terminals drop the kind, home and region count before they cut
    // a name; the status word is always whole.
    let column = |i, min, rank| of_rows(&headers, &rows, i, min, rank);
    let columns = [
        column(0, 12, 9),
        column(1, 7, 1),
        column(2, 9, 2),
        column(3, u16::MAX, 8),
        column(4, u16::MAX, 5),
        column(5, u16::MAX, 7),
        column(6, u16::MAX, 6),
        column(7, u16::MAX, 3),
    ];
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
    let table = fitted_table(
        &headers,
        &columns,
        rows,
        table_area.width,
        (theme.dim, theme.selected),
    );
    frame.render_widget(table, table_area);
    // The rows start under the table's header.
    hits.rows(Pane::Pipelines, super::hits::line(table_area, 1), shown);
}
