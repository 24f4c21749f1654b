//! The AWS adapters against mocked SDK clients: answers shaped as AWS sends
//! them (JSON and XML bodies through the SDK's own deserializers where it
//! matters), paging, and every error that changes what wavetop does.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

#[path = "aws_adapters/support.rs"]
mod support;

#[path = "aws_adapters/fixtures.rs"]
mod fixtures;

#[path = "aws_adapters/fleet_answers.rs"]
mod fleet_answers;

#[path = "aws_adapters/stacks.rs"]
mod stacks;

#[path = "aws_adapters/health.rs"]
mod health;

#[path = "aws_adapters/replication.rs"]
mod replication;

#[path = "aws_adapters/operate.rs"]
mod operate;

#[path = "aws_adapters/accounting.rs"]
mod accounting;

#[path = "aws_adapters/accounting_fleet.rs"]
mod accounting_fleet;

#[path = "aws_adapters/iam.rs"]
mod iam;

#[path = "aws_adapters/pipelines.rs"]
mod pipelines;

#[path = "aws_adapters/action_runs.rs"]
mod action_runs;
#[path = "aws_adapters/partial.rs"]
mod partial;

#[path = "aws_adapters/pacing.rs"]
mod pacing;

#[path = "aws_adapters/structure_cache.rs"]
mod structure_cache;

#[path = "aws_adapters/alarms.rs"]
mod alarms;

#[path = "aws_adapters/conditions.rs"]
mod conditions;

#[path = "aws_adapters/revisions.rs"]
mod revisions;

#[path = "aws_adapters/rule_runs.rs"]
mod rule_runs;
#[path = "aws_adapters/scheduler.rs"]
mod scheduler;

#[path = "aws_adapters/expiry.rs"]
mod expiry;

// One HTTP client (one TLS trust store, one connection pool) for every
// service client of a pool, instead of one each.
#[path = "aws_adapters/http_client.rs"]
mod http_client;
