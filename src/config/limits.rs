//! `[limits]` turned into the core's `Limits`: each value a count of at
//! least one, an error pointing at the value otherwise.

use super::error::ConfigError;
use super::schema::ConfigFile;
use super::source_text::{Seg, SourceText};
use crate::core::ring::Limits;

/// The caps the config sets, the defaults where it sets none.
pub(crate) fn build(config: &ConfigFile, source: &SourceText) -> Result<Limits, ConfigError> {
    let defaults = Limits::default();
    let given = &config.limits;
    let count = |field: &'static str, value: Option<u64>, default: usize| match value {
        None => Ok(default),
        Some(n) if n >= 1 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        Some(_) => Err(source
            .error_at_value(
                &[Seg::Key("limits"), Seg::Key(field)],
                format!("`limits.{field}` must keep at least one"),
            )
            .expected(format!("a count of 1 or more; the default is {default}"))),
    };
    Ok(Limits {
        activity_entries: count(
            "activity_entries",
            given.activity_entries,
            defaults.activity_entries,
        )?,
        view_history: count("view_history", given.view_history, defaults.view_history)?,
        stack_events: count("stack_events", given.stack_events, defaults.stack_events)?,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::load::load_str;

    fn load(text: &str) -> Result<Limits, ConfigError> {
        load_str(&SourceText::new("config.toml", text), Path::new(".")).map(|l| l.limits)
    }

    #[test]
    fn limits_default_to_the_built_in_caps_and_take_the_config_s() {
        assert_eq!(load("").unwrap(), Limits::default());
        let set = load("[limits]\nactivity_entries = 50\nstack_events = 20\n").unwrap();
        assert_eq!(set.activity_entries, 50);
        assert_eq!(set.stack_events, 20);
        assert_eq!(set.view_history, Limits::default().view_history);
    }

    #[test]
    fn a_limit_of_zero_points_at_its_value() {
        let err = load("read_only = true\n[limits]\nview_history = 0\n").unwrap_err();
        assert_eq!((err.line(), err.column()), (Some(3), Some(16)));
        assert!(err.message().contains("limits.view_history"), "{err:?}");
    }
}
