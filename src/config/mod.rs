//! Configuration, themes and keymaps.

pub mod schema;
