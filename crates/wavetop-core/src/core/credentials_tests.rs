//! Expired credentials through update(): the banner names the profile and
//! its renewal, what was read stays and is shown stale, and the first read
//! that works again ends it, without a restart.

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::core::bindings::Bindings;
use crate::core::msg::Msg;
use crate::core::update::update;
use crate::domain::window::Windows;
use crate::protocol::Observation;

fn t0() -> Timestamp {
    Timestamp::from_second(1_800_000_000).unwrap()
}

fn sso(expires_in: Option<i64>, failure: Option<&str>) -> CredentialsStatus {
    CredentialsStatus {
        account: "default".into(),
        profile: Some("prod-ops".into()),
        renew: "run aws sso login --profile prod-ops".into(),
        expires_at: expires_in.map(|m| t0() + SignedDuration::from_mins(m)),
        failure: failure.map(str::to_string),
    }
}

/// Answers the health poll, sending it first.
fn answer(model: &mut Model, result: Result<Observation, SourceError>, now: Timestamp) {
    model.poll.expedite(&PollKey::Health, now);
    let generation = model
        .poll
        .due(now)
        .into_iter()
        .find_map(|(key, generation)| (key == PollKey::Health).then_some(generation))
        .expect("the health key is due");
    update(
        model,
        Msg::Polled {
            key: PollKey::Health,
            generation,
            result,
            incomplete: None,
        },
        now,
    );
}

fn console() -> Model {
    let mut model = Model::new(t0(), Bindings::default(), Windows::default(), false);
    model.poll.register(PollKey::Health, t0());
    update(
        &mut model,
        Msg::Credentials(vec![sso(Some(50), None)]),
        t0(),
    );
    model
}

#[test]
fn an_expired_token_raises_the_banner_and_the_next_good_read_ends_it() {
    let mut model = console();
    let healthy = Observation::Health { checks: Vec::new() };
    answer(&mut model, Ok(healthy.clone()), t0());
    assert!(model.credentials.expired.is_none());
    assert!(stale_keys(&model).is_empty());

    let later = t0() + SignedDuration::from_secs(30);
    let expired = SourceError::ExpiredCredentials(
        "route53:ListHealthChecks: ExpiredToken: The security token included in the request is expired".into(),
    );
    answer(&mut model, Err(expired), later);
    let banner = model
        .credentials
        .expired
        .as_ref()
        .expect("a banner")
        .banner();
    assert!(banner.contains("profile prod-ops expired"), "{banner}");
    assert!(
        banner.contains("aws sso login --profile prod-ops"),
        "{banner}"
    );
    // What was read stays, and shows as stale at once, not three intervals later.
    assert!(model.poll.state(&PollKey::Health).unwrap().last_ok == Some(t0()));
    assert!(model.poll.stale_keys(later).is_empty());
    assert_eq!(stale_keys(&model), vec![&PollKey::Health]);

    let renewed = later + SignedDuration::from_mins(5);
    answer(&mut model, Ok(healthy), renewed);
    assert!(model.credentials.expired.is_none());
    assert!(stale_keys(&model).is_empty());
    let last = model.activity.iter().last().unwrap();
    assert!(last.text.contains("work again"), "{}", last.text);
}

#[test]
fn a_provider_that_cannot_refresh_raises_the_banner_by_itself() {
    let mut model = console();
    update(
        &mut model,
        Msg::Credentials(vec![sso(None, Some("the SSO session has expired"))]),
        t0(),
    );
    let expired = model.credentials.expired.as_ref().expect("a banner");
    assert_eq!(expired.who, "profile prod-ops");
    assert_eq!(expired.renew, "run aws sso login --profile prod-ops");
    // Said once in the activity log, not at every check.
    update(
        &mut model,
        Msg::Credentials(vec![sso(None, Some("the SSO session has expired"))]),
        t0(),
    );
    let said = model
        .activity
        .iter()
        .filter(|e| e.text.contains("prod-ops expired"))
        .count();
    assert_eq!(said, 1);
}

#[test]
fn the_time_left_shows_only_under_fifteen_minutes() {
    let mut model = console();
    assert_eq!(time_left(&model), None);
    let soon = t0() + SignedDuration::from_mins(36);
    model.now = soon;
    assert_eq!(
        time_left(&model),
        Some((
            "profile prod-ops".to_string(),
            SignedDuration::from_mins(14)
        ))
    );
    model.now = t0() + SignedDuration::from_mins(51);
    assert_eq!(
        time_left(&model),
        Some(("profile prod-ops".to_string(), SignedDuration::ZERO))
    );
}
