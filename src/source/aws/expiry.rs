//! The credentials each account signs with, as their provider hands them
//! out: when they expire, or why none could be had (an SSO session that
//! cannot be refreshed), and what renews them.
//!
//! A provider asked directly is not behind the clients' identity cache, and
//! an SSO or assume-role one calls AWS to answer; so each account's last
//! answer is kept, and the provider asked again only when that answer failed,
//! runs out within the header's warning time, or is older than `RECHECK`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use aws_sdk_sts::config::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_types::error::display::DisplayErrorContext;
use jiff::{SignedDuration, Timestamp};

use super::clients::Account;
use super::credentials::profile_files;
use super::renewal::{default_chain_renewal, renewal};
use crate::core::credentials::SHOW_TIME_LEFT_UNDER;
use crate::protocol::CredentialsStatus;

/// Credentials with long to live are asked for again this often.
const RECHECK: SignedDuration = SignedDuration::from_mins(10);

/// A provider that gives no answer in this long is reported as failing.
const ASK_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Default)]
pub(crate) struct ExpiryWatch {
    /// Per account: when its provider was last asked, and what it said.
    last: Mutex<HashMap<String, (Timestamp, CredentialsStatus)>>,
}

impl ExpiryWatch {
    /// The account's status, from its provider when the last answer is not
    /// good enough to repeat.
    pub(crate) async fn status(
        &self,
        account: &Account,
        provider: Option<SharedCredentialsProvider>,
        now: Timestamp,
    ) -> CredentialsStatus {
        let kept = self
            .last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&account.name)
            .filter(|(asked, status)| !ask_again(*asked, status, now))
            .map(|(_, status)| status.clone());
        if let Some(status) = kept {
            return status;
        }
        let status = ask(account, provider).await;
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(account.name.clone(), (now, status.clone()));
        status
    }
}

fn ask_again(asked: Timestamp, status: &CredentialsStatus, now: Timestamp) -> bool {
    let runs_short = status
        .expires_at
        .is_some_and(|at| at.duration_since(now) < SHOW_TIME_LEFT_UNDER);
    status.failure.is_some() || runs_short || now.duration_since(asked) >= RECHECK
}

async fn ask(account: &Account, provider: Option<SharedCredentialsProvider>) -> CredentialsStatus {
    let (expires_at, failure) = match provider {
        None => (None, None),
        Some(provider) => {
            match tokio::time::timeout(ASK_TIMEOUT, provider.provide_credentials()).await {
                Ok(Ok(credentials)) => (
                    credentials
                        .expiry()
                        .and_then(|at| Timestamp::try_from(at).ok()),
                    None,
                ),
                Ok(Err(err)) => (None, Some(DisplayErrorContext(&err).to_string())),
                Err(_) => (
                    None,
                    Some(format!("no credentials within {}s", ASK_TIMEOUT.as_secs())),
                ),
            }
        }
    };
    CredentialsStatus {
        account: account.name.clone(),
        profile: account.profile.clone(),
        renew: renew_step(account.profile.as_deref()),
        expires_at,
        failure,
    }
}

/// What renews the credentials of `profile` (None: the default chain), read
/// from the shared config file the SDK reads.
fn renew_step(profile: Option<&str>) -> String {
    let env = |k: &str| std::env::var(k).ok();
    let (config, _) = profile_files(&env);
    let text = std::fs::read_to_string(config).unwrap_or_default();
    match profile {
        Some(p) => renewal(p, &text),
        None => default_chain_renewal(&env, &text),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

    use aws_credential_types::provider::error::CredentialsError;
    use aws_credential_types::provider::future::ProvideCredentials as ProvideFuture;

    use super::*;

    fn status(expires_in_mins: Option<i64>, failure: Option<&str>) -> CredentialsStatus {
        CredentialsStatus {
            account: "default".into(),
            profile: Some("p".into()),
            renew: String::new(),
            expires_at: expires_in_mins.map(|m| t0() + SignedDuration::from_mins(m)),
            failure: failure.map(str::to_string),
        }
    }

    fn t0() -> Timestamp {
        Timestamp::from_second(1_800_000_000).unwrap()
    }

    #[test]
    fn the_provider_is_asked_again_only_when_its_answer_may_have_changed() {
        let soon = |m| t0() + SignedDuration::from_mins(m);
        // An hour left: the answer is repeated until RECHECK has passed.
        assert!(!ask_again(t0(), &status(Some(60), None), soon(5)));
        assert!(ask_again(t0(), &status(Some(60), None), soon(10)));
        // Long-term keys, which never expire: the same.
        assert!(!ask_again(t0(), &status(None, None), soon(1)));
        // Running short, or failing: asked at every check.
        assert!(ask_again(t0(), &status(Some(20), None), soon(6)));
        assert!(ask_again(t0(), &status(None, Some("sso")), soon(0)));
    }

    /// Fails while `fail` is set, else hands out credentials expiring at t0 + 1h.
    #[derive(Debug)]
    struct Flaky {
        fail: Arc<AtomicBool>,
        asked: Arc<AtomicU32>,
    }

    impl ProvideCredentials for Flaky {
        fn provide_credentials<'a>(&'a self) -> ProvideFuture<'a>
        where
            Self: 'a,
        {
            self.asked.fetch_add(1, Ordering::SeqCst);
            ProvideFuture::ready(if self.fail.load(Ordering::SeqCst) {
                Err(CredentialsError::provider_error(
                    "the SSO session associated with this profile has expired",
                ))
            } else {
                let expiry = std::time::SystemTime::from(t0() + SignedDuration::from_hours(1));
                Ok(aws_sdk_sts::config::Credentials::new(
                    "AKID",
                    "secret",
                    Some("token".into()),
                    Some(expiry),
                    "test",
                ))
            })
        }
    }

    #[tokio::test]
    async fn a_failing_provider_is_reported_asked_again_and_then_kept_while_good() {
        let fail = Arc::new(AtomicBool::new(true));
        let asked = Arc::new(AtomicU32::new(0));
        let provider = SharedCredentialsProvider::new(Flaky {
            fail: fail.clone(),
            asked: asked.clone(),
        });
        let account = Account {
            name: "default".into(),
            profile: Some("prod-ops".into()),
            home_regions: Vec::new(),
        };
        let watch = ExpiryWatch::default();
        let failed = watch.status(&account, Some(provider.clone()), t0()).await;
        let failure = failed.failure.unwrap();
        assert!(failure.contains("SSO session"), "{failure}");
        assert_eq!(failed.profile.as_deref(), Some("prod-ops"));

        fail.store(false, Ordering::SeqCst);
        let minute = t0() + SignedDuration::from_mins(1);
        let good = watch.status(&account, Some(provider.clone()), minute).await;
        assert_eq!(good.failure, None);
        assert_eq!(good.expires_at, Some(t0() + SignedDuration::from_hours(1)));
        assert_eq!(asked.load(Ordering::SeqCst), 2);

        // An hour to live: the next check repeats the answer without asking.
        let two = t0() + SignedDuration::from_mins(2);
        assert_eq!(watch.status(&account, Some(provider), two).await, good);
        assert_eq!(asked.load(Ordering::SeqCst), 2);
    }
}
