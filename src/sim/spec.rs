//! The shape of the demo fleet: which flows exist, the CodePipeline
//! declarations behind them, the stacks they deploy, the DNS records and
//! health checks in front of them and the global table behind them.
//!
//! Choices worth knowing:
//! - `global-api` is a CDK Pipelines (V2) pipeline homed in us-east-1.
//! - `billing-failover` has no pipeline; its grid row is one `manual` wave
//!   whose cell per region holds a single pseudo action mirroring the stack.
//! - `edge-relay` chains two pipelines; their stage names differ so that each
//!   wave name is unique within the flow.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::declarations::{edge_relay_apse, edge_relay_build, global_api, orders, service_x};
use super::pipeline::Pace;
use super::stack_kind::StackKind;
use crate::domain::attribution::runs_in;
use crate::domain::fleet::{FlowKind, Record, RecordSet, RoutingPolicy};
use crate::domain::pipeline_doc::PipelineDeclaration;

pub const ACCOUNT: &str = "111111111111";

/// A whole simulated fleet: its flows, the DNS in front of them and the
/// global tables behind them. [`demo`] is the small hand-declared fleet;
/// `super::large` generates the large one.
#[derive(Debug, Clone)]
pub struct FleetSpec {
    pub flows: Vec<FlowSpec>,
    pub record_sets: Vec<RecordSet>,
    pub tables: Vec<TableSpec>,
}

/// One flow and the pipelines it is made of, in hand-off order.
#[derive(Debug, Clone)]
pub struct FlowSpec {
    pub name: String,
    pub kind: FlowKind,
    pub pipelines: Vec<PipelineSpec>,
    /// Stacks deployed by hand (unmanaged flows only): (region, stack name).
    pub manual_stacks: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct PipelineSpec {
    /// Shared with the pipeline simulated from it: the declarations of a
    /// large fleet run to megabytes, and the spec outlives the world's start.
    pub decl: Arc<PipelineDeclaration>,
    pub home_region: String,
    /// The pipeline whose successful execution hands its artifact to this one.
    pub upstream: Option<String>,
    /// The account label the pipeline is listed under, and its id (in ARNs).
    pub account: String,
    pub account_id: String,
    pub pace: Pace,
}

impl PipelineSpec {
    /// A demo pipeline declared for the home region it lives in.
    pub(super) fn homed(
        home_region: &str,
        declare: fn(&str) -> PipelineDeclaration,
        upstream: Option<&str>,
    ) -> Self {
        PipelineSpec {
            decl: Arc::new(declare(home_region)),
            home_region: home_region.to_string(),
            upstream: upstream.map(str::to_string),
            account: ACCOUNT.to_string(),
            account_id: ACCOUNT.to_string(),
            pace: Pace::default(),
        }
    }
}

/// A stack the fleet deploys, with the kind that says what resources an
/// update touches.
#[derive(Debug, Clone)]
pub struct StackSpec {
    pub flow: String,
    pub region: String,
    pub name: String,
    pub kind: StackKind,
}

#[derive(Debug, Clone)]
pub struct CheckSpec {
    pub id: String,
    pub region: String,
    pub target: String,
}

#[derive(Debug, Clone)]
pub struct TableSpec {
    pub name: String,
    pub flow: String,
    pub source_region: String,
    pub replicas: Vec<String>,
}

/// The demo fleet: five flows, one of each shape the reference deployments
/// describe.
pub fn demo() -> FleetSpec {
    FleetSpec {
        flows: flows(),
        record_sets: record_sets(),
        tables: tables(),
    }
}

pub fn flows() -> Vec<FlowSpec> {
    let manual = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(r, n)| (r.to_string(), n.to_string()))
            .collect()
    };
    vec![
        FlowSpec {
            name: "global-api".into(),
            kind: FlowKind::Pipeline,
            pipelines: vec![PipelineSpec::homed("us-east-1", global_api, None)],
            manual_stacks: vec![],
        },
        FlowSpec {
            name: "service-x".into(),
            kind: FlowKind::Pipeline,
            pipelines: vec![PipelineSpec::homed("eu-west-1", service_x, None)],
            manual_stacks: vec![],
        },
        FlowSpec {
            name: "orders-active-active".into(),
            kind: FlowKind::Pipeline,
            pipelines: vec![PipelineSpec::homed("us-east-1", orders, None)],
            manual_stacks: vec![],
        },
        FlowSpec {
            name: "billing-failover".into(),
            kind: FlowKind::Unmanaged,
            pipelines: vec![],
            manual_stacks: manual(&[("us-east-1", "billing-api"), ("us-west-2", "billing-api")]),
        },
        FlowSpec {
            name: "edge-relay".into(),
            kind: FlowKind::Chained,
            pipelines: vec![
                PipelineSpec::homed("us-east-1", edge_relay_build, None),
                PipelineSpec::homed("ap-south-1", edge_relay_apse, Some("edge-relay-build")),
            ],
            manual_stacks: vec![],
        },
    ]
}

/// Every stack of the fleet: the ones pipeline actions name, then the manual ones.
pub fn stacks(flows: &[FlowSpec]) -> Vec<StackSpec> {
    let mut out: Vec<StackSpec> = Vec::new();
    // (region, name) of the stacks already listed: a stack two actions
    // name (change set, then its execution) is one stack.
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut push = |flow: &str, region: &str, name: &str| {
        if seen.insert((region.to_string(), name.to_string())) {
            out.push(StackSpec {
                flow: flow.to_string(),
                region: region.to_string(),
                name: name.to_string(),
                kind: StackKind::of(name),
            });
        }
    };
    for flow in flows {
        for p in &flow.pipelines {
            for stage in &p.decl.stages {
                for a in &stage.actions {
                    if let Some(stack) = a.configuration.get("StackName") {
                        push(&flow.name, runs_in(a, &p.home_region), stack);
                    }
                }
            }
        }
        for (region, name) in &flow.manual_stacks {
            push(&flow.name, region, name);
        }
    }
    out
}

/// `flow`'s record for `region`, with its routing detail (a location,
/// PRIMARY / SECONDARY) and, when `checked`, its health check.
pub fn record(flow: &str, region: &str, detail: Option<&str>, checked: bool) -> Record {
    Record {
        set_identifier: format!("{flow}-{region}"),
        region: region.to_string(),
        routing_detail: detail.map(str::to_string),
        health_check_id: checked.then(|| health_check_id(flow, region)),
    }
}

pub fn record_sets() -> Vec<RecordSet> {
    let geo = [
        ("sa-east-1", "SA"),
        ("us-west-2", "US-CA"),
        ("us-east-2", "NA"),
        ("eu-west-1", "EU"),
        ("eu-central-1", "DE"),
    ];
    vec![
        RecordSet {
            name: "api.global.example.com.".into(),
            record_type: "A".into(),
            policy: RoutingPolicy::Geolocation,
            flow: Some("global-api".into()),
            records: geo
                .iter()
                .map(|(region, loc)| record("global-api", region, Some(loc), true))
                .collect(),
        },
        RecordSet {
            name: "orders.example.com.".into(),
            record_type: "A".into(),
            policy: RoutingPolicy::Latency,
            flow: Some("orders-active-active".into()),
            records: ORDERS_REGIONS
                .iter()
                .map(|region| record("orders-active-active", region, None, true))
                .collect(),
        },
        // The secondary carries no check of its own: Route53 answers with it
        // whenever the primary's check fails.
        RecordSet {
            name: "billing.example.com.".into(),
            record_type: "A".into(),
            policy: RoutingPolicy::Failover,
            flow: Some("billing-failover".into()),
            records: vec![
                record("billing-failover", "us-east-1", Some("PRIMARY"), true),
                record("billing-failover", "us-west-2", Some("SECONDARY"), false),
            ],
        },
    ]
}

/// Every health check named by a record set, in record order.
pub fn health_checks(sets: &[RecordSet]) -> Vec<CheckSpec> {
    let mut out = Vec::new();
    for set in sets {
        let host = set.name.trim_end_matches('.');
        for rec in &set.records {
            if let Some(id) = &rec.health_check_id {
                out.push(CheckSpec {
                    id: id.clone(),
                    region: rec.region.clone(),
                    target: format!("https://{}.{host}/health", rec.region),
                });
            }
        }
    }
    out
}

/// A stable, UUID-shaped id per (flow, region), the same under every seed so
/// that configuration files can name it.
pub fn health_check_id(flow: &str, region: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in flow.bytes().chain([b'/']).chain(region.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let g = h.rotate_left(29) ^ 0x9E37_79B9_7F4A_7C15;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        (h >> 32) as u32,
        (h >> 16) as u16,
        h as u16,
        (g >> 48) as u16,
        g & 0xFFFF_FFFF_FFFF
    )
}

pub const ORDERS_REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

pub fn tables() -> Vec<TableSpec> {
    vec![TableSpec {
        name: "orders".into(),
        flow: "orders-active-active".into(),
        source_region: "us-east-1".into(),
        replicas: ORDERS_REGIONS.iter().map(|r| r.to_string()).collect(),
    }]
}
