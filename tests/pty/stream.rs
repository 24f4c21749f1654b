//! The simulated fleet's change stream through the real binary: with
//! `[stream]` in the config, `--demo` reads the stream the simulated
//! changes make, says so in the header, and stops polling pipelines.

use crate::{WAIT, spawn_demo_sized, tempdir};

#[test]
fn with_a_stream_configured_the_demo_console_reads_it_live() {
    let dir = tempdir("stream-live");
    let config = dir.join("config").join("wavetop");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "[stream]\nread_secs = 2\n").unwrap();
    let mut tui = spawn_demo_sized(&dir, &["--at", "60m"], 40, 160);
    tui.wait_for("global-api", WAIT);
    tui.wait_for("⇄ stream live", WAIT);
    tui.send("6");
    tui.wait_for("change stream live", WAIT);
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}

#[test]
fn without_a_stream_configured_the_demo_console_polls_and_shows_no_stream() {
    let dir = tempdir("stream-off");
    let mut tui = spawn_demo_sized(&dir, &["--at", "60m"], 40, 160);
    tui.wait_for("global-api", WAIT);
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert!(
        !tui.screen_text().contains("stream"),
        "{}",
        tui.screen_text()
    );
    tui.send("q");
    assert!(tui.wait_exit(WAIT).success());
}
