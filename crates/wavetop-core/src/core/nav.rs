//! Moving cursors. Every cursor stays within the rows its view draws and on
//! screen (see [`Viewport`]).

use super::action::ActionName;
use super::model::{Model, View};
use super::panes::{ActivityPane, fit_region_columns, fit_viewports, measured_columns};
use super::region_pages::{page_left, page_right};
use super::rows::selected_check_id;
use super::viewport::Viewport;
use crate::protocol::PollKey;

pub fn move_cursor(model: &mut Model, action: ActionName) {
    if matches!(action, ActionName::NextPipeline | ActionName::PrevPipeline) {
        cycle_flow(model, action == ActionName::NextPipeline);
        return;
    }
    fit_viewports(model);
    let horizontal = matches!(action, ActionName::Left | ActionName::Right);
    let paging_regions = matches!(action, ActionName::PageLeft | ActionName::PageRight);
    match model.view {
        View::Grid if horizontal || paging_regions => move_region(model, action),
        _ if paging_regions => {}
        // The activity view has two panes stacked: left and right switch
        // which one the other keys move.
        View::Activity if horizontal => {
            model.activity_pane = match model.activity_pane {
                ActivityPane::Log => ActivityPane::Sources,
                ActivityPane::Sources => ActivityPane::Log,
            }
        }
        _ if horizontal => {}
        View::CellDetail => scroll(&mut model.cursors.detail, action),
        _ => {
            if let Some(pane) = list_mut(model) {
                step(pane, action);
            }
        }
    }
    if model.view == View::Health {
        follow_selected_check(model);
    }
}

/// Scrolls the help, which has no cursor of its own.
pub fn scroll_help(model: &mut Model, action: ActionName) {
    fit_viewports(model);
    scroll(&mut model.cursors.help, action);
}

/// Moves the grid's region cursor: a column, or a screenful of the columns
/// the view measured (before it has, of columns of a typical width).
fn move_region(model: &mut Model, action: ActionName) {
    let grid = measured_columns(model).cloned();
    let pane = &mut model.cursors.region;
    let Some(grid) = grid else {
        let page = pane.height.max(1);
        match action {
            ActionName::PageLeft => pane.up(page),
            ActionName::PageRight => pane.down(page),
            _ => step(pane, action),
        }
        return;
    };
    let (offset, selected) = (pane.offset, pane.selected);
    (pane.offset, pane.selected) = match action {
        ActionName::PageLeft => page_left(&grid.widths, grid.room, offset, selected),
        ActionName::PageRight => page_right(&grid.widths, grid.room, offset, selected),
        ActionName::Left => (offset, selected.saturating_sub(1)),
        _ => (offset, selected + 1),
    };
    fit_region_columns(pane, &grid);
}

/// Moves the cursor of a list: one row, a page, or to either end.
fn step(pane: &mut Viewport, action: ActionName) {
    match action {
        ActionName::Up | ActionName::Left => pane.up(1),
        ActionName::Down | ActionName::Right => pane.down(1),
        ActionName::PageUp => pane.up(pane.page()),
        ActionName::PageDown => pane.down(pane.page()),
        ActionName::First => pane.select(0),
        ActionName::Last => pane.last(),
        _ => {}
    }
}

/// Scrolls a text pane: its top line moves.
fn scroll(pane: &mut Viewport, action: ActionName) {
    let page = isize::try_from(pane.page()).unwrap_or(isize::MAX);
    match action {
        ActionName::Up => pane.scroll(-1),
        ActionName::Down => pane.scroll(1),
        ActionName::PageUp => pane.scroll(-page),
        ActionName::PageDown => pane.scroll(page),
        ActionName::First => pane.scroll_to(0),
        ActionName::Last => pane.scroll_to(usize::MAX),
        _ => {}
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
    fit_viewports(model);
}

/// The list the up and down keys move in the current view.
fn list_mut(model: &mut Model) -> Option<&mut Viewport> {
    let c = &mut model.cursors;
    Some(match model.view {
        View::Pipelines => &mut c.pipeline,
        View::Grid => &mut c.wave,
        View::CellDetail => return None,
        View::Health => &mut c.health,
        View::Replication => &mut c.replication,
        View::Executions => &mut c.execution,
        View::Revisions => &mut c.revision,
        View::Activity => match model.activity_pane {
            ActivityPane::Log => &mut c.activity,
            ActivityPane::Sources => &mut c.sources,
        },
    })
}

/// Per-checker observations are read only for the check the operator is
/// looking at (GetHealthCheckStatus is rate-limited hard).
pub fn follow_selected_check(model: &mut Model) {
    let wanted = selected_check_id(&model.fleet, model.cursors.health.selected);
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
