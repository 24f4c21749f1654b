//! This session's operator actions and errors, newest last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::scroll::rows_note;
use super::text::fit_spans;
use crate::config::theme::Theme;
use crate::core::action::ActionName;
use crate::core::model::{ActivityKind, Model};
use crate::core::mouse::{HitMap, Pane};
use crate::core::panes::{ActivityPane, source_count, sources_panel_rows};

pub(crate) fn render(
    frame: &mut Frame,
    area: Rect,
    model: &Model,
    theme: &Theme,
    hits: &mut HitMap,
) {
    // The sources take the lower part: one line each, at most half the view.
    let sources_h = sources_panel_rows(source_count(model), area.height);
    let log_area = Rect {
        height: area.height.saturating_sub(sources_h),
        ..area
    };
    let sources_area = Rect {
        y: area.y + log_area.height,
        height: sources_h,
        ..area
    };
    super::sources::render(frame, sources_area, model, theme, hits);
    let area = log_area;
    let room = usize::from(area.height.saturating_sub(1));
    let shown = model.cursors.activity.shown(room);
    // Said only where the sources do not all fit: elsewhere nothing is
    // hidden that the key would reach.
    let sources_hidden = source_count(model) >= usize::from(sources_h);
    let focus = if sources_hidden && model.activity_pane == ActivityPane::Log {
        format!(" · {}: sources", model.bindings.label(ActionName::Right))
    } else {
        String::new()
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            " activity · {} entries this session{}{focus}",
            model.activity.len(),
            rows_note(&shown, model.activity.len())
        ),
        theme.title,
    ))];
    if model.activity.is_empty() {
        lines.push(Line::from(Span::styled(
            "  nothing yet: actions you take and errors wavetop meets show here",
            theme.dim,
        )));
    }
    for (i, entry) in model
        .activity
        .iter()
        .enumerate()
        .skip(shown.start)
        .take(shown.len())
    {
        let (glyph, style) = match entry.kind {
            ActivityKind::Sent => ("→", theme.status_in_progress),
            ActivityKind::Done => ("✔", theme.activity_ok),
            ActivityKind::Error => ("✖", theme.activity_error),
            ActivityKind::Info => ("·", theme.dim),
        };
        let mut line = fit_spans(
            vec![
                Span::styled(
                    format!(" {} ", super::clock::clock(model, entry.at)),
                    theme.dim,
                ),
                Span::styled(format!("{glyph} "), style),
                Span::styled(entry.text.clone(), style),
            ],
            area.width.into(),
        );
        if i == model.cursors.activity.selected && model.activity_pane == ActivityPane::Log {
            line = super::text::selected_line(line, theme.selected);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
    // The entries start under the title.
    hits.rows(Pane::Activity, super::hits::line(area, 1), shown);
}
