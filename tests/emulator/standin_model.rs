//! One pipeline as the CodePipeline stand-in holds it: the `GetPipelineState`
//! answer and the `ListPipelineExecutions` summaries, both as AWS shapes
//! them, and the changes the operator calls (`standin_calls.rs`) and other
//! operators (the stand-in's scripts) make to them.
//!
//! The state is kept as the JSON AWS answers (not as wavetop's types), so a
//! fixture is read back field for field as written, including the fields
//! wavetop ignores, and nothing in the product decides what the stand-in says.
//!
//! Where the stand-in simplifies: it does not know the pipeline's structure
//! (that lives in moto), so it never runs actions on its own; a retry or a
//! rollback puts the stage's actions back in progress and leaves them there.

use super::*;

/// An error answer: the exception AWS names in `__type`, and its message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AwsError {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

pub(crate) fn refuse<T>(code: &'static str, message: impl Into<String>) -> Result<T, AwsError> {
    Err(AwsError {
        code,
        message: message.into(),
    })
}

/// Seconds since the epoch, as CodePipeline's JSON carries times.
pub(crate) fn epoch_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[derive(Debug, Clone)]
pub(crate) struct PipelineState {
    /// The `GetPipelineState` answer.
    pub(crate) state: Value,
    /// `pipelineExecutionSummaries` of `ListPipelineExecutions`, newest first.
    pub(crate) executions: Vec<Value>,
    /// Tokens of approvals already answered: answering one again is
    /// `ApprovalAlreadyCompletedException`, any other unknown token is invalid.
    answered_tokens: Vec<String>,
}

impl PipelineState {
    /// A fixture of `tests/fixtures/codepipeline/standin/` for the pipeline
    /// `name` (fixtures say `PIPELINE` where the name goes).
    pub(crate) fn fixture(file: &str, name: &str) -> PipelineState {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/codepipeline/standin")
            .join(file);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .replace("PIPELINE", name);
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        PipelineState {
            state: doc["getPipelineState"].clone(),
            executions: items(&doc["listPipelineExecutions"]["pipelineExecutionSummaries"])
                .to_vec(),
            answered_tokens: Vec::new(),
        }
    }

    pub(crate) fn name(&self) -> &str {
        text(&self.state["pipelineName"])
    }

    pub(crate) fn stage(&self, stage: &str) -> &Value {
        items(&self.state["stageStates"])
            .iter()
            .find(|s| s["stageName"] == stage)
            .unwrap_or(&Value::Null)
    }

    pub(crate) fn stage_mut(&mut self, stage: &str) -> Result<&mut Value, AwsError> {
        let pipeline = self.name().to_string();
        self.state["stageStates"]
            .as_array_mut()
            .and_then(|stages| stages.iter_mut().find(|s| s["stageName"] == stage))
            .map_or_else(
                || {
                    refuse(
                        "StageNotFoundException",
                        format!("Stage {stage} not found in pipeline {pipeline}"),
                    )
                },
                Ok,
            )
    }

    /// The `actionStates[]` entry of one action.
    pub(crate) fn action(&self, stage: &str, action: &str) -> &Value {
        items(&self.stage(stage)["actionStates"])
            .iter()
            .find(|a| a["actionName"] == action)
            .unwrap_or(&Value::Null)
    }

    pub(crate) fn action_mut(&mut self, stage: &str, action: &str) -> Result<&mut Value, AwsError> {
        self.stage_mut(stage)?["actionStates"]
            .as_array_mut()
            .and_then(|actions| actions.iter_mut().find(|a| a["actionName"] == action))
            .map_or_else(
                || {
                    refuse(
                        "ActionNotFoundException",
                        format!("Action {action} not found in stage {stage}"),
                    )
                },
                Ok,
            )
    }

    /// The token of the approval waiting in `action`, if one is.
    pub(crate) fn token(&self, stage: &str, action: &str) -> Option<String> {
        let latest = &self.action(stage, action)["latestExecution"];
        (latest["status"] == "InProgress")
            .then(|| latest["token"].as_str().map(str::to_string))
            .flatten()
    }

    pub(crate) fn execution(&self, id: &str) -> Option<&Value> {
        self.executions
            .iter()
            .find(|e| e["pipelineExecutionId"] == id)
    }

    pub(crate) fn set_execution_status(&mut self, id: &str, status: &str, now: f64) {
        if let Some(e) = self
            .executions
            .iter_mut()
            .find(|e| e["pipelineExecutionId"] == id)
        {
            e["status"] = json!(status);
            e["lastUpdateTime"] = json!(now);
        }
    }

    // ---- changes: what the operator calls do, and what scripts make others do ----

    /// Answers the approval waiting in `action` as `by` would: Approved or Rejected.
    pub(crate) fn answer_approval(
        &mut self,
        stage: &str,
        action: &str,
        status: &str,
        summary: &str,
        by: &str,
        now: f64,
    ) {
        let Ok(entry) = self.action_mut(stage, action) else {
            return;
        };
        let latest = &mut entry["latestExecution"];
        let token = latest.as_object_mut().and_then(|l| l.remove("token"));
        latest["status"] = json!(if status == "Approved" {
            "Succeeded"
        } else {
            "Failed"
        });
        latest["summary"] = json!(summary);
        latest["lastStatusChange"] = json!(now);
        latest["lastUpdatedBy"] = json!(by);
        if let Some(token) = token {
            self.answered_tokens.push(text(&token).to_string());
        }
        if status != "Approved" {
            let stage = self.stage_mut(stage).unwrap();
            stage["latestExecution"]["status"] = json!("Failed");
            let id = text(&stage["latestExecution"]["pipelineExecutionId"]).to_string();
            self.set_execution_status(&id, "Failed", now);
        }
    }

    /// Sets a stage's inbound transition as `by` would.
    pub(crate) fn set_transition(
        &mut self,
        stage: &str,
        enabled: bool,
        reason: Option<&str>,
        by: &str,
        now: f64,
    ) {
        let Ok(stage) = self.stage_mut(stage) else {
            return;
        };
        let mut transition = json!({
            "enabled": enabled,
            "lastChangedBy": by,
            "lastChangedAt": now,
        });
        if let (false, Some(reason)) = (enabled, reason) {
            transition["disabledReason"] = json!(reason);
        }
        stage["inboundTransitionState"] = transition;
    }

    /// A newer execution `id` reaches `stage`: the older one is superseded,
    /// each of `gates` (approval action, token) waits again under its new
    /// token, and the stage's other actions have not run yet.
    pub(crate) fn supersede(&mut self, stage: &str, id: &str, gates: &[(&str, &str)], now: f64) {
        let older = text(&self.stage(stage)["latestExecution"]["pipelineExecutionId"]).to_string();
        self.set_execution_status(&older, "Superseded", now);
        let trigger =
            json!({ "trigger": { "triggerType": "StartPipelineExecution", "triggerDetail": "" } });
        let Ok(stage) = self.start_execution(stage, id, trigger, now) else {
            return;
        };
        for action in stage["actionStates"].as_array_mut().into_iter().flatten() {
            let gate = gates.iter().find(|(name, _)| action["actionName"] == *name);
            let Some(entry) = action.as_object_mut() else {
                continue;
            };
            match gate {
                Some((_, token)) => {
                    entry.insert(
                        "latestExecution".into(),
                        json!({ "status": "InProgress", "token": token, "lastStatusChange": now }),
                    );
                }
                None => {
                    entry.remove("latestExecution");
                }
            }
        }
    }

    /// Whether `token` was an approval's, answered since.
    pub(crate) fn was_answered(&self, token: &str) -> bool {
        self.answered_tokens.iter().any(|t| t == token)
    }

    /// Execution `id` enters `stage`: its summary (`fields` added to the
    /// usual ones) heads the list, and the stage runs it; returns the stage.
    pub(crate) fn start_execution(
        &mut self,
        stage: &str,
        id: &str,
        fields: Value,
        now: f64,
    ) -> Result<&mut Value, AwsError> {
        let mut summary = json!({
            "pipelineExecutionId": id,
            "status": "InProgress",
            "startTime": now,
            "lastUpdateTime": now,
        });
        for (name, value) in fields.as_object().into_iter().flatten() {
            summary[name] = value.clone();
        }
        self.executions.insert(0, summary);
        let stage = self.stage_mut(stage)?;
        stage["latestExecution"] = json!({ "pipelineExecutionId": id, "status": "InProgress" });
        Ok(stage)
    }

    /// An execution ends on its own (e.g. succeeds) before anyone stops it.
    pub(crate) fn finish_execution(&mut self, id: &str, status: &str, now: f64) {
        self.set_execution_status(id, status, now);
        for stage in self.state["stageStates"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            if stage["latestExecution"]["pipelineExecutionId"] == id {
                stage["latestExecution"]["status"] = json!(status);
            }
        }
    }
}
