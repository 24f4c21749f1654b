//! SDK clients, one per (account, region, service), made the first time they
//! are needed and kept. Each account's shared configuration (credentials
//! chain, profile, endpoint override) is loaded lazily too, so starting
//! wavetop never waits on AWS.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::SdkConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_sts::config::Region;
use tokio::sync::OnceCell;

use super::emulator_compat::emulator_http_client;
use super::http_client::SharedHttps;
use crate::protocol::SourceError;

/// Name of the account reached with the default profile.
pub const DEFAULT_ACCOUNT: &str = "default";

/// Route53 and its CloudWatch metrics live in this region.
pub const GLOBAL_REGION: &str = "us-east-1";

/// Per-service client configurations that replace the credentials chain:
/// tests pass configurations whose HTTP layer is mocked, and every (account,
/// region) client is derived from them with only the region changed.
#[derive(Clone, Debug)]
pub struct ServiceConfigs {
    pub codepipeline: aws_sdk_codepipeline::Config,
    pub cloudformation: aws_sdk_cloudformation::Config,
    pub route53: aws_sdk_route53::Config,
    pub cloudwatch: aws_sdk_cloudwatch::Config,
    pub dynamodb: aws_sdk_dynamodb::Config,
    pub scheduler: aws_sdk_scheduler::Config,
    pub sts: aws_sdk_sts::Config,
}

/// Credentials and a region given outright, in place of what the default
/// chain would find: for an endpoint that takes any credentials (an
/// emulator), so that neither the environment, nor profile files, nor
/// instance metadata are consulted.
#[derive(Clone, Debug)]
pub struct FixedIdentity {
    pub credentials: aws_sdk_sts::config::Credentials,
    pub region: String,
}

/// One account wavetop reads: the default one and each configured one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub profile: Option<String>,
    pub home_regions: Vec<String>,
}

enum Base {
    /// Loaded from the default chain once per account, on first use.
    Chain {
        endpoint_url: Option<String>,
        fixed: Option<FixedIdentity>,
        loaded: HashMap<String, OnceCell<SdkConfig>>,
        https: SharedHttps,
    },
    Injected(Box<ServiceConfigs>),
}

type Cache<C> = Mutex<HashMap<(String, String), C>>;

pub struct ClientPool {
    accounts: Vec<Account>,
    base: Base,
    codepipeline: Cache<aws_sdk_codepipeline::Client>,
    cloudformation: Cache<aws_sdk_cloudformation::Client>,
    route53: Cache<aws_sdk_route53::Client>,
    cloudwatch: Cache<aws_sdk_cloudwatch::Client>,
    dynamodb: Cache<aws_sdk_dynamodb::Client>,
    scheduler: Cache<aws_sdk_scheduler::Client>,
    sts: Cache<aws_sdk_sts::Client>,
}

/// The scheduler owns retries, backoff and jitter; a hidden SDK retry would
/// double calls exactly when AWS asks for fewer, and could answer an approval
/// twice. Timeouts keep an unreachable endpoint from holding a poll forever.
fn load_settings() -> (RetryConfig, TimeoutConfig) {
    (
        RetryConfig::standard().with_max_attempts(1),
        TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_attempt_timeout(Duration::from_secs(20))
            .operation_timeout(Duration::from_secs(30))
            .build(),
    )
}

macro_rules! client_getter {
    ($name:ident, $krate:ident) => {
        client_getter!($name, $krate, |b, _, _| b);
    };
    ($name:ident, $krate:ident, $adjust:expr) => {
        pub async fn $name(
            &self,
            account: &str,
            region: &str,
        ) -> Result<$krate::Client, SourceError> {
            let key = (account.to_string(), region.to_string());
            if let Some(client) = lock(&self.$name).get(&key) {
                return Ok(client.clone());
            }
            let client = match &self.base {
                Base::Injected(configs) => $krate::Client::from_conf(
                    configs
                        .$name
                        .to_builder()
                        .region(Region::new(region.to_string()))
                        .build(),
                ),
                Base::Chain { endpoint_url, .. } => {
                    let shared = self.shared(account).await?;
                    let adjust = $adjust;
                    let builder = $krate::config::Builder::from(shared)
                        .region(Region::new(region.to_string()));
                    $krate::Client::from_conf(
                        adjust(builder, shared, endpoint_url.as_deref()).build(),
                    )
                }
            };
            lock(&self.$name).insert(key, client.clone());
            Ok(client)
        }
    };
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere must not take the whole backend down with a poisoned lock.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl ClientPool {
    pub fn from_chain(accounts: Vec<Account>, endpoint_url: Option<String>) -> Self {
        let loaded = accounts
            .iter()
            .map(|a| (a.name.clone(), OnceCell::new()))
            .collect();
        Self::new(
            accounts,
            Base::Chain {
                endpoint_url,
                fixed: None,
                loaded,
                https: SharedHttps::new(),
            },
        )
    }

    /// Every account's shared configuration takes `identity`'s credentials
    /// and region instead of looking them up.
    pub fn with_fixed_identity(mut self, identity: FixedIdentity) -> Self {
        if let Base::Chain { fixed, .. } = &mut self.base {
            *fixed = Some(identity);
        }
        self
    }

    pub fn from_configs(accounts: Vec<Account>, configs: ServiceConfigs) -> Self {
        Self::new(accounts, Base::Injected(Box::new(configs)))
    }

    fn new(accounts: Vec<Account>, base: Base) -> Self {
        Self {
            accounts,
            base,
            codepipeline: Mutex::default(),
            cloudformation: Mutex::default(),
            route53: Mutex::default(),
            cloudwatch: Mutex::default(),
            dynamodb: Mutex::default(),
            scheduler: Mutex::default(),
            sts: Mutex::default(),
        }
    }

    /// Gives the default account `fallback` when it has no home region, and
    /// every other account without home regions the default account's.
    pub fn fill_home_regions(&mut self, fallback: &str) {
        let Some(default) = self.accounts.first_mut() else {
            return;
        };
        if default.home_regions.is_empty() {
            default.home_regions = vec![fallback.to_string()];
        }
        let default_regions = default.home_regions.clone();
        for a in self.accounts.iter_mut().skip(1) {
            if a.home_regions.is_empty() {
                a.home_regions = default_regions.clone();
            }
        }
    }

    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    pub fn account(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == name)
    }

    /// How the header names the account's credentials: its profile, or what
    /// the default chain will use (environment credentials, `AWS_PROFILE`).
    pub fn credentials_label(&self, account: &Account) -> String {
        match &self.base {
            Base::Injected(_) => account
                .profile
                .clone()
                .unwrap_or_else(|| "default".to_string()),
            Base::Chain { fixed: Some(_), .. } => "fixed credentials".to_string(),
            Base::Chain { .. } => {
                super::credentials::credentials_label(account.profile.as_deref(), &|k| {
                    std::env::var(k).ok()
                })
            }
        }
    }

    /// The region the account's default chain resolves (profile or
    /// environment), or the fixed identity's, when there is one. Loads the
    /// account's configuration.
    pub async fn chain_region(&self, account: &str) -> Option<String> {
        match &self.base {
            Base::Injected(_) => None,
            Base::Chain { .. } => self
                .shared(account)
                .await
                .ok()
                .and_then(|c| c.region().map(|r| r.to_string())),
        }
    }

    /// The provider the account's clients take their credentials from;
    /// None when its configuration has none or cannot be loaded, and for
    /// injected configurations (tests), whose credentials are their own.
    pub async fn credentials_provider(
        &self,
        account: &str,
    ) -> Option<aws_sdk_sts::config::SharedCredentialsProvider> {
        match &self.base {
            Base::Injected(_) => None,
            Base::Chain { .. } => self.shared(account).await.ok()?.credentials_provider(),
        }
    }

    async fn shared(&self, account: &str) -> Result<&SdkConfig, SourceError> {
        let Base::Chain {
            endpoint_url,
            fixed,
            loaded,
            https,
        } = &self.base
        else {
            unreachable!("shared configuration is only loaded for the default chain");
        };
        let Some(cell) = loaded.get(account) else {
            return Err(SourceError::Other(format!("no account named {account}")));
        };
        let profile = self.account(account).and_then(|a| a.profile.clone());
        Ok(cell
            .get_or_init(|| async {
                let (retry, timeout) = load_settings();
                let mut loader = aws_config::defaults(BehaviorVersion::latest())
                    .http_client(https.client.clone())
                    .retry_config(retry)
                    .timeout_config(timeout);
                if let Some(profile) = profile {
                    // The named profile alone: the default chain would read
                    // environment credentials before it (see credentials.rs).
                    let from_profile =
                        aws_config::profile::ProfileFileCredentialsProvider::builder()
                            .profile_name(&profile)
                            .build();
                    loader = loader
                        .profile_name(profile)
                        .credentials_provider(from_profile);
                }
                if let Some(url) = endpoint_url {
                    loader = loader.endpoint_url(url);
                }
                if let Some(identity) = fixed {
                    loader = loader
                        .credentials_provider(identity.credentials.clone())
                        .region(Region::new(identity.region.clone()));
                }
                loader.load().await
            })
            .await)
    }

    client_getter!(
        codepipeline,
        aws_sdk_codepipeline,
        |b: aws_sdk_codepipeline::config::Builder, _: &SdkConfig, endpoint: Option<&str>| {
            match emulator_http_client(endpoint) {
                Some(http) => b.http_client(http),
                None => b,
            }
        }
    );
    client_getter!(cloudformation, aws_sdk_cloudformation);
    client_getter!(route53, aws_sdk_route53);
    client_getter!(cloudwatch, aws_sdk_cloudwatch);
    client_getter!(dynamodb, aws_sdk_dynamodb);
    client_getter!(scheduler, aws_sdk_scheduler);
    client_getter!(sts, aws_sdk_sts);

    /// A CloudWatch Logs client for the change stream's reader, which
    /// makes one per log group and keeps it; none for injected configurations.
    pub async fn cloudwatchlogs(
        &self,
        account: &str,
        region: &str,
    ) -> Result<aws_sdk_cloudwatchlogs::Client, SourceError> {
        match &self.base {
            Base::Injected(_) => Err(SourceError::Other(
                "no CloudWatch Logs configuration was given".to_string(),
            )),
            Base::Chain { endpoint_url, .. } => {
                let shared = self.shared(account).await?;
                let mut builder = aws_sdk_cloudwatchlogs::config::Builder::from(shared)
                    .region(Region::new(region.to_string()));
                if let Some(http) = emulator_http_client(endpoint_url.as_deref()) {
                    builder = builder.http_client(http);
                }
                let conf = builder.build();
                Ok(aws_sdk_cloudwatchlogs::Client::from_conf(conf))
            }
        }
    }

    /// How many TLS connectors the pool's shared HTTP client has built (none
    /// for injected configurations, which bring their own).
    pub fn connectors_built(&self) -> usize {
        match &self.base {
            Base::Chain { https, .. } => https.connectors_built(),
            Base::Injected(_) => 0,
        }
    }

    /// How many clients exist, per service; for tests of the laziness.
    pub fn client_count(&self) -> usize {
        lock(&self.codepipeline).len()
            + lock(&self.cloudformation).len()
            + lock(&self.route53).len()
            + lock(&self.cloudwatch).len()
            + lock(&self.dynamodb).len()
            + lock(&self.scheduler).len()
            + lock(&self.sts).len()
    }
}
