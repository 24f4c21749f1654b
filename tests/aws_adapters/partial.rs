//! Every partial failure is told: hosted zones given by id whatever their
//! first letter, a zone that cannot be read named in the snapshot's errors,
//! a pipeline that vanishes, configured things that do not exist, unusable
//! metric answers, and regions that fail or hang while the others are read.

use std::time::{Duration, Instant};

use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::types::{Stack, StackStatus};
use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::types::MetricDataResult;
use aws_sdk_codepipeline::Client as Pipelines;
use aws_sdk_route53::Client as Route53;
use aws_smithy_mocks::{Rule, create_mock_http_client, mock};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use wavetop::config::schema::{AwsConfig, HostedZone, StackConfig};
use wavetop::protocol::{Observe, ReadError};
use wavetop::source::aws::{AwsBackend, AwsOptions};
use wavetop::source::snapshot::{Completeness, Snapshot, full_snapshot};

use super::fixtures;
use super::support::{Fake, caller_identity, dt, http, json_error, xml_error};

/// (source, call, region) of each error, for exact comparison.
fn told(snapshot: &Snapshot) -> Vec<(&str, Option<&str>, Option<&str>)> {
    snapshot
        .errors
        .iter()
        .map(|e| (e.source.as_str(), e.call.as_deref(), e.region.as_deref()))
        .collect()
}

fn error_of<'s>(snapshot: &'s Snapshot, source: &str) -> &'s ReadError {
    snapshot
        .errors
        .iter()
        .find(|e| e.source == source)
        .unwrap_or_else(|| panic!("no error for {source}: {:?}", snapshot.errors))
}

async fn snapshot_of(backend: &AwsBackend, timeout: Duration) -> Snapshot {
    full_snapshot(backend, jiff::Timestamp::now(), Some(timeout)).await
}

fn no_pipelines() -> Rule {
    mock!(Pipelines::list_pipelines).then_http_response(|| http(200, r#"{"pipelines":[]}"#))
}

fn no_health_checks() -> Rule {
    mock!(Route53::list_health_checks).then_http_response(|| {
        http(
            200,
            "<ListHealthChecksResponse><HealthChecks></HealthChecks><Marker></Marker>\
             <IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHealthChecksResponse>",
        )
    })
}

/// One page of a zone holding one latency record named after the zone.
fn one_record_zone(zone_id: &'static str, name: &'static str) -> Rule {
    mock!(Route53::list_resource_record_sets)
        .match_requests(move |r| r.hosted_zone_id() == Some(zone_id))
        .then_http_response(move || {
            http(
                200,
                &format!(
                    "<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet>\
                     <Name>{name}</Name><Type>A</Type><SetIdentifier>{name}-use1</SetIdentifier>\
                     <Region>us-east-1</Region><TTL>60</TTL><ResourceRecords><ResourceRecord>\
                     <Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>\
                     </ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>300</MaxItems>\
                     </ListResourceRecordSetsResponse>"
                ),
            )
        })
}

fn zone_named(dns_name: &'static str, id: &'static str) -> Rule {
    mock!(Route53::list_hosted_zones_by_name)
        .match_requests(move |r| r.dns_name() == Some(dns_name))
        .then_http_response(move || {
            http(
                200,
                &format!(
                    "<ListHostedZonesByNameResponse><HostedZones><HostedZone><Id>/hostedzone/{id}</Id>\
                     <Name>{dns_name}</Name><CallerReference>c</CallerReference></HostedZone></HostedZones>\
                     <DNSName>{dns_name}</DNSName><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems>\
                     </ListHostedZonesByNameResponse>"
                ),
            )
        })
}

#[tokio::test]
async fn zone_ids_are_used_as_ids_whatever_their_first_letter_and_names_are_looked_up() {
    // The id form `aws route53 create-hosted-zone` prints, the bare id, a
    // dotted name and a name written as such; and a zone that is gone.
    let slash = one_record_zone("D02I8FIJBFFD89L22D4Q6W", "slash.example.");
    let bare = one_record_zone("Q1EXAMPLE", "bare.example.");
    let dotted = one_record_zone("Z0DOTTED", "dotted.example.com.");
    let internal = one_record_zone("Z0INTERNAL", "svc.internal.");
    let gone = mock!(Route53::list_resource_record_sets)
        .match_requests(|r| r.hosted_zone_id() == Some("GONE0"))
        .then_http_response(|| {
            xml_error(
                404,
                "NoSuchHostedZone",
                "No hosted zone found with ID: GONE0",
            )
        });
    let by_name_dotted = zone_named("dotted.example.com.", "Z0DOTTED");
    let by_name_internal = zone_named("internal.", "Z0INTERNAL");
    let fake = Fake::new(vec![
        slash.clone(),
        bare.clone(),
        dotted.clone(),
        internal.clone(),
        gone.clone(),
        by_name_dotted.clone(),
        by_name_internal.clone(),
        no_pipelines(),
        no_health_checks(),
        caller_identity(),
    ]);
    let cfg = AwsConfig {
        hosted_zones: vec![
            "/hostedzone/D02I8FIJBFFD89L22D4Q6W".into(),
            "Q1EXAMPLE".into(),
            "dotted.example.com".into(),
            HostedZone::Name("internal".into()),
            "/hostedzone/GONE0".into(),
        ],
        ..AwsConfig::default()
    };
    let backend = fake.backend(cfg, &["us-east-1"]);
    let snapshot = snapshot_of(&backend, Duration::from_secs(5)).await;

    // Ids go straight to ListResourceRecordSets, without /hostedzone/.
    assert_eq!(slash.num_calls(), 1);
    assert_eq!(bare.num_calls(), 1);
    assert_eq!(gone.num_calls(), 1);
    // Names are looked up first.
    assert_eq!(by_name_dotted.num_calls(), 1);
    assert_eq!(by_name_internal.num_calls(), 1);
    assert_eq!(dotted.num_calls(), 1);
    assert_eq!(internal.num_calls(), 1);
    let names: Vec<&str> = snapshot
        .fleet
        .health
        .record_sets
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "slash.example.",
            "bare.example.",
            "dotted.example.com.",
            "svc.internal."
        ]
    );

    // The zone that is gone is one error naming it, as configured.
    assert_eq!(
        told(&snapshot),
        [(
            "hosted zone /hostedzone/GONE0",
            Some("route53:ListResourceRecordSets"),
            Some("us-east-1")
        )]
    );
    assert_eq!(
        snapshot.errors[0].message,
        "not found: route53:ListResourceRecordSets: NoSuchHostedZone: No hosted zone found with ID: GONE0"
    );
    assert_eq!(snapshot.completeness(), Completeness::Partial);
}

#[tokio::test]
async fn a_pipeline_gone_between_listing_and_state_is_one_error_and_the_other_is_whole() {
    let [state, executions, action_runs] = state_and_executions_of_api();
    let fake = Fake::new(vec![
        mock!(Pipelines::list_pipelines)
            .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api"},{"name":"web"}]}"#)),
        structure_of("api"),
        structure_of("web"),
        state,
        mock!(Pipelines::get_pipeline_state)
            .match_requests(|r| r.name() == Some("web"))
            .then_http_response(|| no_pipeline_named("web")),
        executions,
        action_runs,
        no_stacks_anywhere(),
        no_stack_events(),
        no_health_checks(),
        caller_identity(),
    ]);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let snapshot = snapshot_of(&backend, Duration::from_secs(5)).await;

    assert_eq!(
        told(&snapshot),
        [(
            "pipeline web",
            Some("codepipeline:GetPipelineState"),
            Some("us-east-1")
        )]
    );
    assert!(
        snapshot.errors[0]
            .message
            .contains("does not have a pipeline with name 'web'"),
        "{}",
        snapshot.errors[0].message
    );
    assert_eq!(snapshot.unanswered, ["pipeline web"]);
    assert_eq!(snapshot.completeness(), Completeness::Partial);
    // api is whole: its waves with their state, and its executions.
    let flows: Vec<&str> = snapshot
        .fleet
        .flows
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(flows, ["api"]);
    let api = &snapshot.fleet.flows[0];
    assert_eq!(
        api.wave("SouthAmerica").unwrap().execution_id.as_deref(),
        Some("exec-2")
    );
    assert!(!api.executions.is_empty());
    // The stacks of both pipelines were read.
    assert!(
        snapshot
            .fleet
            .stacks
            .iter()
            .any(|s| s.region == "sa-east-1")
    );

    // The JSON names the same error, field for field.
    let doc = wavetop::snapshot_text::json(&snapshot, jiff::Timestamp::UNIX_EPOCH, "AWS");
    assert_eq!(doc["version"], 2);
    assert_eq!(
        doc["errors"],
        serde_json::json!([{
            "source": "pipeline web",
            "call": "codepipeline:GetPipelineState",
            "region": "us-east-1",
            "message": snapshot.errors[0].message,
        }])
    );
}

/// GetPipeline of the fixture pipeline under `name`.
fn structure_of(name: &'static str) -> Rule {
    mock!(Pipelines::get_pipeline)
        .match_requests(move |r| r.name() == Some(name))
        .then_http_response(move || http(200, &fixtures::get_pipeline(name, 3)))
}

/// GetPipelineState, ListPipelineExecutions and ListActionExecutions (for
/// the runs the times cannot place) of `api`.
fn state_and_executions_of_api() -> [Rule; 3] {
    [
        mock!(Pipelines::get_pipeline_state)
            .match_requests(|r| r.name() == Some("api"))
            .then_http_response(|| http(200, &fixtures::get_pipeline_state("api", 3, "tok"))),
        mock!(Pipelines::list_pipeline_executions)
            .then_http_response(|| http(200, &fixtures::list_pipeline_executions())),
        mock!(Pipelines::list_action_executions)
            .then_http_response(|| http(200, &fixtures::list_action_executions_exec1())),
    ]
}

fn no_pipeline_named(name: &str) -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    json_error(
        "PipelineNotFoundException",
        &format!("Account '111122223333' does not have a pipeline with name '{name}'"),
    )
}

fn no_stacks_anywhere() -> Rule {
    mock!(aws_sdk_cloudformation::Client::describe_stacks)
        .then_output(|| DescribeStacksOutput::builder().build())
}

fn no_stack_events() -> Rule {
    mock!(aws_sdk_cloudformation::Client::describe_stack_events)
        .then_output(|| DescribeStackEventsOutput::builder().build())
}

fn stack_config(flow: &str, region: &str, name: &str) -> StackConfig {
    StackConfig {
        flow: flow.into(),
        region: region.into(),
        name: name.into(),
    }
}

#[tokio::test]
async fn configured_things_that_do_not_exist_and_unusable_metrics_are_errors() {
    let [state, executions, action_runs] = state_and_executions_of_api();
    let fake = Fake::new(vec![
        structure_of("api"),
        mock!(Pipelines::get_pipeline)
            .match_requests(|r| r.name() == Some("nope"))
            .then_http_response(|| no_pipeline_named("nope")),
        state,
        executions,
        action_runs,
        mock!(aws_sdk_cloudformation::Client::describe_stacks)
            .match_requests(|r| r.stack_name() == Some("ghost"))
            .then_http_response(|| {
                xml_error(400, "ValidationError", "Stack with id ghost does not exist")
            }),
        no_stacks_anywhere(),
        no_stack_events(),
        mock!(Route53::list_health_checks).then_http_response(|| {
            http(
                200,
                "<ListHealthChecksResponse><HealthChecks><HealthCheck><Id>hc-1</Id><CallerReference>r</CallerReference>\
                 <HealthCheckConfig><Type>HTTPS</Type><FullyQualifiedDomainName>api.us-east-1.example.com</FullyQualifiedDomainName>\
                 </HealthCheckConfig><HealthCheckVersion>1</HealthCheckVersion></HealthCheck></HealthChecks><Marker></Marker>\
                 <IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHealthChecksResponse>",
            )
        }),
        // An answer about series nobody asked for: the check's status cannot be read from it.
        mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("garbage")
                        .timestamps(dt(1_763_700_000))
                        .values(1.0)
                        .build(),
                )
                .build()
        }),
        caller_identity(),
    ]);
    let cfg = AwsConfig {
        pipelines: vec!["api".into(), "nope".into()],
        stacks: vec![stack_config("ghost-flow", "us-east-1", "ghost")],
        ..AwsConfig::default()
    };
    let backend = fake.backend(cfg, &["us-east-1"]);
    let snapshot = snapshot_of(&backend, Duration::from_secs(5)).await;

    assert_eq!(
        told(&snapshot),
        [
            (
                "pipeline nope",
                Some("codepipeline:GetPipeline"),
                Some("us-east-1")
            ),
            (
                "stacks us-east-1",
                Some("cloudformation:DescribeStacks"),
                Some("us-east-1")
            ),
            (
                "health",
                Some("cloudwatch:GetMetricData"),
                Some("us-east-1")
            ),
        ]
    );
    assert_eq!(
        error_of(&snapshot, "pipeline nope").message,
        "not found: codepipeline:GetPipeline: the configured pipeline nope is in none of the home regions read (us-east-1)"
    );
    assert_eq!(
        error_of(&snapshot, "stacks us-east-1").message,
        "not found: cloudformation:DescribeStacks: configured stack ghost does not exist in us-east-1"
    );
    assert_eq!(
        error_of(&snapshot, "health").message,
        "cloudwatch:GetMetricData: the answer holds none of the 1 series asked for"
    );
    // Each answered in part: nothing is missing from the fleet that was read.
    assert!(snapshot.unanswered.is_empty());
    assert_eq!(snapshot.fleet.health.checks.len(), 1);
    assert_eq!(snapshot.completeness(), Completeness::Partial);
}

/// Sends every request to `region`'s endpoints nowhere: it never answers.
#[derive(Debug)]
struct Hang {
    region: &'static str,
    inner: SharedHttpConnector,
}

impl HttpConnector for Hang {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        if request.uri().contains(&format!(".{}.", self.region)) {
            HttpConnectorFuture::new(std::future::pending())
        } else {
            self.inner.call(request)
        }
    }
}

#[tokio::test]
async fn a_hung_region_costs_one_timeout_and_a_failing_one_nothing_the_others_are_read() {
    let fake = Fake::new(vec![
        no_pipelines(),
        mock!(aws_sdk_cloudformation::Client::describe_stacks)
            .match_requests(|r| r.stack_name() == Some("paris-api"))
            .then_http_response(|| {
                xml_error(500, "InternalFailure", "We encountered an internal error")
            }),
        mock!(aws_sdk_cloudformation::Client::describe_stacks)
            .match_requests(|r| r.stack_name() == Some("virginia-api"))
            .then_output(|| {
                DescribeStacksOutput::builder()
                    .stacks(
                        Stack::builder()
                            .stack_name("virginia-api")
                            .stack_status(StackStatus::UpdateComplete)
                            .creation_time(dt(1_763_000_000))
                            .build(),
                    )
                    .build()
            }),
        // tokyo-api's answer never arrives.
        no_stacks_anywhere(),
        no_stack_events(),
        no_health_checks(),
        caller_identity(),
    ]);
    // CloudFormation in ap-northeast-1 accepts the request and never answers.
    let mut configs = fake.configs();
    configs.cloudformation = configs
        .cloudformation
        .to_builder()
        .http_client(http_client_fn(|settings, components| {
            let inner = create_mock_http_client().http_connector(settings, components);
            SharedHttpConnector::new(Hang {
                region: "ap-northeast-1",
                inner,
            })
        }))
        .build();
    let cfg = AwsConfig {
        stacks: vec![
            stack_config("tokyo", "ap-northeast-1", "tokyo-api"),
            stack_config("paris", "eu-west-3", "paris-api"),
            stack_config("virginia", "us-east-1", "virginia-api"),
        ],
        ..AwsConfig::default()
    };
    let opts = AwsOptions {
        home_regions: vec!["us-east-1".into()],
        ..AwsOptions::default()
    };
    let backend = AwsBackend::with_service_configs(configs, opts, cfg);
    let timeout = Duration::from_secs(1);
    let started = Instant::now();
    let snapshot = snapshot_of(&backend, timeout).await;
    let took = started.elapsed();
    println!("snapshot with one hung region (timeout {timeout:?}): {took:?}");

    // Polls run side by side: the hung region costs one timeout, not one per source.
    assert!(took >= timeout, "{took:?}");
    assert!(took < timeout + Duration::from_millis(900), "{took:?}");
    assert_eq!(
        told(&snapshot),
        [
            ("pipeline tokyo", None, Some("ap-northeast-1")),
            (
                "pipeline paris",
                Some("cloudformation:DescribeStacks"),
                Some("eu-west-3")
            ),
            ("stacks ap-northeast-1", None, Some("ap-northeast-1")),
            (
                "stacks eu-west-3",
                Some("cloudformation:DescribeStacks"),
                Some("eu-west-3")
            ),
        ]
    );
    assert_eq!(
        error_of(&snapshot, "stacks ap-northeast-1").message,
        "timed out: stacks ap-northeast-1 took longer than 1s"
    );
    assert!(
        error_of(&snapshot, "stacks eu-west-3")
            .message
            .starts_with("unreachable: cloudformation:DescribeStacks: InternalFailure"),
        "{:?}",
        snapshot.errors
    );
    // us-east-1 answered in whole.
    let read: Vec<(&str, &str)> = snapshot
        .fleet
        .stacks
        .iter()
        .map(|s| (s.name.as_str(), s.status.as_str()))
        .collect();
    assert_eq!(read, [("virginia-api", "UPDATE_COMPLETE")]);
    let flows: Vec<&str> = snapshot
        .fleet
        .flows
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(flows, ["virginia"]);
    assert_eq!(snapshot.completeness(), Completeness::Partial);
    assert_eq!(snapshot.unanswered.len(), 4);
}

#[tokio::test]
async fn a_discovery_that_fails_reads_nothing_and_says_why() {
    let fake = Fake::new(vec![
        mock!(aws_sdk_sts::Client::get_caller_identity)
            .then_http_response(|| xml_error(403, "ExpiredToken", "The security token is expired")),
    ]);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let snapshot = snapshot_of(&backend, Duration::from_secs(5)).await;
    assert_eq!(snapshot.completeness(), Completeness::NothingRead);
    assert_eq!(
        told(&snapshot),
        [("discovery", Some("sts:GetCallerIdentity"), None)]
    );
    assert!(backend.discover().await.is_err());
}
