//! `[stream]`: the change stream's log group, where it lives, and how often
//! it is read and everything reconciled. Off unless the section is there.

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::schema::ConfigFile;
use super::source_text::{Seg, SourceText};
use crate::poll::stream::StreamCadence;

/// The log group `deploy/wavetop-stream.yaml` creates.
pub const DEFAULT_LOG_GROUP: &str = "/wavetop/stream";

/// The longest read interval: a change must show within 5 s of its event.
const MAX_READ_SECS: i64 = 5;
/// Reconciliation between half a minute and an hour.
const RECONCILE_SECS: std::ops::RangeInclusive<i64> = 30..=3_600;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamConfig {
    /// The log group the stream's rules write to (default `/wavetop/stream`).
    #[serde(default)]
    pub log_group: Option<String>,
    /// The regions holding a stack of the template, one each (default:
    /// the default account's home regions).
    #[serde(default)]
    pub regions: Vec<String>,
    /// The accounts (`default` or a name of `[[aws.accounts]]`) holding a
    /// stack of the template in each of `regions` (default: `default`).
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Seconds between two reads of the log group, 1 to 5 (default 4).
    #[serde(default)]
    pub read_secs: Option<i64>,
    /// Seconds between two polls of every pipeline and stack while the
    /// stream is live, 30 to 3600 (default 900).
    #[serde(default)]
    pub reconcile_secs: Option<i64>,
}

/// One log group to read: a stack of the template in one account and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamSource {
    pub account: String,
    pub region: String,
    pub log_group: String,
}

impl StreamConfig {
    pub fn cadence(&self) -> StreamCadence {
        let defaults = StreamCadence::default();
        StreamCadence {
            read_secs: self.read_secs.unwrap_or(defaults.read_secs),
            reconcile_secs: self.reconcile_secs.unwrap_or(defaults.reconcile_secs),
        }
    }

    /// Every (account, region) log group to read; in `home_regions` (the
    /// default account's) when `[stream]` names no region.
    pub fn sources(&self, home_regions: &[String]) -> Vec<StreamSource> {
        let log_group = self.log_group.as_deref().unwrap_or(DEFAULT_LOG_GROUP);
        let regions = match self.regions.is_empty() {
            true => home_regions.to_vec(),
            false => self.regions.clone(),
        };
        let accounts = match self.accounts.is_empty() {
            true => vec![crate::source::aws::DEFAULT_ACCOUNT.to_string()],
            false => self.accounts.clone(),
        };
        accounts
            .iter()
            .flat_map(|account| {
                regions.iter().map(move |region| StreamSource {
                    account: account.clone(),
                    region: region.clone(),
                    log_group: log_group.to_string(),
                })
            })
            .collect()
    }
}

/// Checks `[stream]`: cadences in range, accounts that exist.
pub(crate) fn check(config: &ConfigFile, source: &SourceText) -> Result<(), ConfigError> {
    let Some(stream) = &config.stream else {
        return Ok(());
    };
    let at = |field: &'static str, message: String, expected: String| {
        source
            .error_at_value(&[Seg::Key("stream"), Seg::Key(field)], message)
            .expected(expected)
    };
    if let Some(secs) = stream.read_secs
        && !(1..=MAX_READ_SECS).contains(&secs)
    {
        return Err(at(
            "read_secs",
            format!("`stream.read_secs` = {secs} is out of range"),
            format!("1 to {MAX_READ_SECS} seconds, so that a change shows within 5 s"),
        ));
    }
    if let Some(secs) = stream.reconcile_secs
        && !RECONCILE_SECS.contains(&secs)
    {
        return Err(at(
            "reconcile_secs",
            format!("`stream.reconcile_secs` = {secs} is out of range"),
            "30 to 3600 seconds".to_string(),
        ));
    }
    if stream.log_group.as_deref().is_some_and(str::is_empty) {
        return Err(at(
            "log_group",
            "`stream.log_group` is empty".to_string(),
            format!("a log group name, such as \"{DEFAULT_LOG_GROUP}\""),
        ));
    }
    let known: Vec<&str> = config
        .aws
        .iter()
        .flat_map(|a| a.accounts.iter().map(|acc| acc.name.as_str()))
        .chain([crate::source::aws::DEFAULT_ACCOUNT])
        .collect();
    for (i, account) in stream.accounts.iter().enumerate() {
        if !known.contains(&account.as_str()) {
            return Err(source
                .error_at_value(
                    &[Seg::Key("stream"), Seg::Key("accounts"), Seg::Index(i)],
                    format!("`stream.accounts`: no account named {account}"),
                )
                .expected(format!("one of: {}", known.join(", "))));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::load::load_str;

    fn load(text: &str) -> Result<ConfigFile, ConfigError> {
        load_str(&SourceText::new("config.toml", text), Path::new(".")).map(|l| l.config)
    }

    #[test]
    fn a_stream_section_reads_one_group_per_account_and_region_with_defaults() {
        let config =
            load("[aws]\nhome_regions = [\"eu-west-1\", \"us-east-1\"]\n[stream]\n").unwrap();
        let stream = config.stream.clone().unwrap();
        assert_eq!(stream.cadence(), StreamCadence::default());
        let sources = stream.sources(&config.aws.unwrap().home_regions);
        assert_eq!(sources.len(), 2);
        assert_eq!(sources[0].log_group, "/wavetop/stream");
        assert_eq!(sources[0].region, "eu-west-1");
        assert_eq!(sources[1].account, "default");
        assert_eq!(load("").unwrap().stream, None, "off unless configured");
    }

    #[test]
    fn a_read_interval_past_five_seconds_points_at_its_value() {
        let err = load("[stream]\nread_secs = 10\n").unwrap_err();
        assert_eq!((err.line(), err.column()), (Some(2), Some(13)));
        assert!(err.message().contains("stream.read_secs"), "{err:?}");
    }

    #[test]
    fn an_unknown_key_or_account_is_an_error_with_its_place() {
        let err = load("[stream]\nlog_gruop = \"x\"\n").unwrap_err();
        assert_eq!(err.line(), Some(2), "{err:?}");
        let err = load("[stream]\naccounts = [\"default\", \"prod\"]\n").unwrap_err();
        assert_eq!((err.line(), err.column()), (Some(2), Some(24)));
        assert!(err.message().contains("no account named prod"), "{err:?}");
    }
}
