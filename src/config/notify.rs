//! `[notify]`: which events ring the bell or send a desktop notification,
//! and how. Without the section the defaults of
//! [`NotifySettings::defaults`] apply; a wrong event or desktop name points
//! at its value.

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::schema::ConfigFile;
use super::source_text::{Seg, SourceText};
use crate::core::notify::{Desktop, NotifyKind, NotifySettings};

/// The names `desktop` takes, with what each means.
const DESKTOP_NAMES: [(&str, Desktop); 3] = [
    ("osc9", Desktop::Osc9),
    ("osc777", Desktop::Osc777),
    ("off", Desktop::Off),
];

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    /// `false` turns every notification off (default true).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// What notifies: `gate-waiting`, `failed`, `rolled-back`, `stale`,
    /// `no-go` (default all but `stale`).
    #[serde(default)]
    pub events: Option<Vec<String>>,
    /// Ring the terminal bell (default true).
    #[serde(default)]
    pub bell: Option<bool>,
    /// `osc9`, `osc777` or `off` (default `osc9`).
    #[serde(default)]
    pub desktop: Option<String>,
}

/// The settings `[notify]` asks for, the defaults where it says nothing.
pub(crate) fn build(
    config: &ConfigFile,
    source: &SourceText,
) -> Result<NotifySettings, ConfigError> {
    let defaults = NotifySettings::defaults();
    let Some(given) = &config.notify else {
        return Ok(defaults);
    };
    let events = match &given.events {
        None => defaults.events,
        Some(names) => names
            .iter()
            .enumerate()
            .map(|(index, name)| event(name, index, source))
            .collect::<Result<_, _>>()?,
    };
    let desktop = match given.desktop.as_deref() {
        None => defaults.desktop,
        Some(name) => desktop(name, source)?,
    };
    if given.enabled == Some(false) {
        return Ok(NotifySettings::off());
    }
    Ok(NotifySettings {
        events,
        bell: given.bell.unwrap_or(defaults.bell),
        desktop,
    })
}

fn event(name: &str, index: usize, source: &SourceText) -> Result<NotifyKind, ConfigError> {
    NotifyKind::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = NotifyKind::ALL.iter().map(|k| k.name()).collect();
        source
            .error_at_value(
                &[Seg::Key("notify"), Seg::Key("events"), Seg::Index(index)],
                format!("unknown notify event \"{name}\""),
            )
            .expected(format!("one of: {}", known.join(", ")))
    })
}

fn desktop(name: &str, source: &SourceText) -> Result<Desktop, ConfigError> {
    DESKTOP_NAMES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, desktop)| *desktop)
        .ok_or_else(|| {
            let known: Vec<&str> = DESKTOP_NAMES.iter().map(|(n, _)| *n).collect();
            source
                .error_at_value(
                    &[Seg::Key("notify"), Seg::Key("desktop")],
                    format!("unknown desktop notification \"{name}\""),
                )
                .expected(format!("one of: {}", known.join(", ")))
        })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::load::load_str;

    fn load(text: &str) -> Result<NotifySettings, ConfigError> {
        load_str(&SourceText::new("config.toml", text), Path::new(".")).map(|l| l.notify)
    }

    #[test]
    fn without_the_section_the_defaults_ring_and_send_osc9() {
        assert_eq!(load("").unwrap(), NotifySettings::defaults());
    }

    #[test]
    fn the_section_sets_events_bell_and_desktop() {
        let set =
            load("[notify]\nevents = [\"stale\", \"no-go\"]\nbell = false\ndesktop = \"osc777\"\n")
                .unwrap();
        assert_eq!(
            set.events,
            [NotifyKind::Stale, NotifyKind::NoGo].into_iter().collect()
        );
        assert!(!set.bell);
        assert_eq!(set.desktop, Desktop::Osc777);
        let partial = load("[notify]\ndesktop = \"off\"\n").unwrap();
        assert_eq!(partial.events, NotifySettings::defaults().events);
        assert!(partial.bell);
    }

    #[test]
    fn enabled_false_turns_everything_off() {
        assert_eq!(
            load("[notify]\nenabled = false\nbell = true\n").unwrap(),
            NotifySettings::off()
        );
    }

    #[test]
    fn an_unknown_event_points_at_its_value_and_lists_the_known_ones() {
        let err = load("[notify]\nevents = [\"failed\", \"gate_waiting\"]\n").unwrap_err();
        assert_eq!((err.line(), err.column()), (Some(2), Some(21)));
        assert!(err.message().contains("\"gate_waiting\""), "{err:?}");
        let shown = err.to_string();
        assert!(
            shown.contains("gate-waiting, failed, rolled-back, stale, no-go"),
            "{shown}"
        );
    }

    #[test]
    fn an_unknown_desktop_points_at_its_value() {
        let err = load("bell = 1\n").unwrap_err();
        assert!(
            err.message().contains("bell"),
            "not a top-level key: {err:?}"
        );
        let err = load("[notify]\ndesktop = \"osc99\"\n").unwrap_err();
        assert_eq!((err.line(), err.column()), (Some(2), Some(11)));
        assert!(err.to_string().contains("osc9, osc777, off"), "{err}");
    }
}
