//! Acting on fresh state only. Several operators watch one fleet: between the
//! moment wavetop decided (the operator confirmed, or a headless command read
//! the fleet) and the call, someone else may have answered the gate, retried
//! the stage, held it, or drained another region. Right before the calls, the
//! runtime reads again what the decision rests on ([`Guard::read`]) and asks
//! [`recheck`] whether it still holds. If it does not, nothing is called and
//! the operator is told who changed what, and when.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::age::fmt_age;
use super::intent::Intent;
use crate::domain::conditions::{ConditionKind, ConditionStatus};
use crate::domain::failover::{plan_drain, plan_restore, record_set_label};
use crate::domain::fleet::{
    Action, ActionStatus, ExecutionStatus, Fleet, Flow, Health, RecordSet, Wave,
};
use crate::protocol::{Observation, PollKey};

/// What a confirmed intent rests on, and where to read it again.
#[derive(Debug, Clone, PartialEq)]
pub struct Guard {
    pub read: PollKey,
    pub expect: Expect,
}

/// The state a decision was made on.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// The manual gate is waiting for an answer.
    GateWaiting {
        pipeline: String,
        stage: String,
        action: String,
        region: String,
    },
    /// The stage failed in this execution and has not been retried since.
    StageFailed {
        pipeline: String,
        stage: String,
        execution_id: String,
    },
    /// The stage's inbound transition is enabled (to hold) or disabled (to release).
    Transition {
        pipeline: String,
        stage: String,
        enabled: bool,
    },
    /// The execution is still running (or, to abandon it, still stopping).
    Running {
        pipeline: String,
        execution_id: String,
        abandon: bool,
    },
    /// The stage still shows the execution it showed, and is not running.
    Rollback {
        pipeline: String,
        stage: String,
        from_execution_id: Option<String>,
        target_execution_id: String,
    },
    /// The stage condition still holds this execution (evaluating or failed).
    ConditionHeld {
        pipeline: String,
        stage: String,
        condition: ConditionKind,
        execution_id: String,
    },
    /// Draining the region would still invert exactly these checks (and be
    /// refused or not as it was).
    Drain {
        region: String,
        invert: Vec<String>,
        force: bool,
        record_sets: Vec<RecordSet>,
    },
    /// Restoring the region would still flip back exactly these checks.
    Restore {
        region: String,
        revert: Vec<String>,
        record_sets: Vec<RecordSet>,
    },
}

/// What was read again and found to hold: recorded in the audit line.
pub type StateRead = Value;

/// The guard of an intent, from the fleet the decision was made on.
pub fn guard_for(fleet: &Fleet, intent: &Intent) -> Guard {
    let flow_of = |pipeline: &str| PollKey::Flow {
        flow: fleet
            .flows
            .iter()
            .find(|f| f.pipelines.iter().any(|p| p.name == pipeline))
            .map(|f| f.name.clone())
            .unwrap_or_else(|| pipeline.to_string()),
    };
    match intent {
        Intent::Approve {
            pipeline,
            stage,
            action,
            region,
        }
        | Intent::Reject {
            pipeline,
            stage,
            action,
            region,
        }
        | Intent::ApproveAtWindow {
            pipeline,
            stage,
            action,
            region,
            ..
        } => Guard {
            read: flow_of(pipeline),
            expect: Expect::GateWaiting {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
                action: action.clone(),
                region: region.clone(),
            },
        },
        Intent::Retry {
            pipeline,
            stage,
            execution_id,
            ..
        } => Guard {
            read: flow_of(pipeline),
            expect: Expect::StageFailed {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
                execution_id: execution_id.clone(),
            },
        },
        // A hold needs the stage open; a release, or moving a hold's
        // schedule, needs it still held.
        Intent::Hold {
            pipeline, stage, ..
        }
        | Intent::Release {
            pipeline, stage, ..
        }
        | Intent::MoveHoldSchedule {
            pipeline, stage, ..
        } => Guard {
            read: flow_of(pipeline),
            expect: Expect::Transition {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
                enabled: matches!(intent, Intent::Hold { .. }),
            },
        },
        Intent::Stop {
            pipeline,
            execution_id,
            abandon,
        } => Guard {
            read: flow_of(pipeline),
            expect: Expect::Running {
                pipeline: pipeline.clone(),
                execution_id: execution_id.clone(),
                abandon: *abandon,
            },
        },
        Intent::Rollback {
            pipeline,
            stage,
            target_execution_id,
            ..
        } => Guard {
            read: flow_of(pipeline),
            expect: Expect::Rollback {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
                from_execution_id: find_wave_in(fleet, pipeline, stage)
                    .and_then(|w| w.execution_id.clone()),
                target_execution_id: target_execution_id.clone(),
            },
        },
        Intent::OverrideCondition {
            pipeline,
            stage,
            execution_id,
            condition,
            ..
        } => Guard {
            read: flow_of(pipeline),
            expect: Expect::ConditionHeld {
                pipeline: pipeline.clone(),
                stage: stage.clone(),
                condition: *condition,
                execution_id: execution_id.clone(),
            },
        },
        Intent::Drain {
            region,
            health_check_ids,
            force,
        } => Guard {
            read: PollKey::Health,
            expect: Expect::Drain {
                region: region.clone(),
                invert: health_check_ids.clone(),
                force: *force,
                record_sets: fleet.health.record_sets.clone(),
            },
        },
        Intent::Restore {
            region,
            health_check_ids,
        } => Guard {
            read: PollKey::Health,
            expect: Expect::Restore {
                region: region.clone(),
                revert: health_check_ids.clone(),
                record_sets: fleet.health.record_sets.clone(),
            },
        },
    }
}

fn find_wave_in<'a>(fleet: &'a Fleet, pipeline: &str, stage: &str) -> Option<&'a Wave> {
    fleet
        .flows
        .iter()
        .flat_map(|f| f.waves.iter())
        .find(|w| w.pipeline == pipeline && w.name == stage)
}

fn find_wave<'a>(flow: &'a Flow, pipeline: &str, stage: &str) -> Result<&'a Wave, String> {
    flow.waves
        .iter()
        .find(|w| w.pipeline == pipeline && w.name == stage)
        .ok_or_else(|| format!("{pipeline} has no stage {stage} any more"))
}

/// Whether the decision still holds on the fresh observation: what was read
/// (for the audit line), or why nothing may be called.
pub fn recheck(expect: &Expect, fresh: &Observation, now: Timestamp) -> Result<StateRead, String> {
    match (expect, fresh) {
        (Expect::Drain { .. } | Expect::Restore { .. }, Observation::Health { checks }) => {
            recheck_dns(expect, checks)
        }
        (_, Observation::Flow(flow)) => recheck_flow(expect, flow, now),
        _ => Err("the fresh read answered about something else; nothing was called".into()),
    }
}

fn recheck_flow(expect: &Expect, flow: &Flow, now: Timestamp) -> Result<StateRead, String> {
    match expect {
        Expect::GateWaiting {
            pipeline,
            stage,
            action,
            region,
        } => {
            let wave = find_wave(flow, pipeline, stage)?;
            let gate = wave
                .cell(region)
                .and_then(|c| c.actions.iter().find(|a| a.name == *action))
                .ok_or_else(|| format!("{stage} has no gate {action} in {region} any more"))?;
            let token_present = gate.approval.as_ref().is_some_and(|a| a.token_present);
            if gate.status == ActionStatus::InProgress && token_present {
                return Ok(json!({
                    "stage_execution_id": wave.execution_id,
                    "gate": action,
                    "gate_status": "InProgress",
                    "token_present": true,
                }));
            }
            let what = match gate.status {
                ActionStatus::Succeeded => "was approved",
                ActionStatus::Failed => "was rejected",
                ActionStatus::Abandoned => "was abandoned",
                ActionStatus::NotStarted => "is not waiting (the execution moved on)",
                ActionStatus::InProgress => "has no approval token right now",
            };
            Err(format!(
                "the gate {stage} / {action} in {region} {what}{}",
                by_whom(gate.updated_by.as_deref(), gate.ended_at, now)
            ))
        }
        Expect::StageFailed {
            pipeline,
            stage,
            execution_id,
        } => {
            let wave = find_wave(flow, pipeline, stage)?;
            let failed = wave.stage_status == Some(crate::domain::fleet::StageStatus::Failed);
            let same = wave.execution_id.as_deref() == Some(execution_id.as_str());
            if failed && same {
                return Ok(json!({
                    "stage_execution_id": execution_id,
                    "stage_status": "Failed",
                }));
            }
            let (who, when) = latest_change(wave);
            Err(format!(
                "{stage} is now {} in execution {} (it had failed in {execution_id}){}",
                stage_status_word(wave),
                wave.execution_id.as_deref().unwrap_or("unknown"),
                by_whom(who, when, now)
            ))
        }
        Expect::Transition {
            pipeline,
            stage,
            enabled,
        } => {
            let wave = find_wave(flow, pipeline, stage)?;
            let t = &wave.transition;
            if t.enabled == *enabled {
                return Ok(json!({
                    "transition_enabled": t.enabled,
                    "changed_by": t.changed_by,
                    "changed_at": t.changed_at,
                    "disabled_reason": t.disabled_reason,
                }));
            }
            let by = by_whom(t.changed_by.as_deref(), t.changed_at, now);
            Err(if t.enabled {
                format!("{stage} was already released{by}")
            } else {
                format!(
                    "{stage} was already held{by}{}",
                    t.disabled_reason
                        .as_deref()
                        .map(|r| format!(": \"{r}\""))
                        .unwrap_or_default()
                )
            })
        }
        Expect::Running {
            pipeline,
            execution_id,
            abandon,
        } => {
            // A stopping execution can still be abandoned.
            let stoppable = |s: ExecutionStatus| {
                s == ExecutionStatus::InProgress || (*abandon && s == ExecutionStatus::Stopping)
            };
            let listed = flow
                .executions
                .iter()
                .find(|e| e.pipeline == *pipeline && e.id == *execution_id);
            let running_in_a_stage = flow.waves.iter().any(|w| {
                w.pipeline == *pipeline
                    && w.execution_id.as_deref() == Some(execution_id.as_str())
                    && w.stage_status == Some(crate::domain::fleet::StageStatus::InProgress)
            });
            match listed {
                Some(e) if stoppable(e.status) => Ok(json!({
                    "execution_id": execution_id,
                    "execution_status": format!("{:?}", e.status),
                })),
                None if running_in_a_stage => Ok(json!({
                    "execution_id": execution_id,
                    "stage_status": "InProgress",
                })),
                other => {
                    let status = other
                        .map(|e| format!("{:?}", e.status))
                        .unwrap_or_else(|| "no longer listed".to_string());
                    let superseding = flow
                        .executions
                        .iter()
                        .find(|e| {
                            e.pipeline == *pipeline
                                && e.status == ExecutionStatus::InProgress
                                && e.id != *execution_id
                        })
                        .map(|e| format!("; {} runs now", e.id))
                        .unwrap_or_default();
                    Err(format!(
                        "execution {execution_id} of {pipeline} is {status}{superseding}"
                    ))
                }
            }
        }
        Expect::Rollback {
            pipeline,
            stage,
            from_execution_id,
            target_execution_id,
        } => {
            let wave = find_wave(flow, pipeline, stage)?;
            if wave.execution_id != *from_execution_id {
                let (who, when) = latest_change(wave);
                return Err(format!(
                    "{stage} now shows execution {} (it showed {} when you decided){}",
                    wave.execution_id.as_deref().unwrap_or("none"),
                    from_execution_id.as_deref().unwrap_or("none"),
                    by_whom(who, when, now)
                ));
            }
            if wave.stage_status == Some(crate::domain::fleet::StageStatus::InProgress) {
                return Err(format!(
                    "{stage} is running again; roll back once it has finished"
                ));
            }
            Ok(json!({
                "stage_execution_id": wave.execution_id,
                "stage_status": stage_status_word(wave),
                "target_execution_id": target_execution_id,
            }))
        }
        Expect::ConditionHeld {
            pipeline,
            stage,
            condition,
            execution_id,
        } => recheck_condition(find_wave(flow, pipeline, stage)?, *condition, execution_id),
        Expect::Drain { .. } | Expect::Restore { .. } => {
            Err("the fresh read answered about something else; nothing was called".into())
        }
    }
}

/// An override goes out only while the condition still holds the same
/// execution: someone may have overridden it, or it may have passed.
fn recheck_condition(
    wave: &Wave,
    condition: ConditionKind,
    execution_id: &str,
) -> Result<StateRead, String> {
    let set = wave
        .conditions
        .as_ref()
        .and_then(|c| c.set(condition))
        .ok_or_else(|| {
            format!(
                "{} has no {} condition any more",
                wave.name,
                condition.label()
            )
        })?;
    let held = matches!(
        set.status,
        Some(ConditionStatus::InProgress | ConditionStatus::Failed | ConditionStatus::Errored)
    );
    let same = set.execution_id.as_deref() == Some(execution_id);
    if held && same {
        return Ok(json!({
            "condition": condition.api_name(),
            "condition_status": set.status.map(ConditionStatus::word),
            "execution_id": execution_id,
        }));
    }
    Err(format!(
        "the {} condition of {} is now {} for execution {} (it held {execution_id} when you decided)",
        condition.label(),
        wave.name,
        set.status.map(ConditionStatus::word).unwrap_or("unknown"),
        set.execution_id.as_deref().unwrap_or("none"),
    ))
}

fn recheck_dns(
    expect: &Expect,
    checks: &[crate::domain::fleet::HealthCheck],
) -> Result<StateRead, String> {
    let (region, record_sets) = match expect {
        Expect::Drain {
            region,
            record_sets,
            ..
        }
        | Expect::Restore {
            region,
            record_sets,
            ..
        } => (region, record_sets),
        _ => unreachable!("only DNS expectations reach here"),
    };
    let health = Health {
        checks: checks.to_vec(),
        record_sets: record_sets.clone(),
    };
    let read = dns_state_read(&health, region);
    match expect {
        Expect::Drain { invert, force, .. } => {
            let plan = plan_drain(&health, region);
            let same_checks = plan.invert == *invert;
            let still_allowed = !plan.is_refused() || *force;
            if same_checks && still_allowed {
                return Ok(read);
            }
            let mut now_plan = Vec::new();
            if plan.invert.is_empty() {
                now_plan.push("it would invert nothing".to_string());
            } else if !same_checks {
                now_plan.push(format!(
                    "it would invert {} instead of {}",
                    plan.invert.join(", "),
                    invert.join(", ")
                ));
            }
            for refusal in &plan.refusals {
                now_plan.push(format!("refused: {}", refusal.describe()));
            }
            now_plan.extend(plan.warnings.iter().cloned());
            Err(format!(
                "the drain plan for {region} changed since it was confirmed: {}",
                now_plan.join(" | ")
            ))
        }
        Expect::Restore { revert, .. } => {
            let plan = plan_restore(&health, region);
            if plan.revert == *revert {
                return Ok(read);
            }
            Err(format!(
                "the restore plan for {region} changed since it was confirmed: it would now flip \
                 back {} instead of {}",
                if plan.revert.is_empty() {
                    "nothing".to_string()
                } else {
                    plan.revert.join(", ")
                },
                revert.join(", ")
            ))
        }
        _ => unreachable!("only DNS expectations reach here"),
    }
}

/// The flags and metric of every check in the record sets the region is in.
fn dns_state_read(health: &Health, region: &str) -> StateRead {
    let sets: Vec<&RecordSet> = health
        .record_sets
        .iter()
        .filter(|s| s.records.iter().any(|r| r.region == region))
        .collect();
    let checks: Vec<Value> = sets
        .iter()
        .flat_map(|s| s.records.iter())
        .filter_map(|r| r.health_check_id.as_deref().map(|id| (r, id)))
        .map(|(r, id)| match health.check(id) {
            Some(c) => json!({
                "id": id,
                "region": r.region,
                "inverted": c.inverted,
                "disabled": c.disabled,
                "metric": c.metric_status(),
                "metric_at": c.status_at,
            }),
            None => json!({ "id": id, "region": r.region, "read": false }),
        })
        .collect();
    json!({
        "record_sets": sets.iter().map(|s| record_set_label(s)).collect::<Vec<_>>(),
        "checks": checks,
    })
}

/// The most recent change someone made to a wave's actions.
fn latest_change(wave: &Wave) -> (Option<&str>, Option<Timestamp>) {
    wave.cells
        .iter()
        .flat_map(|c| c.actions.iter())
        .filter(|a| a.updated_by.is_some())
        .max_by_key(|a| changed_at(a))
        .map(|a| (a.updated_by.as_deref(), changed_at(a)))
        .unwrap_or((None, None))
}

fn changed_at(a: &Action) -> Option<Timestamp> {
    a.ended_at.or(a.started_at)
}

fn stage_status_word(wave: &Wave) -> String {
    wave.stage_status
        .map(|s| format!("{s:?}"))
        .unwrap_or_else(|| "not started".to_string())
}

/// " by NAME at TIME (N min ago)", with whatever of it is known.
pub fn by_whom(who: Option<&str>, when: Option<Timestamp>, now: Timestamp) -> String {
    let mut out = String::new();
    if let Some(who) = who {
        out.push_str(&format!(" by {who}"));
    }
    if let Some(when) = when {
        let ago = (now.as_second() - when.as_second()).max(0);
        out.push_str(&format!(
            " at {} ({} ago)",
            when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            fmt_age(ago)
        ));
    }
    out
}
