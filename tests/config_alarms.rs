//! `[alarms.<flow>]` as a user writes it: each malformed value is reported
//! at the file, line and column of that value, with what was expected, and
//! exits 2; a good section becomes the watches and bake times discovery
//! hands to the console.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

use std::path::PathBuf;

use jiff::SignedDuration;
use wavetop::config::{ConfigError, load};
use wavetop::domain::alarms::AlarmSelector;

/// Writes `text` to a file of its own and loads it as `--config` would.
fn load_text(name: &str, text: &str) -> (String, Result<wavetop::config::Loaded, ConfigError>) {
    let dir = std::env::temp_dir().join(format!("wavetop-alarms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let loaded = load(Some(&path));
    std::fs::remove_file(&path).ok();
    (path.display().to_string(), loaded)
}

/// The error of `text`: its file:line:column, first line of the message,
/// and what it says was expected.
fn error_of(name: &str, text: &str) -> (String, String) {
    let (path, loaded) = load_text(name, text);
    let err = loaded.expect_err(name);
    assert_eq!(err.exit_code(), 2, "{name}");
    let shown = err.to_string();
    let first = shown.lines().next().unwrap().to_string();
    (first.replace(&path, "FILE"), shown)
}

const GOOD: &str = r#"
[[aws.accounts]]
name = "prod"
profile = "prod-ops"

[alarms.checkout]
bake = "30m"
wave_bake = { Production = "1h30m" }

[alarms.checkout.regions.eu-west-1]
names = ["checkout-eu-5xx"]
prefixes = ["checkout-eu-"]
account = "prod"
"#;

#[test]
fn a_good_section_gives_watches_and_bake_times() {
    let (_, loaded) = load_text("good", GOOD);
    let alarms = loaded.unwrap().alarms;
    assert_eq!(alarms.watches.len(), 1);
    let watch = &alarms.watches[0];
    assert_eq!(
        (watch.flow.as_str(), watch.region.as_str()),
        ("checkout", "eu-west-1")
    );
    assert_eq!(watch.account, "prod");
    assert_eq!(
        watch.selectors,
        [
            AlarmSelector::Name("checkout-eu-5xx".into()),
            AlarmSelector::Prefix("checkout-eu-".into())
        ]
    );
    assert_eq!(
        alarms.bakes.of("checkout", "Europe"),
        Some(SignedDuration::from_mins(30))
    );
    assert_eq!(
        alarms.bakes.of("checkout", "Production"),
        Some(SignedDuration::from_mins(90))
    );
}

#[test]
fn a_bake_time_without_a_unit_points_at_its_value() {
    let (first, _) = error_of("bake", "[alarms.checkout]\nbake = \"30\"\n");
    assert_eq!(
        first,
        "FILE:2:8: invalid bake time \"30\" for `alarms.checkout.bake` (expected a duration of 1s to 24h such as \"30m\", \"1h\" or \"1h30m\")"
    );
}

#[test]
fn a_wave_bake_time_over_a_day_points_at_its_value() {
    let (first, _) = error_of(
        "wave_bake",
        "[alarms.checkout]\nwave_bake = { Production = \"30h\" }\n",
    );
    assert_eq!(
        first,
        "FILE:2:28: invalid bake time \"30h\" for `alarms.checkout.wave_bake.Production` (expected a duration of 1s to 24h such as \"30m\", \"1h\" or \"1h30m\")"
    );
}

#[test]
fn a_region_naming_no_alarm_is_refused() {
    let (first, shown) = error_of(
        "empty_region",
        "[alarms.checkout.regions.eu-west-1]\naccount = \"default\"\n",
    );
    // At the region's table, the header line.
    assert_eq!(
        first,
        "FILE:1:1: `alarms.checkout.regions.eu-west-1` names no alarm (expected `names = [\"...\"]` or `prefixes = [\"...\"]` (or both))"
    );
    assert!(
        shown.contains("[alarms.checkout.regions.eu-west-1]"),
        "{shown}"
    );
}

#[test]
fn an_empty_alarm_name_points_at_it() {
    let (first, _) = error_of(
        "empty_name",
        "[alarms.checkout.regions.eu-west-1]\nnames = [\"ok-name\", \"\"]\n",
    );
    assert_eq!(
        first,
        "FILE:2:21: alarm name of `alarms.checkout.regions.eu-west-1.names` is empty or too long (expected 1 to 255 characters, as CloudWatch allows in an alarm name)"
    );
}

#[test]
fn a_prefix_longer_than_an_alarm_name_points_at_it() {
    let long = "p".repeat(256);
    let (first, _) = error_of(
        "long_prefix",
        &format!("[alarms.checkout.regions.eu-west-1]\nprefixes = [\"{long}\"]\n"),
    );
    assert_eq!(
        first,
        "FILE:2:13: alarm prefix of `alarms.checkout.regions.eu-west-1.prefixes` is empty or too long (expected 1 to 255 characters, as CloudWatch allows in an alarm name)"
    );
}

#[test]
fn an_unknown_account_points_at_it() {
    let (first, _) = error_of(
        "account",
        "[alarms.checkout.regions.eu-west-1]\nnames = [\"a\"]\naccount = \"staging\"\n",
    );
    assert_eq!(
        first,
        "FILE:3:11: unknown account \"staging\" in `alarms.checkout.regions.eu-west-1` (expected \"default\" or the name of an [[aws.accounts]] entry)"
    );
}

#[test]
fn tags_are_not_a_way_to_choose_alarms() {
    let (first, _) = error_of(
        "tags",
        "[alarms.checkout.regions.eu-west-1]\ntags = { team = \"pay\" }\n",
    );
    assert!(first.contains("unknown field `tags`"), "{first}");
}
