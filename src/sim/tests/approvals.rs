//! PutApprovalResult against the simulated pipelines.

use jiff::SignedDuration;

use super::*;
use crate::domain::fleet::ExecutionStatus;
use crate::protocol::{OperateCall, SourceError};

#[test]
fn approving_a_waiting_gate_lets_the_stage_continue_and_a_second_answer_is_refused() {
    let mut w = world_at(1, mins(10));
    let state = action_state(&w, "global-api", "Europe", "EuWest1.Approve").unwrap();
    assert_eq!(state.status, "InProgress");
    assert!(state.token.is_some());
    w.operate(
        approve("global-api", "Europe", "EuWest1.Approve", true),
        SIM_IDENTITY,
    )
    .unwrap();
    let state = action_state(&w, "global-api", "Europe", "EuWest1.Approve").unwrap();
    assert_eq!(state.status, "Succeeded");
    assert!(state.token.is_none());
    assert_eq!(state.summary.as_deref(), Some("checked the canary"));
    let again = w.operate(
        approve("global-api", "Europe", "EuWest1.Approve", true),
        SIM_IDENTITY,
    );
    assert!(
        matches!(again, Err(SourceError::ApprovalAlreadyCompleted(_))),
        "{again:?}"
    );

    w.operate(
        approve("global-api", "Europe", "EuCentral1.Approve", true),
        SIM_IDENTITY,
    )
    .unwrap();
    step(&mut w, SignedDuration::from_secs(2));
    let prepare = action_state(&w, "global-api", "Europe", "EuWest1.Api.Prepare").unwrap();
    assert_eq!(prepare.status, "InProgress");
    assert_eq!(
        prepare.last_status_change,
        pipeline::epoch(w.now - SignedDuration::from_secs(1))
    );
}

#[test]
fn rejecting_a_gate_fails_the_stage_and_the_execution() {
    let mut w = world_at(1, mins(10));
    let exec = newest(&w, "global-api");
    w.operate(
        approve("global-api", "Europe", "EuCentral1.Approve", false),
        SIM_IDENTITY,
    )
    .unwrap();
    let state = action_state(&w, "global-api", "Europe", "EuCentral1.Approve").unwrap();
    assert_eq!(state.status, "Failed");
    // The other gate of the wave still waits; the stage fails once nothing runs.
    w.operate(
        approve("global-api", "Europe", "EuWest1.Approve", true),
        SIM_IDENTITY,
    )
    .unwrap();
    step(&mut w, SignedDuration::from_secs(1));
    assert_eq!(
        stage_latest(&w, "global-api", "Europe"),
        Some((exec.id.to_string(), "Failed".into()))
    );
    assert_eq!(newest(&w, "global-api").status, ExecutionStatus::Failed);
    assert_eq!(
        action_state(&w, "global-api", "Europe", "EuWest1.Api.Prepare")
            .unwrap()
            .status,
        "Succeeded"
    );
}

#[test]
fn approving_a_gate_the_current_execution_has_not_reached_is_an_invalid_token() {
    let mut w = world_at(1, SignedDuration::ZERO);
    let p = w.pipeline("global-api").unwrap();
    let run_stage = p.run.as_ref().expect("global-api is rolling out").stage;
    let europe = p.stage_index("Europe").unwrap();
    assert!(run_stage < europe);
    let r = w.operate(
        approve("global-api", "Europe", "EuWest1.Approve", true),
        SIM_IDENTITY,
    );
    assert!(
        matches!(r, Err(SourceError::InvalidApprovalToken(_))),
        "{r:?}"
    );
    let long = OperateCall::PutApprovalResult {
        pipeline: "global-api".into(),
        stage: "Europe".into(),
        action: "EuWest1.Approve".into(),
        approved: true,
        summary: "x".repeat(513),
    };
    assert!(matches!(
        w.operate(long, SIM_IDENTITY),
        Err(SourceError::Other(_))
    ));
    let r = w.operate(approve("global-api", "Build", "Synth", true), SIM_IDENTITY);
    assert!(matches!(r, Err(SourceError::NotFound(_))), "{r:?}");
    let r = w.operate(approve("nope", "Build", "Synth", true), SIM_IDENTITY);
    assert!(matches!(r, Err(SourceError::NotFound(_))), "{r:?}");
}
