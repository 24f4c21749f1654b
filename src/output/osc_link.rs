//! The escape sequences of console links: OSC 8 hyperlinks over text
//! already drawn, and OSC 52 to put text on the terminal's clipboard.
//!
//! Ratatui's buffer has no hyperlink attribute, and an escape sequence
//! inside a cell's symbol would throw its width off. So the frame is drawn
//! as plain text (what `TestBackend` snapshots see), and after it a second
//! pass finds each link's text on screen and writes that same text again,
//! at the same place, in the same style, wrapped in OSC 8. A terminal that
//! does not know OSC 8 ignores it and shows what was there already.

use std::io::{self, Write};

use crossterm::cursor::MoveTo;
use crossterm::queue;
use crossterm::style::{
    Attribute, Print, PrintStyledContent, ResetColor, SetAttribute, StyledContent,
};
use ratatui::backend::IntoCrossterm;
use ratatui::buffer::{Buffer, Cell};

/// Text put on the clipboard of the terminal (and of the machine it runs
/// on, through ssh and, with its clipboard option on, tmux).
pub fn clipboard(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

/// A URL with any control character dropped: one that came from AWS must
/// not end the sequence early and drive the terminal with the rest.
fn clean(url: &str) -> String {
    url.chars().filter(|c| !c.is_control()).collect()
}

/// Writes, for each `(text, url)`, every row where the buffer shows `text`
/// again as a hyperlink to `url` (its first place on the row). Text that
/// wraps over two rows, or that holds a wide character, is not found and
/// stays plain.
pub fn overlay(
    buffer: &Buffer,
    links: &[(String, String)],
    out: &mut impl Write,
) -> io::Result<()> {
    if links.is_empty() {
        return Ok(());
    }
    let area = buffer.area;
    let wanted: Vec<(Vec<char>, &str)> = links
        .iter()
        .map(|(text, url)| (text.chars().collect(), url.as_str()))
        .collect();
    // The buffer's rows as slices of its cells: nothing is copied per row,
    // since every frame with a link on it is scanned whole.
    let width = usize::from(area.width).max(1);
    for (y, row) in (area.top()..area.bottom()).zip(buffer.content.chunks(width)) {
        for (text, url) in &wanted {
            let Some(start) = find(row, text) else {
                continue;
            };
            let span = row.get(start..start + text.len()).unwrap_or_default();
            write_linked(area.x + to_u16(start), y, span, url, out)?;
        }
    }
    // Leave the terminal's pen as ratatui left it: plain.
    queue!(out, SetAttribute(Attribute::Reset), ResetColor)?;
    out.flush()
}

/// The index of the first cell where `wanted` starts, one character a
/// cell, as a whole word: `web` is not found inside `web-use1`.
fn find(cells: &[Cell], wanted: &[char]) -> Option<usize> {
    if wanted.is_empty() || wanted.len() > cells.len() {
        return None;
    }
    let is = |i: usize, want: char| {
        cells.get(i).is_some_and(|cell| {
            let mut chars = cell.symbol().chars();
            chars.next() == Some(want) && chars.next().is_none()
        })
    };
    let in_a_name = |i: Option<usize>| {
        i.and_then(|i| cells.get(i)).is_some_and(|cell| {
            cell.symbol()
                .chars()
                .any(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
    };
    (0..=cells.len() - wanted.len()).find(|&start| {
        wanted
            .iter()
            .enumerate()
            .all(|(i, want)| is(start + i, *want))
            && !in_a_name(start.checked_sub(1))
            && !in_a_name(Some(start + wanted.len()))
    })
}

/// A column of the buffer's row: less than its width, a u16.
fn to_u16(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

/// The cells again, from column `x`, in runs of one style each, inside
/// one OSC 8 link.
fn write_linked(x: u16, y: u16, span: &[Cell], url: &str, out: &mut impl Write) -> io::Result<()> {
    if span.is_empty() {
        return Ok(());
    }
    queue!(
        out,
        MoveTo(x, y),
        Print(format!("\x1b]8;;{}\x1b\\", clean(url)))
    )?;
    for run in span.chunk_by(|a, b| a.style() == b.style()) {
        let Some(first) = run.first() else {
            continue;
        };
        let text: String = run.iter().map(Cell::symbol).collect();
        let style = first.style().into_crossterm();
        queue!(
            out,
            SetAttribute(Attribute::Reset),
            PrintStyledContent(StyledContent::new(style, text))
        )?;
    }
    queue!(out, Print("\x1b]8;;\x1b\\"))
}

/// Standard base64 with padding (RFC 4648), as OSC 52 expects.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |n: u32| {
        ALPHABET
            .get((n & 63) as usize)
            .map_or('=', |b| char::from(*b))
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sextet(n >> 18));
        out.push(sextet(n >> 12));
        out.push(if chunk.len() > 1 { sextet(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    #[test]
    fn base64_pads_to_whole_quads() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
            ("https://a/?b=c#d", "aHR0cHM6Ly9hLz9iPWMjZA=="),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded, "{plain}");
        }
    }

    #[test]
    fn the_clipboard_sequence_carries_the_text_in_base64() {
        assert_eq!(clipboard("foo"), "\x1b]52;c;Zm9v\x07");
    }

    #[test]
    fn a_link_is_written_again_where_its_text_is_with_control_characters_dropped_from_the_url() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 2));
        buffer.set_string(3, 1, "stack web", Style::default());
        let mut out = Vec::new();
        let links = [
            (
                "stack web".to_string(),
                "https://x/\x1b]2;evil\x07".to_string(),
            ),
            ("not shown".to_string(), "https://y/".to_string()),
            // Only inside a longer name on screen.
            ("stack we".to_string(), "https://z/".to_string()),
        ];
        overlay(&buffer, &links, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("\x1b[2;4H"),
            "moves to row 2, column 4: {out:?}"
        );
        assert!(out.contains("\x1b]8;;https://x/]2;evil\x1b\\"), "{out:?}");
        let open = "\x1b]8;;https://x/]2;evil\x1b\\";
        let start = out.find(open).unwrap() + open.len();
        let end = out.find("\x1b]8;;\x1b\\").unwrap();
        let linked = &out[start..end];
        assert!(
            linked.contains("stack web\x1b["),
            "the text, in one run of its style: {linked:?}"
        );
        assert!(!out.contains("https://y/"), "{out:?}");
        assert!(!out.contains("https://z/"), "{out:?}");
    }

    #[test]
    fn a_link_in_a_buffer_that_does_not_start_at_the_corner_is_written_where_it_shows() {
        let mut buffer = Buffer::empty(Rect::new(5, 3, 20, 2));
        buffer.set_string(8, 4, "stack web", Style::default());
        let mut out = Vec::new();
        let links = [("stack web".to_string(), "https://x/".to_string())];
        overlay(&buffer, &links, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains("\x1b[5;9H\x1b]8;;https://x/"),
            "moves to row 5, column 9: {out:?}"
        );
    }
}
