//! Stacks deployed outside any pipeline (`cdk deploy`, `sls deploy`) shown
//! as one `manual` wave: a cell per region whose single action mirrors the
//! region's stack. Both backends build it here, so it reads the same.

use jiff::Timestamp;

use super::fleet::{Action, ActionStatus, Cell, StageStatus, Transition, Wave};
use super::shared_str::SharedStr;
use super::stack_status::StackStatus;

/// The name of the one wave of a flow without a pipeline.
pub const MANUAL_WAVE: &str = "manual";

/// What the manual wave shows of one stack.
#[derive(Debug, Clone, PartialEq)]
pub struct StackDeploy {
    pub name: String,
    pub region: String,
    /// CloudFormation's stack status; unknown until the stack was read.
    pub status: StackStatus,
    /// Why the last deployment failed, when it did.
    pub failure: Option<String>,
    /// When the stack last changed state.
    pub changed_at: Option<Timestamp>,
    pub external_url: Option<String>,
}

/// A stack status as the state of a deployment. A rollback, under way or
/// done, is a failed deployment; a deleted or missing stack was never deployed.
pub fn stack_action_status(status: &StackStatus) -> ActionStatus {
    if status.is_rollback() || status.is_failed() {
        ActionStatus::Failed
    } else if status.is_in_progress() {
        ActionStatus::InProgress
    } else if status.is_complete() && !status.is_deleted() {
        ActionStatus::Succeeded
    } else {
        ActionStatus::NotStarted
    }
}

/// The manual wave of the given stacks, regions in the order given.
pub fn manual_wave(stacks: &[StackDeploy]) -> Wave {
    let mut cells: Vec<Cell> = Vec::new();
    for s in stacks {
        let action = stack_action(s);
        match cells.iter_mut().find(|c| c.region == s.region) {
            Some(cell) => cell.actions.push(action),
            None => cells.push(Cell {
                region: s.region.as_str().into(),
                actions: vec![action],
                held: false,
            }),
        }
    }
    let statuses: Vec<ActionStatus> = cells
        .iter()
        .flat_map(|c| &c.actions)
        .map(|a| a.status)
        .collect();
    let stage_status = if statuses.contains(&ActionStatus::Failed) {
        Some(StageStatus::Failed)
    } else if statuses.contains(&ActionStatus::InProgress) {
        Some(StageStatus::InProgress)
    } else if !statuses.is_empty() && statuses.iter().all(|s| *s == ActionStatus::Succeeded) {
        Some(StageStatus::Succeeded)
    } else {
        None
    };
    Wave {
        name: MANUAL_WAVE.to_string(),
        pipeline: String::new(),
        pre_deploy: false,
        transition: Transition::open(),
        stage_status,
        execution_id: None,
        cells,
        conditions: None,
        schedule: Default::default(),
    }
}

fn stack_action(s: &StackDeploy) -> Action {
    let status = stack_action_status(&s.status);
    let running = status == ActionStatus::InProgress;
    Action {
        name: s.name.as_str().into(),
        category: "Deploy".into(),
        provider: "CloudFormation".into(),
        run_order: 1,
        region: s.region.as_str().into(),
        status,
        started_at: s.changed_at.filter(|_| running),
        ended_at: s
            .changed_at
            .filter(|_| !running && status != ActionStatus::NotStarted),
        external_url: s.external_url.as_deref().map(SharedStr::from),
        error: (status == ActionStatus::Failed).then(|| {
            s.failure
                .clone()
                .unwrap_or_else(|| s.status.to_string())
                .into()
        }),
        approval: None,
        stack_name: Some(s.name.as_str().into()),
        updated_by: None,
        earlier: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fleet::CellStatus;

    fn stack(region: &str, status: Option<&str>) -> StackDeploy {
        StackDeploy {
            name: "billing-api".into(),
            region: region.into(),
            status: status.map(StackStatus::from).unwrap_or_default(),
            failure: Some("Resource handler returned message: rate exceeded".into()),
            changed_at: Some(Timestamp::from_second(1_800_000_000).unwrap()),
            external_url: None,
        }
    }

    #[test]
    fn stack_statuses_read_as_deployments() {
        assert_eq!(
            stack_action_status(&"UPDATE_COMPLETE".into()),
            ActionStatus::Succeeded
        );
        assert_eq!(
            stack_action_status(&"UPDATE_IN_PROGRESS".into()),
            ActionStatus::InProgress
        );
        assert_eq!(
            stack_action_status(&"UPDATE_ROLLBACK_IN_PROGRESS".into()),
            ActionStatus::Failed
        );
        assert_eq!(
            stack_action_status(&"UPDATE_ROLLBACK_COMPLETE".into()),
            ActionStatus::Failed
        );
        assert_eq!(
            stack_action_status(&"CREATE_FAILED".into()),
            ActionStatus::Failed
        );
        assert_eq!(
            stack_action_status(&"DELETE_COMPLETE".into()),
            ActionStatus::NotStarted
        );
        assert_eq!(
            stack_action_status(&StackStatus::unknown()),
            ActionStatus::NotStarted
        );
        // What the AWS adapter reports for a tracked stack that does not exist (yet).
        assert_eq!(
            stack_action_status(&"DOES_NOT_EXIST".into()),
            ActionStatus::NotStarted
        );
    }

    #[test]
    fn one_cell_per_region_and_the_failure_is_the_error() {
        let wave = manual_wave(&[
            stack("us-east-1", Some("UPDATE_COMPLETE")),
            stack("us-west-2", Some("UPDATE_ROLLBACK_COMPLETE")),
        ]);
        assert_eq!(wave.name, MANUAL_WAVE);
        assert_eq!(wave.regions(), ["us-east-1", "us-west-2"]);
        assert_eq!(
            wave.cell("us-east-1").unwrap().status(),
            CellStatus::Succeeded
        );
        let failed = wave.cell("us-west-2").unwrap();
        assert_eq!(failed.status(), CellStatus::Failed);
        assert!(
            failed.actions[0]
                .error
                .as_deref()
                .unwrap()
                .contains("rate exceeded")
        );
        assert_eq!(wave.stage_status, Some(StageStatus::Failed));
    }

    #[test]
    fn a_stack_not_read_yet_is_not_started_and_says_nothing_about_the_wave() {
        let wave = manual_wave(&[stack("us-east-1", None)]);
        assert_eq!(wave.cells[0].status(), CellStatus::NotStarted);
        assert_eq!(wave.stage_status, None);
    }
}
