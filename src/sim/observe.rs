//! What the world looks like through the observing API: flows derived from
//! the pipeline documents, stacks, health checks and replication.

use super::pipeline::PipelineSim;
use super::stacks::StackSim;
use super::world::SimWorld;
use crate::domain::fleet::{ExecutionMode, Flow, FlowKind, HealthCheck, Pipeline, PipelineType};
use crate::domain::grid::{DerivedGrid, chain_grids, derive_grid_with};
use crate::domain::shared_str::SharedStr;
use crate::protocol::{Discovery, StackObservation, StackRef, TableRef};

/// The name of the single wave of a flow deployed by hand.
pub use crate::domain::manual::MANUAL_WAVE;
use crate::domain::manual::{StackDeploy, manual_wave};

impl SimWorld {
    pub fn discovery(&self) -> Discovery {
        let flows = self
            .flows
            .iter()
            .filter_map(|f| self.flow(&f.name))
            .collect();
        Discovery {
            flows,
            stacks: self
                .stacks
                .iter()
                .map(|s| StackRef {
                    flow: s.flow.clone(),
                    region: s.region.clone(),
                    name: s.name.clone(),
                })
                .collect(),
            record_sets: self.record_sets.clone(),
            tables: self
                .tables
                .iter()
                .map(|t| TableRef {
                    name: t.name.clone(),
                    flow: Some(t.flow.clone()),
                    source_region: t.source_region.clone(),
                })
                .collect(),
            fleet_label: self.fleet.label().to_string(),
            hosted_zones: Vec::new(),
            errors: Vec::new(),
            alarms: self.alarm_watches(),
        }
    }

    /// One flow with its waves and executions as of now.
    pub fn flow(&self, name: &str) -> Option<Flow> {
        let spec = self.flows.iter().find(|f| f.name == name)?;
        let pipelines: Vec<&PipelineSim> = spec
            .pipelines
            .iter()
            .filter_map(|p| self.pipeline(p))
            .collect();
        let grid = if spec.kind == FlowKind::Unmanaged {
            let stacks: Vec<&StackSim> = self.stacks.iter().filter(|s| s.flow == name).collect();
            DerivedGrid {
                regions: stacks.iter().map(|s| s.region.to_string()).collect(),
                waves: vec![manual_wave(
                    &stacks.iter().map(|s| stack_deploy(s)).collect::<Vec<_>>(),
                )],
            }
        } else {
            chain_grids(pipelines.iter().map(|p| {
                derive_grid_with(
                    &p.decl,
                    Some(&p.state_doc()),
                    &p.run_evidence(),
                    &p.home_region,
                )
            }))
        };
        // Sized first: the model keeps the answer's history as it comes,
        // and a vector grown by doubling would keep up to half again as
        // much room for every flow.
        let mut executions = Vec::with_capacity(pipelines.iter().map(|p| p.executions.len()).sum());
        executions.extend(pipelines.iter().flat_map(|p| p.executions.iter().cloned()));
        executions.sort_by(|a, b| {
            b.started_at
                .cmp(&a.started_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        Some(Flow {
            name: name.to_string(),
            kind: spec.kind,
            pipelines: pipelines.iter().map(|p| pipeline_summary(p)).collect(),
            regions: grid.regions,
            waves: grid.waves,
            executions,
            live: super::revisions::live_revisions(&pipelines),
            fetched_at: self.now,
        })
    }

    /// Every stack in `region` with its index in the world's stacks (which
    /// only ever grow at the end) and the events after the stack's cursor.
    pub fn stacks_in(
        &self,
        region: &str,
        cursor: impl Fn(usize) -> Option<SharedStr>,
    ) -> Vec<(usize, StackObservation)> {
        self.stacks
            .iter()
            .enumerate()
            .filter(|(_, s)| s.region == region)
            .map(|(i, s)| {
                let after = cursor(i);
                let observation = StackObservation {
                    flow: s.flow.clone(),
                    region: s.region.clone(),
                    name: s.name.clone(),
                    status: s.status.clone(),
                    status_reason: s.status_reason.clone(),
                    new_events: s.events_after(after.as_deref()),
                };
                (i, observation)
            })
            .collect()
    }

    pub fn health_checks(&self, with_checkers: bool) -> Vec<HealthCheck> {
        self.checks
            .iter()
            .map(|c| c.to_check(self.now, with_checkers))
            .collect()
    }
}

fn pipeline_summary(p: &PipelineSim) -> Pipeline {
    Pipeline {
        name: p.name().to_string(),
        home_region: p.home_region.clone(),
        account: p.account.clone(),
        pipeline_type: match p.decl.pipeline_type.as_deref() {
            Some("V2") => PipelineType::V2,
            _ => PipelineType::V1,
        },
        execution_mode: match p.decl.execution_mode.as_deref() {
            Some("QUEUED") => ExecutionMode::Queued,
            Some("PARALLEL") => ExecutionMode::Parallel,
            _ => ExecutionMode::Superseded,
        },
        version: p.decl.version.unwrap_or(1),
    }
}

/// A hand-deployed flow has no pipeline: one wave whose cell per region
/// mirrors that region's stack, as the domain builds it for any backend.
fn stack_deploy(s: &StackSim) -> StackDeploy {
    let running = s.status.is_in_progress();
    // A running deployment started at its stack-level IN_PROGRESS event; a
    // finished one changed state at its newest event.
    let changed_at = if running {
        s.events
            .iter()
            .find(|e| {
                e.resource_type == "AWS::CloudFormation::Stack"
                    && (e.status == "UPDATE_IN_PROGRESS" || e.status == "CREATE_IN_PROGRESS")
            })
            .map(|e| e.timestamp)
    } else {
        s.events.first().map(|e| e.timestamp)
    };
    StackDeploy {
        name: s.name.to_string(),
        region: s.region.to_string(),
        status: s.status.clone(),
        failure: s
            .events
            .iter()
            .find(|e| e.status.is_failed())
            .and_then(|e| e.reason.clone()),
        changed_at,
        external_url: Some(format!(
            "https://console.aws.amazon.com/cloudformation/home?region={}#/stacks/events?stackId={}",
            s.region, s.name
        )),
    }
}
