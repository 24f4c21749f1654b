//! Answers shaped as AWS sends them: a CDK Pipelines pipeline with waves and
//! cross-region CloudFormation actions, its state with a failed deployment,
//! a held wave and a pending approval, and its executions.

/// GetPipeline of a CDK pipeline: SouthAmerica [sa-east-1], NorthAmerica
/// [us-west-2, us-east-2] with an approval and a deployment window.
pub fn get_pipeline(name: &str, version: i32) -> String {
    let cfn = |action: &str, stack: &str, mode: &str, run: i32, region: &str| {
        format!(
            r#"{{"name":"{action}","actionTypeId":{{"category":"Deploy","owner":"AWS","provider":"CloudFormation","version":"1"}},
               "runOrder":{run},"configuration":{{"StackName":"{stack}","ActionMode":"{mode}","ChangeSetName":"PipelineChange","Capabilities":"CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND"}},
               "inputArtifacts":[{{"name":"Synth_Output"}}],"outputArtifacts":[],"region":"{region}",
               "roleArn":"arn:aws:iam::111122223333:role/cdk-deploy-role"}}"#
        )
    };
    format!(
        r#"{{"pipeline":{{"name":"{name}","roleArn":"arn:aws:iam::111122223333:role/{name}-role",
  "artifactStores":{{"us-east-1":{{"type":"S3","location":"art-use1"}},"sa-east-1":{{"type":"S3","location":"art-sae1"}}}},
  "stages":[
   {{"name":"Source","actions":[{{"name":"org_api","actionTypeId":{{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"}},
      "runOrder":1,"configuration":{{"FullRepositoryId":"org/api","BranchName":"main","ConnectionArn":"arn:aws:codestar-connections:us-east-1:111122223333:connection/x"}},
      "outputArtifacts":[{{"name":"src"}}],"inputArtifacts":[]}}]}},
   {{"name":"Build","actions":[{{"name":"Synth","actionTypeId":{{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"}},
      "runOrder":1,"configuration":{{"ProjectName":"synth"}},"inputArtifacts":[{{"name":"src"}}],"outputArtifacts":[{{"name":"Synth_Output"}}]}}]}},
   {{"name":"SouthAmerica","actions":[{sa_prepare},{sa_deploy}]}},
   {{"name":"NorthAmerica",
     "beforeEntry":{{"conditions":[{{"result":"FAIL","rules":[{{"name":"OffHours","ruleTypeId":{{"category":"Rule","owner":"AWS","provider":"DeploymentWindow","version":"1"}},
        "configuration":{{"Cron":"0 22 ? * MON-FRI *","TimeZone":"America/Los_Angeles"}}}}]}}]}},
     "actions":[
      {{"name":"UsWest2.Approve","actionTypeId":{{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"}},"runOrder":1,
        "configuration":{{"CustomData":"Check the SouthAmerica dashboards","ExternalEntityLink":"https://example.com/dash"}}}},
      {uw2_prepare},{uw2_deploy},{ue2_prepare},{ue2_deploy}]}}],
  "version":{version},"executionMode":"QUEUED","pipelineType":"V2"}},
 "metadata":{{"pipelineArn":"arn:aws:codepipeline:us-east-1:111122223333:{name}","created":1763600000.5,"updated":1763650000.25}}}}"#,
        sa_prepare = cfn(
            "ApiStack.Prepare",
            "SouthAmerica-ApiStack",
            "CHANGE_SET_REPLACE",
            1,
            "sa-east-1"
        ),
        sa_deploy = cfn(
            "ApiStack.Deploy",
            "SouthAmerica-ApiStack",
            "CHANGE_SET_EXECUTE",
            2,
            "sa-east-1"
        ),
        uw2_prepare = cfn(
            "UsWest2.ApiStack.Prepare",
            "UsWest2-ApiStack",
            "CHANGE_SET_REPLACE",
            2,
            "us-west-2"
        ),
        uw2_deploy = cfn(
            "UsWest2.ApiStack.Deploy",
            "UsWest2-ApiStack",
            "CHANGE_SET_EXECUTE",
            3,
            "us-west-2"
        ),
        ue2_prepare = cfn(
            "UsEast2.ApiStack.Prepare",
            "UsEast2-ApiStack",
            "CHANGE_SET_REPLACE",
            1,
            "us-east-2"
        ),
        ue2_deploy = cfn(
            "UsEast2.ApiStack.Deploy",
            "UsEast2-ApiStack",
            "CHANGE_SET_EXECUTE",
            2,
            "us-east-2"
        ),
    )
}

/// GetPipelineState: SouthAmerica failed in exec-2, NorthAmerica held with
/// the approval of exec-1 waiting (token `approval_token`).
pub fn get_pipeline_state(name: &str, version: i32, approval_token: &str) -> String {
    format!(
        r#"{{"pipelineName":"{name}","pipelineVersion":{version},"created":1763600000.5,"updated":1763650000.25,
 "stageStates":[
  {{"stageName":"Source","inboundExecutions":[],"inboundTransitionState":{{"enabled":true}},
    "actionStates":[{{"actionName":"org_api","currentRevision":{{"revisionId":"9f1c2e7"}},
      "latestExecution":{{"actionExecutionId":"a-src","status":"Succeeded","summary":"fix: retry budget","lastStatusChange":1763700000.123,"externalExecutionId":"9f1c2e7"}},
      "entityUrl":"https://github.com/org/api","revisionUrl":"https://github.com/org/api/commit/9f1c2e7"}}],
    "latestExecution":{{"pipelineExecutionId":"exec-2","status":"Succeeded"}}}},
  {{"stageName":"Build","inboundTransitionState":{{"enabled":true}},
    "actionStates":[{{"actionName":"Synth","latestExecution":{{"actionExecutionId":"a-b","status":"Succeeded","lastStatusChange":1763700300.0,
      "externalExecutionUrl":"https://console.aws.amazon.com/codebuild/x"}}}}],
    "latestExecution":{{"pipelineExecutionId":"exec-2","status":"Succeeded"}}}},
  {{"stageName":"SouthAmerica","inboundTransitionState":{{"enabled":true}},
    "actionStates":[
     {{"actionName":"ApiStack.Prepare","latestExecution":{{"actionExecutionId":"a-p","status":"Succeeded","lastStatusChange":1763700400.0}}}},
     {{"actionName":"ApiStack.Deploy","latestExecution":{{"actionExecutionId":"a-d","status":"Failed","lastStatusChange":1763700500.0,
       "summary":"Stack update failed","errorDetails":{{"code":"JobFailed","message":"Stack SouthAmerica-ApiStack is in UPDATE_ROLLBACK_COMPLETE state"}}}}}}],
    "latestExecution":{{"pipelineExecutionId":"exec-2","status":"Failed"}}}},
  {{"stageName":"NorthAmerica",
    "inboundTransitionState":{{"enabled":false,"lastChangedBy":"arn:aws:sts::111122223333:assumed-role/oncall/alice","lastChangedAt":1763700100.0,"disabledReason":"Held until us-west-2 off-hours"}},
    "actionStates":[
     {{"actionName":"UsWest2.Approve","latestExecution":{{"actionExecutionId":"a-ap","status":"InProgress","lastStatusChange":1763690000.0,"token":"{approval_token}"}}}},
     {{"actionName":"UsWest2.ApiStack.Prepare"}},{{"actionName":"UsWest2.ApiStack.Deploy"}},
     {{"actionName":"UsEast2.ApiStack.Prepare","latestExecution":{{"status":"Succeeded","lastStatusChange":1763689000.0}}}},
     {{"actionName":"UsEast2.ApiStack.Deploy","latestExecution":{{"status":"Succeeded","lastStatusChange":1763689500.0}}}}],
    "latestExecution":{{"pipelineExecutionId":"exec-1","status":"InProgress"}}}}]}}"#
    )
}

pub fn list_pipeline_executions() -> String {
    r#"{"pipelineExecutionSummaries":[
  {"pipelineExecutionId":"exec-2","status":"Failed","statusSummary":"Stack update failed","startTime":1763699900.0,"lastUpdateTime":1763700500.0,
   "sourceRevisions":[{"actionName":"org_api","revisionId":"9f1c2e7","revisionSummary":"{\"ProviderType\":\"GitHub\",\"CommitMessage\":\"fix: retry budget\"}","revisionUrl":"https://github.com/org/api/commit/9f1c2e7"}],
   "trigger":{"triggerType":"CloudWatchEvent","triggerDetail":"arn:aws:events:us-east-1:111122223333:rule/x"},"executionMode":"QUEUED","executionType":"STANDARD"},
  {"pipelineExecutionId":"exec-1","status":"InProgress","startTime":1763680000.0,"lastUpdateTime":1763690000.0,
   "sourceRevisions":[{"actionName":"org_api","revisionId":"77aa001","revisionSummary":"feat: new endpoint"}],
   "trigger":{"triggerType":"StartPipelineExecution","triggerDetail":"arn:aws:sts::111122223333:assumed-role/oncall/alice"},"executionMode":"QUEUED"}]}"#
        .to_string()
}

/// ListActionExecutions of exec-1 in NorthAmerica: the us-east-2
/// deployment and the us-west-2 gate still waiting.
pub fn list_action_executions_exec1() -> String {
    let run = |action: &str, id: &str, status: &str| {
        format!(
            r#"{{"pipelineExecutionId":"exec-1","actionExecutionId":"{id}","stageName":"NorthAmerica","actionName":"{action}",
                "status":"{status}","startTime":1763688000.0,"lastUpdateTime":1763689500.0}}"#
        )
    };
    format!(
        r#"{{"actionExecutionDetails":[{},{},{}]}}"#,
        run("UsEast2.ApiStack.Prepare", "a-uep", "Succeeded"),
        run("UsEast2.ApiStack.Deploy", "a-ued", "Succeeded"),
        run("UsWest2.Approve", "a-ap", "InProgress")
    )
}
