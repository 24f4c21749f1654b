//! What is live where in the simulated fleet: each region runs what its
//! deploy actions last deployed successfully. A wave part-way leaves its
//! early regions on the new commit and the later ones on older ones; a
//! failed region stays behind until a later execution gets through.

use jiff::Timestamp;

use super::pipeline::PipelineSim;
use super::rng::SimRng;
use crate::domain::revisions::LiveRevision;

const AUTHORS: [&str; 6] = [
    "Ana Ribeiro",
    "Kenji Watanabe",
    "Priya Natarajan",
    "Tomasz Nowak",
    "Grace Okafor",
    "Lucas Martin",
];

/// The author of a simulated commit: the same for the same revision, so
/// every region and every poll agree.
pub fn author_of(revision_id: &str) -> &'static str {
    let seed = revision_id
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let picked: &&'static str = SimRng::new(seed).pick(&AUTHORS);
    picked
}

/// The revision live in each region the pipelines deploy to: the newest
/// successful run of a Deploy action there.
pub fn live_revisions(pipelines: &[&PipelineSim]) -> Vec<LiveRevision> {
    let mut newest: Vec<(String, &PipelineSim, &str, Timestamp)> = Vec::new();
    for &p in pipelines {
        for (decl, sim) in p.decl.stages.iter().zip(&p.stages) {
            for (action, state) in decl.actions.iter().zip(&sim.actions) {
                if &*action.action_type_id.category != "Deploy" {
                    continue;
                }
                let Some((execution, at)) = &state.last_success else {
                    continue;
                };
                let region = action.region.as_deref().unwrap_or(&p.home_region);
                match newest.iter_mut().find(|(r, ..)| r == region) {
                    Some(slot) if slot.3 < *at => {
                        slot.1 = p;
                        slot.2 = &**execution;
                        slot.3 = *at;
                    }
                    Some(_) => {}
                    None => newest.push((region.to_string(), p, &**execution, *at)),
                }
            }
        }
    }
    // The regions one execution deployed share its strings.
    let mut placed: Vec<LiveRevision> = Vec::with_capacity(newest.len());
    for (region, p, execution, at) in newest {
        let same = placed.iter().find(|l| l.execution_id == execution);
        let live = match same {
            Some(l) => LiveRevision {
                region: region.into(),
                live_since: Some(at),
                ..l.clone()
            },
            None => {
                let listed = p.executions.iter().find(|e| e.id == execution);
                let revision_id = listed.and_then(|e| e.revision_id.as_deref());
                LiveRevision {
                    region: region.into(),
                    execution_id: execution.into(),
                    author: revision_id.map(|r| author_of(r).into()),
                    revision_id: revision_id.map(Into::into),
                    summary: listed.and_then(|e| e.revision_summary.as_deref().map(Into::into)),
                    live_since: Some(at),
                }
            }
        };
        placed.push(live);
    }
    placed
}
