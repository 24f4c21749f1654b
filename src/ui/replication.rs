//! Per global table: a source -> receiving latency matrix and a sparkline of
//! the last hour for every pair.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::glyphs::{fmt_age, fmt_ms, lag_style, last_values, sparkline};
use unicode_width::UnicodeWidthStr;

use super::text::{fit_spans, pad};
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::core::mouse::{HitMap, Pane, Target};
use crate::domain::fleet::GlobalTable;

/// Matrix cells and row labels are as wide as the longest region name
/// (or value) plus a gap, within these bounds.
const MIN_CELL_W: usize = 8;
const MAX_CELL_W: usize = 18;

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
    hits: &mut HitMap,
) {
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
    // Each table's block, from its first line down, picks that table.
    let mut top = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    for (index, block) in blocks.iter().enumerate().skip(first) {
        let height = u16::try_from(block.len()).unwrap_or(u16::MAX);
        let block_area = Rect {
            y: area.y.saturating_add(top),
            height: height.min(area.height.saturating_sub(top)),
            ..area
        };
        hits.add(
            super::hits::area(block_area),
            Target::Row {
                pane: Pane::Replication,
                index,
            },
        );
        top = top.saturating_add(height);
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
    let mut lines = vec![fit_spans(
        vec![
            Span::styled(format!(" {} ", table.name), title_style),
            Span::styled(
                format!(
                    " replicas: {} · read {} ago",
                    replicas.join(", "),
                    fmt_age(model.now.as_second() - table.fetched_at.as_second())
                ),
                theme.dim,
            ),
        ],
        width,
    )];
    let regions: Vec<&str> = table.replicas.iter().map(|r| r.region.as_str()).collect();
    let longest = regions.iter().map(|r| r.width()).max().unwrap_or(0);
    let cell_w = (longest + 2).clamp(MIN_CELL_W, MAX_CELL_W);
    let label_w = (longest + 4).clamp("  source \\ into".len() + 1, MAX_CELL_W + 2);
    // Matrix: rows are sources, columns receiving regions.
    let mut head = vec![Span::styled(pad("  source \\ into", label_w), theme.dim)];
    for r in &regions {
        head.push(Span::styled(
            pad(r, cell_w),
            theme.dim.add_modifier(Modifier::BOLD),
        ));
    }
    lines.push(fit_spans(head, width));
    for src in &regions {
        let mut row = vec![Span::styled(pad(&format!("  {src}"), label_w), theme.base)];
        for dst in &regions {
            let span = if src == dst {
                Span::styled(pad("—", cell_w), theme.dim)
            } else {
                match table.series(src, dst).and_then(|s| s.latest()) {
                    Some(ms) => Span::styled(
                        pad(&fmt_ms(ms), cell_w),
                        lag_style(theme, ms, model.lag_warning_ms),
                    ),
                    None => Span::styled(pad("no data", cell_w), theme.dim),
                }
            };
            row.push(span);
        }
        lines.push(fit_spans(row, width));
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
        lines.push(fit_spans(spans, width));
    }
    lines
}
