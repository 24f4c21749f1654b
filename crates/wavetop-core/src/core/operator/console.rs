//! The console's side of the rules: its model gives the context and its
//! cursor gives the target.

use super::{OperatorCtx, Proposal, Target, propose_for};
use crate::core::action::ActionName;
use crate::core::model::Model;

impl<'a> OperatorCtx<'a> {
    /// The context the console decides in: what its model shows now.
    pub fn of_console(model: &'a Model) -> OperatorCtx<'a> {
        OperatorCtx {
            fleet: &model.fleet,
            windows: &model.windows,
            now: model.now,
            lag_warning_ms: model.lag_warning_ms,
            scheduler: model.hold_scheduler.as_ref(),
        }
    }
}

/// The target under the console's cursor.
pub fn selected_target(model: &Model) -> Result<Target, String> {
    let flow = model.selected_flow().ok_or("no pipeline selected")?;
    let (wave, region) = model.selected_cell().ok_or("no cell selected")?;
    Ok(Target {
        flow: flow.name.clone(),
        wave,
        region: region.to_string(),
    })
}

/// An action on the selection in the console.
pub fn propose(model: &Model, action: ActionName, force: bool) -> Result<Proposal, String> {
    propose_for(
        &OperatorCtx::of_console(model),
        action,
        &selected_target(model)?,
        force,
    )
}
