//! The fresh read right before a call: each decision is checked against what
//! another operator did in between, on the simulated fleet.

use futures_util::FutureExt;
use wavetop::core::action::ActionName;
use wavetop::core::operator::{OperatorCtx, Target, propose_for};
use wavetop::core::recheck::{Guard, guard_for, recheck};
use wavetop::domain::fleet::StageStatus;
use wavetop::protocol::{Observe, OperateCall, RetryMode};

use super::support::Console;

const BOB: &str = "arn:aws:sts::111111111111:assumed-role/OnCall/bob";

/// The guard of an action on a wave, as the console would confirm it.
fn guard(c: &Console, action: ActionName, flow: &str, wave: &str, region: &str) -> Guard {
    let f = c.model.fleet.flow(flow).expect("flow");
    let target = Target {
        flow: flow.to_string(),
        wave: f.waves.iter().position(|w| w.name == wave).expect("wave"),
        region: region.to_string(),
    };
    let proposal = propose_for(&OperatorCtx::of_console(&c.model), action, &target, false)
        .expect("allowed now");
    guard_for(&c.model.fleet, &proposal.intent)
}

fn as_bob(c: &Console, call: OperateCall) {
    c.backend
        .world()
        .operate(call, BOB)
        .expect("bob's call goes through");
}

/// What the guard reads right before the call, then its verdict.
fn verdict(c: &Console, guard: &Guard) -> Result<serde_json::Value, String> {
    let fresh = c
        .backend
        .poll(guard.read.clone())
        .now_or_never()
        .unwrap()
        .expect("the fresh read");
    recheck(&guard.expect, &fresh, c.now())
}

#[test]
fn an_unchanged_decision_passes_and_records_what_it_read() {
    let c = Console::at_minutes(10);
    let g = guard(
        &c,
        ActionName::Hold,
        "global-api",
        "NorthAmerica",
        "us-west-2",
    );
    let read = verdict(&c, &g).expect("nothing changed");
    assert_eq!(read["transition_enabled"], true);
}

#[test]
fn a_hold_is_not_placed_on_a_stage_someone_else_held() {
    let c = Console::at_minutes(10);
    let g = guard(
        &c,
        ActionName::Hold,
        "global-api",
        "NorthAmerica",
        "us-west-2",
    );
    as_bob(
        &c,
        OperateCall::DisableStageTransition {
            pipeline: "global-api".into(),
            stage: "NorthAmerica".into(),
            reason: "bob holds for the incident".into(),
        },
    );
    let why = verdict(&c, &g).unwrap_err();
    assert!(
        why.starts_with(&format!("NorthAmerica was already held by {BOB} at ")),
        "{why}"
    );
    assert!(why.contains("\"bob holds for the incident\""), "{why}");
}

#[test]
fn a_release_is_not_sent_for_a_stage_someone_else_released() {
    let c = Console::at_minutes(10);
    as_bob(
        &c,
        OperateCall::DisableStageTransition {
            pipeline: "global-api".into(),
            stage: "NorthAmerica".into(),
            reason: "bob holds".into(),
        },
    );
    let mut c = c;
    c.keys("ctrl-r");
    let g = guard(
        &c,
        ActionName::Release,
        "global-api",
        "NorthAmerica",
        "us-west-2",
    );
    as_bob(
        &c,
        OperateCall::EnableStageTransition {
            pipeline: "global-api".into(),
            stage: "NorthAmerica".into(),
        },
    );
    let why = verdict(&c, &g).unwrap_err();
    assert!(
        why.starts_with(&format!("NorthAmerica was already released by {BOB}")),
        "{why}"
    );
}

#[test]
fn a_retry_is_not_sent_for_a_stage_someone_else_retried() {
    let c = Console::at_minutes(10);
    let (flow, wave, region, execution_id) = c
        .model
        .fleet
        .flows
        .iter()
        .flat_map(|f| f.waves.iter().map(move |w| (f, w)))
        .find(|(_, w)| w.stage_status == Some(StageStatus::Failed))
        .map(|(f, w)| {
            (
                f.name.clone(),
                w.clone(),
                w.cells[0].region.clone(),
                w.execution_id.clone().unwrap(),
            )
        })
        .expect("a failed stage ten minutes in");
    let g = guard(&c, ActionName::RetryFailed, &flow, &wave.name, &region);
    as_bob(
        &c,
        OperateCall::RetryStageExecution {
            pipeline: wave.pipeline.clone(),
            stage: wave.name.clone(),
            execution_id: execution_id.clone(),
            mode: RetryMode::FailedActions,
        },
    );
    let why = verdict(&c, &g).unwrap_err();
    assert!(
        why.starts_with(&format!(
            "{} is now InProgress in execution {execution_id}",
            wave.name
        )),
        "{why}"
    );
    assert!(
        why.contains(&format!("(it had failed in {execution_id})")),
        "{why}"
    );
}

#[test]
fn a_stop_is_not_sent_for_an_execution_someone_else_stopped() {
    let c = Console::at_minutes(10);
    let (flow, wave, execution_id) = c
        .model
        .fleet
        .flows
        .iter()
        .flat_map(|f| f.waves.iter().map(move |w| (f, w)))
        .find(|(_, w)| w.stage_status == Some(StageStatus::InProgress) && !w.pre_deploy)
        .map(|(f, w)| (f.name.clone(), w.clone(), w.execution_id.clone().unwrap()))
        .expect("a running stage ten minutes in");
    let g = guard(
        &c,
        ActionName::Stop,
        &flow,
        &wave.name,
        &wave.cells[0].region,
    );
    as_bob(
        &c,
        OperateCall::StopPipelineExecution {
            pipeline: wave.pipeline.clone(),
            execution_id: execution_id.clone(),
            abandon: true,
            reason: "bob stops it".into(),
        },
    );
    let why = verdict(&c, &g).unwrap_err();
    assert!(
        why.starts_with(&format!(
            "execution {execution_id} of {} is ",
            wave.pipeline
        )),
        "{why}"
    );
    assert!(!why.contains("InProgress;"), "{why}");
}
