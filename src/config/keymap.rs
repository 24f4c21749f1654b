//! Keymaps: which keys trigger which named action. Built from TOML presets
//! embedded in the binary and optionally a user file (see `keymap_file`).

use std::collections::{BTreeMap, HashMap};

use crate::core::action::ActionName;
use crate::core::key::Key;

use super::keymap_file;
use super::source_text::SourceText;

/// The built-in presets: name and embedded file text.
pub const KEYMAP_PRESETS: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// The preset a user keymap builds on when it names none.
pub const DEFAULT_KEYMAP: &str = "default";

/// The name errors use for a built-in preset file.
pub fn preset_source_name(name: &str) -> String {
    format!("keymaps/{name}.toml (built-in)")
}

/// Keys bound to actions. No key is bound to two actions: loading rejects
/// such a keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    keys: BTreeMap<ActionName, Vec<Key>>,
    by_key: HashMap<Key, ActionName>,
}

impl Keymap {
    /// Builds a keymap from bindings already checked to be free of conflicts.
    pub(crate) fn from_bindings(keys: BTreeMap<ActionName, Vec<Key>>) -> Keymap {
        let by_key = keys
            .iter()
            .flat_map(|(action, keys)| keys.iter().map(move |key| (*key, *action)))
            .collect();
        Keymap { keys, by_key }
    }

    /// A built-in preset by name: `default` or `vim`.
    pub fn preset(name: &str) -> Option<Keymap> {
        let (_, text) = KEYMAP_PRESETS.iter().find(|(preset, _)| *preset == name)?;
        keymap_file::load_preset(&SourceText::new(preset_source_name(name), *text)).ok()
    }

    /// The action a key press triggers, if any.
    pub fn action_for(&self, key: Key) -> Option<ActionName> {
        self.by_key.get(&key).copied()
    }

    /// The keys bound to an action; empty when the action is disabled.
    pub fn keys_for(&self, action: ActionName) -> &[Key] {
        self.keys.get(&action).map_or(&[], Vec::as_slice)
    }

    /// Every action in `ActionName` order with its keys (empty slice for a
    /// disabled action), for the help view.
    pub fn bindings(&self) -> impl Iterator<Item = (ActionName, &[Key])> + '_ {
        ActionName::ALL
            .iter()
            .map(|action| (*action, self.keys_for(*action)))
    }
}

/// The default keymap is the `default` preset.
impl Default for Keymap {
    fn default() -> Self {
        // The presets are verified by tests; an empty keymap is only a guard.
        Keymap::preset(DEFAULT_KEYMAP).unwrap_or_else(|| Keymap::from_bindings(BTreeMap::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::key::KeyCode;

    #[test]
    fn every_preset_loads_and_default_binds_every_action() {
        for (name, _) in KEYMAP_PRESETS {
            let keymap =
                Keymap::preset(name).unwrap_or_else(|| panic!("preset {name} does not load"));
            for action in ActionName::ALL {
                assert!(
                    !keymap.keys_for(*action).is_empty(),
                    "{name} leaves {} unbound",
                    action.as_str()
                );
            }
        }
        assert_eq!(Keymap::preset("emacs"), None);
    }

    #[test]
    fn default_preset_binds_the_documented_keys() {
        let keymap = Keymap::default();
        assert_eq!(keymap.action_for(Key::char('q')), Some(ActionName::Quit));
        assert_eq!(keymap.action_for(Key::ctrl('c')), Some(ActionName::Quit));
        assert_eq!(
            keymap.action_for(Key::plain(KeyCode::BackTab)),
            Some(ActionName::PrevPipeline)
        );
        assert_eq!(keymap.action_for(Key::char('h')), Some(ActionName::Hold));
        assert_eq!(keymap.action_for(Key::char('D')), Some(ActionName::Restore));
        assert_eq!(keymap.action_for(Key::char('j')), None);
        assert_eq!(keymap.keys_for(ActionName::Approve), &[Key::char('a')]);
    }

    #[test]
    fn vim_preset_adds_motion_keys_and_moves_hold() {
        let keymap = Keymap::preset("vim").unwrap();
        assert_eq!(keymap.action_for(Key::char('h')), Some(ActionName::Left));
        assert_eq!(keymap.action_for(Key::char('j')), Some(ActionName::Down));
        assert_eq!(keymap.action_for(Key::char('H')), Some(ActionName::Hold));
        assert_eq!(
            keymap.action_for(Key::plain(KeyCode::Left)),
            Some(ActionName::Left)
        );
        assert_eq!(
            keymap.action_for(Key::ctrl('d')),
            Some(ActionName::PageDown)
        );
        assert_eq!(keymap.action_for(Key::char('q')), Some(ActionName::Quit));
    }

    #[test]
    fn bindings_follow_action_order() {
        let keymap = Keymap::default();
        let actions: Vec<ActionName> = keymap.bindings().map(|(action, _)| action).collect();
        assert_eq!(actions, ActionName::ALL);
        for (action, keys) in keymap.bindings() {
            for key in keys {
                assert_eq!(keymap.action_for(*key), Some(action));
            }
        }
    }
}
