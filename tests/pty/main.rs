//! The real binary in a pseudo-terminal: start on the simulated fleet,
//! navigate, quit or be signalled, be resized or suspended, and leave the
//! terminal as it was; and refuse to start without a terminal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

mod audit;
mod dialog_keys;
mod harness;
mod keymap_flag;
mod limits;
mod links;
mod mouse;
mod no_tty;
mod notify;
mod operate;
mod panic_hook;
mod signals;
mod sizes;
mod stream;
mod times;

use std::time::Duration;

use harness::Tui;

pub const WAIT: Duration = Duration::from_secs(20);

fn demo_env(dir: &std::path::Path) -> Vec<(String, String)> {
    vec![
        (
            "XDG_CONFIG_HOME".into(),
            dir.join("config").display().to_string(),
        ),
        (
            "XDG_STATE_HOME".into(),
            dir.join("state").display().to_string(),
        ),
        ("HOME".into(), dir.display().to_string()),
    ]
}

pub fn spawn_demo(dir: &std::path::Path, extra: &[&str]) -> Tui {
    spawn_demo_sized(dir, extra, 24, 80)
}

pub fn spawn_demo_sized(dir: &std::path::Path, extra: &[&str], rows: u16, cols: u16) -> Tui {
    spawn_demo_with_env(dir, extra, &[], rows, cols)
}

/// The demo console with further environment variables (set last, so they
/// win over the harness's own TERM).
pub fn spawn_demo_with_env(
    dir: &std::path::Path,
    extra: &[&str],
    more_env: &[(&str, &str)],
    rows: u16,
    cols: u16,
) -> Tui {
    let env = demo_env(dir);
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.extend_from_slice(more_env);
    let mut args = vec!["--demo"];
    args.extend_from_slice(extra);
    Tui::spawn(&args, &env, rows, cols)
}

fn assert_restored(tui: &Tui) {
    assert!(!tui.raw_mode(), "terminal left in raw mode");
    assert!(
        !tui.alternate_screen(),
        "terminal left on the alternate screen"
    );
    assert!(!tui.cursor_hidden(), "cursor left hidden");
}

pub fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("wavetop-pty-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn navigates_opens_help_and_quits_leaving_the_terminal_restored() {
    let dir = tempdir("quit");
    let mut tui = spawn_demo(&dir, &[]);
    tui.wait_for("global-api", WAIT);
    tui.wait_for("DEMO", WAIT);
    assert!(tui.raw_mode(), "the console runs in raw mode");
    assert!(
        tui.alternate_screen(),
        "the console uses the alternate screen"
    );

    tui.send("?");
    tui.wait_for("keys from the active keymap", WAIT);
    // A lone ESC followed at once by a key reads as alt-key: pause as a person would.
    tui.send("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    tui.send("3");
    tui.wait_for("record sets", WAIT);
    tui.send("2");
    tui.wait_for("billing-failover", WAIT);
    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&tui);
}

#[test]
fn an_invalid_config_exits_2_before_touching_the_terminal() {
    let dir = tempdir("badcfg");
    let cfg = dir.join("bad.toml");
    std::fs::write(&cfg, "theme = \"dark\"\nread_only = maybe\n").unwrap();
    let cfg_arg = cfg.display().to_string();
    let mut tui = spawn_demo(&dir, &["--config", &cfg_arg]);
    let status = tui.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 2);
    let screen = tui.screen_text();
    assert!(
        screen.contains("bad.toml:2:"),
        "error names file and line: {screen}"
    );
    assert!(!tui.alternate_screen());
    assert!(!tui.raw_mode());
}

#[test]
fn ctrl_c_quits_like_q() {
    let dir = tempdir("ctrlc");
    let mut tui = spawn_demo(&dir, &[]);
    tui.wait_for("global-api", WAIT);
    tui.send("\x03");
    assert!(tui.wait_exit(WAIT).success());
    assert_restored(&tui);
}

#[test]
fn no_color_draws_without_colour_but_keeps_reverse_video() {
    let dir = tempdir("nocolor");
    let mut tui = spawn_demo_with_env(&dir, &["--at", "10m"], &[("NO_COLOR", "1")], 24, 80);
    tui.wait_for("APPROVE?", WAIT);
    let (coloured, inverse) = tui.colour_and_inverse_cells();
    assert_eq!(coloured, 0, "no cell is coloured under NO_COLOR");
    assert!(inverse > 0, "the selection is still shown in reverse video");
    tui.send("q");
    tui.wait_exit(WAIT);

    // The same screen with colour has coloured cells: the check above can fail.
    let mut tui = spawn_demo(&dir, &["--at", "10m"]);
    tui.wait_for("APPROVE?", WAIT);
    assert!(tui.colour_and_inverse_cells().0 > 0);
    tui.send("q");
    tui.wait_exit(WAIT);
}
