//! Configuration, themes and keymaps.
//!
//! `load` is called before the terminal is touched; any `ConfigError` is
//! printed and the program exits with status 2 (`ConfigError::exit_code`).
//! The renderer reads `Loaded::theme` fields (e.g. `theme.status_failed`);
//! the app copies `Loaded::keymap` into the core's `Bindings` (the core never
//! sees config types).

mod alarms;
pub mod audit;
pub mod check;
mod choices;
pub mod color;
pub mod error;
pub mod file_text;
pub mod hosted_zone;
pub mod keymap;
mod keymap_file;
mod limits;
pub mod load;
#[cfg(test)]
mod loader_props;
pub mod notify;
pub mod scheduler;
pub mod schema;
pub mod source_text;
pub mod stream;
pub mod theme;
mod theme_file;
pub mod ui;
pub mod windows;

pub use check::check;
pub use choices::Choices;
pub use error::ConfigError;
pub use load::{Loaded, load, load_with};
pub use theme::{Theme, wants_no_color};
