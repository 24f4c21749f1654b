//! Draining a region out of DNS and restoring it: these act on the region's
//! health checks, whatever pipeline is selected.

use super::{OperatorCtx, Proposal};
use crate::core::intent::Intent;
use crate::domain::failover::{Refusal, lag_warnings, plan_drain, plan_restore};

pub fn propose_drain(ctx: &OperatorCtx, region: &str, force: bool) -> Result<Proposal, String> {
    let region = region.to_string();
    let plan = plan_drain(&ctx.fleet.health, &region);
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
        &ctx.fleet.tables,
        &plan.receiving_regions,
        ctx.lag_warning_ms,
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

pub fn propose_restore(ctx: &OperatorCtx, region: &str) -> Result<Proposal, String> {
    let plan = plan_restore(&ctx.fleet.health, region);
    if plan.revert.is_empty() {
        return Err(format!("{region} is not drained"));
    }
    Ok(Proposal::plain(Intent::Restore {
        region: region.to_string(),
        health_check_ids: plan.revert,
    }))
}

#[cfg(test)]
#[path = "dns_tests.rs"]
mod tests;
