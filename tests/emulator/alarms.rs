//! Alarms through the binary: metric alarms made in moto's CloudWatch in two
//! regions, one set to ALARM with `SetAlarmState`; `snapshot --json` (its
//! CloudWatch calls through the CBOR relay) shows that region's alarm by
//! name in ALARM and the other region's as it is.

use super::*;

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn an_alarm_set_to_alarm_shows_in_its_region_of_the_snapshot() {
    let url = emulator();
    let exe = aws_cli();
    let tag = format!("a{}", unique());
    let sandbox = Sandbox::new(&tag);
    let cli = AwsCli {
        exe,
        url: url.clone(),
        sandbox: &sandbox,
    };
    let name = format!("{tag}-web-5xx");
    cli.alarm_firing_in(&name, &["eu-west-1", "us-east-1"], "eu-west-1");
    let config = sandbox.config(&format!(
        "[aws]\nhome_regions = [\"sa-east-1\"]\n\n\
         [alarms.web.regions.eu-west-1]\nprefixes = [\"{tag}-web-\"]\n\n\
         [alarms.web.regions.us-east-1]\nnames = [\"{name}\"]\n"
    ));
    let relay = CborRelay::start(&url);
    let out = sandbox.wavetop(&relay.url, &config, &["snapshot", "--json"]);
    assert!(out.status.success(), "{}", describe(&out));
    let snapshot: Value = serde_json::from_slice(&out.stdout).unwrap();
    let region = |r: &str| {
        items(&snapshot["alarms"])
            .iter()
            .find(|a| a["flow"] == "web" && a["region"] == r)
            .unwrap_or_else(|| panic!("{r} in {:#}", snapshot["alarms"]))
            .clone()
    };
    let eu = region("eu-west-1");
    assert_eq!(eu["worst"], "alarm", "{eu:#}");
    let alarm = &items(&eu["alarms"])[0];
    assert_eq!(alarm["name"], name.as_str());
    assert_eq!(alarm["state"], "alarm");
    assert_eq!(alarm["kind"], "metric");
    assert_eq!(alarm["reason"], "5xx over 5 for a minute");
    let us = region("us-east-1");
    assert_eq!(items(&us["alarms"]).len(), 1, "{us:#}");
    assert_ne!(us["worst"], "alarm", "{us:#}");
}
