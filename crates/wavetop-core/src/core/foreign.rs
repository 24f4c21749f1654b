//! Changes someone else made. Other consoles, headless commands and the AWS
//! console act on the same pipelines; when a poll shows a gate answered, a
//! transition flipped or an action restarted by another identity since this
//! console last looked, the operator is told who, and how long ago.

use jiff::Timestamp;

use crate::domain::fleet::{ActionStatus, Flow, Wave};

/// How long a change by someone else stays marked in the grid and detail.
pub const SHOWN_FOR_SECS: i64 = 30 * 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignChange {
    pub flow: String,
    pub pipeline: String,
    pub stage: String,
    /// The region of the changed action; None for the whole stage (a
    /// transition, which holds every region of the wave).
    pub region: Option<String>,
    pub who: String,
    /// When AWS says it happened, if it says.
    pub at: Option<Timestamp>,
    /// What happened, in words: "approved EuWest1.Approve", "held the stage".
    pub what: String,
    /// When this console noticed it.
    pub seen_at: Timestamp,
}

impl ForeignChange {
    /// Whether the change concerns this cell.
    pub fn touches(&self, flow: &str, pipeline: &str, stage: &str, region: &str) -> bool {
        self.flow == flow
            && self.pipeline == pipeline
            && self.stage == stage
            && self.region.as_deref().is_none_or(|r| r == region)
    }
}

/// What changed between two reads of a flow that `own` (this console's
/// identity) did not do. The first read of a flow has nothing to compare.
pub fn foreign_changes(
    before: &Flow,
    after: &Flow,
    own: Option<&str>,
    now: Timestamp,
) -> Vec<ForeignChange> {
    let mut out = Vec::new();
    let someone_else = |who: Option<&str>| who.filter(|w| Some(*w) != own).map(str::to_string);
    for wave in &after.waves {
        let Some(old) = before
            .waves
            .iter()
            .find(|w| w.pipeline == wave.pipeline && w.name == wave.name)
        else {
            continue;
        };
        let change = |region: Option<&str>, who: String, at, what: String| ForeignChange {
            flow: after.name.clone(),
            pipeline: wave.pipeline.clone(),
            stage: wave.name.clone(),
            region: region.map(str::to_string),
            who,
            at,
            what,
            seen_at: now,
        };
        let (t, was) = (&wave.transition, &old.transition);
        if (t.enabled, t.changed_at) != (was.enabled, was.changed_at)
            && let Some(who) = someone_else(t.changed_by.as_deref())
        {
            let what = if t.enabled {
                "released the stage".to_string()
            } else {
                "held the stage".to_string()
            };
            out.push(change(None, who, t.changed_at, what));
        }
        for (region, action, prior) in actions_with_prior(old, wave) {
            let moved = (action.status, action.updated_by.as_deref())
                != (prior.status, prior.updated_by.as_deref())
                || action.ended_at != prior.ended_at;
            if !moved {
                continue;
            }
            let Some(who) = someone_else(action.updated_by.as_deref()) else {
                continue;
            };
            let verb = match (action.approval.is_some(), action.status) {
                (true, ActionStatus::Succeeded) => "approved",
                (true, ActionStatus::Failed) => "rejected",
                (_, ActionStatus::InProgress) => "restarted",
                (_, ActionStatus::Abandoned) => "abandoned",
                (_, ActionStatus::Failed) => "failed",
                (_, ActionStatus::Succeeded) => "completed",
                (_, ActionStatus::NotStarted) => "reset",
            };
            let at = action.ended_at.or(action.started_at);
            out.push(change(
                Some(region),
                who,
                at,
                format!("{verb} {}", action.name),
            ));
        }
    }
    out
}

/// Every action of the new wave with its state in the old one, by region.
fn actions_with_prior<'a>(
    old: &'a Wave,
    new: &'a Wave,
) -> Vec<(
    &'a str,
    &'a crate::domain::fleet::Action,
    &'a crate::domain::fleet::Action,
)> {
    let mut out = Vec::new();
    for cell in &new.cells {
        let Some(old_cell) = old.cell(&cell.region) else {
            continue;
        };
        for action in &cell.actions {
            if let Some(prior) = old_cell.actions.iter().find(|a| a.name == action.name) {
                out.push((cell.region.as_str(), action, prior));
            }
        }
    }
    out
}

/// The changes still worth showing at `now`.
pub fn still_shown(changes: &mut Vec<ForeignChange>, now: Timestamp) {
    changes.retain(|c| now.as_second() - c.seen_at.as_second() < SHOWN_FOR_SECS);
}
