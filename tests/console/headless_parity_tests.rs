//! The console and the headless commands ask the same rules: from the same
//! fleet at the same time they propose the same intent with the same
//! warnings. Headless prints, without `--yes`, what the console's dialog shows.

#[path = "../support/binary.rs"]
mod binary;

use std::path::{Path, PathBuf};

use binary::{EUROPE_GATE, wavetop_in};

use crate::support::Console;
use crate::window_tests::windows;

/// The proposal in the console's open dialog, as headless prints one.
fn dialog_as_printed(c: &Console) -> String {
    let dialog = c.model.confirmation.as_ref().expect("a confirmation opens");
    let mut text = format!("{}:\n", dialog.intent.title());
    for line in dialog.intent.describe() {
        text.push_str(&format!("  {line}\n"));
    }
    for warning in &dialog.warnings {
        text.push_str(&format!("  WARNING: {warning}\n"));
    }
    text
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wavetop-parity-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("config/wavetop")).unwrap();
    dir
}

/// What a headless command proposes, run without `--yes` so nothing is called.
fn headless_proposal(dir: &Path, args: &[&str]) -> String {
    let out = wavetop_in(dir, args).output().expect("run wavetop");
    assert_eq!(
        out.status.code(),
        Some(2),
        "not confirmed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn a_hold_until_a_window_is_proposed_alike_by_the_console_and_headless() {
    // 02:10 UTC is 18:10 in Los Angeles: the window opens at 06:00 UTC.
    let (region, zone, open, close) = ("us-west-2", "America/Los_Angeles", "22:00", "05:00");
    let mut c = Console::with(10, windows(region, zone, open, close), false);
    c.navigate("global-api", "NorthAmerica", region);
    c.keys("w");
    let console = dialog_as_printed(&c);
    assert!(
        console.contains("until 2026-11-20T06:00:00Z"),
        "the hold ends at the opening: {console}"
    );

    let dir = tempdir("hold");
    std::fs::write(
        dir.join("config/wavetop/config.toml"),
        format!(
            "[windows.{region}]\ntime_zone = \"{zone}\"\nopen = \"{open}\"\nclose = \"{close}\"\n"
        ),
    )
    .unwrap();
    let headless = headless_proposal(
        &dir,
        &[
            "hold",
            "--demo",
            "--at",
            "10m",
            "--pipeline",
            "global-api",
            "--wave",
            "NorthAmerica",
            "--until-window",
            region,
        ],
    );
    assert_eq!(headless, console);
}

#[test]
fn an_approval_is_proposed_alike_by_the_console_and_headless() {
    let mut c = Console::at_minutes(10);
    c.navigate("global-api", "Europe", "eu-west-1");
    c.keys("a");
    let console = dialog_as_printed(&c);

    let dir = tempdir("approve");
    // The gate is NO-GO at 10m: headless asks for the override's reason first.
    let headless = headless_proposal(
        &dir,
        &[
            &["approve"],
            EUROPE_GATE,
            &["--override-reason", "flap understood"],
        ]
        .concat(),
    );
    assert_eq!(headless, console);
}
