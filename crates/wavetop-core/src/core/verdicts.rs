//! The promotion verdict as the console sees it: the model's fleet,
//! windows and lag warning, and which regions' alarms its polls have not
//! read yet (or read too long ago).

use super::model::Model;
use crate::domain::fleet::Flow;
use crate::domain::verdict::{Verdict, VerdictCtx, judged_cells, verdict};
use crate::protocol::PollKey;

/// Watched regions whose alarms never answered, or whose answer is stale.
pub fn unread_alarm_regions(model: &Model) -> Vec<String> {
    model
        .fleet
        .alarms
        .watched
        .regions()
        .into_iter()
        .filter(|region| {
            let key = PollKey::Alarms {
                region: region.clone(),
            };
            match model.poll.state(&key) {
                Some(state) => state.last_ok.is_none() || model.poll.is_stale(&key, model.now),
                None => true,
            }
        })
        .collect()
}

/// Runs `judge` with the console's verdict context.
fn with_ctx<T>(model: &Model, judge: impl FnOnce(&VerdictCtx) -> T) -> T {
    let unread = unread_alarm_regions(model);
    judge(&VerdictCtx {
        fleet: &model.fleet,
        windows: &model.windows,
        now: model.now,
        lag_warning_ms: model.lag_warning_ms,
        unread_alarm_regions: &unread,
    })
}

/// The verdict on (wave, region) of `flow` now, judged or not.
pub fn verdict_of(model: &Model, flow: &Flow, wave_index: usize, region: &str) -> Verdict {
    with_ctx(model, |ctx| verdict(ctx, flow, wave_index, region))
}

/// The verdicts the grid shows for `flow`: (wave index, region, verdict),
/// one per waiting gate and per next region of a moving wave.
pub fn flow_verdicts(model: &Model, flow: &Flow) -> Vec<(usize, String, Verdict)> {
    with_ctx(model, |ctx| {
        judged_cells(flow)
            .into_iter()
            .map(|(wave, region, _)| {
                let v = verdict(ctx, flow, wave, &region);
                (wave, region, v)
            })
            .collect()
    })
}
