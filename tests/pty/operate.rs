//! Operator actions through the real binary on the simulated fleet, each
//! confirmed with keys as an operator would, each leaving a before and an
//! after line in the audit log.

use std::path::Path;

use serde_json::Value;

use crate::harness::Tui;
use crate::{WAIT, spawn_demo_sized, tempdir};

pub(crate) use crate::harness::{ENTER, RIGHT, TAB};

/// `:pipeline NAME`, then the cursor to (row, column) with arrow keys.
pub(crate) fn go(tui: &mut Tui, flow: &str, row: usize, col: usize) {
    tui.go(flow, row, col, WAIT);
}

/// Opens the action's dialog, fills what it asks for, confirms, and waits
/// until the console reports the target done.
pub(crate) fn act(
    tui: &mut Tui,
    key: &str,
    comment: Option<&str>,
    typed: Option<&str>,
    done: &str,
) {
    tui.act(key, comment, typed, done, WAIT);
}

/// The global-api wave the hold tests hold and release.
pub(crate) const NORTH_AMERICA: &str = "global-api/NorthAmerica";

/// Holds global-api's NorthAmerica wave (typing its name, as a multi-region
/// hold asks) and waits until the grid shows it held.
pub(crate) fn hold_north_america(tui: &mut Tui) {
    go(tui, "global-api", 5, 1);
    act(
        tui,
        "h",
        Some("holding for the freeze"),
        Some("NorthAmerica"),
        NORTH_AMERICA,
    );
    tui.wait_for("HELD", WAIT);
}

pub(crate) fn closed_and_done(tui: &Tui, done: &str) {
    tui.closed_and_done(done, WAIT);
}

pub(crate) fn audit_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("audit log exists")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each audit line is JSON"))
        .collect()
}

#[test]
fn every_operator_action_is_confirmed_carried_out_and_audited() {
    let dir = tempdir("operate");
    let mut tui = spawn_demo_sized(&dir, &["--at", "10m"], 48, 160);
    tui.wait_for("APPROVE?", WAIT);

    // global-api waves: Source, Build, UpdatePipeline, Assets, SouthAmerica,
    // NorthAmerica, Europe; columns sa-east-1, us-west-2, us-east-2, eu-west-1, eu-central-1.
    // The Europe gate is NO-GO at 10m (us-west-2 flapped during the
    // NorthAmerica bake): approving it is an override, with a reason and
    // the region typed.
    go(&mut tui, "global-api", 6, 3);
    act(
        &mut tui,
        "a",
        Some("flap understood and canary is clean"),
        Some("eu-west-1"),
        "global-api/Europe/eu-west-1",
    );
    go(&mut tui, "global-api", 6, 4);
    act(
        &mut tui,
        "x",
        Some("error rate up"),
        Some("eu-central-1"),
        "global-api/Europe/eu-central-1",
    );
    hold_north_america(&mut tui);
    act(&mut tui, "u", None, None, NORTH_AMERICA);

    // service-x failed in ap-southeast-2: Source, Deploy; eu-west-1, us-east-1, ap-southeast-2.
    go(&mut tui, "service-x", 1, 2);
    act(&mut tui, "r", None, None, "service-x/Deploy");

    // orders-active-active is deploying: stop it, letting actions finish.
    go(&mut tui, "orders-active-active", 4, 2);
    tui.send("s");
    tui.wait_for("[ Cancel ]", WAIT);
    tui.send("bad build");
    tui.send(TAB);
    tui.send(RIGHT);
    tui.send(ENTER);
    // The flash names the execution stopped.
    closed_and_done(&tui, "orders-active-active@");

    // edge-relay succeeded: roll its us-east-1 deploy back.
    go(&mut tui, "edge-relay", 2, 0);
    act(
        &mut tui,
        "b",
        None,
        Some("DeployUsEast1"),
        "edge-relay-build/DeployUsEast1",
    );

    // Drain and restore us-east-1 (orders' latency records keep two healthy regions).
    go(&mut tui, "orders-active-active", 2, 0);
    act(&mut tui, "d", None, Some("us-east-1"), "dns/us-east-1");
    act(&mut tui, "D", None, Some("us-east-1"), "dns/us-east-1");

    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());

    let lines = audit_lines(&dir.join("state/wavetop/audit.jsonl"));
    let befores: Vec<&Value> = lines.iter().filter(|l| l["phase"] == "before").collect();
    let afters: Vec<&Value> = lines.iter().filter(|l| l["phase"] == "after").collect();
    assert_eq!(
        befores.len(),
        afters.len(),
        "every call has its outcome: {lines:#?}"
    );
    for after in &afters {
        assert_eq!(after["outcome"], "ok", "{after}");
        assert!(befores.iter().any(|b| b["id"] == after["id"]));
    }
    let apis: Vec<&str> = befores
        .iter()
        .map(|b| b["api"].as_str().unwrap_or(""))
        .collect();
    for api in [
        "codepipeline:PutApprovalResult",
        "codepipeline:DisableStageTransition",
        "codepipeline:EnableStageTransition",
        "codepipeline:RetryStageExecution",
        "codepipeline:StopPipelineExecution",
        "codepipeline:RollbackStage",
        "route53:UpdateHealthCheck",
    ] {
        assert!(apis.contains(&api), "{api} audited; audited: {apis:?}");
    }
    let approvals: Vec<&&Value> = befores
        .iter()
        .filter(|b| b["api"] == "codepipeline:PutApprovalResult")
        .collect();
    assert_eq!(approvals.len(), 2, "one approve, one reject");
    assert!(befores.iter().all(|b| {
        b["identity"]
            .as_str()
            .is_some_and(|i| i.contains("demo-operator"))
    }));
    let inversions: Vec<bool> = befores
        .iter()
        .filter(|b| b["api"] == "route53:UpdateHealthCheck")
        .map(|b| b["call"]["inverted"].as_bool().unwrap())
        .collect();
    assert!(
        inversions.contains(&true) && inversions.contains(&false),
        "drain then restore: {inversions:?}"
    );
}

#[test]
fn read_only_mode_refuses_and_writes_nothing_to_the_audit_log() {
    let dir = tempdir("readonly");
    let mut tui = spawn_demo_sized(&dir, &["--at", "10m", "--read-only"], 48, 160);
    tui.wait_for("READ-ONLY", WAIT);
    go(&mut tui, "global-api", 6, 3);
    tui.send("a");
    tui.wait_for("read-only: approve refused", WAIT);
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
    let audit = dir.join("state/wavetop/audit.jsonl");
    let written = std::fs::read_to_string(&audit).unwrap_or_default();
    assert!(
        written.is_empty(),
        "nothing audited in read-only mode: {written}"
    );
}

#[test]
fn a_stage_condition_is_overridden_with_the_region_typed_and_audited() {
    let dir = tempdir("override");
    let mut tui = spawn_demo_sized(&dir, &["--at", "0m"], 48, 160);
    tui.wait_for("◆ global-api", WAIT);
    // search: Source, Build, Europe, Americas; columns eu-west-1, us-east-1, sa-east-1.
    go(&mut tui, "search", 3, 1);
    tui.wait_for("◴ cond", WAIT);
    act(&mut tui, "O", None, Some("us-east-1"), "search/Americas");
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());

    let lines = audit_lines(&dir.join("state/wavetop/audit.jsonl"));
    let [before, after] = lines.as_slice() else {
        panic!("a before and an after line: {lines:#?}");
    };
    assert_eq!(before["api"], "codepipeline:OverrideStageCondition");
    assert_eq!(before["call"]["condition"], "before_entry");
    assert_eq!(before["target"], "search/Americas");
    assert_eq!(after["outcome"], "ok", "{after}");
}
