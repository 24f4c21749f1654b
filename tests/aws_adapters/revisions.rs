//! What is live where, from each pipeline's action history: read page by
//! page (bounded), merged per region into what the pipeline's state
//! placed, through update() as the console does; a throttled or denied
//! read leaves the regions as they were known and waits for the next idle
//! read.

use aws_sdk_codepipeline::Client;
use aws_smithy_mocks::{MockResponse, Rule, mock};
use jiff::{SignedDuration, Timestamp};
use wavetop::config::schema::AwsConfig;
use wavetop::core::bindings::Bindings;
use wavetop::core::model::Model;
use wavetop::core::msg::Msg;
use wavetop::core::update::{start, update};
use wavetop::domain::fleet::Flow;
use wavetop::domain::window::Windows;
use wavetop::protocol::{Observation, Observe, PollKey, SourceError};
use wavetop::source::aws::AwsBackend;

use super::support::{Fake, caller_identity, carry_out, http, json_error};
use super::{fixtures, fleet_answers};

fn detail(
    execution: &str,
    stage: &str,
    action: &str,
    category: &str,
    status: &str,
    region: &str,
    at: u64,
) -> String {
    format!(
        r#"{{"pipelineExecutionId":"{execution}","actionExecutionId":"{execution}-{action}","pipelineVersion":3,
            "stageName":"{stage}","actionName":"{action}","startTime":{at}.0,"lastUpdateTime":{at}.0,"status":"{status}",
            "input":{{"actionTypeId":{{"category":"{category}","owner":"AWS","provider":"X","version":"1"}},"region":"{region}"}}}}"#
    )
}

fn source(execution: &str, commit: &str, message: &str, at: u64) -> String {
    format!(
        r#"{{"pipelineExecutionId":"{execution}","actionExecutionId":"{execution}-src","stageName":"Source","actionName":"org_api",
            "lastUpdateTime":{at}.0,"status":"Succeeded",
            "input":{{"actionTypeId":{{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"}},"region":"us-east-1"}},
            "output":{{"outputVariables":{{"CommitId":"{commit}","CommitMessage":"{message}","AuthorDate":"2025-11-20T10:00:00Z"}}}}}}"#
    )
}

/// exec-0's deployment in sa-east-1.
fn exec0_in_sa_east() -> String {
    detail(
        "exec-0",
        "SouthAmerica",
        "ApiStack.Deploy",
        "Deploy",
        "Succeeded",
        "sa-east-1",
        1_763_500_000,
    )
}

/// The pipeline's history, newest first, over two pages: exec-2 failed in
/// sa-east-1 (the state shows that failure, so it places nothing there);
/// exec-0, older than the listed executions, deployed sa-east-1 and
/// us-west-2, whose stage has not run since.
fn history_pages() -> Rule {
    mock!(Client::list_action_executions)
        .match_requests(|r| r.pipeline_name() == Some("api") && r.filter().is_none())
        .then_compute_response(|r| {
            let body = match r.next_token() {
                None => format!(
                    r#"{{"actionExecutionDetails":[{},{},{}],"nextToken":"page-2"}}"#,
                    detail(
                        "exec-2",
                        "SouthAmerica",
                        "ApiStack.Deploy",
                        "Deploy",
                        "Failed",
                        "sa-east-1",
                        1_763_700_500
                    ),
                    source("exec-2", "9f1c2e7", "fix: retry budget", 1_763_699_900),
                    detail(
                        "exec-1",
                        "NorthAmerica",
                        "UsEast2.ApiStack.Deploy",
                        "Deploy",
                        "Succeeded",
                        "us-east-2",
                        1_763_689_500
                    ),
                ),
                Some(_) => format!(
                    r#"{{"actionExecutionDetails":[{},{},{},{}]}}"#,
                    detail(
                        "exec-0",
                        "NorthAmerica",
                        "UsWest2.ApiStack.Deploy",
                        "Deploy",
                        "Succeeded",
                        "us-west-2",
                        1_763_500_300
                    ),
                    detail(
                        "exec-0",
                        "NorthAmerica",
                        "UsWest2.Approve",
                        "Approval",
                        "Succeeded",
                        "us-east-1",
                        1_763_500_100
                    ),
                    exec0_in_sa_east(),
                    source(
                        "exec-0",
                        "5e5e5e5",
                        "feat: regional failover\\n\\nbody",
                        1_763_499_000
                    ),
                ),
            };
            MockResponse::Http(http(200, &body))
        })
}

fn fake(history: Rule) -> (Fake, Rule) {
    let rules = vec![
        mock!(Client::list_pipelines)
            .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api","version":3}]}"#)),
        mock!(Client::get_pipeline)
            .then_http_response(|| http(200, &fixtures::get_pipeline("api", 3))),
        mock!(Client::get_pipeline_state)
            .then_http_response(|| http(200, &fixtures::get_pipeline_state("api", 3, "tok"))),
        mock!(Client::list_pipeline_executions)
            .then_http_response(|| http(200, &fixtures::list_pipeline_executions())),
        mock!(Client::list_action_executions)
            .match_requests(|r| r.filter().is_some())
            .then_http_response(|| http(200, &fixtures::list_action_executions_exec1())),
        history.clone(),
        // The console's other keys: no health checks, no stack deployed yet.
        fleet_answers::list_health_checks(0, &[]),
        mock!(aws_sdk_cloudformation::Client::describe_stacks).then_output(|| {
            aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput::builder()
                .build()
        }),
        caller_identity(),
    ];
    (Fake::new(rules), history)
}

/// A console started on the fake, every key read once.
async fn console(backend: &AwsBackend) -> Model {
    let t0 = Timestamp::now();
    let mut model = Model::new(t0, Bindings::from_pairs([]), Windows::default(), true);
    let fx = start(&mut model);
    carry_out(backend, &mut model, fx, t0).await;
    let later = t0 + SignedDuration::from_secs(10);
    let fx = update(&mut model, Msg::Tick, later);
    carry_out(backend, &mut model, fx, later).await;
    model
}

fn placed(flow: &Flow) -> Vec<(String, String, Option<String>, Option<String>)> {
    flow.live
        .iter()
        .map(|l| {
            (
                l.region.to_string(),
                l.execution_id.to_string(),
                l.revision_id.as_deref().map(str::to_string),
                l.summary.as_deref().map(str::to_string),
            )
        })
        .collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[tokio::test]
async fn the_history_places_every_region_at_startup_with_its_commit() {
    let (fake, history) = fake(history_pages());
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let model = console(&backend).await;
    assert_eq!(history.num_calls(), 2, "both pages of the history");
    let flow = model.fleet.flow("api").unwrap();
    let placed = placed(flow);
    let regions: Vec<&str> = placed.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        regions,
        vec!["sa-east-1", "us-west-2", "us-east-2"],
        "every column"
    );
    // Not run since exec-0, which is older than the listed executions: only
    // the history knows it, and its source run names the commit.
    assert_eq!(
        placed[1],
        (
            "us-west-2".into(),
            "exec-0".into(),
            some("5e5e5e5"),
            some("feat: regional failover")
        )
    );
    // Placed by the state as well; the listed execution names its commit.
    assert_eq!(
        placed[2],
        (
            "us-east-2".into(),
            "exec-1".into(),
            some("77aa001"),
            some("feat: new endpoint")
        )
    );
    // The state placed sa-east-1 on exec-2 (its change set succeeded then),
    // later than the history's exec-0 there: the state's stays.
    assert_eq!(placed[0].1, "exec-2");
    let behind = flow.behind("us-west-2").unwrap();
    assert!(behind.is_behind(), "{behind:?}");
    let key = PollKey::Revisions { flow: "api".into() };
    let state = model.poll.state(&key).unwrap();
    assert!(
        (900..1800).contains(&state.interval_secs),
        "read at a period of its own, 15 to 30 minutes: {}",
        state.interval_secs
    );
    assert_eq!(state.requests, 2, "two pages cost the budget two requests");
}

#[tokio::test]
async fn the_history_is_read_a_bounded_number_of_pages() {
    let endless = mock!(Client::list_action_executions)
        .match_requests(|r| r.filter().is_none())
        .then_http_response(|| {
            http(
                200,
                &format!(
                    r#"{{"actionExecutionDetails":[{}],"nextToken":"more"}}"#,
                    exec0_in_sa_east()
                ),
            )
        });
    let (fake, history) = fake(endless);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let answer = backend
        .poll(PollKey::Revisions { flow: "api".into() })
        .await
        .unwrap();
    assert_eq!(history.num_calls(), 2);
    let Observation::Revisions { live, requests, .. } = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(requests, 2);
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].region, "sa-east-1");
}

async fn failing(code: &'static str, message: &'static str) -> (Model, Fake, AwsBackend) {
    let refused = mock!(Client::list_action_executions)
        .match_requests(|r| r.filter().is_none())
        .then_http_response(move || json_error(code, message));
    let (fake, _) = fake(refused);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let model = console(&backend).await;
    (model, fake, backend)
}

#[tokio::test]
async fn a_denied_history_leaves_what_the_state_placed_and_says_so() {
    let (model, _fake, backend) = failing(
        "AccessDeniedException",
        "User is not authorized to perform: codepipeline:ListActionExecutions",
    )
    .await;
    let flow = model.fleet.flow("api").unwrap();
    let regions: Vec<&str> = flow.live.iter().map(|l| l.region.as_str()).collect();
    assert_eq!(
        regions,
        vec!["sa-east-1", "us-east-2"],
        "only what the state places"
    );
    let key = PollKey::Revisions { flow: "api".into() };
    let errors = backend.partial_errors();
    assert!(
        errors.iter().any(|(k, e)| *k == key
            && matches!(e, SourceError::AccessDenied(m) if m.contains("ListActionExecutions"))),
        "{errors:?}"
    );
    let state = model.poll.state(&key).unwrap();
    assert_eq!(state.failures, 0, "no backoff that would ask sooner");
    assert!(
        (900..1800).contains(&state.interval_secs),
        "{}",
        state.interval_secs
    );
    assert!(state.last_error.is_some(), "the sources pane shows the gap");
}

#[tokio::test]
async fn a_throttled_history_waits_for_the_next_idle_read() {
    let (model, _fake, _backend) = failing("ThrottlingException", "Rate exceeded").await;
    let key = PollKey::Revisions { flow: "api".into() };
    let state = model.poll.state(&key).unwrap();
    assert!(
        (900..1800).contains(&state.interval_secs),
        "{}",
        state.interval_secs
    );
    assert!(
        matches!(&state.last_error, Some((_, SourceError::Throttled(_)))),
        "{:?}",
        state.last_error
    );
    let flow = model.fleet.flow("api").unwrap();
    assert!(
        flow.live_revision("us-west-2").is_none(),
        "only the history knew it"
    );
}
