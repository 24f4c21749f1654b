//! The AWS backend: observes and operates a fleet with the official SDK.
//!
//! One file per service holds its calls and the conversion of its types;
//! `discovery` finds the fleet, `observe` answers polls, `operate` carries
//! out operator calls. Clients are made per (account, region, service) the
//! first time they are needed (`clients`). Reads run side by side, within
//! the bounds `pacing` keeps per (account, region, service) and endpoint.
//!
//! Calls are kept few on purpose (see `tests/aws_adapters` for the count of
//! one idle minute): a pipeline's structure is read again only when its
//! version changes, its executions only when its state changed, a stack's
//! events only while it moves and only down to the last event seen, all
//! health checks' status with one CloudWatch call, and all of a table's
//! replicas' latency with one more.

mod action_history;
mod alarms;
pub mod clients;
pub mod cloudformation;
pub mod cloudwatch;
pub mod codepipeline;
pub mod conditions;
pub mod credentials;
mod discovery;
pub mod dynamodb;
pub mod emulator_compat;
pub mod errors;
mod expiry;
mod find_pipelines;
mod fingerprint;
pub mod http_client;
mod observe;
mod operate;
pub mod pacing;
pub mod rate_limit;
pub mod regions;
pub mod renewal;
mod revision_summary;
pub mod route53;
mod rule_alarms;
mod rule_runs;
pub mod scheduler;
mod state;
pub mod stream;
pub mod structure_cache;
pub mod sts;
pub mod time;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::config::schema::AwsConfig;
use crate::domain::alarms::AlarmWatches;
use jiff::Timestamp;

use crate::protocol::{
    BoxFuture, CredentialsStatus, Discovery, Observation, Observe, Operate, OperateCall,
    OperateOutcome, Pace, PollKey, SourceError,
};

pub use clients::{
    Account, ClientPool, DEFAULT_ACCOUNT, FixedIdentity, GLOBAL_REGION, ServiceConfigs,
};
use pacing::Pacer;
use rate_limit::TokenBucket;
use state::State;
use structure_cache::StructureCache;

/// What the command line says about reaching AWS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    /// `--profile`: wins over the config file's `aws.profile`.
    pub profile: Option<String>,
    /// `--endpoint-url`: every client of every service talks to it (moto, LocalStack).
    pub endpoint_url: Option<String>,
    /// `--region` (repeatable): wins over the config file's `aws.home_regions`.
    pub home_regions: Vec<String>,
}

/// The region used when neither the flags, the config file nor the profile name one.
const FALLBACK_REGION: &str = "us-east-1";

pub struct AwsBackend {
    pool: ClientPool,
    cfg: AwsConfig,
    state: Mutex<State>,
    /// GetHealthCheckStatus tokens, per account.
    checker_buckets: Mutex<BTreeMap<String, TokenBucket>>,
    /// Every read waits here for its turn (see `pacing`).
    pacer: Pacer,
    identity: Mutex<Option<String>>,
    /// Pipeline structures kept between runs; None with `--no-cache`.
    structure_cache: Option<StructureCache>,
    /// The alarms to read per (flow, region), and the bake times.
    alarms: Mutex<AlarmWatches>,
    /// A live change stream brings the stacks' resource events: a stacks
    /// poll reads the events only of a stack whose status changed.
    stream_covers_stacks: std::sync::atomic::AtomicBool,
    /// Each flow is polled once and the backend then dropped (see [`AwsBackend::read_once`]).
    read_once: std::sync::atomic::AtomicBool,
    /// Each account's credentials as their provider last handed them out.
    expiry: expiry::ExpiryWatch,
}

impl AwsBackend {
    /// For a look at the fleet that polls each flow once (`wavetop
    /// snapshot`): what a flow poll keeps for the next poll of that flow
    /// (its pipelines' structures, executions and runs) is let go as soon as
    /// the flow is answered, so a large fleet's structures are not all held
    /// while the rest of it (stacks, health) is read. A flow polled again
    /// afterwards has no pipelines.
    pub fn read_once(&self) {
        self.read_once
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Reaches AWS through the default credentials chain (environment,
    /// profiles, SSO, assume-role). Nothing is sent to AWS here: the shared
    /// configuration is read from the environment and profile files only.
    pub async fn connect(opts: AwsOptions, cfg: AwsConfig) -> Result<AwsBackend, SourceError> {
        Self::connect_as(opts, cfg, None).await
    }

    /// `connect` with credentials and a region given outright (an
    /// emulator's dummies): nothing is read from the environment or from
    /// profile files to reach the endpoint.
    pub async fn connect_with_identity(
        opts: AwsOptions,
        cfg: AwsConfig,
        identity: FixedIdentity,
    ) -> Result<AwsBackend, SourceError> {
        Self::connect_as(opts, cfg, Some(identity)).await
    }

    async fn connect_as(
        opts: AwsOptions,
        cfg: AwsConfig,
        identity: Option<FixedIdentity>,
    ) -> Result<AwsBackend, SourceError> {
        if let Some(url) = &opts.endpoint_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(SourceError::Other(format!(
                "--endpoint-url must start with http:// or https://, got {url}"
            )));
        }
        let mut pool = ClientPool::from_chain(accounts(&opts, &cfg), opts.endpoint_url.clone());
        if let Some(identity) = identity {
            pool = pool.with_fixed_identity(identity);
        }
        let fallback = match pool
            .accounts()
            .first()
            .is_some_and(|a| a.home_regions.is_empty())
        {
            // The profile's or the environment's region; read locally, nothing is sent.
            true => pool.chain_region(DEFAULT_ACCOUNT).await,
            false => None,
        };
        pool.fill_home_regions(fallback.as_deref().unwrap_or(FALLBACK_REGION));
        Ok(Self::with_pool(pool, cfg))
    }

    /// Uses the given per-service configurations for every client instead of
    /// the credentials chain: each (account, region) client is derived from
    /// them with its region set. Tests pass configurations with mocked HTTP.
    pub fn with_service_configs(
        configs: ServiceConfigs,
        opts: AwsOptions,
        cfg: AwsConfig,
    ) -> AwsBackend {
        let mut pool = ClientPool::from_configs(accounts(&opts, &cfg), configs);
        pool.fill_home_regions(FALLBACK_REGION);
        Self::with_pool(pool, cfg)
    }

    fn with_pool(pool: ClientPool, cfg: AwsConfig) -> AwsBackend {
        AwsBackend {
            pool,
            cfg,
            state: Mutex::new(State::default()),
            checker_buckets: Mutex::new(BTreeMap::new()),
            pacer: Pacer::default(),
            identity: Mutex::new(None),
            structure_cache: None,
            alarms: Mutex::new(AlarmWatches::default()),
            stream_covers_stacks: std::sync::atomic::AtomicBool::new(false),
            read_once: std::sync::atomic::AtomicBool::new(false),
            expiry: expiry::ExpiryWatch::default(),
        }
    }

    /// Keeps pipeline structures in `cache` between runs (see `structure_cache`).
    pub fn with_structure_cache(mut self, cache: StructureCache) -> AwsBackend {
        self.structure_cache = Some(cache);
        self
    }

    /// What the structure cache could not read or write, for the operator.
    pub fn cache_notes(&self) -> Vec<String> {
        self.structure_cache
            .as_ref()
            .map(StructureCache::notes)
            .unwrap_or_default()
    }

    /// Reads these alarms (the config's `[alarms]`) and tells discovery
    /// the bake times.
    pub fn with_alarms(self, watched: AlarmWatches) -> AwsBackend {
        *self.alarms.lock().unwrap_or_else(|p| p.into_inner()) = watched;
        self
    }

    /// Watches alarm names found outside the config, such as the
    /// `CloudWatchAlarm` rules of a pipeline's stage conditions, for the
    /// (flow, region) whose cell they guard.
    pub fn add_rule_alarms(&self, flow: &str, region: &str, account: &str, names: &[String]) {
        self.alarms
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .add_names(flow, region, account, names);
    }

    fn alarm_watches(&self) -> AlarmWatches {
        self.alarms
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn accounts(&self) -> &[Account] {
        self.pool.accounts()
    }

    /// Failures that did not fail a poll but left part of its answer unknown
    /// (e.g. no `GetPipelineState` permission: the structure is shown with
    /// unknown status), by poll key.
    pub fn partial_errors(&self) -> Vec<(PollKey, SourceError)> {
        self.lock_state()
            .partial_errors
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Clients made so far; they are made on first use only.
    pub fn client_count(&self) -> usize {
        self.pool.client_count()
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for a GetHealthCheckStatus token of the account's bucket; gives
    /// up (as throttled) when the wait would exceed a few seconds.
    async fn take_checker_token(&self, account: &str) -> Result<(), SourceError> {
        const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
        let deadline = Instant::now() + MAX_WAIT;
        loop {
            let now = Instant::now();
            let wait = {
                let mut buckets = self
                    .checker_buckets
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                let bucket = buckets
                    .entry(account.to_string())
                    .or_insert_with(|| TokenBucket::route53_checker_status(now));
                match bucket.try_take(now) {
                    Ok(()) => return Ok(()),
                    Err(wait) => wait,
                }
            };
            if now + wait > deadline {
                return Err(SourceError::Throttled(
                    "route53:GetHealthCheckStatus: local limit of 4 calls, 1 per second"
                        .to_string(),
                ));
            }
            tokio::time::sleep(wait).await;
        }
    }
}

fn accounts(opts: &AwsOptions, cfg: &AwsConfig) -> Vec<Account> {
    let home_regions = if opts.home_regions.is_empty() {
        cfg.home_regions.clone()
    } else {
        opts.home_regions.clone()
    };
    let mut accounts = vec![Account {
        name: DEFAULT_ACCOUNT.to_string(),
        profile: opts.profile.clone().or_else(|| cfg.profile.clone()),
        home_regions,
    }];
    for a in &cfg.accounts {
        accounts.push(Account {
            name: a.name.clone(),
            profile: Some(a.profile.clone()),
            home_regions: a.home_regions.clone(),
        });
    }
    accounts
}

impl Observe for AwsBackend {
    fn discover(&self) -> BoxFuture<'_, Result<Discovery, SourceError>> {
        Box::pin(self.discover_fleet())
    }

    fn poll(&self, key: PollKey) -> BoxFuture<'_, Result<Observation, SourceError>> {
        Box::pin(self.poll_key(key))
    }

    fn incomplete(&self, key: &PollKey) -> Option<SourceError> {
        self.lock_state().partial_errors.get(key).cloned()
    }

    fn pacing(&self) -> Vec<Pace> {
        self.pacer.pacing()
    }

    fn stream_covers_stacks(&self, live: bool) {
        self.stream_covers_stacks
            .store(live, std::sync::atomic::Ordering::Relaxed);
    }

    fn credentials(&self) -> BoxFuture<'_, Vec<CredentialsStatus>> {
        Box::pin(async move {
            let mut statuses = Vec::new();
            for account in self.pool.accounts() {
                let provider = self.pool.credentials_provider(&account.name).await;
                let now = Timestamp::now();
                statuses.push(self.expiry.status(account, provider, now).await);
            }
            statuses
        })
    }
}

impl Operate for AwsBackend {
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
        Box::pin(self.caller_arn())
    }

    fn execute(&self, call: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
        Box::pin(self.execute_call(call))
    }
}

// The backend is used behind `&dyn Observe` / `&dyn Operate` from other tasks.
const _: fn() = || {
    fn usable_anywhere<T: Observe + Operate + Send + Sync + 'static>() {}
    usable_anywhere::<AwsBackend>();
};
