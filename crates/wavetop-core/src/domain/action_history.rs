//! What is live where, read from a pipeline's action history
//! (ListActionExecutions): the last successful deploy run in each region
//! names the pipeline execution live there, and the source run of that
//! execution names its commit. Unlike the pipeline's state, the history
//! remembers regions whose stage has run again since (and failed, or is
//! running now), so a console just started knows every region's revision.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::fleet::Flow;
use super::revisions::LiveRevision;

/// One action run of a pipeline, as the history lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionRunRecord {
    pub pipeline_execution_id: String,
    /// The action's category: `Source`, `Deploy`, `Approval`, ...
    pub category: String,
    /// `InProgress`, `Succeeded`, `Failed`, `Abandoned`.
    pub status: String,
    /// The region the action ran in (its input's region).
    pub region: Option<String>,
    /// When the run last changed: for a finished run, when it finished.
    pub updated_at: Option<Timestamp>,
    /// A source run's `CommitId` output variable.
    pub commit_id: Option<String>,
    /// A source run's `CommitMessage` output variable.
    pub commit_message: Option<String>,
}

/// Per region, the revision its newest successful deploy run in `history`
/// made live. A run without a region ran in the pipeline's `home_region`.
/// Regions with no such run within the history read are left out.
pub fn live_from_history(history: &[ActionRunRecord], home_region: &str) -> Vec<LiveRevision> {
    let mut live: Vec<LiveRevision> = Vec::new();
    let deployed = history
        .iter()
        .filter(|r| r.category == "Deploy" && r.status == "Succeeded");
    for run in deployed {
        let region = run.region.as_deref().unwrap_or(home_region);
        let source = history.iter().find(|s| {
            s.category == "Source" && s.pipeline_execution_id == run.pipeline_execution_id
        });
        let placed = LiveRevision {
            region: region.into(),
            execution_id: run.pipeline_execution_id.as_str().into(),
            revision_id: source.and_then(|s| s.commit_id.as_deref().map(Into::into)),
            summary: source.and_then(|s| first_line(s.commit_message.as_deref()).map(Into::into)),
            // No source provider's output variables name the author.
            author: None,
            live_since: run.updated_at,
        };
        match live.iter_mut().find(|l| l.region == region) {
            Some(slot) if newer(&placed, slot) => *slot = placed,
            Some(_) => {}
            None => live.push(placed),
        }
    }
    live
}

fn first_line(message: Option<&str>) -> Option<String> {
    message
        .and_then(|m| m.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(str::to_string)
}

/// Whether `a` went live after `b`, as far as their times tell.
fn newer(a: &LiveRevision, b: &LiveRevision) -> bool {
    matches!((a.live_since, b.live_since), (Some(a), Some(b)) if a > b)
}

impl Flow {
    /// Folds revisions read from the action history into what the flow
    /// knows. The pipeline's state is read more often than the history: a
    /// region it placed keeps that revision unless the history's went live
    /// later; where both name the same execution, the history fills in
    /// what the state lacked. The revision and message of an execution the
    /// history's source run was not read for come from the listed
    /// executions. Returns whether anything changed.
    pub fn fold_history(&mut self, read: Vec<LiveRevision>) -> bool {
        let before = self.live.clone();
        for mut placed in read {
            // A region the flow has no column for (a pipeline's own
            // bookkeeping stack, a region since removed) is not shown.
            if !self.regions.iter().any(|r| *r == placed.region) {
                continue;
            }
            if let Some(listed) = self.executions.iter().find(|e| e.id == placed.execution_id) {
                placed.revision_id = placed
                    .revision_id
                    .or_else(|| listed.revision_id.as_deref().map(Into::into));
                placed.summary = placed
                    .summary
                    .or_else(|| listed.revision_summary.as_deref().map(Into::into));
            }
            match self.live.iter_mut().find(|l| l.region == placed.region) {
                Some(known) if known.execution_id == placed.execution_id => {
                    fill_from(known, &placed)
                }
                Some(known) if newer(&placed, known) => *known = placed,
                Some(_) => {}
                None => self.live.push(placed),
            }
        }
        let regions = &self.regions;
        self.live
            .sort_by_key(|l| regions.iter().position(|r| *r == l.region));
        self.live != before
    }
}

/// Fills the fields `known` lacks from another read of the same execution.
pub fn fill_from(known: &mut LiveRevision, other: &LiveRevision) {
    if known.revision_id.is_none() {
        known.revision_id = other.revision_id.clone();
    }
    if known.summary.is_none() {
        known.summary = other.summary.clone();
    }
    if known.author.is_none() {
        known.author = other.author.clone();
    }
    if known.live_since.is_none() {
        known.live_since = other.live_since;
    }
}

#[cfg(test)]
#[path = "action_history_tests.rs"]
mod tests;
