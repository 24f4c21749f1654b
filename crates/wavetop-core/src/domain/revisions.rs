//! What is live where: the source revision each region of a flow runs, and
//! how many deployed executions it is behind the newest.
//!
//! A region runs what its last successful deploy action deployed. The
//! sources say which pipeline execution that was ([`LiveRevision`]); the
//! flow's executions (newest first) place it, and count what came after.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::fleet::{ActionStatus, ExecutionStatus, Flow};
use super::shared_str::SharedStr;

/// The revision a region of a flow runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveRevision {
    /// Its strings are shared: the regions a wave deployed run one
    /// execution's revision, and a model keeps this for every flow.
    pub region: SharedStr,
    /// The pipeline execution whose deploy action last succeeded there.
    pub execution_id: SharedStr,
    /// The source revision (a commit id, or an S3 object's version id).
    pub revision_id: Option<SharedStr>,
    /// The commit message's first line, where the source action gives one.
    pub summary: Option<SharedStr>,
    /// The commit's author, where the source action gives one.
    pub author: Option<SharedStr>,
    /// When its deploy action succeeded.
    pub live_since: Option<Timestamp>,
}

/// How far a region's revision is behind the newest one deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Behind {
    /// This many deployed executions are newer.
    Exactly(usize),
    /// Its execution is older than every listed one: at least this many are newer.
    AtLeast(usize),
}

impl Behind {
    /// How many executions are newer, as far as the listed ones tell.
    pub fn count(self) -> usize {
        match self {
            Behind::Exactly(n) | Behind::AtLeast(n) => n,
        }
    }

    pub fn is_behind(self) -> bool {
        self.count() > 0
    }

    /// "2 behind", "10+ behind", "current".
    pub fn label(self) -> String {
        match self {
            Behind::Exactly(0) => "current".to_string(),
            Behind::Exactly(n) => format!("{n} behind"),
            Behind::AtLeast(n) => format!("{n}+ behind"),
        }
    }
}

impl Flow {
    pub fn live_revision(&self, region: &str) -> Option<&LiveRevision> {
        self.live.iter().find(|l| l.region == region)
    }

    /// How many deployed executions are newer than the one live in
    /// `region`. An execution counts when it succeeded, or when it is live
    /// in some region of the flow (a wave part-way is deployed where it
    /// reached). A failed, stopped or superseded execution that is live
    /// nowhere deployed nothing to be behind.
    pub fn behind(&self, region: &str) -> Option<Behind> {
        let live = self.live_revision(region)?;
        let deployed = |id: &str, status: ExecutionStatus| {
            status == ExecutionStatus::Succeeded || self.live.iter().any(|l| l.execution_id == id)
        };
        let newer = |upto: usize| {
            self.executions
                .iter()
                .take(upto)
                .filter(|e| deployed(&e.id, e.status))
                .count()
        };
        match self
            .executions
            .iter()
            .position(|e| e.id == live.execution_id)
        {
            Some(at) => Some(Behind::Exactly(newer(at))),
            None => Some(Behind::AtLeast(newer(self.executions.len()))),
        }
    }
}

/// The revisions GetPipelineState alone places, at no extra call: a Deploy
/// action whose run in its stage's current execution succeeded made that
/// execution live in the action's region. A region whose deploy runs now,
/// failed, or last ran in an earlier execution is left out, for
/// [`merge_live`] to keep what was known of it. The revision and its
/// message come from the listed executions.
pub fn placed_by_state(flow: &Flow) -> Vec<LiveRevision> {
    let mut live: Vec<LiveRevision> = Vec::new();
    for wave in flow.waves.iter().filter(|w| !w.pre_deploy) {
        let Some(execution_id) = &wave.execution_id else {
            continue;
        };
        let listed = flow.executions.iter().find(|e| e.id == *execution_id);
        let deployed = wave.cells.iter().flat_map(|c| &c.actions).filter(|a| {
            a.category == "Deploy" && a.status == ActionStatus::Succeeded && a.earlier.is_none()
        });
        for action in deployed {
            let placed = LiveRevision {
                region: action.region.clone(),
                execution_id: execution_id.into(),
                revision_id: listed.and_then(|e| e.revision_id.as_deref().map(Into::into)),
                summary: listed.and_then(|e| e.revision_summary.as_deref().map(Into::into)),
                author: None,
                live_since: action.ended_at,
            };
            match live.iter_mut().find(|l| l.region == placed.region) {
                // A later wave deploying to the same region ran later.
                Some(slot) => *slot = placed,
                None => live.push(placed),
            }
        }
    }
    live
}

/// Folds a poll's live revisions into what was known: a region the poll
/// could not place (its deploy action running or failed now, a lookup that
/// failed) keeps the revision known before, as long as the flow still has it.
/// A region placed on the same execution as before keeps what was known of
/// it that this poll does not tell (the commit the action history named).
pub fn merge_live(
    known: &[LiveRevision],
    mut read: Vec<LiveRevision>,
    regions: &[String],
) -> Vec<LiveRevision> {
    for old in known {
        match read.iter_mut().find(|l| l.region == old.region) {
            Some(placed) if placed.execution_id == old.execution_id => {
                super::action_history::fill_from(placed, old)
            }
            Some(_) => {}
            None if regions.iter().any(|r| *r == old.region) => read.push(old.clone()),
            None => {}
        }
    }
    read.sort_by_key(|l| regions.iter().position(|r| *r == l.region));
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fleet::{Execution, FlowKind};

    fn execution(id: &str, status: ExecutionStatus, minute: i64) -> Execution {
        let at = Timestamp::from_second(minute * 60).unwrap();
        Execution {
            pipeline: "api".into(),
            id: id.into(),
            status,
            trigger: "Webhook".into(),
            revision_id: Some(format!("{id}-commit").into()),
            revision_summary: None,
            started_at: at,
            updated_at: at,
            rollback: None,
        }
    }

    fn live(region: &str, execution: &str) -> LiveRevision {
        LiveRevision {
            region: region.into(),
            execution_id: execution.into(),
            revision_id: None,
            summary: None,
            author: None,
            live_since: None,
        }
    }

    fn flow(executions: Vec<Execution>, live: Vec<LiveRevision>) -> Flow {
        Flow {
            name: "api".to_string(),
            kind: FlowKind::Pipeline,
            pipelines: Vec::new(),
            regions: vec!["eu-west-1".into(), "us-east-1".into(), "ap-south-1".into()],
            waves: Vec::new(),
            executions,
            live,
            fetched_at: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_wave_part_way_counts_the_execution_it_deployed_to_early_regions() {
        use ExecutionStatus::*;
        let f = flow(
            vec![
                execution("e4", InProgress, 40),
                execution("e3", Failed, 30),
                execution("e2", Succeeded, 20),
                execution("e1", Succeeded, 10),
            ],
            vec![
                live("eu-west-1", "e4"),
                live("us-east-1", "e2"),
                live("ap-south-1", "e1"),
            ],
        );
        assert_eq!(f.behind("eu-west-1"), Some(Behind::Exactly(0)));
        // e3 failed before reaching any region: nothing to be behind.
        assert_eq!(f.behind("us-east-1"), Some(Behind::Exactly(1)));
        assert_eq!(f.behind("ap-south-1"), Some(Behind::Exactly(2)));
    }

    #[test]
    fn an_execution_older_than_the_listed_ones_is_at_least_all_of_them_behind() {
        use ExecutionStatus::*;
        let f = flow(
            vec![
                execution("e9", Succeeded, 90),
                execution("e8", Stopped, 80),
                execution("e7", Succeeded, 70),
            ],
            vec![live("eu-west-1", "e9"), live("us-east-1", "e0")],
        );
        let behind = f.behind("us-east-1").unwrap();
        assert_eq!(behind, Behind::AtLeast(2));
        assert_eq!(behind.label(), "2+ behind");
        assert_eq!(f.behind("eu-west-1").unwrap().label(), "current");
        assert_eq!(f.behind("ap-south-1"), None, "nothing known is live there");
    }

    #[test]
    fn a_region_the_poll_could_not_place_keeps_what_was_known() {
        let regions: Vec<String> = vec!["eu-west-1".into(), "us-east-1".into()];
        let known = vec![
            live("eu-west-1", "e1"),
            live("us-east-1", "e1"),
            live("gone-1", "e1"),
        ];
        let merged = merge_live(&known, vec![live("us-east-1", "e2")], &regions);
        assert_eq!(
            merged,
            vec![live("eu-west-1", "e1"), live("us-east-1", "e2")],
            "the newer read wins, a region no longer in the flow goes"
        );
    }
}
