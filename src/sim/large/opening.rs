//! How a world of the large fleet opens. Each period starts from scratch
//! (see `crate::sim::days`), so the opening itself must look like a fleet
//! caught at any moment: about a quarter of the flows mid-flight at some
//! wave, a few of those heading for a failure, some waves held (a few until
//! a window), some regions drained out of DNS, the rest due to start at
//! spread-out times, and the hand-deployed stacks redeployed now and then.

use jiff::{SignedDuration, Timestamp};

use crate::domain::attribution::runs_in;
use crate::domain::fleet::RoutingPolicy;
use crate::domain::hold_reason::encode_hold;
use crate::domain::pipeline_doc::{ActionExecution, StageExecution, TransitionState};
use crate::sim::history::new_revision;
use crate::sim::pipeline::{PipelineSim, epoch};
use crate::sim::rng::SimRng;
use crate::sim::run_state::RunState;
use crate::sim::shared_strings::SharedId;
use crate::sim::spec::FlowSpec;
use crate::sim::world::SimWorld;

/// Share of flows with an execution under way when the world opens.
const MOVING: f64 = 0.3;
/// Share of the moving executions whose deployment fails in their wave.
const FAILING: f64 = 0.15;
/// Share of flows with a wave held.
const HELD: f64 = 0.06;
/// How many latency record sets have one region drained.
const DRAINED_SETS: usize = 3;
/// About how long an execution takes per stage it has already passed.
const PER_STAGE: SignedDuration = SignedDuration::from_mins(6);

/// On-call engineers who place holds, and why.
const HOLDERS: [&str; 4] = ["OnCall.dana", "OnCall.eli", "OnCall.farah", "OnCall.gus"];
const HOLD_NOTES: [&str; 4] = [
    "waiting for CAB",
    "regional change freeze",
    "bake the canary overnight",
    "partner maintenance window",
];

pub fn script(world: &mut SimWorld, flows: &[FlowSpec]) {
    let origin = world.now;
    for flow in flows {
        let indices: Vec<usize> = flow
            .pipelines
            .iter()
            .filter_map(|p| world.pipelines.iter().position(|q| q.name() == p.decl.name))
            .collect();
        let Some(&head) = indices.first() else {
            continue;
        };
        let rng = &mut world.rng;
        let moving = rng.chance(MOVING);
        let held = rng.chance(HELD);
        if moving {
            let which = *rng.pick(&indices);
            let failing = rng.chance(FAILING);
            let p = &mut world.pipelines[which];
            mid_flight(p, origin, failing, rng);
            // The run waits before the next wave it would deploy.
            let next_wave = p
                .run
                .as_ref()
                .and_then(|run| waves(p).into_iter().find(|&s| s >= run.stage));
            if held && let Some(s) = next_wave {
                hold(p, s, origin, rng);
            }
        } else if held {
            let p = &mut world.pipelines[head];
            if let Some(&s) = waves(p).last() {
                hold(p, s, origin, rng);
            }
        }
        // Every idle pipeline that starts on a commit gets its next one
        // within its usual pause, so starts arrive at the steady rate.
        for &i in &indices {
            let p = &mut world.pipelines[i];
            if p.upstream.is_none() && p.run.is_none() {
                let (lo, hi) = p.pace.after_success_secs;
                let next = rng.range(60, (lo + hi) / 2);
                p.next_auto_start = Some(origin + SignedDuration::from_secs(next));
            }
        }
    }
    drain_some_regions(world, origin);
    let by_hand: Vec<&str> = flows
        .iter()
        .filter(|f| !f.manual_stacks.is_empty())
        .map(|f| f.name.as_str())
        .collect();
    for (idx, stack) in world.stacks.iter().enumerate() {
        if by_hand.contains(&stack.flow.as_str()) {
            let at = origin + SignedDuration::from_mins(world.rng.range(5, 90));
            world.manual_deploys.push((idx, at));
        }
    }
}

/// Starts an execution that has already passed some stages: it runs from
/// a random stage after the source, the stages before it succeeded under
/// the same execution.
fn mid_flight(p: &mut PipelineSim, now: Timestamp, failing: bool, rng: &mut SimRng) {
    let last = p.stages.len() - 1;
    let from = rng.range(1, last as i64) as usize;
    let fail_region = failing.then(|| deploy_region(p, from, rng)).flatten();
    let rate = if fail_region.is_some() {
        0.0
    } else {
        p.pace.update_failure_rate
    };
    let trigger = if p.upstream.is_some() {
        "CloudWatchEvent"
    } else {
        "Webhook"
    };
    let (rev, summary) = new_revision(rng);
    let id = p.start_execution(
        now,
        trigger,
        &rev,
        &summary,
        (from, last),
        rate,
        fail_region,
        rng,
    );
    // It started before the stages it has passed, after the one before it.
    let previous_end = p.executions.get(1).map(|e| e.updated_at);
    let mut started = now - PER_STAGE * from as i32;
    if let Some(end) = previous_end {
        started = started.max(end + SignedDuration::from_mins(1));
    }
    if let Some(e) = p.execution_mut(&id) {
        e.started_at = started.min(now);
    }
    for (s, stage) in p.stages.iter_mut().enumerate().take(from) {
        let done = now - PER_STAGE * (from - s) as i32;
        stage.latest = Some(StageExecution {
            pipeline_execution_id: id.clone(),
            status: "Succeeded".to_string(),
        });
        let shared = SharedId::from(id.as_str());
        for action in &mut stage.actions {
            action.execution_id = Some(shared.clone());
            action.job = None;
            action.state = Some(RunState::from(ActionExecution {
                action_execution_id: Some(rng.uuid()),
                percent_complete: Some(100),
                ..ActionExecution::with_status("Succeeded", epoch(done.max(started)))
            }));
        }
    }
}

/// The stages that deploy stacks: the waves a hold is placed on.
fn waves(p: &PipelineSim) -> Vec<usize> {
    (1..p.decl.stages.len())
        .filter(|&s| {
            p.decl.stages[s]
                .actions
                .iter()
                .any(|a| a.configuration.contains_key("StackName"))
        })
        .collect()
}

/// A region stage `s` deploys a stack to, if any.
fn deploy_region(p: &PipelineSim, s: usize, rng: &mut SimRng) -> Option<String> {
    let regions: Vec<&str> = p.decl.stages[s]
        .actions
        .iter()
        .filter(|a| a.configuration.contains_key("StackName"))
        .map(|a| runs_in(a, &p.home_region))
        .collect();
    (!regions.is_empty()).then(|| rng.pick(&regions).to_string())
}

/// Disables stage `s`'s inbound transition the way `wavetop hold` does;
/// every other hold runs until a window some hours ahead.
fn hold(p: &mut PipelineSim, s: usize, now: Timestamp, rng: &mut SimRng) {
    let until = rng.chance(0.5).then(|| {
        let hours = now + SignedDuration::from_hours(rng.range(1, 9));
        Timestamp::from_second(hours.as_second() - hours.as_second().rem_euclid(3600))
            .unwrap_or(hours)
    });
    let by = *rng.pick(&HOLDERS);
    let note = *rng.pick(&HOLD_NOTES);
    let mut regions: Vec<String> = Vec::new();
    for a in &p.decl.stages[s].actions {
        let region = runs_in(a, &p.home_region);
        if !regions.iter().any(|r| r == region) {
            regions.push(region.to_string());
        }
    }
    let placed = now - SignedDuration::from_mins(rng.range(5, 120));
    if let Some(stage) = p.stages.get_mut(s) {
        stage.transition = Some(TransitionState {
            enabled: false,
            last_changed_by: Some(format!(
                "arn:aws:sts::{}:assumed-role/OnCall/{}",
                p.account_id,
                by.trim_start_matches("OnCall.")
            )),
            last_changed_at: epoch(placed),
            disabled_reason: Some(encode_hold(until, by, note, &regions)),
        });
    }
}

/// Takes one region of a few latency record sets out of DNS, as an
/// operator's drain does: its health check inverted a while ago.
fn drain_some_regions(world: &mut SimWorld, now: Timestamp) {
    let latency: Vec<usize> = world
        .record_sets
        .iter()
        .enumerate()
        .filter(|(_, s)| s.policy == RoutingPolicy::Latency && s.records.len() > 2)
        .map(|(i, _)| i)
        .collect();
    for _ in 0..DRAINED_SETS {
        let set = &world.record_sets[*world.rng.pick(&latency)];
        let record = world.rng.pick(&set.records);
        let Some(id) = record.health_check_id.clone() else {
            continue;
        };
        let since = now - SignedDuration::from_mins(world.rng.range(30, 240));
        if let Some(check) = world.checks.iter_mut().find(|c| c.id == id) {
            check.set_inverted(true, since);
        }
    }
}
