//! Cells drawn from the stage's current execution: runs the times cannot
//! place are looked up with ListActionExecutions, every page of it, once
//! per state; a denied lookup leaves the times to decide.

use aws_sdk_codepipeline::Client;
use aws_smithy_mocks::{Rule, mock};
use wavetop::config::schema::AwsConfig;
use wavetop::domain::fleet::{ActionStatus, CellStatus, Flow};
use wavetop::protocol::{Observe, PollKey, SourceError};

use super::fixtures;
use super::support::{Fake, caller_identity, http, json_error, poll_flow};

/// exec-3 started at 1763700000 and waits in NorthAmerica: its us-west-2
/// gate was answered after the start (the time cannot tell whose run that
/// is), the us-west-2 change set last ran before it (an earlier execution),
/// and the us-east-2 deployment finished after it, for exec-2.
fn state() -> String {
    let done = |name: &str, id: &str, at: u64| {
        format!(
            r#"{{"actionName":"{name}","latestExecution":{{"actionExecutionId":"{id}","status":"Succeeded","lastStatusChange":{at}.0}}}}"#
        )
    };
    let settled = |stage: &str, actions: Vec<String>| {
        format!(
            r#"{{"stageName":"{stage}","inboundTransitionState":{{"enabled":true}},"actionStates":[{}],
                "latestExecution":{{"pipelineExecutionId":"exec-3","status":"Succeeded"}}}}"#,
            actions.join(",")
        )
    };
    format!(
        r#"{{"pipelineName":"api","pipelineVersion":3,"stageStates":[{},{},{},
          {{"stageName":"NorthAmerica","inboundTransitionState":{{"enabled":true}},"actionStates":[{},{},{},{},{}],
            "latestExecution":{{"pipelineExecutionId":"exec-3","status":"InProgress"}}}}]}}"#,
        settled("Source", vec![done("org_api", "a-src-3", 1_763_700_010)]),
        settled("Build", vec![done("Synth", "a-b-3", 1_763_700_200)]),
        settled(
            "SouthAmerica",
            vec![
                done("ApiStack.Prepare", "a-p-3", 1_763_700_300),
                done("ApiStack.Deploy", "a-d-3", 1_763_700_400),
            ]
        ),
        done("UsWest2.Approve", "a-ap-3", 1_763_700_500),
        done("UsWest2.ApiStack.Prepare", "a-uwp-2", 1_763_690_000),
        done("UsWest2.ApiStack.Deploy", "a-uwd-2", 1_763_690_100),
        done("UsEast2.ApiStack.Prepare", "a-uep-2", 1_763_700_050),
        done("UsEast2.ApiStack.Deploy", "a-ued-2", 1_763_700_060),
    )
}

fn executions() -> String {
    r#"{"pipelineExecutionSummaries":[
      {"pipelineExecutionId":"exec-3","status":"InProgress","startTime":1763700000.0,"lastUpdateTime":1763700500.0,
       "trigger":{"triggerType":"Webhook"}},
      {"pipelineExecutionId":"exec-2","status":"Superseded","startTime":1763680000.0,"lastUpdateTime":1763700060.0,
       "trigger":{"triggerType":"Webhook"}}]}"#
        .to_string()
}

fn run(stage: &str, action: &str, id: &str) -> String {
    format!(
        r#"{{"pipelineExecutionId":"exec-3","actionExecutionId":"{id}","pipelineVersion":3,"stageName":"{stage}",
            "actionName":"{action}","startTime":1763700000.0,"lastUpdateTime":1763700500.0,"status":"Succeeded",
            "input":{{"region":"us-east-1"}}}}"#
    )
}

/// Two pages of exec-3's runs, every stage it reached: the gate's run is
/// on the second.
fn listed_runs() -> Rule {
    mock!(Client::list_action_executions)
        .match_requests(|r| {
            r.pipeline_name() == Some("api")
                && r.filter().and_then(|f| f.pipeline_execution_id()) == Some("exec-3")
        })
        .then_compute_response(|r| {
            let body = match r.next_token() {
                None => format!(
                    r#"{{"actionExecutionDetails":[{},{},{},{}],"nextToken":"page-2"}}"#,
                    run("Source", "org_api", "a-src-3"),
                    run("Build", "Synth", "a-b-3"),
                    run("SouthAmerica", "ApiStack.Prepare", "a-p-3"),
                    run("SouthAmerica", "ApiStack.Deploy", "a-d-3")
                ),
                Some(_) => format!(
                    r#"{{"actionExecutionDetails":[{}]}}"#,
                    run("NorthAmerica", "UsWest2.Approve", "a-ap-3")
                ),
            };
            aws_smithy_mocks::MockResponse::Http(http(200, &body))
        })
}

fn fake(action_runs: Rule) -> (Fake, Rule) {
    let rules = vec![
        mock!(Client::list_pipelines)
            .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api","version":3}]}"#)),
        mock!(Client::get_pipeline)
            .then_http_response(|| http(200, &fixtures::get_pipeline("api", 3))),
        mock!(Client::get_pipeline_state).then_http_response(|| http(200, &state())),
        mock!(Client::list_pipeline_executions).then_http_response(|| http(200, &executions())),
        action_runs.clone(),
        caller_identity(),
    ];
    (Fake::new(rules), action_runs)
}

async fn poll(backend: &wavetop::source::aws::AwsBackend) -> Flow {
    poll_flow(backend, "api").await
}

fn status_and_earlier(
    flow: &Flow,
    region: &str,
    action: &str,
) -> (ActionStatus, Option<ActionStatus>) {
    let a = flow
        .wave("NorthAmerica")
        .and_then(|w| w.cell(region))
        .and_then(|c| c.actions.iter().find(|a| a.name == action))
        .unwrap_or_else(|| panic!("{region}/{action}"));
    (a.status, a.earlier.as_ref().map(|e| e.status))
}

#[tokio::test]
async fn runs_the_times_cannot_place_are_looked_up_page_by_page_once_per_state() {
    let (fake, lookups) = fake(listed_runs());
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = poll(&backend).await;
    assert_eq!(lookups.num_calls(), 2, "both pages of exec-3's runs");
    use ActionStatus::*;
    // The gate is exec-3's; the change set is not, by its time.
    assert_eq!(
        status_and_earlier(&flow, "us-west-2", "UsWest2.Approve"),
        (Succeeded, None)
    );
    assert_eq!(
        status_and_earlier(&flow, "us-west-2", "UsWest2.ApiStack.Deploy"),
        (NotStarted, Some(Succeeded))
    );
    // Finished after exec-3 started, yet absent from exec-3's runs.
    assert_eq!(
        status_and_earlier(&flow, "us-east-2", "UsEast2.ApiStack.Deploy"),
        (NotStarted, Some(Succeeded))
    );
    let na = flow.wave("NorthAmerica").unwrap();
    assert!(
        na.cells
            .iter()
            .all(|c| c.status() == CellStatus::NotStarted)
    );
    // Settled stages are drawn from the state alone.
    assert_eq!(
        flow.wave("SouthAmerica").unwrap().cells[0].status(),
        CellStatus::Succeeded
    );

    // The same state again: the runs at hand still answer.
    poll(&backend).await;
    assert_eq!(lookups.num_calls(), 2);
    assert!(backend.partial_errors().is_empty());
}

#[tokio::test]
async fn a_denied_lookup_is_said_and_the_times_still_place_what_they_can() {
    let denied = mock!(Client::list_action_executions).then_http_response(|| {
        json_error(
            "AccessDeniedException",
            "User is not authorized to perform: codepipeline:ListActionExecutions",
        )
    });
    let (fake, lookups) = fake(denied);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = poll(&backend).await;
    use ActionStatus::*;
    assert_eq!(
        status_and_earlier(&flow, "us-west-2", "UsWest2.ApiStack.Prepare"),
        (NotStarted, Some(Succeeded))
    );
    // Unplaceable runs count as the stage's current ones.
    assert_eq!(
        status_and_earlier(&flow, "us-east-2", "UsEast2.ApiStack.Deploy"),
        (Succeeded, None)
    );
    let errors = backend.partial_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, PollKey::Flow { flow: "api".into() });
    assert!(
        matches!(&errors[0].1, SourceError::AccessDenied(m) if m.contains("ListActionExecutions")),
        "{:?}",
        errors[0].1
    );
    // Nothing was learned: the next poll asks again.
    poll(&backend).await;
    assert_eq!(lookups.num_calls(), 2);
}

#[tokio::test]
async fn a_list_cut_short_is_not_taken_for_every_run_of_the_execution() {
    let endless = mock!(Client::list_action_executions).then_http_response(|| {
        http(
            200,
            &format!(
                r#"{{"actionExecutionDetails":[{}],"nextToken":"more"}}"#,
                run("Source", "org_api", "a-src-3")
            ),
        )
    });
    let (fake, lookups) = fake(endless);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = poll(&backend).await;
    assert_eq!(lookups.num_calls(), 10, "ten pages at most");
    // Had the cut list counted, every run but the source's would look earlier.
    assert_eq!(
        flow.wave("SouthAmerica").unwrap().cells[0].status(),
        CellStatus::Succeeded
    );
    let errors = backend.partial_errors();
    assert!(
        matches!(&errors[0].1, SourceError::Other(m) if m.contains("more than 1000 action runs")),
        "{errors:?}"
    );
}
