//! The JSON shapes of CodePipeline's `GetPipeline` and `GetPipelineState`
//! answers, field for field as the service returns them (camelCase, epoch
//! seconds). The AWS adapter fills these from the SDK's types, the simulator
//! builds them directly, and the grid is derived from them in one place.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::action_configuration::ActionConfiguration;
use super::condition_doc::{StageConditionStatesDoc, StageConditionsDoc};
use super::shared_str::SharedStr;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetPipelineOutput {
    pub pipeline: PipelineDeclaration,
    #[serde(default)]
    pub metadata: Option<PipelineMetadata>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineMetadata {
    #[serde(default)]
    pub pipeline_arn: Option<String>,
    #[serde(default)]
    pub created: Option<f64>,
    #[serde(default)]
    pub updated: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineDeclaration {
    pub name: String,
    #[serde(default)]
    pub role_arn: Option<String>,
    pub stages: Vec<StageDeclaration>,
    #[serde(default)]
    pub version: Option<i64>,
    /// "V1" or "V2".
    #[serde(default)]
    pub pipeline_type: Option<String>,
    /// "SUPERSEDED", "QUEUED" or "PARALLEL".
    #[serde(default)]
    pub execution_mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageDeclaration {
    pub name: String,
    pub actions: Vec<ActionDeclaration>,
    /// V2 stage conditions (`beforeEntry`, `onSuccess`, `onFailure`), at
    /// the stage's own level in the JSON.
    #[serde(flatten, default)]
    pub conditions: StageConditionsDoc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionDeclaration {
    /// Shared with the grid's actions derived from it.
    pub name: SharedStr,
    pub action_type_id: ActionTypeId,
    #[serde(default)]
    pub run_order: Option<i32>,
    #[serde(default)]
    pub configuration: ActionConfiguration,
    #[serde(default)]
    pub region: Option<SharedStr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl StageDeclaration {
    pub fn new(name: &str, actions: Vec<ActionDeclaration>) -> Self {
        StageDeclaration {
            name: name.to_string(),
            actions,
            conditions: StageConditionsDoc::default(),
        }
    }
}

impl ActionDeclaration {
    /// An AWS-owned action type of version 1, without configuration.
    pub fn new(
        name: &str,
        category: &str,
        provider: &str,
        run_order: i32,
        region: Option<&str>,
    ) -> Self {
        ActionDeclaration {
            name: name.into(),
            action_type_id: ActionTypeId {
                category: category.into(),
                owner: "AWS".into(),
                provider: provider.into(),
                version: "1".into(),
            },
            run_order: Some(run_order),
            configuration: ActionConfiguration::default(),
            region: region.map(SharedStr::from),
            namespace: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionTypeId {
    pub category: SharedStr,
    pub owner: SharedStr,
    pub provider: SharedStr,
    pub version: SharedStr,
}

impl ActionTypeId {
    /// Its strings, for whoever replaces them with shared copies: a fleet
    /// declares thousands of actions of a handful of types.
    pub fn strings_mut(&mut self) -> [&mut Arc<str>; 4] {
        [
            self.category.arc_mut(),
            self.owner.arc_mut(),
            self.provider.arc_mut(),
            self.version.arc_mut(),
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetPipelineStateOutput {
    pub pipeline_name: String,
    #[serde(default)]
    pub pipeline_version: Option<i64>,
    #[serde(default)]
    pub stage_states: Vec<StageState>,
    #[serde(default)]
    pub created: Option<f64>,
    #[serde(default)]
    pub updated: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageState {
    pub stage_name: String,
    #[serde(default)]
    pub inbound_transition_state: Option<TransitionState>,
    #[serde(default)]
    pub action_states: Vec<ActionState>,
    #[serde(default)]
    pub latest_execution: Option<StageExecution>,
    /// The latest results of the stage's V2 conditions, at the stage
    /// state's own level in the JSON.
    #[serde(flatten, default)]
    pub conditions: StageConditionStatesDoc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitionState {
    pub enabled: bool,
    #[serde(default)]
    pub last_changed_by: Option<String>,
    #[serde(default)]
    pub last_changed_at: Option<f64>,
    #[serde(default)]
    pub disabled_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageExecution {
    pub pipeline_execution_id: String,
    /// Cancelled | InProgress | Failed | Stopped | Stopping | Succeeded
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionState {
    pub action_name: String,
    #[serde(default)]
    pub latest_execution: Option<ActionExecution>,
    #[serde(default)]
    pub entity_url: Option<String>,
    #[serde(default)]
    pub revision_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionExecution {
    #[serde(default)]
    pub action_execution_id: Option<String>,
    /// InProgress | Abandoned | Succeeded | Failed
    pub status: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub last_status_change: Option<f64>,
    /// Present while a manual approval waits for an answer.
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub external_execution_id: Option<String>,
    #[serde(default)]
    pub external_execution_url: Option<String>,
    #[serde(default)]
    pub percent_complete: Option<i32>,
    #[serde(default)]
    pub error_details: Option<ErrorDetails>,
    /// Who last changed the action's state: an approval's answerer, a
    /// retry's caller.
    #[serde(default)]
    pub last_updated_by: Option<String>,
}

impl ActionExecution {
    /// A run known by its status and the time of its last change alone.
    pub fn with_status(status: &str, last_status_change: Option<f64>) -> Self {
        ActionExecution {
            action_execution_id: None,
            status: status.to_string(),
            summary: None,
            last_status_change,
            token: None,
            external_execution_id: None,
            external_execution_url: None,
            percent_complete: None,
            error_details: None,
            last_updated_by: None,
        }
    }
}

impl ActionState {
    /// The state of an action whose latest run is `run`.
    pub fn ran(action_name: &str, run: ActionExecution) -> Self {
        ActionState {
            action_name: action_name.to_string(),
            latest_execution: Some(run),
            entity_url: None,
            revision_url: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}
