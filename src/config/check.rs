//! `wavetop config check [PATH]`: load everything as the program would and
//! summarise what was found.

use std::env;
use std::path::Path;

use super::choices::Choices;
use super::error::ConfigError;
use super::keymap::DEFAULT_KEYMAP;
use super::load::{Loaded, default_config_path, load_with};
use super::theme::DEFAULT_THEME;

/// Loads the config at `path` (or the default location) with its theme and
/// keymap and returns a short summary; the caller prints it and exits 0, or
/// prints the error and exits with [`ConfigError::exit_code`].
pub fn check(path: Option<&Path>, choices: &Choices) -> Result<String, ConfigError> {
    let loaded = load_with(path, choices)?;
    let default_path = default_config_path(env::var_os("XDG_CONFIG_HOME"), env::var_os("HOME"));
    Ok(summary(&loaded, default_path.as_deref(), choices))
}

fn summary(loaded: &Loaded, default_path: Option<&Path>, choices: &Choices) -> String {
    let config = &loaded.config;
    let file = match (&loaded.source, default_path) {
        (Some(path), _) => format!("{} (ok)", path.display()),
        (None, Some(path)) => format!("none, using defaults ({} does not exist)", path.display()),
        (None, None) => {
            "none, using defaults (neither XDG_CONFIG_HOME nor HOME is set)".to_string()
        }
    };
    let chosen = |flag: &Option<String>, name: &str| flag.as_ref().map(|v| format!("{v} ({name})"));
    let theme = chosen(&choices.theme, "--theme")
        .or_else(|| config.theme.clone())
        .unwrap_or_else(|| format!("{DEFAULT_THEME} (default)"));
    let keymap = chosen(&choices.keymap, "--keymap")
        .or_else(|| config.keymap.clone())
        .unwrap_or_else(|| format!("{DEFAULT_KEYMAP} (default)"));
    let regions: Vec<&str> = loaded.windows.regions().collect();
    let windows = if regions.is_empty() {
        "0".to_string()
    } else {
        format!("{} ({})", regions.len(), regions.join(", "))
    };
    format!(
        "config: {file}\ntheme: {theme}\nkeymap: {keymap}\nread_only: {}\nwindows: {windows}\n",
        config.read_only
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load::load_str;
    use crate::config::source_text::SourceText;

    #[test]
    fn summarises_the_loaded_config() {
        let text = "keymap = \"vim\"\nread_only = true\n[windows.sa-east-1]\ntime_zone = \"America/Sao_Paulo\"\nopen = \"22:00\"\nclose = \"05:00\"\n";
        let mut loaded = load_str(&SourceText::new("c.toml", text), Path::new(".")).unwrap();
        loaded.source = Some("/etc/wt/c.toml".into());
        assert_eq!(
            summary(&loaded, None, &Choices::default()),
            "config: /etc/wt/c.toml (ok)\ntheme: dark (default)\nkeymap: vim\nread_only: true\nwindows: 1 (sa-east-1)\n"
        );
        let defaults = summary(
            &Loaded::defaults(),
            Some(Path::new("/h/.config/wavetop/config.toml")),
            &Choices::default(),
        );
        assert!(defaults.starts_with(
            "config: none, using defaults (/h/.config/wavetop/config.toml does not exist)\n"
        ));
        assert!(defaults.contains("windows: 0\n"));
    }
}
