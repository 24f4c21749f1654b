//! CloudWatch alarms: DescribeAlarms batched 100 names a call, one call per
//! prefix, composite alarms read beside metric ones, every page followed;
//! DescribeAlarmHistory's state updates since a bake began, paged, with
//! other alarms' changes left out; and their errors.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::operation::describe_alarm_history::{
    DescribeAlarmHistoryError, DescribeAlarmHistoryOutput,
};
use aws_sdk_cloudwatch::operation::describe_alarms::{DescribeAlarmsError, DescribeAlarmsOutput};
use aws_sdk_cloudwatch::types::{
    AlarmHistoryItem, AlarmType, CompositeAlarm, HistoryItemType, MetricAlarm, StateValue,
};
use aws_smithy_mocks::mock;
use aws_smithy_types::error::ErrorMetadata;
use jiff::Timestamp;
use wavetop::config::schema::AwsConfig;
use wavetop::domain::alarms::{AlarmKind, AlarmSelector, AlarmState, AlarmWatch, AlarmWatches};
use wavetop::protocol::{Observation, Observe, PollKey, SourceError};

use super::support::{Fake, dt};

const REGION: &str = "eu-west-1";

fn watching(selectors: Vec<AlarmSelector>) -> AlarmWatches {
    AlarmWatches {
        watches: vec![AlarmWatch {
            flow: "web".into(),
            region: REGION.into(),
            account: "default".into(),
            selectors,
        }],
        bakes: Default::default(),
    }
}

fn metric(name: &str, state: StateValue) -> MetricAlarm {
    MetricAlarm::builder()
        .alarm_name(name)
        .state_value(state)
        .state_reason("Threshold Crossed")
        .state_updated_timestamp(dt(1_800_000_000))
        .build()
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("web-n{i:03}")).collect()
}

#[tokio::test]
async fn names_go_100_a_call_prefixes_one_each_every_page_composites_included() {
    let describe = mock!(Client::describe_alarms).then_compute_output(|input| {
        let types = input.alarm_types();
        assert!(
            types.contains(&AlarmType::MetricAlarm) && types.contains(&AlarmType::CompositeAlarm)
        );
        let asked = input.alarm_names();
        if !asked.is_empty() {
            assert!(asked.len() <= 100, "at most 100 names a call");
            assert_eq!(input.alarm_name_prefix(), None);
            let mut out = DescribeAlarmsOutput::builder();
            for name in asked {
                out = out.metric_alarms(metric(name, StateValue::Ok));
            }
            return out.build();
        }
        assert_eq!(input.alarm_name_prefix(), Some("web-p-"));
        match input.next_token() {
            None => DescribeAlarmsOutput::builder()
                .composite_alarms(
                    CompositeAlarm::builder()
                        .alarm_name("web-p-health")
                        .state_value(StateValue::Alarm)
                        .state_reason("web-p-5xx is in ALARM")
                        .state_updated_timestamp(dt(1_800_000_060))
                        .build(),
                )
                .next_token("page-2")
                .build(),
            Some("page-2") => DescribeAlarmsOutput::builder()
                .metric_alarms(metric("web-p-5xx", StateValue::InsufficientData))
                .build(),
            Some(other) => panic!("unexpected token {other}"),
        }
    });
    let fake = Fake::new(vec![describe.clone()]);
    let mut selectors: Vec<AlarmSelector> =
        names(150).into_iter().map(AlarmSelector::Name).collect();
    selectors.push(AlarmSelector::Prefix("web-p-".into()));
    let backend = fake
        .backend(AwsConfig::default(), &["us-east-1"])
        .with_alarms(watching(selectors));
    let Observation::Alarms { region, alarms } = backend
        .poll(PollKey::Alarms {
            region: REGION.into(),
        })
        .await
        .unwrap()
    else {
        panic!("expected alarms")
    };
    assert_eq!(region, REGION);
    assert_eq!(
        describe.num_calls(),
        4,
        "two batches of names, two pages of the prefix"
    );
    assert_eq!(alarms.len(), 152);
    let by_name = |n: &str| alarms.iter().find(|a| a.name == n).unwrap();
    let composite = by_name("web-p-health");
    assert_eq!(composite.kind, AlarmKind::Composite);
    assert_eq!(composite.state, AlarmState::Alarm);
    assert_eq!(composite.reason, "web-p-5xx is in ALARM");
    assert_eq!(
        composite.since,
        Some(Timestamp::from_second(1_800_000_060).unwrap())
    );
    assert_eq!(by_name("web-p-5xx").state, AlarmState::InsufficientData);
    assert_eq!(by_name("web-n149").kind, AlarmKind::Metric);
    assert!(alarms.iter().all(|a| a.flow == "web" && a.region == REGION));
}

#[tokio::test]
async fn a_denied_describe_alarms_fails_the_poll_naming_the_call() {
    let describe = mock!(Client::describe_alarms).then_error(|| {
        DescribeAlarmsError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("not authorized to perform cloudwatch:DescribeAlarms")
                .build(),
        )
    });
    let fake = Fake::new(vec![describe]);
    let backend = fake
        .backend(AwsConfig::default(), &["us-east-1"])
        .with_alarms(watching(vec![AlarmSelector::Name("web-5xx".into())]));
    let err = backend
        .poll(PollKey::Alarms {
            region: REGION.into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::AccessDenied(_)), "{err:?}");
    assert!(
        err.to_string().contains("cloudwatch:DescribeAlarms"),
        "{err}"
    );
}

fn state_update(name: &str, at: i64, from: &str, to: &str) -> AlarmHistoryItem {
    AlarmHistoryItem::builder()
        .alarm_name(name)
        .alarm_type(AlarmType::MetricAlarm)
        .timestamp(dt(at))
        .history_item_type(HistoryItemType::StateUpdate)
        .history_summary(format!("Alarm updated from {from} to {to}"))
        .history_data(format!(
            r#"{{"version":"1.0","oldState":{{"stateValue":"{from}"}},"newState":{{"stateValue":"{to}"}}}}"#
        ))
        .build()
}

#[tokio::test]
async fn history_since_the_bake_keeps_a_recovered_flap_across_pages() {
    let since = Timestamp::from_second(1_800_000_000).unwrap();
    let history = mock!(Client::describe_alarm_history).then_compute_output(|input| {
        assert_eq!(
            input.history_item_type(),
            Some(&HistoryItemType::StateUpdate)
        );
        assert_eq!(input.start_date(), Some(&dt(1_800_000_000)));
        match input.next_token() {
            None => DescribeAlarmHistoryOutput::builder()
                .alarm_history_items(state_update("web-5xx", 1_800_000_240, "OK", "ALARM"))
                .alarm_history_items(state_update("billing-5xx", 1_800_000_250, "OK", "ALARM"))
                .next_token("more")
                .build(),
            Some(_) => DescribeAlarmHistoryOutput::builder()
                .alarm_history_items(state_update("web-5xx", 1_800_000_300, "ALARM", "OK"))
                .build(),
        }
    });
    let fake = Fake::new(vec![history.clone()]);
    let backend = fake
        .backend(AwsConfig::default(), &["us-east-1"])
        .with_alarms(watching(vec![AlarmSelector::Prefix("web-".into())]));
    let Observation::AlarmHistory {
        region,
        since: read_since,
        transitions,
    } = backend
        .poll(PollKey::AlarmHistory {
            region: REGION.into(),
            since,
        })
        .await
        .unwrap()
    else {
        panic!("expected alarm history")
    };
    assert_eq!((region.as_str(), read_since), (REGION, since));
    assert_eq!(history.num_calls(), 2);
    let seen: Vec<(&str, i64, Option<AlarmState>, AlarmState)> = transitions
        .iter()
        .map(|t| (t.alarm.as_str(), t.at.as_second(), t.from, t.to))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "web-5xx",
                1_800_000_240,
                Some(AlarmState::Ok),
                AlarmState::Alarm
            ),
            (
                "web-5xx",
                1_800_000_300,
                Some(AlarmState::Alarm),
                AlarmState::Ok
            ),
        ],
        "another flow's alarm is left out"
    );
}

#[tokio::test]
async fn throttled_history_fails_the_poll_for_the_scheduler_to_back_off() {
    let history = mock!(Client::describe_alarm_history).then_error(|| {
        DescribeAlarmHistoryError::generic(
            ErrorMetadata::builder()
                .code("Throttling")
                .message("Rate exceeded")
                .build(),
        )
    });
    let fake = Fake::new(vec![history]);
    let backend = fake
        .backend(AwsConfig::default(), &["us-east-1"])
        .with_alarms(watching(vec![AlarmSelector::Prefix("web-".into())]));
    let err = backend
        .poll(PollKey::AlarmHistory {
            region: REGION.into(),
            since: Timestamp::from_second(1_800_000_000).unwrap(),
        })
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::Throttled(_)), "{err:?}");
}
