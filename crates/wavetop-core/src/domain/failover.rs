//! The drain safety rule: which health checks to invert to take a region out
//! of DNS, and when to refuse.
//!
//! How Route53 routes, as modelled here:
//! - `HealthCheck::status` is the status Route53 reports, inversion already
//!   applied (what the `HealthCheckStatus` metric shows). Inverting a check
//!   flips it: healthy becomes unhealthy and, the trap, unhealthy becomes
//!   healthy. An unknown status stays unknown and is not counted as healthy.
//! - The metric lags: after `UpdateHealthCheck` it follows only once the
//!   checkers re-evaluate and the minute's point is published. Other
//!   operators (other consoles, headless drains) invert checks too. So a
//!   record counts as serving only when its check serves by its flags *and*
//!   by a fresh metric (`HealthCheck::routes_traffic`): an inverted check
//!   never counts, whatever the metric still says; a `Disabled` check
//!   counts (Route53 treats it as healthy); a stale or unknown metric does
//!   not. A record without a health check always serves; one whose check
//!   wavetop has not read does not count. The callers read the flags fresh
//!   right before deciding and again right before the calls.
//! - When no record of a record set routes traffic, Route53 fails open and
//!   answers with all of them, the drained region included. A drain that
//!   would get there is refused.
//! - Failover records: the PRIMARY serves while it is healthy, otherwise a
//!   healthy SECONDARY; when both are unhealthy Route53 fails open and answers
//!   with the PRIMARY. Draining the PRIMARY therefore needs a healthy
//!   SECONDARY; draining the SECONDARY while the PRIMARY serves moves nothing
//!   but removes the fallback (a warning says so).
//! - Latency, geolocation, weighted and simple record sets: every healthy
//!   record takes some traffic. A geolocation record that stops routing sends
//!   its users to a broader location's record or the default (`*`) record,
//!   and to no answer without one (a warning says so).
//!
//! wavetop drains by inverting checks and never by disabling them.

use std::collections::BTreeSet;

use crate::domain::fleet::{
    GlobalTable, Health, HealthStatus, METRIC_FRESH_SECS, Record, RecordSet, RoutingPolicy,
};

/// A record set the drain would leave with no healthy record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `name type`, e.g. `api.example.com. A`.
    pub record_set: String,
    pub reason: String,
    /// For each record of the set, whether it would serve after the drain
    /// and why not ("eu-west-3: check inverted (drained); its metric still
    /// says healthy [hc-1]").
    pub records: Vec<String>,
}

impl Refusal {
    /// One line: the set, the reason and every record's standing.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}): {}",
            self.record_set,
            self.reason,
            self.records.join("; ")
        )
    }
}

/// What draining a region would do, decided before anything is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrainPlan {
    pub region: String,
    /// Health checks to invert, each guarding a record of the region.
    pub invert: Vec<String>,
    /// Non-empty: the drain must not be carried out.
    pub refusals: Vec<Refusal>,
    /// Things the operator must read before confirming.
    pub warnings: Vec<String>,
    /// Regions that would answer the affected record sets after the drain.
    pub receiving_regions: Vec<String>,
}

impl DrainPlan {
    pub fn is_refused(&self) -> bool {
        !self.refusals.is_empty()
    }
}

/// What restoring a region would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestorePlan {
    pub region: String,
    /// Inverted health checks of the region to flip back.
    pub revert: Vec<String>,
    pub warnings: Vec<String>,
}

/// How a record set is named in refusals and warnings.
pub fn record_set_label(set: &RecordSet) -> String {
    format!("{} {}", set.name, set.record_type)
}

/// Whether Route53 counts the record as healthy.
pub fn record_routes(health: &Health, record: &Record) -> bool {
    match &record.health_check_id {
        None => true,
        Some(id) => health.check(id).is_some_and(|c| c.routes_traffic()),
    }
}

fn is_primary(record: &Record) -> bool {
    record
        .routing_detail
        .as_deref()
        .is_some_and(|d| d.eq_ignore_ascii_case("PRIMARY"))
}

/// The records Route53 answers with, failing open when none is healthy.
pub fn serving_records<'a>(health: &Health, set: &'a RecordSet) -> Vec<&'a Record> {
    let healthy = |r: &&Record| record_routes(health, r);
    if set.policy == RoutingPolicy::Failover {
        let (primaries, secondaries): (Vec<&Record>, Vec<&Record>) =
            set.records.iter().partition(|r| is_primary(r));
        for tier in [&primaries, &secondaries] {
            let serving: Vec<&Record> = tier.iter().copied().filter(healthy).collect();
            if !serving.is_empty() {
                return serving;
            }
        }
        return if primaries.is_empty() {
            secondaries
        } else {
            primaries
        };
    }
    let serving: Vec<&Record> = set.records.iter().filter(healthy).collect();
    if serving.is_empty() {
        set.records.iter().collect()
    } else {
        serving
    }
}

/// Whether at least one record of the set is healthy (Route53 is not failing open).
pub fn has_healthy_record(health: &Health, set: &RecordSet) -> bool {
    set.records.iter().any(|r| record_routes(health, r))
}

/// `health` as it would be after setting `Inverted` on the given checks.
/// A check whose flag changes reports the opposite status.
pub fn with_inverted(health: &Health, ids: &[String], inverted: bool) -> Health {
    let mut after = health.clone();
    for check in after.checks.iter_mut() {
        if ids.contains(&check.id) && check.inverted != inverted {
            check.inverted = inverted;
            check.status = match check.status {
                HealthStatus::Healthy => HealthStatus::Unhealthy,
                HealthStatus::Unhealthy => HealthStatus::Healthy,
                HealthStatus::Unknown => HealthStatus::Unknown,
            };
        }
    }
    after
}

pub fn plan_drain(health: &Health, region: &str) -> DrainPlan {
    let mut invert: Vec<String> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut noted_checks = BTreeSet::new();

    let own_sets: Vec<&RecordSet> = health
        .record_sets
        .iter()
        .filter(|s| s.records.iter().any(|r| r.region == region))
        .collect();
    if own_sets.is_empty() {
        warnings.push(format!(
            "{region} has no record in any watched record set: there is nothing to drain"
        ));
    }

    for set in &own_sets {
        let label = record_set_label(set);
        for record in set.records.iter().filter(|r| r.region == region) {
            let Some(id) = &record.health_check_id else {
                warnings.push(format!(
                    "{label}: record {} in {region} has no health check, so DNS cannot drain it; \
                     it keeps taking traffic",
                    record.set_identifier
                ));
                continue;
            };
            if !noted_checks.insert(id.clone()) {
                continue;
            }
            match choose(health, id, region) {
                Choice::Invert => invert.push(id.clone()),
                Choice::Leave(why) => warnings.push(format!("{label}: {why}")),
            }
        }
    }

    let after = with_inverted(health, &invert, true);
    let mut refusals = Vec::new();
    let mut receiving = BTreeSet::new();
    for set in &health.record_sets {
        let guarded_by_inverted = |r: &Record| {
            r.health_check_id
                .as_ref()
                .is_some_and(|id| invert.contains(id))
        };
        let touched = set
            .records
            .iter()
            .any(|r| r.region == region || guarded_by_inverted(r));
        if !touched {
            continue;
        }
        let label = record_set_label(set);
        for record in set.records.iter().filter(|r| r.region != region) {
            if guarded_by_inverted(record) {
                warnings.push(format!(
                    "{label}: health check {} also guards the record of {}; inverting it drains \
                     that record too",
                    record.health_check_id.as_deref().unwrap_or_default(),
                    record.region
                ));
            }
        }
        if !has_healthy_record(&after, set) {
            refusals.push(Refusal {
                record_set: label,
                reason: refusal_reason(health, set, region),
                records: set
                    .records
                    .iter()
                    .map(|r| record_standing(&after, r, &invert))
                    .collect(),
            });
            continue;
        }
        warnings.extend(policy_warnings(health, &after, set, region));
        receiving.extend(
            serving_records(&after, set)
                .into_iter()
                .filter(|r| r.region != region)
                .map(|r| r.region.clone()),
        );
    }

    DrainPlan {
        region: region.to_string(),
        invert,
        refusals,
        warnings,
        receiving_regions: receiving.into_iter().collect(),
    }
}

enum Choice {
    Invert,
    /// Not inverted, with what the operator should know about it.
    Leave(String),
}

fn choose(health: &Health, id: &str, region: &str) -> Choice {
    let Some(check) = health.check(id) else {
        return Choice::Leave(format!(
            "health check {id} of {region} has not been read yet, so wavetop cannot tell what \
             inverting it would do; it is left alone (refresh and drain again)"
        ));
    };
    if check.disabled {
        return Choice::Leave(format!(
            "health check {id} is Disabled: Route53 treats it as healthy whatever it reports, so \
             inverting it would not drain {region}. wavetop never disables checks; enable it in \
             Route53 first"
        ));
    }
    if check.inverted {
        let lag = if check.status == HealthStatus::Healthy {
            "; its metric still says healthy (the metric lags an inversion by minutes, or the \
             endpoint is failing)"
        } else {
            ""
        };
        return Choice::Leave(format!(
            "health check {id} is already inverted (drained){lag}"
        ));
    }
    if check.metric_is_stale() {
        return Choice::Leave(format!(
            "health check {id}'s metric has had no point for over {} minutes, so wavetop cannot \
             tell whether {region} serves; it is left alone (refresh and drain again)",
            METRIC_FRESH_SECS / 60
        ));
    }
    match check.status {
        HealthStatus::Healthy => Choice::Invert,
        HealthStatus::Unhealthy => Choice::Leave(format!(
            "health check {id} already reports unhealthy, so {region} takes no traffic through it \
             now; inverting it would make Route53 treat it as healthy, so it is left alone and \
             traffic returns when the endpoint recovers"
        )),
        HealthStatus::Unknown => Choice::Leave(format!(
            "health check {id} has no status yet; it is left alone (refresh and drain again)"
        )),
    }
}

/// Whether a record would serve once the planned inversions are made, and
/// if not, why: what an operator needs to see in a refusal.
fn record_standing(after: &Health, record: &Record, invert: &[String]) -> String {
    let region = &record.region;
    let Some(id) = &record.health_check_id else {
        return format!("{region}: no health check, serves");
    };
    if invert.contains(id) {
        return format!("{region}: drained by this plan [{id}]");
    }
    let Some(check) = after.check(id) else {
        return format!("{region}: check not read yet, not counted [{id}]");
    };
    if check.inverted {
        let lag = if check.status == HealthStatus::Healthy {
            "; its metric still says healthy"
        } else {
            ""
        };
        return format!("{region}: check inverted (drained){lag} [{id}]");
    }
    if check.disabled {
        return format!("{region}: serves (check Disabled: Route53 treats it as healthy) [{id}]");
    }
    if check.metric_is_stale() {
        return format!(
            "{region}: metric stale (no point for over {} minutes), not counted [{id}]",
            METRIC_FRESH_SECS / 60
        );
    }
    match check.status {
        HealthStatus::Healthy => format!("{region}: serves [{id}]"),
        HealthStatus::Unhealthy => format!("{region}: check unhealthy [{id}]"),
        HealthStatus::Unknown => format!("{region}: no metric status yet, not counted [{id}]"),
    }
}

fn refusal_reason(before: &Health, set: &RecordSet, region: &str) -> String {
    if !has_healthy_record(before, set) {
        return format!(
            "no record is healthy already: Route53 fails open and answers with every record, \
             {region} included; draining cannot move traffic away"
        );
    }
    let others_unhealthy = "no record of another region serves";
    let detail = if set.policy == RoutingPolicy::Failover {
        let role = set
            .records
            .iter()
            .find(|r| r.region == region)
            .map(|r| {
                if is_primary(r) {
                    "PRIMARY"
                } else {
                    "SECONDARY"
                }
            })
            .unwrap_or("record");
        format!("{region} is the {role} and the other failover record is unhealthy")
    } else {
        others_unhealthy.to_string()
    };
    format!(
        "draining {region} would leave no healthy record ({detail}): Route53 would fail open and \
         send traffic to every record, {region} included"
    )
}

fn policy_warnings(before: &Health, after: &Health, set: &RecordSet, region: &str) -> Vec<String> {
    let label = record_set_label(set);
    let mut warnings = Vec::new();
    let stops_routing =
        |r: &&Record| r.region == region && record_routes(before, r) && !record_routes(after, r);
    match set.policy {
        RoutingPolicy::Failover => {
            let secondary_drained = set
                .records
                .iter()
                .filter(stops_routing)
                .any(|r| !is_primary(r));
            let primary_serves = set
                .records
                .iter()
                .any(|r| is_primary(r) && r.region != region && record_routes(after, r));
            if secondary_drained && primary_serves {
                warnings.push(format!(
                    "{label}: {region} is the SECONDARY and takes no traffic while the PRIMARY is \
                     healthy; draining it only removes the fallback"
                ));
            }
        }
        RoutingPolicy::Geolocation => {
            let default_serves = set.records.iter().any(|r| {
                matches!(
                    r.routing_detail.as_deref(),
                    Some("*" | "Default" | "default")
                ) && r.region != region
                    && record_routes(after, r)
            });
            for record in set.records.iter().filter(stops_routing) {
                if !default_serves {
                    warnings.push(format!(
                        "{label}: users located in {} are answered by a broader location's record \
                         if there is one; there is no healthy default (*) record, so some may get \
                         no answer",
                        record
                            .routing_detail
                            .as_deref()
                            .unwrap_or("the drained location")
                    ));
                }
            }
        }
        _ => {}
    }
    warnings
}

/// Inverted health checks guarding the region's records in the watched
/// record sets, to flip back. A check that guards no watched record is never
/// touched, whatever region it probes: its inversion is someone else's
/// (another team's zone, another operator's tool), not a drain of this one.
pub fn plan_restore(health: &Health, region: &str) -> RestorePlan {
    let guarded: BTreeSet<&str> = health
        .record_sets
        .iter()
        .flat_map(|s| s.records.iter())
        .filter(|r| r.region == region)
        .filter_map(|r| r.health_check_id.as_deref())
        .collect();
    let mut revert = Vec::new();
    let mut warnings = Vec::new();
    for check in &health.checks {
        if !guarded.contains(check.id.as_str()) || !check.inverted {
            continue;
        }
        revert.push(check.id.clone());
        if check.disabled {
            warnings.push(format!(
                "health check {} is Disabled: Route53 treats it as healthy either way; enable it \
                 for the restore to mean anything",
                check.id
            ));
        } else if check.status == HealthStatus::Healthy {
            warnings.push(format!(
                "health check {} is inverted yet reports healthy: its endpoint is failing, so \
                 after the restore Route53 keeps {region} out until it recovers",
                check.id
            ));
        }
    }
    if revert.is_empty() {
        warnings.push(format!(
            "{region} has no inverted health check: nothing to restore"
        ));
    }
    RestorePlan {
        region: region.to_string(),
        revert,
        warnings,
    }
}

/// Warnings for regions about to take traffic whose replicas lag behind.
pub fn lag_warnings(
    tables: &[GlobalTable],
    receiving_regions: &[String],
    threshold_ms: f64,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for table in tables {
        for region in receiving_regions {
            if let Some(lag) = table
                .worst_lag_into(region)
                .filter(|lag| *lag > threshold_ms)
            {
                warnings.push(format!(
                    "{}: replication into {region} lags {lag:.0} ms (threshold {threshold_ms:.0} \
                     ms); recent writes may not have arrived there yet",
                    table.name
                ));
            }
            if let Some(replica) = table
                .replicas
                .iter()
                .find(|r| &r.region == region && r.status != "ACTIVE")
            {
                warnings.push(format!(
                    "{}: the replica in {region} is {}, not ACTIVE",
                    table.name, replica.status
                ));
            }
        }
    }
    warnings
}

#[cfg(test)]
#[path = "failover_tests.rs"]
mod tests;
