//! `[scheduler]`: holds placed until a region's window also get a one-time
//! EventBridge Scheduler schedule that opens them on time, with every
//! console closed. The role is the one the schedule calls CodePipeline as.

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use super::schema::ConfigFile;
use super::source_text::{Seg, SourceText};
use crate::domain::hold_schedule::HoldScheduler;

/// The schedule group wavetop's hold schedules live in, unless configured.
pub const DEFAULT_GROUP: &str = "wavetop-holds";

/// `[scheduler]` as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerConfig {
    /// The IAM role Scheduler assumes to call `codepipeline:EnableStageTransition`.
    pub role_arn: String,
    /// The schedule group (default `wavetop-holds`).
    #[serde(default)]
    pub group: Option<String>,
}

/// Checks `[scheduler]`, each error pointing at the offending value.
pub(crate) fn check(config: &ConfigFile, source: &SourceText) -> Result<(), ConfigError> {
    let Some(scheduler) = &config.scheduler else {
        return Ok(());
    };
    if !is_role_arn(&scheduler.role_arn) {
        return Err(source
            .error_at_value(
                &[Seg::Key("scheduler"), Seg::Key("role_arn")],
                format!("\"{}\" is not an IAM role ARN", scheduler.role_arn),
            )
            .expected("arn:aws:iam::<12-digit account>:role/<name>, such as the template's SchedulerRoleArn output"));
    }
    if let Some(group) = &scheduler.group
        && !is_group_name(group)
    {
        return Err(source
            .error_at_value(
                &[Seg::Key("scheduler"), Seg::Key("group")],
                format!("\"{group}\" is not a schedule group name"),
            )
            .expected("1 to 64 characters of letters, digits, '-', '_' and '.'"));
    }
    Ok(())
}

/// What the core needs of a checked `[scheduler]`.
pub fn hold_scheduler(config: &ConfigFile) -> Option<HoldScheduler> {
    config.scheduler.as_ref().map(|s| HoldScheduler {
        role_arn: s.role_arn.clone(),
        group: s.group.clone().unwrap_or_else(|| DEFAULT_GROUP.to_string()),
    })
}

/// `arn:<partition>:iam::<account>:role/<optional path/><name>`, with IAM's
/// characters for the path and name.
fn is_role_arn(arn: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return false;
    };
    let name = path_and_name.rsplit('/').next().unwrap_or("");
    partition.starts_with("aws")
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && (1..=64).contains(&name.len())
        && path_and_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c))
}

fn is_group_name(group: &str) -> bool {
    (1..=64).contains(&group.len())
        && group
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::load::load_str;

    fn load(text: &str) -> Result<ConfigFile, ConfigError> {
        load_str(&SourceText::new("config.toml", text), Path::new(".")).map(|l| l.config)
    }

    const ROLE: &str = "arn:aws:iam::123456789012:role/wavetop-scheduler";

    #[test]
    fn the_group_defaults_and_no_section_means_no_schedules() {
        assert_eq!(hold_scheduler(&load("").unwrap()), None);
        let config = load(&format!("[scheduler]\nrole_arn = \"{ROLE}\"\n")).unwrap();
        assert_eq!(
            hold_scheduler(&config),
            Some(HoldScheduler {
                role_arn: ROLE.into(),
                group: "wavetop-holds".into()
            })
        );
    }

    #[test]
    fn a_role_arn_that_is_not_one_points_at_its_value() {
        let err = load("read_only = false\n[scheduler]\nrole_arn = \"arn:aws:iam::12:user/bob\"\n")
            .unwrap_err();
        assert_eq!((err.line(), err.column()), (Some(3), Some(12)));
        assert!(err.message().contains("not an IAM role ARN"), "{err:?}");
    }

    #[test]
    fn the_role_is_required_and_unknown_keys_are_errors() {
        let missing = load("[scheduler]\ngroup = \"g\"\n").unwrap_err();
        assert!(missing.message().contains("role_arn"), "{missing:?}");
        assert!(missing.line().is_some());
        let unknown = load(&format!(
            "[scheduler]\nrole_arn = \"{ROLE}\"\nrole = \"x\"\n"
        ))
        .unwrap_err();
        assert_eq!(unknown.line(), Some(3), "{unknown:?}");
    }

    #[test]
    fn a_bad_group_name_points_at_its_value() {
        let err = load(&format!(
            "[scheduler]\nrole_arn = \"{ROLE}\"\ngroup = \"a b\"\n"
        ))
        .unwrap_err();
        assert_eq!((err.line(), err.column()), (Some(3), Some(9)));
    }

    #[test]
    fn role_arns_with_paths_and_other_partitions_are_accepted() {
        for good in [
            ROLE,
            "arn:aws-us-gov:iam::123456789012:role/ops/wavetop-scheduler",
            "arn:aws-cn:iam::123456789012:role/a+b=c,d.e@f_g-h",
        ] {
            assert!(is_role_arn(good), "{good}");
        }
        for bad in [
            "",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:sts::123456789012:role/x",
            "arn:aws:iam:us-east-1:123456789012:role/x",
            "arn:aws:iam::1234567890:role/x",
            "arn:aws:iam::123456789012:user/x",
            "arn:aws:iam::123456789012:role/has space",
        ] {
            assert!(!is_role_arn(bad), "{bad}");
        }
    }
}
