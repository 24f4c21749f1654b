//! Answering polls. Failures that only leave part of an answer unknown
//! (a permission missing for one call, an emulator lacking an API) are
//! recorded and the rest is returned. Failures that mean "ask again later"
//! (throttling, timeouts, server errors) fail the poll once that part has
//! been read successfully before, so the scheduler backs off and the view
//! keeps the last good data, marked stale, instead of replacing it with
//! unknowns; until then the partial answer is better than none. Expired
//! credentials and vanished resources always fail the poll.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use futures_util::future::join_all;
use jiff::{SignedDuration, Timestamp};

use super::cloudformation::{self, StackInfo, is_settled};
use super::cloudwatch::{self, MetricQuery, Series};
use super::discovery::{STACK_MISSING, grid_of, pipeline_flow, pipeline_stacks, unmanaged_flow};
use super::fingerprint::fingerprint;
use super::pacing::Service;
use super::state::{PipelineEntry, StackCursor, StackId};
use super::{AwsBackend, DEFAULT_ACCOUNT, GLOBAL_REGION, codepipeline, dynamodb, route53};
use crate::domain::conditions::RuleRun;
use crate::domain::current_run::RunEvidence;
use crate::domain::fleet::{
    Execution, FlowKind, GlobalTable, HealthCheck, HealthStatus, LatencySeries, StackEvent,
};
use crate::domain::pipeline_doc::{GetPipelineOutput, GetPipelineStateOutput};
use crate::protocol::{Observation, PollKey, SourceError, StackObservation};

/// Whether a failed part of a poll fails the whole poll (see the module docs).
fn must_fail(e: &SourceError, read_before: bool) -> bool {
    match e {
        SourceError::ExpiredCredentials(_) | SourceError::NotFound(_) => true,
        SourceError::Throttled(_) | SourceError::Timeout(_) | SourceError::Unreachable(_) => {
            read_before
        }
        _ => false,
    }
}

/// What one pipeline's part of a flow poll read.
struct PipelineRead {
    key: String,
    state: Option<GetPipelineStateOutput>,
    /// Read again only when the state names a newer version.
    structure: Option<GetPipelineOutput>,
    fingerprint: Option<u64>,
    executions: Option<Vec<Execution>>,
    /// What the executions listed follow in the state, when they were listed.
    head: Option<String>,
    evidence: RunEvidence,
    /// Rule runs of the executions whose stage conditions evaluate or failed.
    rule_runs: Vec<RuleRun>,
    partial: Option<SourceError>,
}

/// The region a check's status is attributed to when nothing names one.
pub(crate) const UNKNOWN_REGION: &str = "global";

impl AwsBackend {
    pub(super) async fn poll_key(&self, key: PollKey) -> Result<Observation, SourceError> {
        match &key {
            PollKey::Flow { flow } => self.poll_flow(flow, &key).await,
            PollKey::Stacks { region } => self.poll_stacks(region, &key).await,
            PollKey::Health => self.poll_health(&key).await,
            PollKey::Checkers { health_check_id } => self.poll_checkers(health_check_id).await,
            PollKey::Replication { table } => self.poll_replication(table, &key).await,
            PollKey::Alarms { region } => self.poll_alarms(region).await,
            PollKey::AlarmHistory { region, since } => {
                self.poll_alarm_history(region, *since).await
            }
            PollKey::Revisions { flow } => self.poll_revisions(flow, &key).await,
            PollKey::HoldSchedules {
                account,
                region,
                group,
                names,
            } => {
                // The key names the account by its id, as the fleet shows
                // it; clients are kept by the config's account name.
                let account = self.account_name_of(account);
                let client = self.pool.scheduler(&account, region).await?;
                super::scheduler::read_hold_schedules(&client, group, names).await
            }
        }
    }

    /// The config's name for the account with this id, from the ids
    /// discovery read (every pipeline's account id comes from them, and they
    /// stay when a snapshot lets its pipelines go); the id itself when none
    /// is known (a fleet of one account names it as the pool does).
    fn account_name_of(&self, account_id: &str) -> String {
        self.lock_state()
            .account_ids
            .iter()
            .find(|(_, id)| id.as_str() == account_id)
            .map_or_else(|| account_id.to_string(), |(name, _)| name.clone())
    }

    fn part_read(&self, part: &str) {
        self.lock_state().read_before.insert(part.to_string());
    }

    fn read_before(&self, part: &str) -> bool {
        self.lock_state().read_before.contains(part)
    }

    /// One part of a poll: `Some` when it was read, `None` when it failed in
    /// a way the rest of the poll can do without (the error goes to
    /// `partial`), and an error when the whole poll must fail.
    pub(super) fn read_part<T>(
        &self,
        part: &str,
        result: Result<T, SourceError>,
        partial: &mut Option<SourceError>,
    ) -> Result<Option<T>, SourceError> {
        match result {
            Ok(value) => {
                self.part_read(part);
                Ok(Some(value))
            }
            Err(e) if must_fail(&e, self.read_before(part)) => Err(e),
            Err(e) => {
                *partial = Some(e);
                Ok(None)
            }
        }
    }

    async fn poll_flow(&self, flow: &str, poll_key: &PollKey) -> Result<Observation, SourceError> {
        let def = self
            .lock_state()
            .flow(flow)
            .cloned()
            .ok_or_else(|| SourceError::NotFound(format!("flow {flow} was not discovered")))?;
        if def.kind == FlowKind::Unmanaged {
            return self.poll_unmanaged(&def).await;
        }
        // The pipelines of a flow are read side by side; the pacer keeps
        // the calls within each endpoint's bounds.
        let reads = join_all(def.pipelines.iter().map(|key| self.read_pipeline(key))).await;
        let mut partial: Option<SourceError> = None;
        let mut states = Vec::new();
        for read in reads {
            let Some(read) = read? else {
                continue;
            };
            if read.partial.is_some() {
                partial = read.partial;
            }
            let key = read.key;
            let mut st = self.lock_state();
            let Some(cached) = st.pipelines.get_mut(&key) else {
                continue;
            };
            if let Some(structure) = read.structure {
                cached.meta.version = structure.pipeline.version.unwrap_or(cached.meta.version);
                cached.meta.pipeline_type = codepipeline::pipeline_type(&structure.pipeline);
                cached.meta.execution_mode = codepipeline::execution_mode(&structure.pipeline);
                cached.structure = std::sync::Arc::new(structure);
                let stacks = pipeline_stacks(cached);
                for id in stacks {
                    st.track_stack(&def.name, id);
                }
            }
            // Taken again: tracking the stacks above needed the whole state.
            let Some(cached) = st.pipelines.get_mut(&key) else {
                continue;
            };
            if let Some(list) = read.executions {
                cached.executions = list;
            }
            cached.last_state = read.fingerprint;
            cached.action_runs = read.evidence.action_runs.clone();
            cached.rule_runs = read.rule_runs.clone();
            if let Some(head) = read.head {
                st.listed_heads.insert(key.clone(), head);
            }
            states.push((key, read.state, read.evidence, read.rule_runs));
        }
        let now = Timestamp::now();
        let mut st = self.lock_state();
        st.record_partial(poll_key, partial);
        let parts = states
            .iter()
            .filter_map(|(key, state, evidence, rule_runs)| {
                st.pipelines
                    .get(key)
                    .map(|e| (e, grid_of(e, state.as_ref(), evidence, rule_runs)))
            })
            .collect();
        let flow = pipeline_flow(&def, parts, now);
        if self.read_once.load(Ordering::Relaxed) {
            for key in &def.pipelines {
                st.pipelines.remove(key);
            }
        }
        Ok(Observation::Flow(flow))
    }

    /// One pipeline of a flow: its state, its structure when its version
    /// changed, its executions when its state changed, the runs of its
    /// current executions. None when it is no longer known.
    async fn read_pipeline(&self, key: &str) -> Result<Option<PipelineRead>, SourceError> {
        let Some(entry) = self.lock_state().pipelines.get(key).cloned() else {
            return Ok(None);
        };
        let (account, region) = (entry.account.as_str(), entry.region.as_str());
        let client = self.pool.codepipeline(account, region).await?;
        let mut partial: Option<SourceError> = None;
        let part = format!("GetPipelineState {key}");
        let answer = self
            .paced_pipeline_call(
                account,
                region,
                codepipeline::get_pipeline_state(&client, &entry.name),
            )
            .await;
        let state = self.read_part(&part, answer, &mut partial)?;
        let known_version = entry.structure.pipeline.version;
        let version_changed = state
            .as_ref()
            .and_then(|s| s.pipeline_version)
            .is_some_and(|v| Some(v) != known_version);
        let structure = if version_changed {
            let call = codepipeline::get_pipeline(&client, &entry.name);
            Some(self.paced_pipeline_call(account, region, call).await?)
        } else {
            None
        };
        let fingerprint = state.as_ref().and_then(fingerprint);
        let state_changed = fingerprint.is_none() || fingerprint != entry.last_state;
        // An action moving on within the same executions changes the
        // state, not the list of executions: that is listed again only
        // when a stage's current execution or its status changed.
        let head = state.as_ref().map(execution_head);
        let head_moved = head.is_none() || head != self.lock_state().listed_heads.get(key).cloned();
        let executions = if head_moved {
            let part = format!("ListPipelineExecutions {key}");
            let call = codepipeline::list_executions(&client, &entry.name);
            let answer = self.paced_pipeline_call(account, region, call).await;
            self.read_part(&part, answer, &mut partial)?
        } else {
            None
        };
        let listed = executions.as_deref().unwrap_or(&entry.executions);
        let mut evidence = RunEvidence::from_executions(listed);
        if !state_changed {
            evidence.action_runs = entry.action_runs.clone();
        }
        if let Some(state) = &state {
            self.list_current_runs(&client, &entry, state, &mut evidence, &mut partial)
                .await?;
        }
        let rule_runs = match &state {
            Some(state) if state_changed => {
                self.read_rule_runs(&client, &entry, state, &mut partial)
                    .await?
            }
            _ => entry.rule_runs.clone(),
        };
        Ok(Some(PipelineRead {
            key: key.to_string(),
            state,
            structure,
            fingerprint,
            head: head.filter(|_| executions.is_some()),
            executions,
            evidence,
            rule_runs,
            partial,
        }))
    }

    /// A CodePipeline call of one (account, region), in its turn.
    pub(super) async fn paced_pipeline_call<T>(
        &self,
        account: &str,
        region: &str,
        call: impl Future<Output = Result<T, SourceError>>,
    ) -> Result<T, SourceError> {
        self.pacer
            .run(account, region, Service::CodePipeline, call)
            .await
    }

    /// Lists the action runs of the current executions of stages in progress
    /// whose runs the time cannot place (see `domain::current_run`), unless
    /// they are at hand already.
    async fn list_current_runs(
        &self,
        client: &aws_sdk_codepipeline::Client,
        entry: &PipelineEntry,
        state: &GetPipelineStateOutput,
        evidence: &mut RunEvidence,
        partial: &mut Option<SourceError>,
    ) -> Result<(), SourceError> {
        for id in evidence.executions_to_list(state) {
            let part = format!("ListActionExecutions {}", entry.key);
            let call = codepipeline::list_action_runs(client, &entry.name, &id);
            let answer = self
                .paced_pipeline_call(&entry.account, &entry.region, call)
                .await;
            if let Some(runs) = self.read_part(&part, answer, partial)? {
                evidence.action_runs.insert(id, runs);
            }
        }
        Ok(())
    }

    /// A flow of hand-deployed stacks mirrors their status: from the last
    /// stacks poll when there was one, else asked for now.
    async fn poll_unmanaged(
        &self,
        def: &super::state::FlowDef,
    ) -> Result<Observation, SourceError> {
        let mut infos: HashMap<String, StackInfo> = HashMap::new();
        for s in &def.stacks {
            let id = super::discovery::config_stack_id(s);
            let cached = self
                .lock_state()
                .cursors
                .get(&id)
                .and_then(|c| c.info.clone());
            let info = match cached {
                Some(info) => Some(info),
                None => {
                    let client = self.pool.cloudformation(&id.account, &id.region).await?;
                    let call = cloudformation::describe_one(&client, &id.name);
                    let service = Service::CloudFormation;
                    match self.pacer.run(&id.account, &id.region, service, call).await {
                        Ok(info) => info,
                        Err(SourceError::NotFound(_)) => None,
                        Err(e) => return Err(e),
                    }
                }
            };
            if let Some(info) = info {
                infos.insert(format!("{}/{}", s.region, s.name), info);
            }
        }
        let lookup = |s: &crate::config::schema::StackConfig| {
            infos.get(&format!("{}/{}", s.region, s.name)).cloned()
        };
        Ok(Observation::Flow(unmanaged_flow(
            def,
            &lookup,
            Timestamp::now(),
        )))
    }

    async fn poll_stacks(
        &self,
        region: &str,
        poll_key: &PollKey,
    ) -> Result<Observation, SourceError> {
        let tracked: Vec<_> = self
            .lock_state()
            .stacks
            .iter()
            .filter(|s| s.id.region == region)
            .cloned()
            .collect();
        let mut by_account: Vec<(String, Vec<String>)> = Vec::new();
        for s in &tracked {
            match by_account.iter_mut().find(|(a, _)| *a == s.id.account) {
                Some((_, names)) => names.push(s.id.name.clone()),
                None => by_account.push((s.id.account.clone(), vec![s.id.name.clone()])),
            }
        }
        let mut observations = Vec::new();
        let mut missing: Vec<String> = Vec::new();
        for (account, names) in by_account {
            let client = self.pool.cloudformation(&account, region).await?;
            let infos = self
                .pacer
                .run(
                    &account,
                    region,
                    Service::CloudFormation,
                    cloudformation::describe(&client, &names),
                )
                .await?;
            let mine: Vec<_> = tracked.iter().filter(|s| s.id.account == account).collect();
            let cursors: Vec<Option<StackCursor>> = {
                let st = self.lock_state();
                mine.iter()
                    .map(|s| st.cursors.get(&s.id).cloned())
                    .collect()
            };
            // The events of the stacks that move are read side by side; a
            // stack that does not move costs no call, and no future either
            // (a region may hold thousands of stacks). With the stream live,
            // only a stack whose status changed: the stream brought the rest.
            let covered = self.stream_covers_stacks.load(Ordering::Relaxed);
            let moves: Vec<bool> = mine
                .iter()
                .zip(&cursors)
                .map(|(s, cursor)| {
                    let info = infos.get(&s.id.name);
                    match covered {
                        true => status_changed(cursor.as_ref(), info),
                        false => needs_events(cursor.as_ref(), info),
                    }
                })
                .collect();
            let read = join_all(
                mine.iter()
                    .zip(&cursors)
                    .zip(&moves)
                    .filter(|(_, moves)| **moves)
                    .map(|((s, cursor), _)| {
                        self.stack_events(&client, &s.id, cursor.as_ref(), infos.get(&s.id.name))
                    }),
            )
            .await;
            let mut read = read.into_iter();
            let events = moves.iter().map(|&moves| match moves {
                true => read.next().unwrap_or_else(|| Ok(Vec::new())),
                false => Ok(Vec::new()),
            });
            for ((s, cursor), new_events) in mine.into_iter().zip(cursors).zip(events) {
                let new_events = new_events?;
                let info = infos.get(&s.id.name).cloned();
                if info.is_none() && self.is_configured_stack(&s.id) {
                    missing.push(s.id.name.clone());
                }
                self.advance_cursor(&s.id, cursor, info.clone(), &new_events);
                observations.push(StackObservation {
                    flow: s.flow.as_str().into(),
                    region: region.into(),
                    name: s.id.name.as_str().into(),
                    status: info
                        .as_ref()
                        .map(|i| i.status.clone())
                        .unwrap_or_else(|| STACK_MISSING.into()),
                    status_reason: info.and_then(|i| i.reason),
                    new_events,
                });
            }
        }
        // A stack the pipelines name may not be deployed yet; one the config
        // names is expected to exist, and its absence is said.
        let partial = (!missing.is_empty()).then(|| {
            SourceError::NotFound(format!(
                "cloudformation:DescribeStacks: configured stack {} does not exist in {region}",
                missing.join(", ")
            ))
        });
        self.lock_state().record_partial(poll_key, partial);
        Ok(Observation::Stacks {
            region: region.to_string(),
            stacks: observations,
        })
    }

    /// A stack's events since its cursor, when it moves (see [`needs_events`]).
    async fn stack_events(
        &self,
        client: &aws_sdk_cloudformation::Client,
        id: &StackId,
        cursor: Option<&StackCursor>,
        info: Option<&StackInfo>,
    ) -> Result<Vec<StackEvent>, SourceError> {
        if !needs_events(cursor, info) {
            return Ok(Vec::new());
        }
        let last = cursor.and_then(|c| c.last_event_id.as_deref());
        let call = cloudformation::events_since(client, &id.name, last);
        match self
            .pacer
            .run(&id.account, &id.region, Service::CloudFormation, call)
            .await
        {
            Ok(events) => Ok(events),
            Err(SourceError::NotFound(_)) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    fn is_configured_stack(&self, id: &StackId) -> bool {
        self.cfg
            .stacks
            .iter()
            .any(|c| super::discovery::config_stack_id(c) == *id)
    }

    fn advance_cursor(
        &self,
        id: &Arc<StackId>,
        previous: Option<StackCursor>,
        info: Option<StackInfo>,
        new_events: &[StackEvent],
    ) {
        let last_event_id = new_events
            .first()
            .map(|e| e.event_id.to_string())
            .or_else(|| previous.and_then(|c| c.last_event_id));
        let mut st = self.lock_state();
        // Every tracked stack gets a cursor on the first stacks polls: room
        // for all of them at once, instead of the map doubling (and holding
        // both tables) as the regions answer.
        let room = st.stacks.len().saturating_sub(st.cursors.len());
        st.cursors.reserve(room);
        st.cursors.insert(
            Arc::clone(id),
            StackCursor {
                last_event_id,
                info: Some(info.unwrap_or_else(|| StackInfo {
                    name: id.name.clone(),
                    status: STACK_MISSING.into(),
                    reason: None,
                    changed_at: None,
                })),
            },
        );
    }

    async fn poll_health(&self, poll_key: &PollKey) -> Result<Observation, SourceError> {
        let client = self.pool.route53(DEFAULT_ACCOUNT, GLOBAL_REGION).await?;
        let checks = self
            .pacer
            .run(
                DEFAULT_ACCOUNT,
                GLOBAL_REGION,
                Service::Route53,
                route53::list_health_checks(&client),
            )
            .await?;
        let queries: Vec<MetricQuery> = checks
            .iter()
            .enumerate()
            .map(|(i, c)| MetricQuery {
                id: format!("h{i}"),
                namespace: "AWS/Route53",
                metric: "HealthCheckStatus",
                dimensions: vec![("HealthCheckId", c.id.clone())],
                stat: "Minimum",
                period_secs: 60,
            })
            .collect();
        let now = Timestamp::now();
        let mut partial = None;
        let span = SignedDuration::from_mins(10);
        let series = self
            .metric_series(GLOBAL_REGION, &queries, span, now, poll_key, &mut partial)
            .await?;
        let mut st = self.lock_state();
        st.record_partial(poll_key, partial);
        let checks = checks
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let point = series.get(&format!("h{i}")).and_then(|p| p.last());
                let status = match point {
                    Some((_, v)) if *v >= 1.0 => HealthStatus::Healthy,
                    Some(_) => HealthStatus::Unhealthy,
                    None => HealthStatus::Unknown,
                };
                let region = st
                    .record_sets
                    .iter()
                    .flat_map(|s| s.records.iter())
                    .find(|r| {
                        r.health_check_id.as_deref() == Some(c.id.as_str()) && !r.region.is_empty()
                    })
                    .map(|r| r.region.clone())
                    .or_else(|| c.region_hint.clone())
                    .unwrap_or_else(|| UNKNOWN_REGION.to_string());
                HealthCheck {
                    id: c.id.clone(),
                    region,
                    target: c.target.clone(),
                    status,
                    inverted: c.inverted,
                    disabled: c.disabled,
                    checkers: st.checkers.get(&c.id).cloned().unwrap_or_default(),
                    status_at: point.map(|(at, _)| *at),
                    fetched_at: now,
                }
            })
            .collect();
        Ok(Observation::Health { checks })
    }

    /// The last `span` of `queries` up to `now`, with one GetMetricData in
    /// `region` (none for no query). Its failure is a part of the poll
    /// (see [`Self::read_part`]).
    async fn metric_series(
        &self,
        region: &str,
        queries: &[MetricQuery],
        span: SignedDuration,
        now: Timestamp,
        poll_key: &PollKey,
        partial: &mut Option<SourceError>,
    ) -> Result<Series, SourceError> {
        if queries.is_empty() {
            return Ok(Series::new());
        }
        let cw = self.pool.cloudwatch(DEFAULT_ACCOUNT, region).await?;
        let call = cloudwatch::get_metric_data(&cw, queries, now - span, now);
        let answer = self
            .pacer
            .run(DEFAULT_ACCOUNT, region, Service::CloudWatch, call)
            .await;
        Ok(self
            .read_part(&poll_key.label(), answer, partial)?
            .unwrap_or_default())
    }

    async fn poll_checkers(&self, id: &str) -> Result<Observation, SourceError> {
        self.take_checker_token(DEFAULT_ACCOUNT).await?;
        let client = self.pool.route53(DEFAULT_ACCOUNT, GLOBAL_REGION).await?;
        let call = route53::checker_observations(&client, id);
        let observations = self
            .pacer
            .run(DEFAULT_ACCOUNT, GLOBAL_REGION, Service::Route53, call)
            .await?;
        self.lock_state()
            .checkers
            .insert(id.to_string(), observations.clone());
        Ok(Observation::Checkers {
            health_check_id: id.to_string(),
            observations,
        })
    }

    async fn poll_replication(
        &self,
        table: &str,
        poll_key: &PollKey,
    ) -> Result<Observation, SourceError> {
        let table_ref = self
            .lock_state()
            .tables
            .iter()
            .find(|t| t.name == table)
            .cloned()
            .or_else(|| {
                self.cfg.tables.iter().find(|t| t.name == table).map(|t| {
                    crate::protocol::TableRef {
                        name: t.name.clone(),
                        flow: t.flow.clone(),
                        source_region: t.source_region.clone(),
                    }
                })
            })
            .ok_or_else(|| SourceError::NotFound(format!("table {table} is not configured")))?;
        let source = &table_ref.source_region;
        let ddb = self.pool.dynamodb(DEFAULT_ACCOUNT, source).await?;
        let call = dynamodb::replicas(&ddb, table, source);
        let replicas = self
            .pacer
            .run(DEFAULT_ACCOUNT, source, Service::DynamoDb, call)
            .await?;
        let queries = dynamodb::latency_queries(table, source, &replicas);
        let now = Timestamp::now();
        let mut partial = None;
        let plain: Vec<MetricQuery> = queries.iter().map(|(_, q)| q.clone()).collect();
        let span = SignedDuration::from_hours(1);
        let series = self
            .metric_series(source, &plain, span, now, poll_key, &mut partial)
            .await?;
        self.lock_state().record_partial(poll_key, partial);
        let latency = queries
            .iter()
            .map(|(receiving, q)| LatencySeries {
                source_region: source.clone(),
                receiving_region: receiving.clone(),
                points: series.get(&q.id).cloned().unwrap_or_default(),
            })
            .collect();
        Ok(Observation::Replication(GlobalTable {
            name: table.to_string(),
            flow: table_ref.flow,
            replicas,
            latency,
            fetched_at: now,
        }))
    }
}

/// Whether a stack's status differs from the one its last poll saw (or it
/// was never polled): its events may hold what a missed event said.
fn status_changed(cursor: Option<&StackCursor>, info: Option<&StackInfo>) -> bool {
    let Some(info) = info else {
        return false;
    };
    cursor
        .and_then(|c| c.info.as_ref())
        .is_none_or(|previous| previous.status != info.status)
}

/// Events are read on the first poll of a stack, and afterwards only while
/// the stack moves: an operation under way, or a status or update time that
/// changed since the last poll. A settled, unchanged stack has no new events.
fn needs_events(cursor: Option<&StackCursor>, info: Option<&StackInfo>) -> bool {
    let Some(info) = info else {
        return false;
    };
    let Some(previous) = cursor.and_then(|c| c.info.as_ref()) else {
        return true;
    };
    !(is_settled(&info.status)
        && is_settled(&previous.status)
        && previous.status == info.status
        && previous.changed_at == info.changed_at)
}

/// What a pipeline's list of executions follows in its state: each stage's
/// current execution and that execution's status, and the pipeline version.
fn execution_head(state: &GetPipelineStateOutput) -> String {
    let mut head = format!("v{:?}", state.pipeline_version);
    for stage in &state.stage_states {
        if let Some(current) = &stage.latest_execution {
            head.push_str(&format!(
                "|{}={}:{}",
                stage.stage_name, current.pipeline_execution_id, current.status
            ));
        }
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(status: &str, at: i64) -> StackInfo {
        StackInfo {
            name: "s".into(),
            status: status.into(),
            reason: None,
            changed_at: Some(Timestamp::from_second(at).unwrap()),
        }
    }

    fn cursor(status: &str, at: i64) -> StackCursor {
        StackCursor {
            last_event_id: Some("e1".into()),
            info: Some(info(status, at)),
        }
    }

    #[test]
    fn events_are_read_only_while_a_stack_moves() {
        assert!(needs_events(None, Some(&info("UPDATE_COMPLETE", 10))));
        assert!(!needs_events(
            Some(&cursor("UPDATE_COMPLETE", 10)),
            Some(&info("UPDATE_COMPLETE", 10))
        ));
        // A whole update happened between two polls: same status, newer update time.
        assert!(needs_events(
            Some(&cursor("UPDATE_COMPLETE", 10)),
            Some(&info("UPDATE_COMPLETE", 70))
        ));
        assert!(needs_events(
            Some(&cursor("UPDATE_IN_PROGRESS", 10)),
            Some(&info("UPDATE_IN_PROGRESS", 10))
        ));
        assert!(needs_events(
            Some(&cursor("UPDATE_IN_PROGRESS", 10)),
            Some(&info("UPDATE_COMPLETE", 10))
        ));
        assert!(!needs_events(Some(&cursor("UPDATE_COMPLETE", 10)), None));
    }

    fn state(action_at: i64, stage_status: &str) -> GetPipelineStateOutput {
        serde_json::from_str(&format!(
            r#"{{"pipelineName":"p","pipelineVersion":1,"stageStates":[{{"stageName":"Deploy",
              "actionStates":[{{"actionName":"A","latestExecution":{{"status":"InProgress","lastStatusChange":{action_at}}}}}],
              "latestExecution":{{"pipelineExecutionId":"e2","status":"{stage_status}"}}}}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn executions_follow_the_stages_current_executions_not_every_action() {
        let before = execution_head(&state(10, "InProgress"));
        assert_eq!(before, execution_head(&state(70, "InProgress")));
        assert_ne!(before, execution_head(&state(10, "Succeeded")));
    }
}
