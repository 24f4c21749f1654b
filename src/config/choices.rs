//! `--theme` and `--keymap`: a preset name or a file, chosen on the command
//! line over the config file's `theme` and `keymap`. A file path is taken
//! from the working directory, as a shell user expects of a flag; errors are
//! those of the config (file, line and column inside a theme or keymap file),
//! and a value that is neither a preset nor a readable file names the flag.

use std::path::Path;

use super::error::ConfigError;
use super::file_text::{ReadFailure, read_source};
use super::keymap::{self, KEYMAP_PRESETS};
use super::load::{is_path, names, resolve_path};
use super::source_text::SourceText;
use super::theme::{THEME_PRESETS, Theme};
use super::{keymap_file, theme_file};
use crate::core::bindings::Bindings;

/// The theme and keymap given on the command line, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    pub theme: Option<String>,
    pub keymap: Option<String>,
}

/// The theme `--theme value` names.
pub(super) fn flag_theme(value: &str) -> Result<Theme, ConfigError> {
    const FLAG: Flag = Flag {
        name: "--theme",
        what: "theme",
        presets: THEME_PRESETS,
    };
    if is_path(value) {
        theme_file::load_user(&FLAG.read(value)?)
    } else {
        Theme::preset(value).ok_or_else(|| FLAG.unknown(value))
    }
}

/// The keymap `--keymap value` names.
pub(super) fn flag_keymap(value: &str) -> Result<Bindings, ConfigError> {
    const FLAG: Flag = Flag {
        name: "--keymap",
        what: "keymap",
        presets: KEYMAP_PRESETS,
    };
    if is_path(value) {
        keymap_file::load_user(&FLAG.read(value)?)
    } else {
        keymap::preset(value).ok_or_else(|| FLAG.unknown(value))
    }
}

/// One of the two flags, for its error messages.
struct Flag {
    name: &'static str,
    what: &'static str,
    presets: &'static [(&'static str, &'static str)],
}

impl Flag {
    fn unknown(&self, value: &str) -> ConfigError {
        ConfigError::in_file(self.name, format!("unknown {} \"{value}\"", self.what)).expected(
            format!("one of: {}, or a path to a .toml file", names(self.presets)),
        )
    }

    /// The named file's text; one that is missing or unreadable is named
    /// with the flag that gave it.
    fn read(&self, value: &str) -> Result<SourceText, ConfigError> {
        let path = resolve_path(value, Path::new(""));
        let why = match read_source(&path, &path.display().to_string()) {
            Ok(file) => return Ok(file),
            Err(ReadFailure::NotText(error)) => return Err(error),
            Err(ReadFailure::NotFound) => "no such file".to_string(),
            Err(ReadFailure::Unusable(why)) => why,
        };
        Err(ConfigError::in_file(
            self.name,
            format!("cannot read {} file \"{value}\": {why}", self.what),
        )
        .expected(format!(
            "one of: {}, or a path to a readable .toml file",
            names(self.presets)
        )))
    }
}
