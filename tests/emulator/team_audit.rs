//! The team audit trail through the real binary: an approval made with
//! `[audit] log_group` set lands in moto's CloudWatch Logs group (read back
//! with the aws CLI, an independent reader), its local lines name the group
//! and are recorded as delivered, and `wavetop audit` lists it from the
//! group, and from the local log with `--local`.

use super::*;

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn an_approval_lands_in_the_team_log_group_and_audit_reads_it_back() {
    let url = emulator();
    let mut bench = Bench::new(&url, "team", "gates-waiting.json").await;
    let group = format!("/wavetop/audit-{}", bench.pipeline);
    bench.configure(&format!("[audit]\nlog_group = \"{group}\"\n"));
    let cli = AwsCli::new(url.clone(), &bench.sandbox);
    cli.call(
        HOME,
        &["logs", "create-log-group", "--log-group-name", &group],
    );

    bench.done(
        "approve --wave Europe --region eu-west-1 --yes",
        &["--comment", "canary ok"],
    );
    assert_eq!(bench.operator_calls().len(), 1);
    let local = bench.audit();
    assert_audited(&local, &["codepipeline:PutApprovalResult"], "ok");
    for line in &local {
        assert_eq!(line["team_log"], group.as_str(), "{line:#}");
    }

    // The group holds the same two lines, in this session's stream.
    let read = cli.call(
        HOME,
        &["logs", "filter-log-events", "--log-group-name", &group],
    );
    let events = read["events"].as_array().unwrap();
    let copied: Vec<Value> = events
        .iter()
        .map(|e| serde_json::from_str(e["message"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(copied, local);
    let stream = events[0]["logStreamName"].as_str().unwrap();
    let caller = bench.standin.caller.as_str();
    let who = caller.rsplit(':').next().unwrap();
    assert!(stream.contains(who), "{stream} names {caller}");
    assert!(!stream.contains(':'), "{stream}");

    // Delivered, so the local log is clean.
    let out = bench.wavetop(&["audit", "--check"]);
    assert!(out.status.success(), "{}", describe(&out));

    // `wavetop audit` lists the call from the group, and from the local log.
    for source in [&[][..], &["--local"][..]] {
        let args = [&["audit", "--json"][..], source].concat();
        let out = bench.wavetop(&args);
        assert!(out.status.success(), "{}", describe(&out));
        let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
        let calls = listed["calls"].as_array().unwrap();
        assert_eq!(calls.len(), 1, "{listed:#}");
        assert_eq!(calls[0]["api"], "codepipeline:PutApprovalResult");
        assert_eq!(calls[0]["outcome"], "ok");
        assert_eq!(calls[0]["identity"], caller);
        assert_eq!(calls[0]["id"], local[0]["id"]);
        let expected_stream = if source.is_empty() { stream } else { "" };
        assert_eq!(calls[0]["stream"], expected_stream);
    }
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_missing_log_group_never_stops_the_call_and_the_next_run_resends_the_lines() {
    let url = emulator();
    let mut bench = Bench::new(&url, "teamgone", "gates-waiting.json").await;
    // Never created: every copy is refused.
    let group = format!("/wavetop/missing-{}", bench.pipeline);
    bench.configure(&format!("[audit]\nlog_group = \"{group}\"\n"));

    let out = bench.done(
        "approve --wave Europe --region eu-west-1 --yes",
        &["--comment", "canary ok"],
    );
    assert_eq!(bench.operator_calls().len(), 1, "the call was made");
    assert_audited(&bench.audit(), &["codepipeline:PutApprovalResult"], "ok");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not copied to the team log"), "{stderr}");

    let out = bench.wavetop(&["audit", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("not in the team log: 2 lines"), "{text}");

    // Once the group exists, the next run sends the first run's lines too.
    let cli = AwsCli::new(url.clone(), &bench.sandbox);
    cli.call(
        HOME,
        &["logs", "create-log-group", "--log-group-name", &group],
    );
    bench.done(
        "approve --wave Europe --region eu-central-1 --yes",
        &["--comment", "canary ok"],
    );
    let out = bench.wavetop(&["audit", "--check"]);
    assert!(out.status.success(), "{}", describe(&out));
    let read = cli.call(
        HOME,
        &["logs", "filter-log-events", "--log-group-name", &group],
    );
    let copied: Vec<Value> = read["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_str(e["message"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(copied, bench.audit(), "both runs' lines, in time order");
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_group_the_console_cannot_read_is_shown_as_a_failed_source() {
    let url = emulator();
    let mut bench = Bench::new(&url, "teamread", "gates-waiting.json").await;
    let p = bench.pipeline.clone();
    // Never created: FilterLogEvents answers ResourceNotFoundException.
    bench.configure(&format!("[audit]\nlog_group = \"/wavetop/missing-{p}\"\n"));
    let mut tui = spawn_console(&bench.sandbox, &bench.standin.url, &bench.config);
    wait_for_screen(&tui, "the pipeline", |rows| {
        rows.iter().any(|r| r.contains(&p))
    });
    tui.send("6");
    wait_for_screen(&tui, "the team log as a failed source", |rows| {
        let sources = rows.iter().skip_while(|r| !r.contains(" sources: "));
        sources
            .clone()
            .any(|r| r.contains("✖ team audit log") && r.contains("ResourceNotFoundException"))
    });
    wait_for_screen(&tui, "the failure in the activity log", |rows| {
        rows.iter()
            .any(|r| r.contains("team audit log: cannot read: logs:FilterLogEvents"))
    });
    tui.send("q");
    let status = tui.wait_exit(SCREEN_WAIT);
    assert!(status.success(), "exit status {status:?}");
}
