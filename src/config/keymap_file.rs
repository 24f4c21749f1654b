//! Reading keymap files:
//!
//! ```toml
//! inherits = "vim"          # a preset: "default" (the default) or "vim"
//! [keys]
//! approve = "a"             # one key
//! quit = ["q", "ctrl-c"]    # several keys
//! rollback = []             # disabled
//! ```
//!
//! A file replaces the keys of the actions it names and keeps the inherited
//! keys of every other action. A key bound to two actions is rejected with
//! the position of both bindings.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::core::action::ActionName;
use crate::core::bindings::Bindings;
use crate::core::key::Key;

use super::error::{ConfigError, Location, Related};
use super::keymap::{DEFAULT_KEYMAP, KEYMAP_PRESETS, preset_source_name};
use super::source_text::SourceText;

const KEY_NOTATION: &str =
    "a key like q, G, ?, enter, esc, tab, shift-tab, ctrl-c, alt-x, f5, space, pageup";

/// Where a binding was written, for conflict reports. `layer` 0 is the
/// file being loaded, 1 the preset it inherits, and so on.
#[derive(Debug, Clone)]
struct Origin {
    file: String,
    location: Location,
    layer: usize,
}

/// The keys of each action, with where each key was written.
type ActionKeys = Vec<(Key, Origin)>;
/// Every action's keys after layering a file on what it inherits.
type Layered = BTreeMap<ActionName, ActionKeys>;

/// Loads a built-in preset; a preset without `inherits` stands alone.
pub(crate) fn load_preset(source: &SourceText) -> Result<Bindings, ConfigError> {
    build(resolve(source, None, 0)?)
}

/// Loads a user keymap on top of its `inherits` preset (default `default`).
pub(crate) fn load_user(source: &SourceText) -> Result<Bindings, ConfigError> {
    build(resolve(source, Some(DEFAULT_KEYMAP), 0)?)
}

pub(crate) fn preset_names() -> String {
    KEYMAP_PRESETS
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A keymap file as written: the preset it names and its own bindings.
struct KeymapFile {
    inherits: Option<(String, Range<usize>)>,
    own: Vec<(ActionName, ActionKeys)>,
}

/// The bindings of `source` layered on the bindings of what it inherits.
fn resolve(
    source: &SourceText,
    default_base: Option<&str>,
    layer: usize,
) -> Result<Layered, ConfigError> {
    let file = parse(source, layer)?;
    let base = match (&file.inherits, default_base) {
        (Some((name, span)), _) => {
            let text = preset_text(name).ok_or_else(|| {
                source
                    .error_at(
                        span.clone(),
                        format!("unknown keymap preset \"{name}\" in `inherits`"),
                    )
                    .expected(format!("one of: {}", preset_names()))
            })?;
            // Presets inherit only by name, so a deeper chain means a loop.
            if layer > KEYMAP_PRESETS.len() {
                let message = format!("keymap preset \"{name}\" inherits itself");
                return Err(source.error_at(span.clone(), message));
            }
            Some((name.as_str(), text))
        }
        (None, Some(name)) => Some((name, preset_text(name).unwrap_or_default())),
        (None, None) => None,
    };
    let mut bindings = match base {
        Some((name, text)) => resolve(
            &SourceText::new(preset_source_name(name), text),
            None,
            layer + 1,
        )?,
        None => Layered::new(),
    };
    bindings.extend(file.own);
    Ok(bindings)
}

fn parse(source: &SourceText, layer: usize) -> Result<KeymapFile, ConfigError> {
    let root = DeTable::parse(&source.text).map_err(|err| source.toml_error(&err))?;
    let mut file = KeymapFile {
        inherits: None,
        own: Vec::new(),
    };
    for (key, value) in root.get_ref() {
        match key.get_ref().as_ref() {
            "inherits" => {
                let name = value.get_ref().as_str().ok_or_else(|| {
                    source
                        .error_at(value.span(), "`inherits` must be a string")
                        .expected(format!("one of: {}", preset_names()))
                })?;
                file.inherits = Some((name.to_string(), value.span()));
            }
            "keys" => {
                let table = value.get_ref().as_table().ok_or_else(|| {
                    source
                        .error_at(value.span(), "`keys` must be a table")
                        .expected("[keys] with action = \"key\" lines")
                })?;
                file.own = parse_keys(source, table, layer)?;
            }
            other => {
                return Err(source
                    .error_at(key.span(), format!("unknown key `{other}` in keymap file"))
                    .expected("`inherits` or a [keys] table"));
            }
        }
    }
    Ok(file)
}

fn preset_text(name: &str) -> Option<&'static str> {
    KEYMAP_PRESETS
        .iter()
        .find(|(preset, _)| *preset == name)
        .map(|(_, text)| *text)
}

fn parse_keys(
    source: &SourceText,
    table: &DeTable<'_>,
    layer: usize,
) -> Result<Vec<(ActionName, ActionKeys)>, ConfigError> {
    let mut out = Vec::new();
    for (name, value) in table {
        let action = ActionName::from_name(name.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = ActionName::ALL.iter().map(|a| a.as_str()).collect();
            source
                .error_at(name.span(), format!("unknown action `{}`", name.get_ref()))
                .expected(format!("one of: {}", names.join(", ")))
        })?;
        let items: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
            DeValue::String(_) => vec![value],
            DeValue::Array(items) => items.iter().collect(),
            _ => return Err(not_a_key(source, action, value)),
        };
        let mut keys: ActionKeys = Vec::new();
        for item in items {
            let text = item
                .get_ref()
                .as_str()
                .ok_or_else(|| not_a_key(source, action, item))?;
            let key = Key::parse(text).map_err(|_| {
                source
                    .error_at(
                        item.span(),
                        format!("invalid key \"{text}\" for action `{}`", action.as_str()),
                    )
                    .expected(KEY_NOTATION)
            })?;
            // Writing the same key twice for one action is harmless.
            if !keys.iter().any(|(k, _)| *k == key) {
                let origin = Origin {
                    file: source.name.clone(),
                    location: source.locate(item.span()),
                    layer,
                };
                keys.push((key, origin));
            }
        }
        out.push((action, keys));
    }
    Ok(out)
}

fn not_a_key(source: &SourceText, action: ActionName, value: &Spanned<DeValue<'_>>) -> ConfigError {
    source
        .error_at(
            value.span(),
            format!(
                "the keys of `{}` must be a string or an array of strings",
                action.as_str()
            ),
        )
        .expected(format!(
            "\"q\", [\"q\", \"ctrl-c\"], or [] to disable; {KEY_NOTATION}"
        ))
}

/// Rejects a key bound to two actions, then builds the lookup tables.
fn build(bindings: Layered) -> Result<Bindings, ConfigError> {
    let mut seen: HashMap<Key, (ActionName, &Origin)> = HashMap::new();
    for (action, keys) in &bindings {
        for (key, origin) in keys {
            if let Some((other_action, other_origin)) = seen.insert(*key, (*action, origin)) {
                return Err(conflict(
                    *key,
                    (other_action, other_origin),
                    (*action, origin),
                ));
            }
        }
    }
    Ok(Bindings::from_pairs(bindings.into_iter().map(
        |(action, keys)| (action, keys.into_iter().map(|(key, _)| key).collect()),
    )))
}

/// Reports a conflict at the binding written closest to the user (the
/// lowest layer), mentioning the other binding as well.
fn conflict(key: Key, first: (ActionName, &Origin), second: (ActionName, &Origin)) -> ConfigError {
    let (primary, other) = if first.1.layer < second.1.layer {
        (first, second)
    } else {
        (second, first)
    };
    let at = |origin: &Origin| {
        format!(
            "{}:{}:{}",
            origin.file, origin.location.line, origin.location.column
        )
    };
    let message = format!(
        "key \"{key}\" is bound to both `{}` ({}) and `{}` ({})",
        other.0.as_str(),
        at(other.1),
        primary.0.as_str(),
        at(primary.1),
    );
    ConfigError::at(primary.1.file.clone(), primary.1.location.clone(), message)
        .expected(format!(
            "each key bound to one action; give `{}` another key or disable it with `{} = []`",
            other.0.as_str(),
            other.0.as_str()
        ))
        .related(Related {
            label: format!("`{}` is bound to \"{key}\" at", other.0.as_str()),
            file: other.1.file.clone(),
            location: other.1.location.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::key::KeyCode;

    fn user(text: &str) -> Result<Bindings, ConfigError> {
        load_user(&SourceText::new("keys.toml", text))
    }

    #[test]
    fn a_partial_keymap_overrides_only_the_actions_it_names() {
        let default = crate::config::keymap::default_keymap();
        let keymap = user("[keys]\napprove = \"e\"\nrollback = []\n").unwrap();
        assert_eq!(keymap.action_for(Key::char('e')), Some(ActionName::Approve));
        assert_eq!(
            keymap.action_for(Key::char('a')),
            None,
            "the inherited key of an overridden action is dropped"
        );
        assert!(keymap.keys_for(ActionName::Rollback).is_empty());
        assert_eq!(keymap.action_for(Key::char('b')), None);
        for action in ActionName::ALL
            .iter()
            .filter(|a| !matches!(a, ActionName::Approve | ActionName::Rollback))
        {
            assert_eq!(
                keymap.keys_for(*action),
                default.keys_for(*action),
                "{}",
                action.as_str()
            );
        }
    }

    #[test]
    fn inherits_vim_then_overrides() {
        let keymap =
            user("inherits = \"vim\"\n[keys]\nquit = [\"Q\", \"ctrl-c\", \"Q\"]\n").unwrap();
        assert_eq!(
            keymap.keys_for(ActionName::Quit),
            &[Key::char('Q'), Key::ctrl('c')]
        );
        assert_eq!(keymap.action_for(Key::char('k')), Some(ActionName::Up));
        assert_eq!(keymap.action_for(Key::char('q')), None);
    }

    #[test]
    fn conflicts_name_both_actions_the_key_and_both_positions() {
        let err = user("[keys]\nretry = \"a\"\n").unwrap_err();
        let default_approve = preset_text("default")
            .unwrap()
            .lines()
            .position(|l| l.starts_with("approve"))
            .unwrap()
            + 1;
        assert_eq!(
            err.headline(),
            format!(
                "keys.toml:2:9: key \"a\" is bound to both `approve` (keymaps/default.toml (built-in):{default_approve}:11) and `retry` (keys.toml:2:9) (expected each key bound to one action; give `approve` another key or disable it with `approve = []`)"
            )
        );
        assert!(err.to_string().contains(&format!(
            "`approve` is bound to \"a\" at: keymaps/default.toml (built-in):{default_approve}:11"
        )));
        // Moving the other action away resolves it.
        let keymap = user("[keys]\nretry = \"a\"\napprove = \"e\"\n").unwrap();
        assert_eq!(
            keymap.action_for(Key::char('a')),
            Some(ActionName::RetryFailed)
        );
    }

    #[test]
    fn conflicts_inside_one_file_point_at_both_lines() {
        let err = user("[keys]\nhold = \"z\"\nstop = [\"s\", \"z\"]\n").unwrap_err();
        assert_eq!(err.line(), Some(3));
        assert!(
            err.headline()
                .contains("`hold` (keys.toml:2:8) and `stop` (keys.toml:3:14)"),
            "{err}"
        );
    }

    #[test]
    fn unknown_actions_bad_keys_and_bad_shapes_are_errors() {
        let err = user("[keys]\naprove = \"a\"\n").unwrap_err();
        assert!(
            err.headline().starts_with(
                "keys.toml:2:1: unknown action `aprove` (expected one of: quit, back,"
            ),
            "{err}"
        );
        let err = user("[keys]\napprove = \"ctrl-\"\n").unwrap_err();
        assert_eq!(
            err.headline(),
            format!(
                "keys.toml:2:11: invalid key \"ctrl-\" for action `approve` (expected {KEY_NOTATION})"
            )
        );
        let err = user("[keys]\napprove = 7\n").unwrap_err();
        assert!(err.headline().starts_with(
            "keys.toml:2:11: the keys of `approve` must be a string or an array of strings"
        ));
        let err = user("inherits = \"emacs\"\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "keys.toml:1:12: unknown keymap preset \"emacs\" in `inherits` (expected one of: default, vim)"
        );
        let err = user("[bindings]\n").unwrap_err();
        assert_eq!(
            err.headline(),
            "keys.toml:1:2: unknown key `bindings` in keymap file (expected `inherits` or a [keys] table)"
        );
    }

    #[test]
    fn special_keys_parse_in_files() {
        let keymap = user("[keys]\nopen = [\"enter\", \"space\"]\nhelp = \"f1\"\n").unwrap();
        assert_eq!(
            keymap.action_for(Key::plain(KeyCode::Char(' '))),
            Some(ActionName::Open)
        );
        assert_eq!(
            keymap.action_for(Key::plain(KeyCode::F(1))),
            Some(ActionName::Help)
        );
    }
}
