//! `[alarms.<flow>]` turned into the domain's `AlarmWatches`: which
//! CloudWatch alarms belong to each (flow, region), by exact name or by name
//! prefix, and how long each flow or wave bakes after a region's deploy.
//! Every error points at the offending value.
//!
//! Alarms chosen by tag are not offered: CloudWatch finds alarms by tag only
//! through `ListTagsForResource`, one call per alarm ARN per poll, which
//! does not fit a fleet's read budget. Names and prefixes cost one
//! `DescribeAlarms` per 100 names or per prefix.

use jiff::SignedDuration;

use super::error::ConfigError;
use super::schema::{ConfigFile, FlowAlarmsConfig};
use super::source_text::{Seg, SourceText};
use crate::domain::alarms::{AlarmSelector, AlarmWatch, AlarmWatches};
use crate::domain::bake::BakeTimes;

/// The default account's name, as the AWS backend names it.
const DEFAULT_ACCOUNT: &str = "default";
/// CloudWatch's limit on an alarm name.
const MAX_ALARM_NAME: usize = 255;
/// The longest bake: a day. Longer is surely a typo (`30h` for `30m`).
const MAX_BAKE_SECS: i64 = 24 * 3600;

const BAKE_EXPECTED: &str = "a duration of 1s to 24h such as \"30m\", \"1h\" or \"1h30m\"";

/// Builds the watches and bake times of every `[alarms.<flow>]`.
pub(crate) fn build(config: &ConfigFile, source: &SourceText) -> Result<AlarmWatches, ConfigError> {
    let mut watched = AlarmWatches::default();
    for (flow, section) in &config.alarms {
        watched
            .bakes
            .times
            .extend(bakes_of(flow, section, source)?.times);
        for (region, names) in &section.regions {
            let at = |field: &'static str| {
                [
                    Seg::Key("alarms"),
                    Seg::Key(flow),
                    Seg::Key("regions"),
                    Seg::Key(region),
                    Seg::Key(field),
                ]
            };
            let account = names
                .account
                .clone()
                .unwrap_or_else(|| DEFAULT_ACCOUNT.into());
            if account != DEFAULT_ACCOUNT && !configured_account(config, &account) {
                return Err(source
                    .error_at_value(
                        &at("account"),
                        format!(
                            "unknown account \"{account}\" in `alarms.{flow}.regions.{region}`"
                        ),
                    )
                    .expected("\"default\" or the name of an [[aws.accounts]] entry"));
            }
            let mut selectors = Vec::new();
            let fields = [("names", &names.names), ("prefixes", &names.prefixes)];
            for (field, values) in fields {
                for (index, value) in values.iter().enumerate() {
                    if value.is_empty() || value.chars().count() > MAX_ALARM_NAME {
                        let mut path = at(field).to_vec();
                        path.push(Seg::Index(index));
                        return Err(source
                            .error_at_value(
                                &path,
                                format!(
                                    "alarm {} of `alarms.{flow}.regions.{region}.{field}` is empty or too long",
                                    if field == "names" { "name" } else { "prefix" }
                                ),
                            )
                            .expected("1 to 255 characters, as CloudWatch allows in an alarm name"));
                    }
                    selectors.push(if field == "names" {
                        AlarmSelector::Name(value.clone())
                    } else {
                        AlarmSelector::Prefix(value.clone())
                    });
                }
            }
            if selectors.is_empty() {
                return Err(source
                    .error_at_value(
                        &[
                            Seg::Key("alarms"),
                            Seg::Key(flow),
                            Seg::Key("regions"),
                            Seg::Key(region),
                        ],
                        format!("`alarms.{flow}.regions.{region}` names no alarm"),
                    )
                    .expected("`names = [\"...\"]` or `prefixes = [\"...\"]` (or both)"));
            }
            watched.watches.push(AlarmWatch {
                flow: flow.clone(),
                region: region.clone(),
                account,
                selectors,
            });
        }
    }
    Ok(watched)
}

fn configured_account(config: &ConfigFile, name: &str) -> bool {
    config
        .aws
        .as_ref()
        .is_some_and(|aws| aws.accounts.iter().any(|a| a.name == name))
}

/// The flow's `bake` and its waves' `wave_bake`.
fn bakes_of(
    flow: &str,
    section: &FlowAlarmsConfig,
    source: &SourceText,
) -> Result<BakeTimes, ConfigError> {
    let mut bakes = BakeTimes::default();
    if let Some(text) = &section.bake {
        let path = [Seg::Key("alarms"), Seg::Key(flow), Seg::Key("bake")];
        let field = format!("alarms.{flow}.bake");
        bakes.set(flow, None, bake_time(text, &path, &field, source)?);
    }
    for (wave, text) in &section.wave_bake {
        let path = [
            Seg::Key("alarms"),
            Seg::Key(flow),
            Seg::Key("wave_bake"),
            Seg::Key(wave),
        ];
        let field = format!("alarms.{flow}.wave_bake.{wave}");
        bakes.set(flow, Some(wave), bake_time(text, &path, &field, source)?);
    }
    Ok(bakes)
}

fn bake_time(
    text: &str,
    path: &[Seg<'_>],
    field: &str,
    source: &SourceText,
) -> Result<SignedDuration, ConfigError> {
    parse_bake(text).ok_or_else(|| {
        source
            .error_at_value(path, format!("invalid bake time \"{text}\" for `{field}`"))
            .expected(BAKE_EXPECTED)
    })
}

/// Parses a bake time written with units, `30m`, `1h30m`, `90s`: whole
/// seconds, at least one, at most a day. A bare number has no unit and is
/// refused.
pub(crate) fn parse_bake(text: &str) -> Option<SignedDuration> {
    if text.trim().bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let duration: SignedDuration = text.trim().parse().ok()?;
    let whole = duration.subsec_nanos() == 0;
    (whole && (1..=MAX_BAKE_SECS).contains(&duration.as_secs())).then_some(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bake_times_need_a_unit_and_stay_within_a_day() {
        assert_eq!(parse_bake("30m"), Some(SignedDuration::from_mins(30)));
        assert_eq!(parse_bake("1h30m"), Some(SignedDuration::from_mins(90)));
        assert_eq!(parse_bake("90s"), Some(SignedDuration::from_secs(90)));
        for bad in ["30", "", "0s", "25h", "-5m", "soon", "1.5s"] {
            assert_eq!(parse_bake(bad), None, "{bad}");
        }
    }
}
