//! The simulated world over time, its determinism and its operate calls.

mod approvals;
mod backend;
mod conditions;
mod over_time;
mod retry_and_holds;
mod stop_rollback_drain;

use futures_util::FutureExt;
use jiff::SignedDuration;

use super::*;
use crate::domain::fleet::Execution;
use crate::domain::pipeline_doc::ActionExecution;
use crate::protocol::OperateCall;

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

fn world_at(seed: u64, at: SignedDuration) -> SimWorld {
    let mut w = SimWorld::new(seed, DEMO_EPOCH);
    w.advance_to(DEMO_EPOCH + at);
    w
}

fn step(w: &mut SimWorld, by: SignedDuration) {
    let t = w.now + by;
    w.advance_to(t);
}

fn action_state(
    w: &SimWorld,
    pipeline: &str,
    stage: &str,
    action: &str,
) -> Option<ActionExecution> {
    let doc = w.pipeline_state_doc(pipeline)?;
    let st = doc
        .stage_states
        .into_iter()
        .find(|s| s.stage_name == stage)?;
    st.action_states
        .into_iter()
        .find(|a| a.action_name == action)?
        .latest_execution
}

fn stage_latest(w: &SimWorld, pipeline: &str, stage: &str) -> Option<(String, String)> {
    let p = w.pipeline(pipeline)?;
    let s = p.stage_index(stage)?;
    p.stages[s]
        .latest
        .as_ref()
        .map(|l| (l.pipeline_execution_id.clone(), l.status.clone()))
}

fn newest(w: &SimWorld, pipeline: &str) -> Execution {
    w.pipeline(pipeline).unwrap().executions[0].clone()
}

fn approve(pipeline: &str, stage: &str, action: &str, approved: bool) -> OperateCall {
    OperateCall::PutApprovalResult {
        pipeline: pipeline.into(),
        stage: stage.into(),
        action: action.into(),
        approved,
        summary: "checked the canary".into(),
    }
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    f.now_or_never().expect("the simulator answers at once")
}

#[test]
fn same_seed_and_time_give_the_same_bytes_and_another_seed_differs() {
    let a = serde_json::to_string(&fleet_at(1, mins(10)).unwrap()).unwrap();
    let b = serde_json::to_string(&fleet_at(1, mins(10)).unwrap()).unwrap();
    let c = serde_json::to_string(&fleet_at(2, mins(10)).unwrap()).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let w1 = serde_json::to_string(&world_at(7, mins(3))).unwrap();
    let w2 = serde_json::to_string(&world_at(7, mins(3))).unwrap();
    assert_eq!(w1, w2);
}

#[test]
fn advancing_in_steps_equals_advancing_at_once_and_never_goes_back() {
    let mut stepped = SimWorld::new(3, DEMO_EPOCH);
    for _ in 0..10 {
        step(&mut stepped, SignedDuration::from_secs(37));
    }
    let direct = world_at(3, SignedDuration::from_secs(370));
    assert_eq!(
        serde_json::to_string(&stepped).unwrap(),
        serde_json::to_string(&direct).unwrap()
    );
    let before = stepped.now;
    stepped.advance_to(DEMO_EPOCH);
    assert_eq!(stepped.now, before);
}
