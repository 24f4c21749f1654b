//! The console in a pseudo-terminal, operated with keys against moto and the
//! stand-in: each confirmation filled in as an operator would, and the
//! request CodePipeline receives for it.

use super::*;

#[tokio::test]
async fn the_console_approves_holds_and_releases_over_the_wire() {
    let Some(url) = emulator() else { return };
    let bench = Bench::new(&url, "keys", "gates-waiting.json").await;
    let p = bench.pipeline.as_str();
    let caller = bench.standin.caller.as_str();
    let mut tui = spawn_console(&bench.sandbox, &bench.standin.url, &bench.config);
    wait_for_screen(&tui, "the pipeline's gates waiting", |rows| {
        rows.iter().any(|r| r.contains(p)) && rows.iter().any(|r| r.contains("APPROVE?"))
    });

    // Rows: Source, Europe, America; columns: eu-west-1, eu-central-1, us-west-2.
    tui.go(p, 1, 0, SCREEN_WAIT);
    tui.act(
        "a",
        Some("canary ok"),
        None,
        &format!("{p}/Europe/eu-west-1"),
        SCREEN_WAIT,
    );
    bench.wait_for_calls(1, SCREEN_WAIT);
    assert_eq!(
        bench.call(0, "PutApprovalResult"),
        bench.approval_body("Ireland.Approve", IRELAND_TOKEN, "Approved", "canary ok")
    );

    // Europe deploys two regions: the hold needs the wave's name typed.
    tui.go(p, 1, 0, SCREEN_WAIT);
    tui.act(
        "h",
        Some("waiting for CAB"),
        Some("Europe"),
        &format!("{p}/Europe"),
        SCREEN_WAIT,
    );
    bench.wait_for_calls(2, SCREEN_WAIT);
    let hold = bench.call(1, "DisableStageTransition");
    let reason = text(&hold["reason"]);
    assert_eq!(hold["pipelineName"], p);
    assert_eq!(hold["stageName"], "Europe");
    assert_eq!(hold["transitionType"], "Inbound");
    assert!(is_transition_reason(reason), "{reason:?}");
    assert!(
        reason.ends_with(" (eu-west-1 eu-central-1) note waiting for CAB"),
        "{reason}"
    );
    // The grid shows the hold once the console reads it back.
    tui.wait_for("HELD", SCREEN_WAIT);

    tui.go(p, 1, 0, SCREEN_WAIT);
    tui.act("u", None, None, &format!("{p}/Europe"), SCREEN_WAIT);
    bench.wait_for_calls(3, SCREEN_WAIT);
    assert_eq!(
        bench.call(2, "EnableStageTransition"),
        bench.release_body("Europe")
    );
    assert_eq!(
        bench.state().stage("Europe")["inboundTransitionState"]["enabled"],
        true
    );

    tui.send("q");
    let status = tui.wait_exit(SCREEN_WAIT);
    assert!(status.success(), "exit status {status:?}");
    assert_eq!(bench.operator_calls().len(), 3);
    let pairs = assert_audited(
        &bench.audit(),
        &[
            "codepipeline:PutApprovalResult",
            "codepipeline:DisableStageTransition",
            "codepipeline:EnableStageTransition",
        ],
        "ok",
    );
    assert!(pairs.iter().all(|(before, _)| before["identity"] == caller));
}
