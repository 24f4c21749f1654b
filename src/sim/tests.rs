//! The simulated world over time, its determinism and its operate calls.

use jiff::SignedDuration;

use super::*;
use crate::domain::fleet::CellStatus;

#[test]
#[ignore = "prints the demo fleet for a look"]
fn dump_demo_fleet() {
    let fleet = fleet_at(1, SignedDuration::from_mins(10)).unwrap();
    for f in &fleet.flows {
        println!("== {} {:?} regions={:?}", f.name, f.kind, f.regions);
        for w in &f.waves {
            let cells: Vec<String> = w
                .cells
                .iter()
                .map(|c| {
                    format!(
                        "{}:{:?}[{}]",
                        c.region,
                        c.status(),
                        c.actions.iter().map(|a| format!("{}={:?}", a.name, a.status)).collect::<Vec<_>>().join(",")
                    )
                })
                .collect();
            println!("  {} ({}) {:?} {}", w.name, w.pipeline, w.stage_status, cells.join(" | "));
        }
        for e in f.executions.iter().take(4) {
            println!("  exec {} {} {:?} {} {}", e.pipeline, e.id, e.status, e.trigger, e.started_at);
        }
    }
    for s in &fleet.stacks {
        println!("stack {} {} {} events={}", s.region, s.name, s.status, s.events.len());
    }
    for c in &fleet.health.checks {
        println!("check {} {} {:?}", c.region, c.id, c.status);
    }
    let _ = CellStatus::Failed;
}
