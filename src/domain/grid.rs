//! Deriving the wave x region grid from a pipeline's structure and state as
//! CodePipeline returns them.
//!
//! Stages become waves in order. An action's `region` field (or the
//! pipeline's home region) gives its column. Actions without a region of their
//! own (manual approvals, shell steps) belong to the region of their CDK stage
//! group: CDK Pipelines names actions `<Stage>.<Stack>.Prepare` and
//! `<Stage>.<Stack>.Deploy`, and drops the `<Stage>.` prefix when a wave holds a
//! single stage.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::fleet::{Action, ActionStatus, Approval, Cell, StageStatus, Transition, Wave};
use super::pipeline_doc::{
    ActionDeclaration, ActionState, GetPipelineStateOutput, PipelineDeclaration, StageDeclaration,
    StageState,
};

/// Stage names that build and publish before any region deploys.
const PRE_DEPLOY_STAGES: [&str; 5] = ["Source", "Build", "UpdatePipeline", "Assets", "SelfMutate"];

/// The waves of one pipeline and its regions in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedGrid {
    pub waves: Vec<Wave>,
    pub regions: Vec<String>,
}

pub fn derive_grid(
    decl: &PipelineDeclaration,
    state: Option<&GetPipelineStateOutput>,
    home_region: &str,
) -> DerivedGrid {
    let mut regions: Vec<String> = Vec::new();
    let mut waves = Vec::with_capacity(decl.stages.len());
    for stage in &decl.stages {
        let stage_state =
            state.and_then(|s| s.stage_states.iter().find(|st| st.stage_name == stage.name));
        let wave = derive_wave(&decl.name, stage, stage_state, home_region);
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
    out
}

pub fn is_pre_deploy_stage(stage: &StageDeclaration) -> bool {
    PRE_DEPLOY_STAGES.contains(&stage.name.as_str())
        || stage
            .actions
            .iter()
            .all(|a| a.action_type_id.category == "Source")
}

fn derive_wave(
    pipeline: &str,
    stage: &StageDeclaration,
    state: Option<&StageState>,
    home_region: &str,
) -> Wave {
    let regions = attribute_regions(stage, home_region);
    let transition = state
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
    for (decl, region) in stage.actions.iter().zip(regions) {
        let action_state =
            state.and_then(|s| s.action_states.iter().find(|a| a.action_name == decl.name));
        let action = derive_action(decl, action_state, region.clone());
        match cells.iter_mut().find(|c| c.region == region) {
            Some(cell) => cell.actions.push(action),
            None => cells.push(Cell {
                region,
                actions: vec![action],
                held,
            }),
        }
    }
    for cell in &mut cells {
        cell.actions.sort_by_key(|a| a.run_order);
    }

    Wave {
        name: stage.name.clone(),
        pipeline: pipeline.to_string(),
        pre_deploy: is_pre_deploy_stage(stage),
        transition,
        stage_status: state
            .and_then(|s| s.latest_execution.as_ref())
            .and_then(|e| parse_stage_status(&e.status)),
        execution_id: state
            .and_then(|s| s.latest_execution.as_ref())
            .map(|e| e.pipeline_execution_id.clone()),
        cells,
    }
}

/// The region of each action of a stage, in declaration order.
fn attribute_regions(stage: &StageDeclaration, home_region: &str) -> Vec<String> {
    // Regions that CDK stage groups (the prefix of `<Group>.<Stack>.<Step>`)
    // deploy to.
    let mut group_regions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut stage_regions: Vec<&str> = Vec::new();
    for action in &stage.actions {
        if let Some(region) = action.region.as_deref() {
            if let Some(group) = cdk_group(&action.name) {
                let entry = group_regions.entry(group).or_default();
                if !entry.contains(&region) {
                    entry.push(region);
                }
            }
            if !stage_regions.contains(&region) {
                stage_regions.push(region);
            }
        }
    }

    stage
        .actions
        .iter()
        .map(|action| {
            if let Some(region) = &action.region {
                return region.clone();
            }
            // `<Group>.Approve` (or any region-less step of a group, one dot
            // only) follows its group when the group deploys one region.
            let prefix = action.name.split_once('.').map(|(group, _)| group);
            if let Some(&[only]) = prefix.and_then(|g| group_regions.get(g)).map(Vec::as_slice) {
                return only.to_string();
            }
            if let [only] = stage_regions.as_slice() {
                return only.to_string();
            }
            home_region.to_string()
        })
        .collect()
}

/// The CDK stage group of a regional action named `<Group>.<Stack>.<Step>`.
/// A single-stage wave names its actions `<Stack>.<Step>`: no group.
fn cdk_group(action_name: &str) -> Option<&str> {
    match action_name.split_once('.') {
        Some((group, rest)) if rest.contains('.') => Some(group),
        _ => None,
    }
}

fn derive_action(decl: &ActionDeclaration, state: Option<&ActionState>, region: String) -> Action {
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
    let approval = (decl.action_type_id.category == "Approval").then(|| Approval {
        token_present: latest.and_then(|e| e.token.as_ref()).is_some(),
        custom_data: decl.configuration.get("CustomData").cloned(),
        review_url: decl.configuration.get("ExternalEntityLink").cloned(),
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
        region,
        status,
        started_at,
        ended_at,
        external_url: latest.and_then(|e| e.external_execution_url.clone()),
        error,
        approval,
        stack_name: decl.configuration.get("StackName").cloned(),
        updated_by: latest.and_then(|e| e.last_updated_by.clone()),
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
