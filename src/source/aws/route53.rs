//! Route53: health checks (flags and per-checker status), the record sets of
//! the configured hosted zones, and inverting a check to drain a region.

use aws_sdk_route53::Client;
use aws_sdk_route53::types as sdk;

use super::errors::{map_sdk_error, missing};
use super::regions::find_region;
use super::time::to_timestamp;
use crate::config::schema::HostedZone;
use crate::domain::fleet::{CheckerObservation, Record, RecordSet, RoutingPolicy};
use crate::protocol::SourceError;

/// Pages read at most: 100 health checks or 300 record sets per page.
const MAX_PAGES: usize = 50;

/// A health check as ListHealthChecks describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInfo {
    pub id: String,
    /// What the check probes, e.g. `https://api.eu-west-1.example.com:443/health`.
    pub target: String,
    pub inverted: bool,
    pub disabled: bool,
    /// A region named in the probed endpoint, when it names one.
    pub region_hint: Option<String>,
}

pub async fn list_health_checks(client: &Client) -> Result<Vec<CheckInfo>, SourceError> {
    let mut checks = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let out = client
            .list_health_checks()
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("route53:ListHealthChecks", e))?;
        checks.extend(out.health_checks().iter().map(check_info));
        match out.next_marker() {
            Some(m) if out.is_truncated() && !m.is_empty() => marker = Some(m.to_string()),
            _ => break,
        }
    }
    Ok(checks)
}

fn check_info(h: &sdk::HealthCheck) -> CheckInfo {
    let config = h.health_check_config();
    let target = config.map(describe_target).unwrap_or_default();
    CheckInfo {
        id: h.id().to_string(),
        region_hint: find_region(&target),
        target,
        inverted: config.and_then(|c| c.inverted()).unwrap_or(false),
        disabled: config.and_then(|c| c.disabled()).unwrap_or(false),
    }
}

fn describe_target(c: &sdk::HealthCheckConfig) -> String {
    let kind = c.r#type().as_str();
    let host = c.fully_qualified_domain_name().or(c.ip_address());
    match (kind, host) {
        ("CALCULATED", _) => format!("calculated of {} checks", c.child_health_checks().len()),
        ("CLOUDWATCH_METRIC", _) => format!(
            "alarm {}",
            c.alarm_identifier().map(|a| a.name()).unwrap_or("?")
        ),
        (_, Some(host)) => {
            let scheme = match kind {
                "HTTPS" | "HTTPS_STR_MATCH" => "https",
                "HTTP" | "HTTP_STR_MATCH" => "http",
                _ => "tcp",
            };
            let port = c.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{scheme}://{host}{port}{}", c.resource_path().unwrap_or(""))
        }
        (kind, None) => kind.to_ascii_lowercase(),
    }
}

/// Per-checker-region observations. Route53 rate-limits this call hard; the
/// caller takes a token from the local bucket first.
pub async fn checker_observations(
    client: &Client,
    id: &str,
) -> Result<Vec<CheckerObservation>, SourceError> {
    let out = client
        .get_health_check_status()
        .health_check_id(id)
        .send()
        .await
        .map_err(|e| map_sdk_error("route53:GetHealthCheckStatus", e))?;
    Ok(out
        .health_check_observations()
        .iter()
        .filter_map(|o| {
            let report = o.status_report()?;
            let status = report.status().unwrap_or("");
            Some(CheckerObservation {
                checker_region: o.region().map(|r| r.as_str()).unwrap_or("").to_string(),
                // Checkers report e.g. "Success: HTTP Status Code 200, OK" or "Failure: ...".
                healthy: status.starts_with("Success"),
                reason: status.to_string(),
                observed_at: report.checked_time().map(to_timestamp)?,
            })
        })
        .collect())
}

/// UpdateHealthCheck with `Inverted` only: `Disabled` would make Route53
/// treat the check as healthy, the opposite of a drain. Returns the flag as
/// Route53 now holds it.
pub async fn set_inverted(client: &Client, id: &str, inverted: bool) -> Result<bool, SourceError> {
    const OP: &str = "route53:UpdateHealthCheck";
    let out = client
        .update_health_check()
        .health_check_id(id)
        .inverted(inverted)
        .send()
        .await
        .map_err(|e| map_sdk_error(OP, e))?;
    let check = out
        .health_check()
        .ok_or_else(|| missing(OP, "health check"))?;
    Ok(check
        .health_check_config()
        .and_then(|c| c.inverted())
        .unwrap_or(false))
}

/// The id of a configured zone: an id is used as written (whatever its
/// first letter), a name is looked up with ListHostedZonesByName.
pub async fn resolve_zone(client: &Client, zone: &HostedZone) -> Result<String, SourceError> {
    const OP: &str = "route53:ListHostedZonesByName";
    let name = match zone {
        HostedZone::Name(name) => name,
        HostedZone::Id(_) => return Ok(zone.bare_id().unwrap_or_default().to_string()),
    };
    let wanted = format!("{}.", name.trim_end_matches('.'));
    let out = client
        .list_hosted_zones_by_name()
        .dns_name(&wanted)
        .max_items(1)
        .send()
        .await
        .map_err(|e| map_sdk_error(OP, e))?;
    out.hosted_zones()
        .iter()
        .find(|z| z.name().eq_ignore_ascii_case(&wanted))
        .map(|z| z.id().trim_start_matches("/hostedzone/").to_string())
        .ok_or_else(|| SourceError::NotFound(format!("{OP}: no hosted zone is named {wanted}")))
}

pub async fn list_record_sets(
    client: &Client,
    zone_id: &str,
) -> Result<Vec<sdk::ResourceRecordSet>, SourceError> {
    let mut sets = Vec::new();
    let mut start: Option<(String, Option<sdk::RrType>, Option<String>)> = None;
    for _ in 0..MAX_PAGES {
        let mut req = client.list_resource_record_sets().hosted_zone_id(zone_id);
        if let Some((name, kind, identifier)) = start.take() {
            req = req
                .start_record_name(name)
                .set_start_record_type(kind)
                .set_start_record_identifier(identifier);
        }
        let out = req
            .send()
            .await
            .map_err(|e| map_sdk_error("route53:ListResourceRecordSets", e))?;
        sets.extend(out.resource_record_sets().iter().cloned());
        match out.next_record_name() {
            Some(name) if out.is_truncated() => {
                start = Some((
                    name.to_string(),
                    out.next_record_type().cloned(),
                    out.next_record_identifier().map(str::to_string),
                ))
            }
            _ => break,
        }
    }
    Ok(sets)
}

/// Groups the routed records (those with a set identifier) by name and type.
/// Plain records carry no routing decision and are left out.
pub fn record_sets(sets: &[sdk::ResourceRecordSet]) -> Vec<RecordSet> {
    let mut out: Vec<RecordSet> = Vec::new();
    for set in sets {
        let Some(identifier) = set.set_identifier() else {
            continue;
        };
        let (policy, detail) = routing(set);
        let region = set
            .region()
            .map(|r| r.as_str().to_string())
            .or_else(|| find_region(identifier))
            .or_else(|| set.alias_target().and_then(|a| find_region(a.dns_name())))
            .or_else(|| {
                set.resource_records()
                    .iter()
                    .find_map(|r| find_region(r.value()))
            })
            .unwrap_or_default();
        let record = Record {
            set_identifier: identifier.to_string(),
            region,
            routing_detail: detail,
            health_check_id: set.health_check_id().map(str::to_string),
        };
        let kind = set.r#type().as_str();
        match out
            .iter_mut()
            .find(|r| r.name == set.name() && r.record_type == kind)
        {
            Some(group) => group.records.push(record),
            None => out.push(RecordSet {
                name: set.name().to_string(),
                record_type: kind.to_string(),
                policy,
                flow: None,
                records: vec![record],
            }),
        }
    }
    out
}

fn routing(set: &sdk::ResourceRecordSet) -> (RoutingPolicy, Option<String>) {
    if let Some(f) = set.failover() {
        (RoutingPolicy::Failover, Some(f.as_str().to_string()))
    } else if let Some(region) = set.region() {
        (RoutingPolicy::Latency, Some(region.as_str().to_string()))
    } else if let Some(geo) = set.geo_location() {
        let place = [
            geo.continent_code(),
            geo.country_code(),
            geo.subdivision_code(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("-");
        let place = if place.is_empty() {
            "*".to_string()
        } else {
            place
        };
        (RoutingPolicy::Geolocation, Some(place))
    } else if let Some(weight) = set.weight() {
        (RoutingPolicy::Weighted, Some(weight.to_string()))
    } else {
        (RoutingPolicy::Simple, None)
    }
}
