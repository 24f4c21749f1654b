//! The console itself against the emulator, read through a terminal emulator.

use super::*;

/// How long the console may take to discover and poll the seeded fleet.
pub(crate) const SCREEN_WAIT: Duration = Duration::from_secs(30);

/// Waits until `holds` is true of the screen's rows; panics with the screen
/// and `what` when it never is.
pub(crate) fn wait_for_screen(tui: &Tui, what: &str, holds: impl Fn(&[&str]) -> bool) {
    let start = Instant::now();
    loop {
        let text = tui.screen_text();
        let rows: Vec<&str> = text.lines().collect();
        if holds(&rows) {
            return;
        }
        if start.elapsed() > SCREEN_WAIT {
            panic!("the console never showed {what} within {SCREEN_WAIT:?}; screen:\n{text}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The console at 160x48 in the sandbox, against `url` with `config`.
pub(crate) fn spawn_console(sandbox: &Sandbox, url: &str, config: &Path) -> Tui {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_wavetop"));
    cmd.env_clear();
    for (key, value) in sandbox.environment() {
        cmd.env(key, value);
    }
    cmd.env("TERM", "xterm-256color");
    cmd.args(["--endpoint-url", url, "--config"]);
    cmd.arg(config);
    Tui::spawn_command(cmd, 48, 160)
}

/// The row of the sources panel (under the activity view) for one poll key.
fn source_row<'s>(rows: &[&'s str], label: &str) -> Option<&'s str> {
    let panel = rows.iter().position(|r| r.contains(" sources: "))?;
    rows[panel + 1..]
        .iter()
        .find(|r| {
            // Past the row's state glyph.
            let mut chars = r.trim_start().chars();
            chars.next();
            chars.as_str().trim_start().starts_with(label)
        })
        .copied()
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn the_console_shows_the_seeded_fleet_and_what_the_emulator_lacks() {
    let url = emulator();
    let tag = format!("c{}", unique());
    // A home region no other test lists pipelines in.
    let home = "ap-northeast-1";
    let pipeline = format!("tui-{tag}");
    seed_pipeline(&url, home, &pipeline, &pipeline).await;
    seed_stack(&url, "eu-west-1", &format!("{pipeline}-eu-west-1")).await;
    seed_stack(&url, "us-west-2", &format!("{pipeline}-us-west-2")).await;
    let zone = seed_zone(&url, &tag).await;
    let api = format!("api.{}", zone.name);
    let app = format!("app.{}", zone.name);

    let sandbox = Sandbox::new(&tag);
    let config = sandbox.config(&format!(
        "[aws]\nhome_regions = [\"{home}\"]\nhosted_zones = [\"{}\"]\n",
        zone.name.trim_end_matches('.')
    ));
    let mut tui = spawn_console(&sandbox, &url, &config);

    // The header names the account STS answers for; the grid shows the
    // seeded pipeline with the regions its actions run in as columns.
    wait_for_screen(&tui, "the account in the header", |rows| {
        rows.first().is_some_and(|h| h.contains("123456789012"))
    });
    assert!(tui.raw_mode(), "the console runs in raw mode");
    assert!(
        tui.alternate_screen(),
        "the console uses the alternate screen"
    );
    wait_for_screen(&tui, "the pipeline and its regions", |rows| {
        rows.iter().any(|r| r.contains(&pipeline))
            && rows
                .iter()
                .any(|r| r.contains("eu-west-1") && r.contains("us-west-2"))
    });

    // eu-west-1's health checks (this test's, and those other tests seed in
    // the same account) have no status, as moto's CloudWatch cannot say: the
    // grid shows them unknown, never as failing; nothing has failed.
    wait_for_screen(&tui, "eu-west-1's checks as unknown", |rows| {
        rows.iter().any(|r| r.contains("? 0/"))
    });
    let grid = tui.screen_text();
    assert!(!grid.contains('✖'), "nothing seeded has failed:\n{grid}");

    // Health: the zone's latency and failover record sets.
    tui.send("3");
    wait_for_screen(&tui, "the seeded record sets", |rows| {
        rows.iter().any(|r| r.contains(&api)) && rows.iter().any(|r| r.contains(&app))
    });

    // Activity: every poll key has a row in the sources panel. moto has no
    // GetPipelineState and its CloudWatch does not speak the SDK's protocol:
    // those show as errors of their own sources, and the console keeps going.
    tui.send("6");
    let flow_label = format!("pipeline {pipeline}");
    let labels = [
        flow_label.as_str(),
        "stacks eu-west-1",
        "stacks us-west-2",
        "health",
    ];
    wait_for_screen(&tui, "a source row per poll key", |rows| {
        labels.iter().all(|l| source_row(rows, l).is_some())
    });
    wait_for_screen(&tui, "the emulator's missing calls as errors", |rows| {
        source_row(rows, &flow_label).is_some_and(|r| r.contains("GetPipelineState"))
            && source_row(rows, "health").is_some_and(|r| r.contains("GetMetricData"))
    });
    let text = tui.screen_text();
    let rows: Vec<&str> = text.lines().collect();
    for label in ["stacks eu-west-1", "stacks us-west-2"] {
        let row = source_row(&rows, label).unwrap();
        assert!(row.trim_start().starts_with('●'), "{label} answered: {row}");
    }
    for label in [flow_label.as_str(), "health"] {
        let row = source_row(&rows, label).unwrap();
        assert!(
            row.trim_start().starts_with('!'),
            "{label} marked as answering with an error: {row}"
        );
    }
    // The activity log above the sources says so too, once each.
    let log: Vec<&str> = rows
        .iter()
        .take_while(|r| !r.contains(" sources: "))
        .copied()
        .collect();
    for (label, call) in [
        (flow_label.as_str(), "GetPipelineState"),
        ("health", "GetMetricData"),
    ] {
        let lines = log
            .iter()
            .filter(|r| r.contains(&format!("✖ {label}: answered in part")) && r.contains(call))
            .count();
        assert_eq!(lines, 1, "{label} in the activity log:\n{text}");
    }

    tui.send("q");
    let status = tui.wait_exit(SCREEN_WAIT);
    assert!(status.success(), "exit status {status:?}");
    assert!(!tui.raw_mode(), "terminal left in raw mode");
    assert!(
        !tui.alternate_screen(),
        "terminal left on the alternate screen"
    );
    assert!(!tui.cursor_hidden(), "cursor left hidden");
}
