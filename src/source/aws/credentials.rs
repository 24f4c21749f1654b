//! Which credentials wavetop uses, said plainly, and a named profile that
//! does not exist refused before anything is sent.
//!
//! The SDK's default chain reads environment credentials before any
//! profile, so `--profile X` with `AWS_ACCESS_KEY_ID` set would quietly use
//! the environment's keys while the header said "X". A named profile is
//! therefore the only source of credentials for its account (see
//! `clients.rs`), and it must exist in the shared config or credentials file.

use std::path::{Path, PathBuf};

/// The shared config and credentials files, where the SDK looks for them.
pub fn profile_files(env: &dyn Fn(&str) -> Option<String>) -> (PathBuf, PathBuf) {
    let home = env("HOME").map(PathBuf::from).unwrap_or_default();
    let config = env("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".aws").join("config"));
    let credentials = env("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".aws").join("credentials"));
    (config, credentials)
}

/// The section names of an INI-style profile file: `[profile X]` and
/// `[default]` in the config file, `[X]` in the credentials file.
fn sections(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().filter_map(|line| {
        let line = line.trim();
        let inner = line.strip_prefix('[')?.strip_suffix(']')?;
        Some(inner.split_whitespace().collect::<Vec<_>>().join(" "))
    })
}

/// Whether `name` is defined in the config file's or the credentials file's text.
pub fn profile_defined(name: &str, config: &str, credentials: &str) -> bool {
    let in_config = sections(config)
        .any(|s| s.strip_prefix("profile ") == Some(name) || (name == "default" && s == "default"));
    in_config || sections(credentials).any(|s| s == name)
}

/// An error naming both files when the profile is in neither.
pub fn check_profile(name: &str, config: &Path, credentials: &Path) -> Result<(), String> {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    if profile_defined(name, &read(config), &read(credentials)) {
        return Ok(());
    }
    Err(format!(
        "profile {name} is not defined in {} or {}",
        config.display(),
        credentials.display()
    ))
}

/// How the header names the credentials of the default account.
pub fn credentials_label(profile: Option<&str>, env: &dyn Fn(&str) -> Option<String>) -> String {
    match profile {
        Some(p) => format!("profile {p}"),
        None if env("AWS_ACCESS_KEY_ID").is_some() => "environment credentials".to_string(),
        None => match env("AWS_PROFILE") {
            Some(p) => format!("profile {p}"),
            None => "default credentials".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_found_in_either_file_in_their_own_syntax() {
        let config = "[default]\nregion = us-east-1\n[profile  prod-ops ]\nsso_session = x\n";
        let credentials = "[ci]\naws_access_key_id = AKID\n";
        assert!(profile_defined("prod-ops", config, credentials));
        assert!(profile_defined("default", config, ""));
        assert!(profile_defined("ci", "", credentials));
        assert!(!profile_defined("nosuchprofile", config, credentials));
        // `[prod-ops]` in the config file is not a profile there.
        assert!(!profile_defined("prod-ops", "[prod-ops]\n", ""));
    }

    #[test]
    fn the_label_names_the_credentials_actually_used() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            credentials_label(Some("prod"), &env(&[("AWS_ACCESS_KEY_ID", "x")])),
            "profile prod"
        );
        assert_eq!(
            credentials_label(
                None,
                &env(&[("AWS_ACCESS_KEY_ID", "x"), ("AWS_PROFILE", "p")])
            ),
            "environment credentials"
        );
        assert_eq!(
            credentials_label(None, &env(&[("AWS_PROFILE", "p")])),
            "profile p"
        );
        assert_eq!(credentials_label(None, &env(&[])), "default credentials");
    }

    #[test]
    fn a_missing_profile_names_both_files() {
        let dir = std::env::temp_dir().join(format!("wavetop-profiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("config");
        std::fs::write(&config, "[profile real]\n").unwrap();
        let credentials = dir.join("credentials");
        assert!(check_profile("real", &config, &credentials).is_ok());
        let err = check_profile("nosuchprofile", &config, &credentials).unwrap_err();
        assert!(err.contains(&config.display().to_string()), "{err}");
        assert!(err.contains(&credentials.display().to_string()), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
