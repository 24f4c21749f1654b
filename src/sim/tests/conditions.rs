//! The demo's condition-held pipelines: a deployment window that holds a
//! wave until it opens, an alarm rule that fails unless overridden, and the
//! override itself.

use super::*;
use crate::domain::conditions::{ConditionKind, ConditionMark, WaveConditions};
use crate::protocol::SourceError;

fn conditions(w: &SimWorld, pipeline: &str, stage: &str) -> Option<WaveConditions> {
    let decl = w.pipeline_doc(pipeline)?.pipeline;
    let state = w.pipeline_state_doc(pipeline)?;
    let stage_decl = decl.stages.iter().find(|s| s.name == stage)?;
    let stage_state = state.stage_states.iter().find(|s| s.stage_name == stage)?;
    WaveConditions::from_docs(
        &stage_decl.conditions,
        Some(&stage_state.conditions),
        stage_state
            .latest_execution
            .as_ref()
            .map(|e| e.pipeline_execution_id.as_str()),
    )
}

fn override_call(pipeline: &str, stage: &str, execution_id: &str) -> OperateCall {
    OperateCall::OverrideStageCondition {
        pipeline: pipeline.into(),
        stage: stage.into(),
        execution_id: execution_id.into(),
        condition: ConditionKind::BeforeEntry,
    }
}

#[test]
fn the_window_holds_the_global_wave_until_it_opens() {
    let w = world_at(7, mins(0));
    let held = conditions(&w, "checkout", "Global").unwrap();
    assert_eq!(held.mark(), Some(ConditionMark::Blocking));
    let summary = held
        .set(ConditionKind::BeforeEntry)
        .unwrap()
        .summary
        .clone();
    assert!(
        summary.as_deref().unwrap_or("").contains("opens at"),
        "{summary:?}"
    );
    let (_, waiting) = held.overridable().unwrap();
    let waiting = waiting.to_string();
    let (shown, _) = stage_latest(&w, "checkout", "Global").unwrap();
    assert_ne!(shown, waiting, "the stage still shows an earlier execution");
    // The window opens at 04:00 UTC, two hours after the demo's epoch.
    let w = world_at(7, mins(125));
    let (entered, status) = stage_latest(&w, "checkout", "Global").unwrap();
    assert_eq!(entered, waiting);
    assert_ne!(status, "Failed");
    assert_eq!(conditions(&w, "checkout", "Global").unwrap().mark(), None);
}

#[test]
fn the_alarm_rule_fails_the_execution_once_its_wait_is_over() {
    let w = world_at(7, mins(0));
    let watching = conditions(&w, "search", "Americas").unwrap();
    assert_eq!(watching.mark(), Some(ConditionMark::Blocking));
    let evidence = watching.evidence(w.now);
    assert_eq!(evidence[0].rule, "EuropeQuiet");
    assert!(evidence[0].time_left_secs.is_some_and(|s| s > 0));
    let w = world_at(7, mins(20));
    assert_eq!(
        conditions(&w, "search", "Americas").unwrap().mark(),
        Some(ConditionMark::Failed)
    );
    assert_eq!(
        stage_latest(&w, "search", "Americas").map(|(_, s)| s),
        Some("Failed".to_string())
    );
}

#[test]
fn an_override_lets_the_waiting_execution_in_and_only_once() {
    let mut w = world_at(7, mins(0));
    let held = conditions(&w, "search", "Americas").unwrap();
    let (_, execution) = held.overridable().unwrap();
    let execution = execution.to_string();
    let done = w.operate(
        override_call("search", "Americas", &execution),
        SIM_IDENTITY,
    );
    assert!(done.is_ok(), "{done:?}");
    step(&mut w, SignedDuration::from_secs(2));
    let (entered, _) = stage_latest(&w, "search", "Americas").expect("entered");
    assert_eq!(entered, execution);
    let again = w.operate(
        override_call("search", "Americas", &execution),
        SIM_IDENTITY,
    );
    assert!(
        matches!(&again, Err(SourceError::Conflict(m)) if m.contains("ConditionNotOverridable")),
        "{again:?}"
    );
    let elsewhere = w.operate(override_call("search", "Europe", &execution), SIM_IDENTITY);
    assert!(
        matches!(elsewhere, Err(SourceError::Conflict(_))),
        "{elsewhere:?}"
    );
}

#[test]
fn the_condition_flows_leave_every_other_flow_as_it_was() {
    // Their draws are their own: the other pipelines' executions do not
    // depend on them being there.
    let with = world_at(3, mins(30));
    let mut without = SimWorld::new(3, DEMO_EPOCH);
    without.pipelines.retain(|p| p.own_rng.is_none());
    without.advance_to(DEMO_EPOCH + mins(30));
    for p in without.pipelines.iter() {
        assert_eq!(
            with.pipeline(p.name()).unwrap().executions,
            p.executions,
            "{}",
            p.name()
        );
    }
}
