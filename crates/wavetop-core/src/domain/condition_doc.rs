//! The JSON shapes of a V2 stage's conditions, as `GetPipeline` declares them
//! and `GetPipelineState` reports their latest results (camelCase, epoch
//! seconds). They ride along in [`super::pipeline_doc`]'s stage shapes;
//! [`super::conditions`] turns them into what the grid and the rules read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A stage's three condition sets, each absent when not declared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageConditionsDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_entry: Option<ConditionsDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_success: Option<ConditionsDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_failure: Option<FailureConditionsDoc>,
}

/// `beforeEntry` and `onSuccess`: a list of conditions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionsDoc {
    #[serde(default)]
    pub conditions: Vec<ConditionDoc>,
}

/// `onFailure`: what to do when the stage fails (`ROLLBACK`, `RETRY`, `FAIL`,
/// `SKIP`), how to retry, and conditions that decide it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureConditionsDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_configuration: Option<RetryConfigurationDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionDoc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryConfigurationDoc {
    /// `ALL_ACTIONS` or `FAILED_ACTIONS`.
    #[serde(default)]
    pub retry_mode: Option<String>,
}

/// One condition: its rules, and the result applied when they do not pass.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    #[serde(default)]
    pub rules: Vec<RuleDeclarationDoc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleDeclarationDoc {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_type_id: Option<RuleTypeIdDoc>,
    #[serde(default)]
    pub configuration: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl RuleDeclarationDoc {
    /// An AWS-owned rule of kind `provider` (`CloudWatchAlarm`,
    /// `DeploymentWindow`, ...) with its configuration, as `GetPipeline`
    /// gives it: what the simulator declares and the tests build.
    pub fn aws(name: &str, provider: &str, config: &[(&str, &str)]) -> RuleDeclarationDoc {
        RuleDeclarationDoc {
            name: name.to_string(),
            rule_type_id: Some(RuleTypeIdDoc {
                category: "Rule".into(),
                owner: Some("AWS".into()),
                provider: provider.into(),
                version: Some("1".into()),
            }),
            configuration: config
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            region: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleTypeIdDoc {
    /// Always `Rule` today.
    #[serde(default)]
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `CloudWatchAlarm`, `DeploymentWindow`, `LambdaInvoke`, `VariableCheck`, ...
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// GetPipelineState's latest results of a stage's condition sets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageConditionStatesDoc {
    /// The execution waiting at the stage's entrance: the one its
    /// `beforeEntry` conditions are evaluated for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbound_execution: Option<super::pipeline_doc::StageExecution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_entry_condition_state: Option<StageConditionStateDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_success_condition_state: Option<StageConditionStateDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_failure_condition_state: Option<StageConditionStateDoc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageConditionStateDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_execution: Option<ConditionExecutionDoc>,
    #[serde(default)]
    pub condition_states: Vec<ConditionStateDoc>,
}

/// The result of a condition set, or of one condition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionExecutionDoc {
    /// InProgress | Failed | Errored | Succeeded | Cancelled | Abandoned | Overridden
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status_change: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionStateDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_execution: Option<ConditionExecutionDoc>,
    #[serde(default)]
    pub rule_states: Vec<RuleStateDoc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleStateDoc {
    pub rule_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_execution: Option<RuleExecutionDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleExecutionDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_execution_id: Option<String>,
    /// InProgress | Abandoned | Succeeded | Failed
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status_change: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_execution_url: Option<String>,
}
