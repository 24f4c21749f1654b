use jiff::Timestamp;

use super::*;
use crate::domain::fleet::{
    Fleet, Health, HealthCheck, HealthStatus, Record, RecordSet, RoutingPolicy,
};
use crate::domain::window::Windows;

fn latency_pair(status: HealthStatus) -> Fleet {
    let mut fleet = Fleet::empty();
    let regions = ["us-east-1", "eu-west-1"];
    fleet.health = Health {
        checks: regions
            .iter()
            .map(|r| HealthCheck::plain(&format!("hc-{r}"), r, status))
            .collect(),
        record_sets: vec![RecordSet {
            name: "api.example.com.".to_string(),
            record_type: "A".to_string(),
            policy: RoutingPolicy::Latency,
            flow: None,
            records: regions
                .iter()
                .map(|r| Record {
                    set_identifier: r.to_string(),
                    region: r.to_string(),
                    routing_detail: Some(r.to_string()),
                    health_check_id: Some(format!("hc-{r}")),
                })
                .collect(),
        }],
    };
    fleet
}

fn ctx<'a>(fleet: &'a Fleet, windows: &'a Windows) -> OperatorCtx<'a> {
    OperatorCtx {
        fleet,
        windows,
        now: Timestamp::UNIX_EPOCH,
        lag_warning_ms: 5_000.0,
        scheduler: None,
    }
}

#[test]
fn a_drain_with_nothing_to_invert_says_why_each_check_was_left_alone() {
    let windows = Windows::default();
    let unread = latency_pair(HealthStatus::Unknown);
    let err = propose_drain(&ctx(&unread, &windows), "us-east-1", false)
        .err()
        .unwrap();
    assert!(err.contains("hc-us-east-1 has no status yet"), "{err}");
    assert!(!err.contains("already drained"), "{err}");

    let nowhere = latency_pair(HealthStatus::Healthy);
    let err = propose_drain(&ctx(&nowhere, &windows), "ap-south-1", false)
        .err()
        .unwrap();
    assert!(err.contains("nothing to drain"), "{err}");

    let healthy = propose_drain(&ctx(&nowhere, &windows), "us-east-1", true)
        .ok()
        .unwrap();
    assert!(matches!(
        healthy.intent,
        Intent::Drain { ref health_check_ids, .. } if health_check_ids == &["hc-us-east-1"]
    ));
}
