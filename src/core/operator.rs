//! Turning an operator action on the current selection into an intent, or
//! saying plainly why it cannot apply here.

use super::action::ActionName;
use super::intent::Intent;
use super::model::Model;
use crate::domain::failover::{Refusal, lag_warnings, plan_drain, plan_restore};
use crate::domain::fleet::{ActionStatus, CellStatus, ExecutionStatus, Flow, StageStatus, Wave};
use crate::protocol::RetryMode;

/// An intent ready for confirmation, with the warnings to show in the dialog.
pub struct Proposal {
    pub intent: Intent,
    pub warnings: Vec<String>,
}

/// Where an action applies: a flow, one of its waves, and a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub flow: String,
    pub wave: usize,
    pub region: String,
}

/// The target under the console's cursor.
pub fn selected_target(model: &Model) -> Result<Target, String> {
    let flow = model.selected_flow().ok_or("no pipeline selected")?;
    let (wave, region) = model.selected_cell().ok_or("no cell selected")?;
    Ok(Target {
        flow: flow.name.clone(),
        wave,
        region: region.to_string(),
    })
}

/// An action on the selection in the console.
pub fn propose(model: &Model, action: ActionName, force: bool) -> Result<Proposal, String> {
    propose_for(model, action, &selected_target(model)?, force)
}

/// An action on an explicit target (the headless commands name it on the command line).
pub fn propose_for(
    model: &Model,
    action: ActionName,
    target: &Target,
    force: bool,
) -> Result<Proposal, String> {
    match action {
        ActionName::Drain => return propose_drain(model, &target.region, force),
        ActionName::Restore => return propose_restore(model, &target.region),
        _ => {}
    }
    let flow = model
        .fleet
        .flow(&target.flow)
        .ok_or_else(|| format!("no pipeline named {}", target.flow))?;
    let wave = flow.waves.get(target.wave).ok_or("no such wave")?;
    let region = target.region.clone();
    let plain = |intent| {
        Ok(Proposal {
            intent,
            warnings: Vec::new(),
        })
    };
    match action {
        ActionName::Approve | ActionName::Reject | ActionName::ApproveAtWindow => {
            let cell = wave
                .cell(&region)
                .ok_or_else(|| format!("{} does not deploy {region}", wave.name))?;
            let gate = cell
                .pending_approval()
                .ok_or_else(|| format!("no manual gate is waiting in {} / {region}", wave.name))?;
            if !gate.approval.as_ref().is_some_and(|a| a.token_present) {
                return Err("the gate has no approval token yet; wait for the next refresh".into());
            }
            let (pipeline, stage, action_name) =
                (wave.pipeline.clone(), wave.name.clone(), gate.name.clone());
            match action {
                ActionName::Approve => plain(Intent::Approve {
                    pipeline,
                    stage,
                    action: action_name,
                    region,
                }),
                ActionName::Reject => plain(Intent::Reject {
                    pipeline,
                    stage,
                    action: action_name,
                    region,
                }),
                _ => {
                    if !model.windows.has_window(&region) {
                        return Err(format!(
                            "{region} has no off-hours window configured; approve now instead"
                        ));
                    }
                    if model.windows.is_open(&region, model.now) {
                        return Err(format!(
                            "{region}'s off-hours window is open now; approve now instead"
                        ));
                    }
                    let at = model
                        .windows
                        .next_opening(&region, model.now)
                        .ok_or_else(|| format!("{region}'s window never opens (frozen?)"))?;
                    plain(Intent::ApproveAtWindow {
                        pipeline,
                        stage,
                        action: action_name,
                        region,
                        at,
                    })
                }
            }
        }
        ActionName::RetryFailed | ActionName::RetryAll => {
            // The stage's own status decides; a failed action of a stage that
            // is running again (already retried) is not retryable.
            let failed = match wave.stage_status {
                Some(status) => status == StageStatus::Failed,
                None => wave.cells.iter().any(|c| c.status() == CellStatus::Failed),
            };
            if !failed {
                return Err(format!("{} has not failed; nothing to retry", wave.name));
            }
            let execution_id = wave
                .execution_id
                .clone()
                .ok_or("the stage's execution is not known yet")?;
            let mode = if action == ActionName::RetryAll {
                RetryMode::AllActions
            } else {
                RetryMode::FailedActions
            };
            plain(Intent::Retry {
                pipeline: wave.pipeline.clone(),
                stage: wave.name.clone(),
                execution_id,
                mode,
                regions: owned_regions(wave),
            })
        }
        ActionName::Hold | ActionName::HoldUntilWindow => {
            if !wave.transition.enabled {
                return Err(format!("{} is already held", wave.name));
            }
            if flow.pipelines.is_empty() {
                return Err("stacks deployed outside a pipeline cannot be held".into());
            }
            let (until, window_region) = if action == ActionName::HoldUntilWindow {
                if !model.windows.has_window(&region) {
                    return Err(format!("{region} has no off-hours window configured"));
                }
                if model.windows.is_open(&region, model.now) {
                    return Err(format!(
                        "{region}'s off-hours window is open now: nothing to wait for"
                    ));
                }
                let at = model
                    .windows
                    .next_opening(&region, model.now)
                    .ok_or_else(|| format!("{region}'s window never opens (frozen?)"))?;
                (Some(at), Some(region.clone()))
            } else {
                (None, None)
            };
            let regions = owned_regions(wave);
            let mut warnings = Vec::new();
            if regions.len() > 1 {
                warnings.push(format!(
                    "CodePipeline holds a whole stage: {} regions stop together",
                    regions.len()
                ));
            }
            Ok(Proposal {
                intent: Intent::Hold {
                    pipeline: wave.pipeline.clone(),
                    stage: wave.name.clone(),
                    regions,
                    until,
                    window_region,
                },
                warnings,
            })
        }
        ActionName::Release => {
            if wave.transition.enabled {
                return Err(format!("{} is not held", wave.name));
            }
            plain(Intent::Release {
                pipeline: wave.pipeline.clone(),
                stage: wave.name.clone(),
                regions: owned_regions(wave),
            })
        }
        ActionName::Stop | ActionName::StopAbandon => {
            let abandon = action == ActionName::StopAbandon;
            let execution_id = running_execution(flow, wave, abandon)
                .ok_or_else(|| format!("no execution of {} is in progress", wave.pipeline))?;
            plain(Intent::Stop {
                pipeline: wave.pipeline.clone(),
                execution_id,
                abandon,
            })
        }
        ActionName::Rollback => {
            if wave.pre_deploy {
                return Err(format!("{} deploys nothing to roll back", wave.name));
            }
            let current = wave.execution_id.as_deref();
            let target = flow
                .executions
                .iter()
                .filter(|e| e.pipeline == wave.pipeline && e.status == ExecutionStatus::Succeeded)
                .find(|e| Some(e.id.as_str()) != current)
                .ok_or_else(|| {
                    format!(
                        "no earlier successful execution of {} to roll back to",
                        wave.pipeline
                    )
                })?;
            plain(Intent::Rollback {
                pipeline: wave.pipeline.clone(),
                stage: wave.name.clone(),
                target_execution_id: target.id.clone(),
                regions: owned_regions(wave),
            })
        }
        other => Err(format!("{} is not an operator action", other.as_str())),
    }
}

/// Regions a wave deploys (pre-deploy rows included, in column order).
fn owned_regions(wave: &Wave) -> Vec<String> {
    wave.cells
        .iter()
        .filter(|c| !c.actions.is_empty())
        .map(|c| c.region.clone())
        .collect()
}

/// The execution a stop acts on: the wave's while it runs, else the
/// pipeline's running one. An execution already stopping (its actions left
/// to finish) can still be abandoned, as CodePipeline allows.
fn running_execution(flow: &Flow, wave: &Wave, abandon: bool) -> Option<String> {
    if (wave.stage_status == Some(StageStatus::InProgress)
        || wave
            .cells
            .iter()
            .flat_map(|c| &c.actions)
            .any(|a| a.status == ActionStatus::InProgress))
        && let Some(id) = &wave.execution_id
    {
        return Some(id.clone());
    }
    flow.executions
        .iter()
        .find(|e| {
            e.pipeline == wave.pipeline
                && (e.status == ExecutionStatus::InProgress
                    || (abandon && e.status == ExecutionStatus::Stopping))
        })
        .map(|e| e.id.clone())
}

/// Draining acts on a region's DNS records, whatever pipeline is selected.
pub fn propose_drain(model: &Model, region: &str, force: bool) -> Result<Proposal, String> {
    let region = region.to_string();
    let plan = plan_drain(&model.fleet.health, &region);
    if plan.invert.is_empty() {
        // The plan says why each check was left alone (no status read yet,
        // Disabled, already unhealthy...): that, not a guess, is the answer.
        return Err(if plan.warnings.is_empty() {
            format!("{region} has no health check to invert (already drained, or none)")
        } else {
            format!(
                "{region} has no health check to invert: {}",
                plan.warnings.join("; ")
            )
        });
    }
    let mut warnings = plan.warnings;
    let forced = !plan.refusals.is_empty();
    if forced {
        let names: Vec<String> = plan.refusals.iter().map(Refusal::describe).collect();
        if !force {
            return Err(format!(
                "refused: draining {region} leaves no record serving in {}. Route53 would then send traffic to every record. Use :drain --force to override",
                names.join(" | ")
            ));
        }
        warnings.push(format!("FORCED: {} will fail open", names.join(" | ")));
    }
    warnings.extend(lag_warnings(
        &model.fleet.tables,
        &plan.receiving_regions,
        model.lag_warning_ms,
    ));
    Ok(Proposal {
        intent: Intent::Drain {
            region,
            health_check_ids: plan.invert,
            force: forced,
        },
        warnings,
    })
}

pub fn propose_restore(model: &Model, region: &str) -> Result<Proposal, String> {
    let plan = plan_restore(&model.fleet.health, region);
    if plan.revert.is_empty() {
        return Err(format!("{region} is not drained"));
    }
    Ok(Proposal {
        intent: Intent::Restore {
            region: region.to_string(),
            health_check_ids: plan.revert,
        },
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::core::bindings::Bindings;
    use crate::domain::fleet::{
        Health, HealthCheck, HealthStatus, Record, RecordSet, RoutingPolicy,
    };
    use crate::domain::window::Windows;

    fn latency_pair(status: HealthStatus) -> Model {
        let mut model = Model::new(
            Timestamp::UNIX_EPOCH,
            Bindings::default(),
            Windows::default(),
            false,
        );
        let regions = ["us-east-1", "eu-west-1"];
        model.fleet.health = Health {
            checks: regions
                .iter()
                .map(|r| HealthCheck {
                    id: format!("hc-{r}"),
                    region: r.to_string(),
                    target: format!("https://{r}.example.com/health"),
                    status,
                    inverted: false,
                    disabled: false,
                    checkers: Vec::new(),
                    status_at: None,
                    fetched_at: Timestamp::UNIX_EPOCH,
                })
                .collect(),
            record_sets: vec![RecordSet {
                name: "api.example.com.".to_string(),
                record_type: "A".to_string(),
                policy: RoutingPolicy::Latency,
                flow: None,
                records: regions
                    .iter()
                    .map(|r| Record {
                        set_identifier: r.to_string(),
                        region: r.to_string(),
                        routing_detail: Some(r.to_string()),
                        health_check_id: Some(format!("hc-{r}")),
                    })
                    .collect(),
            }],
        };
        model
    }

    #[test]
    fn a_drain_with_nothing_to_invert_says_why_each_check_was_left_alone() {
        let unread = latency_pair(HealthStatus::Unknown);
        let err = propose_drain(&unread, "us-east-1", false).err().unwrap();
        assert!(err.contains("hc-us-east-1 has no status yet"), "{err}");
        assert!(!err.contains("already drained"), "{err}");

        let nowhere = latency_pair(HealthStatus::Healthy);
        let err = propose_drain(&nowhere, "ap-south-1", false).err().unwrap();
        assert!(err.contains("nothing to drain"), "{err}");

        let healthy = propose_drain(&nowhere, "us-east-1", true).ok().unwrap();
        assert!(matches!(
            healthy.intent,
            Intent::Drain { ref health_check_ids, .. } if health_check_ids == &["hc-us-east-1"]
        ));
    }
}
