//! The simulated world: every pipeline, stack, health check and table of the
//! demo fleet, stepped in one-second ticks from one seeded generator.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::fleet_size::FleetSize;
use super::health::CheckSim;
use super::history::{self, new_revision};
use super::large;
use super::pipeline::{PendingStart, PipelineSim};
use super::replication::TableSim;
use super::rng::SimRng;
use super::spec::{self, FlowSpec};
use super::stacks::StackSim;
use crate::domain::fleet::{FlowKind, HealthStatus, RecordSet};
use crate::domain::pipeline_doc::{GetPipelineOutput, GetPipelineStateOutput};

/// How long the world runs before the requested start, so that it opens
/// with deployments mid-flight and a trail of stack events.
const WARM_UP: SignedDuration = SignedDuration::from_mins(20);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimWorld {
    pub seed: u64,
    pub now: Timestamp,
    pub(super) rng: SimRng,
    /// Which simulated fleet this is.
    pub fleet: FleetSize,
    /// The flows in discovery order, each with its pipelines' names.
    pub flows: Vec<FlowEntry>,
    pub pipelines: Vec<PipelineSim>,
    pub stacks: Vec<StackSim>,
    pub checks: Vec<CheckSim>,
    pub record_sets: Vec<RecordSet>,
    pub tables: Vec<TableSim>,
    /// Next hand-run deployment per manually deployed stack (index into `stacks`).
    pub(super) manual_deploys: Vec<(usize, Timestamp)>,
    /// Hold schedules waiting to open their stage (see `scheduler`).
    #[serde(default)]
    pub(super) schedules: Vec<super::scheduler::SimSchedule>,
}

/// A flow as the world keeps it: what a poll of it reads, and in which
/// order its pipelines hand off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowEntry {
    pub name: String,
    pub kind: FlowKind,
    pub pipelines: Vec<String>,
}

impl SimWorld {
    /// The demo fleet started at `start`.
    pub fn new(seed: u64, start: Timestamp) -> SimWorld {
        SimWorld::with_fleet(FleetSize::Demo, seed, start)
    }

    /// `fleet` started at `start`.
    pub fn with_fleet(fleet: FleetSize, seed: u64, start: Timestamp) -> SimWorld {
        let origin = start - WARM_UP;
        let mut rng = SimRng::new(seed);
        let spec = fleet.spec();
        let mut pipelines: Vec<PipelineSim> = Vec::new();
        for flow in &spec.flows {
            for p in &flow.pipelines {
                let created = origin - SignedDuration::from_hours(24 * 90);
                let mut sim = PipelineSim::new(&flow.name, p, created);
                match &p.upstream {
                    None => history::seed(&mut sim, origin, &mut rng),
                    // The spec declares an upstream pipeline before those it feeds.
                    Some(up) => {
                        if let Some(upstream) = pipelines.iter().find(|q| q.name() == up) {
                            let past = upstream.executions.clone();
                            history::seed_downstream(&mut sim, &past, &mut rng);
                        }
                    }
                }
                pipelines.push(sim);
            }
        }

        let stack_specs = spec::stacks(&spec.flows);
        let mut stacks: Vec<StackSim> = stack_specs.iter().map(StackSim::new).collect();
        super::shared_strings::share_stack_places(&mut stacks);
        for stack in &mut stacks {
            let at = origin - SignedDuration::from_mins(rng.range(30, 48 * 60));
            match fleet {
                FleetSize::Demo => {
                    stack.begin_update(at, SignedDuration::from_secs(90), false, &mut rng);
                    stack.tick(origin);
                }
                // Thousands of full trails would cost tens of megabytes in
                // every snapshot and console; the last event tells the same.
                FleetSize::Large => stack.settle(at, &mut rng),
            }
        }

        let checks = spec::health_checks(&spec.record_sets)
            .iter()
            .map(CheckSim::new)
            .collect();
        let tables = spec
            .tables
            .iter()
            .map(|t| TableSim::new(t, origin, &mut rng))
            .collect();
        let flows = spec
            .flows
            .iter()
            .map(|f| FlowEntry {
                name: f.name.clone(),
                kind: f.kind,
                pipelines: f.pipelines.iter().map(|p| p.decl.name.clone()).collect(),
            })
            .collect();

        let mut world = SimWorld {
            seed,
            now: origin,
            rng,
            fleet,
            flows,
            pipelines,
            stacks,
            checks,
            record_sets: spec.record_sets,
            tables,
            manual_deploys: Vec::new(),
            schedules: Vec::new(),
        };
        match fleet {
            FleetSize::Demo => {
                world.script_opening(&spec.flows);
                world.add_condition_flows(origin);
            }
            FleetSize::Large => large::opening::script(&mut world, &spec.flows),
        }
        world.advance_to(start);
        world
    }

    /// What is under way when the demo opens: global-api rolling out from the
    /// first minute of the warm-up, orders a little later, service-x heading
    /// for a failed deployment in ap-southeast-2, billing deployed by hand.
    fn script_opening(&mut self, flows: &[FlowSpec]) {
        let origin = self.now;
        let at = |mins: i64| origin + SignedDuration::from_mins(mins);
        for i in 0..self.pipelines.len() {
            let name = self.pipelines[i].name().to_string();
            let last = self.pipelines[i].stages.len() - 1;
            let (rev, summary) = new_revision(&mut self.rng);
            let p = &mut self.pipelines[i];
            match name.as_str() {
                "global-api" => {
                    p.start_execution(
                        origin,
                        "Webhook",
                        &rev,
                        &summary,
                        (0, last),
                        0.0,
                        None,
                        &mut self.rng,
                    );
                }
                // Fails in ap-southeast-2 whatever the seed.
                "service-x" => p.queued.push(PendingStart {
                    at: at(14),
                    trigger: "CloudWatchEvent".into(),
                    revision_id: rev,
                    summary,
                    fail_region: Some("ap-southeast-2".into()),
                }),
                "orders-active-active" => p.queued.push(PendingStart {
                    at: at(9),
                    trigger: "Webhook".into(),
                    revision_id: rev,
                    summary,
                    fail_region: None,
                }),
                _ if p.upstream.is_none() => p.next_auto_start = Some(at(21)),
                _ => {}
            }
        }
        let mut first = true;
        for flow in flows {
            for (region, name) in &flow.manual_stacks {
                if let Some(idx) = self
                    .stacks
                    .iter()
                    .position(|s| s.region == *region && s.name == *name)
                {
                    let when = if first { at(17) } else { at(24) };
                    first = false;
                    self.manual_deploys.push((idx, when));
                }
            }
        }
    }

    /// Steps the world one second at a time up to `t`; never goes back.
    pub fn advance_to(&mut self, t: Timestamp) {
        while self.now + SignedDuration::from_secs(1) <= t {
            self.now += SignedDuration::from_secs(1);
            self.tick();
        }
    }

    fn tick(&mut self) {
        let now = self.now;
        let mut handoffs = Vec::new();
        for i in 0..self.pipelines.len() {
            let mut own = self.pipelines[i].own_rng.take();
            let rng = own.as_mut().unwrap_or(&mut self.rng);
            if let Some(h) = self.pipelines[i].tick(now, &mut self.stacks, rng) {
                handoffs.push(h);
            }
            self.pipelines[i].own_rng = own;
        }
        for h in handoffs {
            let delay = SignedDuration::from_secs(self.rng.range(20, 45));
            for p in self
                .pipelines
                .iter_mut()
                .filter(|p| p.upstream.as_deref() == Some(h.from.as_str()))
            {
                p.queued.push(PendingStart {
                    at: now + delay,
                    trigger: "CloudWatchEvent".to_string(),
                    revision_id: h.revision_id.clone().unwrap_or_default(),
                    summary: h.summary.clone().unwrap_or_default(),
                    fail_region: None,
                });
            }
        }
        self.fire_schedules();
        self.run_manual_deploys();
        for stack in &mut self.stacks {
            stack.tick(now);
        }
        for check in &mut self.checks {
            check.tick(now, &mut self.rng);
        }
        // Tables record a point once a minute; only then does it matter
        // which regions DNS has drained.
        let minute = now.as_second().rem_euclid(60) == 0;
        for i in 0..self.tables.len() {
            let drained = if minute {
                self.regions_out_of_dns(&self.tables[i].flow)
            } else {
                Vec::new()
            };
            self.tables[i].tick(now, &drained, &mut self.rng);
        }
    }

    /// Someone runs `cdk deploy` by hand now and then.
    fn run_manual_deploys(&mut self) {
        let now = self.now;
        for i in 0..self.manual_deploys.len() {
            let (idx, when) = self.manual_deploys[i];
            if when > now {
                continue;
            }
            let next = now + SignedDuration::from_mins(self.rng.range(30, 90));
            self.manual_deploys[i].1 = next;
            if self.stacks[idx].busy() {
                continue;
            }
            let fail = self.rng.chance(0.1);
            let duration = SignedDuration::from_secs(self.rng.range(60, 180));
            self.stacks[idx].begin_update(now, duration, fail, &mut self.rng);
        }
    }

    /// Regions of `flow`'s record set that Route53 no longer answers with.
    fn regions_out_of_dns(&self, flow: &str) -> Vec<String> {
        let Some(set) = self
            .record_sets
            .iter()
            .find(|s| s.flow.as_deref() == Some(flow))
        else {
            return Vec::new();
        };
        set.records
            .iter()
            .filter_map(|r| {
                let id = r.health_check_id.as_deref()?;
                let check = self.checks.iter().find(|c| c.id == id)?;
                (check.status(self.now) == HealthStatus::Unhealthy).then(|| r.region.clone())
            })
            .collect()
    }

    pub fn pipeline(&self, name: &str) -> Option<&PipelineSim> {
        self.pipelines.iter().find(|p| p.name() == name)
    }

    pub fn pipeline_mut(&mut self, name: &str) -> Option<&mut PipelineSim> {
        self.pipelines.iter_mut().find(|p| p.name() == name)
    }

    /// GetPipeline as CodePipeline would answer it.
    pub fn pipeline_doc(&self, name: &str) -> Option<GetPipelineOutput> {
        self.pipeline(name).map(PipelineSim::pipeline_doc)
    }

    /// GetPipelineState as CodePipeline would answer it.
    pub fn pipeline_state_doc(&self, name: &str) -> Option<GetPipelineStateOutput> {
        self.pipeline(name).map(PipelineSim::state_doc)
    }
}
