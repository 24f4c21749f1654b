//! Drains with more than one operator on the fleet: another console or a
//! headless command inverts checks that this console has not polled yet, and
//! the `HealthCheckStatus` metric still says healthy for minutes after.

use futures_util::FutureExt;
use wavetop::protocol::{Operate, OperateCall};
use wavetop::sim::spec::{ORDERS_REGIONS, health_check_id};

use super::support::Console;

const FLOW: &str = "orders-active-active";

/// Another operator inverts a region's check, outside this console.
fn drained_elsewhere(c: &Console, region: &str) {
    c.backend
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: health_check_id(FLOW, region),
            inverted: true,
        })
        .now_or_never()
        .unwrap()
        .expect("the other operator's drain goes through");
}

fn inversions_sent(c: &Console) -> Vec<&OperateCall> {
    c.sent
        .iter()
        .filter(|call| matches!(call, OperateCall::SetHealthCheckInverted { .. }))
        .collect()
}

#[test]
fn drains_made_elsewhere_are_read_before_deciding_and_the_last_region_is_refused() {
    let mut c = Console::at_minutes(10);
    let [last, others @ ..] = ORDERS_REGIONS;
    for region in others {
        drained_elsewhere(&c, region);
    }
    // This console has not polled since: its model still has every check
    // serving. Pressing drain reads the flags fresh before it decides.
    c.navigate(FLOW, "UsEast1", last);
    c.keys("d");
    assert!(
        c.model.confirmation.is_none(),
        "the dialog closed on the fresh read"
    );
    let flash = &c.model.flash.as_ref().expect("a refusal").1;
    assert!(flash.contains("refused"), "{flash}");
    assert!(flash.contains("orders.example.com."), "{flash}");
    for region in others {
        let expected = format!(
            "{region}: check inverted (drained); its metric still says healthy [{}]",
            health_check_id(FLOW, region)
        );
        assert!(flash.contains(&expected), "{expected} not in {flash}");
    }
    assert!(inversions_sent(&c).is_empty(), "{:?}", c.sent);

    // The health view says why the drained regions do not count yet.
    c.keys("3");
    let screen = super::support::screen_text(&c.model, 160, 48);
    assert_eq!(
        screen
            .matches("INVERTED (metric still says healthy)")
            .count(),
        others.len(),
        "{screen}"
    );
}

#[test]
fn a_drain_confirmed_before_another_operator_drains_is_not_carried_out() {
    let mut c = Console::at_minutes(10);
    let [mine, others @ ..] = ORDERS_REGIONS;
    c.navigate(FLOW, "UsEast1", mine);
    c.keys("d");
    assert!(c.model.confirmation.is_some(), "the drain is allowed now");
    c.run_operations = false;
    c.type_text(mine);
    c.keys("tab right enter");
    let confirmed = c
        .held_back
        .pop()
        .expect("the confirmed drain, not yet sent");
    // Between the confirmation and the call, the other regions are drained
    // by someone else.
    for region in others {
        drained_elsewhere(&c, region);
    }
    c.run_operations = true;
    c.run(vec![confirmed]);
    assert!(inversions_sent(&c).is_empty(), "{:?}", c.sent);
    let flash = &c.model.flash.as_ref().expect("told").1;
    assert!(
        flash.contains("not done: the drain plan for us-east-1 changed since it was confirmed"),
        "{flash}"
    );
    assert!(flash.contains("nothing was called"), "{flash}");
    assert!(flash.contains("check inverted (drained)"), "{flash}");
    let last = &c.model.activity.last().unwrap().text;
    assert!(last.contains("not done"), "{last}");
    // What the guard read is merged: the health view now shows the drains.
    for region in others {
        let check = c
            .model
            .fleet
            .health
            .check(&health_check_id(FLOW, region))
            .unwrap();
        assert!(check.inverted, "{region}");
    }
}

#[test]
fn an_open_drain_dialog_is_planned_again_on_each_health_read() {
    let mut c = Console::at_minutes(10);
    let [mine, others @ ..] = ORDERS_REGIONS;
    c.navigate(FLOW, "UsEast1", mine);
    c.keys("d");
    assert!(c.model.confirmation.is_some());
    for region in others {
        drained_elsewhere(&c, region);
    }
    // The next health poll comes due with the dialog still open.
    c.advance(120);
    assert!(
        c.model.confirmation.is_none(),
        "a dialog whose drain is now refused does not stay open"
    );
    let flash = &c.model.flash.as_ref().unwrap().1;
    assert!(
        flash.contains("on a fresh read of the health checks: refused"),
        "{flash}"
    );
    assert!(inversions_sent(&c).is_empty());
}

#[test]
fn a_second_dns_change_waits_for_the_one_in_flight() {
    let mut c = Console::at_minutes(10);
    let [first, second, ..] = ORDERS_REGIONS;
    c.run_operations = false;
    for region in [first, second] {
        c.navigate(FLOW, "UsEast1", region);
        c.keys("d");
        assert!(c.model.confirmation.is_some(), "{region}: drain allowed");
        c.type_text(region);
        c.keys("tab right enter");
        c.pause_after_dialog();
    }
    assert_eq!(c.held_back.len(), 1, "only the first drain is sent");
    let flash = &c.model.flash.as_ref().expect("told").1;
    assert_eq!(
        flash,
        &format!("dns/{second}: wait for the DNS change in flight to finish")
    );
}
