//! A CloudFormation stack or resource status, and the questions the console
//! asks of it. CloudFormation spells every status `<OPERATION>_<PHASE>`
//! (`UPDATE_IN_PROGRESS`, `IMPORT_ROLLBACK_FAILED`,
//! `UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`), so the questions read the phase
//! and the rollback marker: a status AWS adds later is still classified, and
//! its text is kept to be shown as it came.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The word for a status nobody has read: a stack found by discovery and not
/// polled yet, or an answer without a status. CloudFormation never uses it.
const UNKNOWN: &str = "UNKNOWN";

/// The statuses CloudFormation documents for stacks and resources, held
/// without an allocation of their own: a large fleet keeps thousands of
/// events, each with its status.
const KNOWN: [&str; 30] = [
    UNKNOWN,
    "CREATE_IN_PROGRESS",
    "CREATE_FAILED",
    "CREATE_COMPLETE",
    "ROLLBACK_IN_PROGRESS",
    "ROLLBACK_FAILED",
    "ROLLBACK_COMPLETE",
    "DELETE_IN_PROGRESS",
    "DELETE_FAILED",
    "DELETE_COMPLETE",
    "DELETE_SKIPPED",
    "UPDATE_IN_PROGRESS",
    "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
    "UPDATE_COMPLETE",
    "UPDATE_FAILED",
    "UPDATE_ROLLBACK_IN_PROGRESS",
    "UPDATE_ROLLBACK_FAILED",
    "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
    "UPDATE_ROLLBACK_COMPLETE",
    "REVIEW_IN_PROGRESS",
    "IMPORT_IN_PROGRESS",
    "IMPORT_COMPLETE",
    "IMPORT_FAILED",
    "IMPORT_ROLLBACK_IN_PROGRESS",
    "IMPORT_ROLLBACK_FAILED",
    "IMPORT_ROLLBACK_COMPLETE",
    "EXPORT_IN_PROGRESS",
    "EXPORT_COMPLETE",
    "EXPORT_FAILED",
    "EXPORT_ROLLBACK_IN_PROGRESS",
];

/// The text is CloudFormation's, kept as it came; "unknown" has one spelling,
/// `UNKNOWN`, whether it was never read or read as empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct StackStatus(Cow<'static, str>);

impl StackStatus {
    pub fn unknown() -> Self {
        StackStatus(Cow::Borrowed(UNKNOWN))
    }

    /// The documented spelling of `text`, or a copy of a status AWS added later.
    fn known_or_owned(text: &str) -> Cow<'static, str> {
        match KNOWN.iter().find(|k| **k == text) {
            Some(known) => Cow::Borrowed(known),
            None => Cow::Owned(text.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_unknown(&self) -> bool {
        self.0 == UNKNOWN
    }

    /// An operation (or its rollback, or its clean-up) is under way: more
    /// events are coming.
    pub fn is_in_progress(&self) -> bool {
        self.0.ends_with("_IN_PROGRESS")
    }

    /// The operation, or the rollback of one, failed.
    pub fn is_failed(&self) -> bool {
        self.0.ends_with("_FAILED")
    }

    /// The operation, or the rollback of one, finished.
    pub fn is_complete(&self) -> bool {
        self.0.ends_with("_COMPLETE")
    }

    /// Any phase of a rollback, under way, done or failed: the deployment
    /// did not go through.
    pub fn is_rollback(&self) -> bool {
        self.0.contains("ROLLBACK")
    }

    /// A rollback is running now (not its clean-up afterwards).
    pub fn is_rolling_back(&self) -> bool {
        self.0.ends_with("ROLLBACK_IN_PROGRESS")
    }

    /// A rollback ended, whether it finished or failed.
    pub fn is_rolled_back(&self) -> bool {
        self.0.ends_with("ROLLBACK_COMPLETE") || self.0.ends_with("ROLLBACK_FAILED")
    }

    /// The stack was deleted: nothing of it is deployed.
    pub fn is_deleted(&self) -> bool {
        self.0 == "DELETE_COMPLETE"
    }
}

impl Default for StackStatus {
    fn default() -> Self {
        StackStatus::unknown()
    }
}

impl From<String> for StackStatus {
    fn from(text: String) -> Self {
        StackStatus::from(text.as_str())
    }
}

impl From<&str> for StackStatus {
    fn from(text: &str) -> Self {
        if text.is_empty() {
            StackStatus::unknown()
        } else {
            StackStatus(StackStatus::known_or_owned(text))
        }
    }
}

impl From<StackStatus> for String {
    fn from(status: StackStatus) -> Self {
        status.0.into_owned()
    }
}

impl PartialEq<str> for StackStatus {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for StackStatus {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

/// The text as CloudFormation wrote it; widths and alignment apply.
impl fmt::Display for StackStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
#[path = "stack_status_tests.rs"]
mod tests;
