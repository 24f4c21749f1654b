//! Fitting text into a number of display cells without cutting a word: a
//! name too long for its room loses whole trailing words or segments and says
//! so with `…`; wrapped text breaks at spaces, a long URL after a `/`.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The mark left where text was elided.
pub(crate) const ELLIPSIS: char = '…';

/// Where a name may be cut: the end of a word (space) or of a segment of a
/// region, stack, path or URL (`-`, `/`, `.`, `_`, `:`, `?`, `&`, `#`, `=`),
/// or of a part of a title (`·`).
fn is_separator(ch: char) -> bool {
    matches!(
        ch,
        ' ' | '-' | '/' | '.' | '_' | ':' | '?' | '&' | '#' | '=' | ',' | '·'
    )
}

/// `text` in at most `width` display cells. Longer text keeps as many whole
/// words or segments as fit beside a closing `…` (`ap-northeast-1` in 12
/// cells is `ap-northeast…`). Only when not even the first word fits is that
/// word cut, and the `…` still marks it as not whole.
pub(crate) fn elide(text: &str, width: usize) -> Cow<'_, str> {
    if super::cells::text_width(text) <= width {
        return Cow::Borrowed(text);
    }
    let Some(room) = width.checked_sub(1) else {
        return Cow::Borrowed("");
    };
    let head = whole_words(text, room).unwrap_or_else(|| truncate(text, room));
    let mut out = String::with_capacity(head.len() + ELLIPSIS.len_utf8());
    out.push_str(head);
    out.push(ELLIPSIS);
    Cow::Owned(out)
}

/// Like [`elide`], but `None` when not even the first word fits: for bars
/// (tabs, titles, hints) where a piece is better left out than cut.
pub(crate) fn elide_words(text: &str, width: usize) -> Option<Cow<'_, str>> {
    if text.width() <= width {
        return Some(Cow::Borrowed(text));
    }
    let head = whole_words(text, width.checked_sub(1)?)?;
    Some(Cow::Owned(format!("{head}{ELLIPSIS}")))
}

/// The longest start of `text` that ends before a separator, leaves no
/// separator dangling, and fits in `room` cells.
fn whole_words(text: &str, room: usize) -> Option<&str> {
    let mut used = 0;
    let mut best = None;
    for (at, ch) in text.char_indices() {
        if used > room {
            break;
        }
        if is_separator(ch) {
            let head = text.get(..at).unwrap_or("").trim_end_matches(is_separator);
            if !head.is_empty() {
                best = Some(head);
            }
        }
        used += ch.width().unwrap_or(0);
    }
    best
}

/// The longest start of `text` that fits in `width` display columns, cut
/// between characters (never inside one) and without a mark.
pub(crate) fn truncate(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (at, ch) in text.char_indices() {
        used += ch.width().unwrap_or(0);
        if used > width {
            return text.get(..at).unwrap_or("");
        }
    }
    text
}

/// [`elide`] then pad with spaces to exactly `width` columns.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let fitted = elide(text, width);
    let mut out = String::with_capacity(fitted.len() + width);
    out.push_str(&fitted);
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(fitted.width()),
    ));
    out
}

/// Breaks `text` at spaces into lines of at most `width` display columns. A
/// word longer than a line (a URL, an ARN) is broken after its `/`, `-`, `.`
/// and the like; a piece with no such place is elided.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if word.width() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut pieces = break_word(word, width);
            line = pieces.pop().unwrap_or_default();
            lines.extend(pieces);
            continue;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A word too long for a line, in pieces that each end just after a
/// separator; a piece with no separator in reach is elided and ends it.
fn break_word(word: &str, width: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = word;
    while rest.width() > width {
        let mut used = 0;
        let mut cut = None;
        for (at, ch) in rest.char_indices() {
            used += ch.width().unwrap_or(0);
            if used > width {
                break;
            }
            if is_separator(ch) {
                cut = Some(at + ch.len_utf8());
            }
        }
        match cut.and_then(|at| rest.get(..at).zip(rest.get(at..))) {
            Some((piece, tail)) => {
                pieces.push(piece.to_string());
                rest = tail;
            }
            None => {
                pieces.push(elide(rest, width).into_owned());
                return pieces;
            }
        }
    }
    if !rest.is_empty() {
        pieces.push(rest.to_string());
    }
    pieces
}

/// A one-line bar (tabs, a title, a header) from pieces ranked by how much
/// they matter. Pieces are taken by rank, highest first (leftmost among
/// equals): one that fits is kept whole; one that does not keeps its leading
/// spans whole and its last elided at a word boundary, or is left out when
/// that is not possible. The pieces kept are drawn in their given order.
pub(crate) fn fit_bar<'a>(pieces: Vec<(u8, Vec<Span<'a>>)>, width: usize) -> Line<'a> {
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(pieces.get(*i).map_or(0, |p| p.0)));
    let mut kept: Vec<Option<Vec<Span<'a>>>> = vec![None; pieces.len()];
    let mut room = width;
    for i in order {
        let (Some((_, spans)), Some(slot)) = (pieces.get(i), kept.get_mut(i)) else {
            continue;
        };
        if let Some(fitted) = fit_piece(spans, room) {
            room -= fitted.iter().map(Span::width).sum::<usize>();
            *slot = Some(fitted);
        }
    }
    Line::from(kept.into_iter().flatten().flatten().collect::<Vec<_>>())
}

/// A bar's piece in `room` cells: whole, or with its last span elided at a
/// word boundary; `None` when even that does not fit.
fn fit_piece<'a>(spans: &[Span<'a>], room: usize) -> Option<Vec<Span<'a>>> {
    let (last, leading) = spans.split_last()?;
    let lead: usize = leading.iter().map(Span::width).sum();
    let left = room.checked_sub(lead)?;
    let text = elide_words(&last.content, left)?;
    let mut fitted = leading.to_vec();
    fitted.push(Span::styled(text.into_owned(), last.style));
    Some(fitted)
}

/// A line of spans in `width` cells: spans that fit are kept, the first
/// that does not is elided at a word boundary (or left out) and ends it.
pub(crate) fn fit_spans<'a>(spans: Vec<Span<'a>>, width: usize) -> Line<'a> {
    let mut room = width;
    let mut fitted = Vec::with_capacity(spans.len());
    for span in spans {
        let w = span.width();
        if w <= room {
            room -= w;
            fitted.push(span);
            continue;
        }
        if let Some(text) = elide_words(&span.content, room) {
            fitted.push(Span::styled(text.into_owned(), span.style));
        }
        break;
    }
    Line::from(fitted)
}

/// Draws a one-line title at the top of `area` and returns the rest of it.
pub(crate) fn titled(frame: &mut Frame, area: Rect, title: Line) -> Rect {
    super::cells::put_bar(
        frame.buffer_mut(),
        Rect {
            height: 1.min(area.height),
            ..area
        },
        &title,
        ratatui::style::Style::default(),
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
    fn elides_at_a_word_or_segment_boundary() {
        assert_eq!(elide("ap-northeast-1", 14), "ap-northeast-1");
        assert_eq!(elide("ap-northeast-1", 13), "ap-northeast…");
        assert_eq!(elide("ap-northeast-1", 12), "ap…");
        assert_eq!(elide("eu-central-1", 8), "eu…");
        assert_eq!(elide("Fix pagination of the list", 16), "Fix pagination…");
        assert_eq!(elide("EuWest1.Api.Prepare", 16), "EuWest1.Api…");
        // Separators are not left dangling before the mark.
        assert_eq!(elide("a - b - c", 7), "a - b…");
        assert_eq!(elide("orders · read 0s ago", 12), "orders…");
        assert_eq!(elide("anything", 0), "");
    }

    #[test]
    fn a_first_word_too_long_is_cut_and_marked() {
        assert_eq!(elide("InProgress", 6), "InPro…");
        assert_eq!(elide("eu-central-1", 2), "e…");
        assert_eq!(elide_words("InProgress", 6), None);
        assert_eq!(elide_words("global-api", 8).as_deref(), Some("global…"));
        assert_eq!(elide_words("ok", 2).as_deref(), Some("ok"));
    }

    #[test]
    fn elision_counts_display_cells_not_bytes() {
        // Each of these is two cells wide.
        assert_eq!(elide("東京-大阪-名古屋", 10), "東京-大阪…");
        assert_eq!(elide("東京リージョン", 6), "東京…");
        // A wide character that would reach past the width is left out.
        assert_eq!(elide("ab東x", 4), "ab…");
        assert_eq!(elide("éèê-ëēė", 6), "éèê…");
        assert!(elide("東京-大阪-名古屋", 9).width() <= 9);
    }

    #[test]
    fn pads_to_display_width() {
        assert_eq!(pad("ok", 4), "ok  ");
        assert_eq!(pad("✔ done", 8).width(), 8);
        assert_eq!(pad("us-east-1-west", 12), "us-east-1…  ");
    }

    #[test]
    fn wraps_at_spaces_within_the_width() {
        assert_eq!(wrap("a  b c", 3), ["a b", "c"]);
        assert!(wrap("", 5).is_empty());
        assert_eq!(
            wrap("not found: the zone is gone", 12),
            ["not found:", "the zone is", "gone"]
        );
    }

    #[test]
    fn a_url_longer_than_a_line_breaks_after_a_slash() {
        let url = "https://console.aws.amazon.com/cloudformation/home?region=sa-east-1#/stacks";
        let lines = wrap(&format!("↗ {url}"), 40);
        assert_eq!(
            lines,
            [
                "↗",
                "https://console.aws.amazon.com/",
                "cloudformation/home?region=sa-east-1#/",
                "stacks"
            ]
        );
        assert_eq!(lines.concat(), format!("↗{url}"));
        // No place to break within the width: elided, marked.
        assert_eq!(
            wrap("access: ListResourceRecordSetsNow", 12),
            ["access:", "ListResourc…"]
        );
    }

    #[test]
    fn a_bar_leaves_out_its_least_ranked_pieces_whole() {
        let piece = |rank, text: &'static str| (rank, vec![Span::raw(text)]);
        let text = |line: Line| {
            line.spans
                .iter()
                .map(|s| s.content.to_string())
                .collect::<String>()
        };
        let flow = || (1, vec![Span::raw(" ◆ "), Span::raw("global-api")]);
        let bar = || vec![piece(3, " 1 Grid "), flow(), piece(2, " 2 Health ")];
        assert_eq!(text(fit_bar(bar(), 40)), " 1 Grid  ◆ global-api 2 Health ");
        assert_eq!(text(fit_bar(bar(), 20)), " 1 Grid  2 Health ");
        assert_eq!(text(fit_bar(bar(), 10)), " 1 Grid ");
        // Room left after the higher ranks: the flow's name is elided.
        assert_eq!(text(fit_bar(bar(), 28)), " 1 Grid  ◆ global… 2 Health ");
        assert_eq!(text(fit_bar(bar(), 27)), " 1 Grid  2 Health ");
        // A piece too wide on its own: elided at a word boundary.
        let title = vec![piece(1, " global-api pipeline v2 superseded")];
        assert_eq!(text(fit_bar(title, 25)), " global-api pipeline v2…");
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
