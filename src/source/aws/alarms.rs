//! CloudWatch alarms: `DescribeAlarms` for the state of a region's watched
//! alarms, metric and composite, up to 100 names a call or one call per
//! name prefix; `DescribeAlarmHistory` for their state changes since a bake
//! began. Both are read per (account, region) and paged with `NextToken`.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types as sdk;
use jiff::Timestamp;

use super::AwsBackend;
use super::errors::map_sdk_error;
use super::pacing::Service;
use super::time::{to_datetime, to_timestamp};
use crate::domain::alarms::{
    Alarm, AlarmKind, AlarmSelector, AlarmState, AlarmTransition, AlarmWatch,
};
use crate::protocol::{Observation, SourceError};

/// DescribeAlarms takes at most this many names a call.
const MAX_NAMES_PER_CALL: usize = 100;
/// Pages of one request read at most: a prefix matching thousands of
/// alarms is a mistake in the config, not a reason to read forever.
const MAX_PAGES: usize = 20;

/// One alarm as DescribeAlarms told it, before it is tied to a flow.
#[derive(Debug, Clone, PartialEq)]
struct AlarmRead {
    name: String,
    kind: AlarmKind,
    state: AlarmState,
    reason: String,
    since: Option<Timestamp>,
}

/// The alarms the selectors name: exact names in batches of 100, then each
/// prefix, every page of each; an alarm found twice is listed once.
async fn describe_alarms(
    client: &Client,
    selectors: &[AlarmSelector],
) -> Result<Vec<AlarmRead>, SourceError> {
    let mut names: Vec<String> = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    for selector in selectors {
        match selector {
            AlarmSelector::Name(n) if !names.contains(n) => names.push(n.clone()),
            AlarmSelector::Prefix(p) if !prefixes.contains(p) => prefixes.push(p.clone()),
            _ => {}
        }
    }
    let mut found: Vec<AlarmRead> = Vec::new();
    for batch in names.chunks(MAX_NAMES_PER_CALL) {
        describe_pages(client, Some(batch.to_vec()), None, &mut found).await?;
    }
    for prefix in prefixes {
        describe_pages(client, None, Some(prefix), &mut found).await?;
    }
    Ok(found)
}

async fn describe_pages(
    client: &Client,
    names: Option<Vec<String>>,
    prefix: Option<String>,
    found: &mut Vec<AlarmRead>,
) -> Result<(), SourceError> {
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .describe_alarms()
            .set_alarm_names(names.clone())
            .set_alarm_name_prefix(prefix.clone())
            .alarm_types(sdk::AlarmType::MetricAlarm)
            .alarm_types(sdk::AlarmType::CompositeAlarm)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("cloudwatch:DescribeAlarms", e))?;
        let metric = out.metric_alarms().iter().map(|a| {
            read_of(
                a.alarm_name(),
                AlarmKind::Metric,
                a.state_value(),
                a.state_reason(),
                a.state_updated_timestamp(),
            )
        });
        let composite = out.composite_alarms().iter().map(|a| {
            read_of(
                a.alarm_name(),
                AlarmKind::Composite,
                a.state_value(),
                a.state_reason(),
                a.state_updated_timestamp(),
            )
        });
        for read in metric.chain(composite).flatten() {
            if !found.iter().any(|f| f.name == read.name) {
                found.push(read);
            }
        }
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(())
}

/// An alarm with a name and a state wavetop knows; others are left out.
fn read_of(
    name: Option<&str>,
    kind: AlarmKind,
    state: Option<&sdk::StateValue>,
    reason: Option<&str>,
    since: Option<&aws_sdk_cloudwatch::primitives::DateTime>,
) -> Option<AlarmRead> {
    Some(AlarmRead {
        name: name?.to_string(),
        kind,
        state: AlarmState::parse(state?.as_str())?,
        reason: reason.unwrap_or_default().to_string(),
        since: since.map(to_timestamp),
    })
}

/// The state changes of the region's alarms from `since` on, oldest first,
/// of the alarms `wanted` accepts. One region-wide request (paged) serves
/// every alarm: `AlarmName` takes a single name, and a bake's span is short.
async fn state_changes(
    client: &Client,
    since: Timestamp,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, Timestamp, Option<AlarmState>, AlarmState)>, SourceError> {
    let mut changes = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .describe_alarm_history()
            .history_item_type(sdk::HistoryItemType::StateUpdate)
            .alarm_types(sdk::AlarmType::MetricAlarm)
            .alarm_types(sdk::AlarmType::CompositeAlarm)
            .start_date(to_datetime(since))
            .scan_by(sdk::ScanBy::TimestampAscending)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("cloudwatch:DescribeAlarmHistory", e))?;
        for item in out.alarm_history_items() {
            let (Some(name), Some(at)) = (item.alarm_name(), item.timestamp()) else {
                continue;
            };
            if !wanted(name) {
                continue;
            }
            let Some((from, to)) = item.history_data().and_then(states_of) else {
                continue;
            };
            changes.push((name.to_string(), to_timestamp(at), from, to));
        }
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    changes.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    Ok(changes)
}

/// The old and new state of a `StateUpdate` item's `HistoryData` JSON.
fn states_of(data: &str) -> Option<(Option<AlarmState>, AlarmState)> {
    let value: serde_json::Value = serde_json::from_str(data).ok()?;
    let state = |key: &str| {
        value
            .get(key)
            .and_then(|s| s.get("stateValue"))
            .and_then(|s| s.as_str())
            .and_then(AlarmState::parse)
    };
    Some((state("oldState"), state("newState")?))
}

/// The watches of one region, by account.
fn by_account<'a>(watches: &'a [AlarmWatch], region: &str) -> Vec<(&'a str, Vec<&'a AlarmWatch>)> {
    let mut accounts: Vec<(&str, Vec<&AlarmWatch>)> = Vec::new();
    for w in watches.iter().filter(|w| w.region == region) {
        match accounts.iter_mut().find(|(a, _)| *a == w.account) {
            Some((_, list)) => list.push(w),
            None => accounts.push((w.account.as_str(), vec![w])),
        }
    }
    accounts
}

impl AwsBackend {
    pub(super) async fn poll_alarms(&self, region: &str) -> Result<Observation, SourceError> {
        let watched = self.alarm_watches();
        let mut alarms = Vec::new();
        for (account, watches) in by_account(&watched.watches, region) {
            let selectors: Vec<AlarmSelector> = watches
                .iter()
                .flat_map(|w| w.selectors.iter().cloned())
                .collect();
            let client = self.pool.cloudwatch(account, region).await?;
            let call = describe_alarms(&client, &selectors);
            let reads = self
                .pacer
                .run(account, region, Service::CloudWatch, call)
                .await?;
            for watch in watches {
                for read in reads
                    .iter()
                    .filter(|r| watch.selectors.iter().any(|s| s.matches(&r.name)))
                {
                    alarms.push(Alarm {
                        name: read.name.clone(),
                        flow: watch.flow.clone(),
                        region: region.to_string(),
                        kind: read.kind,
                        state: read.state,
                        reason: read.reason.clone(),
                        since: read.since,
                    });
                }
            }
        }
        alarms.sort_by(|a, b| (&a.flow, &a.name).cmp(&(&b.flow, &b.name)));
        alarms.dedup_by(|a, b| a.flow == b.flow && a.name == b.name);
        Ok(Observation::Alarms {
            region: region.to_string(),
            alarms,
        })
    }

    pub(super) async fn poll_alarm_history(
        &self,
        region: &str,
        since: Timestamp,
    ) -> Result<Observation, SourceError> {
        let watched = self.alarm_watches();
        let mut transitions = Vec::new();
        for (account, watches) in by_account(&watched.watches, region) {
            let wanted = |name: &str| {
                watches
                    .iter()
                    .any(|w| w.selectors.iter().any(|s| s.matches(name)))
            };
            let client = self.pool.cloudwatch(account, region).await?;
            let call = state_changes(&client, since, wanted);
            let changes = self
                .pacer
                .run(account, region, Service::CloudWatch, call)
                .await?;
            transitions.extend(
                changes
                    .into_iter()
                    .map(|(alarm, at, from, to)| AlarmTransition {
                        alarm,
                        region: region.to_string(),
                        at,
                        from,
                        to,
                    }),
            );
        }
        Ok(Observation::AlarmHistory {
            region: region.to_string(),
            since,
            transitions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_update_names_its_old_and_new_state() {
        let data = r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"x"}}"#;
        assert_eq!(
            states_of(data),
            Some((Some(AlarmState::Ok), AlarmState::Alarm))
        );
        assert_eq!(states_of(r#"{"newState":{"stateValue":"LOUD"}}"#), None);
        assert_eq!(states_of("not json"), None);
    }
}
