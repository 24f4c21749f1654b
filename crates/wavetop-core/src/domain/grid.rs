//! Deriving the wave x region grid from a pipeline's structure and state as
//! CodePipeline returns them.
//!
//! Stages become waves in order; `attribution` says which column each
//! action is drawn in and which stages are pre-deploy rows; `current_run`
//! says which actions' latest runs belong to the stage's current execution.
//! A run of an earlier execution is drawn as not started, its result kept
//! aside to be shown greyed.

use jiff::Timestamp;

use super::attribution::{columns, pre_deploy_stages};
use super::conditions::WaveConditions;
use super::current_run::{RunEvidence, RunOf};
use super::fleet::{
    Action, ActionStatus, Approval, Cell, EarlierRun, StageStatus, Transition, Wave,
};
use super::pipeline_doc::{
    ActionDeclaration, ActionState, GetPipelineStateOutput, PipelineDeclaration, StageDeclaration,
    StageState,
};
use super::shared_str::SharedStr;

/// The waves of one pipeline and its regions in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedGrid {
    pub waves: Vec<Wave>,
    pub regions: Vec<String>,
}

/// The grid from GetPipeline and GetPipelineState alone: every action's
/// latest run is taken as the stage's current one.
pub fn derive_grid(
    decl: &PipelineDeclaration,
    state: Option<&GetPipelineStateOutput>,
    home_region: &str,
) -> DerivedGrid {
    derive_grid_with(decl, state, &RunEvidence::default(), home_region)
}

/// The grid, with what the pipeline's executions tell about which runs are
/// current.
pub fn derive_grid_with(
    decl: &PipelineDeclaration,
    state: Option<&GetPipelineStateOutput>,
    evidence: &RunEvidence,
    home_region: &str,
) -> DerivedGrid {
    let mut regions: Vec<String> = Vec::new();
    let mut waves = Vec::with_capacity(decl.stages.len());
    for (stage, pre_deploy) in decl.stages.iter().zip(pre_deploy_stages(decl)) {
        let stage_state =
            state.and_then(|s| s.stage_states.iter().find(|st| st.stage_name == stage.name));
        let context = StageContext {
            pipeline: &decl.name,
            state: stage_state,
            evidence,
            home_region,
        };
        let wave = derive_wave(stage, pre_deploy, &context);
        if !wave.pre_deploy {
            for region in wave.regions() {
                if !regions.iter().any(|r| r == region) {
                    regions.push(region.to_string());
                }
            }
        }
        waves.push(wave);
    }
    if regions.is_empty() {
        regions.push(home_region.to_string());
    }
    DerivedGrid { waves, regions }
}

/// The grid of a chained flow: each pipeline's waves in hand-off order,
/// regions in order of first appearance.
pub fn chain_grids(parts: impl IntoIterator<Item = DerivedGrid>) -> DerivedGrid {
    let mut out = DerivedGrid {
        waves: Vec::new(),
        regions: Vec::new(),
    };
    for part in parts {
        for region in part.regions {
            if !out.regions.contains(&region) {
                out.regions.push(region);
            }
        }
        out.waves.extend(part.waves);
    }
    // Kept by the model until the flow's next poll, for every flow.
    out.waves.shrink_to_fit();
    out.regions.shrink_to_fit();
    out
}

/// What deriving one stage needs besides its declaration.
struct StageContext<'a> {
    pipeline: &'a str,
    state: Option<&'a StageState>,
    evidence: &'a RunEvidence,
    home_region: &'a str,
}

fn derive_wave(stage: &StageDeclaration, pre_deploy: bool, cx: &StageContext) -> Wave {
    let transition = cx
        .state
        .and_then(|s| s.inbound_transition_state.as_ref())
        .map(|t| Transition {
            enabled: t.enabled,
            disabled_reason: t.disabled_reason.clone(),
            changed_by: t.last_changed_by.clone(),
            changed_at: t.last_changed_at.and_then(epoch_to_timestamp),
        })
        .unwrap_or_else(Transition::open);
    let held = !transition.enabled;

    let mut cells: Vec<Cell> = Vec::new();
    for (decl, column) in stage.actions.iter().zip(columns(stage, cx.home_region)) {
        let action = derive_action(decl, cx);
        match cells.iter_mut().find(|c| c.region == column) {
            Some(cell) => cell.actions.push(action),
            None => cells.push(Cell {
                region: if action.region == column {
                    action.region.clone()
                } else {
                    column.into()
                },
                actions: vec![action],
                held,
            }),
        }
    }
    // A model keeps a grid for every flow of the fleet until its next poll:
    // cut the slack the pushes above left, ten thousand actions' worth on a
    // large fleet.
    cells.shrink_to_fit();
    for cell in &mut cells {
        cell.actions.sort_by_key(|a| a.run_order);
        cell.actions.shrink_to_fit();
    }

    let latest = cx.state.and_then(|s| s.latest_execution.as_ref());
    Wave {
        name: stage.name.clone(),
        pipeline: cx.pipeline.to_string(),
        pre_deploy,
        transition,
        stage_status: latest.and_then(|e| parse_stage_status(&e.status)),
        execution_id: latest.map(|e| e.pipeline_execution_id.clone()),
        cells,
        conditions: WaveConditions::from_docs(
            &stage.conditions,
            cx.state.map(|s| &s.conditions),
            latest.map(|e| e.pipeline_execution_id.as_str()),
        ),
        schedule: Default::default(),
    }
}

/// The action as the stage's current execution has it: an action whose
/// latest run belongs to an earlier execution has not started in this one.
fn derive_action(decl: &ActionDeclaration, cx: &StageContext) -> Action {
    let state = cx
        .state
        .and_then(|s| s.action_states.iter().find(|a| a.action_name == decl.name));
    let run_of = match (cx.state, state) {
        (Some(stage), Some(action)) => cx.evidence.run_of(stage, action),
        _ => RunOf::Current,
    };
    let mut action = action_from_state(decl, state, cx.home_region);
    if run_of == RunOf::Earlier && action.status != ActionStatus::NotStarted {
        action.earlier = Some(Box::new(EarlierRun {
            status: action.status,
            at: action.ended_at.or(action.started_at),
        }));
        action.status = ActionStatus::NotStarted;
        action.started_at = None;
        action.ended_at = None;
        action.external_url = None;
        action.error = None;
        action.updated_by = None;
        if let Some(approval) = action.approval.as_mut() {
            approval.token_present = false;
        }
    }
    action
}

fn action_from_state(
    decl: &ActionDeclaration,
    state: Option<&ActionState>,
    home_region: &str,
) -> Action {
    let latest = state.and_then(|s| s.latest_execution.as_ref());
    let status = latest
        .map(|e| parse_action_status(&e.status))
        .unwrap_or(ActionStatus::NotStarted);
    let changed = latest
        .and_then(|e| e.last_status_change)
        .and_then(epoch_to_timestamp);
    let (started_at, ended_at) = match status {
        ActionStatus::InProgress => (changed, None),
        ActionStatus::NotStarted => (None, None),
        _ => (None, changed),
    };
    let approval = (&*decl.action_type_id.category == "Approval").then(|| {
        Box::new(Approval {
            token_present: latest.and_then(|e| e.token.as_ref()).is_some(),
            custom_data: decl.configuration.get("CustomData").map(str::to_string),
            review_url: decl
                .configuration
                .get("ExternalEntityLink")
                .map(str::to_string),
        })
    });
    let error = latest
        .filter(|_| status == ActionStatus::Failed)
        .and_then(|e| {
            e.error_details
                .as_ref()
                .and_then(|d| d.message.clone())
                .or_else(|| e.summary.clone())
        });
    Action {
        name: decl.name.clone(),
        category: decl.action_type_id.category.clone(),
        provider: decl.action_type_id.provider.clone(),
        run_order: decl.run_order.unwrap_or(1),
        region: decl
            .region
            .clone()
            .unwrap_or_else(|| SharedStr::from(home_region)),
        status,
        started_at,
        ended_at,
        external_url: latest.and_then(|e| e.external_execution_url.as_deref().map(SharedStr::from)),
        error: error.map(SharedStr::from),
        approval,
        stack_name: decl
            .configuration
            .get_shared("StackName")
            .map(SharedStr::from),
        updated_by: latest.and_then(|e| e.last_updated_by.as_deref().map(SharedStr::from)),
        earlier: None,
    }
}

pub fn parse_action_status(s: &str) -> ActionStatus {
    match s {
        "InProgress" => ActionStatus::InProgress,
        "Succeeded" => ActionStatus::Succeeded,
        "Failed" => ActionStatus::Failed,
        "Abandoned" => ActionStatus::Abandoned,
        _ => ActionStatus::NotStarted,
    }
}

pub fn parse_stage_status(s: &str) -> Option<StageStatus> {
    Some(match s {
        "Cancelled" => StageStatus::Cancelled,
        "InProgress" => StageStatus::InProgress,
        "Failed" => StageStatus::Failed,
        "Stopped" => StageStatus::Stopped,
        "Stopping" => StageStatus::Stopping,
        "Succeeded" => StageStatus::Succeeded,
        _ => return None,
    })
}

pub fn epoch_to_timestamp(secs: f64) -> Option<Timestamp> {
    Timestamp::from_millisecond((secs * 1000.0).round() as i64).ok()
}

pub fn timestamp_to_epoch(t: Timestamp) -> f64 {
    t.as_millisecond() as f64 / 1000.0
}
