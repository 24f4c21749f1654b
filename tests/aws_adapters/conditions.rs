//! V2 stage conditions: declared in GetPipeline, reported in
//! GetPipelineState, the rules' runs from ListRuleExecutions (every page, for
//! one execution), and OverrideStageCondition with the refusals AWS answers.

use aws_sdk_codepipeline::Client;
use aws_sdk_codepipeline::types::ConditionType;
use aws_smithy_mocks::{Rule, mock};
use wavetop::config::schema::AwsConfig;
use wavetop::domain::alarms::{AlarmSelector, AlarmWatches};
use wavetop::domain::conditions::{
    ConditionKind, ConditionMark, RuleKind, RuleStatus, WaveConditions,
};
use wavetop::protocol::{Discovery, Observe, Operate, OperateCall, SourceError};
use wavetop::source::aws::{codepipeline, conditions};

use super::support::{Fake, caller_identity, http, json_error};

const PIPELINE: &str = r##"{"pipeline":{"name":"api","roleArn":"arn:aws:iam::1:role/p","version":4,
  "pipelineType":"V2","executionMode":"QUEUED","stages":[
  {"name":"Americas","actions":[],
   "beforeEntry":{"conditions":[{"result":"FAIL","rules":[
     {"name":"Quiet","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"CloudWatchAlarm","version":"1"},
      "configuration":{"AlarmName":"p99,errors","WaitTime":"20"},"region":"us-east-1"},
     {"name":"Window","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"DeploymentWindow","version":"1"},
      "configuration":{"Cron":"* 4-5 ? * * *","TimeZone":"UTC"}}]}]},
   "onSuccess":{"conditions":[{"rules":[
     {"name":"Smoke","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"LambdaInvoke","version":"1"},
      "configuration":{"FunctionName":"smoke-test"}},
     {"name":"Branch","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"VariableCheck","version":"1"},
      "configuration":{"Variable":"#{Source.Branch}","Operator":"EQ","Value":"main"}}]}]},
   "onFailure":{"result":"ROLLBACK","retryConfiguration":{"retryMode":"FAILED_ACTIONS"}}}]}}"##;

const STATE: &str = r#"{"pipelineName":"api","pipelineVersion":4,"stageStates":[
  {"stageName":"Americas","actionStates":[],
   "inboundExecution":{"pipelineExecutionId":"exec-9","status":"InProgress"},
   "latestExecution":{"pipelineExecutionId":"exec-8","status":"Succeeded"},
   "beforeEntryConditionState":{"latestExecution":{"status":"InProgress","summary":"watching"},
     "conditionStates":[{"latestExecution":{"status":"InProgress"},"ruleStates":[
       {"ruleName":"Quiet","latestExecution":{"status":"InProgress","summary":"p99 in ALARM","lastStatusChange":1763700000.0}},
       {"ruleName":"Window","latestExecution":{"status":"Succeeded","lastStatusChange":1763700000.0}}]}]}}]}"#;

fn client(fake: &Fake) -> Client {
    Client::from_conf(fake.configs().codepipeline)
}

#[tokio::test]
async fn getpipeline_conditions_and_their_states_become_the_waves_conditions() {
    let get = mock!(Client::get_pipeline).then_http_response(|| http(200, PIPELINE));
    let state = mock!(Client::get_pipeline_state).then_http_response(|| http(200, STATE));
    let fake = Fake::new(vec![get, state]);
    let cp = client(&fake);
    let decl = codepipeline::get_pipeline(&cp, "api")
        .await
        .unwrap()
        .pipeline;
    let st = codepipeline::get_pipeline_state(&cp, "api").await.unwrap();
    let stage = &st.stage_states[0];
    let c = WaveConditions::from_docs(
        &decl.stages[0].conditions,
        Some(&stage.conditions),
        Some("exec-8"),
    )
    .unwrap();
    let rules: Vec<&RuleKind> = c
        .sets
        .iter()
        .flat_map(|s| s.rules())
        .map(|r| &r.kind)
        .collect();
    assert_eq!(
        rules[0],
        &RuleKind::CloudWatchAlarm {
            alarm_names: vec!["p99".into(), "errors".into()],
            wait_time_mins: Some(20)
        }
    );
    assert!(matches!(rules[1], RuleKind::DeploymentWindow { cron, .. } if cron == "* 4-5 ? * * *"));
    assert!(
        matches!(rules[2], RuleKind::LambdaInvoke { function_name } if function_name == "smoke-test")
    );
    assert!(matches!(rules[3], RuleKind::VariableCheck { value, .. } if value == "main"));
    assert_eq!(c.mark(), Some(ConditionMark::Blocking));
    let (set, execution) = c.overridable().unwrap();
    assert_eq!(
        (set.kind, execution),
        (ConditionKind::BeforeEntry, "exec-9")
    );
    let policy = c.on_failure.as_ref().unwrap();
    assert!(policy.rolls_back());
    assert_eq!(policy.retry_mode.as_deref(), Some("FAILED_ACTIONS"));
    let quiet = &c.sets[0].conditions[0].rules[0];
    assert_eq!(quiet.region.as_deref(), Some("us-east-1"));
    assert_eq!(
        quiet.result.as_ref().unwrap().summary.as_deref(),
        Some("p99 in ALARM")
    );
}

fn rule_run(id: &str, rule: &str, status: &str, start: u64) -> String {
    format!(
        r#"{{"pipelineExecutionId":"exec-9","ruleExecutionId":"{id}","stageName":"Americas","ruleName":"{rule}",
            "status":"{status}","startTime":{start}.0,"lastUpdateTime":{start}.0,
            "output":{{"executionResult":{{"externalExecutionSummary":"{rule} {status}"}}}}}}"#
    )
}

#[tokio::test]
async fn rule_runs_are_read_page_by_page_for_one_execution() {
    let pages = mock!(Client::list_rule_executions)
        .match_requests(|r| {
            r.pipeline_name() == Some("api")
                && r.filter().and_then(|f| f.pipeline_execution_id()) == Some("exec-9")
        })
        .sequence()
        .http_response(|| {
            http(
                200,
                &format!(
                    r#"{{"ruleExecutionDetails":[{}],"nextToken":"p2"}}"#,
                    rule_run("r-1", "Quiet", "InProgress", 1_763_700_000)
                ),
            )
        })
        .http_response(|| {
            http(
                200,
                &format!(
                    r#"{{"ruleExecutionDetails":[{}]}}"#,
                    rule_run("r-2", "Window", "Succeeded", 1_763_700_010)
                ),
            )
        })
        .build();
    let fake = Fake::new(vec![pages.clone()]);
    let runs = conditions::list_rule_runs(&client(&fake), "api", "exec-9")
        .await
        .unwrap();
    assert_eq!(pages.num_calls(), 2);
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].rule, "Quiet");
    assert_eq!(runs[0].status, RuleStatus::InProgress);
    assert_eq!(runs[0].summary.as_deref(), Some("Quiet InProgress"));
    assert_eq!(runs[1].started_at.unwrap().as_second(), 1_763_700_010);
}

#[tokio::test]
async fn a_denied_rule_run_read_is_an_access_error() {
    let denied = mock!(Client::list_rule_executions)
        .then_http_response(|| json_error("AccessDeniedException", "not allowed"));
    let fake = Fake::new(vec![denied]);
    let err = conditions::list_rule_runs(&client(&fake), "api", "exec-9")
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::AccessDenied(_)), "{err:?}");
}

fn override_call(condition: ConditionKind) -> OperateCall {
    OperateCall::OverrideStageCondition {
        pipeline: "api".into(),
        stage: "Americas".into(),
        execution_id: "exec-9".into(),
        condition,
    }
}

#[tokio::test]
async fn the_override_names_the_stage_execution_and_condition_type() {
    let ok = mock!(Client::override_stage_condition)
        .match_requests(|r| {
            r.pipeline_name() == Some("api")
                && r.stage_name() == Some("Americas")
                && r.pipeline_execution_id() == Some("exec-9")
                && r.condition_type() == Some(&ConditionType::OnSuccess)
        })
        .then_http_response(|| http(200, "{}"));
    let fake = Fake::new(vec![ok.clone()]);
    let b = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let outcome = b
        .execute(override_call(ConditionKind::OnSuccess))
        .await
        .unwrap();
    assert_eq!(ok.num_calls(), 1);
    assert!(outcome.detail.contains("on success"), "{}", outcome.detail);
}

#[tokio::test]
async fn override_refusals_keep_their_meaning() {
    let refusals = mock!(Client::override_stage_condition)
        .sequence()
        .http_response(|| {
            json_error(
                "ConditionNotOverridableException",
                "the condition already succeeded",
            )
        })
        .http_response(|| json_error("StageNotFoundException", "no stage Americas"))
        .http_response(|| json_error("PipelineNotFoundException", "no pipeline api"))
        .build();
    let fake = Fake::new(vec![refusals.clone()]);
    let b = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let call = override_call(ConditionKind::BeforeEntry);
    let not_overridable = b.execute(call.clone()).await.unwrap_err();
    assert!(
        matches!(&not_overridable, SourceError::Conflict(m) if m.contains("already succeeded")),
        "{not_overridable:?}"
    );
    assert!(matches!(
        b.execute(call.clone()).await,
        Err(SourceError::NotFound(_))
    ));
    assert!(matches!(
        b.execute(call).await,
        Err(SourceError::NotFound(_))
    ));
    // An on-failure condition is never sent: CodePipeline cannot override it.
    let refused = b.execute(override_call(ConditionKind::OnFailure)).await;
    assert!(matches!(refused, Err(SourceError::Other(_))), "{refused:?}");
    assert_eq!(refusals.num_calls(), 3);
}

/// `api` listed alone, its structure `pipeline`.
fn listed_alone(pipeline: &'static str) -> (Rule, Rule) {
    let list = mock!(Client::list_pipelines).then_http_response(|| {
        http(
            200,
            r#"{"pipelines":[{"name":"api","version":4,"updated":1763650000}]}"#,
        )
    });
    let get = mock!(Client::get_pipeline).then_http_response(move || http(200, pipeline));
    (list, get)
}

#[tokio::test]
async fn a_cloudwatch_alarm_rule_s_alarms_are_watched_without_config() {
    let (list, get) = listed_alone(PIPELINE);
    let fake = Fake::new(vec![list, get, caller_identity()]);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let discovery = backend.discover().await.unwrap();
    let watches: Vec<(&str, &str, &str, &[AlarmSelector])> = discovery
        .alarms
        .watches
        .iter()
        .map(|w| {
            (
                w.flow.as_str(),
                w.region.as_str(),
                w.account.as_str(),
                w.selectors.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        watches,
        vec![(
            "api",
            "us-east-1",
            "default",
            &[
                AlarmSelector::Name("p99".into()),
                AlarmSelector::Name("errors".into())
            ][..]
        )]
    );
    // A second discovery finds the same rule and watches each alarm once.
    let again = backend.discover().await.unwrap();
    assert_eq!(again.alarms.watches, discovery.alarms.watches);
}

const BAKED: &str = r##"{"pipeline":{"name":"api","roleArn":"arn:aws:iam::1:role/p","version":4,
  "pipelineType":"V2","executionMode":"QUEUED","stages":[
  {"name":"Europe","actions":[]},
  {"name":"Americas","actions":[],
   "beforeEntry":{"conditions":[{"rules":[
     {"name":"EuropeQuiet","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"CloudWatchAlarm","version":"1"},
      "configuration":{"AlarmName":"eu-5xx","WaitTime":"20"},"region":"eu-west-1"}]}]},
   "onSuccess":{"conditions":[{"rules":[
     {"name":"AmericasQuiet","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"CloudWatchAlarm","version":"1"},
      "configuration":{"AlarmName":"us-5xx","WaitTime":"45"}}]}]}}]}}"##;

/// Discovery of `BAKED` through a backend whose config set `configured`.
async fn baked_discovery(configured: AlarmWatches) -> Discovery {
    let (list, get) = listed_alone(BAKED);
    let fake = Fake::new(vec![list, get, caller_identity()]);
    let backend = fake
        .backend(AwsConfig::default(), &["us-east-1"])
        .with_alarms(configured);
    backend.discover().await.unwrap()
}

#[tokio::test]
async fn a_rule_s_wait_time_bakes_the_wave_it_follows_unless_the_config_says() {
    let d = baked_discovery(AlarmWatches::default()).await;
    let mins = |wave| d.alarms.bakes.of("api", wave).map(|t| t.as_mins());
    // Before entering Americas the pipeline watches Europe's alarm for 20
    // minutes: Europe's bake. Americas' own on-success rule bakes Americas.
    assert_eq!((mins("Europe"), mins("Americas")), (Some(20), Some(45)));
    let regions: Vec<(&str, &str)> = d
        .alarms
        .watches
        .iter()
        .map(|w| (w.region.as_str(), w.account.as_str()))
        .collect();
    assert_eq!(
        regions,
        vec![("eu-west-1", "default"), ("us-east-1", "default")]
    );

    let mut configured = AlarmWatches::default();
    configured
        .bakes
        .set("api", None, jiff::SignedDuration::from_mins(10));
    let d = baked_discovery(configured).await;
    let mins = |wave| d.alarms.bakes.of("api", wave).map(|t| t.as_mins());
    assert_eq!((mins("Europe"), mins("Americas")), (Some(10), Some(10)));
}
