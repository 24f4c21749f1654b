//! `?`: every action with its keys, generated from the active keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text::{elide_words, pad};
use crate::config::theme::Theme;
use crate::core::model::Model;
use crate::core::panes::{HELP_TWO_COLUMNS_FROM, help_rows};
use crate::core::viewport::Viewport;

pub(crate) fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let all: Vec<_> = model.bindings.all().collect();
    // Two columns only where descriptions still fit whole.
    let two_columns = area.width >= HELP_TWO_COLUMNS_FROM;
    let per_column = help_rows(all.len(), area.width);
    let col_w = if two_columns {
        (area.width as usize).saturating_sub(4) / 2
    } else {
        (area.width as usize).saturating_sub(4)
    };
    let mut lines: Vec<Line> = Vec::new();
    let visible = area.height.saturating_sub(2) as usize;
    // Scrolling stops once the last row is in view.
    let first = Viewport {
        len: per_column,
        ..model.cursors.help
    }
    .shown(visible)
    .start;
    for i in first..per_column {
        let mut spans = Vec::new();
        for col in 0..(if two_columns { 2 } else { 1 }) {
            let Some((action, keys)) = all.get(i + col * per_column) else {
                continue;
            };
            let keys_text = if keys.is_empty() {
                "(unbound)".to_string()
            } else {
                keys.iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let refused = model.read_only && action.is_operate();
            let (key_style, text_style) = if refused {
                (theme.dim.add_modifier(Modifier::CROSSED_OUT), theme.dim)
            } else {
                (theme.help_key, theme.base)
            };
            let note = if refused { " [read-only]" } else { "" };
            spans.push(Span::raw(" "));
            spans.push(Span::styled(pad(&keys_text, 16), key_style));
            spans.push(Span::styled(
                pad(action.as_str(), 19),
                text_style.add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(
                pad(
                    &format!("{}{note}", action.help()),
                    col_w.saturating_sub(38),
                ),
                text_style,
            ));
        }
        lines.push(Line::from(spans));
    }
    let popup = Rect {
        x: area.x + 1,
        y: area.y,
        width: area.width.saturating_sub(2),
        height: area.height,
    };
    // Clear the whole body so nothing of the view shows beside the popup.
    frame.render_widget(Clear, area);
    frame.render_widget(Block::new().style(theme.base), area);
    let title = if per_column > visible {
        format!(
            " help · keys from the active keymap · rows {}-{} of {} · ↑↓ scroll · esc closes ",
            first + 1,
            (first + visible).min(per_column),
            per_column
        )
    } else {
        " help · keys from the active keymap · esc closes ".to_string()
    };
    // Inside the corners: the title loses whole words, never part of one.
    let room = usize::from(popup.width.saturating_sub(2));
    let title = elide_words(&title, room).unwrap_or_default().into_owned();
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(title, theme.title))
        .style(theme.dialog);
    if model.mouse.captured {
        let mouse =
            " mouse: a click picks a tab, row or cell · a double click opens · the wheel scrolls ";
        let mouse = elide_words(mouse, room).unwrap_or_default().into_owned();
        block = block.title_bottom(Span::styled(mouse, theme.dim));
    }
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
