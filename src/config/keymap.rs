//! Keymaps: which keys trigger which named action. Built from TOML presets
//! embedded in the binary and optionally a user file (see `keymap_file`)
//! into the core's `Bindings`.

use crate::core::bindings::Bindings;

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

/// A built-in preset by name: `default` or `vim`.
pub fn preset(name: &str) -> Option<Bindings> {
    let (_, text) = KEYMAP_PRESETS.iter().find(|(preset, _)| *preset == name)?;
    keymap_file::load_preset(&SourceText::new(preset_source_name(name), *text)).ok()
}

/// The keymap that applies when the config names none: the `default` preset.
pub fn default_keymap() -> Bindings {
    // The presets are verified by tests; no bindings at all is only a guard.
    preset(DEFAULT_KEYMAP).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::action::ActionName;
    use crate::core::key::{Key, KeyCode};

    #[test]
    fn every_preset_loads_and_default_binds_every_action() {
        for (name, _) in KEYMAP_PRESETS {
            let keymap = preset(name).unwrap_or_else(|| panic!("preset {name} does not load"));
            for action in ActionName::ALL {
                assert!(
                    !keymap.keys_for(*action).is_empty(),
                    "{name} leaves {} unbound",
                    action.as_str()
                );
            }
        }
        assert_eq!(preset("emacs"), None);
    }

    #[test]
    fn default_preset_binds_the_documented_keys() {
        let keymap = default_keymap();
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
        let keymap = preset("vim").unwrap();
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
        let keymap = default_keymap();
        let actions: Vec<ActionName> = keymap.all().map(|(action, _)| action).collect();
        assert_eq!(actions, ActionName::ALL);
        for (action, keys) in keymap.all() {
            for key in keys {
                assert_eq!(keymap.action_for(*key), Some(action));
            }
        }
    }
}
