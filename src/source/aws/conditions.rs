//! CodePipeline V2 stage conditions: the SDK's declarations and states turned
//! into the `condition_doc` shapes, the rules' runs of one execution
//! (ListRuleExecutions), and the override of a condition that holds a stage.

use aws_sdk_codepipeline::Client;
use aws_sdk_codepipeline::types as sdk;

use super::errors::map_sdk_error;
use super::time::{to_epoch, to_timestamp};
use crate::domain::condition_doc as doc;
use crate::domain::conditions::{ConditionKind, RuleRun, RuleStatus};
use crate::domain::pipeline_doc::{GetPipelineStateOutput, StageExecution};
use crate::protocol::SourceError;

/// Rule runs asked for per page of ListRuleExecutions (its maximum).
const RULE_RUNS_PER_PAGE: i32 = 100;
/// Pages read at most for one execution: a stage has a handful of rules,
/// rerun at most a few times, so more means something is wrong.
const MAX_RULE_RUN_PAGES: usize = 10;

/// A stage's declared conditions.
pub fn declared(s: &sdk::StageDeclaration) -> doc::StageConditionsDoc {
    doc::StageConditionsDoc {
        before_entry: s.before_entry().map(|b| doc::ConditionsDoc {
            conditions: b.conditions().iter().map(condition).collect(),
        }),
        on_success: s.on_success().map(|c| doc::ConditionsDoc {
            conditions: c.conditions().iter().map(condition).collect(),
        }),
        on_failure: s.on_failure().map(|f| doc::FailureConditionsDoc {
            result: f.result().map(|r| r.as_str().to_string()),
            retry_configuration: f.retry_configuration().map(|r| doc::RetryConfigurationDoc {
                retry_mode: r.retry_mode().map(|m| m.as_str().to_string()),
            }),
            conditions: f.conditions().iter().map(condition).collect(),
        }),
    }
}

fn condition(c: &sdk::Condition) -> doc::ConditionDoc {
    doc::ConditionDoc {
        result: c.result().map(|r| r.as_str().to_string()),
        rules: c
            .rules()
            .iter()
            .map(|r| doc::RuleDeclarationDoc {
                name: r.name().to_string(),
                rule_type_id: r.rule_type_id().map(|t| doc::RuleTypeIdDoc {
                    category: t.category().as_str().to_string(),
                    owner: t.owner().map(|o| o.as_str().to_string()),
                    provider: t.provider().to_string(),
                    version: t.version().map(str::to_string),
                }),
                configuration: r
                    .configuration()
                    .map(|c| c.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default(),
                region: r.region().map(str::to_string),
            })
            .collect(),
    }
}

/// A stage's latest condition results, and the execution at its entrance.
pub fn states(s: &sdk::StageState) -> doc::StageConditionStatesDoc {
    doc::StageConditionStatesDoc {
        inbound_execution: s.inbound_execution().map(|e| StageExecution {
            pipeline_execution_id: e.pipeline_execution_id().to_string(),
            status: e.status().as_str().to_string(),
        }),
        before_entry_condition_state: s.before_entry_condition_state().map(set_state),
        on_success_condition_state: s.on_success_condition_state().map(set_state),
        on_failure_condition_state: s.on_failure_condition_state().map(set_state),
    }
}

fn set_state(s: &sdk::StageConditionState) -> doc::StageConditionStateDoc {
    doc::StageConditionStateDoc {
        latest_execution: s.latest_execution().map(|e| doc::ConditionExecutionDoc {
            status: e.status().map(|s| s.as_str()).unwrap_or("").to_string(),
            summary: e.summary().map(str::to_string),
            last_status_change: None,
        }),
        condition_states: s
            .condition_states()
            .iter()
            .map(|c| doc::ConditionStateDoc {
                latest_execution: c.latest_execution().map(|e| doc::ConditionExecutionDoc {
                    status: e.status().map(|s| s.as_str()).unwrap_or("").to_string(),
                    summary: e.summary().map(str::to_string),
                    last_status_change: e.last_status_change().map(to_epoch),
                }),
                rule_states: c
                    .rule_states()
                    .iter()
                    .map(|r| doc::RuleStateDoc {
                        rule_name: r.rule_name().unwrap_or("").to_string(),
                        latest_execution: r.latest_execution().map(|e| doc::RuleExecutionDoc {
                            rule_execution_id: e.rule_execution_id().map(str::to_string),
                            status: e.status().map(|s| s.as_str()).unwrap_or("").to_string(),
                            summary: e.summary().map(str::to_string),
                            last_status_change: e.last_status_change().map(to_epoch),
                            last_updated_by: e.last_updated_by().map(str::to_string),
                            external_execution_url: e.external_execution_url().map(str::to_string),
                        }),
                        entity_url: r.entity_url().map(str::to_string),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The executions whose rule runs are worth reading: those a stage's
/// condition set evaluates now or failed for. A condition that passed, or
/// a stage with none, costs no call.
pub fn executions_to_read(state: &GetPipelineStateOutput) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for stage in &state.stage_states {
        let c = &stage.conditions;
        let current = stage.latest_execution.as_ref();
        let inbound = c.inbound_execution.as_ref().or(current);
        let sets = [
            (&c.before_entry_condition_state, inbound),
            (&c.on_success_condition_state, current),
            (&c.on_failure_condition_state, current),
        ];
        for (set, execution) in sets {
            let status = set
                .as_ref()
                .and_then(|s| s.latest_execution.as_ref())
                .map(|e| e.status.as_str());
            let open = matches!(status, Some("InProgress" | "Failed" | "Errored"));
            if let (true, Some(e)) = (open, execution)
                && !ids.contains(&e.pipeline_execution_id)
            {
                ids.push(e.pipeline_execution_id.clone());
            }
        }
    }
    ids
}

/// Every rule run of one pipeline execution, every page of them. Read only
/// for a stage whose condition evaluates or failed (its state says so): the
/// runs add when each rule began, which the wait left is counted from.
pub async fn list_rule_runs(
    client: &Client,
    pipeline: &str,
    execution_id: &str,
) -> Result<Vec<RuleRun>, SourceError> {
    const OP: &str = "codepipeline:ListRuleExecutions";
    let filter = sdk::RuleExecutionFilter::builder()
        .pipeline_execution_id(execution_id)
        .build();
    let mut runs = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_RULE_RUN_PAGES {
        let out = client
            .list_rule_executions()
            .pipeline_name(pipeline)
            .filter(filter.clone())
            .max_results(RULE_RUNS_PER_PAGE)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error(OP, e))?;
        runs.extend(out.rule_execution_details().iter().filter_map(rule_run));
        match out.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(runs),
        }
    }
    Err(SourceError::Other(format!(
        "{OP}: execution {execution_id} of {pipeline} has more than {} rule runs",
        MAX_RULE_RUN_PAGES * RULE_RUNS_PER_PAGE as usize
    )))
}

fn rule_run(d: &sdk::RuleExecutionDetail) -> Option<RuleRun> {
    let result = d.output().and_then(|o| o.execution_result());
    Some(RuleRun {
        pipeline_execution_id: d.pipeline_execution_id()?.to_string(),
        stage: d.stage_name()?.to_string(),
        rule: d.rule_name()?.to_string(),
        status: RuleStatus::parse(d.status()?.as_str()),
        summary: result
            .and_then(|r| r.external_execution_summary())
            .or_else(|| {
                result
                    .and_then(|r| r.error_details())
                    .and_then(|e| e.message())
            })
            .map(str::to_string),
        started_at: d.start_time().map(to_timestamp),
        updated_at: d.last_update_time().map(to_timestamp),
    })
}

pub async fn override_condition(
    client: &Client,
    pipeline: &str,
    stage: &str,
    execution_id: &str,
    kind: ConditionKind,
) -> Result<String, SourceError> {
    let condition_type = match kind {
        ConditionKind::BeforeEntry => sdk::ConditionType::BeforeEntry,
        ConditionKind::OnSuccess => sdk::ConditionType::OnSuccess,
        ConditionKind::OnFailure => {
            return Err(SourceError::Other(format!(
                "codepipeline:OverrideStageCondition: {} conditions cannot be overridden",
                kind.label()
            )));
        }
    };
    client
        .override_stage_condition()
        .pipeline_name(pipeline)
        .stage_name(stage)
        .pipeline_execution_id(execution_id)
        .condition_type(condition_type)
        .send()
        .await
        .map_err(|e| map_sdk_error("codepipeline:OverrideStageCondition", e))?;
    Ok(format!(
        "overrode the {} condition of {pipeline}/{stage} for execution {execution_id}",
        kind.label()
    ))
}
