//! The emulator tier: wavetop's AWS adapters against a local moto server.
//!
//! Run with `scripts/emulator.sh` (it installs moto, starts it on a free
//! loopback port, sets `WAVETOP_EMULATOR_URL` and runs this file). Without
//! that variable the tests print a notice and pass, except under CI, where
//! a missing emulator is a failure: CI must never skip this tier silently.
//!
//! moto has no GetPipelineState nor CodePipeline operator calls, and its
//! CloudWatch does not answer the SDK's RPC v2 CBOR protocol; those are
//! covered by `tests/aws_adapters.rs`. Here they must degrade without
//! breaking a poll.
//!
//! The last tests run the built binary against moto and read the same data
//! back with the aws CLI (installed beside moto; `WAVETOP_AWS_CLI`): the
//! snapshot JSON must agree with it field for field, and `drain` / `restore`
//! must flip `Inverted` as the CLI then reads it, audited before and after.
//! For the drain, health status has to be known: a small relay in front of
//! moto carries CloudWatch's CBOR calls to moto's JSON protocol and back.
//!
//! `partial` checks that every partial failure is told: zones by id, a
//! missing zone, a deleted pipeline, a hung region (through the relay,
//! which can also leave one region's calls unanswered).
//!
//! The last test runs the console itself against moto in a pseudo-terminal
//! (the harness of `tests/pty/`) and reads its screen: the account, the
//! seeded pipeline and record sets, the calls moto lacks shown as errors of
//! their sources, and the terminal restored after `q`.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Once;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_config::BehaviorVersion;
use aws_sdk_cloudformation::types::StackStatus;
use aws_sdk_codepipeline::types::{
    ActionCategory, ActionDeclaration, ActionOwner, ActionTypeId, ArtifactStore, ArtifactStoreType,
    InputArtifact, OutputArtifact, PipelineDeclaration, StageDeclaration,
};
use aws_sdk_route53::types::{
    Change, ChangeAction, ChangeBatch, HealthCheckConfig, HealthCheckType, ResourceRecord,
    ResourceRecordSet, ResourceRecordSetFailover, ResourceRecordSetRegion, RrType,
};
use ciborium::Value as CborValue;
use portable_pty::CommandBuilder;
use serde_json::Value;
use wavetop::config::schema::{AwsConfig, StackConfig, TableConfig};
use wavetop::domain::fleet::{FlowKind, HealthStatus, RoutingPolicy};
use wavetop::source::aws::{AwsBackend, AwsOptions};
use wavetop::source::{Observation, Observe, Operate, OperateCall, PollKey, SourceError};
#[path = "../pty/harness.rs"]
#[allow(dead_code)] // the pty tests use parts of the harness this file does not
mod harness;
use harness::Tui;

mod adapters;
mod cli;
mod console;
mod drain;
mod partial;
mod relay;
mod snapshot;
mod support;

use cli::*;
use relay::*;
use snapshot::status_points;
use support::*;
