//! Config errors that point at the exact spot: file, line, column, the line
//! itself with a caret under the offending text, and what was expected.

use std::fmt;

use crate::output::sanitize::{elide, push_visible, visible_width};

/// Where in a file an error was found. Line and column are 1-based; the
/// column counts characters, not bytes, so the caret lines up on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The whole offending line, without its line break.
    pub line_text: String,
    /// How many characters of the line the caret underlines (at least 1).
    pub width: usize,
}

/// A second position an error refers to, such as the other binding of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub label: String,
    pub file: String,
    pub location: Location,
}

/// A configuration, theme or keymap file that cannot be used as written.
///
/// wavetop never falls back to defaults when a file is wrong: the caller
/// prints this error and exits with [`ConfigError::exit_code`] before the
/// terminal is put into raw mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(Box<Details>);

/// Boxed so that `Result<_, ConfigError>` stays small on the happy path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    file: String,
    location: Option<Location>,
    message: String,
    expected: Option<String>,
    related: Vec<Related>,
}

impl ConfigError {
    /// An error about a file as a whole (missing, unreadable).
    pub fn in_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self(Box::new(Details {
            file: file.into(),
            location: None,
            message: message.into(),
            expected: None,
            related: Vec::new(),
        }))
    }

    /// An error at a position in a file.
    pub fn at(file: impl Into<String>, location: Location, message: impl Into<String>) -> Self {
        let mut error = Self::in_file(file, message);
        error.0.location = Some(location);
        error
    }

    /// Says what would have been accepted instead.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.0.expected = Some(expected.into());
        self
    }

    /// Points at a second place the error involves.
    pub fn related(mut self, related: Related) -> Self {
        self.0.related.push(related);
        self
    }

    /// The process exit status for any configuration error.
    pub fn exit_code(&self) -> i32 {
        2
    }

    /// The file the error is in, as shown to the user.
    pub fn file(&self) -> &str {
        &self.0.file
    }

    pub fn location(&self) -> Option<&Location> {
        self.0.location.as_ref()
    }

    /// 1-based line, when the error has a position.
    pub fn line(&self) -> Option<usize> {
        self.0.location.as_ref().map(|l| l.line)
    }

    /// 1-based column in characters, when the error has a position.
    pub fn column(&self) -> Option<usize> {
        self.0.location.as_ref().map(|l| l.column)
    }

    /// What is wrong, without position or expectation.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    pub fn expectation(&self) -> Option<&str> {
        self.0.expected.as_deref()
    }

    /// The first line of the report: `file:line:col: message (expected ...)`.
    pub fn headline(&self) -> String {
        let mut out = self.0.file.clone();
        if let Some(loc) = &self.0.location {
            out.push_str(&format!(":{}:{}", loc.line, loc.column));
        }
        out.push_str(": ");
        out.push_str(&elide(&self.0.message, MESSAGE_WIDTH));
        if let Some(expected) = &self.0.expected {
            out.push_str(&format!(" (expected {expected})"));
        }
        out
    }
}

/// Columns of the offending line shown; a longer line is shown around the
/// caret, its cut ends marked with `…`.
const SNIPPET_WIDTH: usize = 100;
/// Columns shown before the caret when the line has to be cut.
const SNIPPET_LEAD: usize = 40;
/// Columns of the message kept in the headline (it may quote a value, and
/// name files by their full paths).
const MESSAGE_WIDTH: usize = 240;

/// Writes the offending line with a caret under the offending text. Tabs
/// before the column are repeated so the caret stays aligned; control
/// characters are shown visibly, and the caret follows their shown width.
fn write_snippet(f: &mut fmt::Formatter<'_>, location: &Location) -> fmt::Result {
    let number = location.line.to_string();
    let gutter = " ".repeat(number.len());
    let caret_at = location.column.saturating_sub(1);
    let mut widths = location.line_text.chars().map(visible_width);
    let mut total = 0;
    let long = widths.any(|w| {
        total += w;
        total > SNIPPET_WIDTH
    });
    let start = if long {
        caret_at.saturating_sub(SNIPPET_LEAD)
    } else {
        0
    };
    let (mut shown, mut padding, mut carets, mut used) = (String::new(), String::new(), 0, 0);
    if start > 0 {
        shown.push('…');
        padding.push(' ');
        used += 1;
    }
    let mut cut = false;
    for (i, c) in location.line_text.chars().enumerate().skip(start) {
        let w = visible_width(c);
        if used + w > SNIPPET_WIDTH {
            cut = true;
            break;
        }
        push_visible(&mut shown, c);
        used += w;
        if i < caret_at {
            padding.extend(std::iter::repeat_n(if c == '\t' { '\t' } else { ' ' }, w));
        } else if i < caret_at + location.width.max(1) {
            carets += w;
        }
    }
    if cut {
        shown.push('…');
    }
    writeln!(f, "{gutter} |")?;
    writeln!(f, "{number} | {shown}")?;
    write!(f, "{gutter} | {padding}{}", "^".repeat(carets.max(1)))
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        if let Some(location) = &self.0.location {
            writeln!(f)?;
            write_snippet(f, location)?;
        }
        for related in &self.0.related {
            let loc = &related.location;
            write!(
                f,
                "\n{}: {}:{}:{}\n",
                related.label, related.file, loc.line, loc.column
            )?;
            write_snippet(f, loc)?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn location() -> Location {
        Location {
            line: 4,
            column: 9,
            line_text: "theme = \"drak\"".to_string(),
            width: 6,
        }
    }

    #[test]
    fn display_names_position_and_underlines_the_value() {
        let err = ConfigError::at("conf.toml", location(), "unknown theme \"drak\"")
            .expected("one of: dark, light");
        assert_eq!(
            err.to_string(),
            "conf.toml:4:9: unknown theme \"drak\" (expected one of: dark, light)\n  |\n4 | theme = \"drak\"\n  |         ^^^^^^"
        );
        assert_eq!(err.exit_code(), 2);
        assert_eq!((err.line(), err.column()), (Some(4), Some(9)));
    }

    #[test]
    fn caret_follows_tabs_in_the_line() {
        let loc = Location {
            line: 1,
            column: 3,
            line_text: "\t\tx = 1".to_string(),
            width: 1,
        };
        let text = ConfigError::at("f", loc, "bad").to_string();
        assert!(text.ends_with("| \t\t^"), "{text:?}");
    }

    #[test]
    fn a_huge_line_is_shown_around_the_caret() {
        let value = "v".repeat(5 << 20);
        let loc = Location {
            line: 1,
            column: 200,
            line_text: format!("{}theme = \"\u{1b}[2J{value}\"", " ".repeat(191)),
            width: value.len() + 6,
        };
        let text = ConfigError::at("f", loc, format!("unknown theme \"{value}\"")).to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.iter().all(|l| l.chars().count() <= 260),
            "{:?}",
            &text[..400]
        );
        assert!(lines[0].ends_with('…'));
        assert!(lines[2].starts_with("1 | …"), "{}", lines[2]);
        // The caret sits under the opening quote, past the escape shown as `^[`.
        let column = |line: &str, at: usize| line[..at].chars().count();
        let quote = column(lines[2], lines[2].find("\"^[[2J").unwrap());
        assert_eq!(column(lines[3], lines[3].find('^').unwrap()), quote);
    }

    #[test]
    fn errors_without_position_have_no_snippet() {
        let err = ConfigError::in_file("/nope.toml", "config file not found");
        assert_eq!(err.to_string(), "/nope.toml: config file not found");
        assert_eq!(err.line(), None);
    }
}
