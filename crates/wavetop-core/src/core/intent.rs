//! What an operator asked to do, before it becomes AWS calls. An intent knows
//! which calls it makes, how to say so in a confirmation, and how dangerous it is.

use jiff::Timestamp;

use crate::core::op_target::OpTarget;
use crate::domain::conditions::ConditionKind;
use crate::domain::hold_reason::encode_hold;
use crate::domain::hold_schedule::{HoldSchedule, ScheduleRef};
use crate::domain::signed_text::{approval_summary, stop_reason};
use crate::protocol::{OperateCall, RetryMode};

#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    Approve {
        pipeline: String,
        stage: String,
        action: String,
        region: String,
    },
    Reject {
        pipeline: String,
        stage: String,
        action: String,
        region: String,
    },
    /// Approve when the region's off-hours window opens; wavetop sends the
    /// approval then, if it is still running.
    ApproveAtWindow {
        pipeline: String,
        stage: String,
        action: String,
        region: String,
        at: Timestamp,
    },
    Retry {
        pipeline: String,
        stage: String,
        execution_id: String,
        mode: RetryMode,
        regions: Vec<String>,
    },
    Hold {
        pipeline: String,
        stage: String,
        /// Every region the stage deploys: a hold stops them all.
        regions: Vec<String>,
        /// Release time when holding until a region's window.
        until: Option<Timestamp>,
        /// With `[scheduler]`: the schedule that releases the hold on time.
        schedule: Option<HoldSchedule>,
    },
    Release {
        pipeline: String,
        stage: String,
        regions: Vec<String>,
        /// With `[scheduler]`, for a hold placed until a window: its schedule, deleted.
        schedule: Option<ScheduleRef>,
    },
    /// A held stage's schedule, made again to open at the next opening of
    /// the window when it would fire on a freeze date added since the hold
    /// was placed (the schedule of that name is replaced).
    MoveHoldSchedule {
        pipeline: String,
        stage: String,
        /// When it fired before, as read back: `2026-12-24T22:00:00 America/Los_Angeles`.
        was: String,
        until: Timestamp,
        schedule: HoldSchedule,
    },
    Stop {
        pipeline: String,
        execution_id: String,
        abandon: bool,
    },
    Rollback {
        pipeline: String,
        stage: String,
        target_execution_id: String,
        regions: Vec<String>,
    },
    /// Let an execution past a stage condition that holds it.
    OverrideCondition {
        pipeline: String,
        stage: String,
        execution_id: String,
        condition: ConditionKind,
        /// The region the operator selected: typed to confirm.
        region: String,
        /// The rules not passing when the operator decided, for the dialog.
        rules: Vec<String>,
    },
    Drain {
        region: String,
        health_check_ids: Vec<String>,
        force: bool,
    },
    Restore {
        region: String,
        health_check_ids: Vec<String>,
    },
}

/// What the confirmation asks for beyond Cancel / Confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentRule {
    None,
    Optional(&'static str),
    Required(&'static str),
}

impl Intent {
    pub fn title(&self) -> &'static str {
        match self {
            Intent::Approve { .. } => "Approve manual gate",
            Intent::Reject { .. } => "Reject manual gate",
            Intent::ApproveAtWindow { .. } => "Approve at the region's window",
            Intent::Retry {
                mode: RetryMode::FailedActions,
                ..
            } => "Retry failed actions",
            Intent::Retry { .. } => "Retry all actions",
            Intent::Hold { until: Some(_), .. } => "Hold until the off-hours window",
            Intent::Hold { .. } => "Hold wave",
            Intent::Release { .. } => "Release hold",
            Intent::MoveHoldSchedule { .. } => "Move the hold's opening off a freeze date",
            Intent::Stop { abandon: false, .. } => "Stop execution",
            Intent::Stop { .. } => "Stop and abandon execution",
            Intent::Rollback { .. } => "Roll back wave",
            Intent::OverrideCondition { .. } => "Override stage condition",
            Intent::Drain { force: true, .. } => "FORCE drain region",
            Intent::Drain { .. } => "Drain region",
            Intent::Restore { .. } => "Restore region",
        }
    }

    /// The region or wave the calls act on, for the audit log and the
    /// one-operation-per-target rule.
    pub fn target(&self) -> OpTarget {
        match self {
            Intent::Approve {
                pipeline,
                stage,
                region,
                ..
            }
            | Intent::Reject {
                pipeline,
                stage,
                region,
                ..
            }
            | Intent::ApproveAtWindow {
                pipeline,
                stage,
                region,
                ..
            } => OpTarget::Gate {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
                region: region.clone(),
            },
            Intent::Retry {
                pipeline, stage, ..
            }
            | Intent::Hold {
                pipeline, stage, ..
            }
            | Intent::Release {
                pipeline, stage, ..
            }
            | Intent::MoveHoldSchedule {
                pipeline, stage, ..
            }
            | Intent::Rollback {
                pipeline, stage, ..
            }
            | Intent::OverrideCondition {
                pipeline, stage, ..
            } => OpTarget::Stage {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
            },
            Intent::Stop {
                pipeline,
                execution_id,
                ..
            } => OpTarget::Execution {
                pipeline: pipeline.clone(),
                execution_id: execution_id.clone(),
            },
            Intent::Drain { region, .. } | Intent::Restore { region, .. } => OpTarget::Dns {
                region: region.clone(),
            },
        }
    }

    /// The name the operator must type to confirm a dangerous intent.
    pub fn typed_confirmation(&self) -> Option<String> {
        match self {
            Intent::Reject { region, .. } => Some(region.clone()),
            Intent::Stop {
                abandon: true,
                pipeline,
                ..
            } => Some(pipeline.clone()),
            Intent::Rollback { stage, .. } => Some(stage.clone()),
            Intent::OverrideCondition { region, .. } => Some(region.clone()),
            Intent::Drain { region, .. } | Intent::Restore { region, .. } => Some(region.clone()),
            Intent::Hold { stage, regions, .. } if regions.len() > 1 => Some(stage.clone()),
            _ => None,
        }
    }

    pub fn comment_rule(&self) -> CommentRule {
        match self {
            Intent::Approve { .. } | Intent::ApproveAtWindow { .. } => {
                CommentRule::Optional("comment")
            }
            Intent::Reject { .. } => CommentRule::Required("why (required)"),
            Intent::Hold { .. } => CommentRule::Optional("reason"),
            Intent::Stop { .. } => CommentRule::Required("reason (required)"),
            _ => CommentRule::None,
        }
    }

    /// Whether the calls go out now (false: wavetop schedules them).
    pub fn is_deferred(&self) -> bool {
        matches!(self, Intent::ApproveAtWindow { .. })
    }

    /// Lines that say exactly which calls will be made on what.
    pub fn describe(&self) -> Vec<String> {
        match self {
            Intent::Approve {
                pipeline,
                stage,
                action,
                region,
            } => vec![
                format!("codepipeline:PutApprovalResult status=Approved ({region})"),
                format!("pipeline {pipeline}, stage {stage}, action {action}"),
            ],
            Intent::Reject {
                pipeline,
                stage,
                action,
                region,
            } => vec![
                format!("codepipeline:PutApprovalResult status=Rejected ({region})"),
                format!("pipeline {pipeline}, stage {stage}, action {action}"),
                "The execution fails at this gate.".to_string(),
            ],
            Intent::ApproveAtWindow {
                pipeline,
                stage,
                action,
                region,
                at,
            } => vec![
                format!("At {at} wavetop sends codepipeline:PutApprovalResult status=Approved"),
                format!("pipeline {pipeline}, stage {stage}, action {action} ({region})"),
                "Only while this wavetop runs; the gate stays open until then.".to_string(),
            ],
            Intent::Retry {
                pipeline,
                stage,
                execution_id,
                mode,
                regions,
            } => vec![
                format!(
                    "codepipeline:RetryStageExecution retryMode={}",
                    match mode {
                        RetryMode::FailedActions => "FAILED_ACTIONS",
                        RetryMode::AllActions => "ALL_ACTIONS",
                    }
                ),
                format!("pipeline {pipeline}, stage {stage}, execution {execution_id}"),
                format!("regions: {}", regions.join(", ")),
            ],
            Intent::Hold {
                pipeline,
                stage,
                regions,
                until,
                schedule,
            } => {
                let mut lines = vec![
                    "codepipeline:DisableStageTransition transitionType=Inbound".to_string(),
                    format!("pipeline {pipeline}, stage {stage}"),
                ];
                if regions.len() > 1 {
                    lines.push(format!(
                        "This holds the whole wave: {} regions ({})",
                        regions.len(),
                        regions.join(", ")
                    ));
                }
                match (until, schedule) {
                    (Some(_), Some(s)) => lines.extend([
                        format!(
                            "scheduler:CreateSchedule {} {} {}",
                            s.name,
                            s.expression(),
                            s.time_zone
                        ),
                        "EventBridge Scheduler opens it then, with every console closed."
                            .to_string(),
                    ]),
                    (Some(until), None) => lines.push(format!(
                        "until {until} (released when the window opens, by a console or enforce)"
                    )),
                    _ => {}
                }
                lines
            }
            Intent::Release {
                pipeline,
                stage,
                regions,
                schedule,
            } => {
                let mut lines = vec![
                    "codepipeline:EnableStageTransition transitionType=Inbound".to_string(),
                    format!(
                        "pipeline {pipeline}, stage {stage} ({})",
                        regions.join(", ")
                    ),
                ];
                if let Some(s) = schedule {
                    lines.push(format!(
                        "scheduler:DeleteSchedule {} (its schedule)",
                        s.name
                    ));
                }
                lines
            }
            Intent::MoveHoldSchedule {
                pipeline,
                stage,
                was,
                until,
                schedule,
            } => vec![
                format!(
                    "scheduler:CreateSchedule {} {} {}",
                    schedule.name,
                    schedule.expression(),
                    schedule.time_zone
                ),
                format!("pipeline {pipeline}, stage {stage}: stays held"),
                format!("it fires at {was}, a freeze date; it opens {until} instead"),
            ],
            Intent::Stop {
                pipeline,
                execution_id,
                abandon,
            } => vec![
                format!("codepipeline:StopPipelineExecution abandon={abandon}"),
                format!("pipeline {pipeline}, execution {execution_id}"),
                if *abandon {
                    "In-progress actions are abandoned at once.".to_string()
                } else {
                    "In-progress actions finish first.".to_string()
                },
            ],
            Intent::Rollback {
                pipeline,
                stage,
                target_execution_id,
                regions,
            } => vec![
                "codepipeline:RollbackStage".to_string(),
                format!("pipeline {pipeline}, stage {stage} -> execution {target_execution_id}"),
                format!("regions: {}", regions.join(", ")),
            ],
            Intent::OverrideCondition {
                pipeline,
                stage,
                execution_id,
                condition,
                rules,
                ..
            } => vec![
                format!(
                    "codepipeline:OverrideStageCondition conditionType={}",
                    condition.api_name()
                ),
                format!("pipeline {pipeline}, stage {stage}, execution {execution_id}"),
                if rules.is_empty() {
                    "The stage goes on whatever its rules say.".to_string()
                } else {
                    format!("Goes on despite: {}", rules.join(", "))
                },
            ],
            Intent::Drain {
                region,
                health_check_ids,
                force,
            } => {
                let mut lines = vec![
                    format!(
                        "route53:UpdateHealthCheck Inverted=true x{}",
                        health_check_ids.len()
                    ),
                    format!("region {region}: {}", health_check_ids.join(", ")),
                    "Traffic moves to the other regions' records.".to_string(),
                ];
                if *force {
                    lines.push("FORCED past the failover safety rule.".to_string());
                }
                lines
            }
            Intent::Restore {
                region,
                health_check_ids,
            } => vec![
                format!(
                    "route53:UpdateHealthCheck Inverted=false x{}",
                    health_check_ids.len()
                ),
                format!("region {region}: {}", health_check_ids.join(", ")),
            ],
        }
    }

    /// The calls to make, given the operator's comment and identity.
    pub fn calls(&self, comment: &str, identity: &str) -> Vec<OperateCall> {
        match self {
            Intent::Approve {
                pipeline,
                stage,
                action,
                ..
            }
            | Intent::ApproveAtWindow {
                pipeline,
                stage,
                action,
                ..
            } => {
                vec![OperateCall::PutApprovalResult {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                    action: action.clone(),
                    approved: true,
                    summary: approval_summary("Approved", identity, comment),
                }]
            }
            Intent::Reject {
                pipeline,
                stage,
                action,
                ..
            } => vec![OperateCall::PutApprovalResult {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
                action: action.clone(),
                approved: false,
                summary: approval_summary("Rejected", identity, comment),
            }],
            Intent::Retry {
                pipeline,
                stage,
                execution_id,
                mode,
                ..
            } => {
                vec![OperateCall::RetryStageExecution {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                    execution_id: execution_id.clone(),
                    mode: *mode,
                }]
            }
            Intent::Hold {
                pipeline,
                stage,
                regions,
                until,
                schedule,
            } => {
                let hold = OperateCall::DisableStageTransition {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                    reason: encode_hold(*until, identity, comment, regions),
                };
                // The hold first: a schedule that could not be made leaves a
                // hold that is safe, only not released on its own.
                let schedule = schedule.iter().map(|s| create_schedule(pipeline, stage, s));
                std::iter::once(hold).chain(schedule).collect()
            }
            Intent::MoveHoldSchedule {
                pipeline,
                stage,
                schedule,
                ..
            } => vec![create_schedule(pipeline, stage, schedule)],
            Intent::Release {
                pipeline,
                stage,
                schedule,
                ..
            } => {
                let release = OperateCall::EnableStageTransition {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                };
                // Open first, then tidy: a schedule left behind only opens
                // an open stage again, then deletes itself.
                let unschedule = schedule.iter().map(|s| OperateCall::DeleteHoldSchedule {
                    pipeline: pipeline.clone(),
                    name: s.name.clone(),
                    group: s.group.clone(),
                });
                std::iter::once(release).chain(unschedule).collect()
            }
            Intent::Stop {
                pipeline,
                execution_id,
                abandon,
            } => {
                vec![OperateCall::StopPipelineExecution {
                    pipeline: pipeline.clone(),
                    execution_id: execution_id.clone(),
                    abandon: *abandon,
                    reason: stop_reason(identity, comment),
                }]
            }
            Intent::Rollback {
                pipeline,
                stage,
                target_execution_id,
                ..
            } => {
                vec![OperateCall::RollbackStage {
                    pipeline: pipeline.clone(),
                    stage: stage.clone(),
                    target_execution_id: target_execution_id.clone(),
                }]
            }
            Intent::OverrideCondition {
                pipeline,
                stage,
                execution_id,
                condition,
                ..
            } => vec![OperateCall::OverrideStageCondition {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
                execution_id: execution_id.clone(),
                condition: *condition,
            }],
            Intent::Drain {
                health_check_ids, ..
            } => health_check_ids
                .iter()
                .map(|id| OperateCall::SetHealthCheckInverted {
                    health_check_id: id.clone(),
                    inverted: true,
                })
                .collect(),
            Intent::Restore {
                health_check_ids, ..
            } => health_check_ids
                .iter()
                .map(|id| OperateCall::SetHealthCheckInverted {
                    health_check_id: id.clone(),
                    inverted: false,
                })
                .collect(),
        }
    }
}

/// Scheduler's CreateSchedule of a hold's schedule (replacing one of the
/// same name).
fn create_schedule(pipeline: &str, stage: &str, s: &HoldSchedule) -> OperateCall {
    OperateCall::CreateHoldSchedule {
        pipeline: pipeline.to_string(),
        stage: stage.to_string(),
        name: s.name.clone(),
        group: s.group.clone(),
        role_arn: s.role_arn.clone(),
        at_local: s.at_local.clone(),
        time_zone: s.time_zone.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_summary_names_the_identity_and_fits_the_limit() {
        let intent = Intent::Approve {
            pipeline: "p".into(),
            stage: "Europe".into(),
            action: "EU.Approve".into(),
            region: "eu-west-1".into(),
        };
        let calls = intent.calls(&"x".repeat(600), "arn:aws:sts::1:assumed-role/OnCall/alice");
        let OperateCall::PutApprovalResult {
            summary, approved, ..
        } = &calls[0]
        else {
            panic!("expected an approval call, got {calls:?}");
        };
        assert!(*approved);
        assert!(summary.starts_with("Approved by arn:aws:sts::1:assumed-role/OnCall/alice"));
        assert_eq!(summary.chars().count(), 512);
    }

    #[test]
    fn a_long_stop_reason_is_cut_before_the_attribution() {
        let stop = Intent::Stop {
            pipeline: "p".into(),
            execution_id: "e-1".into(),
            abandon: false,
        };
        let calls = stop.calls(&"z".repeat(10_000), "arn:aws:iam::1:user/bob");
        let OperateCall::StopPipelineExecution { reason, .. } = &calls[0] else {
            panic!("expected a stop call, got {calls:?}");
        };
        assert_eq!(reason.chars().count(), 200);
        assert!(
            reason.ends_with("z… (by arn:aws:iam::1:user/bob)"),
            "{reason}"
        );
    }

    #[test]
    fn a_scheduled_hold_holds_first_and_its_release_opens_first() {
        let schedule = HoldSchedule {
            name: "wavetop-hold-p.Europe".into(),
            group: "wavetop-holds".into(),
            role_arn: "arn:aws:iam::123456789012:role/wavetop-scheduler".into(),
            at_local: "2026-12-01T02:00:00".into(),
            time_zone: "Europe/Dublin".into(),
        };
        let hold = Intent::Hold {
            pipeline: "p".into(),
            stage: "Europe".into(),
            regions: vec!["eu-west-1".into()],
            until: Some("2026-12-01T02:00:00Z".parse().unwrap()),
            schedule: Some(schedule),
        };
        let names: Vec<&str> = hold
            .calls("", "me")
            .iter()
            .map(OperateCall::api_name)
            .collect();
        assert_eq!(
            names,
            [
                "codepipeline:DisableStageTransition",
                "scheduler:CreateSchedule"
            ]
        );
        assert!(
            hold.describe()
                .iter()
                .any(|l| l.contains("at(2026-12-01T02:00:00) Europe/Dublin"))
        );

        let release = Intent::Release {
            pipeline: "p".into(),
            stage: "Europe".into(),
            regions: vec!["eu-west-1".into()],
            schedule: Some(ScheduleRef {
                name: "wavetop-hold-p.Europe".into(),
                group: "wavetop-holds".into(),
            }),
        };
        let calls = release.calls("", "me");
        assert!(matches!(&calls[..], [
            OperateCall::EnableStageTransition { .. },
            OperateCall::DeleteHoldSchedule { name, group, .. },
        ] if name == "wavetop-hold-p.Europe" && group == "wavetop-holds"));
    }

    #[test]
    fn dangerous_intents_require_typing_a_name() {
        let hold = |regions: Vec<&str>| Intent::Hold {
            pipeline: "p".into(),
            stage: "NorthAmerica".into(),
            regions: regions.into_iter().map(String::from).collect(),
            until: None,
            schedule: None,
        };
        assert_eq!(hold(vec!["us-west-2"]).typed_confirmation(), None);
        assert_eq!(
            hold(vec!["us-west-2", "us-east-2"])
                .typed_confirmation()
                .as_deref(),
            Some("NorthAmerica")
        );
        let drain = Intent::Drain {
            region: "eu-west-1".into(),
            health_check_ids: vec!["hc-1".into()],
            force: false,
        };
        assert_eq!(drain.typed_confirmation().as_deref(), Some("eu-west-1"));
        assert_eq!(drain.calls("", "me").len(), 1);
    }
}
