//! Finding the fleet: the pipelines (`find_pipelines`), the flows they form,
//! the stacks they deploy, the routed record sets of the configured zones,
//! the global tables; and what of it could not be read.

use crate::domain::revisions::placed_by_state;
use std::collections::BTreeMap;

use jiff::Timestamp;

use super::cloudformation::StackInfo;
use super::find_pipelines::Found;
use super::pacing::Service;
use super::state::{FlowDef, PipelineEntry, StackId};
use super::{AwsBackend, DEFAULT_ACCOUNT, GLOBAL_REGION, codepipeline, route53, rule_alarms};
use crate::config::schema::{HostedZone, StackConfig};
use crate::domain::attribution::runs_in;
use crate::domain::current_run::RunEvidence;
use crate::domain::fleet::{Flow, FlowKind, Pipeline, RecordSet};
use crate::domain::grid::{DerivedGrid, derive_grid_with};
use crate::protocol::{Discovery, ReadError, SourceError, StackRef, TableRef, zone_source};

use crate::domain::manual::{StackDeploy, manual_wave};
/// Status shown for a tracked stack that does not exist (yet).
pub(crate) const STACK_MISSING: &str = "DOES_NOT_EXIST";

impl AwsBackend {
    pub(super) async fn discover_fleet(&self) -> Result<Discovery, SourceError> {
        let named = self.named_pipelines();
        let mut labels = Vec::new();
        let mut account_ids = BTreeMap::new();
        let mut found: Vec<Found> = Vec::new();
        let mut errors: Vec<ReadError> = Vec::new();
        let mut regions_read: Vec<String> = Vec::new();
        for account in self.pool.accounts() {
            let profile = self.pool.credentials_label(account);
            match self.discover_account(account, &named, &found).await {
                Ok(mut read) => {
                    labels.push(format!("{} ({profile})", read.id));
                    account_ids.insert(account.name.clone(), read.id);
                    found.append(&mut read.found);
                    errors.append(&mut read.errors);
                    regions_read.append(&mut read.regions_read);
                }
                // The default account is the fleet; a further account that
                // cannot be read is left out and said so, not fatal.
                Err(e) if account.name == DEFAULT_ACCOUNT => return Err(e),
                Err(e) => {
                    labels.push(format!("{profile}: unavailable"));
                    errors.push(ReadError::new(
                        format!("account {}", account.name),
                        account.home_regions.join(", "),
                        &e,
                    ));
                }
            }
        }
        let entries = keyed_entries(found, &account_ids);
        let missing = self.configured_but_not_found(&entries, &regions_read, &errors);
        errors.extend(missing);
        let flows = self.flow_defs(&entries);

        let mut record_sets = Vec::new();
        if !self.cfg.hosted_zones.is_empty() {
            let client = self.pool.route53(DEFAULT_ACCOUNT, GLOBAL_REGION).await?;
            for zone in &self.cfg.hosted_zones {
                // A zone that cannot be read is said so by name; the rest of
                // the fleet does not wait for it.
                match self.zone_record_sets(&client, zone).await {
                    Ok(mut sets) => record_sets.append(&mut sets),
                    Err(e) => errors.push(ReadError::new(
                        zone_source(zone.written()),
                        GLOBAL_REGION,
                        &e,
                    )),
                }
            }
        }

        let tables: Vec<TableRef> = self
            .cfg
            .tables
            .iter()
            .map(|t| TableRef {
                name: t.name.clone(),
                flow: t.flow.clone(),
                source_region: t.source_region.clone(),
            })
            .collect();

        let now = Timestamp::now();
        let mut state = self.lock_state();
        state.account_ids = account_ids;
        state.pipelines = entries.into_iter().map(|e| (e.key.clone(), e)).collect();
        state.flows = flows;
        state.stacks.clear();
        for def in state.flows.clone() {
            for key in &def.pipelines {
                let stacks = state
                    .pipelines
                    .get(key)
                    .map(pipeline_stacks)
                    .unwrap_or_default();
                for id in stacks {
                    state.track_stack(&def.name, id);
                }
            }
        }
        for s in &self.cfg.stacks {
            state.track_stack(&s.flow, config_stack_id(s));
        }
        state.record_sets = record_sets.clone();
        state.tables = tables.clone();
        state.discovered_at = Some(now);
        rule_alarms::watch_rule_alarms(
            &mut self.alarms.lock().unwrap_or_else(|p| p.into_inner()),
            &state,
        );

        let flows = state
            .flows
            .iter()
            .map(|def| match def.kind {
                FlowKind::Unmanaged => unmanaged_flow(def, &|_| None, now),
                _ => {
                    let parts = def
                        .pipelines
                        .iter()
                        .filter_map(|k| state.pipelines.get(k))
                        .map(|e| (e, grid_of(e, None, &RunEvidence::default(), &[])))
                        .collect();
                    pipeline_flow(def, parts, now)
                }
            })
            .collect();
        let stacks = state
            .stacks
            .iter()
            .map(|s| StackRef {
                flow: s.flow.as_str().into(),
                region: s.id.region.as_str().into(),
                name: s.id.name.as_str().into(),
            })
            .collect();
        Ok(Discovery {
            flows,
            stacks,
            record_sets: attach_flows(record_sets, &state.flows),
            tables,
            fleet_label: labels.join(", "),
            hosted_zones: self
                .cfg
                .hosted_zones
                .iter()
                .map(|z| z.written().to_string())
                .collect(),
            errors,
            alarms: self.alarm_watches(),
        })
    }

    /// Pipelines named in the config (with the chains' pipelines), or empty
    /// to watch every pipeline found.
    fn named_pipelines(&self) -> Vec<String> {
        let mut named: Vec<String> = self.cfg.pipelines.clone();
        if !named.is_empty() {
            for chain in &self.cfg.chains {
                for p in &chain.pipelines {
                    if !named.contains(p) {
                        named.push(p.clone());
                    }
                }
            }
        }
        named
    }

    /// Chains first (their pipelines form one flow), then one flow per other
    /// pipeline, then the configured stacks whose flow names no pipeline flow.
    fn flow_defs(&self, entries: &[PipelineEntry]) -> Vec<FlowDef> {
        let mut defs: Vec<FlowDef> = Vec::new();
        let mut chained: Vec<String> = Vec::new();
        for chain in &self.cfg.chains {
            let keys: Vec<String> = chain
                .pipelines
                .iter()
                .filter_map(|name| {
                    entries
                        .iter()
                        .find(|e| (e.key == *name || e.name == *name) && !chained.contains(&e.key))
                        .map(|e| e.key.clone())
                })
                .collect();
            chained.extend(keys.iter().cloned());
            defs.push(FlowDef {
                name: chain.name.clone(),
                kind: FlowKind::Chained,
                pipelines: keys,
                stacks: Vec::new(),
            });
        }
        for e in entries.iter().filter(|e| !chained.contains(&e.key)) {
            defs.push(FlowDef {
                name: e.key.clone(),
                kind: FlowKind::Pipeline,
                pipelines: vec![e.key.clone()],
                stacks: Vec::new(),
            });
        }
        for s in &self.cfg.stacks {
            match defs.iter_mut().find(|d| d.name == s.flow) {
                Some(d) if d.kind == FlowKind::Unmanaged => d.stacks.push(s.clone()),
                Some(_) => {}
                None => defs.push(FlowDef {
                    name: s.flow.clone(),
                    kind: FlowKind::Unmanaged,
                    pipelines: Vec::new(),
                    stacks: vec![s.clone()],
                }),
            }
        }
        defs
    }
}

impl AwsBackend {
    async fn zone_record_sets(
        &self,
        client: &aws_sdk_route53::Client,
        zone: &HostedZone,
    ) -> Result<Vec<RecordSet>, SourceError> {
        let (account, region, service) = (DEFAULT_ACCOUNT, GLOBAL_REGION, Service::Route53);
        let id = self
            .pacer
            .run(
                account,
                region,
                service,
                route53::resolve_zone(client, zone),
            )
            .await?;
        let call = route53::list_record_sets(client, &id);
        let sets = self.pacer.run(account, region, service, call).await?;
        Ok(route53::record_sets(&sets))
    }
}

/// Entries keyed by pipeline name, or `name@region` when a name is found in
/// more than one (account, region).
fn keyed_entries(found: Vec<Found>, account_ids: &BTreeMap<String, String>) -> Vec<PipelineEntry> {
    let mut entries: Vec<PipelineEntry> = Vec::new();
    for f in &found {
        let name = f.structure.pipeline.name.clone();
        let clashes = found
            .iter()
            .filter(|o| o.structure.pipeline.name == name)
            .count()
            > 1;
        let mut key = if clashes {
            format!("{name}@{}", f.region)
        } else {
            name.clone()
        };
        if entries.iter().any(|e| e.key == key) {
            key = format!("{}/{key}", f.account);
        }
        let decl = &f.structure.pipeline;
        entries.push(PipelineEntry {
            key: key.clone(),
            account: f.account.clone(),
            region: f.region.clone(),
            name,
            meta: Pipeline {
                name: key,
                home_region: f.region.clone(),
                account: account_ids.get(&f.account).cloned().unwrap_or_default(),
                pipeline_type: codepipeline::pipeline_type(decl),
                execution_mode: codepipeline::execution_mode(decl),
                version: decl.version.unwrap_or(0),
            },
            structure: f.structure.clone(),
            last_state: None,
            executions: Vec::new(),
            action_runs: BTreeMap::new(),
            rule_runs: Vec::new(),
        });
    }
    entries
}

/// Stacks a pipeline deploys: every action carrying a `StackName`, where
/// the action runs.
pub(super) fn pipeline_stacks(e: &PipelineEntry) -> Vec<StackId> {
    let mut ids: Vec<StackId> = Vec::new();
    for stage in &e.structure.pipeline.stages {
        for action in &stage.actions {
            if let Some(name) = action.configuration.get("StackName") {
                let id = StackId {
                    account: e.account.clone(),
                    region: runs_in(action, &e.region).to_string(),
                    name: name.to_string(),
                };
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    ids
}

pub(super) fn config_stack_id(s: &StackConfig) -> StackId {
    StackId {
        account: DEFAULT_ACCOUNT.to_string(),
        region: s.region.clone(),
        name: s.name.clone(),
    }
}

pub(super) fn grid_of(
    e: &PipelineEntry,
    state: Option<&crate::domain::pipeline_doc::GetPipelineStateOutput>,
    evidence: &RunEvidence,
    rule_runs: &[crate::domain::conditions::RuleRun],
) -> DerivedGrid {
    let mut grid = derive_grid_with(&e.structure.pipeline, state, evidence, &e.region);
    for wave in &mut grid.waves {
        wave.pipeline = e.key.clone();
        if let Some(conditions) = &mut wave.conditions {
            conditions.apply_rule_runs(&wave.name, rule_runs);
        }
    }
    grid
}

/// A pipeline or chained flow: the pipelines' waves in hand-off order, the
/// union of their regions as columns, their executions newest first.
pub(super) fn pipeline_flow(
    def: &FlowDef,
    parts: Vec<(&PipelineEntry, DerivedGrid)>,
    now: Timestamp,
) -> Flow {
    let mut regions: Vec<String> = Vec::new();
    let mut waves = Vec::new();
    let mut pipelines = Vec::new();
    let mut executions = Vec::new();
    for (entry, grid) in parts {
        for r in grid.regions {
            if !regions.contains(&r) {
                regions.push(r);
            }
        }
        waves.extend(grid.waves);
        pipelines.push(entry.meta.clone());
        executions.extend(entry.executions.iter().cloned());
    }
    executions.sort_by_key(|e| std::cmp::Reverse(e.started_at));
    let mut flow = Flow {
        name: def.name.clone(),
        kind: def.kind,
        pipelines,
        regions,
        waves,
        executions,
        live: Vec::new(),
        fetched_at: now,
    };
    flow.live = placed_by_state(&flow);
    flow
}

/// A flow of stacks deployed by hand: one `manual` wave whose cells mirror
/// the stacks' status, one cell per region.
pub(super) fn unmanaged_flow(
    def: &FlowDef,
    info: &dyn Fn(&StackConfig) -> Option<StackInfo>,
    now: Timestamp,
) -> Flow {
    let stacks: Vec<StackDeploy> = def
        .stacks
        .iter()
        .map(|s| {
            let i = info(s);
            StackDeploy {
                name: s.name.clone(),
                region: s.region.clone(),
                status: i.as_ref().map(|i| i.status.clone()).unwrap_or_default(),
                failure: i.as_ref().and_then(|i| i.reason.clone()),
                changed_at: i.as_ref().and_then(|i| i.changed_at),
                external_url: None,
            }
        })
        .collect();
    let wave = manual_wave(&stacks);
    Flow {
        name: def.name.clone(),
        kind: FlowKind::Unmanaged,
        pipelines: Vec::new(),
        regions: wave.cells.iter().map(|c| c.region.to_string()).collect(),
        waves: vec![wave],
        executions: Vec::new(),
        live: Vec::new(),
        fetched_at: now,
    }
}

/// A record set fronts the flow whose regions its records cover when exactly
/// one flow's name appears in the DNS name; otherwise it is left unassigned.
fn attach_flows(mut sets: Vec<RecordSet>, flows: &[FlowDef]) -> Vec<RecordSet> {
    for set in &mut sets {
        let name = set.name.to_ascii_lowercase();
        let matching: Vec<&FlowDef> = flows
            .iter()
            .filter(|f| {
                name.split('.')
                    .any(|label| label == f.name.to_ascii_lowercase())
            })
            .collect();
        if let [only] = matching.as_slice() {
            set.flow = Some(only.name.clone());
        }
    }
    sets
}
