//! CodePipeline: the SDK's types turned into the `pipeline_doc` shapes the
//! grid is derived from, and the calls wavetop makes.

use aws_sdk_codepipeline::Client;
use aws_sdk_codepipeline::types as sdk;

use super::errors::{map_sdk_error, missing};
use super::time::{to_epoch, to_timestamp};
use crate::domain::current_run::ActionRun;
use crate::domain::fleet::{Execution, ExecutionMode, ExecutionStatus, PipelineType, RollbackOf};
use crate::domain::pipeline_doc as doc;
use crate::domain::pipeline_limits::{
    MAX_APPROVAL_SUMMARY, MAX_STOP_REASON, MAX_TRANSITION_REASON, is_transition_reason_char,
};
use crate::protocol::{RetryMode, SourceError};

/// Pages of ListPipelines read at most, 100 pipelines each.
const MAX_LIST_PAGES: usize = 20;
/// Executions shown per pipeline: the first page of ListPipelineExecutions.
pub const EXECUTIONS_PER_PIPELINE: i32 = 10;
/// Action runs asked for per page of ListActionExecutions (its maximum).
const ACTION_RUNS_PER_PAGE: i32 = 100;
/// Pages of ListActionExecutions read at most for one pipeline execution.
const MAX_ACTION_RUN_PAGES: usize = 10;

/// The keys of an action's configuration that wavetop reads (the stack a
/// CloudFormation action deploys, an approval's text and review link); the
/// others are not kept. A structure is held for every pipeline for as long
/// as the console runs, and a deploy action's configuration can carry
/// kilobytes nobody here reads (parameter overrides, template paths, role
/// ARNs). A key read from a declaration must be added here; the structure
/// cache then keeps a tree of its own, so no structure stored without it is
/// used.
pub(crate) const CONFIGURATION_READ: [&str; 3] = ["CustomData", "ExternalEntityLink", "StackName"];

/// A pipeline as `ListPipelines` names it: enough to tell whether a
/// structure read before is still current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub version: Option<i64>,
    /// Epoch milliseconds.
    pub updated: Option<i64>,
}

pub async fn list_pipelines(client: &Client) -> Result<Vec<Listed>, SourceError> {
    let mut listed = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_LIST_PAGES {
        let out = client
            .list_pipelines()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("codepipeline:ListPipelines", e))?;
        listed.extend(out.pipelines().iter().filter_map(|p| {
            Some(Listed {
                name: p.name()?.to_string(),
                version: p.version().map(i64::from),
                updated: p.updated().and_then(|t| t.to_millis().ok()),
            })
        }));
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(listed)
}

pub async fn get_pipeline(
    client: &Client,
    name: &str,
) -> Result<doc::GetPipelineOutput, SourceError> {
    const OP: &str = "codepipeline:GetPipeline";
    let out = client
        .get_pipeline()
        .name(name)
        .send()
        .await
        .map_err(|e| map_sdk_error(OP, e))?;
    let pipeline = out.pipeline().ok_or_else(|| missing(OP, "pipeline"))?;
    Ok(doc::GetPipelineOutput {
        pipeline: declaration_to_doc(pipeline),
        metadata: out.metadata().map(|m| doc::PipelineMetadata {
            pipeline_arn: m.pipeline_arn().map(str::to_string),
            created: m.created().map(to_epoch),
            updated: m.updated().map(to_epoch),
        }),
    })
}

pub async fn get_pipeline_state(
    client: &Client,
    name: &str,
) -> Result<doc::GetPipelineStateOutput, SourceError> {
    let out = client
        .get_pipeline_state()
        .name(name)
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:GetPipelineState", e))?;
    Ok(doc::GetPipelineStateOutput {
        pipeline_name: out.pipeline_name().unwrap_or(name).to_string(),
        pipeline_version: out.pipeline_version().map(i64::from),
        stage_states: out.stage_states().iter().map(stage_state_to_doc).collect(),
        created: out.created().map(to_epoch),
        updated: out.updated().map(to_epoch),
    })
}

pub async fn list_executions(client: &Client, name: &str) -> Result<Vec<Execution>, SourceError> {
    let out = client
        .list_pipeline_executions()
        .pipeline_name(name)
        .max_results(EXECUTIONS_PER_PIPELINE)
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:ListPipelineExecutions", e))?;
    Ok(out
        .pipeline_execution_summaries()
        .iter()
        .filter_map(|s| execution_from_summary(name, s))
        .collect())
}

/// The action runs of one pipeline execution, every page of them: which
/// actions that execution has reached. A list cut short would make runs it
/// leaves out look earlier, so more than [`MAX_ACTION_RUN_PAGES`] pages is
/// an error rather than a partial answer.
pub async fn list_action_runs(
    client: &Client,
    pipeline: &str,
    execution_id: &str,
) -> Result<Vec<ActionRun>, SourceError> {
    const OP: &str = "codepipeline:ListActionExecutions";
    let filter = sdk::ActionExecutionFilter::builder()
        .pipeline_execution_id(execution_id)
        .build();
    let mut runs = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_ACTION_RUN_PAGES {
        let out = client
            .list_action_executions()
            .pipeline_name(pipeline)
            .filter(filter.clone())
            .max_results(ACTION_RUNS_PER_PAGE)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error(OP, e))?;
        runs.extend(out.action_execution_details().iter().filter_map(|d| {
            Some(ActionRun {
                stage: d.stage_name()?.to_string(),
                action: d.action_name()?.to_string(),
                action_execution_id: d.action_execution_id().map(str::to_string),
            })
        }));
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(runs),
        }
    }
    Err(SourceError::Other(format!(
        "{OP}: execution {execution_id} of {pipeline} has more than {} action runs",
        MAX_ACTION_RUN_PAGES * ACTION_RUNS_PER_PAGE as usize
    )))
}

pub fn declaration_to_doc(p: &sdk::PipelineDeclaration) -> doc::PipelineDeclaration {
    doc::PipelineDeclaration {
        name: p.name().to_string(),
        role_arn: Some(p.role_arn().to_string()).filter(|r| !r.is_empty()),
        stages: p.stages().iter().map(stage_to_doc).collect(),
        version: p.version().map(i64::from),
        pipeline_type: p.pipeline_type().map(|t| t.as_str().to_string()),
        execution_mode: p.execution_mode().map(|m| m.as_str().to_string()),
    }
}

fn stage_to_doc(s: &sdk::StageDeclaration) -> doc::StageDeclaration {
    doc::StageDeclaration {
        name: s.name().to_string(),
        actions: s.actions().iter().map(action_to_doc).collect(),
        conditions: super::conditions::declared(s),
    }
}

fn action_to_doc(a: &sdk::ActionDeclaration) -> doc::ActionDeclaration {
    let type_id = a.action_type_id();
    doc::ActionDeclaration {
        name: a.name().into(),
        action_type_id: doc::ActionTypeId {
            category: type_id.map(|t| t.category().as_str()).unwrap_or("").into(),
            owner: type_id.map(|t| t.owner().as_str()).unwrap_or("").into(),
            provider: type_id.map(|t| t.provider()).unwrap_or("").into(),
            version: type_id.map(|t| t.version()).unwrap_or("").into(),
        },
        run_order: a.run_order(),
        configuration: a
            .configuration()
            .map(|c| {
                c.iter()
                    .filter(|(k, _)| CONFIGURATION_READ.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        region: a.region().map(Into::into),
        namespace: a.namespace().map(str::to_string),
    }
}

fn stage_state_to_doc(s: &sdk::StageState) -> doc::StageState {
    doc::StageState {
        stage_name: s.stage_name().unwrap_or("").to_string(),
        inbound_transition_state: s.inbound_transition_state().map(|t| doc::TransitionState {
            enabled: t.enabled(),
            last_changed_by: t.last_changed_by().map(str::to_string),
            last_changed_at: t.last_changed_at().map(to_epoch),
            disabled_reason: t.disabled_reason().map(str::to_string),
        }),
        action_states: s
            .action_states()
            .iter()
            .map(|a| doc::ActionState {
                action_name: a.action_name().unwrap_or("").to_string(),
                latest_execution: a.latest_execution().map(action_execution_to_doc),
                entity_url: a.entity_url().map(str::to_string),
                revision_url: a.revision_url().map(str::to_string),
            })
            .collect(),
        latest_execution: s.latest_execution().map(|e| doc::StageExecution {
            pipeline_execution_id: e.pipeline_execution_id().to_string(),
            status: e.status().as_str().to_string(),
        }),
        conditions: super::conditions::states(s),
    }
}

fn action_execution_to_doc(e: &sdk::ActionExecution) -> doc::ActionExecution {
    doc::ActionExecution {
        action_execution_id: e.action_execution_id().map(str::to_string),
        status: e.status().map(|s| s.as_str()).unwrap_or("").to_string(),
        summary: e.summary().map(str::to_string),
        last_status_change: e.last_status_change().map(to_epoch),
        token: e.token().map(str::to_string),
        external_execution_id: e.external_execution_id().map(str::to_string),
        external_execution_url: e.external_execution_url().map(str::to_string),
        percent_complete: e.percent_complete(),
        error_details: e.error_details().map(|d| doc::ErrorDetails {
            code: d.code().map(str::to_string),
            message: d.message().map(str::to_string),
        }),
        last_updated_by: e.last_updated_by().map(str::to_string),
    }
}

pub fn execution_from_summary(
    pipeline: &str,
    s: &sdk::PipelineExecutionSummary,
) -> Option<Execution> {
    let id = s.pipeline_execution_id()?.to_string();
    let started_at = s.start_time().map(to_timestamp)?;
    let updated_at = s.last_update_time().map(to_timestamp).unwrap_or(started_at);
    // The revision that started the execution: the first source action's.
    let revision = s.source_revisions().first();
    Some(Execution {
        pipeline: pipeline.into(),
        id: id.into(),
        status: s
            .status()
            .map(|st| parse_execution_status(st.as_str()))
            .unwrap_or(ExecutionStatus::InProgress),
        trigger: s
            .trigger()
            .and_then(|t| t.trigger_type())
            .map(|t| t.as_str().into())
            .unwrap_or_default(),
        revision_id: revision.and_then(|r| r.revision_id()).map(Into::into),
        revision_summary: revision
            .and_then(|r| r.revision_summary())
            .map(|s| super::revision_summary::readable(s).into()),
        started_at,
        updated_at,
        rollback: (s.execution_type() == Some(&sdk::ExecutionType::Rollback)).then(|| RollbackOf {
            target_execution_id: s
                .rollback_metadata()
                .and_then(|m| m.rollback_target_pipeline_execution_id())
                .map(str::to_string),
        }),
    })
}

pub fn parse_execution_status(s: &str) -> ExecutionStatus {
    match s {
        "Cancelled" => ExecutionStatus::Cancelled,
        "Stopped" => ExecutionStatus::Stopped,
        "Stopping" => ExecutionStatus::Stopping,
        "Succeeded" => ExecutionStatus::Succeeded,
        "Superseded" => ExecutionStatus::Superseded,
        "Failed" => ExecutionStatus::Failed,
        _ => ExecutionStatus::InProgress,
    }
}

pub fn pipeline_type(decl: &doc::PipelineDeclaration) -> PipelineType {
    match decl.pipeline_type.as_deref() {
        Some("V2") => PipelineType::V2,
        _ => PipelineType::V1,
    }
}

pub fn execution_mode(decl: &doc::PipelineDeclaration) -> ExecutionMode {
    match decl.execution_mode.as_deref() {
        Some("QUEUED") => ExecutionMode::Queued,
        Some("PARALLEL") => ExecutionMode::Parallel,
        // SUPERSEDED is the mode of every V1 pipeline and the V2 default.
        _ => ExecutionMode::Superseded,
    }
}

/// Cuts `text` to at most `max` characters, on a character boundary.
pub fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// DisableStageTransition accepts only some characters (see
/// `pipeline_limits`); anything else (colons, commas, slashes) becomes a
/// dash so a hold never fails on its wording.
pub fn transition_reason(reason: &str) -> String {
    let cleaned: String = reason
        .chars()
        .map(|c| if is_transition_reason_char(c) { c } else { '-' })
        .collect();
    let trimmed = clip(cleaned.trim(), MAX_TRANSITION_REASON);
    if trimmed.is_empty() {
        "held by wavetop".to_string()
    } else {
        trimmed
    }
}

/// The token of the approval action waiting in `stage`, read right before
/// answering it: tokens change with every execution.
pub fn approval_token(
    state: &doc::GetPipelineStateOutput,
    stage: &str,
    action: &str,
) -> Result<String, SourceError> {
    let stage_state = state
        .stage_states
        .iter()
        .find(|s| s.stage_name == stage)
        .ok_or_else(|| {
            SourceError::NotFound(format!("stage {stage} of {}", state.pipeline_name))
        })?;
    let action_state = stage_state
        .action_states
        .iter()
        .find(|a| a.action_name == action)
        .ok_or_else(|| SourceError::NotFound(format!("action {action} in stage {stage}")))?;
    let latest = action_state.latest_execution.as_ref();
    match (
        latest.map(|e| e.status.as_str()),
        latest.and_then(|e| e.token.clone()),
    ) {
        (Some("InProgress"), Some(token)) => Ok(token),
        (Some("Succeeded" | "Failed" | "Abandoned"), _) => {
            Err(SourceError::ApprovalAlreadyCompleted(format!(
                "{action} in stage {stage} is no longer waiting for an answer"
            )))
        }
        _ => Err(SourceError::InvalidApprovalToken(format!(
            "{action} in stage {stage} has no approval token"
        ))),
    }
}

pub async fn put_approval_result(
    client: &Client,
    pipeline: &str,
    stage: &str,
    action: &str,
    approved: bool,
    summary: &str,
) -> Result<String, SourceError> {
    let state = get_pipeline_state(client, pipeline).await?;
    let token = approval_token(&state, stage, action)?;
    let result = sdk::ApprovalResult::builder()
        .summary(clip(summary, MAX_APPROVAL_SUMMARY))
        .status(if approved {
            sdk::ApprovalStatus::Approved
        } else {
            sdk::ApprovalStatus::Rejected
        })
        .build()
        .map_err(|e| SourceError::Other(format!("codepipeline:PutApprovalResult: {e}")))?;
    let out = client
        .put_approval_result()
        .pipeline_name(pipeline)
        .stage_name(stage)
        .action_name(action)
        .result(result)
        .token(token)
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:PutApprovalResult", e))?;
    let verb = if approved { "approved" } else { "rejected" };
    Ok(match out.approved_at() {
        Some(at) => format!(
            "{action} in {pipeline}/{stage} {verb} at {}",
            to_timestamp(at)
        ),
        None => format!("{action} in {pipeline}/{stage} {verb}"),
    })
}

pub async fn retry_stage(
    client: &Client,
    pipeline: &str,
    stage: &str,
    execution_id: &str,
    mode: RetryMode,
) -> Result<String, SourceError> {
    let retry_mode = match mode {
        RetryMode::FailedActions => sdk::StageRetryMode::FailedActions,
        RetryMode::AllActions => sdk::StageRetryMode::AllActions,
    };
    let out = client
        .retry_stage_execution()
        .pipeline_name(pipeline)
        .stage_name(stage)
        .pipeline_execution_id(execution_id)
        .retry_mode(retry_mode.clone())
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:RetryStageExecution", e))?;
    Ok(format!(
        "retrying {} of {pipeline}/{stage} in execution {}",
        retry_mode.as_str(),
        out.pipeline_execution_id().unwrap_or(execution_id)
    ))
}

pub async fn disable_transition(
    client: &Client,
    pipeline: &str,
    stage: &str,
    reason: &str,
) -> Result<String, SourceError> {
    let reason = transition_reason(reason);
    client
        .disable_stage_transition()
        .pipeline_name(pipeline)
        .stage_name(stage)
        .transition_type(sdk::StageTransitionType::Inbound)
        .reason(&reason)
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:DisableStageTransition", e))?;
    Ok(format!("held {pipeline}/{stage}: {reason}"))
}

pub async fn enable_transition(
    client: &Client,
    pipeline: &str,
    stage: &str,
) -> Result<String, SourceError> {
    client
        .enable_stage_transition()
        .pipeline_name(pipeline)
        .stage_name(stage)
        .transition_type(sdk::StageTransitionType::Inbound)
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:EnableStageTransition", e))?;
    Ok(format!("released {pipeline}/{stage}"))
}

pub async fn stop_execution(
    client: &Client,
    pipeline: &str,
    execution_id: &str,
    abandon: bool,
    reason: &str,
) -> Result<String, SourceError> {
    client
        .stop_pipeline_execution()
        .pipeline_name(pipeline)
        .pipeline_execution_id(execution_id)
        .abandon(abandon)
        .reason(clip(reason, MAX_STOP_REASON))
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:StopPipelineExecution", e))?;
    let how = if abandon { "abandoning" } else { "stopping" };
    Ok(format!("{how} execution {execution_id} of {pipeline}"))
}

pub async fn rollback_stage(
    client: &Client,
    pipeline: &str,
    stage: &str,
    target_execution_id: &str,
) -> Result<String, SourceError> {
    let out = client
        .rollback_stage()
        .pipeline_name(pipeline)
        .stage_name(stage)
        .target_pipeline_execution_id(target_execution_id)
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:RollbackStage", e))?;
    Ok(format!(
        "rolling {pipeline}/{stage} back to {target_execution_id} (execution {})",
        out.pipeline_execution_id()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window_stage() -> sdk::StageDeclaration {
        let rule = sdk::RuleDeclaration::builder()
            .name("OffHours")
            .rule_type_id(
                sdk::RuleTypeId::builder()
                    .category(sdk::RuleCategory::Rule)
                    .owner(sdk::RuleOwner::Aws)
                    .provider("DeploymentWindow")
                    .version("1")
                    .build()
                    .unwrap(),
            )
            .configuration("Cron", "0 22 ? * MON-FRI *")
            .configuration("TimeZone", "America/Sao_Paulo")
            .build()
            .unwrap();
        let action = sdk::ActionDeclaration::builder()
            .name("SaEast1.Api.Deploy")
            .action_type_id(
                sdk::ActionTypeId::builder()
                    .category(sdk::ActionCategory::Deploy)
                    .owner(sdk::ActionOwner::Aws)
                    .provider("CloudFormation")
                    .version("1")
                    .build()
                    .unwrap(),
            )
            .run_order(2)
            .region("sa-east-1")
            .namespace("DeployVariables")
            .configuration("StackName", "SaEast1-Api")
            .configuration("ParameterOverrides", r#"{"Size":"large"}"#)
            .build()
            .unwrap();
        sdk::StageDeclaration::builder()
            .name("SouthAmerica")
            .actions(action)
            .before_entry(
                sdk::BeforeEntryConditions::builder()
                    .conditions(
                        sdk::Condition::builder()
                            .result(sdk::Result::Fail)
                            .rules(rule)
                            .build(),
                    )
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn declarations_keep_every_field_the_grid_and_windows_read() {
        let decl = sdk::PipelineDeclaration::builder()
            .name("api")
            .role_arn("arn:aws:iam::111122223333:role/p")
            .stages(window_stage())
            .version(7)
            .pipeline_type(sdk::PipelineType::V2)
            .execution_mode(sdk::ExecutionMode::Parallel)
            .build()
            .unwrap();
        let doc = declaration_to_doc(&decl);
        assert_eq!(doc.version, Some(7));
        assert_eq!(pipeline_type(&doc), PipelineType::V2);
        assert_eq!(execution_mode(&doc), ExecutionMode::Parallel);
        let action = &doc.stages[0].actions[0];
        assert_eq!(&*action.action_type_id.category, "Deploy");
        assert_eq!(&*action.action_type_id.owner, "AWS");
        assert_eq!(&*action.action_type_id.provider, "CloudFormation");
        assert_eq!(action.run_order, Some(2));
        assert_eq!(action.region.as_deref(), Some("sa-east-1"));
        assert_eq!(
            action.configuration.get("StackName").unwrap(),
            "SaEast1-Api"
        );
        assert!(
            !action.configuration.contains_key("ParameterOverrides"),
            "a configuration key nothing reads is not kept"
        );
        let before = doc.stages[0].conditions.before_entry.as_ref().unwrap();
        let rule = &before.conditions[0].rules[0];
        assert_eq!(before.conditions[0].result.as_deref(), Some("FAIL"));
        assert_eq!(
            rule.rule_type_id.as_ref().unwrap().provider,
            "DeploymentWindow"
        );
        assert_eq!(rule.configuration["TimeZone"], "America/Sao_Paulo");
        assert_eq!(rule.configuration["Cron"], "0 22 ? * MON-FRI *");
    }

    #[test]
    fn hold_reasons_are_made_acceptable_to_codepipeline() {
        assert_eq!(
            transition_reason("Held: until 22:00, sa-east-1/off-hours"),
            "Held- until 22-00- sa-east-1-off-hours"
        );
        assert_eq!(transition_reason("  "), "held by wavetop");
        assert_eq!(transition_reason(&"a".repeat(400)).len(), 300);
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        let clipped = clip(&"ü".repeat(600), 512);
        assert_eq!(clipped.chars().count(), 512);
        assert_eq!(clip("short", 512), "short");
    }

    #[test]
    fn execution_statuses_map_one_to_one() {
        for (s, expected) in [
            ("Cancelled", ExecutionStatus::Cancelled),
            ("InProgress", ExecutionStatus::InProgress),
            ("Stopped", ExecutionStatus::Stopped),
            ("Stopping", ExecutionStatus::Stopping),
            ("Succeeded", ExecutionStatus::Succeeded),
            ("Superseded", ExecutionStatus::Superseded),
            ("Failed", ExecutionStatus::Failed),
        ] {
            assert_eq!(parse_execution_status(s), expected);
        }
    }
}
