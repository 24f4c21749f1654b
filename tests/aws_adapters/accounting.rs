//! What one idle minute costs in API calls, counted on the mocks: wavetop's
//! adapters against a naive loop over every resource, for 10 pipelines
//! deploying to 8 regions, 40 health checks and 3 global tables.
//!
//! Cadences while idle: each flow every 30 s, each region's stacks every
//! 60 s, health every 60 s, each table's replication every 60 s.

use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::types::{ResourceStatus, Stack, StackEvent, StackStatus};
use aws_sdk_cloudwatch::operation::get_metric_statistics::GetMetricStatisticsOutput;
use aws_sdk_route53::operation::get_health_check_status::GetHealthCheckStatusOutput;
use aws_smithy_mocks::{Rule, mock};
use wavetop::config::schema::AwsConfig;
use wavetop::protocol::{Observe, PollKey};
use wavetop::source::aws::ServiceConfigs;

use super::fleet_answers;
use super::support::{Fake, caller_identity, dt, http};

const PIPELINES: usize = 10;
const REGIONS: [&str; 8] = [
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
    "ca-central-1",
];
const CHECKS: usize = 40;
const TABLES: usize = 3;
/// Pages of events a stack's full history spans (100 events a page).
const HISTORY_PAGES: usize = 3;

fn pipeline_json(i: usize) -> String {
    let actions: Vec<String> = REGIONS
        .iter()
        .map(|r| {
            format!(
                r#"{{"name":"Deploy-{r}","actionTypeId":{{"category":"Deploy","owner":"AWS","provider":"CloudFormation","version":"1"}},"runOrder":1,
                   "configuration":{{"StackName":"svc{i}-{r}","ActionMode":"CREATE_UPDATE"}},"region":"{r}"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"pipeline":{{"name":"svc{i}","roleArn":"arn:aws:iam::111122223333:role/r","stages":[
          {{"name":"Source","actions":[{{"name":"Src","actionTypeId":{{"category":"Source","owner":"AWS","provider":"S3","version":"1"}},"configuration":{{"S3Bucket":"b","S3ObjectKey":"k"}}}}]}},
          {{"name":"Deploy","actions":[{}]}}],"version":1,"pipelineType":"V2","executionMode":"SUPERSEDED"}}}}"#,
        actions.join(",")
    )
}

fn state_json(name: &str) -> String {
    format!(
        r#"{{"pipelineName":"{name}","pipelineVersion":1,"stageStates":[
          {{"stageName":"Source","actionStates":[{{"actionName":"Src","latestExecution":{{"status":"Succeeded","lastStatusChange":1763700000}}}}],
            "latestExecution":{{"pipelineExecutionId":"e1","status":"Succeeded"}}}},
          {{"stageName":"Deploy","inboundTransitionState":{{"enabled":true}},"actionStates":[],"latestExecution":{{"pipelineExecutionId":"e1","status":"Succeeded"}}}}]}}"#
    )
}

fn rules() -> Vec<Rule> {
    vec![
        fleet_answers::list_pipelines((0..PIPELINES).map(|i| format!("svc{i}"))),
        mock!(aws_sdk_codepipeline::Client::get_pipeline).then_compute_response(|r| {
            let i: usize = r.name().unwrap()[3..].parse().unwrap();
            aws_smithy_mocks::MockResponse::Http(http(200, &pipeline_json(i)))
        }),
        mock!(aws_sdk_codepipeline::Client::get_pipeline_state).then_compute_response(|r| {
            aws_smithy_mocks::MockResponse::Http(http(200, &state_json(r.name().unwrap())))
        }),
        mock!(aws_sdk_codepipeline::Client::list_pipeline_executions)
            .then_http_response(|| http(200, r#"{"pipelineExecutionSummaries":[]}"#)),
        mock!(aws_sdk_cloudformation::Client::describe_stacks).then_output(|| {
            let stacks = (0..PIPELINES).flat_map(|i| {
                REGIONS.iter().map(move |r| {
                    Stack::builder()
                        .stack_name(format!("svc{i}-{r}"))
                        .creation_time(dt(1_763_000_000))
                        .stack_status(StackStatus::UpdateComplete)
                        .build()
                })
            });
            DescribeStacksOutput::builder()
                .set_stacks(Some(stacks.collect()))
                .build()
        }),
        mock!(aws_sdk_cloudformation::Client::describe_stack_events).then_compute_output(|r| {
            let page: usize = r.next_token().map(|t| t.parse().unwrap()).unwrap_or(0);
            let name = r.stack_name().unwrap();
            let events = (0..100).map(|n| {
                StackEvent::builder()
                    .event_id(format!("{name}-{page}-{n}"))
                    .logical_resource_id("R")
                    .resource_type("AWS::S3::Bucket")
                    .resource_status(ResourceStatus::UpdateComplete)
                    .timestamp(dt(1_763_000_000 - (page * 100 + n) as i64))
                    .build()
            });
            DescribeStackEventsOutput::builder()
                .set_stack_events(Some(events.collect()))
                .set_next_token((page + 1 < HISTORY_PAGES).then(|| (page + 1).to_string()))
                .build()
        }),
        fleet_answers::list_health_checks(CHECKS, &REGIONS),
        mock!(aws_sdk_route53::Client::get_health_check_status).then_output(|| {
            GetHealthCheckStatusOutput::builder()
                .set_health_check_observations(Some(Vec::new()))
                .build()
                .unwrap()
        }),
        fleet_answers::get_metric_data(1_763_700_000),
        mock!(aws_sdk_cloudwatch::Client::get_metric_statistics)
            .then_output(|| GetMetricStatisticsOutput::builder().build()),
        fleet_answers::describe_table(&REGIONS[1..]),
        caller_identity(),
    ]
}

fn cfg() -> AwsConfig {
    fleet_answers::tables(TABLES, REGIONS[0])
}

/// The keys one idle minute polls, with the cadences above.
fn one_minute() -> Vec<PollKey> {
    let mut keys = Vec::new();
    for _half_minute in 0..2 {
        keys.extend((0..PIPELINES).map(|i| PollKey::Flow {
            flow: format!("svc{i}"),
        }));
    }
    keys.extend(REGIONS.iter().map(|r| PollKey::Stacks {
        region: r.to_string(),
    }));
    keys.push(PollKey::Health);
    keys.extend((0..TABLES).map(|i| PollKey::Replication {
        table: format!("table{i}"),
    }));
    keys
}

/// The same minute read one resource at a time: every pipeline's state,
/// every stack's whole event history, every check's per-checker status, and
/// every replica pair's latency statistics.
async fn naive_minute(configs: &ServiceConfigs) {
    let cp = aws_sdk_codepipeline::Client::from_conf(configs.codepipeline.clone());
    let cfn = aws_sdk_cloudformation::Client::from_conf(configs.cloudformation.clone());
    let r53 = aws_sdk_route53::Client::from_conf(configs.route53.clone());
    let cw = aws_sdk_cloudwatch::Client::from_conf(configs.cloudwatch.clone());
    for _half_minute in 0..2 {
        for i in 0..PIPELINES {
            cp.get_pipeline_state()
                .name(format!("svc{i}"))
                .send()
                .await
                .unwrap();
        }
    }
    for i in 0..PIPELINES {
        for r in REGIONS {
            let mut token = None;
            loop {
                let out = cfn
                    .describe_stack_events()
                    .stack_name(format!("svc{i}-{r}"))
                    .set_next_token(token)
                    .send()
                    .await
                    .unwrap();
                token = out.next_token().map(str::to_string);
                if token.is_none() {
                    break;
                }
            }
        }
    }
    for i in 0..CHECKS {
        r53.get_health_check_status()
            .health_check_id(format!("hc-{i}"))
            .send()
            .await
            .unwrap();
    }
    for t in 0..TABLES {
        for receiving in &REGIONS[1..] {
            cw.get_metric_statistics()
                .namespace("AWS/DynamoDB")
                .metric_name("ReplicationLatency")
                .dimensions(
                    aws_sdk_cloudwatch::types::Dimension::builder()
                        .name("TableName")
                        .value(format!("table{t}"))
                        .build(),
                )
                .dimensions(
                    aws_sdk_cloudwatch::types::Dimension::builder()
                        .name("ReceivingRegion")
                        .value(*receiving)
                        .build(),
                )
                .period(60)
                .send()
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn an_idle_minute_costs_a_small_fraction_of_a_naive_loop() {
    let fake = Fake::new(rules());
    let backend = fake.backend(cfg(), &[REGIONS[0]]);
    assert_eq!(
        backend.client_count(),
        0,
        "clients are made when first needed"
    );
    let d = backend.discover().await.unwrap();
    assert_eq!(d.flows.len(), PIPELINES);
    assert_eq!(d.stacks.len(), PIPELINES * REGIONS.len());

    // Warm up: the first polls read structure, executions and one page of events.
    for key in one_minute() {
        backend.poll(key).await.unwrap();
    }
    let before = fake.calls();
    for key in one_minute() {
        backend.poll(key).await.unwrap();
    }
    let wavetop = fake.calls() - before;
    // One per (account, region, service) in use: CodePipeline, STS, Route53,
    // CloudWatch and DynamoDB in us-east-1, CloudFormation in each region.
    assert_eq!(backend.client_count(), 5 + REGIONS.len());

    let naive_fake = Fake::new(rules());
    naive_minute(&naive_fake.configs()).await;
    let naive = naive_fake.calls();

    println!(
        "API calls in one idle minute ({PIPELINES} pipelines x {} regions, {CHECKS} health checks, {TABLES} tables): wavetop {wavetop}, naive per-resource loop {naive}",
        REGIONS.len()
    );
    // 20 GetPipelineState + 8 DescribeStacks + ListHealthChecks + GetMetricData + 3 x (DescribeTable + GetMetricData).
    assert_eq!(wavetop, 2 * PIPELINES + REGIONS.len() + 2 + 2 * TABLES);
    // 20 GetPipelineState + 80 stacks x 3 pages + 40 GetHealthCheckStatus + 3 x 7 GetMetricStatistics.
    assert_eq!(
        naive,
        2 * PIPELINES
            + PIPELINES * REGIONS.len() * HISTORY_PAGES
            + CHECKS
            + TABLES * (REGIONS.len() - 1)
    );
}
