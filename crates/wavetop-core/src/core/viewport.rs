//! One scrollable pane: which row is selected, which row is drawn first, how
//! many rows there are and how many fit. update() moves it; the view draws
//! `shown(height)`, the same pure function with the height it really has, so
//! the selection is on screen even when the core's idea of the height is off
//! by a row (a frame drawn between a resize and the next key).

use std::ops::Range;

/// Rows a page moves when the pane's height is not known yet.
const DEFAULT_PAGE: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Viewport {
    /// The first row drawn.
    pub offset: usize,
    /// The row under the cursor; in a text pane, the first line drawn.
    pub selected: usize,
    /// How many rows the pane has.
    pub len: usize,
    /// How many rows fit on screen, as the core last worked it out.
    pub height: usize,
}

impl Viewport {
    /// Takes the pane's new row count and height, keeping the selection
    /// inside the rows and on screen.
    pub fn fit(&mut self, len: usize, height: usize) {
        self.len = len;
        self.height = height;
        self.selected = self.selected.min(len.saturating_sub(1));
        self.offset = first_shown(self.offset, self.selected, len, height);
    }

    /// Selects row `row` (the last one if past it) and scrolls to it.
    pub fn select(&mut self, row: usize) {
        self.selected = row.min(self.len.saturating_sub(1));
        self.offset = first_shown(self.offset, self.selected, self.len, self.height);
    }

    pub fn up(&mut self, rows: usize) {
        self.select(self.selected.saturating_sub(rows));
    }

    pub fn down(&mut self, rows: usize) {
        self.select(self.selected.saturating_add(rows));
    }

    /// Rows a page key moves: the rows on screen, less one kept for context.
    pub fn page(&self) -> usize {
        match self.height {
            0 => DEFAULT_PAGE,
            h => h.saturating_sub(1).max(1),
        }
    }

    pub fn last(&mut self) {
        self.select(self.len.saturating_sub(1));
    }

    /// Scrolls a text pane (no cursor of its own) by `delta` lines, never
    /// past the point where its last line is at the bottom.
    pub fn scroll(&mut self, delta: isize) {
        let top = self.offset.saturating_add_signed(delta);
        self.scroll_to(top);
    }

    /// Puts line `top` of a text pane at the top of the screen, or as close
    /// as the text's length allows.
    pub fn scroll_to(&mut self, top: usize) {
        self.offset = top.min(self.len.saturating_sub(self.height.max(1)));
        self.selected = self.offset;
    }

    /// The rows drawn in a pane `height` rows tall.
    pub fn shown(&self, height: usize) -> Range<usize> {
        let first = first_shown(self.offset, self.selected, self.len, height);
        first..first.saturating_add(height).min(self.len)
    }

    /// How many rows lie above and below what a pane `height` rows tall shows.
    pub fn hidden(&self, height: usize) -> (usize, usize) {
        let shown = self.shown(height);
        (shown.start, self.len.saturating_sub(shown.end))
    }
}

/// The first row to draw so that `selected` is on screen: `offset` where it
/// already is (the view does not jump while the cursor moves inside it), the
/// least scroll that brings the selection in otherwise, and never so far down
/// that the screen ends in empty rows while rows above are hidden.
pub fn first_shown(offset: usize, selected: usize, len: usize, height: usize) -> usize {
    let height = height.max(1);
    let selected = selected.min(len.saturating_sub(1));
    let offset = offset.min(len.saturating_sub(height));
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pane(len: usize, height: usize) -> Viewport {
        let mut v = Viewport::default();
        v.fit(len, height);
        v
    }

    #[test]
    fn moving_inside_the_screen_does_not_scroll() {
        let mut v = pane(100, 10);
        v.down(9);
        assert_eq!((v.selected, v.offset), (9, 0));
        v.down(1);
        assert_eq!((v.selected, v.offset), (10, 1));
        v.up(5);
        assert_eq!((v.selected, v.offset), (5, 1), "no jump while on screen");
        v.up(5);
        assert_eq!((v.selected, v.offset), (0, 0));
    }

    #[test]
    fn last_and_first_show_the_ends() {
        let mut v = pane(200, 20);
        v.last();
        assert_eq!((v.selected, v.offset), (199, 180));
        assert_eq!(v.shown(20), 180..200);
        v.select(0);
        assert_eq!((v.selected, v.offset), (0, 0));
    }

    #[test]
    fn a_page_keeps_one_row_of_context() {
        let mut v = pane(100, 10);
        v.down(v.page());
        assert_eq!((v.selected, v.offset), (9, 0));
        v.down(v.page());
        assert_eq!((v.selected, v.offset), (18, 9));
        assert_eq!(pane(5, 0).page(), DEFAULT_PAGE);
        assert_eq!(pane(5, 1).page(), 1);
    }

    #[test]
    fn shrinking_keeps_the_selection_on_screen() {
        let mut v = pane(100, 30);
        v.select(25);
        assert_eq!(v.offset, 0);
        v.fit(100, 10);
        assert!(v.shown(10).contains(&25));
        assert_eq!(v.offset, 16);
        // Rows going away take the selection with them.
        v.fit(12, 10);
        assert_eq!((v.selected, v.offset), (11, 2));
        v.fit(0, 10);
        assert_eq!((v.selected, v.offset), (0, 0));
        assert_eq!(v.shown(10), 0..0);
    }

    #[test]
    fn the_view_corrects_a_height_the_core_got_wrong() {
        let mut v = pane(50, 20);
        v.select(19);
        // The screen is two rows shorter than the core thought.
        assert_eq!(v.shown(18), 2..20);
        assert_eq!(v.hidden(18), (2, 30));
        // Taller: rows below fill the screen rather than blank ones.
        v.last();
        assert_eq!(v.shown(25), 25..50);
    }

    #[test]
    fn text_panes_scroll_by_their_top_line() {
        let mut v = pane(40, 10);
        v.scroll(5);
        assert_eq!(v.shown(10), 5..15);
        v.scroll(100);
        assert_eq!((v.offset, v.selected), (30, 30));
        v.scroll(-3);
        assert_eq!(v.shown(10), 27..37);
        v.scroll(-100);
        assert_eq!(v.offset, 0);
        v.scroll_to(usize::MAX);
        assert_eq!(v.offset, 30);
    }
}
