//! What discovery could not read (a hosted zone) is named in the header, the
//! activity log, the sources panel and the health view, asked for again
//! later or on refresh, and dropped once a discovery reads it.

use futures_util::FutureExt;
use jiff::SignedDuration;

use wavetop::core::key::Key;
use wavetop::core::msg::{Effect, Msg};
use wavetop::core::update::update;
use wavetop::protocol::{Discovery, Observe, ReadError, SourceError, zone_source};

use crate::render_tests::{dark, find, render};
use crate::support::Console;

const ZONE: &str = "/hostedzone/D02I8FIJBFFD89L22D4Q6W";

fn zone_error() -> ReadError {
    ReadError::new(
        zone_source(ZONE),
        "us-east-1",
        &SourceError::NotFound(
            "route53:ListResourceRecordSets: NoSuchHostedZone: No hosted zone found with ID: D02I8FIJBFFD89L22D4Q6W"
                .into(),
        ),
    )
}

/// The simulated fleet's discovery with `ZONE` configured; `read` says
/// whether the zone's record sets came back or its error did.
fn discovery(c: &Console, read: bool) -> Discovery {
    let mut d = c.backend.discover().now_or_never().unwrap().unwrap();
    d.hosted_zones = vec![ZONE.to_string()];
    if !read {
        d.record_sets.clear();
        d.errors = vec![zone_error()];
    }
    d
}

fn screen(c: &Console) -> String {
    let terminal = render(&c.model, &dark(), 160, 48);
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn logged(c: &Console, text: &str) -> usize {
    c.model
        .activity
        .iter()
        .filter(|e| e.text.contains(text))
        .count()
}

#[test]
fn a_zone_that_could_not_be_read_is_named_until_a_discovery_reads_it() {
    let mut c = Console::at_minutes(10);
    let t0 = c.now();
    let partial = discovery(&c, false);
    update(&mut c.model, Msg::Discovered(Ok(partial.clone())), t0);
    let failed =
        format!("hosted zone {ZONE}: could not be read: not found: route53:ListResourceRecordSets");
    assert_eq!(logged(&c, &failed), 1);

    // The header's staleness line, the health view and the sources panel name it.
    c.keys("3");
    let health = screen(&c);
    let header = health.lines().next().unwrap();
    assert!(
        header.contains(&format!("⚠ UNREAD: hosted zone {ZONE}")),
        "{header}"
    );
    assert!(
        health.contains(&format!("✖ hosted zone {ZONE} could not be read:")),
        "{health}"
    );
    // Why, in full, however narrow the list.
    let why: Vec<&str> = health
        .lines()
        .skip_while(|l| !l.contains("could not be read"))
        .skip(1)
        .map(|l| l.split('│').next().unwrap().trim())
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(why.join(" "), zone_error().message, "{health}");
    assert!(!health.contains("configure hosted zones"), "{health}");
    c.keys("6");
    let terminal = render(&c.model, &dark(), 160, 48);
    let (_, panel) = find(terminal.backend().buffer(), " sources: ").expect("the sources panel");
    let activity = screen(&c);
    let source_row = activity
        .lines()
        .nth(panel as usize + 1)
        .expect("a row under the panel's title");
    assert!(
        source_row.contains(&format!("✖ hosted zone {ZONE} "))
            && source_row.contains("discovery: not found: route53:ListResourceRecordSets"),
        "{activity}"
    );

    // Asked for again two minutes later; the same failure is not logged twice.
    let early = update(&mut c.model, Msg::Tick, t0 + SignedDuration::from_secs(119));
    assert!(!early.contains(&Effect::Discover));
    let due = update(&mut c.model, Msg::Tick, t0 + SignedDuration::from_secs(120));
    assert!(due.contains(&Effect::Discover));
    let t1 = t0 + SignedDuration::from_secs(121);
    update(&mut c.model, Msg::Discovered(Ok(partial)), t1);
    assert_eq!(logged(&c, &failed), 1);

    // Refresh asks at once, and a discovery that reads the zone clears it.
    let refresh = update(&mut c.model, Msg::Key(Key::ctrl('r')), t1);
    assert!(refresh.contains(&Effect::Discover), "{refresh:?}");
    let whole = discovery(&c, true);
    update(&mut c.model, Msg::Discovered(Ok(whole)), t1);
    assert_eq!(logged(&c, &format!("hosted zone {ZONE}: read")), 1);
    assert!(c.model.discovery_errors.is_empty());
    assert_eq!(c.model.discover_retry_at, None);
    c.keys("3");
    let health = screen(&c);
    assert!(!health.contains("UNREAD"), "{health}");
    assert!(health.contains("billing.example.com."), "{health}");
    // The grid kept what its polls brought across the rediscoveries.
    assert!(c.model.fleet.flows.iter().any(|f| !f.executions.is_empty()));
}

#[test]
fn the_health_view_asks_to_configure_zones_only_when_none_are() {
    let mut c = Console::at_minutes(10);
    let mut read_but_unrouted = discovery(&c, true);
    read_but_unrouted.record_sets.clear();
    let now = c.now();
    update(&mut c.model, Msg::Discovered(Ok(read_but_unrouted)), now);
    c.keys("3");
    let health = screen(&c);
    assert!(
        health.contains(&format!(
            "no routed record sets (with a set identifier) in {ZONE}"
        )),
        "{health}"
    );
    assert!(!health.contains("configure hosted zones"), "{health}");

    let mut none_configured = discovery(&c, true);
    none_configured.record_sets.clear();
    none_configured.hosted_zones.clear();
    update(&mut c.model, Msg::Discovered(Ok(none_configured)), now);
    assert!(screen(&c).contains("no record sets found (configure hosted zones)"));
}
