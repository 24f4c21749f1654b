//! The home view: waves as rows in pipeline order, regions as columns.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use unicode_width::UnicodeWidthStr;

use super::alarm_marks::{CellMark, alarm_glyph, alarm_style, header_mark};
use super::cells::{put_line, put_str};
use super::detail;
use super::glyphs::{
    cell_glyph, cell_style, execution_glyph, execution_style, fmt_age, health_glyph, health_style,
};
use super::grid_cell::{self, ColumnFacts, FirstLine, SecondLine};
use super::text::{elide, fit_bar};
use crate::config::theme::Theme;
use crate::core::laid::GridColumns;
use crate::core::model::Model;
use crate::core::mouse::{HitMap, Target};
use crate::core::panes::measured_columns;
use crate::core::region_pages::shown_columns;
use crate::core::viewport::Viewport;
use crate::domain::fleet::{Flow, FlowKind, RegionHealth, Wave};
use crate::domain::hold_schedule::ScheduleSeen;

/// Bounds of the wave-name column, the selection marker and a gap
/// included: it is as wide as the longest wave name needs within them, and
/// the region columns get the rest.
const MIN_LABEL_W: u16 = 12;
const MAX_LABEL_W: u16 = 24;
/// Region column widths, the gap included: the least leaves a state word
/// whole, the most keeps one long name from taking a screen.
const MIN_COL_W: u16 = 10;
const MAX_COL_W: u16 = 22;

/// Draws the grid; returns its region columns as laid out, when it drew any.
pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
    hits: &mut HitMap,
) -> Option<GridColumns> {
    let Some(flow) = model.selected_flow() else {
        let text = match (model.discovered, model.discover_retry_at) {
            (true, _) => "No pipelines found.".to_string(),
            (false, Some(at)) => format!(
                "Could not discover the fleet (the reason is below and in 6 Activity); trying again at {}.",
                super::clock::clock_zoned(model, at)
            ),
            (false, None) => "Discovering the fleet…".to_string(),
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim), area);
        return None;
    };
    // The title and the two header rows are written row by row into the
    // buffer: with less room they would land outside it.
    if area.height < 3 {
        return None;
    }
    title(frame.buffer_mut(), area, model, flow, theme);
    let grid_area = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let (used, columns) = draw_grid(frame.buffer_mut(), grid_area, model, flow, theme, hits);
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
    Some(columns)
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
    // By rank: the name, a failed poll and what waits on the operator come
    // before the latest execution, the kind and the read age.
    let mut pieces = vec![
        (
            255,
            vec![Span::styled(
                format!(" {}", flow.name),
                theme.title.add_modifier(Modifier::BOLD),
            )],
        ),
        (
            60,
            vec![Span::styled(
                format!(" {kind} · home {}", flow.home_region()),
                theme.dim,
            )],
        ),
    ];
    if let Some(exec) = flow.latest_execution() {
        let (glyph, word) = execution_glyph(exec.status);
        pieces.push((
            150,
            vec![
                Span::styled(" · latest ", theme.dim),
                Span::styled(
                    format!("{glyph} {word}"),
                    execution_style(theme, exec.status),
                ),
                Span::styled(
                    format!(
                        " {} ago",
                        fmt_age(model.now.as_second() - exec.started_at.as_second())
                    ),
                    theme.dim,
                ),
            ],
        ));
    }
    let approvals = flow.pending_approvals();
    if approvals > 0 {
        pieces.push((
            200,
            vec![Span::styled(
                format!(" · ⚑ {approvals} waiting"),
                theme.status_awaiting_approval,
            )],
        ));
    }
    let holds = flow.holds();
    if holds > 0 {
        pieces.push((
            190,
            vec![Span::styled(
                format!(" · ⏸ {holds} held"),
                theme.status_held,
            )],
        ));
    }
    let age = model.now.as_second() - flow.fetched_at.as_second();
    pieces.push((
        80,
        vec![Span::styled(
            format!(" · read {} ago", fmt_age(age)),
            theme.dim,
        )],
    ));
    // When the last poll failed or came back incomplete, the cells may not
    // show the pipeline's real state: say so where the operator looks.
    let key = crate::protocol::PollKey::Flow {
        flow: flow.name.clone(),
    };
    if let Some((_, err)) = model.poll.state(&key).and_then(|s| s.last_error.as_ref()) {
        pieces.push((
            220,
            vec![Span::styled(
                format!(" · ⚠ {err}"),
                theme.stale.add_modifier(Modifier::BOLD),
            )],
        ));
    }
    let line = fit_bar(pieces, area.width.into());
    put_line(buf, area.x, area.y, &line, area.width);
}

/// Every cell's two lines, by wave then region (`None` where a wave has
/// no action in a region, and for pre-deploy waves, drawn across the grid).
type CellLines<'f> = Vec<Vec<Option<(FirstLine, SecondLine<'f>)>>>;

fn cell_lines<'f>(model: &Model, flow: &Flow, facts: &'f [ColumnFacts]) -> CellLines<'f> {
    let verdicts = crate::core::verdicts::flow_verdicts(model, flow);
    flow.waves
        .iter()
        .enumerate()
        .map(|(index, wave)| {
            flow.regions
                .iter()
                .zip(facts)
                .map(|(region, facts)| {
                    let cell = wave.cell(region).filter(|_| !wave.pre_deploy)?;
                    let mark = CellMark::of(model, flow, wave, cell);
                    let verdict = verdicts
                        .iter()
                        .find(|(w, r, _)| *w == index && r == region)
                        .map(|(_, _, v)| v.call);
                    Some((
                        FirstLine::of(model, cell)
                            .judged(verdict)
                            .with_mark(mark)
                            .gated_by(wave),
                        SecondLine::of(model, flow, wave, cell, facts),
                    ))
                })
                .collect()
        })
        .collect()
}

/// Each region column's width: what its label, health line and cells need,
/// a gap included, within [`MIN_COL_W`, `MAX_COL_W`].
fn column_widths(model: &Model, flow: &Flow, facts: &[ColumnFacts], lines: &CellLines) -> Vec<u16> {
    flow.regions
        .iter()
        .zip(facts)
        .enumerate()
        .map(|(i, (region, facts))| {
            let health = health_text(facts.health).width()
                + window_state(model, region, None).map_or(0, |(w, _)| 1 + w.width());
            let cells = lines
                .iter()
                .filter_map(|row| row.get(i)?.as_ref())
                .map(|(a, b)| a.width().max(b.width()))
                .max()
                .unwrap_or(0);
            let label = region.width() + header_mark(model, flow, region).map_or(0, |_| 2);
            let need = label.max(health).max(cells) + 1;
            u16::try_from(need)
                .unwrap_or(MAX_COL_W)
                .clamp(MIN_COL_W, MAX_COL_W)
        })
        .collect()
}

/// The wave-name column's width: the longest name with the marker before
/// it and a gap after, within [`MIN_LABEL_W`, `MAX_LABEL_W`] (a longer name
/// is elided at a word boundary).
fn label_width(flow: &Flow) -> u16 {
    let widest = flow.waves.iter().map(|w| w.name.width()).max().unwrap_or(0);
    u16::try_from(widest + 2)
        .unwrap_or(MAX_LABEL_W)
        .clamp(MIN_LABEL_W, MAX_LABEL_W)
}

/// Draws column headers and rows; returns the height used and the region
/// columns' widths, for the core to page by.
fn draw_grid(
    buf: &mut Buffer,
    area: Rect,
    model: &Model,
    flow: &Flow,
    theme: &Theme,
    hits: &mut HitMap,
) -> (u16, GridColumns) {
    let label_w = label_width(flow);
    let facts = ColumnFacts::of_flow(model, flow);
    let lines = cell_lines(model, flow, &facts);
    let widths = column_widths(model, flow, &facts, &lines);
    let room = area.width.saturating_sub(label_w);
    // The core's scroll once it has measured these columns; before that
    // (the first frame of a grid) its offset is a guess, and the selected
    // column comes with as many to its left as fit.
    let cursor = model.cursors.region;
    let offset = measured_columns(model).map_or(0, |_| cursor.offset);
    let columns = shown_columns(&widths, room, offset, cursor.selected);
    let (first, end) = (columns.start, columns.end);
    // The shown columns: index, region, left edge and width without the gap.
    // A cursor past the last region (before the core clamps it) draws no
    // columns rather than a panic.
    let mut x = area.x + label_w;
    let mut shown = Vec::with_capacity(end.saturating_sub(first));
    for i in first..end {
        let (Some(region), Some(w)) = (flow.regions.get(i), widths.get(i)) else {
            break;
        };
        shown.push((i, region.as_str(), x, w.saturating_sub(1)));
        x += w;
    }
    let mut y = area.y;
    let bottom = area.y + area.height;

    // Header: region name, then health summary and off-hours window.
    if first > 0 {
        put_str(
            buf,
            area.x,
            y,
            format!("◀ {first} more"),
            usize::from(label_w),
            theme.dim,
        );
    }
    let hidden_right = flow.regions.len().saturating_sub(first + shown.len());
    if hidden_right > 0 {
        // At the right edge, in what the columns leave, a blank away from
        // the last column's name (a count against it would read as part
        // of the name); the arrow alone where nothing more fits.
        let name_end = shown.last().map_or(x, |&(_, region, left, w)| {
            let mark = header_mark(model, flow, region).map_or(0, |_| 2);
            let name = u16::try_from(region.width() + mark).unwrap_or(u16::MAX);
            left + name.min(w)
        });
        let room = usize::from((area.x + area.width).saturating_sub(name_end + 1));
        let marker = [
            format!("{hidden_right} more ▶"),
            format!("{hidden_right} ▶"),
        ]
        .into_iter()
        .find(|m| m.chars().count() <= room)
        .unwrap_or_else(|| "▶".to_string());
        let at = (area.x + area.width).saturating_sub(marker.chars().count() as u16);
        buf.set_string(at, y, marker, theme.dim);
    }
    // Waves above and below the screen, under the left marker.
    let wave_lines = usize::from(bottom.saturating_sub(y + 2));
    let waves = Viewport {
        len: flow.waves.len(),
        ..model.cursors.wave
    }
    .shown(wave_lines / 2);
    let waves_above = waves.start;
    for &(i, region, x, w) in &shown {
        let name_style = if i == model.cursors.region.selected {
            theme
                .title
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            theme.title
        };
        let (nx, _) = put_str(buf, x, y, elide(region, w.into()), w.into(), name_style);
        if let Some(state) = header_mark(model, flow, region)
            && nx + 2 <= x + w
        {
            put_str(
                buf,
                nx + 1,
                y,
                alarm_glyph(state),
                1,
                alarm_style(theme, state),
            );
        }
        let health = facts.get(i).and_then(|f| f.health);
        let text = health_text(health);
        let (hx, _) = put_str(
            buf,
            x,
            y + 1,
            elide(&text, w.into()),
            w.into(),
            health_style_of(health, theme),
        );
        if let Some((win, style)) = window_state(model, region, Some(theme)) {
            let room = usize::from((x + w).saturating_sub(hx + 1));
            if win.width() <= room {
                put_str(buf, hx + 1, y + 1, win, room, style);
            }
        }
    }
    y += 2;

    let mut drawn = waves.start;
    for (row, wave) in flow.waves.iter().enumerate().skip(waves.start) {
        if y >= bottom {
            break;
        }
        drawn = row + 1;
        let rows_drawn = if wave.pre_deploy || y + 1 >= bottom {
            1
        } else {
            2
        };
        // The wave's name picks the wave in the column already selected.
        hits.add(
            super::hits::area(Rect {
                x: area.x,
                y,
                width: label_w,
                height: rows_drawn,
            }),
            Target::Cell {
                wave: row,
                region: model.cursors.region.selected,
            },
        );
        for &(i, _, x, w) in &shown {
            let cell = Rect {
                x,
                y,
                width: w,
                height: rows_drawn,
            };
            let target = Target::Cell {
                wave: row,
                region: i,
            };
            hits.add(super::hits::area(cell), target);
        }
        let selected_row = row == model.cursors.wave.selected;
        let label_style = if selected_row {
            theme.title.add_modifier(Modifier::BOLD)
        } else {
            theme.base
        };
        let marker = if selected_row { "›" } else { " " };
        put_str(buf, area.x, y, marker, 1, label_style);
        let name_w = usize::from(label_w - 2);
        put_str(
            buf,
            area.x + 1,
            y,
            elide(&wave.name, name_w),
            name_w,
            label_style,
        );
        if wave.pre_deploy {
            let cells = Rect {
                x: area.x + label_w,
                width: area.width.saturating_sub(label_w),
                ..area
            };
            pre_deploy_row(buf, cells, y, model, wave, selected_row, theme);
            y += 1;
            continue;
        }
        if y + 1 < bottom {
            let sub = wave_subtitle(wave);
            put_str(buf, area.x + 1, y + 1, sub.0, name_w, sub.1(theme));
        }
        let height = if y + 1 < bottom { 2 } else { 1 };
        let row_lines = lines.get(row);
        for &(i, _, x, w) in &shown {
            let selected = selected_row && i == model.cursors.region.selected;
            let cell_area = Rect {
                x,
                y,
                width: w,
                height,
            };
            match row_lines.and_then(|r| r.get(i)).and_then(Option::as_ref) {
                Some((first, second)) => {
                    grid_cell::draw(buf, cell_area, (first, second), selected, theme);
                }
                None => {
                    let style = if selected {
                        theme.selected
                    } else {
                        theme.status_not_applicable
                    };
                    put_str(buf, x, y, "·", 1, style);
                    if selected {
                        buf.set_style(cell_area, theme.selected);
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
        put_str(
            buf,
            area.x,
            area.y + 1,
            marker,
            usize::from(label_w),
            theme.dim,
        );
    }
    (y.min(bottom) - area.y, GridColumns { widths, room })
}

fn wave_subtitle(wave: &Wave) -> (String, fn(&Theme) -> Style) {
    if !wave.transition.enabled {
        // The row tells at a glance whether the hold opens by itself.
        let mark = match &wave.schedule {
            ScheduleSeen::Scheduled(s) => format!("⏸ HELD → {}", s.short()),
            ScheduleSeen::Unknown { .. } => "⏸ HELD ?".to_string(),
            ScheduleSeen::None | ScheduleSeen::NotRead => "⏸ HELD".to_string(),
        };
        return (mark, |t| t.status_held.add_modifier(Modifier::BOLD));
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
    // Elided at a word, never cut inside one: at 80 columns the line is
    // wider than the grid.
    let width = usize::from(area.width);
    put_str(buf, area.x, y, elide(&text, width), width, style);
}

/// A region's health summary above its column: `● 1/1`, `▼ drained 0/1`.
fn health_text(health: Option<RegionHealth>) -> String {
    match health {
        None => "no checks".to_string(),
        Some(s) if s.drained => format!("▼ drained {}/{}", s.healthy, s.total),
        Some(s) => format!(
            "{} {}/{}",
            health_glyph(s.status(), false).0,
            s.healthy,
            s.total
        ),
    }
}

fn health_style_of(health: Option<RegionHealth>, theme: &Theme) -> Style {
    match health {
        None => theme.dim,
        Some(s) if s.drained => theme.health_drained,
        Some(s) => health_style(theme, s.status(), false),
    }
}

/// The region's off-hours window, if it has one: open or closed, and its
/// style when a theme is given.
fn window_state(
    model: &Model,
    region: &str,
    theme: Option<&Theme>,
) -> Option<(&'static str, Style)> {
    if !model.windows.has_window(region) {
        return None;
    }
    let open = model.windows.is_open(region, model.now);
    let style = theme.map_or_else(Style::default, |t| {
        if open { t.window_open } else { t.window_closed }
    });
    Some((if open { "☾ open" } else { "☀ closed" }, style))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wave_column_fits_the_longest_name_within_bounds() {
        let now = jiff::Timestamp::from_second(1_800_000_000).unwrap();
        let mut fleet = crate::domain::synthetic::fleet(3, 4, now);
        let flow = fleet.flows.first_mut().unwrap();
        // `Wave00`: the least width.
        assert_eq!(label_width(flow), MIN_LABEL_W);
        flow.waves[1].name = "EuropeAndMiddleEast".into();
        assert_eq!(label_width(flow), 19 + 2, "name, marker and gap");
        flow.waves[2].name = "AsiaPacificSouthAndOceaniaWave".into();
        assert_eq!(label_width(flow), MAX_LABEL_W);
        let shown = elide(&flow.waves[2].name, usize::from(MAX_LABEL_W - 2));
        assert!(shown.ends_with('…'), "{shown}");
    }
}
