//! The large fleet keeps its promises: the counts, a realistic mix at any
//! moment, and the same world for the same seed and offset.

use std::collections::{BTreeMap, BTreeSet};

use jiff::SignedDuration;

use super::{ACCOUNTS, PERIOD, regions, spec};
use crate::domain::attribution::runs_in;
use crate::domain::fleet::ExecutionStatus;
use crate::domain::hold_reason::decode_hold;
use crate::sim::days::fleet_world_at;
use crate::sim::fleet_size::FleetSize;
use crate::sim::spec::{health_checks, stacks};
use crate::sim::world::SimWorld;

fn mins(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

fn large_at(seed: u64, at: SignedDuration) -> SimWorld {
    fleet_world_at(FleetSize::Large, seed, at)
}

#[test]
fn the_large_fleet_has_200_pipelines_25_regions_3_accounts_400_checks_10_tables() {
    let fleet = spec();
    let pipelines: Vec<_> = fleet.flows.iter().flat_map(|f| &f.pipelines).collect();
    assert_eq!(pipelines.len(), 200);
    let names: BTreeSet<&str> = pipelines.iter().map(|p| p.decl.name.as_str()).collect();
    assert_eq!(names.len(), 200, "pipeline names are unique");
    let accounts: BTreeSet<&str> = pipelines.iter().map(|p| p.account.as_str()).collect();
    assert_eq!(accounts.len(), ACCOUNTS.len());
    assert_eq!(accounts.len(), 3);

    let listed: BTreeSet<&str> = regions().collect();
    assert_eq!(listed.len(), 25);
    let deployed: BTreeSet<String> = stacks(&fleet.flows).into_iter().map(|s| s.region).collect();
    assert_eq!(deployed.len(), 25, "every region has stacks: {deployed:?}");
    assert!(deployed.iter().all(|r| listed.contains(r.as_str())));

    // No two services deploy the same stack.
    let mut owner: BTreeMap<(String, String), &str> = BTreeMap::new();
    for flow in &fleet.flows {
        for p in &flow.pipelines {
            for a in p.decl.stages.iter().flat_map(|s| &s.actions) {
                if let Some(stack) = a.configuration.get("StackName") {
                    let key = (runs_in(a, &p.home_region).to_string(), stack.to_string());
                    let first = *owner.entry(key.clone()).or_insert(&flow.name);
                    assert_eq!(first, flow.name, "{key:?} deployed by two flows");
                }
            }
        }
    }

    let checks = health_checks(&fleet.record_sets);
    assert_eq!(checks.len(), 400);
    let ids: BTreeSet<&str> = checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 400, "health check ids are unique");
    assert_eq!(fleet.tables.len(), 10);
    for t in &fleet.tables {
        assert!(t.replicas.len() >= 3 && t.replicas.contains(&t.source_region));
    }
}

/// The wave pipelines deploy the canary region first and every region
/// once, wave by wave.
#[test]
fn wave_pipelines_deploy_a_canary_then_every_region_once() {
    let fleet = spec();
    let api = fleet
        .flows
        .iter()
        .find(|f| f.name == "catalog-api")
        .expect("catalog-api");
    let waves: Vec<&str> = api.pipelines[0]
        .decl
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .skip_while(|s| *s != "Canary")
        .collect();
    assert_eq!(
        waves,
        [
            "Canary",
            "Americas",
            "Europe",
            "MiddleEastAfrica",
            "AsiaPacific"
        ]
    );
    let chained = fleet
        .flows
        .iter()
        .find(|f| f.pipelines.len() == 2)
        .expect("a chained flow");
    assert_eq!(
        chained.pipelines[1].upstream.as_deref(),
        Some(chained.pipelines[0].decl.name.as_str())
    );
}

/// What a fleet-wide glance would count at one moment.
struct Mix {
    moving: usize,
    waiting_gates: usize,
    failed: usize,
    held: usize,
    held_until: usize,
    drained: usize,
}

fn mix(w: &SimWorld) -> Mix {
    let latest_status =
        |p: &crate::sim::pipeline::PipelineSim| p.executions.first().map(|e| e.status);
    let transitions = || {
        w.pipelines
            .iter()
            .flat_map(|p| p.stages.iter().filter_map(|s| s.transition.as_ref()))
            .filter(|t| !t.enabled)
    };
    Mix {
        moving: w.pipelines.iter().filter(|p| p.run.is_some()).count(),
        waiting_gates: w
            .pipelines
            .iter()
            .flat_map(|p| p.stages.iter().flat_map(|s| &s.actions))
            .filter(|a| {
                a.state
                    .as_ref()
                    .is_some_and(|s| s.status() == "InProgress" && s.has_token())
            })
            .count(),
        failed: w
            .pipelines
            .iter()
            .filter(|p| latest_status(p) == Some(ExecutionStatus::Failed))
            .count(),
        held: transitions().count(),
        held_until: transitions()
            .filter_map(|t| t.disabled_reason.as_deref().and_then(decode_hold))
            .filter(|h| h.until.is_some())
            .count(),
        drained: w.checks.iter().filter(|c| c.inverted).count(),
    }
}

#[test]
fn about_a_quarter_moves_with_gates_failures_holds_and_drains_at_any_moment() {
    // Early and late in a period, and in a period far into the fleet's life
    // (reached at the cost of one period, see sim::days).
    for at in [
        mins(10),
        mins(100),
        SignedDuration::from_hours(24 * 200) + mins(40),
    ] {
        let w = large_at(1, at);
        let m = mix(&w);
        let share = m.moving as f64 / w.pipelines.len() as f64;
        assert!(
            (0.15..=0.4).contains(&share),
            "{at:?}: {} of {} pipelines moving",
            m.moving,
            w.pipelines.len()
        );
        assert!(
            m.waiting_gates >= 5,
            "{at:?}: {} gates waiting",
            m.waiting_gates
        );
        assert!(m.failed >= 2, "{at:?}: {} failed", m.failed);
        assert!(m.held >= 3, "{at:?}: {} holds", m.held);
        assert!(m.held_until >= 1, "{at:?}: no hold until a window");
        assert!(m.drained >= 2, "{at:?}: {} regions drained", m.drained);
    }
}

#[test]
fn the_same_seed_and_offset_give_the_same_large_world() {
    let at = mins(6);
    let a = large_at(4, at);
    assert!(a == large_at(4, at), "same seed, same world");
    assert!(a != large_at(5, at), "another seed, another world");
    // A later offset in the same period is the same world stepped on.
    let mut stepped = large_at(4, mins(2));
    stepped.advance_to(a.now);
    assert!(stepped == a);
    assert!(PERIOD > at);
}
