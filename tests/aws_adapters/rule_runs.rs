//! ListRuleExecutions with a flow's poll: read for the executions a stage's
//! condition evaluates or failed for, page by page, once per state; merged
//! into the stage's conditions, whose rule then waits from its run's start.
//! A denied read leaves what the state tells, and says so.

use aws_sdk_codepipeline::Client;
use aws_smithy_mocks::{Rule, mock};
use jiff::Timestamp;
use wavetop::config::schema::AwsConfig;
use wavetop::domain::conditions::RuleStatus;
use wavetop::domain::fleet::Flow;
use wavetop::protocol::{Observe, PollKey, SourceError};

use super::support::{Fake, caller_identity, http, json_error, poll_flow};

const PIPELINE: &str = r##"{"pipeline":{"name":"api","roleArn":"arn:aws:iam::1:role/p","version":4,
  "pipelineType":"V2","executionMode":"QUEUED","stages":[
  {"name":"Americas","actions":[
    {"name":"Deploy","actionTypeId":{"category":"Deploy","owner":"AWS","provider":"CloudFormation","version":"1"},
     "configuration":{"StackName":"api"},"region":"us-east-1"}],
   "beforeEntry":{"conditions":[{"result":"FAIL","rules":[
     {"name":"Quiet","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"CloudWatchAlarm","version":"1"},
      "configuration":{"AlarmName":"p99","WaitTime":"20"},"region":"us-east-1"}]}]}}]}}"##;

/// The state: exec-9 waits at the Americas entrance while its condition
/// (`status`) runs; the rule's own state changed at 1763700300.
fn state(status: &'static str) -> String {
    format!(
        r#"{{"pipelineName":"api","pipelineVersion":4,"stageStates":[
  {{"stageName":"Americas","actionStates":[{{"actionName":"Deploy"}}],
   "inboundExecution":{{"pipelineExecutionId":"exec-9","status":"InProgress"}},
   "latestExecution":{{"pipelineExecutionId":"exec-8","status":"Succeeded"}},
   "beforeEntryConditionState":{{"latestExecution":{{"status":"{status}"}},
     "conditionStates":[{{"latestExecution":{{"status":"{status}"}},"ruleStates":[
       {{"ruleName":"Quiet","latestExecution":{{"status":"{status}","lastStatusChange":1763700300.0}}}}]}}]}}}}]}}"#
    )
}

fn rule_run(id: &str, status: &str, start: u64) -> String {
    format!(
        r#"{{"pipelineExecutionId":"exec-9","ruleExecutionId":"{id}","stageName":"Americas","ruleName":"Quiet",
            "status":"{status}","startTime":{start}.0,"lastUpdateTime":{start}.0,
            "output":{{"executionResult":{{"externalExecutionSummary":"p99 watched since {start}"}}}}}}"#
    )
}

/// Two pages of exec-9's rule runs: an earlier run that failed, then the
/// one running since 1763700000.
fn paged_runs() -> Rule {
    mock!(Client::list_rule_executions)
        .match_requests(|r| r.filter().and_then(|f| f.pipeline_execution_id()) == Some("exec-9"))
        .then_compute_response(|r| {
            let body = match r.next_token() {
                None => format!(
                    r#"{{"ruleExecutionDetails":[{}],"nextToken":"p2"}}"#,
                    rule_run("r-1", "Failed", 1_763_699_000)
                ),
                Some(_) => format!(
                    r#"{{"ruleExecutionDetails":[{}]}}"#,
                    rule_run("r-2", "InProgress", 1_763_700_000)
                ),
            };
            aws_smithy_mocks::MockResponse::Http(http(200, &body))
        })
}

fn fake(status: &'static str, runs: Rule) -> Fake {
    Fake::new(vec![
        mock!(Client::list_pipelines)
            .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api","version":4}]}"#)),
        mock!(Client::get_pipeline).then_http_response(|| http(200, PIPELINE)),
        mock!(Client::get_pipeline_state).then_http_response(move || http(200, &state(status))),
        mock!(Client::list_pipeline_executions)
            .then_http_response(|| http(200, r#"{"pipelineExecutionSummaries":[]}"#)),
        runs,
        caller_identity(),
    ])
}

async fn poll(backend: &wavetop::source::aws::AwsBackend) -> Flow {
    poll_flow(backend, "api").await
}

fn quiet(flow: &Flow) -> wavetop::domain::conditions::Rule {
    let conditions = flow.wave("Americas").unwrap().conditions.as_ref().unwrap();
    conditions.sets[0].conditions[0].rules[0].clone()
}

#[tokio::test]
async fn an_evaluating_condition_s_rule_runs_are_read_once_per_state_and_set_the_wait_left() {
    let runs = paged_runs();
    let fake = fake("InProgress", runs.clone());
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = poll(&backend).await;
    assert_eq!(runs.num_calls(), 2, "both pages");
    let rule = quiet(&flow);
    let result = rule.result.as_ref().unwrap();
    assert_eq!(result.status, RuleStatus::InProgress);
    assert_eq!(
        result.summary.as_deref(),
        Some("p99 watched since 1763700000")
    );
    // WaitTime 20 minutes from the run's start, not from the state's change.
    let now = Timestamp::from_second(1_763_700_000 + 5 * 60).unwrap();
    assert_eq!(rule.time_left(now).unwrap().as_secs(), 15 * 60);
    let evidence = flow
        .wave("Americas")
        .unwrap()
        .conditions
        .as_ref()
        .unwrap()
        .evidence(now);
    assert_eq!(evidence[0].time_left_secs, Some(15 * 60));

    // The same state again: the runs at hand still answer.
    let flow = poll(&backend).await;
    assert_eq!(runs.num_calls(), 2);
    assert_eq!(quiet(&flow).time_left(now).unwrap().as_secs(), 15 * 60);
    assert!(backend.partial_errors().is_empty());
}

#[tokio::test]
async fn a_condition_that_passed_costs_no_rule_run_read() {
    let runs = paged_runs();
    let fake = fake("Succeeded", runs.clone());
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = poll(&backend).await;
    assert_eq!(runs.num_calls(), 0);
    assert_eq!(
        quiet(&flow).result.unwrap().status,
        RuleStatus::Succeeded,
        "the state's result"
    );
}

#[tokio::test]
async fn a_denied_rule_run_read_leaves_the_state_s_result_and_says_so() {
    let denied = mock!(Client::list_rule_executions).then_http_response(|| {
        json_error(
            "AccessDeniedException",
            "User is not authorized to perform: codepipeline:ListRuleExecutions",
        )
    });
    let fake = fake("Failed", denied.clone());
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = poll(&backend).await;
    assert_eq!(denied.num_calls(), 1);
    let result = quiet(&flow).result.unwrap();
    assert_eq!(result.status, RuleStatus::Failed);
    assert_eq!(result.since.unwrap().as_second(), 1_763_700_300);
    let errors = backend.partial_errors();
    assert!(
        errors
            .iter()
            .any(|(k, e)| *k == PollKey::Flow { flow: "api".into() }
                && matches!(e, SourceError::AccessDenied(m) if m.contains("ListRuleExecutions"))),
        "{errors:?}"
    );
}
