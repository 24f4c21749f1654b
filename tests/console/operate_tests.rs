//! The remaining operator actions through update(): each opens its
//! confirmation, sends exactly the call it names, and shows the result.

use wavetop::core::action::ActionName;
use wavetop::core::intent::Intent;
use wavetop::core::operator::{OperatorCtx, Target, propose_for};
use wavetop::domain::fleet::ExecutionStatus;
use wavetop::protocol::{OperateCall, RetryMode};

use crate::support::Console;

#[test]
fn retry_sends_the_failed_stage_execution_with_the_chosen_mode() {
    let mut c = Console::at_minutes(10);
    c.navigate("service-x", "Deploy", "ap-southeast-2");
    let execution = c
        .model
        .fleet
        .flow("service-x")
        .unwrap()
        .wave("Deploy")
        .unwrap()
        .execution_id
        .clone()
        .unwrap();
    c.keys("r");
    assert!(matches!(
        c.model.confirmation.as_ref().unwrap().intent,
        Intent::Retry {
            mode: RetryMode::FailedActions,
            ..
        }
    ));
    c.keys("right enter");
    assert_eq!(
        c.sent,
        [OperateCall::RetryStageExecution {
            pipeline: "service-x".into(),
            stage: "Deploy".into(),
            execution_id: execution,
            mode: RetryMode::FailedActions,
        }]
    );
    // Retrying what is now running again is refused by the rules, not sent.
    c.pause_after_dialog();
    c.keys("R");
    assert!(c.model.confirmation.is_none());
    assert_eq!(c.sent.len(), 1);
}

#[test]
fn hold_then_release_round_trips_the_transition() {
    let mut c = Console::at_minutes(10);
    c.navigate("global-api", "SouthAmerica", "sa-east-1");
    c.keys("h");
    // A single-region wave needs no typed name.
    assert!(
        c.model
            .confirmation
            .as_ref()
            .unwrap()
            .intent
            .typed_confirmation()
            .is_none()
    );
    c.type_text("investigating");
    c.keys("tab right enter");
    let wave = c
        .model
        .fleet
        .flow("global-api")
        .unwrap()
        .wave("SouthAmerica")
        .unwrap()
        .clone();
    assert!(!wave.transition.enabled);
    assert!(
        wave.transition
            .disabled_reason
            .as_deref()
            .unwrap()
            .contains("investigating")
    );
    c.pause_after_dialog();
    c.keys("u right enter");
    let wave = c
        .model
        .fleet
        .flow("global-api")
        .unwrap()
        .wave("SouthAmerica")
        .unwrap()
        .clone();
    assert!(wave.transition.enabled);
    assert!(
        matches!(c.sent.last(), Some(OperateCall::EnableStageTransition { stage, .. }) if stage == "SouthAmerica")
    );
}

#[test]
fn stop_needs_a_reason_and_abandon_needs_the_pipeline_name() {
    let mut c = Console::at_minutes(10);
    c.navigate("orders-active-active", "ApSoutheast2", "ap-southeast-2");
    c.keys("S");
    c.type_text("bad build");
    c.keys("tab tab right enter");
    assert!(c.dialog_problem().contains("type orders-active-active"));
    c.keys("shift-tab");
    c.type_text("orders-active-active");
    c.keys("tab enter");
    let Some(OperateCall::StopPipelineExecution {
        abandon, reason, ..
    }) = c.sent.first()
    else {
        panic!("stop sent: {:?}", c.sent);
    };
    assert!(*abandon);
    assert!(reason.contains("bad build") && reason.contains("demo-operator"));
    let flow = c.model.fleet.flow("orders-active-active").unwrap();
    assert!(
        flow.executions
            .iter()
            .any(|e| e.status == ExecutionStatus::Stopped)
    );
}

/// Stop-and-wait leaves the execution stopping while its actions finish;
/// CodePipeline still accepts stop-and-abandon then, so wavetop offers it
/// from any wave of the pipeline, as the headless `stop --abandon` asks.
#[test]
fn a_stopping_execution_can_still_be_abandoned() {
    let mut c = Console::at_minutes(10);
    c.navigate("orders-active-active", "ApSoutheast2", "ap-southeast-2");
    c.keys("s");
    c.type_text("bad build");
    c.keys("tab right enter");
    let Some(OperateCall::StopPipelineExecution { execution_id, .. }) = c.sent.first().cloned()
    else {
        panic!("stop sent: {:?}", c.sent);
    };
    let flow = c.model.fleet.flow("orders-active-active").unwrap();
    let stopping = flow
        .executions
        .iter()
        .find(|e| e.id == execution_id)
        .unwrap();
    assert_eq!(stopping.status, ExecutionStatus::Stopping);

    let first_wave = Target {
        flow: "orders-active-active".into(),
        wave: 0,
        region: String::new(),
    };
    let abandon = propose_for(
        &OperatorCtx::of_console(&c.model),
        ActionName::StopAbandon,
        &first_wave,
        false,
    )
    .unwrap_or_else(|e| panic!("abandon refused: {e}"));
    assert_eq!(
        abandon.intent,
        Intent::Stop {
            pipeline: stopping.pipeline.to_string(),
            execution_id: execution_id.clone(),
            abandon: true,
        }
    );
    // A second stop-and-wait is not offered from there: nothing runs that it could stop.
    assert!(
        propose_for(
            &OperatorCtx::of_console(&c.model),
            ActionName::Stop,
            &first_wave,
            false
        )
        .is_err()
    );
}

#[test]
fn rollback_targets_the_previous_successful_execution() {
    let mut c = Console::at_minutes(10);
    c.navigate("edge-relay", "DeployUsEast1", "us-east-1");
    let flow = c.model.fleet.flow("edge-relay").unwrap().clone();
    let current = flow.wave("DeployUsEast1").unwrap().execution_id.clone();
    c.keys("b");
    let Intent::Rollback {
        target_execution_id,
        ..
    } = c.model.confirmation.as_ref().unwrap().intent.clone()
    else {
        panic!("a rollback dialog");
    };
    assert_ne!(Some(&target_execution_id), current.as_ref());
    let target = flow
        .executions
        .iter()
        .find(|e| e.id == target_execution_id)
        .unwrap();
    assert_eq!(target.status, ExecutionStatus::Succeeded);
    assert_eq!(target.pipeline, "edge-relay-build");
    c.type_text("DeployUsEast1");
    c.keys("tab right enter");
    assert!(matches!(
        c.sent.as_slice(),
        [OperateCall::RollbackStage { .. }]
    ));
}

#[test]
fn restore_flips_back_exactly_the_checks_the_drain_inverted() {
    let mut c = Console::at_minutes(10);
    c.navigate("orders-active-active", "UsEast1", "us-east-1");
    c.keys("d");
    c.type_text("us-east-1");
    c.keys("tab right enter");
    let drained: Vec<String> = c
        .sent
        .iter()
        .map(|call| match call {
            OperateCall::SetHealthCheckInverted {
                health_check_id,
                inverted: true,
            } => health_check_id.clone(),
            other => panic!("drain sent {other:?}"),
        })
        .collect();
    assert!(!drained.is_empty());
    let summary = c.model.fleet.health.region_summary("us-east-1").unwrap();
    assert!(summary.drained, "the grid shows the region drained");
    c.sent.clear();
    c.pause_after_dialog();
    c.keys("D");
    c.type_text("us-east-1");
    c.keys("tab right enter");
    let restored: Vec<String> = c
        .sent
        .iter()
        .map(|call| match call {
            OperateCall::SetHealthCheckInverted {
                health_check_id,
                inverted: false,
            } => health_check_id.clone(),
            other => panic!("restore sent {other:?}"),
        })
        .collect();
    assert_eq!(restored, drained);
    assert!(
        !c.model
            .fleet
            .health
            .region_summary("us-east-1")
            .unwrap()
            .drained
    );
}

#[test]
fn a_gate_answered_by_someone_else_first_is_not_answered_again_and_names_who() {
    let (mut c, ours) = Console::approval_overtaken();
    let fleet_before = c.model.fleet.clone();
    c.run_operations = true;
    c.run(vec![ours]);
    // The fresh read right before the call saw the answer: nothing was sent,
    // and the operator is told who got there first.
    assert!(
        !c.sent
            .iter()
            .any(|call| matches!(call, OperateCall::PutApprovalResult { .. })),
        "{:?}",
        c.sent
    );
    let last = c.model.activity.last().unwrap();
    assert!(
        last.text
            .contains("not done: the gate SouthAmerica / Approve in sa-east-1 was approved by ")
            && last.text.contains(wavetop::sim::SIM_IDENTITY)
            && last.text.contains("nothing was called"),
        "{}",
        last.text
    );
    assert!(
        c.model
            .flash
            .as_ref()
            .unwrap()
            .1
            .contains("global-api/SouthAmerica/sa-east-1")
    );
    assert!(
        c.model.in_flight_ops.is_empty(),
        "the failed operation is no longer in flight"
    );
    // Nothing else changed but what the refresh read back.
    assert_eq!(c.model.fleet.flows.len(), fleet_before.flows.len());
    assert_eq!(c.model.fleet.health, fleet_before.health);
}
