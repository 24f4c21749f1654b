//! A V2 stage's conditions as the console reads them: each condition set
//! (`beforeEntry`, `onSuccess`, `onFailure`), its rules by kind, and their
//! latest results. Built from the `condition_doc` shapes, pure data: the grid
//! marks a wave whose conditions block or failed, the cell detail lists them,
//! the override action targets them, and a promotion verdict can take
//! [`WaveConditions::evidence`] as one of its inputs.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::condition_doc::{
    ConditionDoc, ConditionExecutionDoc, ConditionsDoc, RuleDeclarationDoc, RuleStateDoc,
    StageConditionStateDoc, StageConditionStatesDoc, StageConditionsDoc,
};
use super::grid::epoch_to_timestamp;

/// Which of a stage's condition sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionKind {
    BeforeEntry,
    OnSuccess,
    OnFailure,
}

impl ConditionKind {
    /// The `conditionType` CodePipeline's API spells.
    pub fn api_name(self) -> &'static str {
        match self {
            ConditionKind::BeforeEntry => "BEFORE_ENTRY",
            ConditionKind::OnSuccess => "ON_SUCCESS",
            ConditionKind::OnFailure => "ON_FAILURE",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConditionKind::BeforeEntry => "before entry",
            ConditionKind::OnSuccess => "on success",
            ConditionKind::OnFailure => "on failure",
        }
    }

    /// OverrideStageCondition accepts these two only.
    pub fn overridable(self) -> bool {
        matches!(self, ConditionKind::BeforeEntry | ConditionKind::OnSuccess)
    }
}

/// What a rule checks, with the configuration that matters to an operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleKind {
    /// Passes while none of the alarms is in ALARM; `WaitTime` (minutes) is
    /// how long CodePipeline watches them.
    CloudWatchAlarm {
        alarm_names: Vec<String>,
        wait_time_mins: Option<u32>,
    },
    /// Passes inside the window the cron expression describes.
    DeploymentWindow {
        cron: String,
        time_zone: Option<String>,
    },
    LambdaInvoke {
        function_name: String,
    },
    VariableCheck {
        variable: String,
        operator: String,
        value: String,
    },
    /// A rule type wavetop does not know, kept by its provider name.
    Other {
        provider: String,
    },
}

impl RuleKind {
    fn from_doc(rule: &RuleDeclarationDoc) -> RuleKind {
        let config = |key: &str| rule.configuration.get(key).cloned().unwrap_or_default();
        let provider = rule
            .rule_type_id
            .as_ref()
            .map(|t| t.provider.as_str())
            .unwrap_or("");
        match provider {
            "CloudWatchAlarm" => RuleKind::CloudWatchAlarm {
                alarm_names: config("AlarmName")
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect(),
                wait_time_mins: rule
                    .configuration
                    .get("WaitTime")
                    .and_then(|w| w.trim().parse().ok()),
            },
            "DeploymentWindow" => RuleKind::DeploymentWindow {
                cron: config("Cron"),
                time_zone: rule.configuration.get("TimeZone").cloned(),
            },
            "LambdaInvoke" => RuleKind::LambdaInvoke {
                function_name: config("FunctionName"),
            },
            "VariableCheck" => RuleKind::VariableCheck {
                variable: config("Variable"),
                operator: config("Operator"),
                value: config("Value"),
            },
            other => RuleKind::Other {
                provider: other.to_string(),
            },
        }
    }

    /// The rule type's name, as CodePipeline spells it.
    pub fn provider(&self) -> &str {
        match self {
            RuleKind::CloudWatchAlarm { .. } => "CloudWatchAlarm",
            RuleKind::DeploymentWindow { .. } => "DeploymentWindow",
            RuleKind::LambdaInvoke { .. } => "LambdaInvoke",
            RuleKind::VariableCheck { .. } => "VariableCheck",
            RuleKind::Other { provider } => provider,
        }
    }

    /// The configuration in one short line.
    pub fn describe(&self) -> String {
        match self {
            RuleKind::CloudWatchAlarm {
                alarm_names,
                wait_time_mins,
            } => match wait_time_mins {
                Some(m) => format!("alarms {} for {m}m", alarm_names.join(", ")),
                None => format!("alarms {}", alarm_names.join(", ")),
            },
            RuleKind::DeploymentWindow { cron, time_zone } => {
                format!("window {cron} {}", time_zone.as_deref().unwrap_or("UTC"))
            }
            RuleKind::LambdaInvoke { function_name } => format!("lambda {function_name}"),
            RuleKind::VariableCheck {
                variable,
                operator,
                value,
            } => format!("{variable} {operator} {value}"),
            RuleKind::Other { provider } => provider.clone(),
        }
    }
}

/// A rule's latest status, as GetPipelineState and ListRuleExecutions say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    InProgress,
    Failed,
    Succeeded,
    Abandoned,
}

impl RuleStatus {
    pub fn parse(s: &str) -> RuleStatus {
        match s {
            "Failed" => RuleStatus::Failed,
            "Succeeded" => RuleStatus::Succeeded,
            "Abandoned" => RuleStatus::Abandoned,
            _ => RuleStatus::InProgress,
        }
    }
}

/// A condition's (or a condition set's) latest status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    InProgress,
    Failed,
    Errored,
    Succeeded,
    Cancelled,
    Abandoned,
    Overridden,
}

impl ConditionStatus {
    pub fn parse(s: &str) -> ConditionStatus {
        match s {
            "Failed" => ConditionStatus::Failed,
            "Errored" => ConditionStatus::Errored,
            "Succeeded" => ConditionStatus::Succeeded,
            "Cancelled" => ConditionStatus::Cancelled,
            "Abandoned" => ConditionStatus::Abandoned,
            "Overridden" => ConditionStatus::Overridden,
            _ => ConditionStatus::InProgress,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            ConditionStatus::InProgress => "evaluating",
            ConditionStatus::Failed => "failed",
            ConditionStatus::Errored => "errored",
            ConditionStatus::Succeeded => "passed",
            ConditionStatus::Cancelled => "cancelled",
            ConditionStatus::Abandoned => "abandoned",
            ConditionStatus::Overridden => "overridden",
        }
    }

    fn is_failure(self) -> bool {
        matches!(self, ConditionStatus::Failed | ConditionStatus::Errored)
    }
}

/// A rule's latest run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleResult {
    pub status: RuleStatus,
    pub summary: Option<String>,
    /// When the status last changed (for a rule in progress: when it began).
    pub since: Option<Timestamp>,
    pub updated_by: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    #[serde(flatten)]
    pub kind: RuleKind,
    /// Where the rule runs, when it names a region.
    pub region: Option<String>,
    pub result: Option<RuleResult>,
}

impl Rule {
    /// How long a waiting CloudWatchAlarm rule still watches its alarms:
    /// its `WaitTime` from when it began, never below zero.
    pub fn time_left(&self, now: Timestamp) -> Option<SignedDuration> {
        let RuleKind::CloudWatchAlarm {
            wait_time_mins: Some(mins),
            ..
        } = self.kind
        else {
            return None;
        };
        let result = self.result.as_ref()?;
        if result.status != RuleStatus::InProgress {
            return None;
        }
        let ends = result.since? + SignedDuration::from_mins(i64::from(mins));
        Some(ends.duration_since(now).max(SignedDuration::ZERO))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// What CodePipeline does when the rules do not pass: FAIL, ROLLBACK, SKIP, ...
    pub result: Option<String>,
    pub status: Option<ConditionStatus>,
    pub rules: Vec<Rule>,
}

/// One of a stage's condition sets with its latest result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionSet {
    pub kind: ConditionKind,
    pub status: Option<ConditionStatus>,
    pub summary: Option<String>,
    /// The pipeline execution the result is for, when known.
    pub execution_id: Option<String>,
    pub conditions: Vec<Condition>,
}

impl ConditionSet {
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.conditions.iter().flat_map(|c| c.rules.iter())
    }
}

/// What a stage does when it fails: roll back automatically, retry, ...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailurePolicy {
    /// ROLLBACK, RETRY, FAIL or SKIP.
    pub result: Option<String>,
    /// ALL_ACTIONS or FAILED_ACTIONS, for RETRY.
    pub retry_mode: Option<String>,
}

impl FailurePolicy {
    pub fn rolls_back(&self) -> bool {
        self.result.as_deref() == Some("ROLLBACK")
    }
}

/// How a wave's conditions stand at a glance, for the grid's mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionMark {
    /// A condition is still evaluating: the stage waits on it.
    Blocking,
    Failed,
}

/// Why a wave's conditions do not let it through yet: one line of evidence
/// for an operator (and a promotion verdict).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionEvidence {
    pub kind: ConditionKind,
    pub rule: String,
    pub provider: String,
    /// True when the rule failed; false while it is still evaluating.
    pub failed: bool,
    pub summary: Option<String>,
    pub time_left_secs: Option<i64>,
}

/// Every condition set a stage declares or reports, and its failure policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveConditions {
    pub sets: Vec<ConditionSet>,
    pub on_failure: Option<FailurePolicy>,
}

impl WaveConditions {
    /// The conditions of a stage from its declaration and its state; None
    /// when it declares none and reports none.
    pub fn from_docs(
        decl: &StageConditionsDoc,
        state: Option<&StageConditionStatesDoc>,
        stage_execution_id: Option<&str>,
    ) -> Option<WaveConditions> {
        let inbound = state
            .and_then(|s| s.inbound_execution.as_ref())
            .map(|e| e.pipeline_execution_id.as_str());
        let on_failure_doc = decl.on_failure.as_ref();
        let declared = [
            (
                ConditionKind::BeforeEntry,
                decl.before_entry.as_ref().map(|c| c.conditions.as_slice()),
                state.and_then(|s| s.before_entry_condition_state.as_ref()),
                inbound.or(stage_execution_id),
            ),
            (
                ConditionKind::OnSuccess,
                decl.on_success.as_ref().map(|c| c.conditions.as_slice()),
                state.and_then(|s| s.on_success_condition_state.as_ref()),
                stage_execution_id,
            ),
            (
                ConditionKind::OnFailure,
                on_failure_doc.map(|f| f.conditions.as_slice()),
                state.and_then(|s| s.on_failure_condition_state.as_ref()),
                stage_execution_id,
            ),
        ];
        let sets: Vec<ConditionSet> = declared
            .into_iter()
            .filter_map(|(kind, conditions, state, execution_id)| {
                let conditions = conditions.unwrap_or_default();
                if conditions.is_empty() && state.is_none() {
                    return None;
                }
                Some(set_from_docs(kind, conditions, state, execution_id))
            })
            .collect();
        let on_failure = on_failure_doc
            .filter(|f| f.result.is_some() || f.retry_configuration.is_some())
            .map(|f| FailurePolicy {
                result: f.result.clone(),
                retry_mode: f
                    .retry_configuration
                    .as_ref()
                    .and_then(|r| r.retry_mode.clone()),
            });
        (!sets.is_empty() || on_failure.is_some()).then_some(WaveConditions { sets, on_failure })
    }

    pub fn set(&self, kind: ConditionKind) -> Option<&ConditionSet> {
        self.sets.iter().find(|s| s.kind == kind)
    }

    /// Failed wins over blocking: a failure needs the operator, a wait only time.
    pub fn mark(&self) -> Option<ConditionMark> {
        let statuses = || self.sets.iter().filter_map(|s| s.status);
        if statuses().any(ConditionStatus::is_failure) {
            Some(ConditionMark::Failed)
        } else if statuses().any(|s| s == ConditionStatus::InProgress) {
            Some(ConditionMark::Blocking)
        } else {
            None
        }
    }

    /// The condition set an override acts on: the first overridable one
    /// that is evaluating or failed, with the execution it holds.
    pub fn overridable(&self) -> Option<(&ConditionSet, &str)> {
        self.sets.iter().find_map(|s| {
            let held = s
                .status
                .is_some_and(|st| st == ConditionStatus::InProgress || st.is_failure());
            match (&s.execution_id, held && s.kind.overridable()) {
                (Some(id), true) => Some((s, id.as_str())),
                _ => None,
            }
        })
    }

    /// Every rule of a set that is evaluating or failed that has not passed,
    /// each with its summary and the wait left.
    pub fn evidence(&self, now: Timestamp) -> Vec<ConditionEvidence> {
        self.sets
            .iter()
            .filter(|s| {
                s.status
                    .is_some_and(|st| st == ConditionStatus::InProgress || st.is_failure())
            })
            .flat_map(|s| s.rules().map(move |r| (s.kind, r)))
            .filter_map(|(kind, rule)| {
                let result = rule.result.as_ref()?;
                let failed = match result.status {
                    RuleStatus::Failed => true,
                    RuleStatus::InProgress => false,
                    RuleStatus::Succeeded | RuleStatus::Abandoned => return None,
                };
                Some(ConditionEvidence {
                    kind,
                    rule: rule.name.clone(),
                    provider: rule.kind.provider().to_string(),
                    failed,
                    summary: result.summary.clone(),
                    time_left_secs: rule.time_left(now).map(|d| d.as_secs()),
                })
            })
            .collect()
    }

    /// The CloudWatchAlarm rules of every set: alarms CodePipeline itself
    /// watches, which the alarm view adds without configuration.
    pub fn alarm_rules(&self) -> impl Iterator<Item = (&Rule, &[String], Option<u32>)> {
        self.sets
            .iter()
            .flat_map(ConditionSet::rules)
            .filter_map(|r| match &r.kind {
                RuleKind::CloudWatchAlarm {
                    alarm_names,
                    wait_time_mins,
                } => Some((r, alarm_names.as_slice(), *wait_time_mins)),
                _ => None,
            })
    }
}

fn set_from_docs(
    kind: ConditionKind,
    conditions: &[ConditionDoc],
    state: Option<&StageConditionStateDoc>,
    execution_id: Option<&str>,
) -> ConditionSet {
    let latest = state.and_then(|s| s.latest_execution.as_ref());
    let condition_states = state.map(|s| s.condition_states.as_slice()).unwrap_or(&[]);
    ConditionSet {
        kind,
        status: latest.map(|e| ConditionStatus::parse(&e.status)),
        summary: latest.and_then(|e| e.summary.clone()),
        execution_id: execution_id.map(str::to_string),
        conditions: conditions
            .iter()
            .enumerate()
            .map(|(i, c)| {
                // CodePipeline reports condition states in declaration order.
                let cs = condition_states.get(i);
                condition_from_doc(c, cs.and_then(|s| s.latest_execution.as_ref()), cs)
            })
            .collect(),
    }
}

fn condition_from_doc(
    c: &ConditionDoc,
    latest: Option<&ConditionExecutionDoc>,
    state: Option<&super::condition_doc::ConditionStateDoc>,
) -> Condition {
    let rule_states = state.map(|s| s.rule_states.as_slice()).unwrap_or(&[]);
    Condition {
        result: c.result.clone(),
        status: latest.map(|e| ConditionStatus::parse(&e.status)),
        rules: c
            .rules
            .iter()
            .map(|r| Rule {
                name: r.name.clone(),
                kind: RuleKind::from_doc(r),
                region: r.region.clone(),
                result: rule_states
                    .iter()
                    .find(|s| s.rule_name == r.name)
                    .and_then(rule_result),
            })
            .collect(),
    }
}

fn rule_result(state: &RuleStateDoc) -> Option<RuleResult> {
    let run = state.latest_execution.as_ref()?;
    Some(RuleResult {
        status: RuleStatus::parse(&run.status),
        summary: run.summary.clone(),
        since: run.last_status_change.and_then(epoch_to_timestamp),
        updated_by: run.last_updated_by.clone(),
        url: run
            .external_execution_url
            .clone()
            .or_else(|| state.entity_url.clone()),
    })
}

/// A rule's run from ListRuleExecutions: more precise than the state's
/// latest result (when it started, what it said), and for every rule that
/// ran in an execution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleRun {
    pub pipeline_execution_id: String,
    pub stage: String,
    pub rule: String,
    pub status: RuleStatus,
    pub summary: Option<String>,
    pub started_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
}

impl WaveConditions {
    /// Takes the runs ListRuleExecutions gave for this stage: a rule's
    /// newest run of the set's execution replaces its state's result, with
    /// the run's start as `since` so the wait left is counted from it.
    pub fn apply_rule_runs(&mut self, stage: &str, runs: &[RuleRun]) {
        for set in &mut self.sets {
            let Some(execution_id) = set.execution_id.clone() else {
                continue;
            };
            for rule in set.conditions.iter_mut().flat_map(|c| c.rules.iter_mut()) {
                let newest = runs
                    .iter()
                    .filter(|r| {
                        r.stage == stage
                            && r.rule == rule.name
                            && r.pipeline_execution_id == execution_id
                    })
                    .max_by_key(|r| r.started_at);
                if let Some(run) = newest {
                    rule.result = Some(RuleResult {
                        status: run.status,
                        summary: run
                            .summary
                            .clone()
                            .or_else(|| rule.result.as_ref().and_then(|r| r.summary.clone())),
                        since: run.started_at.or(run.updated_at),
                        updated_by: rule.result.as_ref().and_then(|r| r.updated_by.clone()),
                        url: rule.result.as_ref().and_then(|r| r.url.clone()),
                    });
                }
            }
        }
    }
}

/// A `ConditionsDoc` of one condition, for declarations built in code.
pub fn one_condition(result: &str, rules: Vec<RuleDeclarationDoc>) -> ConditionsDoc {
    ConditionsDoc {
        conditions: vec![ConditionDoc {
            result: Some(result.to_string()),
            rules,
        }],
    }
}

#[cfg(test)]
#[path = "conditions_tests.rs"]
mod tests;
