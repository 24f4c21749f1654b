//! This session's operator actions and errors, newest last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::fit_spans;
use crate::config::theme::Theme;
use crate::core::model::{ActivityKind, Model};

pub(crate) fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    // The sources take the lower part: one line each, at most half the view.
    let sources_h = (model.poll.keys().count() as u16 + 1).min(area.height / 2);
    let log_area = Rect {
        height: area.height - sources_h,
        ..area
    };
    let sources_area = Rect {
        y: area.y + log_area.height,
        height: sources_h,
        ..area
    };
    super::sources::render(frame, sources_area, model, theme);
    let area = log_area;
    let mut lines = vec![Line::from(Span::styled(
        format!(" activity · {} entries this session", model.activity.len()),
        theme.title,
    ))];
    if model.activity.is_empty() {
        lines.push(Line::from(Span::styled(
            "  nothing yet: actions you take and errors wavetop meets show here",
            theme.dim,
        )));
    }
    let room = area.height.saturating_sub(1) as usize;
    let skip = (model.cursors.activity + 1).saturating_sub(room);
    for (i, entry) in model.activity.iter().enumerate().skip(skip).take(room) {
        let (glyph, style) = match entry.kind {
            ActivityKind::Sent => ("→", theme.status_in_progress),
            ActivityKind::Done => ("✔", theme.activity_ok),
            ActivityKind::Error => ("✖", theme.activity_error),
            ActivityKind::Info => ("·", theme.dim),
        };
        let mut line = fit_spans(
            vec![
                Span::styled(format!(" {} ", entry.at.strftime("%H:%M:%S")), theme.dim),
                Span::styled(format!("{glyph} "), style),
                Span::styled(entry.text.clone(), style),
            ],
            area.width.into(),
        );
        if i == model.cursors.activity {
            line = super::text::selected_line(line, theme.selected);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}
