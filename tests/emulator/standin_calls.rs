//! The calls the CodePipeline stand-in answers for a pipeline it serves,
//! as CodePipeline answers them: the same checks, in the same order, refused
//! with the exceptions the API reference names for each operation, and on
//! success the same change to the state and the same output shape.

use super::*;

/// `ValidationException` worded as AWS words a failed member constraint.
fn invalid<T>(member: &str, value: &str, constraint: &str) -> Result<T, AwsError> {
    refuse(
        "ValidationException",
        format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
        ),
    )
}

/// CodePipeline's pattern for execution ids, approval tokens and the like.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, len)| {
            g.len() == len
                && g.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        })
}

/// DisableStageTransition's `reason`: 1-300 characters of `[a-zA-Z0-9!@ \(\)\.\*\?\-]`.
pub(crate) fn is_transition_reason(reason: &str) -> bool {
    (1..=300).contains(&reason.chars().count())
        && reason.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '!' | '@' | ' ' | '(' | ')' | '.' | '*' | '?' | '-')
        })
}

/// A required string member.
fn member<'v>(body: &'v Value, name: &str) -> Result<&'v str, AwsError> {
    match body[name].as_str() {
        Some(text) if !text.is_empty() => Ok(text),
        _ => invalid(name, "null", "Member must not be null"),
    }
}

/// A required member holding an id or a token.
fn uuid_member<'v>(body: &'v Value, name: &str) -> Result<&'v str, AwsError> {
    let value = member(body, name)?;
    if !is_uuid(value) {
        return invalid(
            name,
            value,
            "Member must satisfy regular expression pattern: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        );
    }
    Ok(value)
}

/// A member (at `path`, e.g. `result.status`) that must be one of `values`.
fn enum_member<'v>(value: &'v Value, path: &str, values: &[&str]) -> Result<&'v str, AwsError> {
    let given = text(value);
    if !values.contains(&given) {
        return invalid(
            path,
            given,
            &format!(
                "Member must satisfy enum value set: [{}]",
                values.join(", ")
            ),
        );
    }
    Ok(given)
}

impl PipelineState {
    /// `ListPipelineExecutions`, newest first, cut to `maxResults`.
    pub(crate) fn list_executions(&self, body: &Value) -> Value {
        let max = body["maxResults"].as_u64().unwrap_or(100) as usize;
        json!({ "pipelineExecutionSummaries": &self.executions[..max.min(self.executions.len())] })
    }

    /// One operator call as AWS answers it; a success is applied to the state.
    pub(crate) fn operate(
        &mut self,
        operation: &str,
        body: &Value,
        caller: &str,
        now: f64,
    ) -> Result<Value, AwsError> {
        match operation {
            "PutApprovalResult" => self.put_approval_result(body, caller, now),
            "RetryStageExecution" => self.retry_stage_execution(body, now),
            "DisableStageTransition" => self.change_transition(body, false, caller, now),
            "EnableStageTransition" => self.change_transition(body, true, caller, now),
            "StopPipelineExecution" => self.stop_pipeline_execution(body, now),
            "RollbackStage" => self.rollback_stage(body, caller, now),
            other => refuse(
                "UnknownOperationException",
                format!("the stand-in does not answer {other}"),
            ),
        }
    }

    fn put_approval_result(
        &mut self,
        body: &Value,
        caller: &str,
        now: f64,
    ) -> Result<Value, AwsError> {
        let stage = member(body, "stageName")?;
        let action = member(body, "actionName")?;
        let token = uuid_member(body, "token")?;
        let status = enum_member(
            &body["result"]["status"],
            "result.status",
            &["Approved", "Rejected"],
        )?;
        let summary = text(&body["result"]["summary"]);
        if summary.is_empty() || summary.chars().count() > 512 {
            return invalid(
                "result.summary",
                summary,
                "Member must have length between 1 and 512",
            );
        }
        self.action_mut(stage, action)?;
        if self.was_answered(token) {
            return refuse(
                "ApprovalAlreadyCompletedException",
                format!("The approval action {action} has already been answered"),
            );
        }
        if self.token(stage, action).as_deref() != Some(token) {
            return refuse(
                "InvalidApprovalTokenException",
                format!("The token for the approval action {action} is not valid"),
            );
        }
        self.answer_approval(stage, action, status, summary, caller, now);
        Ok(json!({ "approvedAt": now }))
    }

    fn retry_stage_execution(&mut self, body: &Value, now: f64) -> Result<Value, AwsError> {
        let stage = member(body, "stageName")?;
        let id = uuid_member(body, "pipelineExecutionId")?;
        let mode = enum_member(
            &body["retryMode"],
            "retryMode",
            &["FAILED_ACTIONS", "ALL_ACTIONS"],
        )?;
        let state = self.stage_mut(stage)?;
        let latest = &state["latestExecution"];
        if latest["pipelineExecutionId"] != id {
            return refuse(
                "NotLatestPipelineExecutionException",
                format!(
                    "Execution {id} is not the latest execution of stage {stage} ({})",
                    text(&latest["pipelineExecutionId"])
                ),
            );
        }
        let actions = items(&state["actionStates"]);
        let status_of = |a: &Value| text(&a["latestExecution"]["status"]).to_string();
        if latest["status"] != "Failed" || !actions.iter().any(|a| status_of(a) == "Failed") {
            return refuse(
                "StageNotRetryableException",
                format!("Stage {stage} has no failed actions to retry"),
            );
        }
        if mode == "ALL_ACTIONS" && actions.iter().any(|a| status_of(a) == "InProgress") {
            return refuse(
                "StageNotRetryableException",
                format!("Stage {stage} has actions in progress"),
            );
        }
        state["latestExecution"]["status"] = json!("InProgress");
        state["retryStageMetadata"] = json!({
            "autoStageRetryAttempt": 0,
            "manualStageRetryAttempt": 1,
            "latestRetryTrigger": "ManualStageRetry",
        });
        for action in state["actionStates"].as_array_mut().into_iter().flatten() {
            let latest = &mut action["latestExecution"];
            if mode == "ALL_ACTIONS" || latest["status"] == "Failed" {
                *latest = json!({ "status": "InProgress", "lastStatusChange": now });
            }
        }
        self.set_execution_status(id, "InProgress", now);
        Ok(json!({ "pipelineExecutionId": id }))
    }

    fn change_transition(
        &mut self,
        body: &Value,
        enable: bool,
        caller: &str,
        now: f64,
    ) -> Result<Value, AwsError> {
        let stage = member(body, "stageName")?;
        let kind = enum_member(
            &body["transitionType"],
            "transitionType",
            &["Inbound", "Outbound"],
        )?;
        let reason = if enable {
            None
        } else {
            let reason = text(&body["reason"]);
            if !is_transition_reason(reason) {
                return invalid(
                    "reason",
                    reason,
                    r"Member must satisfy regular expression pattern: [a-zA-Z0-9!@ \(\)\.\*\?\-]+ and have length between 1 and 300",
                );
            }
            Some(reason)
        };
        self.stage_mut(stage)?;
        // A stage's outbound transition is the next stage's inbound one.
        let target = if kind == "Outbound" {
            let stages = items(&self.state["stageStates"]);
            let at = stages.iter().position(|s| s["stageName"] == stage).unwrap();
            match stages.get(at + 1) {
                Some(next) => text(&next["stageName"]).to_string(),
                None => {
                    return invalid(
                        "stageName",
                        stage,
                        "the last stage has no outbound transition",
                    );
                }
            }
        } else {
            stage.to_string()
        };
        // Disabling a disabled transition is no error in CodePipeline: the
        // reason and who changed it are simply replaced.
        self.set_transition(&target, enable, reason, caller, now);
        Ok(json!({}))
    }

    fn stop_pipeline_execution(&mut self, body: &Value, now: f64) -> Result<Value, AwsError> {
        let id = uuid_member(body, "pipelineExecutionId")?;
        let abandon = body["abandon"].as_bool().unwrap_or(false);
        let reason = text(&body["reason"]);
        if reason.chars().count() > 200 {
            return invalid(
                "reason",
                reason,
                "Member must have length less than or equal to 200",
            );
        }
        let status = self
            .execution(id)
            .map(|e| text(&e["status"]).to_string())
            .unwrap_or_default();
        match status.as_str() {
            "InProgress" => {}
            "Stopping" if abandon => {}
            "Stopping" => {
                return refuse(
                    "DuplicatedStopRequestException",
                    format!(
                        "Execution {id} is already stopping; only stop and abandon is possible"
                    ),
                );
            }
            _ => {
                return refuse(
                    "PipelineExecutionNotStoppableException",
                    format!("Execution {id} is not in progress and cannot be stopped"),
                );
            }
        }
        let (ended, action_end) = if abandon {
            ("Stopped", "Abandoned")
        } else {
            ("Stopping", "InProgress")
        };
        if let Some(e) = self
            .executions
            .iter_mut()
            .find(|e| e["pipelineExecutionId"] == id)
        {
            e["stopTrigger"] = json!({ "reason": reason });
        }
        self.set_execution_status(id, ended, now);
        for stage in self.state["stageStates"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            if stage["latestExecution"]["pipelineExecutionId"] != id {
                continue;
            }
            if matches!(
                text(&stage["latestExecution"]["status"]),
                "InProgress" | "Stopping"
            ) {
                stage["latestExecution"]["status"] = json!(ended);
            }
            for action in stage["actionStates"].as_array_mut().into_iter().flatten() {
                if action["latestExecution"]["status"] == "InProgress" {
                    action["latestExecution"]["status"] = json!(action_end);
                }
            }
        }
        Ok(json!({ "pipelineExecutionId": id }))
    }

    fn rollback_stage(&mut self, body: &Value, caller: &str, now: f64) -> Result<Value, AwsError> {
        let stage = member(body, "stageName")?;
        let target = uuid_member(body, "targetPipelineExecutionId")?;
        let current = self.stage_mut(stage)?["latestExecution"].clone();
        let Some(execution) = self.execution(target) else {
            return refuse(
                "PipelineExecutionNotFoundException",
                format!("Execution {target} of {} does not exist", self.name()),
            );
        };
        if execution["status"] != "Succeeded" {
            return refuse(
                "UnableToRollbackStageException",
                format!(
                    "Execution {target} is {} and cannot be rolled back to",
                    text(&execution["status"])
                ),
            );
        }
        if current["status"] == "InProgress" {
            return refuse(
                "UnableToRollbackStageException",
                format!("Stage {stage} is running"),
            );
        }
        if current["pipelineExecutionId"] == target {
            return refuse(
                "UnableToRollbackStageException",
                format!("Stage {stage} already runs execution {target}"),
            );
        }
        // Fresh ids: one more than the executions listed, in CodePipeline's shape.
        let id = format!("00000000-0000-4000-8000-{:012x}", self.executions.len() + 1);
        let fields = json!({
            "trigger": { "triggerType": "ManualRollback", "triggerDetail": caller },
            "executionType": "ROLLBACK",
            "rollbackMetadata": { "rollbackTargetPipelineExecutionId": target },
        });
        let state = self.start_execution(stage, &id, fields, now)?;
        for action in state["actionStates"].as_array_mut().into_iter().flatten() {
            action["latestExecution"] = json!({ "status": "InProgress", "lastStatusChange": now });
        }
        Ok(json!({ "pipelineExecutionId": id }))
    }
}
