//! Which key triggers which named action, as the active keymap says.

use std::collections::BTreeMap;

use super::action::ActionName;
use super::key::Key;

/// Built by the config from its keymap presets and files; `default()` binds
/// nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bindings {
    by_key: BTreeMap<Key, ActionName>,
    by_action: BTreeMap<ActionName, Vec<Key>>,
}

impl Bindings {
    /// Builds the lookup from (action, keys) pairs; a later pair wins a key
    /// (the keymap loader has already rejected conflicts).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (ActionName, Vec<Key>)>) -> Self {
        let mut out = Bindings::default();
        for (action, keys) in pairs {
            for key in &keys {
                out.by_key.insert(*key, action);
            }
            out.by_action.insert(action, keys);
        }
        out
    }

    pub fn action_for(&self, key: Key) -> Option<ActionName> {
        self.by_key.get(&key).copied()
    }

    pub fn keys_for(&self, action: ActionName) -> &[Key] {
        self.by_action
            .get(&action)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key of an action as text, or `:name` when it has no key.
    pub fn label(&self, action: ActionName) -> String {
        match self.keys_for(action).first() {
            Some(k) => k.to_string(),
            None => format!(":{}", action.as_str()),
        }
    }

    /// Every action in declaration order with its keys (empty when disabled).
    pub fn all(&self) -> impl Iterator<Item = (ActionName, &[Key])> {
        ActionName::ALL.iter().map(|a| (*a, self.keys_for(*a)))
    }
}
