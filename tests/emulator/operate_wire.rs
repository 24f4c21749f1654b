//! Every CodePipeline operator command through the real binary, against moto
//! and the stand-in: the exact request CodePipeline receives, the exit
//! status, what the call did to the pipeline's state, and the audit lines.

use super::*;

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn approve_and_reject_answer_each_gate_with_its_current_token() {
    let url = emulator();
    let bench = Bench::new(&url, "gate", "gates-waiting.json").await;
    let p = bench.pipeline.as_str();
    let caller = bench.standin.caller.as_str();

    let out = bench.done(
        "approve --wave Europe --region eu-west-1 --yes",
        &["--comment", "canary ok"],
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("done: codepipeline:PutApprovalResult"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        bench.call(0, "PutApprovalResult"),
        bench.approval_body("Ireland.Approve", IRELAND_TOKEN, "Approved", "canary ok")
    );
    let state = bench.state();
    let ireland = &state.action("Europe", "Ireland.Approve")["latestExecution"];
    assert_eq!(ireland["status"], "Succeeded");
    assert_eq!(ireland["lastUpdatedBy"], caller);
    assert_eq!(
        state.token("Europe", "Frankfurt.Approve").as_deref(),
        Some(FRANKFURT_TOKEN)
    );

    // Frankfurt's gate is rejected with its own token; a reason is required.
    let out = bench.run("reject --wave Europe --region eu-central-1 --yes", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    bench.done(
        "reject --wave Europe --region eu-central-1 --yes",
        &["--comment", "error rate up"],
    );
    assert_eq!(
        bench.call(1, "PutApprovalResult"),
        bench.approval_body(
            "Frankfurt.Approve",
            FRANKFURT_TOKEN,
            "Rejected",
            "error rate up"
        )
    );
    assert_eq!(
        bench.operator_calls().len(),
        2,
        "the refused reject made no call"
    );
    assert_eq!(
        bench.state().stage("Europe")["latestExecution"]["status"],
        "Failed"
    );

    let pairs = assert_audited(&bench.audit(), &["codepipeline:PutApprovalResult"; 2], "ok");
    for ((before, _), (action, approved)) in pairs
        .iter()
        .zip([("Ireland.Approve", true), ("Frankfurt.Approve", false)])
    {
        assert_eq!(before["identity"], caller);
        assert_eq!(before["call"]["pipeline"], p);
        assert_eq!(before["call"]["stage"], "Europe");
        assert_eq!(before["call"]["action"], action);
        assert_eq!(before["call"]["approved"], approved);
    }
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn retry_sends_the_failed_execution_with_the_retry_mode() {
    let url = emulator();
    let bench = Bench::new(&url, "retry", "europe-failed.json").await;
    let p = bench.pipeline.as_str();

    bench.done("retry --wave Europe --yes", &[]);
    assert_eq!(
        bench.call(0, "RetryStageExecution"),
        json!({
            "pipelineName": p,
            "stageName": "Europe",
            "pipelineExecutionId": LATEST,
            "retryMode": "FAILED_ACTIONS",
        })
    );
    let state = bench.state();
    assert_eq!(
        state.stage("Europe")["latestExecution"]["status"],
        "InProgress"
    );
    assert_eq!(
        state.action("Europe", "Ireland.App.Deploy")["latestExecution"]["status"],
        "InProgress"
    );
    // The actions that had succeeded are not run again.
    assert_eq!(
        state.action("Europe", "Frankfurt.App.Deploy")["latestExecution"]["status"],
        "Succeeded"
    );

    // Once it is running again, there is nothing to retry: refused before any call.
    let out = bench.run("retry --wave Europe --yes", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has not failed"));

    bench.reset("europe-failed.json");
    bench.done("retry --wave Europe --all --yes", &[]);
    assert_eq!(
        bench.call(1, "RetryStageExecution"),
        json!({
            "pipelineName": p,
            "stageName": "Europe",
            "pipelineExecutionId": LATEST,
            "retryMode": "ALL_ACTIONS",
        })
    );
    assert_eq!(
        bench.state().action("Europe", "Frankfurt.App.Deploy")["latestExecution"]["status"],
        "InProgress"
    );
    assert_eq!(bench.operator_calls().len(), 2);
    let pairs = assert_audited(
        &bench.audit(),
        &["codepipeline:RetryStageExecution"; 2],
        "ok",
    );
    assert_eq!(pairs[0].0["call"]["mode"], "FAILED_ACTIONS");
    assert_eq!(pairs[1].0["call"]["mode"], "ALL_ACTIONS");
    assert_eq!(pairs[1].0["call"]["execution_id"], LATEST);
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn hold_and_release_set_the_inbound_transition_as_the_caller() {
    let url = emulator();
    let bench = Bench::new(&url, "hold", "gates-waiting.json").await;
    let p = bench.pipeline.as_str();
    let caller = bench.standin.caller.as_str();

    // Colons, commas and slashes are not allowed in a transition's reason.
    bench.done(
        "hold --wave America --yes",
        &["--reason", "CAB: change 42, see wiki/freeze"],
    );
    let body = bench.call(0, "DisableStageTransition");
    let reason = text(&body["reason"]).to_string();
    assert_eq!(
        body,
        json!({
            "pipelineName": p,
            "stageName": "America",
            "transitionType": "Inbound",
            "reason": reason,
        })
    );
    assert!(is_transition_reason(&reason), "{reason:?}");
    assert!(reason.starts_with("wavetop hold by "), "{reason}");
    assert!(
        reason.ends_with(" (us-west-2) note CAB change 42 see wiki freeze"),
        "{reason}"
    );
    let held = bench.state().stage("America")["inboundTransitionState"].clone();
    assert_eq!(held["enabled"], false);
    assert_eq!(held["lastChangedBy"], caller);
    assert_eq!(held["disabledReason"], reason.as_str());

    // The snapshot reads the hold back as CodePipeline keeps it.
    // Health checks other tests seed have no metric through moto alone;
    // this test reads the pipeline only.
    let snapshot = snapshot_within_gaps(
        &bench.wavetop(&["snapshot", "--json"]),
        &["cloudwatch:GetMetricData", "source:health"],
    );
    let wave = items(&snapshot["pipelines"])
        .iter()
        .flat_map(|f| items(&f["waves"]))
        .find(|w| w["pipeline"] == p && w["name"] == "America")
        .expect("the America wave")
        .clone();
    assert_eq!(wave["transition"]["enabled"], false);
    assert_eq!(wave["transition"]["disabled_reason"], reason.as_str());
    assert_eq!(wave["transition"]["changed_by"], caller);

    bench.done("release --wave America --yes", &[]);
    assert_eq!(
        bench.call(1, "EnableStageTransition"),
        bench.release_body("America")
    );
    let released = bench.state().stage("America")["inboundTransitionState"].clone();
    assert_eq!(released["enabled"], true);
    assert_eq!(released["lastChangedBy"], caller);
    assert!(released.get("disabledReason").is_none(), "{released}");

    let pairs = assert_audited(
        &bench.audit(),
        &[
            "codepipeline:DisableStageTransition",
            "codepipeline:EnableStageTransition",
        ],
        "ok",
    );
    assert_eq!(pairs[0].0["call"]["reason"], reason.as_str());
    assert_eq!(pairs[1].0["call"]["stage"], "America");
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_hold_until_a_window_carries_the_windows_opening_in_its_reason() {
    let url = emulator();
    let mut bench = Bench::new(&url, "window", "gates-waiting.json").await;
    // A daily window in UTC that opens two hours from now, for an hour.
    let at = |hours| {
        (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours))
            .to_zoned(jiff::tz::TimeZone::UTC)
    };
    let (opens, closes) = (at(2), at(3));
    bench.configure(&format!(
        "[windows.us-west-2]\ntime_zone = \"UTC\"\nopen = \"{}\"\nclose = \"{}\"\n\
         days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\n",
        opens.strftime("%H:%M"),
        closes.strftime("%H:%M"),
    ));

    let out = bench.done("hold --wave America --until-window us-west-2 --yes", &[]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Hold until the off-hours window"),
        "{}",
        describe(&out)
    );
    let body = bench.call(0, "DisableStageTransition");
    let reason = text(&body["reason"]);
    assert!(is_transition_reason(reason), "{reason:?}");
    let until = format!(" until {} by ", opens.strftime("%Y-%m-%dT%H%MZ"));
    assert!(
        reason.starts_with("wavetop hold") && reason.contains(&until),
        "{until:?} in {reason:?}"
    );
    assert_eq!(body["stageName"], "America");
    assert_eq!(body["transitionType"], "Inbound");
    assert_audited(
        &bench.audit(),
        &["codepipeline:DisableStageTransition"],
        "ok",
    );
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn stop_then_abandon_name_the_running_execution() {
    let url = emulator();
    let bench = Bench::new(&url, "stop", "gates-waiting.json").await;
    let p = bench.pipeline.as_str();
    let caller = bench.standin.caller.as_str();

    bench.done("stop --yes", &["--reason", "bad build"]);
    assert_eq!(
        bench.call(0, "StopPipelineExecution"),
        json!({
            "pipelineName": p,
            "pipelineExecutionId": LATEST,
            "abandon": false,
            "reason": format!("bad build (by {caller})"),
        })
    );
    assert_eq!(
        bench.state().execution(LATEST).unwrap()["status"],
        "Stopping"
    );

    // While it stops, its gates still wait: abandoning them is the one stop left.
    bench.done("stop --abandon --yes", &["--reason", "still bad"]);
    assert_eq!(
        bench.call(1, "StopPipelineExecution"),
        json!({
            "pipelineName": p,
            "pipelineExecutionId": LATEST,
            "abandon": true,
            "reason": format!("still bad (by {caller})"),
        })
    );
    let state = bench.state();
    assert_eq!(state.execution(LATEST).unwrap()["status"], "Stopped");
    assert_eq!(
        state.action("Europe", "Ireland.Approve")["latestExecution"]["status"],
        "Abandoned"
    );
    let pairs = assert_audited(
        &bench.audit(),
        &["codepipeline:StopPipelineExecution"; 2],
        "ok",
    );
    assert_eq!(pairs[0].0["call"]["abandon"], false);
    assert_eq!(pairs[1].0["call"]["abandon"], true);
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn rollback_targets_the_previous_success_or_the_named_execution() {
    let url = emulator();
    let bench = Bench::new(&url, "rollback", "europe-failed.json").await;
    let p = bench.pipeline.as_str();

    bench.done("rollback --wave Europe --yes", &[]);
    assert_eq!(
        bench.call(0, "RollbackStage"),
        json!({ "pipelineName": p, "stageName": "Europe", "targetPipelineExecutionId": PREVIOUS })
    );
    let state = bench.state();
    let rolling = text(&state.stage("Europe")["latestExecution"]["pipelineExecutionId"]);
    let execution = state.execution(rolling).expect("the rollback's execution");
    assert_eq!(execution["executionType"], "ROLLBACK");
    assert_eq!(
        execution["rollbackMetadata"]["rollbackTargetPipelineExecutionId"],
        PREVIOUS
    );

    bench.reset("europe-failed.json");
    bench.done("rollback --wave Europe --yes", &["--to", OLDEST]);
    assert_eq!(
        bench.call(1, "RollbackStage"),
        json!({ "pipelineName": p, "stageName": "Europe", "targetPipelineExecutionId": OLDEST })
    );

    // An execution CodePipeline does not know: its refusal, named, exit 1.
    bench.reset("europe-failed.json");
    let unknown = "99999999-9999-4999-8999-999999999999";
    let stderr = bench.refused(
        "rollback --wave Europe --yes",
        &["--to", unknown],
        "PipelineExecutionNotFoundException",
    );
    assert!(stderr.contains(unknown), "{stderr}");
    assert_eq!(
        bench.call(2, "RollbackStage")["targetPipelineExecutionId"],
        unknown
    );

    let lines = bench.audit();
    assert_audited(&lines[..4], &["codepipeline:RollbackStage"; 2], "ok");
    let failed = assert_audited(&lines[4..], &["codepipeline:RollbackStage"], "error");
    assert!(
        text(&failed[0].1["detail"]).contains("PipelineExecutionNotFoundException"),
        "{:?}",
        failed[0]
    );
}
