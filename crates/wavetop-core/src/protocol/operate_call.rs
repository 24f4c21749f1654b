//! The calls that change AWS, as data: effects carry them, the executor audits
//! and runs them, the backends map each to one API.

use serde::{Deserialize, Serialize};

use crate::domain::conditions::ConditionKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RetryMode {
    FailedActions,
    AllActions,
}

/// One call that changes AWS, named after the API it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum OperateCall {
    /// PutApprovalResult; the backend reads the current token right before the call.
    PutApprovalResult {
        pipeline: String,
        stage: String,
        action: String,
        approved: bool,
        summary: String,
    },
    RetryStageExecution {
        pipeline: String,
        stage: String,
        execution_id: String,
        mode: RetryMode,
    },
    DisableStageTransition {
        pipeline: String,
        stage: String,
        reason: String,
    },
    EnableStageTransition {
        pipeline: String,
        stage: String,
    },
    StopPipelineExecution {
        pipeline: String,
        execution_id: String,
        abandon: bool,
        reason: String,
    },
    RollbackStage {
        pipeline: String,
        stage: String,
        target_execution_id: String,
    },
    /// OverrideStageCondition: lets the execution past a stage condition
    /// that is evaluating or failed (before entry or on success only).
    OverrideStageCondition {
        pipeline: String,
        stage: String,
        execution_id: String,
        condition: ConditionKind,
    },
    /// UpdateHealthCheck with `Inverted` (never `Disabled`: Route53 treats a
    /// disabled check as healthy).
    SetHealthCheckInverted {
        health_check_id: String,
        inverted: bool,
    },
    /// Scheduler CreateSchedule: a one-time schedule whose universal target
    /// calls EnableStageTransition on the stage at the window's opening, then
    /// deletes itself. An existing schedule of that name is replaced.
    CreateHoldSchedule {
        pipeline: String,
        stage: String,
        name: String,
        group: String,
        role_arn: String,
        /// Local wall-clock time, `YYYY-MM-DDThh:mm:ss`, in `time_zone`.
        at_local: String,
        time_zone: String,
    },
    /// Scheduler DeleteSchedule of a hold's schedule; one already gone (it
    /// fired) is not an error.
    DeleteHoldSchedule {
        pipeline: String,
        name: String,
        group: String,
    },
}

impl OperateCall {
    /// The AWS API this call maps to, as shown in confirmations and the audit log.
    pub fn api_name(&self) -> &'static str {
        match self {
            OperateCall::PutApprovalResult { .. } => "codepipeline:PutApprovalResult",
            OperateCall::RetryStageExecution { .. } => "codepipeline:RetryStageExecution",
            OperateCall::DisableStageTransition { .. } => "codepipeline:DisableStageTransition",
            OperateCall::EnableStageTransition { .. } => "codepipeline:EnableStageTransition",
            OperateCall::StopPipelineExecution { .. } => "codepipeline:StopPipelineExecution",
            OperateCall::RollbackStage { .. } => "codepipeline:RollbackStage",
            OperateCall::OverrideStageCondition { .. } => "codepipeline:OverrideStageCondition",
            OperateCall::SetHealthCheckInverted { .. } => "route53:UpdateHealthCheck",
            OperateCall::CreateHoldSchedule { .. } => "scheduler:CreateSchedule",
            OperateCall::DeleteHoldSchedule { .. } => "scheduler:DeleteSchedule",
        }
    }
}

/// What a successful operate call reports back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperateOutcome {
    pub detail: String,
}
