//! DynamoDB global tables: replicas from DescribeTable and the queries for
//! their `ReplicationLatency`, read in the table's source region.

use aws_sdk_dynamodb::Client;

use super::cloudwatch::MetricQuery;
use super::errors::{map_sdk_error, missing};
use crate::domain::fleet::Replica;
use crate::protocol::SourceError;

/// Replicas of a table, the region it was described in included (DescribeTable
/// lists the other regions' replicas and reports its own as the table status).
pub async fn replicas(
    client: &Client,
    table: &str,
    source_region: &str,
) -> Result<Vec<Replica>, SourceError> {
    const OP: &str = "dynamodb:DescribeTable";
    let out = client
        .describe_table()
        .table_name(table)
        .send()
        .await
        .map_err(|e| map_sdk_error(OP, e))?;
    let description = out.table().ok_or_else(|| missing(OP, "table"))?;
    let mut replicas: Vec<Replica> = description
        .replicas()
        .iter()
        .filter_map(|r| {
            Some(Replica {
                region: r.region_name()?.to_string(),
                status: r
                    .replica_status()
                    .map(|s| s.as_str())
                    .unwrap_or("")
                    .to_string(),
            })
        })
        .collect();
    if !replicas.iter().any(|r| r.region == source_region) {
        let status = description
            .table_status()
            .map(|s| s.as_str())
            .unwrap_or("")
            .to_string();
        replicas.insert(
            0,
            Replica {
                region: source_region.to_string(),
                status,
            },
        );
    }
    Ok(replicas)
}

/// One `ReplicationLatency` query per receiving replica, one-minute averages.
pub fn latency_queries(
    table: &str,
    source_region: &str,
    replicas: &[Replica],
) -> Vec<(String, MetricQuery)> {
    replicas
        .iter()
        .filter(|r| r.region != source_region)
        .enumerate()
        .map(|(i, r)| {
            (
                r.region.clone(),
                MetricQuery {
                    id: format!("r{i}"),
                    namespace: "AWS/DynamoDB",
                    metric: "ReplicationLatency",
                    dimensions: vec![
                        ("TableName", table.to_string()),
                        ("ReceivingRegion", r.region.clone()),
                    ],
                    stat: "Average",
                    period_secs: 60,
                },
            )
        })
        .collect()
}
