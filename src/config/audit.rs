//! `[audit]`: the team audit trail, a copy of every audit line in a
//! CloudWatch Logs group. Off unless `log_group` is set; the local log stays
//! the record that gates each call.

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::schema::ConfigFile;
use super::source_text::{Seg, SourceText};
use crate::cli::flags::parse_region;

/// `[audit]` as written.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// The CloudWatch Logs group the team shares, e.g. `/wavetop/audit`.
    pub log_group: String,
    /// Where the group lives (default: the first home region).
    #[serde(default)]
    pub region: Option<String>,
    /// The profile that reaches it (default: the default account's).
    #[serde(default)]
    pub profile: Option<String>,
}

/// The longest group name CloudWatch Logs accepts.
const MAX_GROUP_LEN: usize = 512;

/// Checks `[audit]`, pointing at the offending value.
pub(crate) fn check(config: &ConfigFile, source: &SourceText) -> Result<(), ConfigError> {
    let Some(audit) = &config.audit else {
        return Ok(());
    };
    let group = &audit.log_group;
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/#".contains(c);
    if group.is_empty() || group.len() > MAX_GROUP_LEN || !group.chars().all(allowed) {
        return Err(source
            .error_at_value(
                &[Seg::Key("audit"), Seg::Key("log_group")],
                format!("`audit.log_group` \"{group}\" is not a CloudWatch Logs group name"),
            )
            .expected("1 to 512 of: letters, digits, . _ - / #, such as \"/wavetop/audit\""));
    }
    if let Some(region) = &audit.region {
        parse_region(region).map_err(|why| {
            source.error_at_value(
                &[Seg::Key("audit"), Seg::Key("region")],
                format!("`audit.region` \"{region}\" {why}"),
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::load::load_str;

    fn load(text: &str) -> Result<Option<AuditConfig>, ConfigError> {
        load_str(&SourceText::new("config.toml", text), Path::new(".")).map(|l| l.config.audit)
    }

    #[test]
    fn the_team_trail_is_off_unless_a_group_is_named() {
        assert_eq!(load("").unwrap(), None);
        let set = load("[audit]\nlog_group = \"/wavetop/audit\"\nregion = \"eu-west-1\"\n")
            .unwrap()
            .unwrap();
        assert_eq!(set.log_group, "/wavetop/audit");
        assert_eq!(set.region.as_deref(), Some("eu-west-1"));
        assert_eq!(set.profile, None);
    }

    #[test]
    fn a_bad_group_name_points_at_its_value() {
        let err = load("[audit]\nlog_group = \"team audit\"\n").unwrap_err();
        assert_eq!((err.line(), err.column()), (Some(2), Some(13)));
        assert!(err.message().contains("audit.log_group"), "{err:?}");
    }

    #[test]
    fn a_bad_region_and_an_unknown_key_are_errors_with_their_place() {
        let err = load("[audit]\nlog_group = \"/a\"\nregion = \"europe\"\n").unwrap_err();
        assert_eq!(err.line(), Some(3));
        let err = load("[audit]\nlog_group = \"/a\"\nstream = \"x\"\n").unwrap_err();
        assert_eq!(err.line(), Some(3));
        assert!(err.message().contains("stream"), "{err:?}");
        let err = load("[audit]\nregion = \"eu-west-1\"\n").unwrap_err();
        assert!(err.message().contains("log_group"), "{err:?}");
    }
}
