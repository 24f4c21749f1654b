//! Read-only mode at the backend boundary: whatever the UI or a headless
//! command asks, no operate call reaches the wrapped backend.

use crate::protocol::{BoxFuture, Operate, OperateCall, OperateOutcome, SourceError};

pub struct ReadOnly<O> {
    inner: O,
}

impl<O: Operate> ReadOnly<O> {
    pub fn new(inner: O) -> Self {
        Self { inner }
    }
}

impl<O: Operate> Operate for ReadOnly<O> {
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
        self.inner.identity()
    }

    fn execute(&self, _call: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
        Box::pin(async { Err(SourceError::ReadOnly) })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::FutureExt;

    use super::*;
    use crate::domain::conditions::ConditionKind;
    use crate::protocol::RetryMode;

    /// A backend that counts every call that reaches it.
    struct Counting(AtomicUsize);

    impl Operate for Counting {
        fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
            Box::pin(async { Ok("me".to_string()) })
        }

        fn execute(
            &self,
            _call: OperateCall,
        ) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async {
                Ok(OperateOutcome {
                    detail: "done".into(),
                })
            })
        }
    }

    fn every_call() -> Vec<OperateCall> {
        let p = || "p".to_string();
        vec![
            OperateCall::PutApprovalResult {
                pipeline: p(),
                stage: p(),
                action: p(),
                approved: true,
                summary: p(),
            },
            OperateCall::PutApprovalResult {
                pipeline: p(),
                stage: p(),
                action: p(),
                approved: false,
                summary: p(),
            },
            OperateCall::RetryStageExecution {
                pipeline: p(),
                stage: p(),
                execution_id: p(),
                mode: RetryMode::FailedActions,
            },
            OperateCall::RetryStageExecution {
                pipeline: p(),
                stage: p(),
                execution_id: p(),
                mode: RetryMode::AllActions,
            },
            OperateCall::DisableStageTransition {
                pipeline: p(),
                stage: p(),
                reason: p(),
            },
            OperateCall::EnableStageTransition {
                pipeline: p(),
                stage: p(),
            },
            OperateCall::StopPipelineExecution {
                pipeline: p(),
                execution_id: p(),
                abandon: false,
                reason: p(),
            },
            OperateCall::StopPipelineExecution {
                pipeline: p(),
                execution_id: p(),
                abandon: true,
                reason: p(),
            },
            OperateCall::RollbackStage {
                pipeline: p(),
                stage: p(),
                target_execution_id: p(),
            },
            OperateCall::OverrideStageCondition {
                pipeline: p(),
                stage: p(),
                execution_id: p(),
                condition: ConditionKind::BeforeEntry,
            },
            OperateCall::CreateHoldSchedule {
                pipeline: p(),
                stage: p(),
                name: p(),
                group: p(),
                role_arn: p(),
                at_local: p(),
                time_zone: p(),
            },
            OperateCall::DeleteHoldSchedule {
                pipeline: p(),
                name: p(),
                group: p(),
            },
            OperateCall::SetHealthCheckInverted {
                health_check_id: p(),
                inverted: true,
            },
            OperateCall::SetHealthCheckInverted {
                health_check_id: p(),
                inverted: false,
            },
        ]
    }

    #[test]
    fn every_operate_call_is_refused_and_never_reaches_the_backend() {
        let guarded = ReadOnly::new(Counting(AtomicUsize::new(0)));
        for call in every_call() {
            let name = call.api_name();
            let result = guarded.execute(call).now_or_never().expect("ready at once");
            assert_eq!(result, Err(SourceError::ReadOnly), "{name}");
        }
        assert_eq!(guarded.inner.0.load(Ordering::SeqCst), 0);
        // Reading who we are is not a change and still works.
        assert_eq!(guarded.identity().now_or_never().unwrap().unwrap(), "me");
    }

    #[test]
    fn without_the_guard_the_same_calls_do_reach_the_backend() {
        let open = Counting(AtomicUsize::new(0));
        for call in every_call() {
            assert!(open.execute(call).now_or_never().unwrap().is_ok());
        }
        assert_eq!(open.0.load(Ordering::SeqCst), every_call().len());
    }
}
