//! Text from outside (a config file, a flag, an AWS error) made safe to show
//! on a terminal, and cut to a screen's width.
//!
//! The console draws through ratatui, whose buffer drops every character for
//! which `char::is_control` holds; [`is_unsafe`] is that same set (C0, DEL,
//! C1) plus the bidirectional overrides that reorder what a reader sees.
//! Everything printed outside the console goes through [`visible`], which
//! shows those characters instead of dropping them, so an operator can see
//! that a value holds an escape sequence.

use std::borrow::Cow;
use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

/// Whether `c` would act on the terminal (or reorder text) rather than be
/// shown. Line breaks and tabs are layout, not attacks, and stay.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `text` with every unsafe character written visibly: C0 controls and DEL in
/// caret notation (`ESC` is `^[`), the others as `\u{9b}`. Borrowed when
/// there is nothing to change.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c` to `out`, written visibly when it is unsafe.
pub fn push_visible(out: &mut String, c: char) {
    match c {
        c if !is_unsafe(c) => out.push(c),
        '\u{7f}' => out.push_str("^?"),
        c if (c as u32) < 0x20 => {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// How many columns `c` takes once made visible.
pub fn visible_width(c: char) -> usize {
    if !is_unsafe(c) {
        return if c == '\t' { 1 } else { c.width().unwrap_or(0) };
    }
    let mut shown = String::new();
    push_visible(&mut shown, c);
    shown.len()
}

/// `text` made visible and cut to `width` columns, the cut marked with `…`.
/// Linear in the part kept, so a 50 MB value costs no more than a short one.
pub fn elide(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let w = visible_width(c);
        // Keep one column for the ellipsis unless this is the last character.
        let room = if chars.peek().is_some() {
            width.saturating_sub(1)
        } else {
            width
        };
        if used + w > room {
            if width > 0 {
                out.push('…');
            }
            return out;
        }
        push_visible(&mut out, c);
        used += w;
    }
    out
}

/// Every line of `text` made visible and cut to `width` columns.
pub fn elide_lines(text: &str, width: usize) -> String {
    text.split('\n')
        .map(|line| elide(line, width))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("\u{1b}]2;PWNED\u{7}\u{1b}[2J"), "^[]2;PWNED^G^[[2J");
        assert_eq!(
            visible("a\u{7f}b\u{9b}c\u{202e}d\u{0}"),
            "a^?b\\u{9b}c\\u{202e}d^@"
        );
        assert_eq!(visible("line\n\tindented"), "line\n\tindented");
        assert!(matches!(visible("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_unsafe_set_covers_what_the_console_drops() {
        for c in (0u32..0x110000).filter_map(char::from_u32) {
            if c.is_control() && c != '\n' && c != '\t' {
                assert!(is_unsafe(c), "{c:?}");
            }
        }
    }

    #[test]
    fn elides_to_the_width_with_an_ellipsis() {
        assert_eq!(elide("short", 10), "short");
        assert_eq!(elide("exactly10!", 10), "exactly10!");
        assert_eq!(elide("eleven char", 10), "eleven ch…");
        assert_eq!(elide("\u{1b}\u{1b}\u{1b}", 4), "^[…");
        assert_eq!(elide("日本語テキスト", 7), "日本語…");
        assert_eq!(elide("x", 0), "");
        assert_eq!(elide_lines("aaaa\nbb", 3), "aa…\nbb");
    }

    #[test]
    fn a_huge_value_costs_only_what_is_kept() {
        let huge = "v".repeat(50 << 20);
        assert_eq!(elide(&huge, 80).chars().count(), 80);
    }
}
