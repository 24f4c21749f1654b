//! Column widths for the table views. Each column has a width range and a
//! rank: when the room is short, the lowest-ranked columns are left out
//! whole rather than every column squeezed until its words are cut; the
//! columns kept get at least their least width, and spare room goes to the
//! highest-ranked first, each up to the width its content needs.

use ratatui::layout::Constraint;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Row, Table};
use unicode_width::UnicodeWidthStr;

use super::text::{cells, elide, pad, table_row};

/// One column's needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Column {
    /// Below this the column says too little to be worth showing.
    pub(crate) min: u16,
    /// What its widest content needs; it never takes more.
    pub(crate) max: u16,
    /// Lower ranks are left out first.
    pub(crate) rank: u8,
}

impl Column {
    /// A column as wide as its header and its widest text need, never
    /// narrower than the header nor than `min` (capped at that content
    /// width: `u16::MAX` asks for the content in full, as for status words).
    pub(crate) fn fitting<'a>(
        header: &str,
        texts: impl IntoIterator<Item = &'a str>,
        min: u16,
        rank: u8,
    ) -> Column {
        let head = header.width();
        let widest = texts.into_iter().map(str::width).fold(head, usize::max);
        let max = u16::try_from(widest).unwrap_or(u16::MAX);
        let head = u16::try_from(head).unwrap_or(u16::MAX);
        Column {
            min: min.max(head).min(max),
            max,
            rank,
        }
    }
}

/// Column `i` of a table sized to its header and cells (see
/// [`Column::fitting`]).
pub(crate) fn of_rows(headers: &[&str], rows: &[TextRow], i: usize, min: u16, rank: u8) -> Column {
    let texts = rows
        .iter()
        .filter_map(|(_, cells)| cells.get(i))
        .map(|(text, _)| text.as_str());
    Column::fitting(headers.get(i).copied().unwrap_or(""), texts, min, rank)
}

/// The width of each column in `width` cells with `gap` cells between
/// neighbours, `None` for a column left out.
pub(crate) fn layout(columns: &[Column], width: u16, gap: u16) -> Vec<Option<u16>> {
    let mut shown: Vec<bool> = vec![true; columns.len()];
    let needed = |shown: &[bool]| -> u32 {
        let (sum, count) = columns
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .fold((0u32, 0u32), |(sum, n), (c, _)| {
                (sum + u32::from(c.min), n + 1)
            });
        sum + u32::from(gap) * count.saturating_sub(1)
    };
    while needed(&shown) > u32::from(width) {
        // The lowest rank goes first; among equals, the rightmost.
        let lowest = columns
            .iter()
            .zip(&shown)
            .enumerate()
            .rev()
            .filter(|(_, (_, s))| **s)
            .min_by_key(|(_, (c, _))| c.rank)
            .map(|(i, _)| i);
        match lowest.and_then(|i| shown.get_mut(i)) {
            Some(s) => *s = false,
            None => break,
        }
    }
    let mut spare = u32::from(width).saturating_sub(needed(&shown));
    let mut widths: Vec<Option<u16>> = columns
        .iter()
        .zip(&shown)
        .map(|(c, s)| s.then_some(c.min))
        .collect();
    let mut by_rank: Vec<usize> = (0..columns.len()).collect();
    by_rank.sort_by_key(|i| std::cmp::Reverse(columns.get(*i).map_or(0, |c| c.rank)));
    for i in by_rank {
        let (Some(column), Some(Some(w))) = (columns.get(i), widths.get_mut(i)) else {
            continue;
        };
        let grow = u32::from(column.max.saturating_sub(*w)).min(spare);
        *w += grow as u16;
        spare -= grow;
    }
    widths
}

/// One table row before fitting: its cells' text and style, and whether it
/// is the selected row.
pub(crate) type TextRow = (bool, Vec<(String, Style)>);

/// A table whose columns are chosen by [`layout`] for `width` and whose cells
/// are elided to their column, so no word is cut by the widget.
pub(crate) fn fitted_table<'a>(
    headers: &[&str],
    columns: &[Column],
    rows: Vec<TextRow>,
    width: u16,
    (header_style, selected_style): (Style, Style),
) -> Table<'a> {
    let widths = layout(columns, width, 1);
    let keep = |i: usize| widths.get(i).copied().flatten();
    let header = Row::new(
        headers
            .iter()
            .enumerate()
            .filter_map(|(i, h)| keep(i).map(|w| elide(h, w.into()).into_owned())),
    )
    .style(header_style.add_modifier(Modifier::BOLD));
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(selected, texts)| {
            let kept = texts
                .into_iter()
                .enumerate()
                .filter_map(|(i, (text, style))| {
                    keep(i).map(|w| (elide(&text, w.into()).into_owned(), style))
                })
                .collect();
            table_row(cells(kept, selected), selected, selected_style)
        })
        .collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    Table::new(rows, constraints)
        .header(header)
        .column_spacing(1)
}

/// A line of columns for views drawn as paragraphs: each shown cell padded
/// (or elided) to its width, `gap` spaces after it; the last shown cell is
/// elided but not padded.
pub(crate) fn spans<'a>(
    texts: Vec<(String, Style)>,
    widths: &[Option<u16>],
    gap: usize,
) -> Vec<Span<'a>> {
    let shown: Vec<(u16, (String, Style))> = widths
        .iter()
        .zip(texts)
        .filter_map(|(w, t)| w.map(|w| (w, t)))
        .collect();
    let last = shown.len().saturating_sub(1);
    shown
        .into_iter()
        .enumerate()
        .map(|(i, (w, (text, style)))| {
            let text = if i == last {
                elide(&text, w.into()).into_owned()
            } else {
                let mut cell = pad(&text, w.into());
                cell.extend(std::iter::repeat_n(' ', gap));
                cell
            };
            Span::styled(text, style)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(min: u16, max: u16, rank: u8) -> Column {
        Column { min, max, rank }
    }

    #[test]
    fn every_column_at_its_widest_when_there_is_room() {
        let cols = [col(5, 10, 3), col(4, 8, 1), col(6, 6, 2)];
        assert_eq!(layout(&cols, 80, 1), [Some(10), Some(8), Some(6)]);
    }

    #[test]
    fn the_lowest_ranked_column_is_dropped_first() {
        let cols = [col(10, 20, 3), col(10, 20, 1), col(10, 20, 2)];
        // 3 x 10 + 2 gaps = 32 needed.
        assert_eq!(layout(&cols, 32, 1)[1], Some(10));
        assert_eq!(layout(&cols, 31, 1), [Some(20), None, Some(10)]);
        assert_eq!(layout(&cols, 20, 1), [Some(20), None, None]);
        assert_eq!(layout(&cols, 9, 1), [None, None, None]);
        // Equal ranks: the rightmost goes.
        let tied = [col(10, 10, 1), col(10, 10, 1)];
        assert_eq!(layout(&tied, 15, 1), [Some(10), None]);
    }

    #[test]
    fn widths_stay_within_min_and_max_and_spare_goes_by_rank() {
        let cols = [col(4, 30, 1), col(6, 9, 5), col(3, 3, 2)];
        // 13 of minimum + 2 gaps = 15; 5 spare go to rank 5 first (up to 9),
        // then rank 2 (already at max), then rank 1.
        assert_eq!(layout(&cols, 20, 1), [Some(6), Some(9), Some(3)]);
        for width in 0..60 {
            let widths = layout(&cols, width, 1);
            let mut used = 0;
            for (w, c) in widths.iter().zip(&cols) {
                if let Some(w) = w {
                    assert!(*w >= c.min && *w <= c.max, "{width}: {widths:?}");
                    used += w + 1;
                }
            }
            assert!(used.saturating_sub(1) <= width, "{width}: {widths:?}");
        }
    }

    #[test]
    fn a_fitting_column_is_as_wide_as_its_content_and_header() {
        let c = Column::fitting("pipeline", ["global-api", "edge"], 6, 1);
        assert_eq!((c.min, c.max), (8, 10));
        let c = Column::fitting("status", ["✔ Succeeded", "✖ Failed"], u16::MAX, 1);
        assert_eq!((c.min, c.max), (11, 11));
    }

    #[test]
    fn paragraph_columns_pad_all_but_the_last() {
        let texts = vec![
            ("us-east-1".to_string(), Style::default()),
            ("dropped".to_string(), Style::default()),
            ("ap-northeast-1".to_string(), Style::default()),
        ];
        let line: String = spans(texts, &[Some(10), None, Some(12)], 2)
            .iter()
            .map(|s| s.content.to_string())
            .collect();
        assert_eq!(line, "us-east-1   ap…");
    }
}
