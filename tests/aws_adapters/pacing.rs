//! Reads side by side within bounds: never more requests in flight per
//! (account, region, service) than the pacer allows, a throttle answer that
//! slows its endpoint and answers that bring it back, and paged listings
//! that still read every page while the reads after them run side by side.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_codepipeline::Client;
use aws_smithy_mocks::{MockResponse, Rule, create_mock_http_client, mock};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector,
    http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use wavetop::config::schema::AwsConfig;
use wavetop::protocol::{Observe, Pace, PollKey};
use wavetop::source::aws::AwsBackend;
use wavetop::source::aws::pacing::Service;

use super::fixtures;
use super::support::{Fake, caller_identity, http, json_error};

/// Requests in flight per host (one host per service and region), now and
/// at most, and across all hosts at most.
#[derive(Default)]
struct InFlight {
    now: Mutex<HashMap<String, usize>>,
    most: Mutex<HashMap<String, usize>>,
    all_now: Mutex<usize>,
    all_most: Mutex<usize>,
}

impl InFlight {
    fn enter(&self, host: &str) {
        let mut now = self.now.lock().unwrap();
        let n = now.entry(host.to_string()).or_default();
        *n += 1;
        let mut most = self.most.lock().unwrap();
        let m = most.entry(host.to_string()).or_default();
        *m = (*m).max(*n);
        let mut all = self.all_now.lock().unwrap();
        *all += 1;
        let mut all_most = self.all_most.lock().unwrap();
        *all_most = (*all_most).max(*all);
    }

    fn leave(&self, host: &str) {
        *self.now.lock().unwrap().get_mut(host).unwrap() -= 1;
        *self.all_now.lock().unwrap() -= 1;
    }

    fn most(&self, host: &str) -> usize {
        self.most.lock().unwrap().get(host).copied().unwrap_or(0)
    }
}

/// The mocks' HTTP client, each request held for `delay` first and counted
/// while it is in flight.
#[derive(Debug, Clone)]
struct Counting {
    inner: SharedHttpConnector,
    counts: Arc<InFlight>,
    delay: Duration,
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InFlight")
    }
}

impl HttpConnector for Counting {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let host = request
            .uri()
            .trim_start_matches("https://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let this = self.clone();
        HttpConnectorFuture::new(async move {
            this.counts.enter(&host);
            tokio::time::sleep(this.delay).await;
            let answer = this.inner.call(request).await;
            this.counts.leave(&host);
            answer
        })
    }
}

fn counting_client(counts: Arc<InFlight>, delay: Duration) -> SharedHttpClient {
    let mocks = create_mock_http_client();
    http_client_fn(move |settings, components| {
        SharedHttpConnector::new(Counting {
            inner: mocks.http_connector(settings, components),
            counts: counts.clone(),
            delay,
        })
    })
}

fn pipeline_names(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}{i:02}")).collect()
}

fn listing(names: &[String], next: Option<&str>) -> String {
    let items: Vec<String> = names
        .iter()
        .map(|n| format!(r#"{{"name":"{n}","version":1}}"#))
        .collect();
    let next = next
        .map(|t| format!(r#","nextToken":"{t}""#))
        .unwrap_or_default();
    format!(r#"{{"pipelines":[{}]{next}}}"#, items.join(","))
}

/// ListPipelines in two pages, then GetPipeline of whichever name is asked.
fn fleet_rules(first: Vec<String>, second: Vec<String>) -> Vec<Rule> {
    vec![
        mock!(Client::list_pipelines)
            .match_requests(|r| r.next_token().is_none())
            .then_http_response(move || http(200, &listing(&first, Some("page-2")))),
        mock!(Client::list_pipelines)
            .match_requests(|r| r.next_token() == Some("page-2"))
            .then_http_response(move || http(200, &listing(&second, None))),
        mock!(Client::get_pipeline).then_compute_response(|r| {
            MockResponse::Http(http(
                200,
                &fixtures::get_pipeline(r.name().unwrap_or_default(), 1),
            ))
        }),
        caller_identity(),
    ]
}

/// `count` pipelines listed in two pages (the first `first_page` of them
/// first) in each home region, each request held for `delay` and counted.
fn counted_fleet(
    count: usize,
    first_page: usize,
    delay: Duration,
    home_regions: &[&str],
) -> (Vec<String>, Arc<InFlight>, AwsBackend) {
    let names = pipeline_names("svc-", count);
    let (first, second) = names.split_at(first_page);
    let fake = Fake::new(fleet_rules(first.to_vec(), second.to_vec()));
    let counts = Arc::new(InFlight::default());
    let http = counting_client(counts.clone(), delay);
    let backend = fake.backend_over(http, AwsConfig::default(), home_regions);
    (names, counts, backend)
}

#[tokio::test]
async fn requests_in_flight_are_bounded_per_service_and_region_not_overall() {
    let regions = ["us-east-1", "eu-west-1"];
    let (_, counts, backend) = counted_fleet(24, 12, Duration::from_millis(40), &regions);

    let discovery = backend.discover().await.expect("discovery");

    // Both regions list the same names: each is found in each region.
    assert_eq!(discovery.flows.len(), 48);
    let bound = Service::CodePipeline.limits().in_flight;
    for region in ["us-east-1", "eu-west-1"] {
        let host = format!("codepipeline.{region}.amazonaws.com");
        assert_eq!(counts.most(&host), bound, "{host}");
    }
    // The two regions' bounds are their own: together they had more in flight.
    assert!(*counts.all_most.lock().unwrap() > bound);
}

#[tokio::test]
async fn paging_reads_every_page_while_the_pipelines_are_read_side_by_side() {
    let (names, counts, backend) = counted_fleet(30, 17, Duration::from_millis(5), &["us-east-1"]);

    let discovery = backend.discover().await.expect("discovery");

    // Every pipeline of both pages, in the listing's order.
    let found: Vec<&str> = discovery.flows.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(found, names);
    assert!(counts.most("codepipeline.us-east-1.amazonaws.com") > 1);
}

fn codepipeline_pace(paces: &[Pace]) -> Pace {
    paces
        .iter()
        .find(|p| p.endpoint == "codepipeline us-east-1")
        .cloned()
        .unwrap_or_else(|| panic!("no codepipeline pace in {paces:?}"))
}

#[tokio::test]
async fn a_throttle_halves_the_pace_and_answers_bring_it_back() {
    let names = vec!["api".to_string()];
    let mut rules = fleet_rules(names, Vec::new());
    rules.push(
        mock!(Client::get_pipeline_state)
            .sequence()
            .http_response(|| json_error("ThrottlingException", "Rate exceeded"))
            .http_response(|| http(200, &fixtures::get_pipeline_state("api", 1, "tok-1")))
            .repeatedly()
            .build(),
    );
    rules.push(
        mock!(Client::list_pipeline_executions)
            .then_http_response(|| http(200, &fixtures::list_pipeline_executions())),
    );
    rules.push(
        mock!(Client::list_action_executions)
            .then_http_response(|| http(200, &fixtures::list_action_executions_exec1())),
    );
    let fake = Fake::new(rules);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.expect("discovery");
    let full = codepipeline_pace(&backend.pacing());
    assert!(!full.slowed());
    assert_eq!(full.per_second, Service::CodePipeline.limits().ceiling);

    let key = PollKey::Flow { flow: "api".into() };
    // The first read of the state was throttled: the poll answers without it.
    backend.poll(key.clone()).await.expect("a partial answer");
    let slowed = codepipeline_pace(&backend.pacing());
    assert_eq!(slowed.throttles, 1);
    assert!(slowed.slowed());
    // Halved, then raised a step by the poll's answers after the throttle.
    assert!(slowed.per_second < full.per_second * 0.6, "{slowed:?}");

    let mut last = slowed.per_second;
    let mut polls = 0;
    while codepipeline_pace(&backend.pacing()).slowed() {
        backend.poll(key.clone()).await.expect("poll");
        let now = codepipeline_pace(&backend.pacing());
        assert!(now.per_second > last, "{now:?} after {last}");
        assert_eq!(now.throttles, 1);
        last = now.per_second;
        polls += 1;
        assert!(polls < 100, "the pace never came back: {now:?}");
    }
    // Slowly: more than one poll's answers to come back.
    assert!(polls > 1, "{polls}");
}
