//! `wavetop completions SHELL`: the completion script, generated from the
//! same command definition clap parses with, so it never lags a flag.

use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;
use crate::output::stream_out;

/// The name the script completes: the binary as installed.
const BIN_NAME: &str = "wavetop";

/// Prints the script for `shell` to standard output (a failed write is
/// reported and turned into exit 1 by `main`).
pub fn print(shell: Shell) -> ExitCode {
    stream_bytes(&script(shell));
    ExitCode::SUCCESS
}

/// The script for `shell`. It is built in memory: the generator panics on
/// a failed write, and a reader that leaves early is not a failure here.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN_NAME, &mut script);
    script
}

/// Writes `bytes` to standard output the way every command's output goes.
pub(super) fn stream_bytes(bytes: &[u8]) {
    stream_out(|out| out.write_all(bytes));
}
