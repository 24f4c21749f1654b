//! Health checks (one listing, one metric call for all of them), per-checker
//! status behind the local token bucket, and routed record sets.

use std::time::{Duration, Instant};

use aws_sdk_cloudwatch::error::ErrorMetadata;
use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::MetricDataResult;
use aws_sdk_route53::Client;
use aws_sdk_route53::operation::get_health_check_status::GetHealthCheckStatusOutput;
use aws_sdk_route53::types::{HealthCheckObservation, HealthCheckRegion, StatusReport};
use aws_smithy_mocks::{Rule, mock};
use wavetop::config::schema::AwsConfig;
use wavetop::domain::fleet::{HealthStatus, RoutingPolicy};
use wavetop::protocol::{Observation, Observe, PollKey, SourceError};

use super::support::{Fake, caller_identity, dt, http, xml_error};

fn check_xml(id: &str, fqdn: &str, inverted: bool, disabled: bool) -> String {
    format!(
        "<HealthCheck><Id>{id}</Id><CallerReference>ref-{id}</CallerReference><HealthCheckConfig>\
         <Port>443</Port><Type>HTTPS</Type><ResourcePath>/health</ResourcePath>\
         <FullyQualifiedDomainName>{fqdn}</FullyQualifiedDomainName><RequestInterval>30</RequestInterval>\
         <FailureThreshold>3</FailureThreshold><MeasureLatency>false</MeasureLatency>\
         <Inverted>{inverted}</Inverted><Disabled>{disabled}</Disabled><EnableSNI>true</EnableSNI>\
         </HealthCheckConfig><HealthCheckVersion>2</HealthCheckVersion></HealthCheck>"
    )
}

fn list_checks_xml(checks: &[String], next: Option<&str>) -> String {
    let tail = match next {
        Some(m) => format!("<IsTruncated>true</IsTruncated><NextMarker>{m}</NextMarker>"),
        None => "<IsTruncated>false</IsTruncated>".to_string(),
    };
    format!(
        "<?xml version=\"1.0\"?>\n<ListHealthChecksResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
         <HealthChecks>{}</HealthChecks><Marker></Marker>{tail}<MaxItems>100</MaxItems></ListHealthChecksResponse>",
        checks.concat()
    )
}

fn record_xml(name: &str, id: &str, routing: &str, hc: Option<&str>, alias: &str) -> String {
    let hc = hc
        .map(|h| format!("<HealthCheckId>{h}</HealthCheckId>"))
        .unwrap_or_default();
    format!(
        "<ResourceRecordSet><Name>{name}</Name><Type>A</Type><SetIdentifier>{id}</SetIdentifier>{routing}\
         <AliasTarget><HostedZoneId>Z2FDTNDATAQYW2</HostedZoneId><DNSName>{alias}</DNSName>\
         <EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget>{hc}</ResourceRecordSet>"
    )
}

fn record_page(records: &[String], next: Option<(&str, &str, &str)>) -> String {
    let tail = match next {
        Some((name, kind, id)) => format!(
            "<IsTruncated>true</IsTruncated><NextRecordName>{name}</NextRecordName><NextRecordType>{kind}</NextRecordType><NextRecordIdentifier>{id}</NextRecordIdentifier>"
        ),
        None => "<IsTruncated>false</IsTruncated>".to_string(),
    };
    format!(
        "<?xml version=\"1.0\"?>\n<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
         <ResourceRecordSets>{}</ResourceRecordSets>{tail}<MaxItems>300</MaxItems></ListResourceRecordSetsResponse>",
        records.concat()
    )
}

/// A zone with latency, failover, geolocation and weighted records over two pages.
fn zone_rules() -> Vec<Rule> {
    let page_1 = mock!(Client::list_resource_record_sets)
        .match_requests(|r| r.hosted_zone_id() == Some("Z0EXAMPLE") && r.start_record_name().is_none())
        .then_http_response(|| {
            http(200, &record_page(
                &[
                    "<ResourceRecordSet><Name>example.com.</Name><Type>NS</Type><TTL>172800</TTL><ResourceRecords><ResourceRecord><Value>ns-1.awsdns-00.com.</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>".to_string(),
                    record_xml("api.example.com.", "api-us-east-1", "<Region>us-east-1</Region>", Some("hc-use1"), "d-1.execute-api.us-east-1.amazonaws.com."),
                    record_xml("api.example.com.", "api-eu-west-1", "<Region>eu-west-1</Region>", Some("hc-euw1"), "d-2.execute-api.eu-west-1.amazonaws.com."),
                ],
                Some(("app.example.com.", "A", "primary")),
            ))
        });
    let page_2 = mock!(Client::list_resource_record_sets)
        .match_requests(|r| {
            r.start_record_name() == Some("app.example.com.")
                && r.start_record_type().map(|t| t.as_str()) == Some("A")
                && r.start_record_identifier() == Some("primary")
        })
        .then_http_response(|| {
            http(
                200,
                &record_page(
                    &[
                        record_xml(
                            "app.example.com.",
                            "primary",
                            "<Failover>PRIMARY</Failover>",
                            Some("hc-primary"),
                            "app-alb-1.us-east-1.elb.amazonaws.com.",
                        ),
                        record_xml(
                            "app.example.com.",
                            "secondary",
                            "<Failover>SECONDARY</Failover>",
                            None,
                            "app-alb-2.us-west-2.elb.amazonaws.com.",
                        ),
                        record_xml(
                            "geo.example.com.",
                            "geo-sa",
                            "<GeoLocation><CountryCode>BR</CountryCode></GeoLocation>",
                            None,
                            "d-3.execute-api.sa-east-1.amazonaws.com.",
                        ),
                        record_xml(
                            "w.example.com.",
                            "blue",
                            "<Weight>90</Weight>",
                            None,
                            "blue.us-east-2.elb.amazonaws.com.",
                        ),
                    ],
                    None,
                ),
            )
        });
    let by_name = mock!(Client::list_hosted_zones_by_name)
        .match_requests(|r| r.dns_name() == Some("example.com."))
        .then_http_response(|| {
            http(200, "<?xml version=\"1.0\"?>\n<ListHostedZonesByNameResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
                <HostedZones><HostedZone><Id>/hostedzone/Z0EXAMPLE</Id><Name>example.com.</Name><CallerReference>c</CallerReference>\
                <Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>7</ResourceRecordSetCount></HostedZone></HostedZones>\
                <DNSName>example.com.</DNSName><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListHostedZonesByNameResponse>")
        });
    vec![page_1, page_2, by_name]
}

fn health_rules() -> (Rule, Rule, Rule) {
    let list_1 = mock!(Client::list_health_checks)
        .match_requests(|r| r.marker().is_none())
        .then_http_response(|| {
            http(
                200,
                &list_checks_xml(
                    &[
                        check_xml("hc-use1", "api-origin.example.com", false, false),
                        check_xml("hc-euw1", "api-origin-eu.example.com", true, false),
                    ],
                    Some("hc-primary"),
                ),
            )
        });
    let list_2 = mock!(Client::list_health_checks)
        .match_requests(|r| r.marker() == Some("hc-primary"))
        .then_http_response(|| {
            http(
                200,
                &list_checks_xml(
                    &[
                        check_xml("hc-primary", "app.us-east-1.example.com", false, false),
                        check_xml("hc-lonely", "batch.ap-southeast-2.example.com", false, true),
                    ],
                    None,
                ),
            )
        });
    // One GetMetricData call (two pages) answers for every check.
    let metrics = mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_compute_output(|input| {
        let queries = input.metric_data_queries();
        assert_eq!(queries.len(), 4, "one query per check, all in one call");
        let dims: Vec<&str> = queries
            .iter()
            .map(|q| {
                let metric = q.metric_stat().unwrap().metric().unwrap();
                assert_eq!(metric.namespace(), Some("AWS/Route53"));
                assert_eq!(metric.metric_name(), Some("HealthCheckStatus"));
                assert_eq!(metric.dimensions()[0].name(), Some("HealthCheckId"));
                metric.dimensions()[0].value().unwrap()
            })
            .collect();
        assert_eq!(dims, ["hc-use1", "hc-euw1", "hc-primary", "hc-lonely"]);
        let result = |id: &str, values: &[f64]| {
            MetricDataResult::builder()
                .id(id)
                .set_timestamps(Some(
                    (0..values.len())
                        .map(|i| dt(1_763_700_000 + 60 * i as i64))
                        .collect(),
                ))
                .set_values(Some(values.to_vec()))
                .build()
        };
        match input.next_token() {
            None => GetMetricDataOutput::builder()
                .metric_data_results(result("h0", &[0.0, 1.0]))
                .metric_data_results(result("h1", &[1.0]))
                .next_token("more")
                .build(),
            Some(_) => GetMetricDataOutput::builder()
                .metric_data_results(result("h2", &[1.0, 0.0]))
                .build(),
        }
    });
    (list_1, list_2, metrics)
}

#[tokio::test]
async fn one_listing_and_one_metric_call_give_every_check_its_status_and_region() {
    let (list_1, list_2, metrics) = health_rules();
    let mut rules = zone_rules();
    rules.extend([
        list_1.clone(),
        list_2.clone(),
        metrics.clone(),
        caller_identity(),
    ]);
    rules.push(
        mock!(aws_sdk_codepipeline::Client::list_pipelines).then_output(|| {
            aws_sdk_codepipeline::operation::list_pipelines::ListPipelinesOutput::builder().build()
        }),
    );
    let fake = Fake::new(rules);
    let cfg = AwsConfig {
        hosted_zones: vec!["example.com".into()],
        ..AwsConfig::default()
    };
    let backend = fake.backend(cfg, &["us-east-1"]);
    let d = backend.discover().await.unwrap();

    let sets: Vec<(&str, RoutingPolicy)> = d
        .record_sets
        .iter()
        .map(|s| (s.name.as_str(), s.policy))
        .collect();
    assert_eq!(
        sets,
        [
            ("api.example.com.", RoutingPolicy::Latency),
            ("app.example.com.", RoutingPolicy::Failover),
            ("geo.example.com.", RoutingPolicy::Geolocation),
            ("w.example.com.", RoutingPolicy::Weighted),
        ]
    );
    let app = &d.record_sets[1];
    assert_eq!(app.records[0].routing_detail.as_deref(), Some("PRIMARY"));
    assert_eq!(app.records[0].region, "us-east-1");
    assert_eq!(
        app.records[0].health_check_id.as_deref(),
        Some("hc-primary")
    );
    assert_eq!(app.records[1].routing_detail.as_deref(), Some("SECONDARY"));
    assert_eq!(app.records[1].region, "us-west-2");
    assert_eq!(d.record_sets[0].records[1].region, "eu-west-1");
    assert_eq!(
        d.record_sets[2].records[0].routing_detail.as_deref(),
        Some("BR")
    );
    assert_eq!(d.record_sets[2].records[0].region, "sa-east-1");
    assert_eq!(
        d.record_sets[3].records[0].routing_detail.as_deref(),
        Some("90")
    );

    let Observation::Health { checks } = backend.poll(PollKey::Health).await.unwrap() else {
        panic!("expected health")
    };
    assert_eq!(list_1.num_calls() + list_2.num_calls(), 2);
    assert_eq!(metrics.num_calls(), 2, "one call, two pages");
    let by_id = |id: &str| checks.iter().find(|c| c.id == id).unwrap();
    // The newest point decides: hc-use1 recovered, hc-primary just failed.
    assert_eq!(by_id("hc-use1").status, HealthStatus::Healthy);
    assert_eq!(by_id("hc-primary").status, HealthStatus::Unhealthy);
    assert_eq!(by_id("hc-lonely").status, HealthStatus::Unknown);
    // Regions come from the records that use the checks, else from the endpoint.
    assert_eq!(by_id("hc-use1").region, "us-east-1");
    assert_eq!(by_id("hc-euw1").region, "eu-west-1");
    assert_eq!(by_id("hc-primary").region, "us-east-1");
    assert_eq!(by_id("hc-lonely").region, "ap-southeast-2");
    assert!(by_id("hc-euw1").inverted);
    assert!(by_id("hc-lonely").disabled);
    assert_eq!(
        by_id("hc-use1").target,
        "https://api-origin.example.com:443/health"
    );
}

#[tokio::test]
async fn a_denied_metric_read_leaves_status_unknown_and_later_throttling_fails() {
    let (list_1, list_2, _) = health_rules();
    let metrics = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .sequence()
        .error(|| {
            cw_error(
                "AccessDenied",
                "not authorized to perform cloudwatch:GetMetricData",
            )
        })
        .output(|| {
            // Every series answered, none with a point yet: unknown, and no error.
            let mut out = GetMetricDataOutput::builder();
            for id in ["h0", "h1", "h2", "h3"] {
                out = out.metric_data_results(MetricDataResult::builder().id(id).build());
            }
            out.build()
        })
        .error(|| cw_error("Throttling", "Rate exceeded"))
        .build();
    let fake = Fake::new(vec![list_1, list_2, metrics]);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let Observation::Health { checks } = backend.poll(PollKey::Health).await.unwrap() else {
        panic!("expected health")
    };
    assert_eq!(checks.len(), 4);
    assert!(checks.iter().all(|c| c.status == HealthStatus::Unknown));
    assert!(matches!(
        backend.partial_errors()[0].1,
        SourceError::AccessDenied(_)
    ));
    backend.poll(PollKey::Health).await.unwrap();
    assert!(backend.partial_errors().is_empty());
    // Statuses were read once: throttling now fails the poll rather than blanking them.
    let err = backend.poll(PollKey::Health).await.unwrap_err();
    assert!(err.is_throttle_or_server(), "{err:?}");
}

/// CloudWatch speaks CBOR; its errors are given as the SDK parses them.
fn cw_error(code: &str, message: &str) -> GetMetricDataError {
    GetMetricDataError::generic(ErrorMetadata::builder().code(code).message(message).build())
}

fn checker_status() -> Rule {
    mock!(Client::get_health_check_status).then_output(|| {
        let obs = |region: HealthCheckRegion, status: &str| {
            HealthCheckObservation::builder()
                .region(region)
                .ip_address("15.177.2.1")
                .status_report(
                    StatusReport::builder()
                        .status(status)
                        .checked_time(dt(1_763_700_000))
                        .build(),
                )
                .build()
        };
        GetHealthCheckStatusOutput::builder()
            .health_check_observations(obs(
                HealthCheckRegion::UsEast1,
                "Success: HTTP Status Code 200, OK",
            ))
            .health_check_observations(obs(
                HealthCheckRegion::EuWest1,
                "Failure: Connection timed out. The endpoint or the internet connection is down.",
            ))
            .build()
            .expect("observations are set")
    })
}

#[tokio::test]
async fn per_checker_status_never_exceeds_four_calls_then_one_per_second() {
    let status = checker_status();
    let fake = Fake::new(vec![status.clone()]);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let key = PollKey::Checkers {
        health_check_id: "hc-primary".into(),
    };
    let Observation::Checkers { observations, .. } = backend.poll(key.clone()).await.unwrap()
    else {
        panic!("expected checkers")
    };
    assert_eq!(observations.len(), 2);
    assert!(observations[0].healthy);
    assert_eq!(observations[0].checker_region, "us-east-1");
    assert!(!observations[1].healthy);
    assert!(
        observations[1]
            .reason
            .starts_with("Failure: Connection timed out")
    );

    let start = Instant::now();
    for _ in 0..4 {
        backend.poll(key.clone()).await.unwrap();
    }
    // 5 calls: the bucket of 4 was empty for the fifth, which waited about a second.
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(status.num_calls(), 5);
}

#[tokio::test]
async fn route53_errors_keep_their_meaning() {
    let rules = vec![
        mock!(Client::get_health_check_status)
            .sequence()
            .http_response(|| xml_error(404, "NoSuchHealthCheck", "A health check with id gone does not exist."))
            .http_response(|| xml_error(400, "PriorRequestNotComplete", "The request was rejected because Route 53 was still processing a prior request."))
            .http_response(|| xml_error(400, "Throttling", "Rate exceeded"))
            .build(),
    ];
    let fake = Fake::new(rules);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let key = PollKey::Checkers {
        health_check_id: "gone".into(),
    };
    assert!(matches!(
        backend.poll(key.clone()).await,
        Err(SourceError::NotFound(_))
    ));
    assert!(matches!(
        backend.poll(key.clone()).await,
        Err(SourceError::Throttled(_))
    ));
    assert!(matches!(
        backend.poll(key).await,
        Err(SourceError::Throttled(_))
    ));
}

#[tokio::test]
async fn more_than_five_hundred_checks_take_one_metric_call_per_five_hundred() {
    const TOTAL: usize = 501;
    let list = mock!(Client::list_health_checks).then_compute_response(|r| {
        let start: usize = r.marker().map(|m| m.parse().unwrap()).unwrap_or(0);
        let end = (start + 100).min(TOTAL);
        let checks: Vec<String> = (start..end)
            .map(|i| {
                check_xml(
                    &format!("hc-{i}"),
                    "svc.us-east-1.example.com",
                    false,
                    false,
                )
            })
            .collect();
        let next = (end < TOTAL).then(|| end.to_string());
        aws_smithy_mocks::MockResponse::Http(http(200, &list_checks_xml(&checks, next.as_deref())))
    });
    let metrics = mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_compute_output(|input| {
        assert!(input.metric_data_queries().len() <= 500);
        GetMetricDataOutput::builder()
            .set_metric_data_results(Some(
                input
                    .metric_data_queries()
                    .iter()
                    .map(|q| {
                        MetricDataResult::builder()
                            .id(q.id().unwrap())
                            .timestamps(dt(1_763_700_000))
                            .values(1.0)
                            .build()
                    })
                    .collect(),
            ))
            .build()
    });
    let fake = Fake::new(vec![list.clone(), metrics.clone()]);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let Observation::Health { checks } = backend.poll(PollKey::Health).await.unwrap() else {
        panic!("expected health")
    };
    assert_eq!(checks.len(), TOTAL);
    assert!(checks.iter().all(|c| c.status == HealthStatus::Healthy));
    assert_eq!(list.num_calls(), 6);
    assert_eq!(metrics.num_calls(), 2);
}
