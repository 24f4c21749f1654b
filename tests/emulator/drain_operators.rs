//! Drains by several operators at once, while the `HealthCheckStatus` metric
//! still says healthy: separate `wavetop drain` processes, and a console
//! running beside them. The last serving region is never drained.

use super::*;

/// Four latency records of one name, each guarded by its own check.
/// Regions no other test of the tier drains, restores or looks at: health
/// checks live account-wide, and the other tests read theirs by region.
const REGIONS: [(&str, ResourceRecordSetRegion); 4] = [
    ("eu-north-1", ResourceRecordSetRegion::EuNorth1),
    ("ca-central-1", ResourceRecordSetRegion::CaCentral1),
    ("ap-south-1", ResourceRecordSetRegion::ApSouth1),
    ("ap-northeast-2", ResourceRecordSetRegion::ApNortheast2),
];

struct LatencyZone {
    name: String,
    record_set: String,
    /// (region, health check id), in [`REGIONS`] order.
    checks: Vec<(&'static str, String)>,
}

async fn seed_latency_zone(url: &str, tag: &str) -> LatencyZone {
    let r53 = aws_sdk_route53::Client::new(&sdk(url, "us-east-1").await);
    let zone_name = format!("{tag}.example.com.");
    let record_set = format!("api.{zone_name}");
    let mut checks = Vec::new();
    for (region, _) in REGIONS {
        let fqdn = format!("api.{region}.{tag}.example.com");
        checks.push((region, seed_health_check(&r53, &fqdn).await));
    }
    let zone_id = create_zone(&r53, &zone_name, tag).await;
    let sets = REGIONS
        .iter()
        .zip(&checks)
        .enumerate()
        .map(|(i, ((region, r), (_, check)))| {
            record(
                &record_set,
                &format!("api-{region}"),
                &format!("192.0.2.{}", 10 + i),
                Some(check),
            )
            .region(r.clone())
        });
    create_record_sets(&r53, &zone_id, sets).await;
    LatencyZone {
        name: zone_name,
        record_set,
        checks,
    }
}

/// Every check healthy in CloudWatch, a minute ago, and never updated after:
/// the metric lags every inversion the tests make.
fn every_check_healthy(cli: &AwsCli, zone: &LatencyZone) {
    let ids: Vec<&str> = zone.checks.iter().map(|(_, id)| id.as_str()).collect();
    cli.put_health_status(&ids, 1.0);
}

fn config_for(sandbox: &Sandbox, zone: &LatencyZone) -> PathBuf {
    // No pipelines live in this home region: a drain reads DNS and health only.
    sandbox.config(&format!(
        "[aws]\nhome_regions = [\"sa-east-1\"]\nhosted_zones = [\"{}\"]\n",
        zone.name.trim_end_matches('.')
    ))
}

/// Whether the audit log holds a call on this check (its `state_read` may
/// name it when another region's drain was decided).
fn audit_mentions(path: &Path, id: &str) -> bool {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("an audit line is JSON"))
        .any(|l| l["call"]["health_check_id"] == id)
}

/// What the refusal must say of each region drained before.
fn inverted_but_healthy(region: &str, id: &str) -> String {
    format!("{region}: check inverted (drained); its metric still says healthy [{id}]")
}

/// Four healthy regions in moto, a sandbox configured for their zone, and
/// the CBOR relay that lets the binary read their metric.
struct Drill {
    url: String,
    exe: PathBuf,
    zone: LatencyZone,
    sandbox: Sandbox,
    config: PathBuf,
    relay: CborRelay,
}

impl Drill {
    /// Fails the test when the emulator tier is not set up.
    async fn start(prefix: &str) -> Drill {
        let url = emulator();
        let exe = aws_cli();
        let tag = format!("{prefix}{}", unique());
        let zone = seed_latency_zone(&url, &tag).await;
        let sandbox = Sandbox::new(&tag);
        let config = config_for(&sandbox, &zone);
        let relay = CborRelay::start(&url);
        let drill = Drill {
            url,
            exe,
            zone,
            sandbox,
            config,
            relay,
        };
        every_check_healthy(&drill.cli(), &drill.zone);
        drill
    }

    fn cli(&self) -> AwsCli<'_> {
        AwsCli {
            exe: self.exe.clone(),
            url: self.url.clone(),
            sandbox: &self.sandbox,
        }
    }
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn three_drain_processes_leave_the_fourth_region_serving() {
    let drill = Drill::start("ops").await;
    let Drill {
        zone,
        sandbox,
        config,
        relay,
        ..
    } = &drill;
    let cli = drill.cli();
    let inverted = |id: &str| flag(&cli.health_check_config(id)["Inverted"]);

    // Three operators, three processes, one after the other: each inverts its
    // region's check. Not one metric point follows (as on AWS for minutes).
    let (last, drained) = zone.checks.split_last().unwrap();
    for (region, id) in drained {
        let out = sandbox.wavetop(&relay.url, config, &["drain", "--region", region, "--yes"]);
        assert!(out.status.success(), "{region}: {}", describe(&out));
        assert!(inverted(id), "{region}: {}", describe(&out));
        assert_eq!(status_points(&cli, id), [1.0], "{id}: the metric lags");
    }

    // The fourth: refused before any call, naming each record's standing.
    let (region, id) = last;
    let out = sandbox.wavetop(&relay.url, config, &["drain", "--region", region, "--yes"]);
    let flags: Vec<(String, bool)> = zone
        .checks
        .iter()
        .map(|(r, i)| (r.to_string(), inverted(i)))
        .collect();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}\nflags as the aws CLI reads them now: {flags:?}",
        describe(&out)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refused"), "{stderr}");
    assert!(stderr.contains(&zone.record_set), "{stderr}");
    for (r, i) in drained {
        assert!(stderr.contains(&inverted_but_healthy(r, i)), "{stderr}");
    }
    assert!(!inverted(id), "the last serving region stays in DNS");
    assert!(!audit_mentions(&sandbox.audit_log(), id));
    for (_, i) in drained {
        assert!(audit_mentions(&sandbox.audit_log(), i));
    }
}

/// How long the console may take to show something.
const SCREEN_WAIT: Duration = Duration::from_secs(30);

fn wait_until(tui: &Tui, what: &str, holds: impl Fn(&str) -> bool) {
    let start = Instant::now();
    while !holds(&tui.screen_text()) {
        if start.elapsed() > SCREEN_WAIT {
            panic!(
                "the console never showed {what} within {SCREEN_WAIT:?}; screen:\n{}",
                tui.screen_text()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_console_refuses_the_last_region_after_headless_drains_beside_it() {
    let drill = Drill::start("opc").await;
    let Drill {
        zone,
        sandbox,
        config,
        relay,
        ..
    } = &drill;
    let cli = drill.cli();
    let inverted = |id: &str| flag(&cli.health_check_config(id)["Inverted"]);

    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_wavetop"));
    cmd.env_clear();
    for (key, value) in sandbox.environment() {
        cmd.env(key, value);
    }
    cmd.env("TERM", "xterm-256color");
    cmd.args(["--endpoint-url", relay.url.as_str(), "--config"]);
    cmd.arg(config);
    let mut tui = Tui::spawn_command(cmd, 48, 160);
    let (last, drained) = zone.checks.split_last().unwrap();
    let (last_region, last_id) = last;

    // The console has read every record as serving.
    tui.send("3");
    wait_until(&tui, "the four records", |screen| {
        screen.contains(&zone.record_set) && REGIONS.iter().all(|(r, _)| screen.contains(r))
    });

    // Other operators drain three regions with headless commands.
    for (region, id) in drained {
        let out = sandbox.wavetop(&relay.url, config, &["drain", "--region", region, "--yes"]);
        assert!(out.status.success(), "{region}: {}", describe(&out));
        assert!(inverted(id));
    }

    // In the console, on the last region's record: drain.
    let start = Instant::now();
    while !tui
        .inverse_rows()
        .iter()
        .any(|row| row.contains(&last_id[..13]))
    {
        assert!(
            start.elapsed() < SCREEN_WAIT,
            "never selected the record of {last_region}:\n{}",
            tui.screen_text()
        );
        tui.send("\x1b[B");
        std::thread::sleep(Duration::from_millis(150));
    }
    tui.send("d");
    // Whatever it had polled, the console reads the flags again before it
    // decides: the dialog, if it opened on older health, is closed.
    wait_until(&tui, "the refusal", |screen| screen.contains("refused"));
    let screen = tui.screen_text();
    assert!(screen.contains(&zone.record_set), "{screen}");
    assert!(!inverted(last_id), "the last serving region stays in DNS");
    assert!(!audit_mentions(&sandbox.audit_log(), last_id));

    tui.send("q");
    tui.wait_exit(Duration::from_secs(10));
    assert!(!tui.raw_mode(), "raw mode left on");
}
