//! `[ui]`: how the console uses the terminal.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    /// Take the mouse: clicks pick tabs, rows and cells, the wheel scrolls
    /// (default true). Off, the terminal keeps its own selection and paste.
    #[serde(default = "mouse_default")]
    pub mouse: bool,
}

fn mouse_default() -> bool {
    true
}

impl Default for UiConfig {
    fn default() -> Self {
        Self {
            mouse: mouse_default(),
        }
    }
}
