//! CloudWatch GetMetricData: many series in one call. Route53's
//! `HealthCheckStatus` for every check and DynamoDB's `ReplicationLatency`
//! for every replica of a table are each read with a single call.

use std::collections::HashMap;

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types as sdk;
use jiff::Timestamp;

use super::errors::map_sdk_error;
use super::time::{to_datetime, to_timestamp};
use crate::protocol::SourceError;

/// GetMetricData accepts at most this many queries per call.
pub const MAX_QUERIES_PER_CALL: usize = 500;
/// Pages of one batch read at most.
const MAX_PAGES: usize = 10;

/// One metric series to read.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricQuery {
    /// Must start with a lower-case letter: `q0`, `q1`, ...
    pub id: String,
    pub namespace: &'static str,
    pub metric: &'static str,
    pub dimensions: Vec<(&'static str, String)>,
    pub stat: &'static str,
    pub period_secs: i32,
}

/// Points per query id, oldest first.
pub type Series = HashMap<String, Vec<(Timestamp, f64)>>;

pub async fn get_metric_data(
    client: &Client,
    queries: &[MetricQuery],
    start: Timestamp,
    end: Timestamp,
) -> Result<Series, SourceError> {
    let mut series: Series = HashMap::new();
    for batch in queries.chunks(MAX_QUERIES_PER_CALL) {
        let built: Vec<sdk::MetricDataQuery> = batch.iter().map(build_query).collect();
        let mut token: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let out = client
                .get_metric_data()
                .set_metric_data_queries(Some(built.clone()))
                .start_time(to_datetime(start))
                .end_time(to_datetime(end))
                .scan_by(sdk::ScanBy::TimestampAscending)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| map_sdk_error("cloudwatch:GetMetricData", e))?;
            for result in out.metric_data_results() {
                let Some(id) = result.id() else { continue };
                if matches!(
                    result.status_code(),
                    Some(sdk::StatusCode::InternalError | sdk::StatusCode::Forbidden)
                ) {
                    continue;
                }
                let points = series.entry(id.to_string()).or_default();
                points.extend(
                    result
                        .timestamps()
                        .iter()
                        .map(to_timestamp)
                        .zip(result.values().iter().copied()),
                );
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
    }
    for points in series.values_mut() {
        points.sort_by_key(|(t, _)| *t);
    }
    // CloudWatch answers every query it could read, data or not; an answer
    // holding none of them is unusable, and would otherwise show every
    // series as "no data" without a word.
    if !queries.is_empty() && !queries.iter().any(|q| series.contains_key(&q.id)) {
        return Err(SourceError::Other(format!(
            "cloudwatch:GetMetricData: the answer holds none of the {} series asked for",
            queries.len()
        )));
    }
    Ok(series)
}

fn build_query(q: &MetricQuery) -> sdk::MetricDataQuery {
    let metric = sdk::Metric::builder()
        .namespace(q.namespace)
        .metric_name(q.metric)
        .set_dimensions(Some(
            q.dimensions
                .iter()
                .map(|(name, value)| sdk::Dimension::builder().name(*name).value(value).build())
                .collect(),
        ))
        .build();
    sdk::MetricDataQuery::builder()
        .id(&q.id)
        .metric_stat(
            sdk::MetricStat::builder()
                .metric(metric)
                .period(q.period_secs)
                .stat(q.stat)
                .build(),
        )
        .return_data(true)
        .build()
}
