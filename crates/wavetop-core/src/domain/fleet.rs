//! The fleet as wavetop sees it: plain data shared by the core, the views,
//! the simulator and the AWS adapters. No AWS SDK or terminal types here.

use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::alarms::FleetAlarms;
use super::shared_str::SharedStr;
use super::stack_status::StackStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PipelineType {
    V1,
    V2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionMode {
    Superseded,
    Queued,
    Parallel,
}

/// One CodePipeline as configured in AWS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    pub name: String,
    pub home_region: String,
    pub account: String,
    pub pipeline_type: PipelineType,
    pub execution_mode: ExecutionMode,
    /// `version` from GetPipeline; the structure is fetched again only when it changes.
    pub version: i64,
}

/// How a flow is deployed: the unit a row of the pipelines list stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    /// A single CodePipeline.
    Pipeline,
    /// Several pipelines, each handing its artifact to the next one in another region.
    Chained,
    /// Stacks deployed outside any pipeline (`cdk deploy`, `sls deploy`).
    Unmanaged,
}

/// What the operator watches as one deployment: a pipeline, a chain of
/// pipelines, or a set of stacks deployed by hand. Its waves are rows and its
/// regions are columns of the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub name: String,
    pub kind: FlowKind,
    /// The pipelines of this flow in hand-off order (empty for `Unmanaged`).
    pub pipelines: Vec<Pipeline>,
    /// Column order of the grid.
    pub regions: Vec<String>,
    pub waves: Vec<Wave>,
    /// Newest first.
    pub executions: Vec<Execution>,
    /// The revision live in each region, where known (see `domain::revisions`).
    #[serde(default)]
    pub live: Vec<super::revisions::LiveRevision>,
    pub fetched_at: Timestamp,
}

impl Flow {
    pub fn home_region(&self) -> &str {
        self.pipelines
            .first()
            .map(|p| p.home_region.as_str())
            .or_else(|| self.regions.first().map(String::as_str))
            .unwrap_or("")
    }

    pub fn latest_execution(&self) -> Option<&Execution> {
        self.executions.first()
    }

    pub fn pending_approvals(&self) -> usize {
        self.waves
            .iter()
            .flat_map(|w| w.cells.iter())
            .filter(|c| c.status() == CellStatus::AwaitingApproval)
            .count()
    }

    pub fn holds(&self) -> usize {
        self.waves.iter().filter(|w| !w.transition.enabled).count()
    }

    pub fn wave(&self, name: &str) -> Option<&Wave> {
        self.waves.iter().find(|w| w.name == name)
    }
}

/// Whether a stage may be entered. CodePipeline holds a whole stage: every
/// region of a wave is held together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub changed_by: Option<String>,
    pub changed_at: Option<Timestamp>,
}

impl Transition {
    pub fn open() -> Self {
        Self {
            enabled: true,
            disabled_reason: None,
            changed_by: None,
            changed_at: None,
        }
    }
}

/// One row of the grid: a pipeline stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wave {
    /// Name shown on the row (the stage name).
    pub name: String,
    /// The CodePipeline this stage belongs to (differs per wave in a chained flow).
    pub pipeline: String,
    /// A row that runs once in the home region before any region deploys
    /// (Source, Build, UpdatePipeline, Assets, or any stage before the first
    /// one holding a deploy or approval action; see `domain::attribution`).
    pub pre_deploy: bool,
    pub transition: Transition,
    /// Status of the stage's latest execution, as CodePipeline reports it.
    pub stage_status: Option<StageStatus>,
    pub execution_id: Option<String>,
    /// One cell per region this wave touches, in the flow's column order.
    pub cells: Vec<Cell>,
    /// The stage's V2 conditions and their latest results, when it has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<super::conditions::WaveConditions>,
    /// The schedule that opens the stage while it is held, once read.
    #[serde(
        default,
        skip_serializing_if = "super::hold_schedule::ScheduleSeen::is_not_read"
    )]
    pub schedule: super::hold_schedule::ScheduleSeen,
}

impl Wave {
    pub fn cell(&self, region: &str) -> Option<&Cell> {
        self.cells.iter().find(|c| c.region == region)
    }

    pub fn regions(&self) -> Vec<&str> {
        self.cells.iter().map(|c| c.region.as_str()).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageStatus {
    Cancelled,
    InProgress,
    Failed,
    Stopped,
    Stopping,
    Succeeded,
}

/// Where a wave meets a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Shared with the region of an action it holds, when one runs there.
    pub region: SharedStr,
    /// The actions of the wave that run in or belong to this region, by runOrder.
    pub actions: Vec<Action>,
    /// True when the stage's inbound transition is disabled (the hold is per stage).
    pub held: bool,
}

/// What a cell shows at a glance, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    Failed,
    AwaitingApproval,
    InProgress,
    Held,
    Succeeded,
    NotStarted,
    NotApplicable,
}

impl Cell {
    pub fn status(&self) -> CellStatus {
        if self.actions.is_empty() {
            return CellStatus::NotApplicable;
        }
        let any = |s: ActionStatus| self.actions.iter().any(|a| a.status == s);
        if any(ActionStatus::Failed) {
            CellStatus::Failed
        } else if self
            .actions
            .iter()
            .any(|a| a.approval.is_some() && a.status == ActionStatus::InProgress)
        {
            CellStatus::AwaitingApproval
        } else if any(ActionStatus::InProgress) {
            CellStatus::InProgress
        } else if self
            .actions
            .iter()
            .all(|a| a.status == ActionStatus::Succeeded)
        {
            // A hold only matters to actions still to run.
            CellStatus::Succeeded
        } else if self.held {
            CellStatus::Held
        } else {
            CellStatus::NotStarted
        }
    }

    /// When the earliest in-progress action of the cell started.
    pub fn in_progress_since(&self) -> Option<Timestamp> {
        self.actions
            .iter()
            .filter(|a| a.status == ActionStatus::InProgress)
            .filter_map(|a| a.started_at)
            .min()
    }

    pub fn pending_approval(&self) -> Option<&Action> {
        self.actions
            .iter()
            .find(|a| a.approval.is_some() && a.status == ActionStatus::InProgress)
    }

    /// How the cell's actions last ended in an earlier execution, worst
    /// first, when some of them have not run in the current one.
    pub fn earlier_status(&self) -> Option<ActionStatus> {
        let earlier = || self.actions.iter().filter_map(|a| a.earlier.as_ref());
        let any = |s: ActionStatus| earlier().any(|e| e.status == s);
        earlier().next()?;
        Some(if any(ActionStatus::Failed) {
            ActionStatus::Failed
        } else if any(ActionStatus::Abandoned) {
            ActionStatus::Abandoned
        } else if any(ActionStatus::InProgress) {
            ActionStatus::InProgress
        } else {
            ActionStatus::Succeeded
        })
    }

    /// Stack names deployed by this cell's CloudFormation actions.
    pub fn stack_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .actions
            .iter()
            .filter_map(|a| a.stack_name.as_deref())
            .collect();
        names.dedup();
        names
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    NotStarted,
    InProgress,
    Succeeded,
    Failed,
    Abandoned,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Shared with the declaration, as are the type, region and stack name:
    /// a grid is derived for every flow on every poll answer.
    pub name: SharedStr,
    /// CodePipeline action category: Source, Build, Deploy, Approval, Invoke, Test.
    pub category: SharedStr,
    pub provider: SharedStr,
    pub run_order: i32,
    /// The region the action runs in (its `region` field, or the pipeline's
    /// home region); an approval may be drawn in another region's column.
    pub region: SharedStr,
    pub status: ActionStatus,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    /// Shared strings are a pointer smaller than `String`; most actions of a
    /// large fleet have neither.
    pub external_url: Option<SharedStr>,
    pub error: Option<SharedStr>,
    /// Boxed, as is `earlier`: few of a fleet's actions are approvals.
    pub approval: Option<Box<Approval>>,
    /// `StackName` from a CloudFormation action's configuration.
    pub stack_name: Option<SharedStr>,
    /// Who last changed the action (`latestExecution.lastUpdatedBy`), when
    /// CodePipeline says.
    #[serde(default)]
    pub updated_by: Option<SharedStr>,
    /// The outcome of the action's latest run when that run belongs to an
    /// execution before the stage's current one; the action itself is then
    /// `NotStarted` in this execution.
    #[serde(default)]
    pub earlier: Option<Box<EarlierRun>>,
}

/// A run of an action in an earlier pipeline execution, shown greyed beside
/// the action that has not run in the current one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlierRun {
    pub status: ActionStatus,
    pub at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    /// An approval can only be answered while CodePipeline hands out its token.
    pub token_present: bool,
    pub custom_data: Option<String>,
    pub review_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExecutionStatus {
    Cancelled,
    InProgress,
    Stopped,
    Stopping,
    Succeeded,
    Superseded,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// Its strings are shared so that the model's copy of a pipeline's history
/// points at the strings of the answer it came from (a large fleet holds
/// thousands of executions).
pub struct Execution {
    pub pipeline: SharedStr,
    pub id: SharedStr,
    pub status: ExecutionStatus,
    /// StartPipelineExecution, Webhook, CloudWatchEvent, RollbackStage, ...
    pub trigger: SharedStr,
    pub revision_id: Option<SharedStr>,
    pub revision_summary: Option<SharedStr>,
    pub started_at: Timestamp,
    pub updated_at: Timestamp,
    /// Set when the execution rolls a stage back (`executionType` ROLLBACK):
    /// the execution rolled back to, when CodePipeline names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<RollbackOf>,
}

/// What a rollback execution rolls back to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollbackOf {
    pub target_execution_id: Option<String>,
}

impl Execution {
    /// How long it ran, or has been running at `now` while still in progress.
    pub fn duration_secs(&self, now: Timestamp) -> i64 {
        let end = match self.status {
            ExecutionStatus::InProgress | ExecutionStatus::Stopping => now,
            _ => self.updated_at,
        };
        (end.as_second() - self.started_at.as_second()).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stack {
    /// Shared with the discovery that found the stack (a large fleet has
    /// thousands).
    pub name: SharedStr,
    pub region: SharedStr,
    /// The flow this stack belongs to.
    pub flow: SharedStr,
    /// CloudFormation stack status, e.g. UPDATE_IN_PROGRESS.
    pub status: StackStatus,
    pub status_reason: Option<String>,
    /// Newest first, bounded.
    pub events: Vec<StackEvent>,
    pub fetched_at: Timestamp,
}

impl Stack {
    pub fn rollback_in_progress(&self) -> bool {
        self.status.is_rolling_back()
    }

    /// The newest event that failed, which names the resource to blame.
    pub fn failing_event(&self) -> Option<&StackEvent> {
        self.events.iter().find(|e| e.status.is_failed())
    }
}

/// One event of a stack's trail, shared whole: the backend that read it and
/// the model that keeps it hold one copy between them, and a copy of the
/// trail costs a pointer an event. Its fields read through it
/// (`event.status`); it is written and read as the record itself.
#[derive(Clone, PartialEq)]
pub struct StackEvent(Arc<StackEventRecord>);

impl StackEvent {
    pub fn new(record: StackEventRecord) -> Self {
        Self(Arc::new(record))
    }

    /// Whether both are the one record, not two equal copies of it.
    pub fn is_shared_with(&self, other: &StackEvent) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for StackEvent {
    type Target = StackEventRecord;

    fn deref(&self) -> &StackEventRecord {
        &self.0
    }
}

impl std::fmt::Debug for StackEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for StackEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for StackEvent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StackEventRecord::deserialize(deserializer).map(Self::new)
    }
}

/// What CloudFormation recorded of one change to a stack or its resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackEventRecord {
    /// Its strings are shared with whatever else names the same resource.
    pub event_id: SharedStr,
    pub timestamp: Timestamp,
    pub logical_id: SharedStr,
    pub resource_type: SharedStr,
    /// CloudFormation resource status, e.g. UPDATE_FAILED.
    pub status: StackStatus,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Healthy,
    Unhealthy,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthCheck {
    pub id: String,
    /// The region whose endpoint the check probes.
    pub region: String,
    pub target: String,
    pub status: HealthStatus,
    pub inverted: bool,
    /// Route53 treats a disabled check as healthy whatever the endpoint says.
    pub disabled: bool,
    /// Per-checker-region observations, when they were read.
    pub checkers: Vec<CheckerObservation>,
    /// When the metric point behind `status` was taken; None when there is
    /// none or the source cannot say.
    #[serde(default)]
    pub status_at: Option<Timestamp>,
    pub fetched_at: Timestamp,
}

/// How old the metric point behind a check's status may be and still be
/// counted on. `HealthCheckStatus` is published every minute and arrives a
/// minute or two late; a point older than this means the metric stopped
/// answering, not that the check is healthy.
pub const METRIC_FRESH_SECS: i64 = 5 * 60;

impl HealthCheck {
    /// Whether a record guarded by this check can be counted on to take
    /// traffic, by its flags and by its metric alike:
    /// - an inverted check does not serve, whatever its metric says: the
    ///   metric follows an inversion only after the checkers re-evaluate and
    ///   the next point is published, minutes later (and an inverted check
    ///   that reports healthy is one whose endpoint fails: no record to lean on);
    /// - a disabled check serves: Route53 treats it as healthy;
    /// - otherwise its metric must say healthy, from a point that is not stale.
    ///
    /// This errs towards "not serving": it may refuse a drain that would have
    /// been safe, never allow one that leaves a record set failing open.
    pub fn routes_traffic(&self) -> bool {
        if self.inverted {
            return false;
        }
        self.disabled || self.metric_status() == HealthStatus::Healthy
    }

    /// The metric's status, or Unknown when its last point is stale.
    pub fn metric_status(&self) -> HealthStatus {
        if self.metric_is_stale() {
            HealthStatus::Unknown
        } else {
            self.status
        }
    }

    /// Whether the last metric point is too old to be counted on.
    pub fn metric_is_stale(&self) -> bool {
        self.status_at
            .is_some_and(|at| self.fetched_at.as_second() - at.as_second() > METRIC_FRESH_SECS)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckerObservation {
    pub checker_region: String,
    pub healthy: bool,
    pub reason: String,
    pub observed_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingPolicy {
    Latency,
    Failover,
    Geolocation,
    Weighted,
    Simple,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordSet {
    /// DNS name, e.g. `api.example.com.`.
    pub name: String,
    pub record_type: String,
    pub policy: RoutingPolicy,
    /// The flow (service) this name fronts.
    pub flow: Option<String>,
    pub records: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub set_identifier: String,
    pub region: String,
    /// PRIMARY / SECONDARY for failover, a location for geolocation, a weight for weighted.
    pub routing_detail: Option<String>,
    pub health_check_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub checks: Vec<HealthCheck>,
    pub record_sets: Vec<RecordSet>,
}

impl Health {
    pub fn check(&self, id: &str) -> Option<&HealthCheck> {
        self.checks.iter().find(|c| c.id == id)
    }

    pub fn checks_in(&self, region: &str) -> impl Iterator<Item = &HealthCheck> {
        self.checks.iter().filter(move |c| c.region == region)
    }

    /// Health of a region as one flow sees it: the checks guarding that flow's
    /// records in the region, or every check of the region when the flow fronts
    /// no record set. None when there is no check to speak of.
    pub fn region_summary_for(&self, flow: &str, region: &str) -> Option<RegionHealth> {
        let fronts_records = self
            .record_sets
            .iter()
            .any(|rs| rs.flow.as_deref() == Some(flow));
        if !fronts_records {
            return self.region_summary(region);
        }
        let ids: Vec<&str> = self
            .record_sets
            .iter()
            .filter(|rs| rs.flow.as_deref() == Some(flow))
            .flat_map(|rs| rs.records.iter())
            .filter(|r| r.region == region)
            .filter_map(|r| r.health_check_id.as_deref())
            .collect();
        summarize(self.checks.iter().filter(|c| ids.contains(&c.id.as_str())))
    }

    /// Every check probing the region; None when the region has none.
    pub fn region_summary(&self, region: &str) -> Option<RegionHealth> {
        summarize(self.checks_in(region))
    }
}

fn summarize<'a>(checks: impl Iterator<Item = &'a HealthCheck>) -> Option<RegionHealth> {
    let mut total = 0;
    let mut healthy = 0;
    let mut unhealthy = 0;
    let mut inverted = 0;
    for c in checks {
        total += 1;
        match c.status {
            HealthStatus::Healthy => healthy += 1,
            HealthStatus::Unhealthy => unhealthy += 1,
            HealthStatus::Unknown => {}
        }
        if c.inverted {
            inverted += 1;
        }
    }
    (total > 0).then_some(RegionHealth {
        total,
        healthy,
        unhealthy,
        drained: inverted > 0,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionHealth {
    pub total: usize,
    pub healthy: usize,
    pub unhealthy: usize,
    /// At least one of the region's checks is inverted: wavetop drained it.
    pub drained: bool,
}

impl RegionHealth {
    /// Unhealthy when any check is known to fail; unknown when, failing
    /// none, some have no status yet (nothing read, or the read refused).
    pub fn status(&self) -> HealthStatus {
        if self.unhealthy > 0 {
            HealthStatus::Unhealthy
        } else if self.healthy < self.total {
            HealthStatus::Unknown
        } else {
            HealthStatus::Healthy
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GlobalTable {
    pub name: String,
    pub flow: Option<String>,
    pub replicas: Vec<Replica>,
    pub latency: Vec<LatencySeries>,
    pub fetched_at: Timestamp,
}

impl GlobalTable {
    /// Latest latency of the series that replicates into `receiving`, worst source first.
    pub fn worst_lag_into(&self, receiving: &str) -> Option<f64> {
        self.latency
            .iter()
            .filter(|s| s.receiving_region == receiving)
            .filter_map(|s| s.latest())
            .fold(None, |acc: Option<f64>, v| {
                Some(acc.map_or(v, |a| a.max(v)))
            })
    }

    pub fn series(&self, source: &str, receiving: &str) -> Option<&LatencySeries> {
        self.latency
            .iter()
            .find(|s| s.source_region == source && s.receiving_region == receiving)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replica {
    pub region: String,
    /// DynamoDB ReplicaStatus: ACTIVE, CREATING, UPDATING, ...
    pub status: String,
}

/// `ReplicationLatency` (milliseconds) as read in the source region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencySeries {
    pub source_region: String,
    pub receiving_region: String,
    /// Oldest first: (time, milliseconds).
    pub points: Vec<(Timestamp, f64)>,
}

impl LatencySeries {
    pub fn latest(&self) -> Option<f64> {
        self.points.last().map(|(_, v)| *v)
    }
}

/// Everything wavetop knows at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fleet {
    pub flows: Vec<Flow>,
    pub stacks: Vec<Stack>,
    pub health: Health,
    pub tables: Vec<GlobalTable>,
    /// Alarms per (flow, region), their history during bakes, bake times.
    #[serde(default)]
    pub alarms: FleetAlarms,
}

impl Fleet {
    pub fn empty() -> Self {
        Self {
            flows: Vec::new(),
            stacks: Vec::new(),
            health: Health {
                checks: Vec::new(),
                record_sets: Vec::new(),
            },
            tables: Vec::new(),
            alarms: FleetAlarms::default(),
        }
    }

    pub fn flow(&self, name: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.name == name)
    }

    pub fn stacks_of<'a>(
        &'a self,
        flow: &'a str,
        region: &'a str,
    ) -> impl Iterator<Item = &'a Stack> {
        self.stacks
            .iter()
            .filter(move |s| s.flow == flow && s.region == region)
    }

    pub fn stack(&self, region: &str, name: &str) -> Option<&Stack> {
        self.stacks
            .iter()
            .find(|s| s.region == region && s.name == name)
    }

    /// Worst replication lag into `region` across the flow's tables (ms).
    pub fn lag_into(&self, flow: &str, region: &str) -> Option<f64> {
        self.tables
            .iter()
            .filter(|t| t.flow.as_deref() == Some(flow))
            .filter_map(|t| t.worst_lag_into(region))
            .fold(None, |acc: Option<f64>, v| {
                Some(acc.map_or(v, |a| a.max(v)))
            })
    }
}

#[cfg(test)]
impl HealthCheck {
    /// A check as tests start from: neither inverted nor disabled, probing
    /// `https://{region}.example.com/health`, its metric of unknown time.
    pub(crate) fn plain(id: &str, region: &str, status: HealthStatus) -> HealthCheck {
        HealthCheck {
            id: id.to_string(),
            region: region.to_string(),
            target: format!("https://{region}.example.com/health"),
            status,
            inverted: false,
            disabled: false,
            checkers: Vec::new(),
            status_at: None,
            fetched_at: Timestamp::UNIX_EPOCH,
        }
    }
}

#[cfg(test)]
mod region_health_tests {
    use super::*;

    fn check(id: &str, status: HealthStatus) -> HealthCheck {
        HealthCheck::plain(id, "eu-west-1", status)
    }

    fn summary_of(statuses: &[HealthStatus]) -> RegionHealth {
        let checks: Vec<HealthCheck> = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| check(&i.to_string(), *s))
            .collect();
        summarize(checks.iter()).expect("checks")
    }

    #[test]
    fn a_check_without_status_makes_the_region_unknown_not_unhealthy() {
        use HealthStatus::*;
        assert_eq!(summary_of(&[Unknown]).status(), Unknown);
        assert_eq!(summary_of(&[Healthy, Unknown]).status(), Unknown);
        assert_eq!(summary_of(&[Unknown, Unhealthy]).status(), Unhealthy);
        assert_eq!(summary_of(&[Healthy, Healthy]).status(), Healthy);
        let mixed = summary_of(&[Healthy, Unhealthy, Unknown]);
        assert_eq!((mixed.total, mixed.healthy, mixed.unhealthy), (3, 1, 1));
    }
}

#[cfg(test)]
mod cell_status_tests {
    use super::*;

    fn cell(held: bool, statuses: &[ActionStatus]) -> Cell {
        let actions = statuses
            .iter()
            .map(|status| Action {
                name: "Deploy".into(),
                category: "Deploy".into(),
                provider: "CloudFormation".into(),
                run_order: 1,
                region: "eu-west-1".into(),
                status: *status,
                started_at: None,
                ended_at: None,
                external_url: None,
                error: None,
                approval: None,
                stack_name: None,
                updated_by: None,
                earlier: None,
            })
            .collect();
        Cell {
            region: "eu-west-1".into(),
            actions,
            held,
        }
    }

    #[test]
    fn a_hold_shows_only_on_a_cell_with_actions_still_to_run() {
        use ActionStatus::*;
        assert_eq!(
            cell(true, &[Succeeded, NotStarted]).status(),
            CellStatus::Held
        );
        assert_eq!(cell(true, &[NotStarted]).status(), CellStatus::Held);
        assert_eq!(
            cell(true, &[Succeeded, Succeeded]).status(),
            CellStatus::Succeeded
        );
        assert_eq!(
            cell(false, &[Succeeded, NotStarted]).status(),
            CellStatus::NotStarted
        );
        assert_eq!(cell(true, &[Failed]).status(), CellStatus::Failed);
        assert_eq!(cell(true, &[]).status(), CellStatus::NotApplicable);
    }
}
