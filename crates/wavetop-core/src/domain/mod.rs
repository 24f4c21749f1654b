//! Fleet types and the rules derived from them, shared by every layer.

pub mod action_configuration;
pub mod action_history;
pub mod alarms;
pub mod attribution;
pub mod bake;
pub mod condition_doc;
pub mod conditions;
pub mod console_url;
pub mod current_run;
pub mod failover;
pub mod fleet;
pub mod grid;
pub mod hold_reason;
pub mod hold_schedule;
pub mod manual;
pub mod pipeline_doc;
pub mod pipeline_limits;
pub mod regions;
pub mod revisions;
pub mod shared_str;
pub mod signed_text;
pub mod stack_status;
pub mod stream_event;
pub mod synthetic;
pub mod verdict;
pub mod window;
