//! The change stream through the real binary against the emulator: the
//! template deployed with the aws CLI in the region a pipeline and its
//! stack live in, the console reading its log group, and a CloudFormation
//! resource change put on the bus showing in cell detail. The emulator's
//! own stack has no such event: only the stream can have brought it. The
//! console reaches the emulator through the stand-in, which records every
//! request, so the requests of the minute are counted by service.

use super::*;

/// A region no other emulator test uses: one stack of the template each.
const REGION: &str = "sa-east-1";

#[tokio::test]
#[ignore = "needs the emulator: scripts/emulator.sh"]
async fn the_console_shows_a_resource_change_from_the_stream_with_no_read_of_its_stack() {
    let url = emulator();
    let tag = format!("s{}", unique());
    let sandbox = Sandbox::new(&tag);
    let cli = AwsCli::new(url.clone(), &sandbox);
    super::stream::deploy_template(&cli, REGION);
    let pipeline = format!("streamed-{tag}");
    let stack = format!("{pipeline}-app");
    seed_home_region_pipeline(&url, REGION, &pipeline, &stack).await;
    seed_stack(&url, REGION, &stack).await;

    let config = sandbox.config(&format!(
        "[aws]\nhome_regions = [\"{REGION}\"]\n\n[stream]\nregions = [\"{REGION}\"]\nread_secs = 1\n"
    ));
    let standin = StandIn::start(&url);
    let mut tui = spawn_console(&sandbox, &standin.url, &config);
    wait_for_screen(&tui, "the stream live in the header", |rows| {
        rows.first().is_some_and(|h| h.contains("⇄ stream live"))
    });
    wait_for_screen(&tui, "the pipeline in the grid", |rows| {
        rows.iter().any(|r| r.contains(&pipeline))
    });
    // The Deploy wave's cell in the region: its detail lists the stack's events.
    tui.send(harness::DOWN);
    tui.send(ENTER);
    // Its first read (stacks never read are read once, stream or not): the
    // emulator's stack as DescribeStacks says it is.
    wait_for_screen(&tui, "the cell detail of the stack, read once", |rows| {
        rows.iter()
            .any(|r| r.contains(&stack) && r.contains("CREATE_COMPLETE"))
    });

    let detail = json!({
        "stack-id": format!("arn:aws:cloudformation:{REGION}:123456789012:stack/{stack}/1f2e"),
        "logical-resource-id": "OrdersQueuePolicy",
        "resource-type": "AWS::SQS::QueuePolicy",
        "status-details": {"status": "UPDATE_FAILED", "status-reason": "Invalid policy document"},
    });
    let entry = json!([{
        "Source": "aws.cloudformation",
        "DetailType": "CloudFormation Resource Status Change",
        "Detail": detail.to_string(),
    }]);
    let before = standin.calls().len();
    let sent = Instant::now();
    cli.call(
        REGION,
        &["events", "put-events", "--entries", &entry.to_string()],
    );
    wait_for_screen(
        &tui,
        "the streamed resource change in cell detail",
        |rows| {
            rows.iter()
                .any(|r| r.contains("OrdersQueuePolicy") && r.contains("UPDATE_FAILED"))
                && rows.iter().any(|r| r.contains("Invalid policy document"))
        },
    );
    let shown_after = sent.elapsed();
    // Twenty more seconds of the console with the stream live.
    std::thread::sleep(Duration::from_secs(20));
    let window = sent.elapsed().as_secs_f64();
    let calls = standin.calls();
    let mut by_service: BTreeMap<String, usize> = BTreeMap::new();
    for call in &calls[before..] {
        *by_service.entry(service_of(call)).or_default() += 1;
    }
    println!(
        "emulator, stream live: shown {shown_after:?} after PutEvents; {window:.0} s of the console made {} requests: {by_service:?}",
        calls.len() - before
    );
    assert!(shown_after < Duration::from_secs(5), "{shown_after:?}");
    // The stack is not read again: its change came whole in the event.
    assert_eq!(by_service.get("cloudformation"), None, "{by_service:?}");
    // One FilterLogEvents a read, a read a second.
    let reads = by_service.get("logs").copied().unwrap_or_default() as f64;
    assert!(
        (window * 0.5..=window * 1.5).contains(&reads),
        "{reads} reads in {window:.0} s"
    );

    tui.send("q");
    let status = tui.wait_exit(SCREEN_WAIT);
    assert!(status.success(), "exit status {status:?}");
}

/// The service a request was signed for, from its credential scope
/// (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`).
fn service_of(call: &Call) -> String {
    call.header("authorization")
        .and_then(|auth| auth.split("Credential=").nth(1))
        .and_then(|scope| scope.split('/').nth(3))
        .unwrap_or("unsigned")
        .to_string()
}

#[tokio::test]
#[ignore = "needs the emulator: scripts/emulator.sh"]
async fn an_approval_answered_elsewhere_leaves_the_grid_from_its_event_with_no_read_of_the_pipeline()
 {
    let url = emulator();
    let mut bench = Bench::new(&url, "strm", "gates-waiting.json").await;
    bench.configure(&format!(
        "[stream]\nregions = [\"{HOME}\"]\nread_secs = 1\n"
    ));
    let cli = AwsCli::new(url.clone(), &bench.sandbox);
    super::stream::deploy_template(&cli, HOME);
    let p = bench.pipeline.clone();
    let mut tui = spawn_console(&bench.sandbox, &bench.standin.url, &bench.config);
    let gates = |rows: &[&str]| {
        rows.iter()
            .map(|r| r.matches("APPROVE?").count())
            .sum::<usize>()
    };
    wait_for_screen(&tui, "the stream live and both gates waiting", |rows| {
        rows.first().is_some_and(|h| h.contains("⇄ stream live"))
            && rows.iter().any(|r| r.contains(&p))
            && gates(rows) == 2
    });
    let reads = bench.standin.reads(&p);

    // Another operator approves Ireland's gate: CodePipeline's event reaches
    // the bus, and so the stream.
    let detail = json!({
        "pipeline": p,
        "execution-id": LATEST,
        "stage": "Europe",
        "action": "Ireland.Approve",
        "region": "eu-west-1",
        "state": "SUCCEEDED",
    });
    let entry = json!([{
        "Source": "aws.codepipeline",
        "DetailType": "CodePipeline Action Execution State Change",
        "Detail": detail.to_string(),
    }]);
    let sent = Instant::now();
    cli.call(
        HOME,
        &["events", "put-events", "--entries", &entry.to_string()],
    );
    wait_for_screen(&tui, "one gate left waiting", |rows| gates(rows) == 1);
    let shown_after = sent.elapsed();
    println!("emulator, stream live: an approval's event shown {shown_after:?} after PutEvents");
    assert!(shown_after < Duration::from_secs(5), "{shown_after:?}");
    assert_eq!(
        bench.standin.reads(&p),
        reads,
        "the grid changed with no GetPipelineState of the pipeline"
    );

    tui.send("q");
    let status = tui.wait_exit(SCREEN_WAIT);
    assert!(status.success(), "exit status {status:?}");
}
