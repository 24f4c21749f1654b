//! The demo's two V2 pipelines held by stage conditions: `checkout`, whose
//! global wave waits for a DeploymentWindow (04:00 to 06:00 UTC, two hours
//! after the demo opens), and `search`, whose Americas wave watches an alarm
//! that is in ALARM and fails unless an operator overrides the condition.
//!
//! They join the world after the rest of the demo is drawn, each with draws
//! of its own, so every other flow plays out exactly as it did without them.

use jiff::{SignedDuration, Timestamp};

use super::declarations::{Place, cfn, codebuild, decl, github_source, stage};
use super::history::{new_revision, seed};
use super::pipeline::PipelineSim;
use super::rng::SimRng;
use super::spec::{ACCOUNT, FlowSpec, PipelineSpec, stacks};
use super::stacks::StackSim;
use super::world::{FlowEntry, SimWorld};
use crate::domain::condition_doc::{
    FailureConditionsDoc, RetryConfigurationDoc, RuleDeclarationDoc,
};
use crate::domain::conditions::one_condition;
use crate::domain::fleet::FlowKind;
use crate::domain::pipeline_doc::{PipelineDeclaration, StageDeclaration};

/// Mixed into the seed for these pipelines' own draws.
const OWN_DRAWS: u64 = 0x5EED_C0DE_0000_0001;

fn rule(name: &str, provider: &str, config: &[(&str, &str)]) -> RuleDeclarationDoc {
    RuleDeclarationDoc::aws(name, provider, config)
}

/// A stage deploying `stack` to each region, change set then execution.
fn deploy_stage(name: &str, service: &str, regions: &[&str], home: &str) -> StageDeclaration {
    let mut actions = Vec::new();
    for region in regions {
        let place = Place {
            region,
            home,
            account: ACCOUNT,
        };
        let stack = format!("{service}-{region}");
        actions.push(cfn(
            &format!("{region}.Prepare"),
            1,
            place,
            &stack,
            "CHANGE_SET_REPLACE",
        ));
        actions.push(cfn(
            &format!("{region}.Deploy"),
            2,
            place,
            &stack,
            "CHANGE_SET_EXECUTE",
        ));
    }
    stage(name, actions)
}

fn v2(name: &str, stages: Vec<StageDeclaration>) -> PipelineDeclaration {
    let mut all = vec![
        github_source(ACCOUNT, name),
        stage(
            "Build",
            vec![codebuild("Build", &format!("{name}-build"), 1)],
        ),
    ];
    all.extend(stages);
    decl(ACCOUNT, name, "V2", "QUEUED", all)
}

pub(super) fn checkout(home: &str) -> PipelineDeclaration {
    let canary = deploy_stage("Canary", "checkout", &["us-west-2"], home);
    let mut global = deploy_stage(
        "Global",
        "checkout",
        &["eu-central-1", "ap-northeast-1"],
        home,
    );
    global.conditions.before_entry = Some(one_condition(
        "FAIL",
        vec![rule(
            "OffPeakWindow",
            "DeploymentWindow",
            &[("Cron", "* 4-5 ? * * *"), ("TimeZone", "UTC")],
        )],
    ));
    global.conditions.on_failure = Some(FailureConditionsDoc {
        result: Some("ROLLBACK".into()),
        ..FailureConditionsDoc::default()
    });
    v2("checkout", vec![canary, global])
}

pub(super) fn search(home: &str) -> PipelineDeclaration {
    let europe = deploy_stage("Europe", "search", &["eu-west-1"], home);
    let mut americas = deploy_stage("Americas", "search", &["us-east-1", "sa-east-1"], home);
    americas.conditions.before_entry = Some(one_condition(
        "FAIL",
        vec![rule(
            "EuropeQuiet",
            "CloudWatchAlarm",
            &[
                ("AlarmName", "search-eu-west-1-p99-latency"),
                ("WaitTime", "15"),
            ],
        )],
    ));
    americas.conditions.on_failure = Some(FailureConditionsDoc {
        result: Some("RETRY".into()),
        retry_configuration: Some(RetryConfigurationDoc {
            retry_mode: Some("FAILED_ACTIONS".into()),
        }),
        conditions: Vec::new(),
    });
    v2("search", vec![europe, americas])
}

pub fn flows() -> Vec<FlowSpec> {
    let flow = |name: &str, home: &str, declare: fn(&str) -> PipelineDeclaration| {
        let mut pipeline = PipelineSpec::homed(home, declare, None);
        // Their conditions are what these pipelines show: no stack update
        // fails to get in the way.
        pipeline.pace.update_failure_rate = 0.0;
        FlowSpec {
            name: name.into(),
            kind: FlowKind::Pipeline,
            pipelines: vec![pipeline],
            manual_stacks: vec![],
        }
    };
    vec![
        flow("checkout", "us-west-2", checkout),
        flow("search", "eu-west-1", search),
    ]
}

impl SimWorld {
    /// Adds the condition-held pipelines at `origin`, each starting an
    /// execution a few minutes in.
    pub(super) fn add_condition_flows(&mut self, origin: Timestamp) {
        let flows = flows();
        for (n, flow) in flows.iter().enumerate() {
            let mut rng = SimRng::new(self.seed ^ OWN_DRAWS.wrapping_mul(n as u64 + 1));
            for p in &flow.pipelines {
                let created = origin - SignedDuration::from_hours(24 * 90);
                let mut sim = PipelineSim::new(&flow.name, p, created);
                seed(&mut sim, origin, &mut rng);
                let (rev, summary) = new_revision(&mut rng);
                let start = origin + SignedDuration::from_mins(2 + 6 * n as i64);
                sim.queued.push(super::pipeline::PendingStart {
                    at: start,
                    trigger: "Webhook".into(),
                    revision_id: rev,
                    summary,
                    fail_region: None,
                });
                // A stream of its own: a copy of `rng` would repeat the
                // draws its stacks' opening updates take next.
                sim.own_rng = Some(SimRng::new(rng.next_u64()));
                self.pipelines.push(sim);
            }
            for spec in stacks(std::slice::from_ref(flow)) {
                let mut stack = StackSim::new(&spec);
                let at = origin - SignedDuration::from_mins(rng.range(30, 48 * 60));
                stack.begin_update(at, SignedDuration::from_secs(90), false, &mut rng);
                stack.tick(origin);
                self.stacks.push(stack);
            }
            self.flows.push(FlowEntry {
                name: flow.name.clone(),
                kind: flow.kind,
                pipelines: flow.pipelines.iter().map(|p| p.decl.name.clone()).collect(),
            });
        }
    }
}
