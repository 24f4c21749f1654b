//! The emulator tier: wavetop's AWS adapters against a local moto server.
//!
//! Every test here is `#[ignore]`d: a plain `cargo test` leaves this tier
//! out and says so. Run it with `scripts/emulator.sh` (it installs moto,
//! starts it on a free loopback port, sets `WAVETOP_EMULATOR_URL` and runs
//! `cargo test --test emulator -- --include-ignored`); `scripts/test-all.sh`
//! does the same after the other tiers. A test run without that variable
//! fails with a message saying how to set the tier up, rather than pass
//! without having run. The in-process clients are given the emulator's
//! dummy credentials outright and the binaries a whole environment of their
//! own (`Sandbox`): nothing is read from, or written to, this process's
//! environment.
//!
//! moto has no GetPipelineState nor CodePipeline operator calls, and its
//! CloudWatch does not answer the SDK's RPC v2 CBOR protocol: against moto
//! alone they must degrade without breaking a poll. Where a test needs them,
//! a server in front of moto fills the gap, behind the one `--endpoint-url`:
//! a relay carrying CloudWatch's CBOR calls to moto's JSON protocol
//! (`relay.rs`), and a stand-in answering GetPipelineState,
//! ListPipelineExecutions and the six operator calls in CodePipeline's wire
//! format from fixture states, recording every request it gets
//! (`standin.rs`). The operate tests (`operate_*.rs`) run each operator
//! command through the binary against it, headless and in the console, and
//! stage races with other operators through its scripts.
//!
//! The last tests run the built binary against moto and read the same data
//! back with the aws CLI (installed beside moto; `WAVETOP_AWS_CLI`): the
//! snapshot JSON must agree with it field for field, and `drain` / `restore`
//! must flip `Inverted` as the CLI then reads it, audited before and after.
//! For the drain, health status has to be known: a small relay in front of
//! moto carries CloudWatch's CBOR calls to moto's JSON protocol and back.
//!
//! Real pipeline definitions from public repositories are created in moto as
//! their templates declare them, and the snapshot must draw each one as its
//! template says (`real_pipelines.rs`).
//! `partial` checks that every partial failure is told: zones by id, a
//! missing zone, a deleted pipeline, a hung region (through the relay,
//! which can also leave one region's calls unanswered).
//!
//! The last test runs the console itself against moto in a pseudo-terminal
//! (the harness of `tests/pty/`) and reads its screen: the account, the
//! seeded pipeline and record sets, the calls moto lacks shown as errors of
//! their sources, and the terminal restored after `q`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_config::BehaviorVersion;
use aws_sdk_cloudformation::types::StackStatus;
use aws_sdk_codepipeline::types::{
    ActionCategory, ActionDeclaration, ActionOwner, ActionTypeId, ArtifactStore, ArtifactStoreType,
    InputArtifact, OutputArtifact, PipelineDeclaration, PipelineType, StageDeclaration,
};
use aws_sdk_route53::types::{
    Change, ChangeAction, ChangeBatch, HealthCheckConfig, HealthCheckType, ResourceRecord,
    ResourceRecordSet, ResourceRecordSetFailover, ResourceRecordSetRegion, RrType,
};
use ciborium::Value as CborValue;
use portable_pty::CommandBuilder;
use serde_json::{Value, json};
use wavetop::config::schema::{AwsConfig, StackConfig, TableConfig};
use wavetop::domain::fleet::{FlowKind, HealthStatus, RoutingPolicy};
use wavetop::protocol::{Observation, Observe, Operate, OperateCall, PollKey, SourceError};
use wavetop::source::aws::{AwsBackend, AwsOptions, FixedIdentity};
#[path = "../pty/harness.rs"]
#[allow(dead_code)] // the pty tests use parts of the harness this file does not
mod harness;
use harness::{ENTER, RIGHT, TAB, Tui};

mod adapters;
mod alarms;
mod cli;
mod console;
mod drain;
mod drain_operators;
mod fleet_snapshot;
mod http;
mod operate_bench;
mod operate_console;
mod operate_guard;
mod operate_races;
mod operate_wire;
mod partial;
mod real_pipelines;
mod relay;
mod scheduler;
mod snapshot;
mod standin;
mod standin_calls;
mod standin_checks;
mod standin_model;
mod stream;
mod stream_console;
mod support;
mod team_audit;
mod verdict;

use cli::*;
use console::{SCREEN_WAIT, spawn_console, wait_for_screen};
use http::*;
use operate_bench::*;
use relay::*;
use snapshot::status_points;
use standin::*;
use standin_calls::is_transition_reason;
use standin_model::*;
use support::*;
