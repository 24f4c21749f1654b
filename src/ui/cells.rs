//! Writing text straight into the buffer's cells. ratatui's `set_stringn`
//! splits every string into grapheme clusters and measures each one: a
//! quarter of a grid frame went there. Nearly all the console's text is made
//! of characters that stand alone (ASCII, the status glyphs, box lines), so
//! these write such text one character a cell and hand anything else (a
//! combining mark, a joiner, a flag) to `set_stringn`, whose result is the
//! same.

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::Line;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Writes `text` at (`x`, `y`) in at most `max_width` cells, as
/// `Buffer::set_stringn` does: a character that does not fit whole ends the
/// text. Returns where the next text goes.
pub(crate) fn put_str(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    text: impl AsRef<str>,
    max_width: usize,
    style: Style,
) -> (u16, u16) {
    let text = text.as_ref();
    let area = buf.area;
    let plain = is_plain(text);
    if !(plain || text.chars().all(stands_alone)) || y < area.y || y >= area.bottom() || x < area.x
    {
        return buf.set_stringn(x, y, text, max_width, style);
    }
    let room = usize::from(area.right().saturating_sub(x)).min(max_width);
    let row = usize::from(y - area.y) * usize::from(area.width);
    let mut at = usize::from(x - area.x);
    let end = at + room;
    if plain {
        // One cell a byte: no width to look up.
        let shown = text.len().min(end.saturating_sub(at));
        if let Some(cells) = buf.content.get_mut(row + at..row + at + shown) {
            for (cell, byte) in cells.iter_mut().zip(text.bytes()) {
                cell.set_char(char::from(byte)).set_style(style);
            }
        }
        at += shown;
        return (area.x + u16::try_from(at).unwrap_or(area.width), y);
    }
    for ch in text.chars() {
        let width = ch.width().unwrap_or(1);
        if at + width > end {
            break;
        }
        if let Some(cell) = buf.content.get_mut(row + at) {
            cell.set_char(ch).set_style(style);
        }
        // A wide character hides the cell after it.
        for hidden in 1..width {
            if let Some(cell) = buf.content.get_mut(row + at + hidden) {
                cell.reset();
            }
        }
        at += width;
    }
    // `at` is at most the area's width, a u16.
    (area.x + u16::try_from(at).unwrap_or(area.width), y)
}

/// Fills every cell of `cells` with `style`, as `Cell::set_style` does one
/// cell, but with the style's parts read once rather than once a cell: the
/// theme's colours go under every cell of every frame.
pub(crate) fn paint(cells: &mut [Cell], style: Style) {
    let (Some(fg), Some(bg), None) = (style.fg, style.bg, style.underline_color) else {
        for cell in cells {
            cell.set_style(style);
        }
        return;
    };
    let (add, sub) = (style.add_modifier, style.sub_modifier);
    for cell in cells {
        cell.fg = fg;
        cell.bg = bg;
        cell.modifier = (cell.modifier | add) - sub;
    }
}

/// Writes a line's spans from (`x`, `y`) in at most `max_width` cells, each
/// in the line's style patched with its own, as `Buffer::set_line` does.
pub(crate) fn put_line(buf: &mut Buffer, x: u16, y: u16, line: &Line, max_width: u16) -> u16 {
    let mut x = x;
    let end = x.saturating_add(max_width);
    for span in line {
        if x >= end {
            break;
        }
        let style = line.style.patch(span.style);
        (x, _) = put_str(buf, x, y, &span.content, usize::from(end - x), style);
    }
    x
}

/// Draws `lines` from the top of `area`, one a row, each cut at its right
/// edge: what an unwrapped `Paragraph` draws, without splitting every line
/// into graphemes first.
pub(crate) fn put_lines(buf: &mut Buffer, area: Rect, lines: &[Line]) {
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        put_line(buf, area.x, y, line, area.width);
    }
}

/// One line across the top row of `area`, over `style` spread on the
/// whole area: what `Paragraph::new(line).style(style)` draws, for the bars
/// around every view (header, tabs, status line, hints).
pub(crate) fn put_bar(buf: &mut Buffer, area: Rect, line: &Line, style: Style) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    // The default style changes no cell: not worth a pass over the area.
    if style != Style::default() {
        buf.set_style(area, style);
    }
    put_line(buf, area.x, area.y, line, area.width);
}

/// A top border across `area` with `title` at its left, inside nothing:
/// what a `Block` with only its top border and a left title draws over a
/// default style. The block also styles every cell of its area, which the
/// default style leaves as it was: a fifth of a grid frame spent on the
/// preview's area for no change.
pub(crate) fn put_rule(buf: &mut Buffer, area: Rect, title: &Line, border_style: Style) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let row = usize::from(area.y - buf.area.y) * usize::from(buf.area.width);
    let left = row + usize::from(area.x - buf.area.x);
    let right = left + usize::from(area.width);
    if let Some(cells) = buf.content.get_mut(left..right) {
        for cell in cells {
            cell.set_symbol(symbols::line::HORIZONTAL)
                .set_style(border_style);
        }
    }
    put_line(buf, area.x, area.y, title, area.width);
}

/// How many cells `text` takes, as `UnicodeWidthStr::width` counts them:
/// printable ASCII without a table look-up, and a lone character that
/// stands alone (a state glyph) by itself, without the look-ahead a
/// string needs.
pub(crate) fn text_width(text: &str) -> usize {
    if is_plain(text) {
        return text.len();
    }
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(ch), None) if stands_alone(ch) => ch.width().unwrap_or(1),
        _ => text.width(),
    }
}

/// Printable ASCII only: one character a byte, one cell a character.
fn is_plain(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// A character that is a grapheme cluster of its own whatever follows it,
/// one or two cells wide: drawn alone, it is drawn as `set_stringn` would.
fn stands_alone(ch: char) -> bool {
    if ch.is_ascii() {
        return !ch.is_ascii_control();
    }
    let joins = matches!(ch,
        // Regional indicators pair into flags.
        '\u{1F1E6}'..='\u{1F1FF}'
        // Hangul jamo join into syllables.
        | '\u{1100}'..='\u{11FF}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}'
    );
    !joins && matches!(ch.width(), Some(1 | 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};
    use ratatui::text::Span;

    /// Both writers on the same text leave identical buffers.
    fn same_as_ratatui(text: &str, x: u16, max_width: usize) {
        let area = Rect::new(2, 1, 12, 3);
        let style = Style::default().fg(Color::Red).add_modifier(Modifier::BOLD);
        let mut ours = Buffer::filled(area, ratatui::buffer::Cell::new("x"));
        let mut theirs = ours.clone();
        let a = put_str(&mut ours, x, 2, text, max_width, style);
        let b = theirs.set_stringn(x, 2, text, max_width, style);
        assert_eq!(a, b, "{text:?} at {x} in {max_width}: end");
        assert_eq!(ours, theirs, "{text:?} at {x} in {max_width}");
    }

    #[test]
    fn draws_what_set_stringn_draws() {
        for text in [
            "us-east-1",
            "✔ Succeeded 3m",
            "⚑ waiting · 東京 region",
            "e\u{301}té",
            "🇺🇸 flag",
            "tab\there",
            "",
        ] {
            for (x, max) in [(2, 99), (5, 4), (12, 99), (13, 5), (4, 0), (9, 3)] {
                same_as_ratatui(text, x, max);
            }
        }
    }

    #[test]
    fn painting_styles_cells_as_set_style_does() {
        let styles = [
            Style::default().fg(Color::White).bg(Color::Black),
            Style::default()
                .fg(Color::Rgb(1, 2, 3))
                .bg(Color::Indexed(7))
                .add_modifier(Modifier::ITALIC)
                .remove_modifier(Modifier::BOLD),
            Style::default().fg(Color::Red),
            Style::default()
                .fg(Color::Red)
                .bg(Color::Blue)
                .underline_color(Color::Green),
        ];
        for style in styles {
            let mut cells = vec![ratatui::buffer::Cell::new("a"); 3];
            cells[1].set_style(
                Style::default()
                    .fg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
            );
            cells[2].set_style(
                Style::default()
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::DIM),
            );
            let mut expected = cells.clone();
            for cell in &mut expected {
                cell.set_style(style);
            }
            paint(&mut cells, style);
            assert_eq!(cells, expected, "{style:?}");
        }
    }

    #[test]
    fn plain_text_is_measured_as_unicode_width_measures_it() {
        for text in [
            "us-east-1",
            "",
            " 12m ",
            "~!{}",
            "✔ done",
            "tab\there",
            "e\u{301}",
        ] {
            assert_eq!(text_width(text), text.width(), "{text:?}");
        }
        // Every lone character, the glyphs among them.
        for ch in (0..0x3_0000).filter_map(char::from_u32) {
            let text = ch.to_string();
            assert_eq!(text_width(&text), text.width(), "{ch:?}");
        }
    }

    #[test]
    fn a_line_is_drawn_as_set_line_draws_it() {
        let area = Rect::new(0, 0, 20, 1);
        let line = Line::from(vec![
            Span::styled("● ", Style::default().fg(Color::Green)),
            Span::raw("ap-northeast-1 healthy"),
        ])
        .style(Style::default().bg(Color::Blue));
        let mut ours = Buffer::empty(area);
        let mut theirs = Buffer::empty(area);
        let x = put_line(&mut ours, 1, 0, &line, 15);
        let (tx, _) = theirs.set_line(1, 0, &line, 15);
        assert_eq!(ours, theirs);
        assert_eq!(x, tx);
    }

    #[test]
    fn lines_are_drawn_as_an_unwrapped_paragraph_draws_them() {
        use ratatui::widgets::{Paragraph, Widget};
        let area = Rect::new(1, 1, 10, 2);
        let lines = vec![
            Line::from("first line, longer than the area"),
            Line::styled("◆ second", Style::default().fg(Color::Yellow)),
            Line::from("a third row has no room"),
        ];
        let mut ours = Buffer::empty(Rect::new(0, 0, 12, 4));
        let mut theirs = ours.clone();
        put_lines(&mut ours, area, &lines);
        Paragraph::new(lines).render(area, &mut theirs);
        assert_eq!(ours, theirs);
    }

    #[test]
    fn a_rule_is_drawn_as_a_top_bordered_block_draws_it() {
        use ratatui::widgets::{Block, Borders, Widget};
        let title = Line::from(Span::styled(
            " selected cell · enter for detail ",
            Style::default().fg(Color::DarkGray),
        ));
        let border = Style::default().fg(Color::Blue).add_modifier(Modifier::DIM);
        for area in [
            Rect::new(1, 1, 50, 4),
            Rect::new(0, 0, 60, 5),
            Rect::new(5, 2, 10, 2),
            Rect::new(3, 2, 0, 1),
        ] {
            let mut ours = Buffer::filled(Rect::new(0, 0, 60, 5), ratatui::buffer::Cell::new("x"));
            let mut theirs = ours.clone();
            put_rule(&mut ours, area, &title, border);
            Block::default()
                .borders(Borders::TOP)
                .border_style(border)
                .title(title.clone())
                .render(area, &mut theirs);
            assert_eq!(ours, theirs, "{area:?}");
        }
    }

    #[test]
    fn a_bar_is_drawn_as_a_styled_paragraph_draws_it() {
        use ratatui::widgets::{Paragraph, Widget};
        let line = Line::from(vec![
            Span::styled(" wavetop", Style::default().add_modifier(Modifier::BOLD)),
            Span::styled(" │ ", Style::default().fg(Color::DarkGray)),
            Span::raw("prod ⚠ STALE: us-east-1 ◷ 12m left, and more than fits"),
        ]);
        for style in [Style::default(), Style::default().bg(Color::Blue)] {
            for area in [
                Rect::new(1, 1, 30, 1),
                Rect::new(0, 0, 40, 2),
                Rect::new(3, 2, 0, 1),
            ] {
                let mut ours =
                    Buffer::filled(Rect::new(0, 0, 40, 3), ratatui::buffer::Cell::new("x"));
                let mut theirs = ours.clone();
                put_bar(&mut ours, area, &line, style);
                Paragraph::new(line.clone())
                    .style(style)
                    .render(area, &mut theirs);
                assert_eq!(ours, theirs, "{area:?} {style:?}");
            }
        }
    }
}
