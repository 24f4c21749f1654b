//! The executions a pipeline ran before the simulation starts, so the
//! history list is never empty.

use jiff::{SignedDuration, Timestamp};

use super::pipeline::PipelineSim;
use super::rng::SimRng;
use crate::domain::fleet::{Execution, ExecutionStatus};

const PAST_EXECUTIONS: usize = 10;

/// Fills `p`'s history with executions ending before `before`, the newest
/// one a success whose state the pipeline still shows.
pub fn seed(p: &mut PipelineSim, before: Timestamp, rng: &mut SimRng) {
    let mut end = before - SignedDuration::from_mins(rng.range(20, 90));
    let mut past = Vec::new();
    let name = p.shared_name();
    for i in 0..PAST_EXECUTIONS {
        let status = if i == 0 {
            ExecutionStatus::Succeeded
        } else {
            match rng.range(0, 99) {
                0..=69 => ExecutionStatus::Succeeded,
                70..=81 => ExecutionStatus::Failed,
                82..=91 => ExecutionStatus::Superseded,
                _ => ExecutionStatus::Stopped,
            }
        };
        let started = end - SignedDuration::from_mins(rng.range(8, 40));
        let trigger = match rng.range(0, 9) {
            0..=5 => "Webhook",
            6..=8 => "StartPipelineExecution",
            _ => "CloudWatchEvent",
        };
        let (rev, summary) = new_revision(rng);
        past.push(Execution {
            pipeline: name.clone(),
            id: rng.uuid().into(),
            status,
            trigger: trigger.into(),
            revision_id: Some(rev.into()),
            revision_summary: Some(summary.into()),
            started_at: started,
            updated_at: end,
            rollback: None,
        });
        end = started - SignedDuration::from_mins(rng.range(60, 6 * 60));
    }
    settle(p, past, rng);
}

/// A downstream pipeline's history: one execution per success upstream,
/// started by the event rule shortly after the artifact was replicated.
pub fn seed_downstream(p: &mut PipelineSim, upstream: &[Execution], rng: &mut SimRng) {
    let name = p.shared_name();
    let past: Vec<Execution> = upstream
        .iter()
        .filter(|e| e.status == ExecutionStatus::Succeeded)
        .map(|up| {
            let started = up.updated_at + SignedDuration::from_secs(rng.range(20, 50));
            Execution {
                pipeline: name.clone(),
                id: rng.uuid().into(),
                status: ExecutionStatus::Succeeded,
                trigger: "CloudWatchEvent".into(),
                revision_id: up.revision_id.clone(),
                revision_summary: up.revision_summary.clone(),
                started_at: started,
                updated_at: started + SignedDuration::from_mins(rng.range(3, 9)),
                rollback: None,
            }
        })
        .collect();
    settle(p, past, rng);
}

fn settle(p: &mut PipelineSim, past: Vec<Execution>, rng: &mut SimRng) {
    if let Some(newest) = past.first() {
        let (id, at) = (newest.id.clone(), newest.updated_at);
        p.executions = past;
        p.settle_from(&id, at, rng);
    }
}

const COMMIT_MESSAGES: [&str; 12] = [
    "Bump aws-cdk-lib to 2.170.0",
    "Add request id to error responses",
    "Raise Lambda memory to 1024 MB for cold starts",
    "Fix pagination token handling in list endpoint",
    "Tighten IAM policy for the handler role",
    "Add alarm on 5xx rate per region",
    "Cache JWKS for ten minutes",
    "Retry throttled DynamoDB writes with jitter",
    "Move feature flag defaults into config",
    "Log cold start duration",
    "Drop the legacy v1 route",
    "Upgrade runtime to nodejs22.x",
];

/// A git-like revision and its commit message.
pub fn new_revision(rng: &mut SimRng) -> (String, String) {
    (rng.hex(40), rng.pick(&COMMIT_MESSAGES).to_string())
}
