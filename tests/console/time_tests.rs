//! Times in rendered frames: dated when they are from before today in the
//! zone shown, in UTC or the selected region's zone (`t`), and the time
//! left on credentials in the header, against the harness's fixed clock.

use jiff::SignedDuration;

use wavetop::core::model::{ActivityEntry, ActivityKind};
use wavetop::core::msg::Msg;
use wavetop::protocol::CredentialsStatus;

use crate::support::{Console, screen_text};

fn line_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no line with {text:?} in\n{screen}"))
}

#[test]
fn t_shows_every_time_in_the_regions_zone_dated_before_its_today() {
    // 2026-11-20 03:00 UTC, which is 11-19 19:00 in Los Angeles.
    let mut c = Console::at_minutes(60);
    c.navigate("global-api", "NorthAmerica", "us-west-2");
    let now = c.now();
    for (hours_ago, text) in [(7, "seven hours ago"), (26, "a day and more ago")] {
        c.model.activity.push(ActivityEntry {
            at: now - SignedDuration::from_hours(hours_ago),
            kind: ActivityKind::Info,
            text: text.into(),
        });
    }
    // Fit the activity pane to the entries, as a redraw does.
    c.send(Msg::Resize {
        width: 160,
        height: 48,
    });
    c.keys("6");
    let utc = screen_text(&c.model, 160, 48);
    assert!(line_with(&utc, "seven hours ago").contains(" 11-19 20:00:00 "));
    assert!(line_with(&utc, "a day and more ago").contains(" 11-19 01:00:00 "));
    assert!(!line_with(&utc, "wavetop").contains("times "), "{utc}");

    c.keys("t");
    let local = screen_text(&c.model, 160, 48);
    assert!(
        line_with(&local, "wavetop").contains("times us-west-2 (America/Los_Angeles) [t]"),
        "{local}"
    );
    // The same day as now in Los Angeles: no date.
    assert!(
        line_with(&local, "seven hours ago").contains(" 12:00:00 "),
        "{local}"
    );
    assert!(line_with(&local, "a day and more ago").contains(" 11-18 17:00:00 "));

    c.keys("t");
    let back = screen_text(&c.model, 160, 48);
    assert!(line_with(&back, "seven hours ago").contains(" 11-19 20:00:00 "));
    assert!(!line_with(&back, "wavetop").contains("times "), "{back}");
}

#[test]
fn the_header_counts_down_the_credentials_last_fifteen_minutes() {
    let mut c = Console::at_minutes(60);
    let expires_at = c.now() + SignedDuration::from_mins(20);
    c.send(Msg::Credentials(vec![CredentialsStatus {
        account: "default".into(),
        profile: Some("prod-ops".into()),
        renew: "run aws sso login --profile prod-ops".into(),
        expires_at: Some(expires_at),
        failure: None,
    }]));
    let header = |c: &Console| {
        screen_text(&c.model, 160, 48)
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert!(!header(&c).contains("left"), "{}", header(&c));
    c.advance(8 * 60);
    assert!(
        header(&c).contains("◷ profile prod-ops: 12m left"),
        "{}",
        header(&c)
    );
    c.advance(11 * 60 + 30);
    assert!(
        header(&c).contains("◷ profile prod-ops: 30s left"),
        "{}",
        header(&c)
    );
}
