//! Command-line interface: the console by default, and headless subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;
use jiff::SignedDuration;

pub mod completions;
pub mod flags;
pub mod man_page;
pub mod usage;

use flags::{parse_endpoint_url, parse_region};

use crate::config::Choices;
use crate::sim::FleetSize;

/// The heading under which `--help` lists the options every subcommand takes.
pub const GLOBAL_OPTIONS: &str = "Global options";

#[derive(Debug, Parser)]
#[command(
    name = "wavetop",
    version,
    about = "top for deployment waves: watch and operate multi-region AWS deployments",
    long_about = "wavetop polls CodePipeline executions, CloudFormation stack events, Route53 health checks and \
                  DynamoDB replication latency, shows each pipeline's waves against its regions, and lets you \
                  approve, reject, retry, hold, stop, roll back, drain and restore, each confirmed and audited.\n\n\
                  Without AWS configuration, or with --demo, it runs on a built-in simulated fleet."
)]
pub struct Cli {
    // The console's own options come first: the global options' heading
    // applies to every option flattened after them.
    #[command(flatten)]
    pub ui: UiArgs,

    #[command(flatten)]
    pub backend: BackendArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where the fleet comes from, how calls are made, and which configuration,
/// theme and keymap apply. Every subcommand takes these; `--help` lists them
/// apart from the subcommand's own.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = GLOBAL_OPTIONS)]
pub struct BackendArgs {
    /// Use the built-in simulated fleet instead of AWS.
    #[arg(long, global = true)]
    pub demo: bool,

    /// Seed of the simulated fleet (same seed, same fleet).
    #[arg(long, global = true, default_value_t = 1)]
    pub seed: u64,

    /// Start the simulated fleet this far into its life, e.g. 10m, 1h30m, 3d (at most 366d).
    #[arg(long, global = true, value_parser = parse_duration)]
    pub at: Option<SignedDuration>,

    /// Which simulated fleet: demo (five flows) or large (200 pipelines
    /// over 25 regions in 3 accounts). Simulated fleet only.
    #[arg(long, global = true, value_enum)]
    pub fleet: Option<FleetSize>,

    /// How much faster than real time the simulated fleet runs.
    #[arg(long, global = true, default_value_t = 1.0, value_parser = parse_speed)]
    pub speed: f64,

    /// AWS profile (overrides the config file's aws.profile).
    #[arg(long, global = true, env = "WAVETOP_PROFILE")]
    pub profile: Option<String>,

    /// Home region where pipelines are discovered; repeat for several.
    #[arg(long = "home-region", global = true, value_parser = parse_region)]
    pub home_regions: Vec<String>,

    /// Send every AWS call to this endpoint (moto, LocalStack).
    #[arg(long, global = true, value_parser = parse_endpoint_url)]
    pub endpoint_url: Option<String>,

    /// Config file (default: $XDG_CONFIG_HOME/wavetop/config.toml).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,

    /// Theme: a preset (dark, light, high-contrast) or a theme file;
    /// overrides the config's `theme`.
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub theme: Option<String>,

    /// Keymap: a preset (default, vim) or a keymap file; overrides the
    /// config's `keymap`.
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub keymap: Option<String>,

    /// Refuse every call that changes AWS.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// Audit log, a regular file (default: $XDG_STATE_HOME/wavetop/audit.jsonl).
    #[arg(long, global = true)]
    pub audit_log: Option<PathBuf>,

    /// Read every pipeline's structure from AWS, not from the copies kept
    /// under $XDG_CACHE_HOME/wavetop/pipelines (and keep none).
    #[arg(long, global = true)]
    pub no_cache: bool,
}

impl BackendArgs {
    /// The theme and keymap named on the command line, which win over the
    /// config file's.
    pub fn choices(&self) -> Choices {
        Choices {
            theme: self.theme.clone(),
            keymap: self.keymap.clone(),
        }
    }
}

/// The console's own options.
#[derive(Debug, Clone, Args)]
pub struct UiArgs {
    /// Turn colour off; glyphs and reverse video still carry every state (also NO_COLOR).
    #[arg(long)]
    pub no_color: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print one complete fleet snapshot and exit.
    Snapshot {
        /// Stable JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Recent operator actions across the team (the `[audit]` log group),
    /// or this machine's with --local; --check verifies the local log.
    /// Listing exits 0, 1 when the log group cannot be read, 2 on bad input.
    Audit {
        /// Verify the log: every line is a record, every call has its outcome,
        /// every line meant for the team log got there.
        /// Exit 0 clean, 1 needs attention (unfinished calls, a torn last
        /// line, lines not in the team log), 2 unreadable.
        #[arg(long)]
        check: bool,
        /// List this machine's log instead of the team's log group.
        #[arg(long, conflicts_with = "check")]
        local: bool,
        /// How far back to list (e.g. 30m, 24h, 7d).
        #[arg(long, default_value = "24h", value_parser = parse_since, conflicts_with = "check")]
        since: SignedDuration,
        /// The local log (default: --audit-log, else $XDG_STATE_HOME/wavetop/audit.jsonl).
        path: Option<PathBuf>,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Configuration tools.
    Config {
        #[command(subcommand)]
        action: ConfigCommand,
    },
    /// Approve a region's manual gate.
    Approve(GateArgs),
    /// Reject a region's manual gate (a comment is required).
    Reject(GateArgs),
    /// Retry a wave's failed actions (or all of them with --all).
    Retry {
        #[command(flatten)]
        wave: WaveArgs,
        /// Retry every action of the wave, not only the failed ones.
        #[arg(long)]
        all: bool,
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Hold a wave: disable its inbound transition.
    Hold {
        #[command(flatten)]
        wave: WaveArgs,
        /// Hold until this region's next off-hours window (from the config).
        #[arg(long, value_parser = parse_region)]
        until_window: Option<String>,
        /// Why the wave is held (kept in the audit log).
        #[arg(long, default_value = "")]
        reason: String,
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Release a wave's hold.
    Release {
        #[command(flatten)]
        wave: WaveArgs,
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Stop a pipeline's running execution.
    Stop {
        /// Pipeline (or flow) name.
        #[arg(long)]
        pipeline: String,
        /// Abandon in-progress actions instead of letting them finish.
        #[arg(long)]
        abandon: bool,
        /// Why the execution is stopped (required; sent to CodePipeline).
        #[arg(long)]
        reason: String,
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Roll a wave back to the latest earlier successful execution (or --to ID).
    Rollback {
        #[command(flatten)]
        wave: WaveArgs,
        /// The execution id to roll back to.
        #[arg(long)]
        to: Option<String>,
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Let a wave's execution past its evaluating or failed stage condition
    /// (codepipeline:OverrideStageCondition).
    OverrideCondition {
        #[command(flatten)]
        wave: WaveArgs,
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Drain a region out of DNS by inverting its Route53 health checks.
    Drain {
        /// The region to take out of DNS.
        #[arg(long, value_parser = parse_region)]
        region: String,
        /// Drain even if a record set is left without a healthy record.
        #[arg(long)]
        force: bool,
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Restore a drained region into DNS.
    Restore {
        /// The region to put back into DNS.
        #[arg(long, value_parser = parse_region)]
        region: String,
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Release every hold whose off-hours window has opened, then exit.
    Enforce {
        /// Make the calls (audited); without it, only show what would be done.
        #[arg(long)]
        yes: bool,
    },
    /// Print a shell completion script for bash, zsh, fish, elvish or powershell.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page, in roff (`wavetop man | man -l -`).
    Man,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate the config, theme and keymap without starting the console.
    Check {
        /// The config file (default: --config, else $XDG_CONFIG_HOME/wavetop/config.toml).
        path: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct WaveArgs {
    /// Pipeline (or flow) name.
    #[arg(long)]
    pub pipeline: String,
    /// Wave (stage) name.
    #[arg(long)]
    pub wave: String,
}

#[derive(Debug, Clone, Args)]
pub struct GateArgs {
    #[command(flatten)]
    pub wave: WaveArgs,
    /// The region whose gate to answer.
    #[arg(long, value_parser = parse_region)]
    pub region: String,
    /// The comment sent with the answer (required to reject).
    #[arg(long, default_value = "")]
    pub comment: String,
    /// Approve when the region's off-hours window opens (waits until then).
    #[arg(long)]
    pub at_window: bool,
    /// Approve a gate whose promotion verdict is NO-GO, for this reason
    /// (sent in the approval's summary).
    #[arg(long, default_value = "")]
    pub override_reason: String,
    /// Make the call (audited); without it, only show what would be done.
    #[arg(long)]
    pub yes: bool,
}

fn parse_speed(text: &str) -> Result<f64, String> {
    let v: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if v > 0.0 && v <= 10_000.0 {
        Ok(v)
    } else {
        Err("must be between 0 and 10000".to_string())
    }
}

/// How far back `wavetop audit` lists: a duration as [`parse_duration`]
/// reads it, more than zero.
pub fn parse_since(text: &str) -> Result<SignedDuration, String> {
    match parse_duration(text) {
        Ok(d) if d.is_zero() => Err("must be more than zero".to_string()),
        Ok(d) => Ok(d),
        Err(e) if e.starts_with("must be at most") => Err("must be at most 366d".to_string()),
        Err(e) => Err(e),
    }
}

/// `10m`, `90s`, `1h30m`, `3d` (a day is 24 hours), or ISO 8601 `PT10M`,
/// `P3D`; from zero to [`crate::sim::MAX_AT`].
pub fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let not_a_duration = || format!("`{text}` is not a duration (examples: 90s, 10m, 1h30m, 3d)");
    let d: SignedDuration = match text.parse() {
        Ok(d) => d,
        // Days are not a fixed length on a calendar; here they are 24 hours.
        Err(_) => text
            .parse::<jiff::Span>()
            .and_then(|span| span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()))
            .map_err(|_| not_a_duration())?,
    };
    let max = crate::sim::MAX_AT;
    if d.is_negative() {
        Err("must not be negative".to_string())
    } else if d > max {
        Err(format!(
            "must be at most {}d: the simulated fleet's life is a year",
            max.as_hours() / 24
        ))
    } else {
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_friendly_and_iso_forms() {
        assert_eq!(
            parse_duration("10m").unwrap(),
            SignedDuration::from_mins(10)
        );
        assert_eq!(
            parse_duration("1h30m").unwrap(),
            SignedDuration::from_mins(90)
        );
        assert_eq!(
            parse_duration("PT90S").unwrap(),
            SignedDuration::from_secs(90)
        );
        assert_eq!(
            parse_duration("3d2h").unwrap(),
            SignedDuration::from_hours(74)
        );
        assert_eq!(
            parse_duration("P366D").unwrap(),
            SignedDuration::from_hours(24 * 366)
        );
        assert!(parse_duration("ten minutes").is_err());
        assert!(parse_duration("-5m").is_err());
    }

    #[test]
    fn offsets_past_a_year_are_refused_before_any_arithmetic_can_overflow() {
        for text in ["367d", "8785h", "99999999h", "P400D"] {
            let err = parse_duration(text).unwrap_err();
            assert!(err.contains("at most 366d"), "{text}: {err}");
        }
        assert!(parse_duration("8784h").is_ok());
    }

    /// Every argument of every command, with the path of commands to it.
    fn every_argument(command: &clap::Command, path: String, out: &mut Vec<(String, clap::Arg)>) {
        for arg in command.get_arguments() {
            out.push((path.clone(), arg.clone()));
        }
        for sub in command.get_subcommands() {
            every_argument(sub, format!("{path} {}", sub.get_name()), out);
        }
    }

    fn built_arguments() -> Vec<(String, clap::Arg)> {
        use clap::CommandFactory;
        let mut command = Cli::command();
        // Built, each command holds the global options it inherits and
        // clap's own --help and --version.
        command.build();
        let mut args = Vec::new();
        every_argument(&command, "wavetop".to_string(), &mut args);
        args
    }

    #[test]
    fn every_flag_and_positional_of_every_command_has_help() {
        let args = built_arguments();
        assert!(args.len() > 100, "the walk reached the subcommands");
        let missing: Vec<String> = args
            .iter()
            .filter(|(_, arg)| arg.get_help().is_none() && arg.get_long_help().is_none())
            .map(|(path, arg)| format!("{path}: {}", arg.get_id()))
            .collect();
        assert!(missing.is_empty(), "arguments without help: {missing:#?}");
    }

    #[test]
    fn global_options_are_listed_under_their_own_heading_and_nothing_else_is() {
        for (path, arg) in built_arguments() {
            let heading = arg.get_help_heading();
            assert_eq!(
                heading == Some(GLOBAL_OPTIONS),
                arg.is_global_set(),
                "{path}: {} is under {heading:?}",
                arg.get_id()
            );
        }
    }

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
