//! Operator calls, each mapped to the one AWS API it names.

use super::scheduler::{self, HoldScheduleSpec};
use super::{AwsBackend, DEFAULT_ACCOUNT, GLOBAL_REGION, codepipeline, conditions, route53, sts};
use crate::protocol::{OperateCall, OperateOutcome, SourceError};

/// Where a pipeline lives: (account, region, name AWS knows it by).
struct Target {
    account: String,
    region: String,
    name: String,
}

impl AwsBackend {
    fn pipeline_target(&self, key: &str) -> Target {
        if let Some(e) = self.lock_state().pipelines.get(key) {
            return Target {
                account: e.account.clone(),
                region: e.region.clone(),
                name: e.name.clone(),
            };
        }
        // Not discovered (e.g. a headless call): the default account's first home region.
        let region = self
            .pool
            .account(DEFAULT_ACCOUNT)
            .and_then(|a| a.home_regions.first().cloned())
            .unwrap_or_else(|| GLOBAL_REGION.to_string());
        Target {
            account: DEFAULT_ACCOUNT.to_string(),
            region,
            name: key.to_string(),
        }
    }

    async fn pipeline_client(
        &self,
        key: &str,
    ) -> Result<(aws_sdk_codepipeline::Client, String), SourceError> {
        let t = self.pipeline_target(key);
        Ok((self.pool.codepipeline(&t.account, &t.region).await?, t.name))
    }

    /// Scheduler in the pipeline's account and region (a universal target
    /// calls the API in its schedule's region), and the pipeline's AWS name.
    async fn scheduler_client(
        &self,
        key: &str,
    ) -> Result<(aws_sdk_scheduler::Client, String), SourceError> {
        let t = self.pipeline_target(key);
        Ok((self.pool.scheduler(&t.account, &t.region).await?, t.name))
    }

    pub(super) async fn execute_call(
        &self,
        call: OperateCall,
    ) -> Result<OperateOutcome, SourceError> {
        let detail = match &call {
            OperateCall::PutApprovalResult {
                pipeline,
                stage,
                action,
                approved,
                summary,
            } => {
                let (client, name) = self.pipeline_client(pipeline).await?;
                codepipeline::put_approval_result(&client, &name, stage, action, *approved, summary)
                    .await?
            }
            OperateCall::RetryStageExecution {
                pipeline,
                stage,
                execution_id,
                mode,
            } => {
                let (client, name) = self.pipeline_client(pipeline).await?;
                codepipeline::retry_stage(&client, &name, stage, execution_id, *mode).await?
            }
            OperateCall::DisableStageTransition {
                pipeline,
                stage,
                reason,
            } => {
                let (client, name) = self.pipeline_client(pipeline).await?;
                codepipeline::disable_transition(&client, &name, stage, reason).await?
            }
            OperateCall::EnableStageTransition { pipeline, stage } => {
                let (client, name) = self.pipeline_client(pipeline).await?;
                codepipeline::enable_transition(&client, &name, stage).await?
            }
            OperateCall::StopPipelineExecution {
                pipeline,
                execution_id,
                abandon,
                reason,
            } => {
                let (client, name) = self.pipeline_client(pipeline).await?;
                codepipeline::stop_execution(&client, &name, execution_id, *abandon, reason).await?
            }
            OperateCall::RollbackStage {
                pipeline,
                stage,
                target_execution_id,
            } => {
                let (client, name) = self.pipeline_client(pipeline).await?;
                codepipeline::rollback_stage(&client, &name, stage, target_execution_id).await?
            }
            OperateCall::OverrideStageCondition {
                pipeline,
                stage,
                execution_id,
                condition,
            } => {
                let (client, name) = self.pipeline_client(pipeline).await?;
                conditions::override_condition(&client, &name, stage, execution_id, *condition)
                    .await?
            }
            OperateCall::SetHealthCheckInverted {
                health_check_id,
                inverted,
            } => {
                let client = self.pool.route53(DEFAULT_ACCOUNT, GLOBAL_REGION).await?;
                let now = route53::set_inverted(&client, health_check_id, *inverted).await?;
                if now != *inverted {
                    return Err(SourceError::Conflict(format!(
                        "route53:UpdateHealthCheck: {health_check_id} still has Inverted={now}"
                    )));
                }
                format!("health check {health_check_id} Inverted={now}")
            }
            OperateCall::CreateHoldSchedule {
                pipeline,
                stage,
                name,
                group,
                role_arn,
                at_local,
                time_zone,
            } => {
                let (client, aws_name) = self.scheduler_client(pipeline).await?;
                let spec = HoldScheduleSpec {
                    name,
                    group,
                    role_arn,
                    pipeline: &aws_name,
                    stage,
                    at_local,
                    time_zone,
                };
                scheduler::create_hold_schedule(&client, &spec).await?
            }
            OperateCall::DeleteHoldSchedule {
                pipeline,
                name,
                group,
            } => {
                let (client, _) = self.scheduler_client(pipeline).await?;
                scheduler::delete_hold_schedule(&client, name, group).await?
            }
        };
        Ok(OperateOutcome { detail })
    }

    /// The ARN calls are made as, read once.
    pub(super) async fn caller_arn(&self) -> Result<String, SourceError> {
        if let Some(arn) = self
            .identity
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            return Ok(arn);
        }
        let region = self
            .pool
            .account(DEFAULT_ACCOUNT)
            .and_then(|a| a.home_regions.first().cloned())
            .unwrap_or_else(|| GLOBAL_REGION.to_string());
        let client = self.pool.sts(DEFAULT_ACCOUNT, &region).await?;
        let who = sts::caller_identity(&client).await?;
        *self.identity.lock().unwrap_or_else(|p| p.into_inner()) = Some(who.arn.clone());
        Ok(who.arn)
    }
}
