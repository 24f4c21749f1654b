//! Every operator intent has a name. Keymaps bind keys to these names, the
//! command line completes them, and the help view lists them.

use serde::{Deserialize, Serialize};

macro_rules! actions {
    ($($variant:ident => $name:literal, $help:literal;)*) => {
        /// A named intent that a key, the command line or a test can trigger.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum ActionName {
            $($variant,)*
        }

        impl ActionName {
            pub const ALL: &'static [ActionName] = &[$(ActionName::$variant,)*];

            /// The name used in keymap files and on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ActionName::$variant => $name,)*
                }
            }

            /// One line for the help view.
            pub fn help(self) -> &'static str {
                match self {
                    $(ActionName::$variant => $help,)*
                }
            }

            pub fn from_name(name: &str) -> Option<ActionName> {
                match name {
                    $($name => Some(ActionName::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    Quit => "quit", "quit wavetop";
    Back => "back", "close the dialog or go back to the previous view";
    Up => "up", "move the selection up";
    Down => "down", "move the selection down";
    Left => "left", "move left (activity: other pane)";
    Right => "right", "move right (activity: other pane)";
    PageUp => "page-up", "move up a page";
    PageDown => "page-down", "move down a page";
    PageLeft => "page-left", "grid: a screen of regions to the left";
    PageRight => "page-right", "grid: a screen of regions to the right";
    First => "first", "go to the first row";
    Last => "last", "go to the last row";
    NextPipeline => "next-pipeline", "show the next pipeline";
    PrevPipeline => "prev-pipeline", "show the previous pipeline";
    Open => "open", "open the selected item";
    ViewGrid => "grid", "wave x region grid of the selected pipeline";
    ViewPipelines => "pipelines", "list of pipelines";
    ViewHealth => "health", "record sets and health checks";
    ViewReplication => "replication", "global table replication latency";
    ViewExecutions => "executions", "execution history of the selected pipeline";
    ViewRevisions => "revisions", "what revision is live in each region, and how far behind";
    ViewActivity => "activity", "this session's actions and errors";
    Help => "help", "this help";
    CommandLine => "command", "open the command line";
    Filter => "filter", "filter the list";
    Refresh => "refresh", "poll everything now";
    ToggleTimeZone => "time-zone", "times in UTC or the region's zone";
    OpenLink => "open-link", "open the selected item in the AWS console (browser)";
    CopyUrl => "copy-url", "copy the selected item's console URL (OSC 52)";
    CopyId => "copy-id", "copy the selected item's ARN or id (OSC 52)";
    Approve => "approve", "approve the selected region's manual gate";
    Reject => "reject", "reject the selected region's manual gate";
    ApproveAtWindow => "approve-at-window", "approve the gate when the region's off-hours window opens";
    RetryFailed => "retry", "retry the failed actions of the selected wave";
    RetryAll => "retry-all", "retry all actions of the selected wave";
    Hold => "hold", "hold the selected wave (disable its inbound transition)";
    HoldUntilWindow => "hold-until-window", "hold the wave until the region's next off-hours window";
    Release => "release", "release the selected wave's hold";
    Stop => "stop", "stop the execution, letting in-progress actions finish";
    StopAbandon => "stop-abandon", "stop the execution and abandon in-progress actions";
    Rollback => "rollback", "roll the wave back to an earlier successful execution";
    OverrideCondition => "override-condition", "let the wave past its evaluating or failed stage condition";
    Drain => "drain", "drain the selected region out of DNS (invert its health checks)";
    Restore => "restore", "restore the selected region into DNS";
}

impl ActionName {
    /// Actions that change AWS, refused in read-only mode.
    pub fn is_operate(self) -> bool {
        matches!(
            self,
            ActionName::Approve
                | ActionName::Reject
                | ActionName::ApproveAtWindow
                | ActionName::RetryFailed
                | ActionName::RetryAll
                | ActionName::Hold
                | ActionName::HoldUntilWindow
                | ActionName::Release
                | ActionName::Stop
                | ActionName::StopAbandon
                | ActionName::Rollback
                | ActionName::OverrideCondition
                | ActionName::Drain
                | ActionName::Restore
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for a in ActionName::ALL {
            assert_eq!(ActionName::from_name(a.as_str()), Some(*a));
        }
        assert_eq!(ActionName::from_name("no-such-action"), None);
    }
}
