//! Moving cursors. Every cursor stays within the rows its view draws.

use super::action::ActionName;
use super::model::{Model, View};
use super::rows::{health_rows, selected_check_id};
use crate::protocol::PollKey;

const PAGE: usize = 10;

pub fn move_cursor(model: &mut Model, action: ActionName) {
    match action {
        ActionName::NextPipeline | ActionName::PrevPipeline => {
            cycle_flow(model, action == ActionName::NextPipeline);
            return;
        }
        ActionName::Left | ActionName::Right if model.view == View::Grid => {
            let columns = model.selected_flow().map_or(0, |f| f.regions.len());
            model.cursors.region = step(
                model.cursors.region,
                columns,
                action == ActionName::Right,
                1,
            );
            return;
        }
        _ => {}
    }
    let rows = row_count(model);
    let cursor = cursor_mut(model);
    *cursor = match action {
        ActionName::Up => step(*cursor, rows, false, 1),
        ActionName::Down => step(*cursor, rows, true, 1),
        ActionName::PageUp => step(*cursor, rows, false, PAGE),
        ActionName::PageDown => step(*cursor, rows, true, PAGE),
        ActionName::First => 0,
        ActionName::Last => rows.saturating_sub(1),
        _ => *cursor,
    };
    if model.view == View::Health {
        follow_selected_check(model);
    }
}

fn step(at: usize, len: usize, forward: bool, by: usize) -> usize {
    if len == 0 {
        return 0;
    }
    if forward {
        (at + by).min(len - 1)
    } else {
        at.saturating_sub(by)
    }
}

fn cycle_flow(model: &mut Model, forward: bool) {
    let names: Vec<String> = model.fleet.flows.iter().map(|f| f.name.clone()).collect();
    if names.is_empty() {
        return;
    }
    let current = model
        .selected_flow()
        .and_then(|f| names.iter().position(|n| *n == f.name))
        .unwrap_or(0);
    let next = if forward {
        (current + 1) % names.len()
    } else {
        (current + names.len() - 1) % names.len()
    };
    model.selected_flow = names.get(next).cloned().or(model.selected_flow.take());
    model.cursors.wave = model
        .cursors
        .wave
        .min(row_count_for(model, View::Grid).saturating_sub(1));
    clamp_cursors(model);
}

fn row_count(model: &Model) -> usize {
    row_count_for(model, model.view)
}

fn row_count_for(model: &Model, view: View) -> usize {
    match view {
        View::Pipelines => model.visible_flows().len(),
        View::Grid => model.selected_flow().map_or(0, |f| f.waves.len()),
        View::CellDetail => usize::MAX / 2,
        View::Health => health_rows(&model.fleet).len(),
        View::Replication => model.fleet.tables.len(),
        View::Executions => model.selected_flow().map_or(0, |f| f.executions.len()),
        View::Activity => model.activity.len(),
    }
}

fn cursor_mut(model: &mut Model) -> &mut usize {
    match model.view {
        View::Pipelines => &mut model.cursors.pipeline,
        View::Grid => &mut model.cursors.wave,
        View::CellDetail => &mut model.cursors.detail_scroll,
        View::Health => &mut model.cursors.health,
        View::Replication => &mut model.cursors.replication,
        View::Executions => &mut model.cursors.execution,
        View::Activity => &mut model.cursors.activity,
    }
}

/// Keeps every cursor inside its rows after the data changed under it.
pub fn clamp_cursors(model: &mut Model) {
    let clamp = |c: &mut usize, len: usize| *c = (*c).min(len.saturating_sub(1));
    let flows = model.visible_flows().len();
    let (waves, regions, executions) = model.selected_flow().map_or((0, 0, 0), |f| {
        (f.waves.len(), f.regions.len(), f.executions.len())
    });
    let health = health_rows(&model.fleet).len();
    let tables = model.fleet.tables.len();
    let activity = model.activity.len();
    let c = &mut model.cursors;
    clamp(&mut c.pipeline, flows);
    clamp(&mut c.wave, waves);
    clamp(&mut c.region, regions);
    clamp(&mut c.execution, executions);
    clamp(&mut c.health, health);
    clamp(&mut c.replication, tables);
    clamp(&mut c.activity, activity);
}

/// Per-checker observations are read only for the check the operator is
/// looking at (GetHealthCheckStatus is rate-limited hard).
pub fn follow_selected_check(model: &mut Model) {
    let wanted = selected_check_id(&model.fleet, model.cursors.health);
    let stale: Vec<PollKey> = model
        .poll
        .keys()
        .filter_map(|(k, _)| match k {
            PollKey::Checkers { health_check_id } if Some(health_check_id) != wanted.as_ref() => {
                Some(k.clone())
            }
            _ => None,
        })
        .collect();
    for key in stale {
        model.poll.unregister(&key);
    }
    if let Some(id) = wanted {
        model.poll.register(
            PollKey::Checkers {
                health_check_id: id,
            },
            model.now,
        );
    }
}
