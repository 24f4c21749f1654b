//! Per global table: a source -> receiving latency matrix and a sparkline of
//! the last hour for every pair.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::glyphs::{fmt_age, fmt_ms, lag_style, last_values, sparkline};
use super::text::pad;
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::domain::fleet::GlobalTable;

const CELL_W: usize = 16;
/// Wide enough for the longest region name and a gap.
const LABEL_W: usize = 18;

pub(crate) fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let mut lines = Vec::new();
    if model.fleet.tables.is_empty() {
        lines.push(Line::from(Span::styled(
            " no global tables configured",
            theme.dim,
        )));
    }
    let selected = model.cursors.replication.selected;
    let blocks: Vec<Vec<Line>> = model
        .fleet
        .tables
        .iter()
        .enumerate()
        .map(|(i, table)| {
            let mut block = table_lines(model, table, i == selected, theme, area.width as usize);
            block.push(Line::from(""));
            block
        })
        .collect();
    // Tables are of different heights: from the core's first table, drop
    // tables from the top until the selected one ends on screen.
    let mut first = model.cursors.replication.offset.min(selected);
    let ends_below = |first: usize, blocks: &[Vec<Line>]| {
        let used: usize = blocks
            .iter()
            .take(selected + 1)
            .skip(first)
            .map(Vec::len)
            .sum();
        used > usize::from(area.height)
    };
    while first < selected && ends_below(first, &blocks) {
        first += 1;
    }
    lines.extend(blocks.into_iter().skip(first).flatten());
    frame.render_widget(Paragraph::new(lines), area);
}

fn table_lines<'a>(
    model: &Model,
    table: &GlobalTable,
    selected: bool,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'a>> {
    let mut title_style = theme.title.add_modifier(Modifier::BOLD);
    if selected {
        title_style = title_style
            .patch(theme.selected)
            .add_modifier(Modifier::REVERSED);
    }
    let replicas: Vec<String> = table
        .replicas
        .iter()
        .map(|r| format!("{} {}", r.region, r.status))
        .collect();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" {} ", table.name), title_style),
        Span::styled(
            format!(
                " replicas: {} · read {} ago",
                replicas.join(", "),
                fmt_age(model.now.as_second() - table.fetched_at.as_second())
            ),
            theme.dim,
        ),
    ])];
    let regions: Vec<&str> = table.replicas.iter().map(|r| r.region.as_str()).collect();
    // Matrix: rows are sources, columns receiving regions.
    let mut head = vec![Span::styled(pad("  source \\ into", LABEL_W), theme.dim)];
    for r in &regions {
        head.push(Span::styled(
            pad(r, CELL_W),
            theme.dim.add_modifier(Modifier::BOLD),
        ));
    }
    lines.push(Line::from(head));
    for src in &regions {
        let mut row = vec![Span::styled(pad(&format!("  {src}"), LABEL_W), theme.base)];
        for dst in &regions {
            let span = if src == dst {
                Span::styled(pad("—", CELL_W), theme.dim)
            } else {
                match table.series(src, dst).and_then(|s| s.latest()) {
                    Some(ms) => Span::styled(
                        pad(&fmt_ms(ms), CELL_W),
                        lag_style(theme, ms, model.lag_warning_ms),
                    ),
                    None => Span::styled(pad("no data", CELL_W), theme.dim),
                }
            };
            row.push(span);
        }
        lines.push(Line::from(row));
    }
    // Sparklines of the last hour, one per pair that has data.
    let spark_w = width.saturating_sub(44).clamp(10, 60);
    for s in &table.latency {
        let values: Vec<f64> = s.points.iter().map(|(_, v)| *v).collect();
        let latest = s.latest().unwrap_or(0.0);
        let max = values.iter().cloned().fold(0.0, f64::max);
        let bars = sparkline(&values, spark_w);
        let tail = last_values(&values, spark_w);
        let bar_spans = bars
            .chars()
            .zip(tail)
            .map(|(c, v)| Span::styled(c.to_string(), lag_style(theme, *v, model.lag_warning_ms)));
        let mut spans = vec![Span::styled(
            pad(
                &format!("  {} → {}", s.source_region, s.receiving_region),
                34,
            ),
            theme.base,
        )];
        // Each bar in the colour of its own lag, so a past spike stands out.
        spans.extend(bar_spans);
        spans.push(Span::styled(
            format!(" {} (max {})", fmt_ms(latest), fmt_ms(max)),
            theme.dim,
        ));
        lines.push(Line::from(spans));
    }
    lines
}
