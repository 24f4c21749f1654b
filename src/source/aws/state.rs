//! What the backend remembers between polls: the discovered fleet, cached
//! pipeline structures, per-stack event cursors. Held under a plain mutex
//! and never across an `.await`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use jiff::Timestamp;

use super::cloudformation::StackInfo;
use crate::config::schema::StackConfig;
use crate::domain::current_run::ActionRun;
use crate::domain::fleet::{CheckerObservation, Execution, FlowKind, Pipeline, RecordSet};
use crate::domain::pipeline_doc::GetPipelineOutput;
use crate::protocol::{PollKey, SourceError, TableRef};

/// A pipeline wavetop watches, under the name the fleet knows it by: its own
/// name, or `name@region` when the same name exists in several places.
#[derive(Debug, Clone)]
pub(crate) struct PipelineEntry {
    pub key: String,
    pub account: String,
    pub region: String,
    /// The name AWS knows.
    pub name: String,
    /// Shared with discovery and each poll's read, never copied.
    pub structure: Arc<GetPipelineOutput>,
    pub meta: Pipeline,
    /// The last GetPipelineState answer's fingerprint: executions are
    /// listed again only when it changed.
    pub last_state: Option<u64>,
    pub executions: Vec<Execution>,
    /// Action runs of executions listed because the time could not tell
    /// which runs are current, valid while the state is unchanged.
    pub action_runs: BTreeMap<String, Vec<ActionRun>>,
    /// Rule runs of the executions whose stage conditions evaluate or
    /// failed, valid while the state is unchanged.
    pub rule_runs: Vec<crate::domain::conditions::RuleRun>,
}

#[derive(Debug, Clone)]
pub(crate) struct FlowDef {
    pub name: String,
    pub kind: FlowKind,
    /// Pipeline keys in hand-off order.
    pub pipelines: Vec<String>,
    /// The stacks of an `Unmanaged` flow, in configuration order.
    pub stacks: Vec<StackConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct StackId {
    pub account: String,
    pub region: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub(crate) struct TrackedStack {
    /// Shared with the stack's cursor: a fleet tracks thousands of stacks.
    pub id: Arc<StackId>,
    pub flow: String,
}

/// Where the last poll of a stack left off.
#[derive(Debug, Clone, Default)]
pub(crate) struct StackCursor {
    pub last_event_id: Option<String>,
    pub info: Option<StackInfo>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub pipelines: BTreeMap<String, PipelineEntry>,
    pub flows: Vec<FlowDef>,
    /// Shared with each stacks poll, which holds its region's list across
    /// its calls: a region of hundreds of stacks is not copied per poll.
    pub stacks: Vec<Arc<TrackedStack>>,
    pub cursors: HashMap<Arc<StackId>, StackCursor>,
    pub record_sets: Vec<RecordSet>,
    pub tables: Vec<TableRef>,
    pub checkers: HashMap<String, Vec<CheckerObservation>>,
    pub account_ids: BTreeMap<String, String>,
    /// What each poll's last answer could not read, by the poll it belongs to.
    pub partial_errors: BTreeMap<PollKey, SourceError>,
    /// Parts of polls (e.g. `GetPipelineState api`) answered at least once.
    pub read_before: HashSet<String>,
    /// Per pipeline key, the execution head (each stage's current execution
    /// and its status) when its executions were last listed: they are
    /// listed again only when it moves.
    pub listed_heads: HashMap<String, String>,
    pub discovered_at: Option<Timestamp>,
}

impl State {
    pub(crate) fn flow(&self, name: &str) -> Option<&FlowDef> {
        self.flows.iter().find(|f| f.name == name)
    }

    pub(crate) fn track_stack(&mut self, flow: &str, id: StackId) {
        if !self.stacks.iter().any(|s| *s.id == id) {
            self.stacks.push(Arc::new(TrackedStack {
                id: Arc::new(id),
                flow: flow.to_string(),
            }));
        }
    }

    pub(crate) fn record_partial(&mut self, key: &PollKey, err: Option<SourceError>) {
        match err {
            Some(e) => {
                self.partial_errors.insert(key.clone(), e);
            }
            None => {
                self.partial_errors.remove(key);
            }
        }
    }
}
