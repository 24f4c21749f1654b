//! The console in a pseudo-terminal, operated with keys against moto and the
//! stand-in: each confirmation filled in as an operator would, and the
//! request CodePipeline receives for it.

use super::*;

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn the_console_approves_holds_and_releases_over_the_wire() {
    let url = emulator();
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

/// One operator action in the console on a pipeline of its own.
struct KeyedCase {
    fixture: &'static str,
    /// Grid row and column of the cell to act on.
    cell: (usize, usize),
    key: &'static str,
    comment: Option<&'static str>,
    typed: Option<&'static str>,
    /// What the flash says is done, after the pipeline's name.
    done: &'static str,
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn the_console_rejects_stops_retries_and_rolls_back_over_the_wire() {
    let url = emulator();
    let cases = [
        // Reject Frankfurt's gate: a comment, then the region typed.
        KeyedCase {
            fixture: "gates-waiting.json",
            cell: (1, 1),
            key: "x",
            comment: Some("error rate up"),
            typed: Some("eu-central-1"),
            done: "/Europe/eu-central-1",
        },
        // Stop the running execution, letting its actions finish.
        KeyedCase {
            fixture: "gates-waiting.json",
            cell: (1, 0),
            key: "s",
            comment: Some("bad build"),
            typed: None,
            done: "@",
        },
        // A failed Europe: retry its failed actions.
        KeyedCase {
            fixture: "europe-failed.json",
            cell: (1, 0),
            key: "r",
            comment: None,
            typed: None,
            done: "/Europe",
        },
        // Or roll it back, typing the wave's name.
        KeyedCase {
            fixture: "europe-failed.json",
            cell: (1, 0),
            key: "b",
            comment: None,
            typed: Some("Europe"),
            done: "/Europe",
        },
    ];
    for (n, case) in cases.iter().enumerate() {
        let bench = Bench::new(&url, &format!("keys{n}"), case.fixture).await;
        let p = bench.pipeline.as_str();
        let caller = bench.standin.caller.as_str();
        let mut tui = spawn_console(&bench.sandbox, &bench.standin.url, &bench.config);
        wait_for_screen(&tui, "the pipeline", |rows| {
            rows.iter().any(|r| r.contains(p)) && rows.iter().any(|r| r.contains("Europe"))
        });
        tui.go(p, case.cell.0, case.cell.1, SCREEN_WAIT);
        // The keys `act` sends, then the flash: a stop's names the execution.
        tui.send(case.key);
        tui.wait_for("[ Cancel ]", SCREEN_WAIT);
        for text in [case.comment, case.typed].into_iter().flatten() {
            tui.send(text);
            tui.send(TAB);
        }
        tui.send(RIGHT);
        tui.send(ENTER);
        tui.closed_and_done(&format!("{p}{}", case.done), SCREEN_WAIT);
        bench.wait_for_calls(1, SCREEN_WAIT);
        let (operation, body) = match case.key {
            "x" => (
                "PutApprovalResult",
                bench.approval_body(
                    "Frankfurt.Approve",
                    FRANKFURT_TOKEN,
                    "Rejected",
                    "error rate up",
                ),
            ),
            "s" => (
                "StopPipelineExecution",
                json!({
                    "pipelineName": p,
                    "pipelineExecutionId": LATEST,
                    "abandon": false,
                    "reason": format!("bad build (by {caller})"),
                }),
            ),
            "r" => (
                "RetryStageExecution",
                json!({
                    "pipelineName": p,
                    "stageName": "Europe",
                    "pipelineExecutionId": LATEST,
                    "retryMode": "FAILED_ACTIONS",
                }),
            ),
            _ => (
                "RollbackStage",
                json!({
                    "pipelineName": p,
                    "stageName": "Europe",
                    "targetPipelineExecutionId": PREVIOUS,
                }),
            ),
        };
        assert_eq!(bench.call(0, operation), body, "{}", case.key);
        tui.send("q");
        assert!(tui.wait_exit(SCREEN_WAIT).success());
        assert_audited(
            &bench.audit(),
            &[&format!("codepipeline:{operation}")],
            "ok",
        );
    }
}
