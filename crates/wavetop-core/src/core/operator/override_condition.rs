//! Overriding a V2 stage condition that holds an execution: one that is
//! still evaluating (a deployment window, an alarm's wait) or has failed.

use super::{OperatorCtx, Proposal};
use crate::core::intent::Intent;
use crate::domain::conditions::ConditionStatus;
use crate::domain::fleet::Wave;

pub(super) fn propose_override(
    ctx: &OperatorCtx,
    wave: &Wave,
    region: &str,
) -> Result<Proposal, String> {
    let conditions = wave
        .conditions
        .as_ref()
        .ok_or_else(|| format!("{} declares no stage conditions", wave.name))?;
    let (set, execution_id) = conditions.overridable().ok_or_else(|| {
        format!(
            "no condition of {} is evaluating or failed (only before-entry and on-success \
             conditions can be overridden)",
            wave.name
        )
    })?;
    let evidence = conditions.evidence(ctx.now);
    let rules: Vec<String> = evidence
        .iter()
        .filter(|e| e.kind == set.kind)
        .map(|e| {
            let state = if e.failed { "failed" } else { "evaluating" };
            format!("{} ({} {state})", e.rule, e.provider)
        })
        .collect();
    let mut warnings = Vec::new();
    if set.status.is_some_and(|s| s != ConditionStatus::InProgress) {
        warnings.push(format!(
            "The {} condition {}: CodePipeline may refuse to override it.",
            set.kind.label(),
            set.status.map(ConditionStatus::word).unwrap_or("")
        ));
    }
    Ok(Proposal {
        intent: Intent::OverrideCondition {
            pipeline: wave.pipeline.clone(),
            stage: wave.name.clone(),
            execution_id: execution_id.to_string(),
            condition: set.kind,
            region: region.to_string(),
            rules,
        },
        warnings,
    })
}
