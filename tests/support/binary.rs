//! Running the built binary on the simulated fleet in a directory of its
//! own, shared by the binary test files.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Europe gate of global-api in eu-west-1, ten minutes into the
/// simulated day (each run starts the simulated fleet afresh).
pub const EUROPE_GATE: &[&str] = &[
    "--demo",
    "--at",
    "10m",
    "--pipeline",
    "global-api",
    "--wave",
    "Europe",
    "--region",
    "eu-west-1",
];

/// wavetop with its config, state (the audit log) and home inside `dir`,
/// and no AWS configuration from the environment.
pub fn wavetop_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wavetop"));
    cmd.args(args)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID");
    cmd
}

/// An empty directory of this test process's own under the system's
/// temporary directory: `wavetop-KIND-NAME-PID`.
#[allow(
    dead_code,
    reason = "not every test file that includes this makes directories"
)]
pub fn fresh_dir(kind: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wavetop-{kind}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}
