//! The latest run of a simulated action, as GetPipelineState reports it.
//!
//! Most actions of a large fleet last succeeded in an earlier execution and
//! nothing else is said of that run: it is held as its id and end time
//! alone (under 80 bytes, against some 340 for a full `ActionExecution` with its
//! strings), and read out in full when a poll asks for it.

use serde::{Deserialize, Serialize};

use crate::domain::pipeline_doc::ActionExecution;

/// What `ActionExecution` says of a run that succeeded and nothing more.
const SUCCEEDED: &str = "Succeeded";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ActionExecution", into = "ActionExecution")]
pub enum RunState {
    /// Succeeded, complete, with no summary, token, link or error.
    Succeeded { id: RunId, at: Option<f64> },
    /// A run with more to say: under way, failed, answered, linked.
    Full(Box<ActionExecution>),
}

impl RunState {
    /// InProgress | Abandoned | Succeeded | Failed
    pub fn status(&self) -> &str {
        match self {
            RunState::Succeeded { .. } => SUCCEEDED,
            RunState::Full(run) => &run.status,
        }
    }

    /// Whether CodePipeline hands out an approval token for the run.
    pub fn has_token(&self) -> bool {
        matches!(self, RunState::Full(run) if run.token.is_some())
    }

    pub fn action_execution_id(&self) -> Option<&str> {
        match self {
            RunState::Succeeded { id, .. } => Some(id.as_str()),
            RunState::Full(run) => run.action_execution_id.as_deref(),
        }
    }

    /// The run as GetPipelineState reports it.
    pub fn to_execution(&self) -> ActionExecution {
        match self {
            RunState::Succeeded { id, at } => ActionExecution {
                action_execution_id: Some(id.as_str().to_string()),
                percent_complete: Some(100),
                ..ActionExecution::with_status(SUCCEEDED, *at)
            },
            RunState::Full(run) => (**run).clone(),
        }
    }

    /// The run in full, to be changed.
    pub fn get_mut(&mut self) -> &mut ActionExecution {
        if let RunState::Succeeded { .. } = self {
            *self = RunState::Full(Box::new(self.to_execution()));
        }
        match self {
            RunState::Full(run) => run,
            // Replaced just above.
            RunState::Succeeded { .. } => unreachable!("a succeeded run is expanded above"),
        }
    }
}

impl From<ActionExecution> for RunState {
    /// Held compactly exactly when the compact form reads out as the run.
    fn from(run: ActionExecution) -> Self {
        let compact = run
            .action_execution_id
            .as_deref()
            .and_then(RunId::new)
            .map(|id| RunState::Succeeded {
                id,
                at: run.last_status_change,
            });
        match compact {
            Some(compact) if compact.to_execution() == run => compact,
            _ => RunState::Full(Box::new(run)),
        }
    }
}

impl From<RunState> for ActionExecution {
    fn from(state: RunState) -> Self {
        match state {
            RunState::Full(run) => *run,
            settled => settled.to_execution(),
        }
    }
}

/// An action execution id as CodePipeline spells it (a UUID), held inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunId([u8; 36]);

impl RunId {
    /// None for an id of another length or not ASCII.
    fn new(id: &str) -> Option<Self> {
        if !id.is_ascii() {
            return None;
        }
        id.as_bytes().try_into().ok().map(RunId)
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII above.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b2c3d4e-5f60-4172-a384-95a6b7c8d9e0";

    fn succeeded() -> ActionExecution {
        ActionExecution {
            action_execution_id: Some(ID.to_string()),
            percent_complete: Some(100),
            ..ActionExecution::with_status("Succeeded", Some(1_700_000_000.0))
        }
    }

    #[test]
    fn a_plain_success_is_held_compactly_and_read_out_as_it_was() {
        let state = RunState::from(succeeded());
        assert!(matches!(state, RunState::Succeeded { .. }));
        assert_eq!(state.to_execution(), succeeded());
        assert_eq!(state.status(), "Succeeded");
        assert_eq!(state.action_execution_id(), Some(ID));
        assert!(!state.has_token());
    }

    #[test]
    fn a_run_with_more_to_say_is_held_in_full() {
        let summarized = ActionExecution {
            summary: Some("Approved".into()),
            ..succeeded()
        };
        let state = RunState::from(summarized.clone());
        assert!(matches!(state, RunState::Full(_)));
        assert_eq!(state.to_execution(), summarized);
        let running = ActionExecution::with_status("InProgress", None);
        assert!(matches!(RunState::from(running), RunState::Full(_)));
    }

    #[test]
    fn changing_a_compact_run_changes_it_in_full() {
        let mut state = RunState::from(succeeded());
        state.get_mut().last_updated_by = Some("carol".into());
        assert_eq!(
            state.to_execution().last_updated_by.as_deref(),
            Some("carol")
        );
        assert_eq!(state.action_execution_id(), Some(ID));
    }

    #[test]
    fn it_is_written_and_read_as_the_run_itself() {
        let state = RunState::from(succeeded());
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json, serde_json::to_value(succeeded()).unwrap());
        let back: RunState = serde_json::from_value(json).unwrap();
        assert_eq!(back, state);
    }
}
