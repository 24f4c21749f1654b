//! The service endpoint a poll key's requests go to. AWS throttles and
//! recovers per (account, region, service), so keys on one endpoint share
//! their fate: when one of them is answered again, the others need not wait
//! out their backoff.

use crate::domain::fleet::Flow;
use crate::protocol::PollKey;

/// (service, account, region) of the endpoint, as names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Endpoint {
    pub service: String,
    pub account: String,
    pub region: String,
}

/// Route53, and the CloudWatch metric that carries its health checks' status,
/// answer in one region whatever the fleet's regions.
const ROUTE53_REGION: &str = "us-east-1";

impl Endpoint {
    fn new(service: &str, account: &str, region: &str) -> Endpoint {
        Endpoint {
            service: service.to_string(),
            account: account.to_string(),
            region: region.to_string(),
        }
    }

    /// What the key's name alone tells: a region's stacks go to its
    /// CloudFormation, health checks to Route53. A pipeline's or a table's
    /// endpoint depends on where it lives, so until that is known
    /// ([`Endpoint::of_flow`]) such a key is an endpoint of its own.
    pub fn of_key(key: &PollKey) -> Endpoint {
        match key {
            PollKey::Stacks { region } => Endpoint::new("cloudformation", "", region),
            PollKey::Health | PollKey::Checkers { .. } => {
                Endpoint::new("route53", "", ROUTE53_REGION)
            }
            PollKey::Alarms { region } | PollKey::AlarmHistory { region, .. } => {
                Endpoint::new("cloudwatch", "", region)
            }
            PollKey::HoldSchedules {
                account, region, ..
            } => Endpoint::new("scheduler", account, region),
            PollKey::Flow { .. } | PollKey::Replication { .. } | PollKey::Revisions { .. } => {
                Endpoint::new("own", "", &key.label())
            }
        }
    }

    /// A flow's pipelines are read from CodePipeline in the home region (and
    /// account) of its first pipeline, where a chain starts.
    pub fn of_flow(flow: &Flow) -> Endpoint {
        match flow.pipelines.first() {
            Some(p) => Endpoint::new("codepipeline", &p.account, &p.home_region),
            None => Endpoint::of_key(&PollKey::Flow {
                flow: flow.name.clone(),
            }),
        }
    }
}
