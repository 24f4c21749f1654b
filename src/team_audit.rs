//! Wiring of the team audit trail (`[audit] log_group`): the CloudWatch Logs
//! client, the copy attached to the audit log, and `wavetop audit` listing
//! recent actions from the group or from the local log.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_cloudwatchlogs::config::Region;
use jiff::{SignedDuration, Timestamp};

use crate::audit::team::stream_name::Session;
use crate::audit::team::{Backoff, TeamCopy, TeamLog};
use crate::audit::{AuditLog, delivery, listing, read_log};
use crate::cli::BackendArgs;
use crate::config::Loaded;
use crate::config::audit::AuditConfig;
use crate::{errln, out, outln};

/// Where the group lives when neither `[audit] region` nor a home region says.
const FALLBACK_REGION: &str = "us-east-1";

/// How long a headless command waits at its end for its lines to land.
pub const SETTLE_HEADLESS: Duration = Duration::from_secs(15);
/// How long the console waits for them when it quits.
pub const SETTLE_CONSOLE: Duration = Duration::from_secs(3);

/// The team's log group, when `[audit]` names one.
pub async fn team_log(args: &BackendArgs, loaded: &Loaded) -> Option<TeamLog> {
    let audit = loaded.config.audit.as_ref()?;
    Some(TeamLog {
        client: client(audit, args, loaded).await,
        group: audit.log_group.clone(),
    })
}

/// A client for the group's region and profile. The copy owns its retries
/// (with backoff, in the background), so the SDK makes one attempt.
async fn client(
    audit: &AuditConfig,
    args: &BackendArgs,
    loaded: &Loaded,
) -> aws_sdk_cloudwatchlogs::Client {
    let aws = loaded.config.aws.as_ref();
    let region = audit
        .region
        .clone()
        .or_else(|| args.home_regions.first().cloned())
        .or_else(|| aws.and_then(|a| a.home_regions.first().cloned()));
    let profile = audit
        .profile
        .clone()
        .or_else(|| args.profile.clone())
        .or_else(|| aws.and_then(|a| a.profile.clone()));
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_timeout(Duration::from_secs(20))
                .build(),
        );
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &args.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(region) = region {
        loader = loader.region(Region::new(region));
    }
    let shared = loader.load().await;
    let mut config = aws_sdk_cloudwatchlogs::config::Builder::from(&shared);
    if shared.region().is_none() {
        config = config.region(Region::new(FALLBACK_REGION));
    }
    aws_sdk_cloudwatchlogs::Client::from_conf(config.build())
}

/// The audit log with its team copy started, when `[audit]` names a group.
pub async fn attach(log: AuditLog, args: &BackendArgs, loaded: &Loaded) -> AuditLog {
    match team_log(args, loaded).await {
        Some(team) => {
            let path = log.path().to_path_buf();
            let session = Session::this_process(Timestamp::now());
            // What earlier runs could not deliver goes first. A log that
            // cannot be read here leaves them to `wavetop audit --check`.
            let backlog = delivery::backlog(&path, &team.group).unwrap_or_default();
            let copy =
                TeamCopy::start_with_backlog(team, path, session, Backoff::default(), backlog);
            log.with_team_copy(copy)
        }
        None => log,
    }
}

/// Waits a little for the copy to land before the process ends; says on
/// standard error what did not.
pub async fn settle(log: &AuditLog, limit: Duration) {
    if let Some(copy) = log.team_copy()
        && let Err(why) = copy.settle(limit).await
    {
        errln!("wavetop: note: {why}");
    }
}

/// What `wavetop audit` (without --check) lists.
pub struct ListArgs {
    pub local: bool,
    pub since: SignedDuration,
    pub path: Option<PathBuf>,
    pub json: bool,
}

/// Lists recent actions: exit 0 listed, 1 the group could not be read, 2
/// bad input (no group configured, an unreadable local log).
pub async fn list(list: ListArgs, args: &BackendArgs, loaded: &Loaded) -> ExitCode {
    let since = Timestamp::now()
        .checked_sub(list.since)
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let (calls, source) = if list.local {
        let path = list
            .path
            .or_else(|| args.audit_log.clone())
            .unwrap_or_else(AuditLog::default_path);
        let read = match read_log(&path) {
            Ok(read) => read,
            Err(e) => {
                errln!("wavetop: {e}");
                return ExitCode::from(2);
            }
        };
        let recent = read.lines.iter().filter(|l| l.ts >= since);
        (
            listing::calls(recent.map(|l| ("", l))),
            path.display().to_string(),
        )
    } else {
        let Some(team) = team_log(args, loaded).await else {
            errln!(
                "wavetop: no team log: set [audit] log_group in the config, or pass --local to list this machine's log"
            );
            return ExitCode::from(2);
        };
        let read = match team.read_since(since.as_millisecond()).await {
            Ok(read) => read,
            Err(e) => {
                errln!("wavetop: cannot read the log group {}: {e}", team.group);
                return ExitCode::from(1);
            }
        };
        if read.cut_short {
            errln!("wavetop: note: the log group holds more than was read; narrow --since");
        }
        let lines = read.lines.iter().map(|t| (t.stream.as_str(), &t.line));
        (listing::calls(lines), format!("log group {}", team.group))
    };
    if list.json {
        outln!("{:#}", listing::json(&calls, &source));
    } else {
        out!("{}", listing::text(&calls, &source));
    }
    ExitCode::SUCCESS
}
