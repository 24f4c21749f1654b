//! The time the console and the executor go by: the wall clock against AWS,
//! a virtual one (scaled by --speed) against the simulator.

use std::sync::Arc;

use jiff::Timestamp;

pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;
