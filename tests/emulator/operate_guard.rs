//! Someone else acts after wavetop decided but before its call: wavetop's
//! fresh read right before the call sees it, calls nothing, says who did
//! what, exits 1 and writes no audit line (no call was made). The stand-in
//! stages the change right after the reads wavetop decides on.

use super::*;

/// How many `GetPipelineState` reads a command makes before it decides:
/// the same command without `--yes` reads, plans, prints and stops.
fn reads_to_decide(bench: &Bench, words: &str, extra: &[&str]) -> usize {
    let p = bench.pipeline.as_str();
    let before = bench.standin.reads(p);
    let out = bench.run(words, extra);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    bench.standin.reads(p) - before
}

/// Runs `words --yes` with `change` landing after the reads it decides on;
/// returns stderr, having checked that nothing was called or audited.
fn raced(
    bench: &Bench,
    words: &str,
    extra: &[&str],
    change: impl FnOnce(&mut PipelineState, f64) + Send + 'static,
) -> String {
    let p = bench.pipeline.as_str();
    let k = reads_to_decide(bench, words, extra);
    let decided = bench.standin.reads(p) + k;
    bench.standin.script(p, When::AfterRead(decided), change);
    let out = bench.run(&format!("{words} --yes"), extra);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        bench.standin.reads(p) > decided,
        "read again before the call"
    );
    let calls = bench.operator_calls();
    assert!(calls.is_empty(), "nothing may be called: {calls:#?}");
    assert!(bench.audit().is_empty(), "no call, no audit line");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.starts_with("wavetop: not done: "), "{stderr}");
    assert!(stderr.contains("; nothing was called"), "{stderr}");
    stderr
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_gate_answered_after_wavetop_decided_is_not_answered_again() {
    let url = emulator();
    let bench = Bench::new(&url, "gguard", "gates-waiting.json").await;
    let stderr = raced(
        &bench,
        "approve --wave Europe --region eu-west-1",
        &["--comment", "canary ok"],
        |state, now| {
            state.answer_approval("Europe", "Ireland.Approve", "Approved", "ship it", BOB, now);
        },
    );
    assert!(
        stderr.contains(&format!(
            "the gate Europe / Ireland.Approve in eu-west-1 was approved by {BOB} at "
        )),
        "{stderr}"
    );
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_stage_held_after_wavetop_decided_keeps_the_other_operators_hold() {
    let url = emulator();
    let bench = Bench::new(&url, "hguard", "gates-waiting.json").await;
    let bobs = "wavetop hold by OnCall.bob (us-west-2) note release train";
    let stderr = raced(
        &bench,
        "hold --wave America",
        &["--reason", "mine"],
        move |state, now| {
            state.set_transition("America", false, Some(bobs), BOB, now);
        },
    );
    assert!(
        stderr.contains(&format!("America was already held by {BOB} at ")),
        "{stderr}"
    );
    assert!(stderr.contains(bobs), "{stderr}");
    let held = bench.state().stage("America")["inboundTransitionState"].clone();
    assert_eq!(held["disabledReason"], bobs, "bob's hold stands");
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_retry_of_an_execution_superseded_after_wavetop_decided_is_not_sent() {
    let url = emulator();
    let bench = Bench::new(&url, "rguard", "europe-failed.json").await;
    let stderr = raced(&bench, "retry --wave Europe", &[], |state, now| {
        state.supersede("Europe", NEWER, &[], now);
    });
    assert!(
        stderr.contains(&format!("in execution {NEWER} (it had failed in {LATEST})")),
        "{stderr}"
    );
}
