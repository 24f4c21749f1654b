//! The pure core: no tokio, no terminal, no AWS types, the clock passed in.

pub mod action;
pub mod age;
mod alarm_polls;
#[cfg(test)]
mod alarm_tests;
pub mod bindings;
pub mod command;
pub mod confirm;
pub mod credentials;
pub mod foreign;
pub mod intent;
pub mod key;
pub mod key_guard;
pub mod laid;
pub mod links;
pub mod merge;
mod merge_alarms;
pub mod model;
pub mod mouse;
pub mod msg;
pub mod nav;
pub mod notify;
#[cfg(test)]
mod notify_tests;
pub mod op_target;
pub mod operator;
pub mod panes;
pub mod recheck;
pub mod region_pages;
mod revision_polls;
pub mod ring;
pub mod rows;
pub mod schedule_polls;
pub mod shown_time;
pub mod stream;
pub mod stream_apply;
pub mod stream_stacks;
pub mod team;
pub mod update;
pub mod verdicts;
pub mod viewport;
