//! The pure core: no tokio, no terminal, no AWS types, the clock passed in.

pub mod action;
pub mod key;
