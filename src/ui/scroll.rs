//! Where a scrolled pane is: shown beside its title when rows are hidden.

use std::ops::Range;

/// " · rows 181-200 of 200" when some rows are off screen, nothing when the
/// pane shows them all.
pub(crate) fn rows_note(shown: &Range<usize>, len: usize) -> String {
    if shown.start == 0 && shown.end >= len {
        return String::new();
    }
    format!(" · rows {}-{} of {len}", shown.start + 1, shown.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_only_a_pane_with_hidden_rows() {
        assert_eq!(rows_note(&(0..5), 5), "");
        assert_eq!(rows_note(&(0..0), 0), "");
        assert_eq!(rows_note(&(180..200), 200), " · rows 181-200 of 200");
        assert_eq!(rows_note(&(0..20), 200), " · rows 1-20 of 200");
    }
}
