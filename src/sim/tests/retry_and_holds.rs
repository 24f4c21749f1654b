//! RetryStageExecution and stage transitions.

use jiff::SignedDuration;

use super::*;
use crate::domain::fleet::ExecutionStatus;
use crate::protocol::{OperateCall, RetryMode, SourceError};

fn retry(execution_id: &str, stage: &str, mode: RetryMode) -> OperateCall {
    OperateCall::RetryStageExecution {
        pipeline: "service-x".into(),
        stage: stage.into(),
        execution_id: execution_id.into(),
        mode,
    }
}

fn deploy_action_ids(w: &SimWorld) -> Vec<(String, Option<String>)> {
    let doc = w.pipeline_state_doc("service-x").unwrap();
    doc.stage_states[1]
        .action_states
        .iter()
        .map(|a| {
            (
                a.action_name.clone(),
                a.latest_execution
                    .as_ref()
                    .and_then(|e| e.action_execution_id.clone()),
            )
        })
        .collect()
}

#[test]
fn retrying_failed_actions_reruns_only_those() {
    let mut w = world_at(1, mins(10));
    let failed = newest(&w, "service-x");
    assert_eq!(failed.status, ExecutionStatus::Failed);
    let older = w.pipeline("service-x").unwrap().executions[1].id.clone();
    let r = w.operate(
        retry(&older, "Deploy", RetryMode::FailedActions),
        SIM_IDENTITY,
    );
    assert!(
        matches!(r, Err(SourceError::NotLatestExecution(_))),
        "{r:?}"
    );
    let r = w.operate(
        retry(&failed.id, "Source", RetryMode::FailedActions),
        SIM_IDENTITY,
    );
    assert!(matches!(r, Err(SourceError::StageNotRetryable(_))), "{r:?}");

    let before = deploy_action_ids(&w);
    w.operate(
        retry(&failed.id, "Deploy", RetryMode::FailedActions),
        SIM_IDENTITY,
    )
    .unwrap();
    assert_eq!(newest(&w, "service-x").status, ExecutionStatus::InProgress);
    let r = w.operate(
        retry(&failed.id, "Deploy", RetryMode::FailedActions),
        SIM_IDENTITY,
    );
    assert!(matches!(r, Err(SourceError::StageNotRetryable(_))), "{r:?}");
    step(&mut w, SignedDuration::from_secs(1));
    let after = deploy_action_ids(&w);
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, _)| b.0.as_str())
        .collect();
    assert_eq!(changed, ["ap-southeast-2-ExecuteChangeSet"]);
    step(&mut w, mins(10));
    let done = newest(&w, "service-x");
    assert_eq!(done.id, failed.id);
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(
        stage_latest(&w, "service-x", "Deploy"),
        Some((failed.id.to_string(), "Succeeded".into()))
    );
}

#[test]
fn retrying_all_actions_starts_the_stage_over() {
    let mut w = world_at(1, mins(10));
    let failed = newest(&w, "service-x");
    let before = deploy_action_ids(&w);
    w.operate(
        retry(&failed.id, "Deploy", RetryMode::AllActions),
        SIM_IDENTITY,
    )
    .unwrap();
    step(&mut w, SignedDuration::from_secs(1));
    let after = deploy_action_ids(&w);
    for ((name, old), (_, new)) in before.iter().zip(&after) {
        // runOrder 1 (infrastructure) runs again first; later run orders wait.
        assert_eq!(old != new, name.ends_with("CreateInfrastructure"), "{name}");
    }
    let doc = w.pipeline_state_doc("service-x").unwrap();
    let running = doc.stage_states[1]
        .action_states
        .iter()
        .filter(|a| {
            a.latest_execution
                .as_ref()
                .is_some_and(|e| e.status == "InProgress")
        })
        .count();
    assert_eq!(running, 3);
}

#[test]
fn a_disabled_transition_holds_the_execution_until_enabled() {
    let mut w = world_at(1, SignedDuration::ZERO);
    let bad = OperateCall::DisableStageTransition {
        pipeline: "global-api".into(),
        stage: "Europe".into(),
        reason: "hold: until 20:00".into(),
    };
    assert!(matches!(
        w.operate(bad, SIM_IDENTITY),
        Err(SourceError::Other(_))
    ));
    let first = OperateCall::DisableStageTransition {
        pipeline: "global-api".into(),
        stage: "Source".into(),
        reason: "no".into(),
    };
    assert!(matches!(
        w.operate(first, SIM_IDENTITY),
        Err(SourceError::Conflict(_))
    ));

    let held_at = w.now;
    w.operate(
        OperateCall::DisableStageTransition {
            pipeline: "global-api".into(),
            stage: "Europe".into(),
            reason: "Hold until off-hours in Europe".into(),
        },
        SIM_IDENTITY,
    )
    .unwrap();
    let wave = w.flow("global-api").unwrap();
    let europe = wave.wave("Europe").unwrap();
    assert!(!europe.transition.enabled);
    assert_eq!(
        europe.transition.disabled_reason.as_deref(),
        Some("Hold until off-hours in Europe")
    );
    assert_eq!(europe.transition.changed_by.as_deref(), Some(SIM_IDENTITY));
    assert_eq!(europe.transition.changed_at, Some(held_at));
    assert!(europe.cells.iter().all(|c| c.held));

    step(&mut w, mins(60));
    let exec = newest(&w, "global-api");
    assert_eq!(exec.status, ExecutionStatus::InProgress);
    let run = w.pipeline("global-api").unwrap().run.clone().unwrap();
    assert_eq!(
        run.stage,
        w.pipeline("global-api")
            .unwrap()
            .stage_index("Europe")
            .unwrap()
    );
    assert!(!run.entered);
    assert_ne!(stage_latest(&w, "global-api", "Europe").unwrap().0, exec.id);

    w.operate(
        OperateCall::EnableStageTransition {
            pipeline: "global-api".into(),
            stage: "Europe".into(),
        },
        SIM_IDENTITY,
    )
    .unwrap();
    step(&mut w, SignedDuration::from_secs(1));
    assert_eq!(
        stage_latest(&w, "global-api", "Europe"),
        Some((exec.id.to_string(), "InProgress".into()))
    );
    assert!(
        w.flow("global-api")
            .unwrap()
            .wave("Europe")
            .unwrap()
            .transition
            .enabled
    );
}
