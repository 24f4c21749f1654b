//! How a hosted zone is named in `[aws] hosted_zones`: a zone id (with or
//! without the `/hostedzone/` that `aws route53 create-hosted-zone` prints),
//! a DNS name (anything with a dot), or a table saying which one it is:
//! `{ id = "..." }` or `{ name = "..." }`. Zone ids do not all start with
//! `Z`, so a dotless value is an id, never a guess at a name.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const PREFIX: &str = "/hostedzone/";
const EXPECTED: &str = "a zone id (\"Z0123ABC\", \"/hostedzone/Z0123ABC\"), a DNS name with a dot, { id = \"...\" } or { name = \"...\" }";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostedZone {
    /// Read with ListResourceRecordSets as is; kept as written.
    Id(String),
    /// Looked up with ListHostedZonesByName first.
    Name(String),
}

impl HostedZone {
    /// A plain string from the config: a name when it has a dot, else an id.
    pub fn parse(written: &str) -> HostedZone {
        if written.contains('.') {
            HostedZone::Name(written.to_string())
        } else {
            HostedZone::Id(written.to_string())
        }
    }

    /// The zone as the config writes it, for messages.
    pub fn written(&self) -> &str {
        match self {
            HostedZone::Id(s) | HostedZone::Name(s) => s,
        }
    }

    /// The id Route53 wants in a request, without `/hostedzone/`.
    pub fn bare_id(&self) -> Option<&str> {
        match self {
            HostedZone::Id(id) => Some(id.strip_prefix(PREFIX).unwrap_or(id)),
            HostedZone::Name(_) => None,
        }
    }
}

impl From<&str> for HostedZone {
    fn from(written: &str) -> Self {
        HostedZone::parse(written)
    }
}

impl Serialize for HostedZone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (key, value) = match self {
            HostedZone::Id(id) => ("id", id),
            HostedZone::Name(name) => ("name", name),
        };
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(key, value)?;
        map.end()
    }
}

/// The table form, checked for exactly one of its two keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneTable {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

struct ZoneVisitor;

impl<'de> Visitor<'de> for ZoneVisitor {
    type Value = HostedZone;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<HostedZone, E> {
        let bare = value.trim();
        if bare.is_empty() || bare == PREFIX || bare == PREFIX.trim_end_matches('/') {
            return Err(E::custom(format!("empty hosted zone, expected {EXPECTED}")));
        }
        Ok(HostedZone::parse(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<HostedZone, A::Error> {
        let table = ZoneTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
        match (table.id, table.name) {
            (Some(_), Some(_)) => Err(de::Error::custom(
                "a hosted zone has an id or a name, not both, expected { id = \"...\" } or { name = \"...\" }",
            )),
            (None, None) => Err(de::Error::custom(format!(
                "a hosted zone table names nothing, expected {EXPECTED}"
            ))),
            (Some(id), None) => self.visit_str(&id).map(|_| HostedZone::Id(id)),
            (None, Some(name)) => self.visit_str(&name).map(|_| HostedZone::Name(name)),
        }
    }
}

impl<'de> Deserialize<'de> for HostedZone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<HostedZone, D::Error> {
        deserializer.deserialize_any(ZoneVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        zones: Vec<HostedZone>,
    }

    fn zones(toml_text: &str) -> Vec<HostedZone> {
        toml::from_str::<Doc>(toml_text).unwrap().zones
    }

    #[test]
    fn a_dotless_value_is_an_id_whatever_its_first_letter() {
        let z = zones(
            r#"zones = ["/hostedzone/D02I8FIJBFFD89L22D4Q6W", "D02I8FIJBFFD89L22D4Q6W", "Z0123", "example.com", { name = "internal" }, { id = "/hostedzone/Q1" }]"#,
        );
        assert_eq!(z[0].bare_id(), Some("D02I8FIJBFFD89L22D4Q6W"));
        assert_eq!(z[0].written(), "/hostedzone/D02I8FIJBFFD89L22D4Q6W");
        assert_eq!(z[1].bare_id(), Some("D02I8FIJBFFD89L22D4Q6W"));
        assert_eq!(z[2].bare_id(), Some("Z0123"));
        assert_eq!(z[3], HostedZone::Name("example.com".into()));
        assert_eq!(z[4], HostedZone::Name("internal".into()));
        assert_eq!(z[5].bare_id(), Some("Q1"));
    }

    #[test]
    fn a_zone_written_back_keeps_its_kind() {
        for zone in [HostedZone::Id("D0".into()), HostedZone::Name("x".into())] {
            let text = toml::to_string(&std::collections::BTreeMap::from([(
                "zones",
                vec![zone.clone()],
            )]))
            .unwrap();
            assert_eq!(zones(&text), [zone]);
        }
    }

    #[test]
    fn tables_name_exactly_one_thing() {
        for (text, wanted) in [
            (r#"zones = [{ id = "a", name = "b" }]"#, "not both"),
            (r#"zones = [{}]"#, "names nothing"),
            (r#"zones = [{ zone = "a" }]"#, "unknown field `zone`"),
            (r#"zones = [""]"#, "empty hosted zone"),
            (r#"zones = [{ name = " " }]"#, "empty hosted zone"),
            (r#"zones = [3]"#, "invalid type: integer"),
        ] {
            let err = toml::from_str::<Doc>(text).err().expect(text).to_string();
            assert!(err.contains(wanted), "{text}: {err}");
        }
    }
}
