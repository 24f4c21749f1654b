//! Finding and loading `config.toml`, then the theme and keymap it names.
//!
//! `theme` and `keymap` take a preset name or a path to a TOML file. A value
//! is a path when it contains `/` or ends in `.toml`; a relative path is
//! relative to the config file's directory and `~/` means the home directory.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::choices::{Choices, flag_keymap, flag_theme};
use super::error::{ConfigError, Related};
use super::file_text::{ReadFailure, read_source};
use super::keymap::{self, KEYMAP_PRESETS};
use super::schema::ConfigFile;
use super::source_text::{Seg, SourceText};
use super::theme::{THEME_PRESETS, Theme};
use super::{alarms, audit, keymap_file, limits, notify, scheduler, theme_file, windows};
use crate::core::bindings::Bindings;
use crate::core::notify::NotifySettings;
use crate::core::ring::Limits;
use crate::domain::alarms::AlarmWatches;
use crate::domain::window::Windows;

/// Everything the program needs from configuration, checked and resolved.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: ConfigFile,
    pub theme: Theme,
    pub keymap: Bindings,
    /// The off-hours windows of `config.windows`, checked and built.
    pub windows: Windows,
    /// The caps of `[limits]`, checked, defaults filled in.
    pub limits: Limits,
    /// The alarm watches and bake times of `[alarms.<flow>]`, checked.
    pub alarms: AlarmWatches,
    /// `[notify]`, checked, defaults filled in.
    pub notify: NotifySettings,
    /// The config file read, or `None` when none exists and defaults apply.
    pub source: Option<PathBuf>,
}

impl Loaded {
    /// What applies when there is no config file.
    pub fn defaults() -> Loaded {
        Loaded {
            config: ConfigFile::default(),
            theme: Theme::default(),
            keymap: keymap::default_keymap(),
            windows: Windows::default(),
            limits: Limits::default(),
            alarms: AlarmWatches::default(),
            notify: NotifySettings::defaults(),
            source: None,
        }
    }
}

/// Loads the config named by `--config` (which must exist), or else the one
/// at the default location; no file there means defaults. Any problem in a
/// file that exists is an error, never replaced by defaults.
pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
    load_with(explicit, &Choices::default())
}

/// [`load`], with the theme and keymap given on the command line in place
/// of the config's (which are then not read).
pub fn load_with(explicit: Option<&Path>, choices: &Choices) -> Result<Loaded, ConfigError> {
    if let Some(path) = explicit {
        return read_config(path, true, choices);
    }
    let no_file = || load_str_with(&SourceText::new("(defaults)", ""), Path::new(""), choices);
    let Some(path) = default_config_path(env::var_os("XDG_CONFIG_HOME"), env::var_os("HOME"))
    else {
        return no_file();
    };
    match path.try_exists() {
        Ok(true) => read_config(&path, false, choices),
        Ok(false) => no_file(),
        Err(err) => Err(ConfigError::in_file(
            path.display().to_string(),
            format!("cannot check config file: {err}"),
        )),
    }
}

/// `$XDG_CONFIG_HOME/wavetop/config.toml`, or `$HOME/.config/wavetop/config.toml`
/// when `XDG_CONFIG_HOME` is unset, empty or relative (as the XDG spec says).
pub fn default_config_path(
    xdg_config_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    let xdg = xdg_config_home
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        home.filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".config"))
    })?;
    Some(base.join("wavetop").join("config.toml"))
}

/// Reads and checks one config file. `explicit` says the user named it, so
/// its absence is an error worded for `--config`.
pub fn load_file(path: &Path, explicit: bool) -> Result<Loaded, ConfigError> {
    read_config(path, explicit, &Choices::default())
}

fn read_config(path: &Path, explicit: bool, choices: &Choices) -> Result<Loaded, ConfigError> {
    let name = path.display().to_string();
    let source = read_source(path, &name).map_err(|failure| match failure {
        ReadFailure::NotFound if explicit => {
            ConfigError::in_file(name.clone(), "config file not found")
                .expected("an existing file given with --config")
        }
        ReadFailure::NotFound => ConfigError::in_file(name.clone(), "config file not found"),
        ReadFailure::Unusable(why) => {
            ConfigError::in_file(name.clone(), format!("cannot read config file: {why}"))
                .expected("a regular text file")
        }
        ReadFailure::NotText(error) => error,
    })?;
    let base_dir = path.parent().unwrap_or(Path::new("."));
    let mut loaded = load_str_with(&source, base_dir, choices)?;
    loaded.source = Some(path.to_path_buf());
    Ok(loaded)
}

/// Checks config text and resolves its theme and keymap; relative theme and
/// keymap paths are taken from `base_dir`.
pub fn load_str(source: &SourceText, base_dir: &Path) -> Result<Loaded, ConfigError> {
    load_str_with(source, base_dir, &Choices::default())
}

fn load_str_with(
    source: &SourceText,
    base_dir: &Path,
    choices: &Choices,
) -> Result<Loaded, ConfigError> {
    let config: ConfigFile = toml::from_str(&source.text).map_err(|err| source.toml_error(&err))?;
    let windows = windows::build(&config, source)?;
    let limits = limits::build(&config, source)?;
    let alarms = alarms::build(&config, source)?;
    let notify = notify::build(&config, source)?;
    scheduler::check(&config, source)?;
    audit::check(&config, source)?;
    super::stream::check(&config, source)?;
    let theme = match (choices.theme.as_deref(), config.theme.as_deref()) {
        (Some(flag), _) => flag_theme(flag)?,
        (None, Some(value)) => resolve_theme(value, source, base_dir)?,
        (None, None) => Theme::default(),
    };
    let keymap = match (choices.keymap.as_deref(), config.keymap.as_deref()) {
        (Some(flag), _) => flag_keymap(flag)?,
        (None, Some(value)) => resolve_keymap(value, source, base_dir)?,
        (None, None) => keymap::default_keymap(),
    };
    Ok(Loaded {
        config,
        theme,
        keymap,
        windows,
        limits,
        alarms,
        notify,
        source: None,
    })
}

fn resolve_theme(value: &str, source: &SourceText, base_dir: &Path) -> Result<Theme, ConfigError> {
    let presets = names(THEME_PRESETS);
    if !is_path(value) {
        return Theme::preset(value).ok_or_else(|| {
            source
                .error_at_value(&[Seg::Key("theme")], format!("unknown theme \"{value}\""))
                .expected(format!("one of: {presets}, or a path to a .toml file"))
        });
    }
    let file = read_referenced("theme", value, source, base_dir, &presets)?;
    theme_file::load_user(&file).map_err(|err| named_at(err, "theme", source))
}

fn resolve_keymap(
    value: &str,
    source: &SourceText,
    base_dir: &Path,
) -> Result<Bindings, ConfigError> {
    let presets = names(KEYMAP_PRESETS);
    if !is_path(value) {
        return keymap::preset(value).ok_or_else(|| {
            source
                .error_at_value(&[Seg::Key("keymap")], format!("unknown keymap \"{value}\""))
                .expected(format!("one of: {presets}, or a path to a .toml file"))
        });
    }
    let file = read_referenced("keymap", value, source, base_dir, &presets)?;
    keymap_file::load_user(&file).map_err(|err| named_at(err, "keymap", source))
}

/// Adds to an error inside a theme or keymap file where the config names
/// that file, so the user sees how the file came into play.
fn named_at(err: ConfigError, key: &'static str, source: &SourceText) -> ConfigError {
    match source.value_span(&[Seg::Key(key)]) {
        Some(span) => err.related(Related {
            label: format!("the {key} file is named in"),
            file: source.name.clone(),
            location: source.locate(span),
        }),
        None => err,
    }
}

/// Reads a theme or keymap file named in the config; a failure points at
/// the config value that named it.
fn read_referenced(
    key: &'static str,
    value: &str,
    source: &SourceText,
    base_dir: &Path,
    presets: &str,
) -> Result<SourceText, ConfigError> {
    let path = resolve_path(value, base_dir);
    let why = match read_source(&path, &path.display().to_string()) {
        Ok(file) => return Ok(file),
        Err(ReadFailure::NotText(error)) => return Err(named_at(error, key, source)),
        Err(ReadFailure::NotFound) => "no such file".to_string(),
        Err(ReadFailure::Unusable(why)) => why,
    };
    Err(source
        .error_at_value(
            &[Seg::Key(key)],
            format!(
                "cannot read {key} file \"{value}\" ({}): {why}",
                path.display()
            ),
        )
        .expected(format!(
            "one of: {presets}, or a path to a readable .toml file"
        )))
}

pub(super) fn is_path(value: &str) -> bool {
    value.contains('/') || value.contains('\\') || value.ends_with(".toml")
}

pub(super) fn resolve_path(value: &str, base_dir: &Path) -> PathBuf {
    if let Some(rest) = value.strip_prefix("~/")
        && let Some(home) = env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    base_dir.join(value)
}

pub(super) fn names(presets: &[(&str, &str)]) -> String {
    presets
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_prefers_an_absolute_xdg_config_home() {
        let path = default_config_path(Some("/x/conf".into()), Some("/home/op".into()));
        assert_eq!(path, Some(PathBuf::from("/x/conf/wavetop/config.toml")));
        let path = default_config_path(Some("relative".into()), Some("/home/op".into()));
        assert_eq!(
            path,
            Some(PathBuf::from("/home/op/.config/wavetop/config.toml"))
        );
        let path = default_config_path(Some("".into()), Some("/home/op".into()));
        assert_eq!(
            path,
            Some(PathBuf::from("/home/op/.config/wavetop/config.toml"))
        );
        assert_eq!(default_config_path(None, None), None);
    }

    #[test]
    fn an_empty_config_gives_the_defaults() {
        let loaded = load_str(&SourceText::new("c.toml", ""), Path::new(".")).unwrap();
        assert_eq!(loaded.config, ConfigFile::default());
        assert_eq!(loaded.theme, Theme::preset("dark").unwrap());
        assert_eq!(loaded.keymap, keymap::preset("default").unwrap());
    }

    #[test]
    fn presets_are_chosen_by_name() {
        let text = "theme = \"high-contrast\"\nkeymap = \"vim\"\nread_only = true\n";
        let loaded = load_str(&SourceText::new("c.toml", text), Path::new(".")).unwrap();
        assert_eq!(loaded.theme, Theme::preset("high-contrast").unwrap());
        assert_eq!(loaded.keymap, keymap::preset("vim").unwrap());
        assert!(loaded.config.read_only);
    }

    fn error(text: &str) -> ConfigError {
        load_str(&SourceText::new("c.toml", text), Path::new(".")).unwrap_err()
    }

    const WINDOW: &str = "[windows.eu]\ntime_zone = \"UTC\"\nopen = \"22:00\"\n";

    #[test]
    fn nested_unknown_fields_and_wrong_types_point_at_the_value() {
        let err = error(&format!("{WINDOW}close = \"05:00\"\nopens = \"x\"\n"));
        assert_eq!((err.line(), err.column()), (Some(5), Some(1)));
        assert!(err.message().starts_with("unknown field `opens`"), "{err}");
        let err = error("read_only = \"yes\"\n");
        assert_eq!((err.line(), err.column()), (Some(1), Some(13)));
        let err = error(&format!(
            "{WINDOW}close = \"05:00\"\nfreeze = [2026-12-24]\n"
        ));
        assert_eq!(err.line(), Some(5));
    }

    #[test]
    fn a_missing_theme_file_points_at_the_config_value() {
        let err = error("\ntheme = \"no/such/theme.toml\"\n");
        assert_eq!((err.line(), err.column()), (Some(2), Some(9)));
        assert!(
            err.message().starts_with(
                "cannot read theme file \"no/such/theme.toml\" (./no/such/theme.toml): "
            ),
            "{err}"
        );
        let err = error("keymap = \"emacs\"\n");
        assert_eq!(
            err.headline(),
            "c.toml:1:10: unknown keymap \"emacs\" (expected one of: default, vim, or a path to a .toml file)"
        );
    }

    #[test]
    fn equal_open_and_close_is_rejected() {
        let err = error(&format!("{WINDOW}close = \"22:00\"\n"));
        assert_eq!((err.line(), err.column()), (Some(4), Some(9)));
        assert!(
            err.message().contains("opens and closes at the same time"),
            "{err}"
        );
    }
}
