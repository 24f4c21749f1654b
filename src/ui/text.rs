//! Small text helpers for fixed-width columns.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cuts `text` to `width` display columns, marking the cut with an ellipsis.
pub(crate) fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = truncate(text, width - 1).to_string();
    out.push('…');
    out
}

/// The longest start of `text` that fits in `width` display columns, cut
/// between characters (never inside one) and without a mark.
pub(crate) fn truncate(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (at, ch) in text.char_indices() {
        used += ch.width().unwrap_or(0);
        if used > width {
            return &text[..at];
        }
    }
    text
}

/// `fit` then pad with spaces to exactly `width` columns.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let mut out = fit(text, width);
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// Breaks `text` at spaces into lines of at most `width` display columns; a
/// word longer than a line is cut with [`fit`].
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

/// Draws a one-line title at the top of `area` and returns the rest of it.
pub(crate) fn titled(frame: &mut Frame, area: Rect, title: Line) -> Rect {
    frame.render_widget(
        Paragraph::new(title),
        Rect {
            height: 1.min(area.height),
            ..area
        },
    );
    Rect {
        y: area.y + 1.min(area.height),
        height: area.height.saturating_sub(1),
        ..area
    }
}

/// The selected row: one uniform reverse-video bar. Per-span colours are
/// dropped, since reversed they would turn the bar into a patchwork.
pub(crate) fn selected_line<'a>(line: Line<'a>, selected: ratatui::style::Style) -> Line<'a> {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    Line::from(text).style(
        selected.add_modifier(ratatui::style::Modifier::REVERSED | ratatui::style::Modifier::BOLD),
    )
}

/// Table cells from (text, style) pairs; a selected row gets plain text so the
/// row's reverse video is uniform.
pub(crate) fn cells<'a>(
    items: Vec<(String, ratatui::style::Style)>,
    selected: bool,
) -> Vec<ratatui::widgets::Cell<'a>> {
    items
        .into_iter()
        .map(|(text, style)| {
            if selected {
                ratatui::widgets::Cell::from(text)
            } else {
                ratatui::widgets::Cell::from(ratatui::text::Span::styled(text, style))
            }
        })
        .collect()
}

/// A table row, in a uniform reverse-video bar when selected.
pub(crate) fn table_row<'a>(
    cells: Vec<ratatui::widgets::Cell<'a>>,
    selected: bool,
    style: ratatui::style::Style,
) -> ratatui::widgets::Row<'a> {
    let row = ratatui::widgets::Row::new(cells);
    if selected {
        row.style(
            style.add_modifier(ratatui::style::Modifier::REVERSED | ratatui::style::Modifier::BOLD),
        )
    } else {
        row
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        assert_eq!(
            wrap(
                "not found: route53:ListResourceRecordSets: NoSuchHostedZone",
                20
            ),
            ["not found:", "route53:ListResourc…", "NoSuchHostedZone"]
        );
        assert_eq!(wrap("a  b c", 3), ["a b", "c"]);
        assert!(wrap("", 5).is_empty());
    }

    #[test]
    fn fits_and_pads_to_display_width() {
        assert_eq!(fit("eu-central-1", 8), "eu-cent…");
        assert_eq!(pad("ok", 4), "ok  ");
        assert_eq!(pad("✔ done", 8).width(), 8);
        assert_eq!(fit("東京リージョン", 6), "東京…");
        // A wide character that would reach past the width is left out.
        assert_eq!(fit("ab東x", 4), "ab…");
    }

    #[test]
    fn truncates_between_characters_to_display_width() {
        assert_eq!(truncate("1a2b3c4d5e", 7), "1a2b3c4");
        assert_eq!(truncate("abc", 7), "abc");
        assert_eq!(truncate("éèêëēėę€", 7), "éèêëēėę");
        assert_eq!(truncate("東京大阪", 5), "東京");
        assert_eq!(truncate("abc", 0), "");
    }
}
