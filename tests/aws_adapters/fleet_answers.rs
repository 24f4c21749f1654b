//! The answers a counted fleet gives, shared by the API-call accounting
//! tests: the pipeline list, the health checks, the global table and its
//! latency, and the tables to watch.

use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::types::MetricDataResult;
use aws_smithy_mocks::{Rule, mock};
use wavetop::config::schema::{AwsConfig, TableConfig};

use super::support::{dt, http};

/// ListPipelines naming each of `names`, at version 1.
pub fn list_pipelines(names: impl Iterator<Item = String>) -> Rule {
    let entries: Vec<String> = names
        .map(|name| format!(r#"{{"name":"{name}","version":1}}"#))
        .collect();
    let body = format!(r#"{{"pipelines":[{}]}}"#, entries.join(","));
    mock!(aws_sdk_codepipeline::Client::list_pipelines).then_http_response(move || http(200, &body))
}

/// ListHealthChecks of `count` HTTPS checks, spread over `regions` in turn.
pub fn list_health_checks(count: usize, regions: &[&str]) -> Rule {
    let checks: String = (0..count)
        .zip(regions.iter().cycle())
        .map(|(i, region)| {
            format!(
                "<HealthCheck><Id>hc-{i}</Id><CallerReference>c{i}</CallerReference><HealthCheckConfig><Port>443</Port><Type>HTTPS</Type>\
                 <ResourcePath>/health</ResourcePath><FullyQualifiedDomainName>svc.{region}.example.com</FullyQualifiedDomainName>\
                 <Inverted>false</Inverted><Disabled>false</Disabled></HealthCheckConfig><HealthCheckVersion>1</HealthCheckVersion></HealthCheck>"
            )
        })
        .collect();
    let body = format!(
        "<ListHealthChecksResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HealthChecks>{checks}</HealthChecks>\
         <Marker></Marker><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHealthChecksResponse>"
    );
    mock!(aws_sdk_route53::Client::list_health_checks).then_http_response(move || http(200, &body))
}

/// DescribeTable of an active table replicated to `replicas`.
pub fn describe_table(replicas: &[&str]) -> Rule {
    let replicas: Vec<String> = replicas
        .iter()
        .map(|r| format!(r#"{{"RegionName":"{r}","ReplicaStatus":"ACTIVE"}}"#))
        .collect();
    let body = format!(
        r#"{{"Table":{{"TableName":"t","TableStatus":"ACTIVE","Replicas":[{}]}}}}"#,
        replicas.join(",")
    );
    mock!(aws_sdk_dynamodb::Client::describe_table).then_http_response(move || http(200, &body))
}

/// GetMetricData answering every query with one point, 1.0 at `at_secs`.
pub fn get_metric_data(at_secs: i64) -> Rule {
    mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_compute_output(move |r| {
        let results = r.metric_data_queries().iter().map(|q| {
            MetricDataResult::builder()
                .id(q.id().unwrap())
                .timestamps(dt(at_secs))
                .values(1.0)
                .build()
        });
        GetMetricDataOutput::builder()
            .set_metric_data_results(Some(results.collect()))
            .build()
    })
}

/// `count` global tables, `table0` .., whose latency is read in `source_region`.
pub fn tables(count: usize, source_region: &str) -> AwsConfig {
    AwsConfig {
        tables: (0..count)
            .map(|i| TableConfig {
                name: format!("table{i}"),
                source_region: source_region.to_string(),
                flow: None,
            })
            .collect(),
        ..AwsConfig::default()
    }
}
