//! One cell in full: the wave's actions in the region by runOrder, the gate's
//! instructions, the hold, and the region's stack with its newest events.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::glyphs::{
    CHANGED_ELSEWHERE, action_glyph, action_style, cell_glyph, cell_style, event_style, fmt_age,
    fmt_elapsed,
};
use ratatui::style::Style;
use unicode_width::UnicodeWidthStr;

use super::alarm_marks;
use super::cells::{put_lines, put_rule};
use super::conditions::condition_lines;
use super::glyphs::LINK_MARK;
use super::text::{pad, wrap};
use crate::config::theme::Theme;
use crate::core::laid::TextPane;
use crate::core::links::{Link, cell_links};
use crate::core::model::Model;
use crate::core::viewport::Viewport;
use crate::domain::fleet::{ActionStatus, Cell, Flow, Stack, Wave};
use crate::domain::hold_schedule::ScheduleSeen;

/// Draws the detail; returns how many lines it wrapped to and the rows
/// showing them, for the core to scroll by.
pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
) -> Option<TextPane> {
    let Some((flow, wave, cell)) = selection(model) else {
        frame.render_widget(Paragraph::new("Nothing selected.").style(theme.dim), area);
        return None;
    };
    let mut lines = header_lines(model, flow, wave, cell, theme);
    let verdict = super::verdict_lines::selected_cell_lines(model, flow, theme);
    if !verdict.is_empty() {
        lines.push(Line::from(""));
        lines.extend(verdict);
    }
    lines.push(Line::from(""));
    lines.extend(work_lines(model, (flow, wave, cell), theme, area.width));
    lines.push(Line::from(""));
    lines.extend(link_lines(model, theme));
    let alarms = alarm_marks::detail_lines(model, flow, wave, cell, theme);
    if !alarms.is_empty() {
        lines.push(Line::from(""));
        lines.extend(alarms);
    }
    if let Some(conditions) = &wave.conditions {
        lines.push(Line::from(""));
        lines.extend(condition_lines(conditions, model.now, theme));
    }
    for stack in stacks(model, flow, cell) {
        lines.push(Line::from(""));
        lines.extend(stack_lines(model, stack, theme, usize::MAX));
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border)
        .title(Span::styled(
            " cell detail · esc back · ↑↓ scroll ",
            theme.dim,
        ));
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false });
    // Scrolling stops with the last wrapped line at the bottom (the count
    // includes the block's top border).
    let measured = TextPane {
        lines: paragraph.line_count(area.width).saturating_sub(1),
        height: usize::from(area.height.saturating_sub(1)),
    };
    let text = Viewport {
        len: measured.lines,
        ..model.cursors.detail
    };
    let top = text.shown(measured.height).start;
    frame.render_widget(
        paragraph.scroll((u16::try_from(top).unwrap_or(u16::MAX), 0)),
        area,
    );
    Some(measured)
}

/// A short version under the grid: actions and the newest events.
pub(crate) fn preview(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let Some((flow, wave, cell)) = selection(model) else {
        return;
    };
    let mut lines = header_lines(model, flow, wave, cell, theme);
    lines.extend(work_lines(model, (flow, wave, cell), theme, area.width));
    let room = (area.height as usize).saturating_sub(lines.len() + 2);
    if let Some(stack) = stacks(model, flow, cell).into_iter().next() {
        lines.extend(stack_lines(model, stack, theme, room.saturating_sub(2)));
    }
    let title = Line::from(Span::styled(
        " selected cell · enter for detail ",
        theme.dim,
    ));
    let buf = frame.buffer_mut();
    put_rule(buf, area, &title, theme.border);
    let inner = Rect {
        y: area.y.saturating_add(1),
        height: area.height.saturating_sub(1),
        ..area
    };
    put_lines(buf, inner, &lines);
}

/// The cell's console links, each on its own line so that the runtime can
/// find its text on screen and make it a hyperlink (see [`hyperlinks`]).
fn link_lines<'a>(model: &Model, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(Span::styled(" console links", theme.title))];
    lines.extend(cell_links(model).into_iter().map(|link| {
        Line::from(vec![
            Span::raw("   "),
            Span::styled(label(&link), theme.base.add_modifier(Modifier::UNDERLINED)),
        ])
    }));
    lines
}

pub(super) fn label(link: &Link) -> String {
    format!("{LINK_MARK} {}", link.what)
}

fn selection(model: &Model) -> Option<(&Flow, &Wave, &Cell)> {
    let flow = model.selected_flow()?;
    let (wave_idx, region) = model.selected_cell()?;
    let wave = flow.waves.get(wave_idx)?;
    let cell = wave.cell(region)?;
    Some((flow, wave, cell))
}

/// The cell's actions, then its waiting gate if any.
fn work_lines<'a>(
    model: &Model,
    (flow, wave, cell): (&Flow, &Wave, &Cell),
    theme: &Theme,
    width: u16,
) -> Vec<Line<'a>> {
    let mut lines = action_lines(model, home_region(flow, wave), cell, theme, width);
    lines.extend(gate_lines(cell, theme, width));
    lines
}

/// The home region of the pipeline a wave belongs to (a chained flow's
/// pipelines live in different regions).
fn home_region<'a>(flow: &'a Flow, wave: &Wave) -> &'a str {
    flow.pipelines
        .iter()
        .find(|p| p.name == wave.pipeline)
        .map(|p| p.home_region.as_str())
        .unwrap_or_else(|| flow.home_region())
}

fn stacks<'a>(model: &'a Model, flow: &'a Flow, cell: &'a Cell) -> Vec<&'a Stack> {
    let named: Vec<&Stack> = cell
        .stack_names()
        .into_iter()
        .filter_map(|n| model.fleet.stack(&cell.region, n))
        .collect();
    if named.is_empty() {
        model.fleet.stacks_of(&flow.name, &cell.region).collect()
    } else {
        named
    }
}

fn header_lines<'a>(
    model: &Model,
    flow: &Flow,
    wave: &Wave,
    cell: &Cell,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let status = cell.status();
    let (glyph, word) = cell_glyph(status);
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!(" {} / {} / {} ", flow.name, wave.name, cell.region),
            theme.title.add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("{glyph} {word}"), cell_style(theme, status)),
        Span::styled(format!("  pipeline {}", wave.pipeline), theme.dim),
    ])];
    for change in model
        .foreign_changes
        .iter()
        .filter(|c| c.touches(&flow.name, &wave.pipeline, &wave.name, &cell.region))
    {
        let when = change
            .at
            .map(|t| {
                format!(
                    " at {} ({} ago)",
                    super::clock::clock_zoned(model, t),
                    fmt_age(model.now.as_second() - t.as_second())
                )
            })
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {CHANGED_ELSEWHERE} CHANGED ELSEWHERE "),
                theme
                    .status_held
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            ),
            Span::styled(
                format!(" {} {}{when}", change.who, change.what),
                theme.status_held,
            ),
        ]));
    }
    if !wave.transition.enabled {
        let by = wave.transition.changed_by.as_deref().unwrap_or("unknown");
        let since = wave
            .transition
            .changed_at
            .map(|t| {
                format!(
                    "{} ({} ago)",
                    super::clock::stamp(model, t, "%Y-%m-%d %H:%M %Z"),
                    fmt_age(model.now.as_second() - t.as_second())
                )
            })
            .unwrap_or_else(|| "unknown".into());
        lines.push(Line::from(vec![
            Span::styled(
                " ⏸ HELD ",
                theme
                    .status_held
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            ),
            Span::styled(
                format!(
                    " {} · by {by} · since {since} · {}",
                    wave.transition
                        .disabled_reason
                        .as_deref()
                        .unwrap_or("(no reason)"),
                    schedule_words(model, wave)
                ),
                theme.status_held,
            ),
        ]));
        let others: Vec<&str> = wave
            .regions()
            .into_iter()
            .filter(|r| *r != cell.region)
            .collect();
        if !others.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("   the hold also stops: {}", others.join(", ")),
                theme.dim,
            )));
        }
    }
    lines
}

/// One line per action: runOrder, state, name, kind, where it runs (an
/// approval drawn in a region's column runs in the pipeline's home region),
/// and when; an action this execution has not reached shows, greyed, how its
/// run in an earlier execution ended.
fn action_lines<'a>(
    model: &Model,
    home: &str,
    cell: &Cell,
    theme: &Theme,
    width: u16,
) -> Vec<Line<'a>> {
    let name_w = (width as usize / 4).clamp(16, 40);
    let kind_w = (width as usize / 5).clamp(24, 34);
    let age = |t: jiff::Timestamp| fmt_age(model.now.as_second() - t.as_second());
    let mut lines = Vec::new();
    for a in &cell.actions {
        let (when, when_style) = match (a.status, a.started_at, a.ended_at, &a.earlier) {
            (ActionStatus::InProgress, Some(s), _, _) => (
                format!(
                    "running {}",
                    fmt_elapsed(model.now.as_second() - s.as_second())
                ),
                action_style(theme, a.status),
            ),
            (_, _, Some(e), _) => (format!("{} ago", age(e)), action_style(theme, a.status)),
            (_, _, _, Some(earlier)) => (
                format!(
                    "earlier run {}{}",
                    action_glyph(earlier.status),
                    earlier
                        .at
                        .map(|t| format!(" {} ago", age(t)))
                        .unwrap_or_default()
                ),
                theme.dim,
            ),
            _ => (String::new(), theme.dim),
        };
        let place = if a.region == home {
            format!("{} (home)", a.region)
        } else {
            a.region.to_string()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", a.run_order), theme.dim),
            Span::styled(
                format!("{} ", action_glyph(a.status)),
                action_style(theme, a.status),
            ),
            Span::styled(column(&a.name, name_w), theme.base),
            Span::styled(
                column(&format!("{}/{}", a.category, a.provider), kind_w),
                theme.dim,
            ),
            Span::styled(column(&place, 22), theme.dim),
            Span::styled(when, when_style),
        ]));
        if let Some(err) = &a.error {
            lines.extend(indented("      ✖ ", err, width, theme.status_failed));
        }
        if let Some(url) = &a.external_url {
            lines.extend(indented("      ↗ ", url, width, theme.dim));
        }
    }
    lines
}

/// `text` after `lead`, wrapped to `width` with following lines indented
/// as far: a URL breaks after a `/`, never inside a word.
fn indented<'a>(lead: &str, text: &str, width: u16, style: Style) -> Vec<Line<'a>> {
    let indent = lead.width();
    let room = usize::from(width).saturating_sub(indent).max(1);
    wrap(text, room)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let lead = if i == 0 {
                lead.to_string()
            } else {
                " ".repeat(indent)
            };
            Line::from(Span::styled(format!("{lead}{part}"), style))
        })
        .collect()
}

/// Text padded or cut to a column of `width`, its last cell left blank so
/// neighbouring columns never run together.
fn column(text: &str, width: usize) -> String {
    format!("{} ", pad(text, width.saturating_sub(1)))
}

fn gate_lines<'a>(cell: &Cell, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let Some(gate) = cell.pending_approval() else {
        return Vec::new();
    };
    let approval = gate.approval.as_ref();
    let mut lines = vec![Line::from(Span::styled(
        format!(
            " ⚑ MANUAL GATE {} waiting{}",
            gate.name,
            if approval.is_some_and(|a| a.token_present) {
                ""
            } else {
                " (no token yet)"
            }
        ),
        theme.status_awaiting_approval.add_modifier(Modifier::BOLD),
    ))];
    if let Some(text) = approval.and_then(|a| a.custom_data.as_ref()) {
        lines.extend(indented("   ", text, width, theme.base));
    }
    if let Some(url) = approval.and_then(|a| a.review_url.as_ref()) {
        lines.extend(indented("   review: ", url, width, theme.dim));
    }
    lines
}

fn stack_lines<'a>(
    model: &Model,
    stack: &Stack,
    theme: &Theme,
    max_events: usize,
) -> Vec<Line<'a>> {
    // A stack discovery named but no poll has answered for yet (the first
    // polls are spread over the first seconds) has nothing read to show.
    let never_read = stack.status.is_unknown() && stack.events.is_empty();
    let read = if never_read {
        "  not read yet".to_string()
    } else {
        format!(
            "  read {} ago",
            fmt_age(model.now.as_second() - stack.fetched_at.as_second())
        )
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" stack {} ", stack.name), theme.title),
        Span::styled(
            stack.status.to_string(),
            event_style(theme, &stack.status).add_modifier(Modifier::BOLD),
        ),
        Span::styled(read, theme.dim),
    ])];
    if let Some(failing) = stack.failing_event() {
        lines.push(Line::from(Span::styled(
            format!(
                " ✖ {} ({}): {}",
                failing.logical_id,
                failing.resource_type,
                failing.reason.as_deref().unwrap_or("no reason given")
            ),
            theme.event_failed.add_modifier(Modifier::BOLD),
        )));
    }
    for e in stack.events.iter().take(max_events) {
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {} ", super::clock::clock(model, e.timestamp)),
                theme.dim,
            ),
            Span::styled(pad(e.status.as_str(), 37), event_style(theme, &e.status)),
            Span::styled(pad(&e.logical_id, 26), theme.base),
            Span::styled(e.reason.clone().unwrap_or_default(), theme.dim),
        ]));
    }
    lines
}

/// Whether the held wave opens by itself, and a warning when its schedule
/// fires on a freeze date added since it was made.
fn schedule_words(model: &Model, wave: &Wave) -> String {
    let words = wave.schedule.describe(model.hold_scheduler.is_some());
    match &wave.schedule {
        ScheduleSeen::Scheduled(s) if s.falls_on_freeze(&model.windows, &wave.regions()) => {
            format!("{words} · opens on a freeze date: w moves it to the next opening")
        }
        _ => words,
    }
}
