//! Configuration, themes and keymaps.

pub mod schema;
pub mod theme;
