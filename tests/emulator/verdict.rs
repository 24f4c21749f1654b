//! The promotion verdict through the binary: a gated pipeline (moto and the
//! stand-in) waits at its Europe gates in eu-west-1 and eu-central-1; an
//! alarm set to ALARM in moto's eu-west-1 CloudWatch (read through the CBOR
//! relay) turns that gate's verdict to NO-GO in `snapshot --json`, naming
//! the alarm, and leaves the other gate's verdict short of NO-GO.

use super::*;

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn an_alarm_in_alarm_turns_its_regions_gate_to_no_go_in_the_snapshot() {
    let url = emulator();
    let exe = aws_cli();
    let tag = format!("v{}", unique());
    let pipeline = format!("verdict-{tag}");
    seed_gated_pipeline(&url, HOME, &pipeline).await;
    let relay = CborRelay::start(&url);
    // The stand-in answers for the pipeline and passes CloudWatch on to
    // the relay, which re-encodes it for moto.
    let standin = StandIn::start(&relay.url);
    standin.serve(PipelineState::fixture("gates-waiting.json", &pipeline));
    let sandbox = Sandbox::new(&tag);
    let cli = AwsCli {
        exe,
        url: url.clone(),
        sandbox: &sandbox,
    };
    let name = format!("{tag}-5xx");
    cli.alarm_firing_in(&name, &["eu-west-1", "eu-central-1"], "eu-west-1");
    let config = sandbox.config(&format!(
        "[aws]\nhome_regions = [\"{HOME}\"]\npipelines = [\"{pipeline}\"]\n\n\
         [alarms.\"{pipeline}\".regions.eu-west-1]\nnames = [\"{name}\"]\n\n\
         [alarms.\"{pipeline}\".regions.eu-central-1]\nnames = [\"{name}\"]\n"
    ));
    let out = sandbox.wavetop(&standin.url, &config, &["snapshot", "--json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    let flow = items(&snapshot["pipelines"])
        .iter()
        .find(|f| f["name"] == pipeline.as_str())
        .unwrap_or_else(|| panic!("{pipeline} in {:#}", snapshot["pipelines"]))
        .clone();
    let europe = items(&flow["waves"])
        .iter()
        .find(|w| w["name"] == "Europe")
        .expect("the Europe wave")
        .clone();
    let verdict = |region: &str| {
        items(&europe["cells"])
            .iter()
            .find(|c| c["region"] == region)
            .unwrap_or_else(|| panic!("{region} in {europe:#}"))["verdict"]
            .clone()
    };
    let ireland = verdict("eu-west-1");
    assert_eq!(ireland["call"], "no_go", "{ireland:#}");
    let alarm = items(&ireland["reasons"])
        .iter()
        .find(|r| r["kind"] == "alarm")
        .unwrap_or_else(|| panic!("an alarm reason in {ireland:#}"))
        .clone();
    assert_eq!(alarm["call"], "no_go");
    assert!(
        alarm["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{name} in ALARM")),
        "{alarm:#}"
    );
    let frankfurt = verdict("eu-central-1");
    assert!(frankfurt["call"].is_string(), "{europe:#}");
    assert_ne!(frankfurt["call"], "no_go", "{frankfurt:#}");
}
