use jiff::Timestamp;
use proptest::prelude::*;

use super::*;
use crate::domain::fleet::{HealthCheck, LatencySeries, Replica};

fn check(id: &str, region: &str, status: HealthStatus) -> HealthCheck {
    HealthCheck::plain(id, region, status)
}

fn record(region: &str, detail: Option<&str>, check: Option<&str>) -> Record {
    Record {
        set_identifier: format!("{region}-{}", detail.unwrap_or("r")),
        region: region.to_string(),
        routing_detail: detail.map(str::to_string),
        health_check_id: check.map(str::to_string),
    }
}

fn set(policy: RoutingPolicy, records: Vec<Record>) -> RecordSet {
    RecordSet {
        name: "api.example.com.".to_string(),
        record_type: "A".to_string(),
        policy,
        flow: Some("api".to_string()),
        records,
    }
}

const LATENCY_REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];

fn latency_three() -> Health {
    Health {
        checks: LATENCY_REGIONS
            .iter()
            .map(|r| check(&format!("hc-{r}"), r, HealthStatus::Healthy))
            .collect(),
        record_sets: vec![set(
            RoutingPolicy::Latency,
            LATENCY_REGIONS
                .iter()
                .map(|r| record(r, Some(r), Some(&format!("hc-{r}"))))
                .collect(),
        )],
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn latency_drains_two_of_three_regions_and_refuses_the_last() {
    let health = latency_three();
    let first = plan_drain(&health, "us-east-1");
    assert!(!first.is_refused(), "{first:?}");
    assert_eq!(first.invert, strings(&["hc-us-east-1"]));
    assert_eq!(
        first.receiving_regions,
        strings(&["ap-southeast-2", "eu-west-1"])
    );
    let health = with_inverted(&health, &first.invert, true);

    let second = plan_drain(&health, "eu-west-1");
    assert!(!second.is_refused());
    assert_eq!(second.receiving_regions, strings(&["ap-southeast-2"]));
    let health = with_inverted(&health, &second.invert, true);

    let last = plan_drain(&health, "ap-southeast-2");
    assert!(last.is_refused());
    assert_eq!(last.refusals[0].record_set, "api.example.com. A");
    assert!(
        last.refusals[0].reason.contains("fail open"),
        "{}",
        last.refusals[0].reason
    );
}

#[test]
fn draining_an_already_drained_region_inverts_nothing() {
    let health = latency_three();
    let plan = plan_drain(&health, "us-east-1");
    let again = plan_drain(&with_inverted(&health, &plan.invert, true), "us-east-1");
    assert!(again.invert.is_empty() && !again.is_refused(), "{again:?}");
}

/// Only the flags changed: what another operator's drain looks like while
/// the `HealthCheckStatus` metric has not caught up (it still says healthy).
fn flags_inverted(health: &Health, ids: &[&str]) -> Health {
    let mut after = health.clone();
    for c in after
        .checks
        .iter_mut()
        .filter(|c| ids.contains(&c.id.as_str()))
    {
        c.inverted = true;
    }
    after
}

#[test]
fn checks_inverted_elsewhere_do_not_serve_while_their_metric_still_says_healthy() {
    // Two drains by other operators, seconds ago: their metrics lag.
    let health = flags_inverted(&latency_three(), &["hc-us-east-1", "hc-eu-west-1"]);
    let last = plan_drain(&health, "ap-southeast-2");
    assert!(last.is_refused(), "{last:?}");
    let refusal = &last.refusals[0];
    assert_eq!(
        refusal.records,
        strings(&[
            "us-east-1: check inverted (drained); its metric still says healthy [hc-us-east-1]",
            "eu-west-1: check inverted (drained); its metric still says healthy [hc-eu-west-1]",
            "ap-southeast-2: drained by this plan [hc-ap-southeast-2]",
        ])
    );
    assert!(refusal.describe().starts_with("api.example.com. A ("));

    // The same region drained again by this operator: nothing to invert, and
    // the reason says it is already drained rather than that it is failing.
    let again = plan_drain(&health, "us-east-1");
    assert!(again.invert.is_empty());
    assert!(
        again.warnings.iter().any(|w| w.contains(
            "health check hc-us-east-1 is already inverted (drained); its metric still says healthy"
        )),
        "{:?}",
        again.warnings
    );
}

#[test]
fn a_stale_metric_does_not_count_as_serving() {
    let mut health = latency_three();
    let fetched = Timestamp::from_second(3_600).unwrap();
    for c in health.checks.iter_mut() {
        c.fetched_at = fetched;
        c.status_at = Some(fetched - jiff::SignedDuration::from_secs(60));
    }
    // Two regions' metrics stopped five minutes ago, still saying healthy.
    for c in health.checks.iter_mut().filter(|c| c.region != "us-east-1") {
        c.status_at = Some(fetched - jiff::SignedDuration::from_mins(6));
    }
    let plan = plan_drain(&health, "us-east-1");
    assert!(plan.is_refused(), "{plan:?}");
    assert!(
        plan.refusals[0].records.contains(
            &"eu-west-1: metric stale (no point for over 5 minutes), not counted [hc-eu-west-1]"
                .to_string()
        ),
        "{:?}",
        plan.refusals[0].records
    );
    // A stale check of the region itself is not inverted on a guess.
    let own = plan_drain(&health, "eu-west-1");
    assert!(own.invert.is_empty(), "{own:?}");
}

fn failover(secondary_check: Option<HealthStatus>) -> Health {
    let mut checks = vec![check("hc-primary", "us-east-1", HealthStatus::Healthy)];
    if let Some(status) = secondary_check {
        checks.push(check("hc-secondary", "us-west-2", status));
    }
    Health {
        checks,
        record_sets: vec![set(
            RoutingPolicy::Failover,
            vec![
                record("us-east-1", Some("PRIMARY"), Some("hc-primary")),
                record(
                    "us-west-2",
                    Some("SECONDARY"),
                    secondary_check.map(|_| "hc-secondary"),
                ),
            ],
        )],
    }
}

#[test]
fn draining_the_primary_moves_traffic_to_a_healthy_secondary() {
    for health in [failover(None), failover(Some(HealthStatus::Healthy))] {
        let plan = plan_drain(&health, "us-east-1");
        assert!(!plan.is_refused(), "{plan:?}");
        assert_eq!(plan.invert, strings(&["hc-primary"]));
        assert_eq!(plan.receiving_regions, strings(&["us-west-2"]));
    }
}

#[test]
fn draining_the_primary_is_refused_when_the_secondary_is_unhealthy() {
    let plan = plan_drain(&failover(Some(HealthStatus::Unhealthy)), "us-east-1");
    assert_eq!(plan.refusals.len(), 1);
    assert!(
        plan.refusals[0].reason.contains("us-east-1 is the PRIMARY"),
        "{plan:?}"
    );
}

#[test]
fn draining_the_secondary_warns_it_only_removes_the_fallback() {
    let plan = plan_drain(&failover(Some(HealthStatus::Healthy)), "us-west-2");
    assert!(!plan.is_refused());
    assert_eq!(plan.receiving_regions, strings(&["us-east-1"]));
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("removes the fallback")),
        "{plan:?}"
    );

    // The reference shape: a secondary without a health check cannot be drained.
    let plan = plan_drain(&failover(None), "us-west-2");
    assert!(plan.invert.is_empty());
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("has no health check")),
        "{plan:?}"
    );
}

fn geolocation(with_default: bool) -> Health {
    let mut records = vec![
        record("sa-east-1", Some("SA"), Some("hc-sa")),
        record("us-west-2", Some("NA"), Some("hc-na")),
    ];
    if with_default {
        records.push(record("us-east-2", Some("*"), Some("hc-default")));
    }
    Health {
        checks: vec![
            check("hc-sa", "sa-east-1", HealthStatus::Healthy),
            check("hc-na", "us-west-2", HealthStatus::Healthy),
            check("hc-default", "us-east-2", HealthStatus::Healthy),
        ],
        record_sets: vec![set(RoutingPolicy::Geolocation, records)],
    }
}

#[test]
fn geolocation_warns_when_no_default_record_catches_the_drained_location() {
    let without = plan_drain(&geolocation(false), "sa-east-1");
    assert!(!without.is_refused());
    assert!(
        without
            .warnings
            .iter()
            .any(|w| w.contains("users located in SA")),
        "{without:?}"
    );

    let with = plan_drain(&geolocation(true), "sa-east-1");
    assert!(
        !with.warnings.iter().any(|w| w.contains("users located in")),
        "{with:?}"
    );
    assert_eq!(with.receiving_regions, strings(&["us-east-2", "us-west-2"]));
}

#[test]
fn a_disabled_check_is_not_inverted_and_the_operator_is_told_why() {
    let mut health = latency_three();
    health.checks[0].disabled = true;
    let plan = plan_drain(&health, "us-east-1");
    assert!(plan.invert.is_empty());
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("hc-us-east-1 is Disabled")),
        "{plan:?}"
    );
}

#[test]
fn an_unhealthy_check_is_never_inverted_since_that_would_route_to_it() {
    let mut health = latency_three();
    health.checks[0].status = HealthStatus::Unhealthy;
    let plan = plan_drain(&health, "us-east-1");
    assert!(plan.invert.is_empty());
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("already reports unhealthy"))
    );
}

#[test]
fn restore_flips_back_what_drain_inverted() {
    let health = latency_three();
    let drain = plan_drain(&health, "eu-west-1");
    let drained = with_inverted(&health, &drain.invert, true);
    let restore = plan_restore(&drained, "eu-west-1");
    assert_eq!(restore.revert, drain.invert);
    assert_eq!(with_inverted(&drained, &restore.revert, false), health);

    let nothing = plan_restore(&health, "eu-west-1");
    assert!(nothing.revert.is_empty());
    assert!(nothing.warnings[0].contains("nothing to restore"));
}

#[test]
fn restore_never_touches_a_check_that_guards_no_watched_record() {
    // Another team's check probes eu-west-1 too, inverted by their tooling;
    // it guards nothing wavetop watches.
    let mut health = latency_three();
    health.checks.push(HealthCheck {
        inverted: true,
        ..check("hc-other-team", "eu-west-1", HealthStatus::Unhealthy)
    });
    let drain = plan_drain(&health, "eu-west-1");
    let drained = with_inverted(&health, &drain.invert, true);
    let restore = plan_restore(&drained, "eu-west-1");
    assert_eq!(restore.revert, strings(&["hc-eu-west-1"]));
}

#[test]
fn lag_warnings_name_lagging_receivers_only() {
    let at = Timestamp::UNIX_EPOCH;
    let series = |source: &str, receiving: &str, ms: f64| LatencySeries {
        source_region: source.to_string(),
        receiving_region: receiving.to_string(),
        points: vec![(at, 1.0), (at, ms)],
    };
    let table = GlobalTable {
        name: "orders".to_string(),
        flow: Some("api".to_string()),
        replicas: vec![
            Replica {
                region: "eu-west-1".to_string(),
                status: "ACTIVE".to_string(),
            },
            Replica {
                region: "ap-southeast-2".to_string(),
                status: "UPDATING".to_string(),
            },
        ],
        latency: vec![
            series("us-east-1", "eu-west-1", 2500.0),
            series("us-east-1", "ap-southeast-2", 300.0),
        ],
        fetched_at: at,
    };
    let receivers = strings(&["eu-west-1", "ap-southeast-2"]);
    let warnings = lag_warnings(std::slice::from_ref(&table), &receivers, 1000.0);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("into eu-west-1 lags 2500 ms"));
    assert!(warnings[1].contains("ap-southeast-2 is UPDATING"));
    assert_eq!(lag_warnings(&[table], &receivers, 5000.0).len(), 1);
}

// ---- properties over random topologies -------------------------------------

const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];

#[derive(Debug, Clone)]
enum CheckChoice {
    None,
    /// One of the record's own region's checks.
    Own(usize),
    /// Any check of the pool, possibly another region's.
    Any(usize),
}

fn status() -> impl Strategy<Value = HealthStatus> {
    prop_oneof![
        6 => Just(HealthStatus::Healthy),
        3 => Just(HealthStatus::Unhealthy),
        1 => Just(HealthStatus::Unknown),
    ]
}

/// How old the metric point behind a generated status is, in seconds;
/// None: the source did not say.
fn metric_age() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        6 => Just(Some(60)),
        2 => Just(Some(10 * 60)),
        1 => Just(None),
    ]
}

fn checks() -> impl Strategy<Value = Vec<HealthCheck>> {
    proptest::collection::vec(
        (
            0..4usize,
            status(),
            prop::bool::weighted(0.2),
            prop::bool::weighted(0.1),
            metric_age(),
        ),
        1..10,
    )
    .prop_map(|specs| {
        let fetched = Timestamp::from_second(86_400).unwrap();
        specs
            .into_iter()
            .enumerate()
            .map(
                |(i, (region, status, inverted, disabled, age))| HealthCheck {
                    inverted,
                    disabled,
                    fetched_at: fetched,
                    status_at: age.map(|secs| fetched - jiff::SignedDuration::from_secs(secs)),
                    ..check(&format!("hc-{i}"), REGIONS[region], status)
                },
            )
            .collect()
    })
}

/// Serving by flag and by metric, spelled out from the fields rather than
/// through the rule under test: not inverted; and Disabled (Route53 treats
/// it as healthy) or a healthy metric point at most five minutes old.
fn serves_by_flag_and_metric(health: &Health, record: &Record) -> bool {
    let Some(id) = &record.health_check_id else {
        return true;
    };
    let Some(c) = health.check(id) else {
        return false;
    };
    let fresh = c
        .status_at
        .is_none_or(|at| c.fetched_at.as_second() - at.as_second() <= 300);
    !c.inverted && (c.disabled || (c.status == HealthStatus::Healthy && fresh))
}

fn check_choice() -> impl Strategy<Value = CheckChoice> {
    prop_oneof![
        2 => Just(CheckChoice::None),
        6 => (0..3usize).prop_map(CheckChoice::Own),
        1 => (0..10usize).prop_map(CheckChoice::Any),
    ]
}

fn policy() -> impl Strategy<Value = RoutingPolicy> {
    prop_oneof![
        Just(RoutingPolicy::Latency),
        Just(RoutingPolicy::Failover),
        Just(RoutingPolicy::Geolocation),
        Just(RoutingPolicy::Weighted),
        Just(RoutingPolicy::Simple),
    ]
}

type RecordSpec = (usize, CheckChoice);

fn topology() -> impl Strategy<Value = Health> {
    let set_spec = (
        policy(),
        proptest::collection::vec((0..4usize, check_choice()), 1..5),
    );
    (checks(), proptest::collection::vec(set_spec, 1..4)).prop_map(|(checks, sets)| {
        let record_sets = sets
            .into_iter()
            .enumerate()
            .map(|(n, (policy, specs))| build_set(n, policy, specs, &checks))
            .collect();
        Health {
            checks,
            record_sets,
        }
    })
}

fn build_set(
    n: usize,
    policy: RoutingPolicy,
    mut specs: Vec<RecordSpec>,
    checks: &[HealthCheck],
) -> RecordSet {
    if policy == RoutingPolicy::Failover {
        // One PRIMARY and at most one SECONDARY.
        specs.truncate(2);
    }
    let records = specs
        .into_iter()
        .enumerate()
        .map(|(i, (region, choice))| {
            let region = REGIONS[region];
            let own: Vec<&HealthCheck> = checks.iter().filter(|c| c.region == region).collect();
            let check_id = match choice {
                CheckChoice::None => None,
                CheckChoice::Own(k) => own.get(k % own.len().max(1)).map(|c| c.id.clone()),
                CheckChoice::Any(k) => Some(checks[k % checks.len()].id.clone()),
            };
            let detail = match policy {
                RoutingPolicy::Failover if i == 0 => "PRIMARY".to_string(),
                RoutingPolicy::Failover => "SECONDARY".to_string(),
                RoutingPolicy::Geolocation if i == 0 => "*".to_string(),
                _ => format!("loc{i}"),
            };
            Record {
                set_identifier: format!("rec-{n}-{i}"),
                region: region.to_string(),
                routing_detail: Some(detail),
                health_check_id: check_id,
            }
        })
        .collect();
    RecordSet {
        name: format!("svc{n}.example.com."),
        ..set(policy, records)
    }
}

fn touched(set: &RecordSet, region: &str, inverted: &[String]) -> bool {
    set.records.iter().any(|r| {
        r.region == region
            || r.health_check_id
                .as_ref()
                .is_some_and(|id| inverted.contains(id))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn an_accepted_drain_leaves_every_affected_set_served_elsewhere(
        health in topology(),
        region in proptest::sample::select(REGIONS.to_vec()),
    ) {
        let plan = plan_drain(&health, region);
        let after = with_inverted(&health, &plan.invert, true);

        // Whatever the verdict, an inverted check stops routing (never the trap).
        for id in &plan.invert {
            prop_assert!(!after.check(id).unwrap().routes_traffic(), "{} routes after inversion", id);
        }

        if plan.is_refused() {
            for refusal in &plan.refusals {
                let set = health.record_sets.iter()
                    .find(|s| record_set_label(s) == refusal.record_set)
                    .expect("a refusal names a real record set");
                prop_assert!(!has_healthy_record(&after, set), "{:?}", refusal);
            }
            return Ok(());
        }

        for set in health.record_sets.iter().filter(|s| touched(s, region, &plan.invert)) {
            prop_assert!(has_healthy_record(&after, set), "{} fails open", record_set_label(set));
            for record in serving_records(&after, set).into_iter().filter(|r| r.region == region) {
                let explained = match &record.health_check_id {
                    None => plan.warnings.iter().any(|w| w.contains(&record.set_identifier)),
                    Some(id) => plan.warnings.iter().any(|w| w.contains(&format!("check {id} "))),
                };
                prop_assert!(explained, "{:?} still serves without a warning: {:?}", record, plan.warnings);
            }
            for record in serving_records(&after, set).into_iter().filter(|r| r.region != region) {
                prop_assert!(plan.receiving_regions.contains(&record.region));
            }
        }
    }

    #[test]
    fn no_accepted_drain_leaves_a_set_without_a_record_serving_by_flag_and_metric(
        health in topology(),
        region in proptest::sample::select(REGIONS.to_vec()),
    ) {
        let plan = plan_drain(&health, region);
        prop_assume!(!plan.is_refused());
        // After the drain only the flags have changed: the metrics lag.
        let mut after = health.clone();
        for c in after.checks.iter_mut().filter(|c| plan.invert.contains(&c.id)) {
            c.inverted = true;
        }
        for set in health.record_sets.iter().filter(|s| touched(s, region, &plan.invert)) {
            prop_assert!(
                set.records.iter().any(|r| serves_by_flag_and_metric(&after, r)),
                "{} is left with no record serving: {:?}",
                record_set_label(set),
                plan
            );
        }
    }

    #[test]
    fn every_refused_set_would_fail_open_and_no_healthy_set_is_refused_for_nothing(
        health in topology(),
        region in proptest::sample::select(REGIONS.to_vec()),
    ) {
        let plan = plan_drain(&health, region);
        let after = with_inverted(&health, &plan.invert, true);
        let failing: Vec<String> = health.record_sets.iter()
            .filter(|s| touched(s, region, &plan.invert) && !has_healthy_record(&after, s))
            .map(record_set_label)
            .collect();
        let refused: Vec<String> = plan.refusals.iter().map(|r| r.record_set.clone()).collect();
        prop_assert_eq!(refused, failing);
    }

    #[test]
    fn restoring_after_a_drain_brings_the_checks_back(
        health in topology(),
        region in proptest::sample::select(REGIONS.to_vec()),
    ) {
        let plan = plan_drain(&health, region);
        let drained = with_inverted(&health, &plan.invert, true);
        let restore = plan_restore(&drained, region);
        for id in &plan.invert {
            prop_assert!(restore.revert.contains(id), "{} is not reverted", id);
        }
        let restored = with_inverted(&drained, &restore.revert, false);
        for id in &plan.invert {
            prop_assert_eq!(restored.check(id), health.check(id));
        }
    }
}
