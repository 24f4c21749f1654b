//! Someone else acts between wavetop's last read and its call: the stand-in
//! applies the other operator's change as the call arrives, answers the call
//! as CodePipeline would, and wavetop must report what happened, exit 1 on a
//! refusal, and leave the audit log with the call's before line and its
//! error after it.

use super::*;

/// Runs a headless command that CodePipeline refuses with `code`; checks
/// that stderr names the call and `says`, and that the audit log holds one
/// before line for `api` and one error after it naming `code`.
fn assert_refused(bench: &Bench, command: (&str, &[&str]), api: &str, code: &str, says: &str) {
    let stderr = bench.refused(command.0, command.1, code);
    assert!(stderr.contains(&format!("{api} failed")), "{stderr}");
    assert!(stderr.contains(says), "{says:?} in {stderr}");
    let pairs = assert_audited(&bench.audit(), &[api], "error");
    assert!(
        text(&pairs[0].1["detail"]).contains(code),
        "{code} in the audit: {:?}",
        pairs[0]
    );
    let calls = bench.operator_calls();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert_eq!(calls[0].error.as_deref(), Some(code), "{calls:#?}");
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_gate_answered_meanwhile_by_someone_else_is_reported_not_answered_again() {
    let url = emulator();
    let bench = Bench::new(&url, "raced", "gates-waiting.json").await;
    let p = bench.pipeline.as_str();
    bench
        .standin
        .script(p, When::OnCall("PutApprovalResult"), |state, now| {
            state.answer_approval("Europe", "Ireland.Approve", "Approved", "ship it", BOB, now);
        });

    assert_refused(
        &bench,
        ("approve --wave Europe --region eu-west-1 --yes", &[]),
        "codepipeline:PutApprovalResult",
        "ApprovalAlreadyCompletedException",
        "approval was already answered",
    );
    // wavetop sent the token it had read; bob's answer stands.
    assert_eq!(bench.call(0, "PutApprovalResult")["token"], IRELAND_TOKEN);
    let state = bench.state();
    let latest = &state.action("Europe", "Ireland.Approve")["latestExecution"];
    assert_eq!(latest["lastUpdatedBy"], BOB);
    assert_eq!(latest["summary"], "ship it");
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_gate_reopened_by_a_newer_execution_refuses_the_token_wavetop_read() {
    let url = emulator();
    let bench = Bench::new(&url, "reopened", "gates-waiting.json").await;
    let p = bench.pipeline.as_str();
    let fresh = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    bench
        .standin
        .script(p, When::OnCall("PutApprovalResult"), move |state, now| {
            state.supersede(
                "Europe",
                NEWER,
                &[
                    ("Ireland.Approve", fresh),
                    ("Frankfurt.Approve", "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"),
                ],
                now,
            );
        });

    assert_refused(
        &bench,
        ("approve --wave Europe --region eu-west-1 --yes", &[]),
        "codepipeline:PutApprovalResult",
        "InvalidApprovalTokenException",
        "approval token is no longer valid",
    );
    assert_eq!(bench.call(0, "PutApprovalResult")["token"], IRELAND_TOKEN);
    // The newer execution's gate still waits, for a decision on what it deploys.
    let state = bench.state();
    assert_eq!(
        state.token("Europe", "Ireland.Approve").as_deref(),
        Some(fresh)
    );
    assert_eq!(state.execution(LATEST).unwrap()["status"], "Superseded");
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_retry_of_an_execution_superseded_meanwhile_is_refused() {
    let url = emulator();
    let bench = Bench::new(&url, "overtaken", "europe-failed.json").await;
    let p = bench.pipeline.as_str();
    bench
        .standin
        .script(p, When::OnCall("RetryStageExecution"), |state, now| {
            state.supersede("Europe", NEWER, &[], now);
        });

    assert_refused(
        &bench,
        ("retry --wave Europe --yes", &[]),
        "codepipeline:RetryStageExecution",
        "NotLatestPipelineExecutionException",
        "not the stage's latest execution",
    );
    assert_eq!(
        bench.call(0, "RetryStageExecution")["pipelineExecutionId"],
        LATEST
    );
    assert_eq!(
        bench.state().stage("Europe")["latestExecution"]["pipelineExecutionId"],
        NEWER
    );
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_stop_of_an_execution_that_ended_meanwhile_is_refused() {
    let url = emulator();
    let bench = Bench::new(&url, "ended", "gates-waiting.json").await;
    let p = bench.pipeline.as_str();
    bench
        .standin
        .script(p, When::OnCall("StopPipelineExecution"), |state, now| {
            state.finish_execution(LATEST, "Succeeded", now);
        });

    assert_refused(
        &bench,
        ("stop --yes", &["--reason", "bad build"]),
        "codepipeline:StopPipelineExecution",
        "PipelineExecutionNotStoppableException",
        "conflict",
    );
    assert_eq!(
        bench.state().execution(LATEST).unwrap()["status"],
        "Succeeded"
    );
}

/// CodePipeline has no error for disabling a disabled transition: a hold
/// placed between wavetop's read and its call is silently replaced, reason
/// and all. Only a read right before the call can narrow that window; this
/// pins down what happens on the wire when the window is hit.
#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_hold_placed_meanwhile_is_replaced_as_codepipeline_allows() {
    let url = emulator();
    let bench = Bench::new(&url, "doubled", "gates-waiting.json").await;
    let p = bench.pipeline.as_str();
    let bobs = "wavetop hold by OnCall.bob (us-west-2) note release train";
    bench.standin.script(
        p,
        When::OnCall("DisableStageTransition"),
        move |state, now| {
            state.set_transition("America", false, Some(bobs), BOB, now);
        },
    );

    bench.done("hold --wave America --reason mine --yes", &[]);
    let body = bench.call(0, "DisableStageTransition");
    let held = bench.state().stage("America")["inboundTransitionState"].clone();
    assert_eq!(held["enabled"], false);
    assert_eq!(held["lastChangedBy"], bench.standin.caller.as_str());
    assert_eq!(held["disabledReason"], body["reason"]);
    assert_ne!(held["disabledReason"], bobs);
    assert_audited(
        &bench.audit(),
        &["codepipeline:DisableStageTransition"],
        "ok",
    );
}
