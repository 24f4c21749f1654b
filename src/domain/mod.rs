//! Fleet types and the rules derived from them, shared by every layer.

pub mod fleet;
pub mod grid;
pub mod pipeline_doc;
