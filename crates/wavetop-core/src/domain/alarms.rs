//! CloudWatch alarms tied to a flow and a region: which alarms to read
//! ([`AlarmWatches`]), what they said ([`Alarm`], [`AlarmTransition`]) and a
//! region's worst state. Pure data: the AWS adapter and the simulator fill
//! it, the bake clock and the promotion verdict read it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::bake::BakeTimes;

/// An alarm's state as CloudWatch names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlarmState {
    /// Worst first, so that `min` over a region is its worst alarm.
    Alarm,
    InsufficientData,
    Ok,
}

impl AlarmState {
    /// CloudWatch's own spelling (`ALARM`, `OK`, `INSUFFICIENT_DATA`); any
    /// other word is no state wavetop knows.
    pub fn parse(word: &str) -> Option<AlarmState> {
        match word {
            "ALARM" => Some(AlarmState::Alarm),
            "OK" => Some(AlarmState::Ok),
            "INSUFFICIENT_DATA" => Some(AlarmState::InsufficientData),
            _ => None,
        }
    }

    /// The word shown beside the glyph, so no state is told by colour alone.
    pub fn word(self) -> &'static str {
        match self {
            AlarmState::Alarm => "ALARM",
            AlarmState::InsufficientData => "NO DATA",
            AlarmState::Ok => "OK",
        }
    }
}

/// A metric alarm, or a composite alarm built on others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlarmKind {
    Metric,
    Composite,
}

/// One alarm as it was last read, attributed to the flow and region it
/// watches (an alarm two flows watch is listed once for each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub flow: String,
    pub region: String,
    pub kind: AlarmKind,
    pub state: AlarmState,
    /// CloudWatch's `StateReason`.
    pub reason: String,
    /// When it entered its state (`StateUpdatedTimestamp`).
    pub since: Option<Timestamp>,
}

/// One state change from the alarm's history (`StateUpdate` items).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmTransition {
    pub alarm: String,
    pub region: String,
    pub at: Timestamp,
    pub from: Option<AlarmState>,
    pub to: AlarmState,
}

/// How the alarms of one (flow, region) are chosen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum AlarmSelector {
    /// An alarm by its exact name.
    Name(String),
    /// Every alarm whose name starts with this.
    Prefix(String),
}

impl AlarmSelector {
    pub fn matches(&self, alarm: &str) -> bool {
        match self {
            AlarmSelector::Name(name) => alarm == name,
            AlarmSelector::Prefix(prefix) => alarm.starts_with(prefix.as_str()),
        }
    }
}

/// The alarms of one flow in one region, read with one account's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmWatch {
    pub flow: String,
    pub region: String,
    pub account: String,
    pub selectors: Vec<AlarmSelector>,
}

/// Every alarm watch of the fleet, and the bake times the alarms are judged over.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlarmWatches {
    pub watches: Vec<AlarmWatch>,
    #[serde(default)]
    pub bakes: BakeTimes,
}

impl AlarmWatches {
    /// Adds alarm names found elsewhere than the config (the
    /// `CloudWatchAlarm` rules of a V2 pipeline's stage conditions) to the
    /// watch of (flow, region), made when there is none; names already
    /// watched are not added twice.
    pub fn add_names(&mut self, flow: &str, region: &str, account: &str, names: &[String]) {
        let index = match self
            .watches
            .iter()
            .position(|w| w.flow == flow && w.region == region && w.account == account)
        {
            Some(i) => i,
            None => {
                self.watches.push(AlarmWatch {
                    flow: flow.to_string(),
                    region: region.to_string(),
                    account: account.to_string(),
                    selectors: Vec::new(),
                });
                self.watches.len() - 1
            }
        };
        let Some(watch) = self.watches.get_mut(index) else {
            return;
        };
        for name in names {
            let selector = AlarmSelector::Name(name.clone());
            if !watch.selectors.contains(&selector) {
                watch.selectors.push(selector);
            }
        }
    }

    /// The regions that have alarms to read, sorted, each once.
    pub fn regions(&self) -> Vec<String> {
        let mut regions: Vec<String> = self.watches.iter().map(|w| w.region.clone()).collect();
        regions.sort();
        regions.dedup();
        regions
    }

    /// The flows an alarm of `region` belongs to.
    pub fn flows_of(&self, region: &str, alarm: &str) -> Vec<&str> {
        let mut flows: Vec<&str> = self
            .watches
            .iter()
            .filter(|w| w.region == region && w.selectors.iter().any(|s| s.matches(alarm)))
            .map(|w| w.flow.as_str())
            .collect();
        flows.dedup();
        flows
    }
}

/// What the fleet's alarms said: the watches and bake times from discovery,
/// each region's alarms and their history from the polls.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FleetAlarms {
    pub watched: AlarmWatches,
    pub alarms: Vec<Alarm>,
    /// State changes read for the regions inside a bake, oldest first.
    pub history: Vec<AlarmTransition>,
}

impl FleetAlarms {
    /// The alarms of one flow in one region.
    pub fn of<'a>(&'a self, flow: &'a str, region: &'a str) -> impl Iterator<Item = &'a Alarm> {
        self.alarms
            .iter()
            .filter(move |a| a.flow == flow && a.region == region)
    }

    /// The worst state of a (flow, region)'s alarms; None when it has none.
    pub fn worst(&self, flow: &str, region: &str) -> Option<AlarmState> {
        self.of(flow, region).map(|a| a.state).min()
    }

    /// Replaces one region's alarms; says whether anything shown changed.
    pub fn replace_region(&mut self, region: &str, alarms: Vec<Alarm>) -> bool {
        let old: Vec<&Alarm> = self.alarms.iter().filter(|a| a.region == region).collect();
        let changed = old.len() != alarms.len() || old.iter().zip(&alarms).any(|(a, b)| *a != b);
        if changed {
            self.alarms.retain(|a| a.region != region);
            self.alarms.extend(alarms);
        }
        changed
    }

    /// Replaces one region's history from `since` on, keeping what is older;
    /// says whether anything shown changed.
    pub fn replace_history(
        &mut self,
        region: &str,
        since: Timestamp,
        mut transitions: Vec<AlarmTransition>,
    ) -> bool {
        transitions.sort_by(|a, b| (a.at, &a.alarm).cmp(&(b.at, &b.alarm)));
        let old: Vec<&AlarmTransition> = self
            .history
            .iter()
            .filter(|t| t.region == region && t.at >= since)
            .collect();
        let changed =
            old.len() != transitions.len() || old.iter().zip(&transitions).any(|(a, b)| *a != b);
        if changed {
            self.history
                .retain(|t| !(t.region == region && t.at >= since));
            self.history.extend(transitions);
            self.history
                .sort_by(|a, b| (a.at, &a.alarm).cmp(&(b.at, &b.alarm)));
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alarm(name: &str, region: &str, state: AlarmState) -> Alarm {
        Alarm {
            name: name.into(),
            flow: "checkout".into(),
            region: region.into(),
            kind: AlarmKind::Metric,
            state,
            reason: String::new(),
            since: None,
        }
    }

    #[test]
    fn a_region_is_as_bad_as_its_worst_alarm() {
        let mut fleet = FleetAlarms::default();
        fleet.replace_region(
            "eu-west-1",
            vec![
                alarm("a", "eu-west-1", AlarmState::Ok),
                alarm("b", "eu-west-1", AlarmState::InsufficientData),
            ],
        );
        assert_eq!(
            fleet.worst("checkout", "eu-west-1"),
            Some(AlarmState::InsufficientData)
        );
        fleet.replace_region(
            "us-east-1",
            vec![alarm("c", "us-east-1", AlarmState::Alarm)],
        );
        assert_eq!(
            fleet.worst("checkout", "eu-west-1"),
            Some(AlarmState::InsufficientData)
        );
        assert_eq!(
            fleet.worst("checkout", "us-east-1"),
            Some(AlarmState::Alarm)
        );
        assert_eq!(fleet.worst("checkout", "ap-south-1"), None);
        assert_eq!(fleet.worst("search", "us-east-1"), None);
    }

    #[test]
    fn the_same_answer_twice_changes_nothing() {
        let mut fleet = FleetAlarms::default();
        let answer = vec![alarm("a", "eu-west-1", AlarmState::Ok)];
        assert!(fleet.replace_region("eu-west-1", answer.clone()));
        assert!(!fleet.replace_region("eu-west-1", answer));
        assert!(fleet.replace_region(
            "eu-west-1",
            vec![alarm("a", "eu-west-1", AlarmState::Alarm)]
        ));
    }

    #[test]
    fn rule_alarm_names_join_the_configured_watch_once() {
        let mut watched = AlarmWatches {
            watches: vec![AlarmWatch {
                flow: "checkout".into(),
                region: "eu-west-1".into(),
                account: "default".into(),
                selectors: vec![AlarmSelector::Prefix("checkout-".into())],
            }],
            bakes: BakeTimes::default(),
        };
        let names = vec!["rule-5xx".to_string()];
        watched.add_names("checkout", "eu-west-1", "default", &names);
        watched.add_names("checkout", "eu-west-1", "default", &names);
        watched.add_names("checkout", "us-east-1", "default", &names);
        assert_eq!(watched.watches.len(), 2);
        assert_eq!(watched.watches[0].selectors.len(), 2);
        assert_eq!(watched.flows_of("eu-west-1", "rule-5xx"), vec!["checkout"]);
        assert_eq!(
            watched.flows_of("eu-west-1", "checkout-p99"),
            vec!["checkout"]
        );
        assert!(watched.flows_of("eu-west-1", "search-p99").is_empty());
        assert_eq!(watched.regions(), vec!["eu-west-1", "us-east-1"]);
    }
}
