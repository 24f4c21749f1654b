//! Freshness of every source: when each poll key last answered, when it is
//! due again, and its last error. Shown beside the activity log.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::glyphs::fmt_age;
use unicode_width::UnicodeWidthStr;

use super::scroll::rows_note;
use super::text::{fit_spans, pad, selected_line};
use crate::config::theme::Theme;
use crate::core::action::ActionName;
use crate::core::model::Model;
use crate::core::mouse::{HitMap, Pane, Target};
use crate::core::panes::{ActivityPane, source_count};

/// The row of the team's audit log group (`[audit] log_group`).
const TEAM_LOG_LABEL: &str = "team audit log";

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let now = model.now;
    let width = usize::from(area.width);
    // The key column is as wide as the longest key, leaving the times and
    // some of the error their room; a longer key is elided.
    let widest = model
        .poll
        .keys()
        .map(|(key, _)| key.label().width())
        .chain(model.discovery_errors.iter().map(|e| e.source.width()))
        .max()
        .unwrap_or(0)
        .max(16);
    let key_w = widest
        .min(width.saturating_sub(3 + 1 + 14 + 11 + 12))
        .max(12);
    let mut lines = Vec::new();
    // What discovery could not read comes first, as it has no poll of its
    // own: it is read again with the next discovery.
    for e in &model.discovery_errors {
        let next = match model.discover_retry_at {
            Some(at) => format!("in {}", fmt_age(at.as_second() - now.as_second())),
            None => "in flight".to_string(),
        };
        lines.push(fit_spans(
            vec![
                Span::styled(" ✖ ", theme.activity_error),
                // In full: a zone id is longer than the column poll keys use.
                Span::styled(pad(&e.source, key_w), theme.base),
                Span::raw(" "),
                Span::styled(pad("ok never", 14), theme.dim),
                Span::styled(pad(&next, 11), theme.dim),
                Span::styled(format!("discovery: {}", e.message), theme.activity_error),
            ],
            width,
        ));
    }
    // A team log group that could not be read, until a read works.
    if let Some(failure) = &model.team.read_error {
        let failed = fmt_age(now.as_second() - failure.at.as_second());
        lines.push(fit_spans(
            vec![
                Span::styled(" ✖ ", theme.activity_error),
                Span::styled(pad(TEAM_LOG_LABEL, key_w), theme.base),
                Span::raw(" "),
                Span::styled(pad(&format!("failed {failed} ago"), 14), theme.dim),
                Span::styled(
                    pad(
                        &format!(
                            "in {}",
                            fmt_age(failure.retry_at.as_second() - now.as_second())
                        ),
                        11,
                    ),
                    theme.dim,
                ),
                Span::styled(failure.message.clone(), theme.activity_error),
            ],
            width,
        ));
    }
    // Under the border's title.
    let room = usize::from(area.height.saturating_sub(1));
    let shown = model.cursors.sources.shown(room);
    // Only the poll keys on screen are formatted: there may be hundreds.
    let errors = lines.len();
    let keys_from = shown.start.saturating_sub(errors);
    let keys_to = shown.end.saturating_sub(errors);
    for (key, state) in model
        .poll
        .keys()
        .skip(keys_from)
        .take(keys_to.saturating_sub(keys_from))
    {
        let stale = model.poll.is_stale(key, now);
        let (glyph, style) = if stale {
            ("⚠", theme.stale)
        } else if state.last_error.is_some() {
            ("!", theme.status_awaiting_approval)
        } else {
            ("●", theme.health_healthy)
        };
        let ok = state
            .last_ok
            .map(|t| format!("{} ago", fmt_age(now.as_second() - t.as_second())))
            .unwrap_or_else(|| "never".to_string());
        let next = if state.in_flight.is_some() {
            "in flight".to_string()
        } else {
            format!(
                "in {}",
                fmt_age(state.next_due.as_second() - now.as_second())
            )
        };
        let mut spans = vec![
            Span::styled(format!(" {glyph} "), style),
            Span::styled(pad(&key.label(), key_w), theme.base),
            Span::raw(" "),
            Span::styled(pad(&format!("ok {ok}"), 14), theme.dim),
            Span::styled(pad(&next, 11), theme.dim),
        ];
        if state.late_answers > 0 {
            spans.push(Span::styled(
                format!("{} late dropped  ", state.late_answers),
                theme.dim,
            ));
        }
        if let Some((at, err)) = &state.last_error {
            spans.push(Span::styled(
                format!("{} ago: {err}", fmt_age(now.as_second() - at.as_second())),
                theme.activity_error,
            ));
        }
        lines.push(fit_spans(spans, width));
    }
    let focused = model.activity_pane == ActivityPane::Sources;
    let total = source_count(model);
    let lines: Vec<Line> = lines
        .into_iter()
        .enumerate()
        // The row's place among all sources: the keys before the screen were
        // never formatted.
        .map(|(i, line)| (if i < errors { i } else { i + keys_from }, line))
        .filter(|(row, _)| shown.contains(row))
        .map(|(row, line)| {
            if focused && row == model.cursors.sources.selected {
                selected_line(line, theme.selected)
            } else {
                line
            }
        })
        .collect();
    let focus = if focused {
        format!(" · {}: log", model.bindings.label(ActionName::Left))
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
        .title(Span::styled(
            format!(
                " sources: last answer, next poll, last error{}{focus} ",
                rows_note(&shown, total)
            ),
            theme.dim,
        ));
    frame.render_widget(Paragraph::new(lines).block(block), area);
    hits.add(super::hits::area(area), Target::Pane(Pane::Sources));
    // The rows start under the border's title.
    hits.rows(Pane::Sources, super::hits::line(area, 1), shown);
}
