//! What renews a profile's credentials, read from the shared config file: an
//! SSO profile (or a role assumed from one) is renewed with `aws sso login`;
//! other profiles by refreshing the keys or process they take credentials from.

/// The `key = value` lines of the config file's `[profile name]` section
/// (`[default]` for `default`).
fn profile_settings<'a>(config: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let mut inside = false;
    let mut settings = Vec::new();
    for line in config.lines() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let header = header.split_whitespace().collect::<Vec<_>>();
            inside = match header.as_slice() {
                ["profile", n] => *n == name,
                ["default"] => name == "default",
                _ => false,
            };
        } else if inside && let Some((k, v)) = line.split_once('=') {
            settings.push((k.trim(), v.trim()));
        }
    }
    settings
}

/// The step that renews `profile`'s credentials, said to an operator.
pub fn renewal(profile: &str, config: &str) -> String {
    // A role is assumed from a source profile, which may itself be assumed:
    // follow the chain (a few links at most, and never round a loop).
    let mut name = profile.to_string();
    for _ in 0..8 {
        let settings = profile_settings(config, &name);
        let has = |key: &str| settings.iter().any(|(k, _)| *k == key);
        if has("sso_session") || has("sso_start_url") {
            return format!("run aws sso login --profile {name}");
        }
        if has("credential_process") {
            return format!(
                "check the credential_process of profile {name}, which wavetop asks for fresh credentials"
            );
        }
        match settings.iter().find(|(k, _)| *k == "source_profile") {
            Some((_, source)) if *source != name => name = source.to_string(),
            _ => break,
        }
    }
    if name == profile {
        format!("refresh the credentials of profile {profile} (aws configure --profile {profile})")
    } else {
        format!("refresh the credentials of profile {name}, the source of profile {profile}")
    }
}

/// The step for the default chain without a named profile.
pub fn default_chain_renewal(env: &dyn Fn(&str) -> Option<String>, config: &str) -> String {
    if env("AWS_ACCESS_KEY_ID").is_some() {
        return "export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, then restart wavetop with them".to_string();
    }
    renewal(
        &env("AWS_PROFILE").unwrap_or_else(|| "default".to_string()),
        config,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[default]
region = us-east-1
[profile prod-sso]
sso_session = corp
sso_account_id = 111111111111
[profile deployer]
role_arn = arn:aws:iam::222222222222:role/deploy
source_profile = prod-sso
[profile ci]
role_arn = arn:aws:iam::222222222222:role/ci
source_profile = keys
[profile keys]
[profile proc]
credential_process = /usr/local/bin/creds
[profile loop]
source_profile = loop
";

    #[test]
    fn sso_profiles_and_roles_assumed_from_them_are_renewed_by_sso_login() {
        assert_eq!(
            renewal("prod-sso", CONFIG),
            "run aws sso login --profile prod-sso"
        );
        assert_eq!(
            renewal("deployer", CONFIG),
            "run aws sso login --profile prod-sso"
        );
    }

    #[test]
    fn other_profiles_name_what_their_credentials_come_from() {
        assert_eq!(
            renewal("ci", CONFIG),
            "refresh the credentials of profile keys, the source of profile ci"
        );
        assert!(renewal("proc", CONFIG).contains("credential_process of profile proc"));
        assert_eq!(
            renewal("keys", CONFIG),
            "refresh the credentials of profile keys (aws configure --profile keys)"
        );
        assert!(renewal("loop", CONFIG).contains("profile loop"));
    }

    #[test]
    fn the_default_chain_names_the_environment_or_its_profile() {
        let env_keys = |k: &str| (k == "AWS_ACCESS_KEY_ID").then(|| "AKID".to_string());
        assert!(default_chain_renewal(&env_keys, CONFIG).contains("AWS_SESSION_TOKEN"));
        let env_profile = |k: &str| (k == "AWS_PROFILE").then(|| "prod-sso".to_string());
        assert_eq!(
            default_chain_renewal(&env_profile, CONFIG),
            "run aws sso login --profile prod-sso"
        );
    }
}
