//! The large simulated fleet (`--demo --fleet large`): 200 pipelines over
//! 25 regions in 3 accounts, 400 health checks and 10 global tables,
//! generated from the compact tables below rather than declared one by one.
//!
//! Thirty product areas each ship six services; a service's kind decides
//! how it is deployed, after the reference deployments:
//! - `api`, `web`, `gateway`: CDK Pipelines in five waves (a canary region,
//!   then the Americas, Europe, Middle East and Africa, Asia Pacific), an
//!   approval before each region.
//! - `worker`, `jobs`: a hand-written pipeline whose wave stages hold
//!   cross-region CloudFormation actions (infrastructure, change set,
//!   execution).
//! - `stream`: the first ten areas run it active-active (a stage per
//!   region, a global table, latency records with health checks); the
//!   others chain a build pipeline in us-east-1 (canary and Americas) to a
//!   second one in eu-west-1 (the rest of the world).
//!
//! Beside them, four admin services fail over from us-east-1 to us-west-2
//! and are deployed by hand. The `api` services of the first fourteen areas
//! sit behind latency records over all 25 regions.

pub mod declare;
pub mod opening;

use std::sync::Arc;

use jiff::SignedDuration;

use super::pipeline::Pace;
use super::spec::{FleetSpec, FlowSpec, PipelineSpec, TableSpec, record};
use crate::domain::fleet::{FlowKind, RecordSet, RoutingPolicy};

/// How long one world of the large fleet lives before the next opens (see
/// `super::days`): reaching any `--at` steps at most this plus the warm-up.
pub const PERIOD: SignedDuration = SignedDuration::from_hours(2);

/// The 25 regions in the five waves every wave-shaped pipeline deploys.
pub const WAVES: [(&str, &[&str]); 5] = [
    ("Canary", &["us-east-2"]),
    (
        "Americas",
        &[
            "us-east-1",
            "us-west-1",
            "us-west-2",
            "ca-central-1",
            "sa-east-1",
        ],
    ),
    (
        "Europe",
        &[
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
        ],
    ),
    (
        "MiddleEastAfrica",
        &["me-south-1", "me-central-1", "il-central-1", "af-south-1"],
    ),
    (
        "AsiaPacific",
        &[
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-northeast-1",
            "ap-northeast-2",
        ],
    ),
];

/// The accounts the fleet spans: (label, id). An area's services live in
/// one account.
pub const ACCOUNTS: [(&str, &str); 3] = [
    ("platform-prod", "304958712036"),
    ("payments-prod", "518274903615"),
    ("edge-prod", "729013584462"),
];

/// The product areas, each shipping one service of every kind.
const AREAS: [&str; 30] = [
    "catalog",
    "checkout",
    "search",
    "profile",
    "ledger",
    "inventory",
    "pricing",
    "shipping",
    "returns",
    "reviews",
    "loyalty",
    "notify",
    "identity",
    "session",
    "media",
    "geo",
    "quotes",
    "rates",
    "fraud",
    "tax",
    "wallet",
    "booking",
    "ads",
    "feed",
    "chat",
    "ingest",
    "export",
    "audit",
    "metrics",
    "partner",
];

/// How a kind of service is deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    CdkWaves,
    CfnWaves,
    /// Active-active in some areas, chained in the others.
    Stream,
}

/// The kinds of service every area ships: (name suffix, shape).
const KINDS: [(&str, Shape); 6] = [
    ("api", Shape::CdkWaves),
    ("web", Shape::CdkWaves),
    ("gateway", Shape::CdkWaves),
    ("worker", Shape::CfnWaves),
    ("jobs", Shape::CfnWaves),
    ("stream", Shape::Stream),
];

/// How many areas run their stream service active-active (one global
/// table each); the others chain two pipelines.
const ACTIVE_ACTIVE_AREAS: usize = 10;
/// Replica counts of the active-active tables, by area.
const REPLICAS: [usize; ACTIVE_ACTIVE_AREAS] = [3, 4, 5, 6, 5, 4, 5, 4, 5, 5];
/// Where active-active services run, the first replica being the source.
const REPLICA_REGIONS: [&str; 6] = [
    "us-east-1",
    "eu-west-1",
    "ap-southeast-2",
    "us-west-2",
    "eu-central-1",
    "ap-northeast-1",
];
/// How many areas put their `api` service behind latency records over all
/// 25 regions, each record with a health check.
const DNS_AREAS: usize = 14;
/// The admin services deployed by hand, failing over between two regions.
const FAILOVER_AREAS: [&str; 4] = ["ledger", "identity", "wallet", "partner"];

/// Paces that keep about a quarter of the fleet moving: a pipeline waits
/// about three times as long as its execution takes (measured: CDK waves
/// about 75 minutes, CloudFormation waves 35, a stage per region 40, each
/// half of a chain 10) before the next commit.
fn pace(shape: Shape, chained: bool) -> Pace {
    let mins = |lo: i64, hi: i64| (lo * 60, hi * 60);
    let after_success_secs = match (shape, chained) {
        (Shape::CdkWaves, _) => mins(140, 260),
        (Shape::CfnWaves, _) => mins(65, 125),
        (Shape::Stream, false) => mins(75, 140),
        (Shape::Stream, true) => mins(20, 40),
    };
    // After a failure the team looks for a while first.
    let (lo, hi) = after_success_secs;
    Pace {
        after_success_secs,
        after_failure_secs: (lo + 30 * 60, hi + 30 * 60),
        update_failure_rate: 0.0015,
        captain_secs: Some(mins(2, 12)),
    }
}

/// Every region of the fleet, wave by wave.
pub fn regions() -> impl Iterator<Item = &'static str> {
    WAVES
        .iter()
        .flat_map(|(_, regions)| regions.iter().copied())
}

pub fn spec() -> FleetSpec {
    let mut flows = Vec::new();
    let mut record_sets = Vec::new();
    let mut tables = Vec::new();
    for (a, area) in AREAS.iter().enumerate() {
        let (account, account_id) = ACCOUNTS[a % ACCOUNTS.len()];
        for (suffix, shape) in KINDS {
            let service = format!("{area}-{suffix}");
            let owner = declare::Owner {
                service: &service,
                account_id,
            };
            let pipeline = |decl, home: &str, upstream: Option<String>| PipelineSpec {
                decl: Arc::new(decl),
                home_region: home.to_string(),
                upstream,
                account: account.to_string(),
                account_id: account_id.to_string(),
                pace: pace(shape, a >= ACTIVE_ACTIVE_AREAS),
            };
            let (kind, pipelines) = match shape {
                Shape::CdkWaves => (
                    FlowKind::Pipeline,
                    vec![pipeline(declare::cdk_waves(owner), "us-east-1", None)],
                ),
                Shape::CfnWaves => (
                    FlowKind::Pipeline,
                    vec![pipeline(declare::cfn_waves(owner), "eu-west-1", None)],
                ),
                Shape::Stream if a < ACTIVE_ACTIVE_AREAS => {
                    let replicas: Vec<&str> =
                        REPLICA_REGIONS.iter().copied().take(REPLICAS[a]).collect();
                    record_sets.push(latency_set(&service, &replicas));
                    tables.push(TableSpec {
                        name: service.clone(),
                        flow: service.clone(),
                        source_region: REPLICA_REGIONS[0].to_string(),
                        replicas: replicas.iter().map(|r| r.to_string()).collect(),
                    });
                    (
                        FlowKind::Pipeline,
                        vec![pipeline(
                            declare::active_active(owner, &replicas),
                            REPLICA_REGIONS[0],
                            None,
                        )],
                    )
                }
                Shape::Stream => {
                    let (build, intl) = declare::chained(owner);
                    let upstream = Some(build.name.clone());
                    (
                        FlowKind::Chained,
                        vec![
                            pipeline(build, "us-east-1", None),
                            pipeline(intl, "eu-west-1", upstream),
                        ],
                    )
                }
            };
            if suffix == "api" && a < DNS_AREAS {
                record_sets.push(latency_set(&service, &regions().collect::<Vec<_>>()));
            }
            flows.push(FlowSpec {
                name: service,
                kind,
                pipelines,
                manual_stacks: Vec::new(),
            });
        }
    }
    for area in FAILOVER_AREAS {
        let service = format!("{area}-admin");
        record_sets.push(RecordSet {
            name: format!("{service}.example.com."),
            record_type: "A".into(),
            policy: RoutingPolicy::Failover,
            flow: Some(service.clone()),
            records: vec![
                record(&service, "us-east-1", Some("PRIMARY"), true),
                record(&service, "us-west-2", Some("SECONDARY"), false),
            ],
        });
        flows.push(FlowSpec {
            manual_stacks: ["us-east-1", "us-west-2"]
                .iter()
                .map(|r| (r.to_string(), service.clone()))
                .collect(),
            name: service,
            kind: FlowKind::Unmanaged,
            pipelines: Vec::new(),
        });
    }
    FleetSpec {
        flows,
        record_sets,
        tables,
    }
}

/// Latency records for `service` in `regions`, each with a health check.
fn latency_set(service: &str, regions: &[&str]) -> RecordSet {
    RecordSet {
        name: format!("{service}.example.com."),
        record_type: "A".into(),
        policy: RoutingPolicy::Latency,
        flow: Some(service.to_string()),
        records: regions
            .iter()
            .map(|region| record(service, region, None, true))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
