//! The home view: waves as rows in pipeline order, regions as columns.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::detail;
use super::glyphs::{
    CHANGED_ELSEWHERE, action_glyph, cell_glyph, cell_style, execution_glyph, execution_style,
    fmt_age, fmt_ms, health_glyph, health_style, lag_style, stack_short,
};
use super::text::pad;
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::core::viewport::Viewport;
use crate::domain::fleet::{Cell, CellStatus, Flow, FlowKind, Wave};

/// Width of the wave-name column.
const LABEL_W: u16 = 16;
const MIN_COL_W: u16 = 15;
const MAX_COL_W: u16 = 22;

pub(crate) fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let Some(flow) = model.selected_flow() else {
        let text = match (model.discovered, model.discover_retry_at) {
            (true, _) => "No pipelines found.".to_string(),
            (false, Some(at)) => format!(
                "Could not discover the fleet (the reason is below and in 6 Activity); trying again at {}.",
                at.strftime("%H:%M:%S UTC")
            ),
            (false, None) => "Discovering the fleet…".to_string(),
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim), area);
        return;
    };
    // The title and the two header rows are written row by row into the
    // buffer: with less room they would land outside it.
    if area.height < 3 {
        return;
    }
    title(frame.buffer_mut(), area, model, flow, theme);
    let grid_area = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let used = draw_grid(frame.buffer_mut(), grid_area, model, flow, theme);
    // A preview of the selected cell when the terminal is tall enough.
    let rest = grid_area.height.saturating_sub(used);
    if rest >= 8 {
        let preview = Rect {
            y: grid_area.y + used + 1,
            height: rest - 1,
            ..grid_area
        };
        detail::preview(frame, preview, model, theme);
    }
}

fn title(buf: &mut Buffer, area: Rect, model: &Model, flow: &Flow, theme: &Theme) {
    let kind = match flow.kind {
        // Drawing must not depend on a pipeline flow carrying its pipeline.
        FlowKind::Pipeline => match flow.pipelines.first() {
            Some(p) => {
                format!("pipeline {:?} {:?}", p.pipeline_type, p.execution_mode).to_lowercase()
            }
            None => "pipeline".to_string(),
        },
        FlowKind::Chained => format!(
            "chained: {}",
            flow.pipelines
                .iter()
                .map(|p| format!("{} ({})", p.name, p.home_region))
                .collect::<Vec<_>>()
                .join(" → ")
        ),
        FlowKind::Unmanaged => "stacks deployed outside any pipeline".to_string(),
    };
    let mut spans = vec![
        Span::styled(
            format!(" {} ", flow.name),
            theme.title.add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("{kind} · home {}", flow.home_region()), theme.dim),
    ];
    if let Some(exec) = flow.latest_execution() {
        let (glyph, word) = execution_glyph(exec.status);
        spans.push(Span::styled(" · latest ", theme.dim));
        spans.push(Span::styled(
            format!("{glyph} {word}"),
            execution_style(theme, exec.status),
        ));
        spans.push(Span::styled(
            format!(
                " {} ago",
                fmt_age(model.now.as_second() - exec.started_at.as_second())
            ),
            theme.dim,
        ));
    }
    let approvals = flow.pending_approvals();
    if approvals > 0 {
        spans.push(Span::styled(
            format!(" · ⚑ {approvals} waiting"),
            theme.status_awaiting_approval,
        ));
    }
    let holds = flow.holds();
    if holds > 0 {
        spans.push(Span::styled(
            format!(" · ⏸ {holds} held"),
            theme.status_held,
        ));
    }
    let age = model.now.as_second() - flow.fetched_at.as_second();
    spans.push(Span::styled(
        format!(" · read {} ago", fmt_age(age)),
        theme.dim,
    ));
    // When the last poll failed or came back incomplete, the cells may not
    // show the pipeline's real state: say so where the operator looks.
    let key = crate::protocol::PollKey::Flow {
        flow: flow.name.clone(),
    };
    if let Some((_, err)) = model.poll.state(&key).and_then(|s| s.last_error.as_ref()) {
        spans.push(Span::styled(
            format!(" · ⚠ {err}"),
            theme.stale.add_modifier(Modifier::BOLD),
        ));
    }
    let line = Line::from(spans);
    buf.set_line(area.x, area.y, &line, area.width);
}

/// The column geometry: width of a column, how many fit, and the first one
/// shown so that the selected column stays in view.
pub(crate) fn columns(total_width: u16, regions: usize, cursor: &Viewport) -> (u16, usize, usize) {
    let avail = total_width.saturating_sub(LABEL_W);
    let regions_u16 = regions.max(1) as u16;
    let col_w = (avail / regions_u16).clamp(MIN_COL_W, MAX_COL_W);
    let visible = ((avail / col_w) as usize).max(1).min(regions.max(1));
    let first = Viewport {
        len: regions,
        ..*cursor
    }
    .shown(visible)
    .start;
    (col_w, visible, first)
}

/// Draws column headers and rows; returns the height used.
fn draw_grid(buf: &mut Buffer, area: Rect, model: &Model, flow: &Flow, theme: &Theme) -> u16 {
    let (col_w, visible, first) = columns(area.width, flow.regions.len(), &model.cursors.region);
    let end = (first + visible).min(flow.regions.len());
    // A cursor past the last region (before the core clamps it) draws no
    // columns rather than a panic.
    let shown = flow.regions.get(first.min(end)..end).unwrap_or_default();
    let mut y = area.y;
    let bottom = area.y + area.height;

    // Header: region name, then health summary and off-hours window.
    if first > 0 {
        buf.set_stringn(
            area.x,
            y,
            format!("◀ {first} more"),
            LABEL_W as usize,
            theme.dim,
        );
    }
    let hidden_right = flow.regions.len().saturating_sub(first + shown.len());
    if hidden_right > 0 {
        // At the right edge, in what the columns leave (at least the gap
        // after the last one).
        let after = area.x + LABEL_W + shown.len() as u16 * col_w;
        let room = usize::from((area.x + area.width + 1).saturating_sub(after));
        let marker = [
            format!("{hidden_right} more ▶"),
            format!("{hidden_right} ▶"),
        ]
        .into_iter()
        .find(|m| m.chars().count() <= room)
        .unwrap_or_else(|| "▶".to_string());
        let x = (area.x + area.width).saturating_sub(marker.chars().count() as u16);
        buf.set_string(x, y, marker, theme.dim);
    }
    // Waves above and below the screen, under the left marker.
    let wave_lines = usize::from(bottom.saturating_sub(y + 2));
    let waves = Viewport {
        len: flow.waves.len(),
        ..model.cursors.wave
    }
    .shown(wave_lines / 2);
    let waves_above = waves.start;
    for (i, region) in shown.iter().enumerate() {
        let x = area.x + LABEL_W + i as u16 * col_w;
        let selected = first + i == model.cursors.region.selected;
        let name_style = if selected {
            theme
                .title
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            theme.title
        };
        buf.set_stringn(
            x,
            y,
            pad(region, col_w as usize - 1),
            col_w as usize - 1,
            name_style,
        );
        let (health_text, health_style_) = region_health(model, flow, region, theme);
        let (win_text, win_style) = window_state(model, region, theme);
        buf.set_stringn(x, y + 1, &health_text, col_w as usize - 1, health_style_);
        let hx = x + health_text.chars().count() as u16 + 1;
        let room = (x + col_w - 1).saturating_sub(hx) as usize;
        buf.set_stringn(hx, y + 1, win_text, room, win_style);
    }
    y += 2;

    let mut drawn = waves.start;
    for (row, wave) in flow.waves.iter().enumerate().skip(waves.start) {
        if y >= bottom {
            break;
        }
        drawn = row + 1;
        let selected_row = row == model.cursors.wave.selected;
        let label_style = if selected_row {
            theme.title.add_modifier(Modifier::BOLD)
        } else {
            theme.base
        };
        let marker = if selected_row { "›" } else { " " };
        buf.set_stringn(
            area.x,
            y,
            format!("{marker}{}", pad(&wave.name, LABEL_W as usize - 2)),
            LABEL_W as usize - 1,
            label_style,
        );
        if wave.pre_deploy {
            pre_deploy_row(buf, area, y, model, wave, selected_row, theme);
            y += 1;
            continue;
        }
        if y + 1 < bottom {
            let sub = wave_subtitle(wave);
            buf.set_stringn(area.x + 1, y + 1, sub.0, LABEL_W as usize - 2, sub.1(theme));
        }
        for (i, region) in shown.iter().enumerate() {
            let x = area.x + LABEL_W + i as u16 * col_w;
            let selected = selected_row && first + i == model.cursors.region.selected;
            match wave.cell(region) {
                Some(cell) => draw_cell(
                    buf,
                    x,
                    y,
                    col_w - 1,
                    bottom,
                    model,
                    flow,
                    wave,
                    cell,
                    selected,
                    theme,
                ),
                None => {
                    let style = if selected {
                        theme.selected
                    } else {
                        theme.status_not_applicable
                    };
                    buf.set_stringn(
                        x,
                        y,
                        pad("·", col_w as usize - 1),
                        col_w as usize - 1,
                        style,
                    );
                    if y + 1 < bottom {
                        let style2 = if selected {
                            theme.selected
                        } else {
                            Style::default()
                        };
                        buf.set_stringn(
                            x,
                            y + 1,
                            pad("", col_w as usize - 1),
                            col_w as usize - 1,
                            style2,
                        );
                    }
                }
            }
        }
        y += 2;
    }
    let waves_below = flow.waves.len().saturating_sub(drawn);
    let waves_marker = match (waves_above, waves_below) {
        (0, 0) => None,
        (above, 0) => Some(format!("▲ {above} more")),
        (0, below) => Some(format!("▼ {below} more")),
        (above, below) => Some(format!("▲{above} ▼{below} more")),
    };
    if let Some(marker) = waves_marker {
        buf.set_stringn(area.x, area.y + 1, marker, LABEL_W as usize, theme.dim);
    }
    y.min(bottom) - area.y
}

fn wave_subtitle(wave: &Wave) -> (String, fn(&Theme) -> Style) {
    if !wave.transition.enabled {
        return ("⏸ HELD".to_string(), |t| {
            t.status_held.add_modifier(Modifier::BOLD)
        });
    }
    let regions = wave.cells.len();
    (
        format!("{regions} region{}", if regions == 1 { "" } else { "s" }),
        |t| t.dim,
    )
}

fn pre_deploy_row(
    buf: &mut Buffer,
    area: Rect,
    y: u16,
    model: &Model,
    wave: &Wave,
    selected: bool,
    theme: &Theme,
) {
    let Some(cell) = wave.cells.first() else {
        return;
    };
    let status = cell.status();
    let (glyph, word) = cell_glyph(status);
    let when = cell
        .in_progress_since()
        .or_else(|| cell.actions.iter().filter_map(|a| a.ended_at).max())
        .map(|t| format!(" {}", fmt_age(model.now.as_second() - t.as_second())))
        .unwrap_or_default();
    // Pre-deploy stages run once, in the pipeline's home region, before any
    // column: one line across the grid, saying where.
    let text = format!(
        "{glyph} {word}{when} · runs once in the home region {} · {} action{}",
        cell.region,
        cell.actions.len(),
        if cell.actions.len() == 1 { "" } else { "s" }
    );
    let style = if selected {
        theme.selected
    } else {
        cell_style(theme, status)
    };
    let width = area.width.saturating_sub(LABEL_W) as usize;
    buf.set_stringn(area.x + LABEL_W, y, text, width, style);
}

#[allow(clippy::too_many_arguments)]
fn draw_cell(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    w: u16,
    bottom: u16,
    model: &Model,
    flow: &Flow,
    wave: &Wave,
    cell: &Cell,
    selected: bool,
    theme: &Theme,
) {
    let status = cell.status();
    let changed_elsewhere = model
        .foreign_changes
        .iter()
        .any(|c| c.touches(&flow.name, &wave.pipeline, &wave.name, &cell.region));
    let (glyph, word) = cell_glyph(status);
    let elapsed = match status {
        CellStatus::InProgress | CellStatus::AwaitingApproval => cell
            .in_progress_since()
            .map(|t| format!(" {}", fmt_age(model.now.as_second() - t.as_second())))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let mut line1 = Style::default().patch(cell_style(theme, status));
    if selected {
        line1 = line1.patch(theme.selected).add_modifier(Modifier::REVERSED);
    }
    buf.set_stringn(x, y, pad("", w as usize), w as usize, line1);
    let mut spans = vec![Span::styled(format!("{glyph} {word}{elapsed}"), line1)];
    // A cell the current execution has not reached keeps its earlier
    // result beside it, greyed: not this execution's.
    if let Some(earlier) = cell
        .earlier_status()
        .filter(|_| matches!(status, CellStatus::NotStarted | CellStatus::Held))
    {
        let style = if selected { line1 } else { theme.dim };
        spans.push(Span::styled(format!(" ({})", action_glyph(earlier)), style));
    }
    buf.set_line(x, y, &Line::from(spans), w);
    if y + 1 >= bottom {
        return;
    }
    // Second line: who else changed it, stack status, health, replication
    // lag into this region.
    let mut spans: Vec<Span> = Vec::new();
    if changed_elsewhere {
        spans.push(Span::styled(
            format!("{CHANGED_ELSEWHERE} "),
            theme.status_held.add_modifier(Modifier::BOLD),
        ));
    }
    if let Some(stack) = cell
        .stack_names()
        .first()
        .and_then(|n| model.fleet.stack(&cell.region, n))
    {
        let short = stack_short(&stack.status);
        let style = if stack.rollback_in_progress() || stack.status.is_failed() {
            theme.status_failed
        } else {
            theme.dim
        };
        spans.push(Span::styled(short.to_string(), style));
    } else if let Some(stack) = model.fleet.stacks_of(&flow.name, &cell.region).next() {
        spans.push(Span::styled(
            stack_short(&stack.status).to_string(),
            theme.dim,
        ));
    }
    if let Some(summary) = model
        .fleet
        .health
        .region_summary_for(&flow.name, &cell.region)
    {
        let status = summary.status();
        let (g, _) = health_glyph(status, summary.drained);
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            g.to_string(),
            health_style(theme, status, summary.drained),
        ));
    }
    if let Some(lag) = model.fleet.lag_into(&flow.name, &cell.region) {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            fmt_ms(lag),
            lag_style(theme, lag, model.lag_warning_ms),
        ));
    }
    let mut line = Line::from(spans);
    if selected {
        line = super::text::selected_line(line, theme.selected);
        buf.set_stringn(
            x,
            y + 1,
            pad("", w as usize),
            w as usize,
            theme.selected.add_modifier(Modifier::REVERSED),
        );
    }
    buf.set_line(x, y + 1, &line, w);
}

fn region_health(model: &Model, flow: &Flow, region: &str, theme: &Theme) -> (String, Style) {
    match model.fleet.health.region_summary_for(&flow.name, region) {
        None => ("no checks".to_string(), theme.dim),
        Some(s) if s.drained => (
            format!("▼ drained {}/{}", s.healthy, s.total),
            theme.health_drained,
        ),
        Some(s) => {
            let (glyph, _) = health_glyph(s.status(), false);
            (
                format!("{glyph} {}/{}", s.healthy, s.total),
                health_style(theme, s.status(), false),
            )
        }
    }
}

fn window_state(model: &Model, region: &str, theme: &Theme) -> (&'static str, Style) {
    if !model.windows.has_window(region) {
        ("", theme.dim)
    } else if model.windows.is_open(region, model.now) {
        ("☾ open", theme.window_open)
    } else {
        ("☀ closed", theme.window_closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selected_column_is_always_in_view() {
        for regions in 1..30 {
            for selected in 0..regions {
                let cursor = Viewport {
                    selected,
                    ..Viewport::default()
                };
                let (w, visible, first) = columns(80, regions, &cursor);
                assert!(w >= MIN_COL_W);
                assert!(
                    selected >= first && selected < first + visible,
                    "{regions} {selected}"
                );
                assert!(LABEL_W + w * visible as u16 <= 80);
            }
        }
    }
}
