//! V2 `beforeEntry` conditions in the simulator: a stage whose declaration
//! holds a DeploymentWindow or CloudWatchAlarm rule lets an execution in only
//! when the rule passes, reports the rule's evaluation in GetPipelineState's
//! shape, and answers OverrideStageCondition as CodePipeline does.
//!
//! The simulator reads only the cron shapes its own declarations use: every
//! minute of an hour range (`* 4-5 ? * * *`, 04:00 to 06:00 in the rule's
//! time zone). Its alarms are in ALARM throughout, so an alarm rule fails
//! once its wait is over unless an operator overrides it first.

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::pipeline::epoch;
use crate::domain::condition_doc::{
    ConditionExecutionDoc, ConditionStateDoc, RuleExecutionDoc, RuleStateDoc,
    StageConditionStateDoc, StageConditionStatesDoc,
};
use crate::domain::conditions::{ConditionKind, RuleKind, WaveConditions};
use crate::domain::pipeline_doc::{PipelineDeclaration, StageExecution};
use crate::domain::window::Window;
use crate::protocol::SourceError;

/// What a stage's entrance checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum GateCheck {
    /// Open from `from_hour` to the end of `to_hour` in `zone`.
    Window {
        zone: String,
        from_hour: i8,
        to_hour: i8,
    },
    /// Watches an alarm that is in ALARM for `wait_mins`, then fails.
    AlarmFiring { alarm: String, wait_mins: i64 },
}

/// One rule's evaluation for one execution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub execution_id: String,
    pub began: Timestamp,
    pub changed: Timestamp,
    /// InProgress, Succeeded, Failed or Overridden.
    pub status: String,
    pub summary: String,
}

/// A stage's simulated `beforeEntry` rule and its latest evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateSim {
    pub stage: usize,
    pub rule: String,
    pub check: GateCheck,
    pub evaluation: Option<Evaluation>,
}

/// Whether an execution waiting at a stage may enter it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateAnswer {
    Enter,
    Wait,
    Fail,
}

/// The gates a declaration asks for: the first rule of each stage's
/// `beforeEntry` the simulator knows how to play.
pub fn gates_of(decl: &PipelineDeclaration) -> Vec<GateSim> {
    decl.stages
        .iter()
        .enumerate()
        .filter_map(|(stage, s)| {
            let conditions = WaveConditions::from_docs(&s.conditions, None, None)?;
            let set = conditions.set(ConditionKind::BeforeEntry)?;
            set.rules().find_map(|rule| {
                let check = match &rule.kind {
                    RuleKind::DeploymentWindow { cron, time_zone } => {
                        let (from_hour, to_hour) = hour_range(cron)?;
                        GateCheck::Window {
                            zone: time_zone.clone().unwrap_or_else(|| "UTC".into()),
                            from_hour,
                            to_hour,
                        }
                    }
                    RuleKind::CloudWatchAlarm {
                        alarm_names,
                        wait_time_mins,
                    } => GateCheck::AlarmFiring {
                        alarm: alarm_names.first()?.clone(),
                        wait_mins: i64::from(wait_time_mins.unwrap_or(5)),
                    },
                    _ => return None,
                };
                Some(GateSim {
                    stage,
                    rule: rule.name.clone(),
                    check,
                    evaluation: None,
                })
            })
        })
        .collect()
}

/// `* A-B ? * * *`: every minute from hour A through hour B.
fn hour_range(cron: &str) -> Option<(i8, i8)> {
    let mut fields = cron.split_whitespace();
    if fields.next()? != "*" {
        return None;
    }
    let (a, b) = fields.next()?.split_once('-')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

impl GateCheck {
    fn window(zone: &str, from_hour: i8, to_hour: i8) -> Option<Window> {
        let zone = TimeZone::get(zone).ok()?;
        let open = Time::new(from_hour, 0, 0, 0).ok()?;
        let close = Time::new((to_hour + 1) % 24, 0, 0, 0).ok()?;
        Window::new(zone, open, close)
    }
}

impl GateSim {
    /// Evaluates the rule for the execution waiting at the entrance.
    pub fn answer(&mut self, execution_id: &str, now: Timestamp) -> GateAnswer {
        let fresh = self
            .evaluation
            .as_ref()
            .is_none_or(|e| e.execution_id != execution_id);
        if fresh {
            self.evaluation = Some(Evaluation {
                execution_id: execution_id.to_string(),
                began: now,
                changed: now,
                status: "InProgress".into(),
                summary: String::new(),
            });
        }
        let Some(eval) = self.evaluation.as_mut() else {
            return GateAnswer::Enter;
        };
        match eval.status.as_str() {
            "Overridden" | "Succeeded" => return GateAnswer::Enter,
            "Failed" => return GateAnswer::Fail,
            _ => {}
        }
        let (status, summary, answer) = match &self.check {
            GateCheck::Window {
                zone,
                from_hour,
                to_hour,
            } => {
                let window = GateCheck::window(zone, *from_hour, *to_hour);
                match window {
                    Some(w) if !w.is_open(now) => {
                        let opens = w
                            .next_opening(now)
                            .map(|t| format!("; it opens at {t}"))
                            .unwrap_or_default();
                        (
                            "InProgress",
                            format!("Outside the deployment window{opens}"),
                            GateAnswer::Wait,
                        )
                    }
                    _ => (
                        "Succeeded",
                        "Inside the deployment window".to_string(),
                        GateAnswer::Enter,
                    ),
                }
            }
            GateCheck::AlarmFiring { alarm, wait_mins } => {
                let over = now >= eval.began + SignedDuration::from_mins(*wait_mins);
                if over {
                    (
                        "Failed",
                        format!("Alarm {alarm} was in ALARM during the {wait_mins}-minute wait"),
                        GateAnswer::Fail,
                    )
                } else {
                    (
                        "InProgress",
                        format!("Alarm {alarm} is in ALARM; watching it for {wait_mins} minutes"),
                        GateAnswer::Wait,
                    )
                }
            }
        };
        if eval.status != status {
            eval.changed = now;
            eval.status = status.to_string();
        }
        eval.summary = summary;
        answer
    }

    /// GetPipelineState's view of this gate.
    pub fn state_doc(&self) -> Option<StageConditionStatesDoc> {
        let eval = self.evaluation.as_ref()?;
        let waiting = eval.status == "InProgress" || eval.status == "Overridden";
        let set_status = |s: &str| ConditionExecutionDoc {
            status: s.to_string(),
            summary: Some(eval.summary.clone()),
            last_status_change: epoch(eval.changed),
        };
        Some(StageConditionStatesDoc {
            inbound_execution: waiting.then(|| StageExecution {
                pipeline_execution_id: eval.execution_id.clone(),
                status: "InProgress".into(),
            }),
            before_entry_condition_state: Some(StageConditionStateDoc {
                latest_execution: Some(set_status(&eval.status)),
                condition_states: vec![ConditionStateDoc {
                    latest_execution: Some(set_status(&eval.status)),
                    rule_states: vec![RuleStateDoc {
                        rule_name: self.rule.clone(),
                        latest_execution: Some(RuleExecutionDoc {
                            status: if eval.status == "Overridden" {
                                "Abandoned".into()
                            } else {
                                eval.status.clone()
                            },
                            summary: Some(eval.summary.clone()),
                            // A rule in progress reports when it began.
                            last_status_change: epoch(if eval.status == "InProgress" {
                                eval.began
                            } else {
                                eval.changed
                            }),
                            ..RuleExecutionDoc::default()
                        }),
                        entity_url: None,
                    }],
                }],
            }),
            ..StageConditionStatesDoc::default()
        })
    }

    /// OverrideStageCondition: only a before-entry evaluation still in
    /// progress for this very execution can be overridden.
    pub fn override_for(
        &mut self,
        execution_id: &str,
        now: Timestamp,
        identity: &str,
    ) -> Result<String, SourceError> {
        let eval = self
            .evaluation
            .as_mut()
            .filter(|e| e.execution_id == execution_id)
            .ok_or_else(|| {
                SourceError::NotFound(format!(
                    "PipelineExecutionNotFoundException: no condition evaluates for {execution_id}"
                ))
            })?;
        if eval.status != "InProgress" {
            return Err(SourceError::Conflict(format!(
                "ConditionNotOverridableException: the condition is {}",
                eval.status
            )));
        }
        eval.status = "Overridden".into();
        eval.summary = format!("Overridden by {identity}");
        eval.changed = now;
        Ok(format!(
            "overrode the before entry condition ({}) for execution {execution_id}",
            self.rule
        ))
    }
}
