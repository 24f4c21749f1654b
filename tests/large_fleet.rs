//! The large simulated fleet through the real binary: `--fleet large`
//! snapshots it, and `--fleet` refuses a fleet that is not simulated.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

#[path = "support/binary.rs"]
#[allow(dead_code, reason = "the gate constant serves other test files")]
mod binary;

use std::path::PathBuf;
use std::process::Output;

use binary::wavetop_in;
use serde_json::Value;

fn tempdir(name: &str) -> PathBuf {
    binary::fresh_dir("large", name)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_large_fleet_snapshot_exits_0_with_200_pipelines_400_checks_10_tables() {
    let dir = tempdir("snap");
    let args = [
        "snapshot", "--demo", "--fleet", "large", "--json", "--at", "30m",
    ];
    let out = wavetop_in(&dir, &args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let flows = doc["pipelines"].as_array().unwrap();
    let pipelines: Vec<&Value> = flows
        .iter()
        .flat_map(|f| f["pipelines"].as_array().unwrap())
        .collect();
    assert_eq!(pipelines.len(), 200);
    assert_eq!(doc["health"]["checks"].as_array().unwrap().len(), 400);
    assert_eq!(doc["replication"].as_array().unwrap().len(), 10);
    // The same seed and --at give the same world (sim::large's tests), and
    // the snapshot is a function of the world: one run here is enough.
}

#[test]
fn fleet_without_the_simulator_is_bad_input_naming_the_flag() {
    let dir = tempdir("aws");
    let out = wavetop_in(
        &dir,
        &[
            "snapshot",
            "--fleet",
            "large",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--fleet"), "{}", text(&out));
    let out = wavetop_in(&dir, &["snapshot", "--demo", "--fleet", "huge"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("--fleet"), "{}", text(&out));
}
