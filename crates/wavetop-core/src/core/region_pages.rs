//! Which of the grid's region columns are on screen, and where a page to
//! either side lands. The columns are as wide as their content (the view
//! measures them), so these work on the widths themselves rather than on a
//! count of rows. The view draws [`shown_columns`] and the core scrolls by
//! it: both pick the same columns from the same widths.

use std::ops::Range;

/// Cells the columns `range` take side by side.
fn used(widths: &[u16], range: Range<usize>) -> u32 {
    widths
        .get(range)
        .unwrap_or_default()
        .iter()
        .map(|w| u32::from(*w))
        .sum()
}

/// The columns shown in `room` cells: from `offset` on where the selected
/// one is among them, else the least scroll that brings it in; then as many
/// to the right as fit and, when the last column is in, as many more on the
/// left as the room still takes (no blank space while columns are hidden).
/// The selected column is always shown, alone if it is wider than the room.
pub fn shown_columns(widths: &[u16], room: u16, offset: usize, selected: usize) -> Range<usize> {
    let Some(last) = widths.len().checked_sub(1) else {
        return 0..0;
    };
    let room = u32::from(room);
    let selected = selected.min(last);
    let mut first = offset.min(selected);
    while first < selected && used(widths, first..selected + 1) > room {
        first += 1;
    }
    let mut end = selected + 1;
    while end < widths.len() && used(widths, first..end + 1) <= room {
        end += 1;
    }
    while end == widths.len() && first > 0 && used(widths, first - 1..end) <= room {
        first -= 1;
    }
    first..end
}

/// A page to the right: the next screen starts with the first column hidden
/// on the right, and the selection keeps its place on the screen; on the
/// last screen the last column is selected. Returns the new offset and
/// selection.
pub fn page_right(widths: &[u16], room: u16, offset: usize, selected: usize) -> (usize, usize) {
    let shown = shown_columns(widths, room, offset, selected);
    if shown.end >= widths.len() {
        return (shown.start, widths.len().saturating_sub(1));
    }
    let next = shown_columns(widths, room, shown.end, shown.end);
    (next.start, same_place(&shown, selected, &next))
}

/// A page to the left: the next screen ends with the first column hidden on
/// the left (as many columns before it as fit), and the selection keeps its
/// place on the screen; on the first screen the first column is selected.
pub fn page_left(widths: &[u16], room: u16, offset: usize, selected: usize) -> (usize, usize) {
    let shown = shown_columns(widths, room, offset, selected);
    if shown.start == 0 {
        return (0, 0);
    }
    let mut first = shown.start - 1;
    while first > 0 && used(widths, first - 1..shown.start) <= u32::from(room) {
        first -= 1;
    }
    let next = shown_columns(widths, room, first, first);
    (next.start, same_place(&shown, selected, &next))
}

/// The column of screen `next` at the place `selected` has on screen
/// `shown`, or its last column when `next` is narrower.
fn same_place(shown: &Range<usize>, selected: usize, next: &Range<usize>) -> usize {
    let place = selected.saturating_sub(shown.start);
    (next.start + place).min(next.end.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selected_column_is_always_shown_and_the_rest_fit() {
        let widths: Vec<u16> = (0..25).map(|i| 10 + (i % 7) as u16).collect();
        for room in [8, 16, 30, 64, 224] {
            for offset in 0..26 {
                for selected in 0..25 {
                    let shown = shown_columns(&widths, room, offset, selected);
                    assert!(shown.contains(&selected), "{room} {offset} {selected}");
                    let used: u16 = widths[shown.clone()].iter().sum();
                    assert!(used <= room || shown.len() == 1, "{room}: {shown:?}");
                }
            }
        }
        assert_eq!(shown_columns(&[], 80, 3, 3), 0..0);
    }

    #[test]
    fn moving_inside_the_screen_does_not_scroll() {
        let widths = [10u16; 25];
        assert_eq!(shown_columns(&widths, 45, 0, 3), 0..4);
        assert_eq!(shown_columns(&widths, 45, 0, 4), 1..5);
        assert_eq!(shown_columns(&widths, 45, 1, 2), 1..5);
        assert_eq!(shown_columns(&widths, 45, 5, 2), 2..6);
        // The last screen is full, not blank on the right.
        assert_eq!(shown_columns(&widths, 45, 24, 24), 21..25);
    }

    #[test]
    fn what_is_shown_is_where_it_scrolls_to() {
        // The core keeps the start of what was shown as its offset; drawing
        // again from there shows the same columns.
        let widths: Vec<u16> = (0..25).map(|i| 10 + (i % 5) as u16 * 3).collect();
        for offset in 0..25 {
            for selected in 0..25 {
                let shown = shown_columns(&widths, 70, offset, selected);
                assert_eq!(shown_columns(&widths, 70, shown.start, selected), shown);
            }
        }
    }

    #[test]
    fn narrow_columns_fit_more_than_wide_ones() {
        assert_eq!(shown_columns(&[11u16; 25], 224, 0, 0), 0..20);
        assert_eq!(shown_columns(&[16u16; 25], 224, 0, 0), 0..14);
        assert_eq!(shown_columns(&[11u16; 25], 224, 0, 24), 5..25);
    }

    #[test]
    fn a_page_moves_one_screenful_each_way() {
        let widths: Vec<u16> = (0..25).map(|i| 10 + (i % 3) as u16 * 4).collect();
        let room = 64;
        let (mut offset, mut selected) = (0, 1);
        loop {
            let before = shown_columns(&widths, room, offset, selected);
            (offset, selected) = page_right(&widths, room, offset, selected);
            let after = shown_columns(&widths, room, offset, selected);
            assert!(after.contains(&selected), "{after:?} {selected}");
            if after.end == widths.len() {
                break;
            }
            assert_eq!(after.start, before.end, "{before:?} then {after:?}");
            assert_eq!(
                selected - after.start,
                1,
                "the selection keeps its place on screen"
            );
        }
        assert_eq!(page_right(&widths, room, offset, selected).1, 24);
        while offset > 0 {
            let before = shown_columns(&widths, room, offset, selected);
            (offset, selected) = page_left(&widths, room, offset, selected);
            let after = shown_columns(&widths, room, offset, selected);
            assert!(after.contains(&selected), "{after:?} {selected}");
            // Nothing is skipped; a column of the screen left may stay in
            // view where the room takes it, and the first screen is full.
            assert!(after.start < before.start, "{before:?} then {after:?}");
            assert!(after.end >= before.start, "{before:?} then {after:?}");
            if after.start > 0 {
                assert!(after.end <= before.start + 1, "{before:?} then {after:?}");
            }
        }
        assert_eq!(page_left(&widths, room, offset, selected), (0, 0));
    }

    #[test]
    fn a_column_wider_than_the_room_pages_one_at_a_time() {
        let widths = [30u16; 5];
        assert_eq!(page_right(&widths, 20, 0, 0), (1, 1));
        assert_eq!(page_right(&widths, 20, 3, 3), (4, 4));
        assert_eq!(page_left(&widths, 20, 4, 4), (3, 3));
    }
}
