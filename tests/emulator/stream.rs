//! The change stream on the emulator: `deploy/wavetop-stream.yaml` deployed
//! with the aws CLI, a CodePipeline state change put on the bus, and
//! the rule writing it to the log group wavetop's reader reads.

use super::*;
use wavetop::config::stream::StreamConfig;
use wavetop::domain::stream_event::{Change, parse_event};
use wavetop::protocol::ReadStream;

/// A region no other emulator test uses: the template names its log group
/// and rule outright, one stack per region.
const REGION: &str = "ca-central-1";

/// `deploy/wavetop-stream.yaml` deployed in `region` with the aws CLI.
pub(crate) fn deploy_template(cli: &AwsCli<'_>, region: &str) {
    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/wavetop-stream.yaml");
    let out = cli.run(
        region,
        &[
            "cloudformation",
            "deploy",
            "--template-file",
            template.to_str().unwrap(),
            "--stack-name",
            "wavetop-stream",
            "--parameter-overrides",
            "RetentionInDays=1",
            "--no-fail-on-empty-changeset",
        ],
    );
    assert!(out.status.success(), "deploy: {}", describe(&out));
}

#[tokio::test]
#[ignore = "needs the emulator: scripts/emulator.sh"]
async fn the_template_deploys_and_its_rule_delivers_a_pipeline_change_to_the_reader() {
    let url = emulator();
    let sandbox = Sandbox::new("stream");
    let cli = AwsCli::new(url.clone(), &sandbox);
    deploy_template(&cli, REGION);
    let groups = cli.call(
        REGION,
        &[
            "logs",
            "describe-log-groups",
            "--log-group-name-prefix",
            "/wavetop/stream",
        ],
    );
    assert_eq!(
        text(&groups["logGroups"][0]["logGroupName"]),
        "/wavetop/stream"
    );
    assert_eq!(groups["logGroups"][0]["retentionInDays"], 1);
    let rules = cli.call(
        REGION,
        &["events", "list-rules", "--name-prefix", "wavetop-stream"],
    );
    let rule = &items(&rules["Rules"])[0];
    assert_eq!(text(&rule["Name"]), "wavetop-stream-changes");
    let pattern: Value = serde_json::from_str(text(&rule["EventPattern"])).unwrap();
    assert!(
        pattern["detail-type"].as_array().unwrap().len() >= 5,
        "{pattern}"
    );
    let targets = cli.call(
        REGION,
        &[
            "events",
            "list-targets-by-rule",
            "--rule",
            "wavetop-stream-changes",
        ],
    );
    assert!(text(&items(&targets["Targets"])[0]["Arn"]).contains(":log-group:/wavetop/stream"));

    let backend = connect(&url, AwsConfig::default()).await;
    let config = StreamConfig {
        regions: vec![REGION.to_string()],
        ..StreamConfig::default()
    };
    let started = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60);
    let reader = backend.open_stream(&config, started).await.unwrap();
    let quiet = reader.read().await.unwrap();
    assert!(quiet.events.is_empty(), "nothing yet: {quiet:?}");
    assert_eq!(quiet.requests, 1, "one FilterLogEvents for one quiet group");

    let pipeline = format!("checkout-{}", unique());
    let detail = json!({
        "pipeline": pipeline,
        "execution-id": "e-1",
        "stage": "Prod",
        "action": "Deploy",
        "state": "SUCCEEDED",
    });
    let entry = json!([{
        "Source": "aws.codepipeline",
        "DetailType": "CodePipeline Action Execution State Change",
        "Detail": detail.to_string(),
    }]);
    cli.call(
        REGION,
        &["events", "put-events", "--entries", &entry.to_string()],
    );

    // The rule wrote the event to the group, as the aws CLI reads it.
    let read = cli.call(
        REGION,
        &[
            "logs",
            "filter-log-events",
            "--log-group-name",
            "/wavetop/stream",
        ],
    );
    let delivered: Vec<_> = items(&read["events"])
        .iter()
        .filter_map(|e| parse_event(text(&e["message"])).ok())
        .collect();
    assert!(
        delivered.iter().any(|e| matches!(&e.change, Change::Pipeline { pipeline: p, state, .. } if *p == pipeline && state == "SUCCEEDED")),
        "{read}"
    );

    // wavetop's reader sees it too (moto's fractional event milliseconds
    // are cut by the emulator layer), with one FilterLogEvents and no
    // request to CodePipeline: nothing polls the pipeline that emitted it.
    let streamed = reader.read().await.unwrap();
    assert!(
        streamed.events.iter().any(|e| matches!(&e.change, Change::Pipeline { pipeline: p, execution_id, stage, action, state }
            if *p == pipeline && execution_id.as_deref() == Some("e-1") && stage.as_deref() == Some("Prod")
                && action.as_deref() == Some("Deploy") && state == "SUCCEEDED")),
        "{streamed:?}"
    );
    assert_eq!(streamed.requests, 1, "one FilterLogEvents, nothing else");
    let again = reader.read().await.unwrap();
    assert!(
        again.events.is_empty(),
        "an event is handed over once: {again:?}"
    );
}
