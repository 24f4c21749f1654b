//! `wavetop man`: the manual page in roff, from the same command definition
//! clap parses with. clap_mangen writes the sections of `wavetop` itself
//! (name, synopsis, description, its options, the global options); then a
//! COMMANDS section gives each command a subsection with its usage and own
//! options, so a single page documents every flag.

use std::process::ExitCode;

use clap::{Arg, Command, CommandFactory};
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::Cli;
use super::completions::stream_bytes;

/// The section of the page that details every command.
const COMMANDS_SECTION: &str = "COMMANDS";

/// Prints the page to standard output.
pub fn print() -> ExitCode {
    match page() {
        Ok(page) => {
            stream_bytes(&page);
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::errln!("wavetop: cannot render the manual page: {e}");
            ExitCode::from(1)
        }
    }
}

/// The whole page, in roff.
pub fn page() -> std::io::Result<Vec<u8>> {
    let mut command = Cli::command();
    // Built, every command carries its full name and the global options.
    command.build();
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    // clap_mangen's own list of commands points at a page per command;
    // here the commands are described in this page instead.
    let mut details = Roff::new();
    details.control("SH", [COMMANDS_SECTION]);
    for sub in visible_commands(&command) {
        describe_command(&mut details, sub);
    }
    details.to_writer(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// The commands a user can run, without clap's own `help`.
fn visible_commands(command: &Command) -> impl Iterator<Item = &Command> {
    command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
}

/// A subsection for `command`: what it does, its usage, its own options;
/// then the same for each of its commands.
fn describe_command(roff: &mut Roff, command: &Command) {
    let name = command
        .get_bin_name()
        .unwrap_or_else(|| command.get_name())
        .to_string();
    roff.control("SS", [name.as_str()]);
    if let Some(about) = command.get_long_about().or_else(|| command.get_about()) {
        roff.text([roman(about.to_string())]);
    }
    let usage = command.clone().render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    roff.control("PP", []);
    roff.text([bold(usage.to_string())]);
    for arg in command.get_arguments().filter(|arg| is_own(arg)) {
        roff.control("TP", []);
        roff.text(arg_header(arg));
        roff.text([roman(arg_help(arg))]);
    }
    for sub in visible_commands(command) {
        describe_command(roff, sub);
    }
}

/// An argument documented in its command's subsection: not hidden, not a
/// global option (those are in GLOBAL OPTIONS), not `--help`.
fn is_own(arg: &Arg) -> bool {
    !arg.is_hide_set() && !arg.is_global_set() && arg.get_id() != "help"
}

/// `--name <VALUE>` for an option, `<NAME>` for a positional.
fn arg_header(arg: &Arg) -> Vec<clap_mangen::roff::Inline> {
    let value = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(|name| format!("<{name}>"))
        .unwrap_or_else(|| format!("<{}>", arg.get_id().as_str().to_uppercase()));
    match arg.get_long() {
        Some(long) if arg.get_num_args().is_some_and(|n| n.takes_values()) => {
            vec![bold(format!("--{long}")), roman(" "), italic(value)]
        }
        Some(long) => vec![bold(format!("--{long}"))],
        None => vec![italic(value)],
    }
}

/// The argument's help, with its default and its choices when it has them.
fn arg_help(arg: &Arg) -> String {
    let mut help = arg
        .get_long_help()
        .or_else(|| arg.get_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    let takes_values = arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if takes_values && !defaults.is_empty() {
        help.push_str(&format!(" [default: {}]", defaults.join(", ")));
    }
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if takes_values && !choices.is_empty() {
        help.push_str(&format!(" [possible values: {}]", choices.join(", ")));
    }
    help
}
