//! Pacing of every call the backend makes: at most a few requests in flight
//! per (account, region, service), and a request rate per service endpoint
//! that halves when the endpoint throttles and climbs back while it answers
//! ([`Aimd`]). Reads run side by side (discovery's GetPipeline per pipeline,
//! a flow's pipelines, a region's stacks, the snapshot's keys) and this is
//! what keeps them within what AWS allows.
//!
//! The figures, per endpoint:
//! - Route53 is one endpoint per account, limited by AWS to five requests a
//!   second for the whole account (Route53 quotas, "API requests"). wavetop
//!   keeps to three so that other tools and operators in the same account
//!   (a CDK deploy, the console) are not throttled because of it.
//! - CloudWatch documents GetMetricData at 50 transactions a second per
//!   account and region (CloudWatch quotas); wavetop keeps to half of it.
//! - CodePipeline and CloudFormation publish no request rate for their read
//!   calls (their quotas pages list resource counts only). For such APIs
//!   the AWS SDKs' own "adaptive" retry mode (AWS SDKs and Tools reference
//!   guide, "Retry behavior") sends freely and limits the client's rate
//!   only once it is throttled; wavetop does the same within a bound: 8
//!   requests in flight per (account, region), which at AWS's usual 50 to
//!   100 ms a read is 80 to 160 a second, under a ceiling of 200 a second
//!   that the first throttle halves.
//! - DynamoDB DescribeTable and STS GetCallerIdentity are read once per table
//!   or account per poll or discovery: small figures are plenty.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::Semaphore;

use super::DEFAULT_ACCOUNT;
use super::rate_limit::{Aimd, TokenBucket};
use crate::protocol::{Pace, SourceError};

/// The services the backend calls, each a set of endpoints of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    CodePipeline,
    CloudFormation,
    Route53,
    CloudWatch,
    DynamoDb,
    Sts,
}

/// How one endpoint of a service is paced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Requests in flight at once, per (account, region, service).
    pub in_flight: usize,
    /// Requests a second: the most, and the least a run of throttles leaves.
    pub ceiling: f64,
    pub floor: f64,
}

/// Answers that take the rate from its floor back to its ceiling: slow
/// enough that a recovered endpoint is not hit by a new burst at once.
const RECOVERY_ANSWERS: u32 = 40;

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::CodePipeline => "codepipeline",
            Service::CloudFormation => "cloudformation",
            Service::Route53 => "route53",
            Service::CloudWatch => "cloudwatch",
            Service::DynamoDb => "dynamodb",
            Service::Sts => "sts",
        }
    }

    /// See the module docs for where each figure comes from.
    pub fn limits(self) -> Limits {
        let (in_flight, ceiling, floor) = match self {
            Service::CodePipeline | Service::CloudFormation => (8, 200.0, 1.0),
            Service::Route53 => (2, 3.0, 0.5),
            Service::CloudWatch => (4, 25.0, 1.0),
            Service::DynamoDb => (4, 10.0, 0.5),
            Service::Sts => (2, 5.0, 0.5),
        };
        Limits {
            in_flight,
            ceiling,
            floor,
        }
    }

    /// Route53 has one global endpoint: its limit is the account's, whatever
    /// region the client names.
    fn endpoint_region(self, region: &str) -> &str {
        match self {
            Service::Route53 => "global",
            _ => region,
        }
    }
}

/// One endpoint: its in-flight permits, its token bucket and the rate the
/// bucket refills at.
struct Lane {
    in_flight: Semaphore,
    pace: Mutex<LanePace>,
}

struct LanePace {
    bucket: TokenBucket,
    aimd: Aimd,
    throttles: u64,
}

type EndpointKey = (String, String, Service);

/// Every endpoint's lane, made on first use.
#[derive(Default)]
pub struct Pacer {
    lanes: Mutex<BTreeMap<EndpointKey, Arc<Lane>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Pacer {
    /// Makes `call` once a permit of its (account, region, service) and a
    /// token of its endpoint are free, and lets its answer set the pace: a
    /// throttle halves the rate, any other answer raises it a step.
    pub async fn run<T>(
        &self,
        account: &str,
        region: &str,
        service: Service,
        call: impl Future<Output = Result<T, SourceError>>,
    ) -> Result<T, SourceError> {
        let lane = self.lane(account, region, service);
        // The semaphore is never closed, so acquiring only waits.
        let _permit = lane
            .in_flight
            .acquire()
            .await
            .map_err(|e| SourceError::Other(format!("{}: {e}", service.name())))?;
        lane.wait_for_token().await;
        let answer = call.await;
        lane.record(&answer);
        answer
    }

    /// Every endpoint used so far, with its rate now.
    pub fn pacing(&self) -> Vec<Pace> {
        lock(&self.lanes)
            .iter()
            .map(|((account, region, service), lane)| {
                let pace = lock(&lane.pace);
                let endpoint = if account == DEFAULT_ACCOUNT {
                    format!("{} {region}", service.name())
                } else {
                    format!("{} {region} (account {account})", service.name())
                };
                Pace {
                    endpoint,
                    per_second: pace.aimd.rate(),
                    ceiling: pace.aimd.ceiling(),
                    throttles: pace.throttles,
                }
            })
            .collect()
    }

    fn lane(&self, account: &str, region: &str, service: Service) -> Arc<Lane> {
        let key = (
            account.to_string(),
            service.endpoint_region(region).to_string(),
            service,
        );
        lock(&self.lanes)
            .entry(key)
            .or_insert_with(|| Arc::new(Lane::new(service.limits())))
            .clone()
    }
}

impl Lane {
    fn new(limits: Limits) -> Self {
        let aimd = Aimd::new(limits.floor, limits.ceiling, RECOVERY_ANSWERS);
        // A second's worth of requests may go at once; more waits its turn.
        let burst = limits.ceiling.ceil().clamp(1.0, f64::from(u32::MAX)) as u32;
        Self {
            in_flight: Semaphore::new(limits.in_flight),
            pace: Mutex::new(LanePace {
                bucket: TokenBucket::new(burst, aimd.rate(), Instant::now()),
                aimd,
                throttles: 0,
            }),
        }
    }

    async fn wait_for_token(&self) {
        loop {
            let wait = match lock(&self.pace).bucket.try_take(Instant::now()) {
                Ok(()) => return,
                Err(wait) => wait,
            };
            tokio::time::sleep(wait).await;
        }
    }

    fn record<T>(&self, answer: &Result<T, SourceError>) {
        let mut pace = lock(&self.pace);
        match answer {
            Err(SourceError::Throttled(_)) => {
                pace.aimd.on_throttle();
                pace.throttles = pace.throttles.saturating_add(1);
            }
            _ => pace.aimd.on_answer(),
        }
        let rate = pace.aimd.rate();
        pace.bucket.set_rate(rate);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttled() -> Result<(), SourceError> {
        Err(SourceError::Throttled("slow down".into()))
    }

    #[tokio::test]
    async fn route53_is_one_endpoint_per_account_whatever_the_region() {
        let pacer = Pacer::default();
        let _ = pacer
            .run("default", "us-east-1", Service::Route53, async {
                throttled()
            })
            .await;
        let _ = pacer
            .run("default", "eu-west-1", Service::Route53, async { Ok(()) })
            .await;
        let paces = pacer.pacing();
        assert_eq!(paces.len(), 1, "{paces:?}");
        assert_eq!(
            paces.first().map(|p| p.endpoint.as_str()),
            Some("route53 global")
        );
        assert_eq!(paces.first().map(|p| p.throttles), Some(1));
    }

    #[tokio::test]
    async fn each_region_and_account_has_its_own_pace() {
        let pacer = Pacer::default();
        for (account, region) in [
            ("default", "us-east-1"),
            ("default", "eu-west-1"),
            ("prod", "us-east-1"),
        ] {
            let _ = pacer
                .run(account, region, Service::CodePipeline, async { Ok(()) })
                .await;
        }
        let _ = pacer
            .run("prod", "us-east-1", Service::CodePipeline, async {
                throttled()
            })
            .await;
        let endpoints: Vec<(String, bool)> = pacer
            .pacing()
            .into_iter()
            .map(|p| (p.endpoint.clone(), p.slowed()))
            .collect();
        assert_eq!(
            endpoints,
            vec![
                ("codepipeline eu-west-1".to_string(), false),
                ("codepipeline us-east-1".to_string(), false),
                ("codepipeline us-east-1 (account prod)".to_string(), true),
            ]
        );
    }
}
