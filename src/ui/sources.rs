//! Freshness of every source: when each poll key last answered, when it is
//! due again, and its last error. Shown beside the activity log.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::glyphs::fmt_age;
use unicode_width::UnicodeWidthStr;

use super::text::{fit_spans, pad};
use crate::config::theme::Theme;
use crate::core::model::Model;

pub(crate) fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
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
    for (key, state) in model.poll.keys() {
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
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border)
        .title(Span::styled(
            " sources: last answer, next poll, last error ",
            theme.dim,
        ));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
