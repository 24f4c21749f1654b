//! Every partial failure is told, by the built binary against moto: a zone
//! id that does not start with Z is read, a zone that does not exist is
//! named in the snapshot and in the console, a pipeline deleted before the
//! snapshot is one error among whole answers, and a hung region costs its
//! own timeout while the other regions are read.
//!
//! These go through the CBOR relay, so moto's CloudWatch answers and the
//! only errors are the ones each test provokes (and GetPipelineState, which
//! moto lacks, where a pipeline is read).

use super::console::{spawn_console, wait_for_screen};
use super::*;

/// A home region no other test keeps pipelines in.
const EMPTY_HOME: &str = "eu-north-1";

/// A zone that cannot exist: moto's ids are 14 upper-case letters and digits.
const MISSING_ZONE: &str = "/hostedzone/NOSUCHZONE0wavetop";

/// No pipelines; the zone read by its id and the one that does not exist.
fn zones_config(zone_id: &str) -> String {
    format!(
        "[aws]\nhome_regions = [\"{EMPTY_HOME}\"]\nhosted_zones = [\"{zone_id}\", \"{MISSING_ZONE}\"]\n"
    )
}

/// The snapshot's errors as (source, call, region). A health source that
/// ran out of time is left out: every test of the tier seeds checks in the
/// same emulator, and under the whole tier's load reading them can take
/// longer than the limit; these tests are about zones, pipelines and regions.
fn told(snapshot: &Value) -> Vec<(String, Value, Value)> {
    items(&snapshot["errors"])
        .iter()
        .filter(|e| !(e["source"] == "health" && text(&e["message"]).contains("timed out")))
        .map(|e| {
            (
                text(&e["source"]).to_string(),
                e["call"].clone(),
                e["region"].clone(),
            )
        })
        .collect()
}

fn message_of<'v>(snapshot: &'v Value, source: &str) -> &'v str {
    items(&snapshot["errors"])
        .iter()
        .find(|e| e["source"] == source)
        .map(|e| text(&e["message"]))
        .unwrap_or_else(|| panic!("no error for {source}: {snapshot}"))
}

/// `wavetop snapshot --json` through the relay with `config_text`: the exit
/// status it must have, then the document.
fn partial_snapshot(url: &str, sandbox: &Sandbox, config_text: &str) -> Value {
    let config = sandbox.config(config_text);
    let relay = CborRelay::start(url);
    let out = sandbox.wavetop(&relay.url, &config, &["snapshot", "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("snapshot incomplete"), "{stderr}");
    serde_json::from_slice(&out.stdout).expect("snapshot JSON")
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_zone_id_without_z_is_read_and_a_missing_zone_is_named() {
    let url = emulator();
    let tag = format!("z{}", unique());
    let zone = seed_zone(&url, &tag).await;
    let zone_id = zone.printed_id.clone();
    assert!(
        !zone_id.trim_start_matches("/hostedzone/").starts_with('Z'),
        "moto made {zone_id}"
    );
    let sandbox = Sandbox::new(&tag);
    let snapshot = partial_snapshot(&url, &sandbox, &zones_config(&zone_id));

    let sets: BTreeSet<&str> = items(&snapshot["health"]["record_sets"])
        .iter()
        .map(|s| text(&s["name"]))
        .collect();
    let (api, app) = (format!("api.{}", zone.name), format!("app.{}", zone.name));
    assert_eq!(
        sets,
        BTreeSet::from([api.as_str(), app.as_str()]),
        "the zone read by its id"
    );
    let source = format!("hosted zone {MISSING_ZONE}");
    assert_eq!(
        told(&snapshot),
        [(
            source.clone(),
            Value::from("route53:ListResourceRecordSets"),
            Value::from("us-east-1")
        )]
    );
    assert!(
        message_of(&snapshot, &source).contains("NoSuchHostedZone"),
        "{snapshot}"
    );

    // The text snapshot lists it under errors, naming the zone.
    let relay = CborRelay::start(&url);
    let config = sandbox.config(&zones_config(&zone_id));
    let table = sandbox.wavetop(&relay.url, &config, &["snapshot"]);
    assert_eq!(table.status.code(), Some(3), "{}", describe(&table));
    let table = String::from_utf8_lossy(&table.stdout);
    let errors = table
        .split("\nerrors (not read, or read in part)\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no errors section:\n{table}"));
    assert!(
        errors.contains(&source) && errors.contains("route53:ListResourceRecordSets"),
        "{errors}"
    );
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn the_console_names_a_zone_it_could_not_read() {
    let url = emulator();
    let tag = format!("y{}", unique());
    let zone = seed_zone(&url, &tag).await;
    let record_name = format!("api.{}", zone.name);
    let sandbox = Sandbox::new(&tag);
    let config = sandbox.config(&zones_config(&zone.printed_id));
    let relay = CborRelay::start(&url);
    let mut tui = spawn_console(&sandbox, &relay.url, &config);

    let unread = format!("⚠ UNREAD: hosted zone {MISSING_ZONE}");
    wait_for_screen(&tui, "the unread zone in the header", |rows| {
        rows.first().is_some_and(|h| h.contains(&unread))
    });
    tui.send("3");
    let failed = format!("✖ hosted zone {MISSING_ZONE} could not be read:");
    wait_for_screen(
        &tui,
        "the zone's failure and the other zone's records",
        |rows| {
            rows.iter().any(|r| r.contains(&failed))
                && rows.iter().any(|r| r.contains(&record_name))
        },
    );
    let screen = tui.screen_text();
    assert!(screen.contains("NoSuchHostedZone"), "why, too:\n{screen}");
    assert!(!screen.contains("configure hosted zones"), "{screen}");

    tui.send("q");
    let status = tui.wait_exit(Duration::from_secs(30));
    assert!(status.success(), "exit status {status:?}");
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_pipeline_deleted_before_the_snapshot_is_one_error_the_rest_is_whole() {
    let url = emulator();
    let tag = format!("v{}", unique());
    // A home region no other test lists pipelines in.
    let home = "ap-southeast-1";
    let kept = format!("kept-{tag}");
    let gone = format!("gone-{tag}");
    let never = format!("never-{tag}");
    seed_pipeline(&url, home, &kept, &kept).await;
    seed_pipeline(&url, home, &gone, &gone).await;
    aws_sdk_codepipeline::Client::new(&sdk(&url, home).await)
        .delete_pipeline()
        .name(&gone)
        .send()
        .await
        .expect("DeletePipeline");
    let sandbox = Sandbox::new(&tag);
    let snapshot = partial_snapshot(
        &url,
        &sandbox,
        &format!(
            "[aws]\nhome_regions = [\"{home}\"]\npipelines = [\"{kept}\", \"{gone}\", \"{never}\"]\n"
        ),
    );

    // The deleted and the never-created pipeline are named; the kept one
    // lacks its state only because moto has no GetPipelineState.
    let get = Value::from("codepipeline:GetPipeline");
    assert_eq!(
        told(&snapshot),
        [
            (format!("pipeline {gone}"), get.clone(), Value::from(home)),
            (format!("pipeline {never}"), get, Value::from(home)),
            (
                format!("pipeline {kept}"),
                Value::from("codepipeline:GetPipelineState"),
                Value::from(home)
            ),
        ]
    );
    assert!(
        message_of(&snapshot, &format!("pipeline {gone}"))
            .starts_with(&format!("not found: codepipeline:GetPipeline: the configured pipeline {gone} is in none of the home regions read ({home})")),
        "{snapshot}"
    );
    // The rest is whole: the kept pipeline's waves, its execution, its stacks.
    let flows = items(&snapshot["pipelines"]);
    let names: Vec<&str> = flows.iter().map(|f| text(&f["name"])).collect();
    assert_eq!(names, [kept.as_str()]);
    let waves: Vec<&str> = items(&flows[0]["waves"])
        .iter()
        .map(|w| text(&w["name"]))
        .collect();
    assert_eq!(waves, ["Source", "Deploy"]);
    assert_eq!(items(&flows[0]["executions"]).len(), 1);
    let stacks: BTreeSet<&str> = items(&snapshot["stacks"])
        .iter()
        .map(|s| text(&s["region"]))
        .collect();
    assert_eq!(stacks, BTreeSet::from(["eu-west-1", "us-west-2"]));
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_hung_region_costs_its_own_timeout_and_the_others_are_read() {
    let url = emulator();
    let tag = format!("h{}", unique());
    let virginia = format!("virginia-{tag}");
    seed_stack(&url, "us-east-1", &virginia).await;
    let tokyo = format!("tokyo-{tag}");
    let sandbox = Sandbox::new(&tag);
    let config = sandbox.config(&format!(
        r#"[aws]
home_regions = ["{EMPTY_HOME}"]

[[aws.stacks]]
flow = "{tokyo}"
region = "ap-northeast-1"
name = "{tokyo}"

[[aws.stacks]]
flow = "{virginia}"
region = "us-east-1"
name = "{virginia}"
"#
    ));
    // Every call to ap-northeast-1 is accepted and never answered.
    let relay = CborRelay::start_hanging(&url, Some("ap-northeast-1"));
    let started = Instant::now();
    let out = sandbox.wavetop(&relay.url, &config, &["snapshot", "--json"]);
    let took = started.elapsed();
    eprintln!("snapshot with ap-northeast-1 hung: {took:?}");
    assert_eq!(out.status.code(), Some(3), "{}", describe(&out));
    // One timeout (20 s, the console's per-request limit), not one per source.
    assert!(took >= Duration::from_secs(20), "{took:?}");
    assert!(took < Duration::from_secs(28), "{took:?}");

    let snapshot: Value = serde_json::from_slice(&out.stdout).expect("snapshot JSON");
    let sources: Vec<(String, Value)> = told(&snapshot)
        .into_iter()
        .map(|(source, _, region)| (source, region))
        .collect();
    let tokyo_region = Value::from("ap-northeast-1");
    assert_eq!(
        sources,
        [
            (format!("pipeline {tokyo}"), tokyo_region.clone()),
            ("stacks ap-northeast-1".to_string(), tokyo_region),
        ]
    );
    for e in items(&snapshot["errors"]) {
        // Whichever gives up first: the poll's limit, or the SDK's own
        // (which names the call in flight).
        assert!(
            e["call"].is_null() || e["call"] == "cloudformation:DescribeStacks",
            "{e}"
        );
        assert!(text(&e["message"]).starts_with("timed out: "), "{e}");
    }
    let stacks: Vec<(&str, &str)> = items(&snapshot["stacks"])
        .iter()
        .map(|s| (text(&s["name"]), text(&s["status"])))
        .collect();
    assert_eq!(stacks, [(virginia.as_str(), "CREATE_COMPLETE")]);
}
