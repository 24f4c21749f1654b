//! The real binary without a terminal: snapshots, operator commands against
//! the simulated fleet with their audit lines, and exit statuses.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

#[path = "support/binary.rs"]
mod binary;

use std::path::{Path, PathBuf};
use std::process::Output;

use binary::{EUROPE_GATE, wavetop_in};
use serde_json::Value;

fn tempdir(name: &str) -> PathBuf {
    binary::fresh_dir("headless", name)
}

fn wavetop(dir: &Path, args: &[&str]) -> Output {
    wavetop_in(dir, args).output().expect("run wavetop")
}

/// A gate command on the Europe gate of global-api, ten minutes into the demo.
fn gate_args<'a>(command: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    [&[command], EUROPE_GATE, extra].concat()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn audit(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("state/wavetop/audit.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_json_snapshot_carries_each_stages_conditions_and_rule_results() {
    let dir = tempdir("conditions");
    let out = wavetop(&dir, &["snapshot", "--demo", "--json", "--at", "0m"]);
    assert!(out.status.success(), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let search = doc["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "search")
        .unwrap();
    let americas = search["waves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "Americas")
        .unwrap();
    let set = &americas["conditions"]["sets"][0];
    assert_eq!(set["kind"], "before_entry");
    assert_eq!(set["status"], "in_progress");
    let rule = &set["conditions"][0]["rules"][0];
    assert_eq!(rule["name"], "EuropeQuiet");
    assert_eq!(rule["kind"], "cloud_watch_alarm");
    assert_eq!(rule["alarm_names"][0], "search-eu-west-1-p99-latency");
    assert_eq!(rule["wait_time_mins"], 15);
    assert_eq!(rule["result"]["status"], "in_progress");
    assert!(
        rule["result"]["summary"]
            .as_str()
            .unwrap()
            .contains("in ALARM")
    );
    assert_eq!(
        americas["conditions"]["on_failure"]["retry_mode"],
        "FAILED_ACTIONS"
    );
}

#[test]
fn the_json_snapshot_is_byte_identical_for_the_same_seed_and_time() {
    let dir = tempdir("snap");
    let a = wavetop(&dir, &["snapshot", "--demo", "--json", "--at", "10m"]);
    let b = wavetop(&dir, &["snapshot", "--demo", "--json", "--at", "10m"]);
    assert!(a.status.success(), "{}", text(&a));
    assert_eq!(a.stdout, b.stdout);
    let other_seed = wavetop(
        &dir,
        &["snapshot", "--demo", "--json", "--at", "10m", "--seed", "7"],
    );
    assert_ne!(a.stdout, other_seed.stdout);

    let doc: Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["fleet"], "DEMO");
    assert_eq!(doc["at"], "2026-11-20T02:10:00Z");
    let names: Vec<&str> = doc["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "global-api",
            "service-x",
            "orders-active-active",
            "billing-failover",
            "edge-relay",
            "checkout",
            "search"
        ]
    );
    for p in doc["pipelines"].as_array().unwrap() {
        assert!(
            !p["waves"].as_array().unwrap().is_empty(),
            "{} has waves",
            p["name"]
        );
        assert!(!p["regions"].as_array().unwrap().is_empty());
        for wave in p["waves"].as_array().unwrap() {
            for cell in wave["cells"].as_array().unwrap() {
                assert!(cell["status"].is_string(), "every cell carries its status");
            }
        }
    }
    let stacks = doc["stacks"].as_array().unwrap();
    assert!(
        stacks
            .iter()
            .any(|s| !s["events"].as_array().unwrap().is_empty()),
        "stacks with events"
    );
    assert!(doc["health"]["checks"].as_array().unwrap().len() >= 9);
    assert!(doc["health"]["record_sets"].as_array().unwrap().len() >= 3);
    let orders = &doc["replication"][0];
    assert_eq!(orders["name"], "orders");
    assert!(
        !orders["latency"][0]["points"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let global = &doc["pipelines"][0];
    assert!(
        global["executions"].as_array().unwrap().len() >= 5,
        "execution history"
    );
}

#[test]
fn the_table_snapshot_reads_as_a_grid() {
    let dir = tempdir("table");
    let out = wavetop(&dir, &["snapshot", "--demo", "--at", "10m"]);
    assert!(out.status.success());
    let t = text(&out);
    assert!(t.contains("global-api (pipeline, home us-east-1)"), "{t}");
    assert!(t.contains("⚑ APPROVE?"));
    assert!(t.contains("edge-relay (chained pipelines"));
    assert!(t.contains("billing.example.com."));
}

#[test]
fn an_operator_command_without_yes_says_what_it_would_do_and_exits_2() {
    let dir = tempdir("noyes");
    let out = wavetop(
        &dir,
        &gate_args("approve", &["--override-reason", "flap understood"]),
    );
    assert_eq!(out.status.code(), Some(2));
    let t = text(&out);
    assert!(
        t.contains("codepipeline:PutApprovalResult status=Approved (eu-west-1)"),
        "{t}"
    );
    assert!(t.contains("add --yes"));
    assert!(
        audit(&dir).is_empty(),
        "nothing was called, nothing audited"
    );
}

#[test]
fn approve_with_yes_calls_once_and_audits_before_and_after() {
    let dir = tempdir("approve");
    // The Europe gate is NO-GO at 10m: approving it is an override.
    let out = wavetop(
        &dir,
        &gate_args(
            "approve",
            &[
                "--comment",
                "canary clean",
                "--override-reason",
                "flap understood",
                "--yes",
            ],
        ),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("done: codepipeline:PutApprovalResult"));
    let lines = audit(&dir);
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[0]["phase"], "before");
    assert_eq!(lines[0]["call"]["approved"], true);
    let summary = lines[0]["call"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("NO-GO override: flap understood; canary clean"),
        "{summary}"
    );
    assert_eq!(lines[1]["phase"], "after");
    assert_eq!(lines[1]["outcome"], "ok");
    assert_eq!(lines[0]["id"], lines[1]["id"]);
    // The state the call was decided on, read again right before it.
    let read = &lines[0]["params"]["state_read"];
    assert_eq!(read["gate_status"], "InProgress", "{read}");
    assert_eq!(read["token_present"], true, "{read}");
}

#[test]
fn approving_a_no_go_gate_without_an_override_reason_is_refused_naming_the_verdict() {
    let dir = tempdir("nogo");
    let out = wavetop(&dir, &gate_args("approve", &["--comment", "ok", "--yes"]));
    assert_eq!(out.status.code(), Some(2));
    let t = text(&out);
    assert!(t.contains("verdict is NO-GO: "), "{t}");
    assert!(t.contains("fired during the NorthAmerica bake"), "{t}");
    assert!(t.contains("--override-reason"), "{t}");
    assert!(audit(&dir).is_empty(), "nothing called, nothing audited");
}

#[test]
fn approve_at_window_refused_on_no_go_is_recorded_in_the_audit_log() {
    let dir = tempdir("at-window-nogo");
    // The window opens at 02:20, five minutes after the gate is scheduled
    // (02:05, not yet NO-GO); by then the NorthAmerica bake's flap makes
    // it NO-GO. At --speed 600 the wait is half a second.
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[windows.eu-west-1]\ntime_zone = \"UTC\"\nopen = \"02:20\"\nclose = \"03:00\"\n",
    )
    .unwrap();
    // The Europe gate's pipeline, wave and region, five minutes in.
    let gate = EUROPE_GATE.get(3..).unwrap();
    let at_five = ["approve", "--demo", "--at", "5m", "--speed", "600"];
    let config_args = ["--config", config.to_str().unwrap()];
    let args = [&at_five[..], &config_args, gate, &["--at-window", "--yes"]].concat();
    let out = wavetop(&dir, &args);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("not sent, the gate stays waiting: NO-GO"), "{t}");
    let lines = audit(&dir);
    assert_eq!(lines.len(), 1, "one refusal and no call: {lines:#?}");
    assert_eq!(lines[0]["phase"], "refused");
    assert_eq!(lines[0]["api"], "codepipeline:PutApprovalResult");
    assert_eq!(lines[0]["params"]["verdict"]["call"], "no_go");
    assert!(lines[0]["detail"].as_str().unwrap().starts_with("NO-GO: "));
    // `audit --check` reads it, and finds no call left unfinished.
    let log = dir.join("state/wavetop/audit.jsonl");
    let check = wavetop(&dir, &["audit", "--check", log.to_str().unwrap()]);
    let t = text(&check);
    assert_eq!(check.status.code(), Some(0), "{t}");
    assert!(t.contains("1 record, 0 calls, 1 refused: clean"), "{t}");
}

#[test]
fn reject_without_a_comment_is_bad_input() {
    let dir = tempdir("reject");
    let out = wavetop(&dir, &gate_args("reject", &["--yes"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("required"), "{}", text(&out));
}

#[test]
fn an_error_aws_answers_is_a_non_zero_exit_and_changes_nothing_else() {
    let dir = tempdir("retry");
    // global-api has not failed: retry is refused by the rules before any call.
    let out = wavetop(
        &dir,
        &[
            "retry",
            "--demo",
            "--at",
            "10m",
            "--pipeline",
            "global-api",
            "--wave",
            "Europe",
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("has not failed"));
    // service-x failed: retry goes through.
    let out = wavetop(
        &dir,
        &[
            "retry",
            "--demo",
            "--at",
            "10m",
            "--pipeline",
            "service-x",
            "--wave",
            "Deploy",
            "--yes",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("RetryStageExecution"));
}

#[test]
fn read_only_refuses_at_the_backend_and_audits_the_refusal() {
    let dir = tempdir("ro");
    let out = wavetop(
        &dir,
        &[
            "drain",
            "--demo",
            "--read-only",
            "--region",
            "us-east-1",
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("read-only"), "{}", text(&out));
    let lines = audit(&dir);
    assert!(
        lines
            .iter()
            .any(|l| l["phase"] == "after" && l["outcome"] == "error")
    );
}

#[test]
fn drain_then_restore_flip_inverted_and_never_disabled() {
    let dir = tempdir("drain");
    let out = wavetop(&dir, &["drain", "--demo", "--region", "us-east-1", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    let calls: Vec<Value> = audit(&dir)
        .into_iter()
        .filter(|l| l["phase"] == "before")
        .map(|l| l["call"].clone())
        .collect();
    assert!(!calls.is_empty());
    for call in &calls {
        assert_eq!(call["call"], "set_health_check_inverted");
        assert_eq!(call["inverted"], true);
        assert!(call.get("disabled").is_none());
    }
    // A fresh simulated fleet has nothing drained: restore says so.
    let out = wavetop(
        &dir,
        &["restore", "--demo", "--region", "us-east-1", "--yes"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("not drained"));
}

#[test]
fn enforce_with_nothing_due_says_so() {
    let dir = tempdir("enforce");
    let out = wavetop(&dir, &["enforce", "--demo", "--yes"]);
    assert!(out.status.success());
    assert!(text(&out).contains("nothing to release"));
}

#[test]
fn a_bad_flag_names_the_flag_and_exits_2() {
    let dir = tempdir("flag");
    let out = wavetop(&dir, &["--demo", "--speed", "fast"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("--speed"), "{}", text(&out));
    let out = wavetop(&dir, &["snapshot", "--demo", "--at", "soon"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("--at"));
}

#[test]
fn config_check_reports_file_line_and_column() {
    let dir = tempdir("check");
    let cfg = dir.join("c.toml");
    std::fs::write(&cfg, "theme = \"dark\"\nkeymap = \"emacs\"\n").unwrap();
    let out = wavetop(&dir, &["config", "check", cfg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let t = text(&out);
    assert!(t.contains("c.toml:2:10"), "{t}");
    assert!(t.contains("emacs"));
    std::fs::write(&cfg, "theme = \"light\"\n").unwrap();
    let out = wavetop(&dir, &["config", "check", cfg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn every_config_example_in_the_readme_passes_config_check() {
    let dir = tempdir("readme");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 2, "the README shows its config");
    for (i, block) in blocks.iter().enumerate() {
        let path = dir.join(format!("readme-{i}.toml"));
        std::fs::write(&path, block).unwrap();
        let out = wavetop(&dir, &["config", "check", path.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "README config block {i} fails: {}",
            text(&out)
        );
    }
}

/// Runs wavetop with its standard output read through a real pipe: `keep`
/// bytes are read (none: the reader is gone before anything is written),
/// then the pipe is closed, as `| head -c N` does.
fn with_stdout_closed_after(dir: &Path, args: &[&str], keep: usize) -> (Vec<u8>, Output) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = wavetop_in(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run wavetop");
    let mut stdout = child.stdout.take().unwrap();
    let mut head = vec![0; keep];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout);
    (head, child.wait_with_output().unwrap())
}

#[test]
fn a_snapshot_read_by_head_ends_quietly_with_its_own_status() {
    let dir = tempdir("head");
    // The JSON is far larger than a pipe holds, so wavetop is still writing
    // when the reader leaves.
    let (head, out) =
        with_stdout_closed_after(&dir, &["snapshot", "--demo", "--json", "--at", "10m"], 10);
    assert!(head.starts_with(b"{\n  \""), "{head:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "nothing said about the reader leaving");
}

#[test]
fn every_subcommand_outlives_a_closed_stdout_with_the_status_it_would_have_had() {
    let dir = tempdir("closed");
    let cfg = dir.join("c.toml");
    std::fs::write(&cfg, "theme = \"light\"\n").unwrap();
    let cfg = cfg.to_str().unwrap();
    let approve = gate_args(
        "approve",
        &[
            "--comment",
            "canary ok",
            "--override-reason",
            "flap understood",
            "--yes",
        ],
    );
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["snapshot", "--demo", "--at", "10m"], 0),
        (vec!["config", "check", cfg], 0),
        (vec!["enforce", "--demo", "--yes"], 0),
        (
            gate_args(
                "approve",
                &[
                    "--comment",
                    "canary ok",
                    "--override-reason",
                    "flap understood",
                ],
            ),
            2,
        ),
        (approve, 0),
        (vec!["--help"], 0),
    ];
    for (args, status) in cases {
        let (_, out) = with_stdout_closed_after(&dir, &args, 0);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(status), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
    // The approval was made although nobody read that it was.
    let lines = audit(&dir);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1]["phase"], "after");
    assert_eq!(lines[1]["outcome"], "ok");
}

#[test]
fn a_demo_snapshot_is_complete_and_says_so() {
    let dir = tempdir("complete");
    let out = wavetop(&dir, &["snapshot", "--demo", "--json", "--at", "10m"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["errors"], serde_json::json!([]));
    assert!(out.stderr.is_empty(), "{}", text(&out));
    let table = wavetop(&dir, &["snapshot", "--demo", "--at", "10m"]);
    assert_eq!(table.status.code(), Some(0));
    assert!(!text(&table).contains("\nerrors"), "{}", text(&table));
}

#[test]
fn the_console_without_a_terminal_says_what_to_use_instead() {
    let dir = tempdir("noterm");
    let out = wavetop(&dir, &["--demo"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the console needs a full-screen terminal")
            && stderr.contains("wavetop snapshot"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn at_is_bounded_at_a_year_and_any_day_within_it_is_reproducible() {
    let dir = tempdir("at-bound");
    for far in ["367d", "99999999h"] {
        let out = wavetop(&dir, &["snapshot", "--demo", "--at", far]);
        assert_eq!(out.status.code(), Some(2), "{far}");
        assert!(text(&out).contains("--at"), "{}", text(&out));
        assert!(text(&out).contains("at most 366d"), "{}", text(&out));
    }
    let a = wavetop(&dir, &["snapshot", "--demo", "--json", "--at", "366d"]);
    let b = wavetop(&dir, &["snapshot", "--demo", "--json", "--at", "8784h"]);
    assert_eq!(a.status.code(), Some(0), "{}", text(&a));
    assert_eq!(a.stdout, b.stdout, "366d is 8784 hours, byte for byte");
    let doc: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(doc["at"], "2027-11-21T02:00:00Z");
}

#[test]
fn a_profile_that_does_not_exist_is_bad_input_naming_the_files_it_was_looked_up_in() {
    let dir = tempdir("noprofile");
    // Environment credentials would otherwise be used quietly, under the
    // profile's name.
    let out = wavetop_in(&dir, &["snapshot", "--profile", "nosuchprofile"])
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .output()
        .expect("run wavetop");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let aws = dir.join(".aws");
    assert!(
        stderr.contains(&format!(
            "profile nosuchprofile is not defined in {} or {}",
            aws.join("config").display(),
            aws.join("credentials").display()
        )),
        "{stderr}"
    );
}
