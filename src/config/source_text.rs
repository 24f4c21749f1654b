//! The text of one TOML file together with the name it is reported under,
//! and the lookups that turn byte spans and key paths into positions.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{ConfigError, Location};

/// One step of a path into a TOML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A file's text and the name errors use for it (a path, or the name of a
/// built-in preset).
#[derive(Debug, Clone)]
pub struct SourceText {
    pub name: String,
    pub text: String,
}

impl SourceText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Turns a byte span into a 1-based line and character column.
    pub fn locate(&self, span: Range<usize>) -> Location {
        let start = floor_char_boundary(&self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, span.end.clamp(start, self.text.len()));
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let line_text = self.text[line_start..line_end].trim_end_matches('\r');
        let line = self.text[..start].matches('\n').count() + 1;
        let column = self.text[line_start..start].chars().count() + 1;
        let width = self.text[start..end.min(line_end)].chars().count().max(1);
        Location {
            line,
            column,
            line_text: line_text.to_string(),
            width,
        }
    }

    /// An error at a byte span of this file.
    pub fn error_at(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::at(self.name.clone(), self.locate(span), message)
    }

    /// Converts an error from the TOML parser or deserializer, which may or
    /// may not carry a span, into one that names this file. The parser's
    /// "..., expected ..." wording is split so every error reads alike.
    pub fn toml_error(&self, err: &toml::de::Error) -> ConfigError {
        if let Some(error) = self.unquoted_datetime(err) {
            return error;
        }
        let text = err.message().trim_end();
        let (message, expected) = match text.split_once(", expected ") {
            Some((message, expected)) => (message, Some(expected)),
            None => (text, None),
        };
        let error = match err.span() {
            Some(span) => self.error_at(span, message),
            // The deserializer gives up on keys nested too deep without
            // saying where; the deepest key is where the limit was met.
            None if message == "recursion limit" => self
                .error_at(self.deepest_key(), "keys nested too deeply")
                .expected("fewer dotted parts or nested tables"),
            None => self.error_at(0..0, message),
        };
        match expected {
            Some(expected) => error.expected(expected),
            None => error,
        }
    }

    /// The span of the key with the most dotted parts, in a table header or
    /// before an `=`.
    fn deepest_key(&self) -> Range<usize> {
        let mut deepest = (0, 0..0);
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let indent = line.len() - line.trim_start().len();
            let key = line.trim_start();
            let key = match key.strip_prefix('[') {
                Some(header) => header.split(']').next().unwrap_or_default(),
                None => key.split('=').next().unwrap_or_default(),
            };
            let depth = key.matches('.').count();
            if depth > deepest.0 {
                let start = offset + indent;
                deepest = (depth, start..start + key.trim_end().len());
            }
            offset += line.len();
        }
        deepest.1
    }

    /// TOML reads `2026-12-24` without quotes as a date-time, which serde
    /// reports as a "map"; say instead that the value wants quotes.
    fn unquoted_datetime(&self, err: &toml::de::Error) -> Option<ConfigError> {
        let span = err.span()?;
        let written = self.text.get(span.clone())?;
        if !err.message().starts_with("invalid type: map")
            || written.parse::<toml::value::Datetime>().is_err()
        {
            return None;
        }
        Some(
            self.error_at(span, format!("unquoted date or time {written}"))
                .expected(format!("a quoted string, such as \"{written}\"")),
        )
    }

    /// An error at the value found by `path`, or about the whole file when
    /// the path is not in the document.
    pub fn error_at_value(&self, path: &[Seg<'_>], message: impl Into<String>) -> ConfigError {
        match self.value_span(path) {
            Some(span) => self.error_at(span, message),
            None => ConfigError::in_file(self.name.clone(), message),
        }
    }

    /// The span of the value found by following `path` from the root.
    pub fn value_span(&self, path: &[Seg<'_>]) -> Option<Range<usize>> {
        let root = DeTable::parse(&self.text).ok()?;
        let mut found: Option<&Spanned<DeValue<'_>>> = None;
        for seg in path {
            let next = match (seg, found.map(Spanned::get_ref)) {
                (Seg::Key(key), None) => root.get_ref().get(*key)?,
                (Seg::Key(key), Some(DeValue::Table(t))) => t.get(*key)?,
                (Seg::Index(i), Some(DeValue::Array(a))) => a.get(*i)?,
                _ => return None,
            };
            found = Some(next);
        }
        found.map(Spanned::span)
    }
}

/// The largest char boundary at or before `index`, so spans never split a
/// multi-byte character.
fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_spans_as_one_based_character_columns() {
        let src = SourceText::new("f.toml", "a = 1\n# é\nthème = \"x\"\n");
        let offset = src.text.find("\"x\"").unwrap();
        let loc = src.locate(offset..offset + 3);
        assert_eq!((loc.line, loc.column, loc.width), (3, 9, 3));
        assert_eq!(loc.line_text, "thème = \"x\"");
    }

    #[test]
    fn finds_value_spans_through_tables_and_arrays() {
        let src = SourceText::new(
            "f.toml",
            "[windows.eu]\nopen = \"08:00\"\ndays = [\"mon\", \"tue\"]\n",
        );
        let open = src
            .value_span(&[Seg::Key("windows"), Seg::Key("eu"), Seg::Key("open")])
            .unwrap();
        assert_eq!(&src.text[open], "\"08:00\"");
        let tue = src
            .value_span(&[
                Seg::Key("windows"),
                Seg::Key("eu"),
                Seg::Key("days"),
                Seg::Index(1),
            ])
            .unwrap();
        assert_eq!(&src.text[tue], "\"tue\"");
        assert_eq!(src.value_span(&[Seg::Key("windows"), Seg::Key("us")]), None);
    }

    #[test]
    fn keys_nested_too_deeply_point_at_the_deepest_key() {
        type Doc = std::collections::BTreeMap<String, toml::Value>;
        let text = format!("a = 1\n  {} = 1\n", vec!["k"; 100_000].join("."));
        let src = SourceText::new("f.toml", text);
        let err = src.toml_error(&toml::from_str::<Doc>(&src.text).unwrap_err());
        assert_eq!((err.line(), err.column()), (Some(2), Some(3)));
        assert_eq!(err.message(), "keys nested too deeply");
    }

    #[test]
    fn unquoted_dates_are_reported_as_needing_quotes() {
        type Doc = std::collections::BTreeMap<String, Vec<String>>;
        let src = SourceText::new("f.toml", "freeze = [2026-12-24]\n");
        let err = toml::from_str::<Doc>(&src.text).unwrap_err();
        assert_eq!(
            src.toml_error(&err).headline(),
            "f.toml:1:11: unquoted date or time 2026-12-24 (expected a quoted string, such as \"2026-12-24\")"
        );
    }
}
