//! StopPipelineExecution, RollbackStage and draining a region.

use jiff::SignedDuration;

use super::*;
use crate::domain::fleet::{ExecutionStatus, HealthStatus};
use crate::protocol::{OperateCall, SourceError};

#[test]
fn stop_with_abandon_ends_the_execution_at_once() {
    let mut w = world_at(1, mins(10));
    let exec = newest(&w, "global-api");
    let stop = |abandon| OperateCall::StopPipelineExecution {
        pipeline: "global-api".into(),
        execution_id: exec.id.to_string(),
        abandon,
        reason: "bad canary".into(),
    };
    w.operate(stop(true), SIM_IDENTITY).unwrap();
    assert_eq!(newest(&w, "global-api").status, ExecutionStatus::Stopped);
    assert_eq!(
        stage_latest(&w, "global-api", "Europe"),
        Some((exec.id.to_string(), "Stopped".into()))
    );
    let gate = action_state(&w, "global-api", "Europe", "EuWest1.Approve").unwrap();
    assert_eq!(gate.status, "Abandoned");
    assert!(gate.token.is_none());
    assert!(matches!(
        w.operate(stop(true), SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));
    assert!(matches!(
        w.operate(stop(false), SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));
    let older = w.pipeline("global-api").unwrap().executions[1].id.clone();
    let r = w.operate(
        OperateCall::StopPipelineExecution {
            pipeline: "global-api".into(),
            execution_id: older.to_string(),
            abandon: false,
            reason: "x".into(),
        },
        SIM_IDENTITY,
    );
    assert!(matches!(r, Err(SourceError::Conflict(_))));
}

#[test]
fn a_stopping_execution_can_still_be_abandoned() {
    let mut w = world_at(1, mins(10));
    let exec = newest(&w, "orders-active-active");
    let stop = |abandon| OperateCall::StopPipelineExecution {
        pipeline: "orders-active-active".into(),
        execution_id: exec.id.to_string(),
        abandon,
        reason: "pause".into(),
    };
    w.operate(stop(false), SIM_IDENTITY).unwrap();
    let again = w.operate(stop(false), SIM_IDENTITY);
    assert!(matches!(again, Err(SourceError::Conflict(_))), "{again:?}");
    w.operate(stop(true), SIM_IDENTITY).unwrap();
    assert_eq!(
        newest(&w, "orders-active-active").status,
        ExecutionStatus::Stopped
    );
    let deploy = action_state(&w, "orders-active-active", "ApSoutheast2", "Deploy").unwrap();
    assert_eq!(deploy.status, "Abandoned");
    // CloudFormation carries on with the update the pipeline walked away from.
    let stack = w
        .stacks
        .iter()
        .find(|s| s.region == "ap-southeast-2" && s.name == "orders-api");
    assert!(stack.unwrap().busy());
}

#[test]
fn stop_without_abandon_waits_for_running_actions() {
    let mut w = world_at(1, mins(10));
    let deploy = action_state(&w, "orders-active-active", "ApSoutheast2", "Deploy").unwrap();
    assert_eq!(deploy.status, "InProgress");
    let exec = newest(&w, "orders-active-active");
    w.operate(
        OperateCall::StopPipelineExecution {
            pipeline: "orders-active-active".into(),
            execution_id: exec.id.to_string(),
            abandon: false,
            reason: "pause".into(),
        },
        SIM_IDENTITY,
    )
    .unwrap();
    assert_eq!(
        newest(&w, "orders-active-active").status,
        ExecutionStatus::Stopping
    );
    assert_eq!(
        stage_latest(&w, "orders-active-active", "ApSoutheast2")
            .unwrap()
            .1,
        "Stopping"
    );
    step(&mut w, SignedDuration::from_secs(20));
    let deploy = action_state(&w, "orders-active-active", "ApSoutheast2", "Deploy").unwrap();
    assert_eq!(deploy.status, "InProgress");
    step(&mut w, mins(6));
    assert_eq!(
        newest(&w, "orders-active-active").status,
        ExecutionStatus::Stopped
    );
    assert_eq!(
        stage_latest(&w, "orders-active-active", "ApSoutheast2")
            .unwrap()
            .1,
        "Stopped"
    );
    let deploy = action_state(&w, "orders-active-active", "ApSoutheast2", "Deploy").unwrap();
    assert!(
        deploy.status == "Succeeded" || deploy.status == "Failed",
        "{}",
        deploy.status
    );
}

#[test]
fn rollback_redeploys_one_stage_with_the_target_revision() {
    let mut w = world_at(1, mins(10));
    let history = w.pipeline("service-x").unwrap().executions.clone();
    let target = history
        .iter()
        .find(|e| e.status == ExecutionStatus::Succeeded)
        .unwrap()
        .clone();
    let failed = history
        .iter()
        .find(|e| e.status == ExecutionStatus::Failed)
        .unwrap()
        .clone();
    let rollback = |target: &str| OperateCall::RollbackStage {
        pipeline: "service-x".into(),
        stage: "Deploy".into(),
        target_execution_id: target.into(),
    };
    assert!(matches!(
        w.operate(rollback(&failed.id), SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));
    assert!(matches!(
        w.operate(rollback("missing"), SIM_IDENTITY),
        Err(SourceError::NotFound(_))
    ));
    let source_before = stage_latest(&w, "service-x", "Source");

    w.operate(rollback(&target.id), SIM_IDENTITY).unwrap();
    let rb = newest(&w, "service-x");
    assert_eq!(rb.trigger, "RollbackStage");
    assert_eq!(
        rb.rollback.and_then(|r| r.target_execution_id),
        Some(target.id.to_string()),
        "the execution says it is a rollback, and to what"
    );
    assert_eq!(rb.revision_id, target.revision_id);
    assert!(matches!(
        w.operate(rollback(&target.id), SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));
    step(&mut w, mins(12));
    assert_eq!(
        w.pipeline("service-x")
            .unwrap()
            .executions
            .iter()
            .find(|e| e.id == rb.id)
            .unwrap()
            .status,
        ExecutionStatus::Succeeded
    );
    assert_eq!(
        stage_latest(&w, "service-x", "Deploy"),
        Some((rb.id.to_string(), "Succeeded".into()))
    );
    assert_eq!(stage_latest(&w, "service-x", "Source"), source_before);
}

#[test]
fn inverting_a_check_drains_the_region_and_raises_replication_lag_elsewhere() {
    let mut calm = world_at(1, mins(10));
    let mut drained = calm.clone();
    let id = spec::health_check_id("orders-active-active", "eu-west-1");
    drained
        .operate(
            OperateCall::SetHealthCheckInverted {
                health_check_id: id.clone(),
                inverted: true,
            },
            SIM_IDENTITY,
        )
        .unwrap();
    let check = drained
        .health_checks(false)
        .into_iter()
        .find(|c| c.id == id)
        .unwrap();
    assert!(check.inverted);
    assert!(
        !check.routes_traffic(),
        "the flag takes the region out at once"
    );
    assert_eq!(
        check.status,
        HealthStatus::Healthy,
        "the metric has not caught up with the inversion yet"
    );
    step(&mut calm, mins(15));
    step(&mut drained, mins(15));
    let recent = |w: &SimWorld| -> f64 {
        let t = w.tables[0].to_table(w.now);
        let s = t.series("us-east-1", "ap-southeast-2").unwrap();
        s.points.iter().rev().take(10).map(|(_, v)| v).sum()
    };
    assert!(recent(&drained) > recent(&calm) * 1.4);
    let r = drained.operate(
        OperateCall::SetHealthCheckInverted {
            health_check_id: "nope".into(),
            inverted: true,
        },
        SIM_IDENTITY,
    );
    assert!(matches!(r, Err(SourceError::NotFound(_))));
}
