//! Route53 health checks: endpoints that now and then stop answering for a
//! while, seen by several checker regions each a little behind the other.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::rng::SimRng;
use super::spec::CheckSpec;
use crate::domain::fleet::{CheckerObservation, HealthCheck, HealthStatus};

/// Route53's checker regions the demo reports.
pub const CHECKER_REGIONS: [&str; 6] = [
    "us-east-1",
    "us-west-1",
    "eu-west-1",
    "ap-southeast-1",
    "ap-northeast-1",
    "sa-east-1",
];

/// How long the `HealthCheckStatus` metric takes to follow a change of
/// `Inverted`: the checkers re-evaluate (30 s x 3 failures) and the minute's
/// point is published. Until then it reports what the old flag gave.
pub const METRIC_LAG: SignedDuration = SignedDuration::from_secs(150);

/// Chance per check per second that its endpoint starts failing (about
/// once every forty minutes).
const OUTAGE_CHANCE_PER_SEC: f64 = 1.0 / 2400.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckSim {
    pub id: String,
    pub region: String,
    pub target: String,
    pub inverted: bool,
    /// When `inverted` last changed: the metric reports the old flag until
    /// [`METRIC_LAG`] has passed.
    #[serde(default)]
    inverted_changed_at: Option<Timestamp>,
    /// When the endpoint stopped and will answer again.
    outage: Option<(Timestamp, Timestamp)>,
}

impl CheckSim {
    pub fn new(spec: &CheckSpec) -> Self {
        Self {
            id: spec.id.clone(),
            region: spec.region.clone(),
            target: spec.target.clone(),
            inverted: false,
            inverted_changed_at: None,
            outage: None,
        }
    }

    /// Sets `Inverted` as UpdateHealthCheck does; the metric follows later.
    pub fn set_inverted(&mut self, inverted: bool, now: Timestamp) {
        if self.inverted != inverted {
            self.inverted = inverted;
            self.inverted_changed_at = Some(now);
        }
    }

    /// The flag the metric reflects at `now`.
    fn inverted_in_metric(&self, now: Timestamp) -> bool {
        match self.inverted_changed_at {
            Some(at) if now < at + METRIC_LAG => !self.inverted,
            _ => self.inverted,
        }
    }

    pub fn tick(&mut self, now: Timestamp, rng: &mut SimRng) {
        // Keep the last outage around until every checker has seen its end.
        if let Some((_, until)) = self.outage
            && now > until + checker_lag(CHECKER_REGIONS.len() - 1)
        {
            self.outage = None;
        }
        if self.outage.is_none() && rng.chance(OUTAGE_CHANCE_PER_SEC) {
            let len = SignedDuration::from_secs(rng.range(30, 120));
            self.outage = Some((now, now + len));
        }
    }

    /// Whether the endpoint answered, as the checker with index `i` last saw it.
    fn checker_sees_healthy(&self, i: usize, now: Timestamp) -> bool {
        let seen = now - checker_lag(i);
        !matches!(self.outage, Some((from, until)) if seen >= from && seen < until)
    }

    pub fn observations(&self, now: Timestamp) -> Vec<CheckerObservation> {
        CHECKER_REGIONS
            .iter()
            .enumerate()
            .map(|(i, region)| {
                let healthy = self.checker_sees_healthy(i, now);
                let reason = if healthy {
                    "Success: HTTP Status Code 200, OK".to_string()
                } else {
                    "Failure: HTTP Status Code 503, Service Unavailable. Resolved IP: 203.0.113.20"
                        .to_string()
                };
                CheckerObservation {
                    checker_region: region.to_string(),
                    healthy,
                    reason,
                    observed_at: now - checker_lag(i),
                }
            })
            .collect()
    }

    /// Route53 calls an endpoint healthy when more than 18% of checkers do;
    /// an inverted check reports the opposite, once the metric has caught
    /// up with the flag.
    pub fn status(&self, now: Timestamp) -> HealthStatus {
        let healthy = (0..CHECKER_REGIONS.len())
            .filter(|&i| self.checker_sees_healthy(i, now))
            .count();
        let endpoint_up = healthy as f64 / CHECKER_REGIONS.len() as f64 > 0.18;
        if endpoint_up != self.inverted_in_metric(now) {
            HealthStatus::Healthy
        } else {
            HealthStatus::Unhealthy
        }
    }

    pub fn to_check(&self, now: Timestamp, with_checkers: bool) -> HealthCheck {
        HealthCheck {
            id: self.id.clone(),
            region: self.region.clone(),
            target: self.target.clone(),
            status: self.status(now),
            inverted: self.inverted,
            disabled: false,
            checkers: if with_checkers {
                self.observations(now)
            } else {
                Vec::new()
            },
            status_at: Some(now),
            fetched_at: now,
        }
    }
}

/// How far behind the i-th checker region reports.
fn checker_lag(i: usize) -> SignedDuration {
    SignedDuration::from_secs(3 * i as i64 + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check() -> CheckSim {
        CheckSim::new(&CheckSpec {
            id: "abc".into(),
            region: "eu-west-1".into(),
            target: "https://x/health".into(),
        })
    }

    fn t0() -> Timestamp {
        "2026-11-20T02:00:00Z".parse().unwrap()
    }

    #[test]
    fn outage_turns_checkers_and_status_unhealthy_then_recovers() {
        let mut c = check();
        assert_eq!(c.status(t0()), HealthStatus::Healthy);
        c.outage = Some((t0(), t0() + SignedDuration::from_secs(60)));
        let mid = t0() + SignedDuration::from_secs(40);
        assert_eq!(c.status(mid), HealthStatus::Unhealthy);
        let obs = c.observations(mid);
        assert!(
            obs.iter()
                .all(|o| !o.healthy && o.reason.starts_with("Failure"))
        );
        let after = t0() + SignedDuration::from_secs(120);
        assert_eq!(c.status(after), HealthStatus::Healthy);
        assert!(
            c.observations(after)
                .iter()
                .all(|o| o.healthy && o.reason.starts_with("Success"))
        );
    }

    #[test]
    fn inverted_healthy_check_reports_unhealthy() {
        let mut c = check();
        c.inverted = true;
        assert_eq!(c.status(t0()), HealthStatus::Unhealthy);
        assert!(!c.to_check(t0(), false).routes_traffic());
    }

    #[test]
    fn the_metric_follows_an_inversion_only_after_the_lag() {
        let mut c = check();
        c.set_inverted(true, t0());
        let just_after = t0() + SignedDuration::from_secs(10);
        assert_eq!(c.status(just_after), HealthStatus::Healthy, "metric lags");
        assert!(
            !c.to_check(just_after, false).routes_traffic(),
            "the flag alone already takes the record out"
        );
        assert_eq!(c.status(t0() + METRIC_LAG), HealthStatus::Unhealthy);
        c.set_inverted(false, t0() + METRIC_LAG);
        assert_eq!(
            c.status(t0() + METRIC_LAG + SignedDuration::from_secs(1)),
            HealthStatus::Unhealthy,
            "a restore lags the same way"
        );
    }

    #[test]
    fn checkers_lag_behind_each_other_at_an_outage_start() {
        let mut c = check();
        c.outage = Some((t0(), t0() + SignedDuration::from_secs(60)));
        let obs = c.observations(t0() + SignedDuration::from_secs(6));
        assert!(obs.iter().any(|o| o.healthy));
        assert!(obs.iter().any(|o| !o.healthy));
    }
}
