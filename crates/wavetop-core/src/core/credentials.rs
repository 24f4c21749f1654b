//! Credentials that run out: the time left when it runs short, a banner
//! naming the profile and its renewal once they have run out, and its end
//! at the first read that works again. Nothing is restarted: the polls go on
//! (backing off), keep what they last read, and show it as stale.

use jiff::SignedDuration;

use super::model::{ActivityKind, Model};
use crate::protocol::{CredentialsStatus, PollKey, SourceError};

/// The header shows the time left on credentials below this.
pub const SHOW_TIME_LEFT_UNDER: SignedDuration = SignedDuration::from_mins(15);

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CredentialsState {
    /// What the backend last said of each account's credentials.
    pub accounts: Vec<CredentialsStatus>,
    /// Set while reads fail for expired credentials.
    pub expired: Option<Expired>,
}

/// What the banner says while credentials are expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    /// `profile prod`.
    pub who: String,
    /// `run aws sso login --profile prod`, or the step that applies.
    pub renew: String,
}

impl Expired {
    pub fn banner(&self) -> String {
        format!(
            "⚠ {} expired: {}. Last data kept, marked stale; reads resume by themselves once it works",
            self.who, self.renew
        )
    }
}

/// The backend's word on each account's credentials.
pub fn on_statuses(model: &mut Model, statuses: Vec<CredentialsStatus>) {
    let failed = statuses.iter().find(|s| s.failure.is_some()).cloned();
    if statuses != model.credentials.accounts {
        model.needs_render = true;
    }
    model.credentials.accounts = statuses;
    if let Some(status) = failed {
        raise(model, &status);
    }
}

/// A read failed: expired credentials raise the banner.
pub fn on_read_failed(model: &mut Model, err: &SourceError) {
    if !matches!(err, SourceError::ExpiredCredentials(_)) {
        return;
    }
    let status = model
        .credentials
        .accounts
        .iter()
        .find(|s| s.failure.is_some())
        .or_else(|| model.credentials.accounts.first())
        .cloned()
        .unwrap_or_else(|| CredentialsStatus {
            account: "default".to_string(),
            profile: None,
            renew: "renew the credentials wavetop was started with".to_string(),
            expires_at: None,
            failure: None,
        });
    raise(model, &status);
}

/// A read worked: the credentials do again.
pub fn on_read_ok(model: &mut Model) {
    if let Some(expired) = model.credentials.expired.take() {
        model.log(
            ActivityKind::Info,
            format!("{} work again: reads resumed", expired.who),
        );
        model
            .credentials
            .accounts
            .iter_mut()
            .for_each(|s| s.failure = None);
    }
}

fn raise(model: &mut Model, status: &CredentialsStatus) {
    let who = status.who();
    if model
        .credentials
        .expired
        .as_ref()
        .is_some_and(|e| e.who == who)
    {
        return;
    }
    model.log(
        ActivityKind::Error,
        format!("{who} expired: {}", status.renew),
    );
    model.credentials.expired = Some(Expired {
        who,
        renew: status.renew.clone(),
    });
    model.needs_render = true;
}

/// The credentials that run out soonest, when that is within
/// [`SHOW_TIME_LEFT_UNDER`]: whose, and how long they have left.
pub fn time_left(model: &Model) -> Option<(String, SignedDuration)> {
    model
        .credentials
        .accounts
        .iter()
        .filter(|s| s.failure.is_none())
        .filter_map(|s| Some((s.who(), s.expires_at?.duration_since(model.now))))
        .min_by_key(|(_, left)| *left)
        .filter(|(_, left)| *left < SHOW_TIME_LEFT_UNDER)
        .map(|(who, left)| (who, left.max(SignedDuration::ZERO)))
}

/// Keys shown as stale: those the scheduler finds old, and those whose last
/// read failed for expired credentials, which will not be fresh again until
/// the operator renews them.
pub fn stale_keys(model: &Model) -> Vec<&PollKey> {
    let mut keys = model.poll.stale_keys(model.now);
    for (key, state) in model.poll.keys() {
        let expired = matches!(
            state.last_error,
            Some((_, SourceError::ExpiredCredentials(_)))
        );
        if expired && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

#[cfg(test)]
#[path = "credentials_tests.rs"]
mod tests;
