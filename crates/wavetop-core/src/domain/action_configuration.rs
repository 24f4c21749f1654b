//! An action's `configuration` in a pipeline declaration: a handful of
//! string pairs (`StackName`, `ActionMode`, `ProjectName`, ...).
//!
//! It is kept as a vector sorted by key rather than a `BTreeMap`: a map
//! allocates a node sized for eleven pairs for every action, however few it
//! holds, and a fleet of two hundred pipelines declares over ten thousand
//! actions. On the wire it is the same JSON object, keys in the same order.
//!
//! Keys and values are shared strings: a fleet repeats the same few keys and
//! many of the same values (`CAPABILITY_NAMED_IAM,...`, a region's role ARN)
//! thousands of times, and whoever builds the declarations may hand the same
//! string to every action that carries it (see `sim::shared_strings`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Key-value pairs with unique keys, sorted by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionConfiguration(Vec<(Arc<str>, Arc<str>)>);

impl ActionConfiguration {
    /// The value under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.get_shared(key).map(|v| v.as_ref())
    }

    /// The value under `key` as the configuration holds it, for a value
    /// that outlives the declaration without a copy of its own.
    pub fn get_shared(&self, key: &str) -> Option<&Arc<str>> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// Every key and value, for whoever replaces them with shared copies.
    pub fn strings_mut(&mut self) -> impl Iterator<Item = &mut Arc<str>> {
        self.0.iter_mut().flat_map(|(k, v)| [k, v])
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A key given twice keeps its last value, as a map would.
impl FromIterator<(Arc<str>, Arc<str>)> for ActionConfiguration {
    fn from_iter<I: IntoIterator<Item = (Arc<str>, Arc<str>)>>(pairs: I) -> Self {
        // The map sorts and settles duplicates; its exact length then sizes
        // the vector to fit.
        let sorted: BTreeMap<Arc<str>, Arc<str>> = pairs.into_iter().collect();
        ActionConfiguration(sorted.into_iter().collect())
    }
}

impl FromIterator<(String, String)> for ActionConfiguration {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        pairs
            .into_iter()
            .map(|(k, v)| (Arc::from(k), Arc::from(v)))
            .collect()
    }
}

impl Serialize for ActionConfiguration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for ActionConfiguration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, String>::deserialize(deserializer).map(|m| m.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> ActionConfiguration {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn finds_every_key_whatever_the_order_given() {
        let c = config(&[
            ("StackName", "UsEast1-Api"),
            ("ActionMode", "CHANGE_SET_REPLACE"),
            ("ChangeSetName", "PipelineChange"),
        ]);
        assert_eq!(c.get("ActionMode"), Some("CHANGE_SET_REPLACE"));
        assert_eq!(c.get("StackName"), Some("UsEast1-Api"));
        assert!(c.contains_key("ChangeSetName"));
        assert!(!c.contains_key("ProjectName"));
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        let c = config(&[("StackName", "old"), ("StackName", "new")]);
        assert_eq!(c.len(), 1);
        assert_eq!(c.get("StackName"), Some("new"));
    }

    #[test]
    fn json_is_the_object_a_map_would_write_and_reads_back() {
        let c = config(&[("b", "2"), ("a", "1")]);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"a":"1","b":"2"}"#);
        let back: ActionConfiguration = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        let empty: ActionConfiguration = serde_json::from_str("{}").unwrap();
        assert!(empty.is_empty());
    }
}
