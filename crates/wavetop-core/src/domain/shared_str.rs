//! A shared string (`Arc<str>`) written and read as a plain JSON string,
//! without serde's `rc` feature (which would rebuild every crate that uses
//! serde). Declarations hold their most repeated strings this way.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(s: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
    String::deserialize(deserializer).map(Arc::from)
}
