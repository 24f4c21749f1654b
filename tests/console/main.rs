//! The console through its pure core and its views: update() tests with
//! synthetic keys and a passed-in clock, and rendered frames.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test or bench reports a failure by panicking"
)]

mod alarm_tests;
mod audit_tests;
mod backoff_tests;
mod condition_tests;
mod dialog_keys_tests;
mod discovery_tests;
mod drain_tests;
mod foreign_tests;
mod headless_parity_tests;
mod hold_schedule_tests;
mod large_fleet;
mod large_render_tests;
mod large_stream_tests;
mod late_answer_tests;
mod link_tests;
mod measured_tests;
mod mouse_tests;
mod odd_data_tests;
mod operate_tests;
mod pacing_tests;
mod poll_budget_tests;
mod recheck_tests;
mod render_tests;
mod revisions_tests;
mod scroll_tests;
mod stream_tests;
mod support;
mod time_tests;
mod tiny_size_tests;
mod update_tests;
mod verdict_tests;
mod whole_words_tests;
mod window_tests;
