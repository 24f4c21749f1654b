//! Global tables: replicas from DescribeTable and every replica's
//! ReplicationLatency from one GetMetricData call in the source region.

use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::types::MetricDataResult;
use aws_sdk_dynamodb::Client;
use aws_smithy_mocks::mock;
use wavetop::config::schema::{AwsConfig, TableConfig};
use wavetop::protocol::{Observation, Observe, PollKey, SourceError};

use super::support::{Fake, dt, http, json_error};

fn cfg() -> AwsConfig {
    AwsConfig {
        tables: vec![TableConfig {
            name: "orders".into(),
            source_region: "us-east-1".into(),
            flow: Some("api".into()),
        }],
        ..AwsConfig::default()
    }
}

#[tokio::test]
async fn replicas_and_their_lag_come_from_two_calls() {
    let describe = mock!(Client::describe_table)
        .match_requests(|r| r.table_name() == Some("orders"))
        .then_http_response(|| {
            http(200, r#"{"Table":{"TableName":"orders","TableStatus":"ACTIVE","ItemCount":12,"TableSizeBytes":2048,
              "TableArn":"arn:aws:dynamodb:us-east-1:111122223333:table/orders","GlobalTableVersion":"2019.11.21",
              "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
              "Replicas":[{"RegionName":"us-west-2","ReplicaStatus":"ACTIVE"},{"RegionName":"eu-west-1","ReplicaStatus":"UPDATING","ReplicaStatusPercentProgress":"40"}]}}"#)
        });
    let metrics = mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_compute_output(|input| {
        let q = input.metric_data_queries();
        let dims: Vec<Vec<(&str, &str)>> = q
            .iter()
            .map(|q| {
                let stat = q.metric_stat().unwrap();
                assert_eq!(stat.period(), Some(60));
                let m = stat.metric().unwrap();
                assert_eq!(
                    (m.namespace(), m.metric_name()),
                    (Some("AWS/DynamoDB"), Some("ReplicationLatency"))
                );
                m.dimensions()
                    .iter()
                    .map(|d| (d.name().unwrap(), d.value().unwrap()))
                    .collect()
            })
            .collect();
        assert_eq!(
            dims,
            [
                vec![("TableName", "orders"), ("ReceivingRegion", "us-west-2")],
                vec![("TableName", "orders"), ("ReceivingRegion", "eu-west-1")],
            ]
        );
        let span = input.end_time().unwrap().secs() - input.start_time().unwrap().secs();
        assert_eq!(span, 3600, "the last hour");
        GetMetricDataOutput::builder()
            .metric_data_results(
                MetricDataResult::builder()
                    .id("r0")
                    .timestamps(dt(1_763_700_060))
                    .timestamps(dt(1_763_700_000))
                    .values(850.0)
                    .values(900.0)
                    .build(),
            )
            .metric_data_results(MetricDataResult::builder().id("r1").build())
            .build()
    });
    let fake = Fake::new(vec![describe.clone(), metrics.clone()]);
    let backend = fake.backend(cfg(), &["us-east-1"]);
    let Observation::Replication(table) = backend
        .poll(PollKey::Replication {
            table: "orders".into(),
        })
        .await
        .unwrap()
    else {
        panic!("expected a table")
    };
    assert_eq!((describe.num_calls(), metrics.num_calls()), (1, 1));
    assert_eq!(table.flow.as_deref(), Some("api"));
    let replicas: Vec<(&str, &str)> = table
        .replicas
        .iter()
        .map(|r| (r.region.as_str(), r.status.as_str()))
        .collect();
    assert_eq!(
        replicas,
        [
            ("us-east-1", "ACTIVE"),
            ("us-west-2", "ACTIVE"),
            ("eu-west-1", "UPDATING")
        ]
    );
    let west = table.series("us-east-1", "us-west-2").unwrap();
    // Oldest first, whatever order CloudWatch answered in.
    assert_eq!(
        west.points.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
        [900.0, 850.0]
    );
    assert_eq!(table.worst_lag_into("us-west-2"), Some(850.0));
    assert!(
        table
            .series("us-east-1", "eu-west-1")
            .unwrap()
            .points
            .is_empty()
    );
}

#[tokio::test]
async fn a_missing_table_and_an_unconfigured_one_are_not_found() {
    let describe = mock!(Client::describe_table).then_http_response(|| {
        json_error(
            "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
            "Requested resource not found: Table: orders not found",
        )
    });
    let fake = Fake::new(vec![describe]);
    let backend = fake.backend(cfg(), &["us-east-1"]);
    let err = backend
        .poll(PollKey::Replication {
            table: "orders".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::NotFound(_)), "{err:?}");
    let err = backend
        .poll(PollKey::Replication {
            table: "carts".into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, SourceError::NotFound(ref m) if m.contains("not configured")),
        "{err:?}"
    );
}
