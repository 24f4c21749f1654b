//! How a command line clap refuses is reported: clap's own wording, except
//! that a refused value is cut short. clap repeats the value whole, and a
//! 10 KB value would otherwise make a 10 KB line.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::output::sanitize::elide;

/// Columns of a refused value kept in the message.
const VALUE_WIDTH: usize = 40;

/// The text to print for a clap error (help and version included).
pub fn report(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    if error.kind() != ErrorKind::ValueValidation {
        return rendered.trim_end().to_string();
    }
    let (Some(ContextValue::String(flag)), Some(ContextValue::String(value))) = (
        error.get(ContextKind::InvalidArg),
        error.get(ContextKind::InvalidValue),
    ) else {
        return rendered.trim_end().to_string();
    };
    let why = std::error::Error::source(error)
        .map(|source| format!(": {source}"))
        .unwrap_or_default();
    // The flag as a user types it, without clap's value placeholder.
    let flag = flag.split(' ').next().unwrap_or(flag);
    format!(
        "error: invalid value '{}' for '{flag}'{why}\n\nFor more information, try '--help'.",
        elide(value, VALUE_WIDTH)
    )
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn refused(args: &[&str]) -> String {
        report(&Cli::try_parse_from(args).expect_err("refused"))
    }

    #[test]
    fn a_huge_bad_value_gives_a_short_line_naming_the_flag() {
        let huge = format!("us-{}", "x".repeat(10_000));
        let text = refused(&["wavetop", "--home-region", &huge]);
        let first = text.lines().next().unwrap();
        assert!(first.starts_with("error: invalid value 'us-xxx"), "{first}");
        assert!(
            first.contains("…' for '--home-region': is too long"),
            "{first}"
        );
        assert!(first.chars().count() < 160, "{first}");
    }

    #[test]
    fn an_endpoint_without_a_host_is_refused_by_name() {
        let text = refused(&["wavetop", "--endpoint-url", "http://"]);
        assert!(
            text.starts_with("error: invalid value 'http://' for '--endpoint-url': names no host"),
            "{text}"
        );
    }
}
