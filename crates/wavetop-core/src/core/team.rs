//! Other operators' actions, read from the team's audit log group, shown in
//! the activity view beside this session's own, each marked with who did it.

use jiff::Timestamp;

use crate::core::model::{ActivityEntry, ActivityKind, Model};

/// One call another console made, as its audit lines tell it.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamAction {
    /// The call's audit id, the same in every console that reads it.
    pub id: String,
    pub at: Timestamp,
    /// Who made it: the caller identity.
    pub who: String,
    /// The AWS API, e.g. `codepipeline:PutApprovalResult`.
    pub api: String,
    /// What it acted on, as the audit line names it: `pipeline/stage/region`,
    /// `pipeline/stage`, `pipeline@execution` or `dns/region`.
    pub target: String,
    /// `ok`, `error`, or `unfinished` while its outcome is not in the group.
    pub outcome: String,
}

/// Reading the team's log group and copying to it, as the console shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeamLogState {
    /// The last read that failed, while no read since has worked.
    pub read_error: Option<ReadFailure>,
    /// What of the audit log is still to reach the group.
    pub copy: CopyStatus,
    /// Actions read before the fleet was discovered: which of them are on
    /// flows in view is known only then. The first read of the group comes
    /// at startup, usually before discovery has answered.
    pub before_discovery: Vec<TeamAction>,
}

/// Actions kept for discovery at most; a read returns the last day's calls,
/// and more than this many before the fleet is known is not worth holding.
const BEFORE_DISCOVERY_MAX: usize = 512;

/// A read of the team's log group that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadFailure {
    pub at: Timestamp,
    pub message: String,
    /// When the group is read again.
    pub retry_at: Timestamp,
}

/// Lines of this session (or an earlier one) not in the team's group yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyStatus {
    pub waiting: u64,
    /// Why the last send failed, while the lines are still waiting.
    pub last_error: Option<String>,
}

impl CopyStatus {
    /// The status line's note, when lines are waiting.
    pub fn note(&self) -> Option<String> {
        if self.waiting == 0 {
            return None;
        }
        let lines = if self.waiting == 1 { "line" } else { "lines" };
        Some(match self.last_error {
            Some(_) => format!(
                "audit copy: {} {lines} not delivered, retrying",
                self.waiting
            ),
            None => format!("audit copy: {} {lines} sending", self.waiting),
        })
    }
}

/// A read failed: said once in the activity log (again if the reason
/// changes), and kept for the sources pane until a read works.
pub fn on_read_failed(model: &mut Model, message: String, retry_at: Timestamp, now: Timestamp) {
    let repeated = model
        .team
        .read_error
        .as_ref()
        .is_some_and(|e| e.message == message);
    if !repeated {
        model.log(
            ActivityKind::Error,
            format!("team audit log: cannot read: {message}; retrying"),
        );
    }
    model.team.read_error = Some(ReadFailure {
        at: now,
        message,
        retry_at,
    });
    model.needs_render = true;
}

pub fn on_copy_status(model: &mut Model, status: CopyStatus) {
    if model.team.copy != status {
        model.team.copy = status;
        model.needs_render = true;
    }
}

/// The pipeline a target names; None for a DNS target, which concerns
/// every flow in view.
fn pipeline_of(target: &str) -> Option<&str> {
    if target.starts_with("dns/") {
        return None;
    }
    target.split(['/', '@']).next()
}

/// Adds to the activity log each action on a flow in view not shown yet;
/// an unfinished one is shown again once its outcome arrives.
pub fn on_team_actions(model: &mut Model, actions: Vec<TeamAction>) {
    if model.team.read_error.take().is_some() {
        model.log(ActivityKind::Info, "team audit log: read again");
        model.needs_render = true;
    }
    if !model.discovered {
        let held = &mut model.team.before_discovery;
        held.extend(actions);
        let excess = held.len().saturating_sub(BEFORE_DISCOVERY_MAX);
        held.drain(..excess);
        return;
    }
    for action in actions {
        let in_view = pipeline_of(&action.target).is_none_or(|name| {
            model
                .fleet
                .flows
                .iter()
                .any(|f| f.name == name || f.pipelines.iter().any(|p| p.name == name))
        });
        if !in_view
            || !model
                .team_seen
                .insert(format!("{}/{}", action.id, action.outcome))
        {
            continue;
        }
        let kind = match action.outcome.as_str() {
            "error" => ActivityKind::Error,
            _ => ActivityKind::Info,
        };
        model.activity.push(ActivityEntry {
            at: action.at,
            kind,
            text: format!(
                "{} by {}: {} {}",
                action.outcome, action.who, action.api, action.target
            ),
        });
        model.needs_render = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::bindings::Bindings;
    use crate::core::msg::Msg;
    use crate::core::update::update;
    use crate::domain::window::Windows;

    fn action(id: &str, target: &str, outcome: &str) -> TeamAction {
        TeamAction {
            id: id.to_string(),
            at: Timestamp::from_second(1_795_298_400).unwrap(),
            who: "arn:aws:sts::1:assumed-role/OnCall/bob".to_string(),
            api: "codepipeline:PutApprovalResult".to_string(),
            target: target.to_string(),
            outcome: outcome.to_string(),
        }
    }

    #[test]
    fn other_operators_actions_on_flows_in_view_arrive_in_activity_once() {
        let now = Timestamp::from_second(1_795_298_460).unwrap();
        let mut model = Model::new(now, Bindings::default(), Windows::default(), false);
        model.fleet = crate::domain::synthetic::fleet(2, 2, now);
        model.discovered = true;
        let batch = vec![
            action("a", "synthetic/Wave00/us-east-1", "unfinished"),
            action("b", "elsewhere/Prod/eu-west-1", "ok"),
            action("c", "dns/eu-west-1", "error"),
        ];
        let fx = update(&mut model, Msg::TeamActions(batch.clone()), now);
        assert!(fx.is_empty());
        let texts: Vec<(ActivityKind, &str)> = model
            .activity
            .iter()
            .map(|e| (e.kind, e.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    ActivityKind::Info,
                    "unfinished by arn:aws:sts::1:assumed-role/OnCall/bob: codepipeline:PutApprovalResult synthetic/Wave00/us-east-1"
                ),
                (
                    ActivityKind::Error,
                    "error by arn:aws:sts::1:assumed-role/OnCall/bob: codepipeline:PutApprovalResult dns/eu-west-1"
                ),
            ]
        );
        // Read again at the next idle tick: nothing new; the outcome of the
        // unfinished call is new.
        update(&mut model, Msg::TeamActions(batch), now);
        assert_eq!(model.activity.len(), 2);
        let done = vec![action("a", "synthetic/Wave00/us-east-1", "ok")];
        update(&mut model, Msg::TeamActions(done), now);
        assert_eq!(model.activity.len(), 3);
        assert!(
            model
                .activity
                .iter()
                .last()
                .unwrap()
                .text
                .starts_with("ok by ")
        );
    }

    #[test]
    fn actions_read_before_discovery_are_shown_once_the_fleet_is_known() {
        let now = Timestamp::from_second(1_795_298_460).unwrap();
        let mut model = Model::new(now, Bindings::default(), Windows::default(), false);
        let batch = vec![
            action("a", "synthetic/Wave00/us-east-1", "ok"),
            action("b", "elsewhere/Prod/eu-west-1", "ok"),
        ];
        update(&mut model, Msg::TeamActions(batch), now);
        assert!(model.activity.iter().all(|e| !e.text.contains(" by ")));
        let fleet = crate::domain::synthetic::fleet(2, 2, now);
        let discovery = crate::protocol::Discovery {
            flows: fleet.flows,
            stacks: Vec::new(),
            record_sets: Vec::new(),
            tables: Vec::new(),
            fleet_label: "test".into(),
            hosted_zones: Vec::new(),
            errors: Vec::new(),
            alarms: Default::default(),
        };
        update(&mut model, Msg::Discovered(Ok(discovery)), now);
        let shown: Vec<&str> = model
            .activity
            .iter()
            .filter(|e| e.text.contains(" by "))
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(
            shown,
            [
                "ok by arn:aws:sts::1:assumed-role/OnCall/bob: codepipeline:PutApprovalResult synthetic/Wave00/us-east-1"
            ]
        );
        assert!(model.team.before_discovery.is_empty());
    }

    #[test]
    fn a_failed_read_is_said_once_kept_for_the_sources_and_cleared_by_the_next_read() {
        let now = Timestamp::from_second(1_795_298_460).unwrap();
        let retry_at = Timestamp::from_second(1_795_298_520).unwrap();
        let mut model = Model::new(now, Bindings::default(), Windows::default(), false);
        let failed = || Msg::TeamReadFailed {
            message: "logs:FilterLogEvents: ResourceNotFoundException: no group".to_string(),
            retry_at,
        };
        update(&mut model, failed(), now);
        update(&mut model, failed(), retry_at);
        let errors: Vec<&str> = model
            .activity
            .iter()
            .filter(|e| e.kind == ActivityKind::Error)
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(
            errors,
            [
                "team audit log: cannot read: logs:FilterLogEvents: ResourceNotFoundException: no group; retrying"
            ]
        );
        assert_eq!(model.team.read_error.as_ref().unwrap().at, retry_at);
        assert_eq!(crate::core::panes::source_count(&model), 1);

        update(&mut model, Msg::TeamActions(Vec::new()), retry_at);
        assert_eq!(model.team.read_error, None);
        assert_eq!(crate::core::panes::source_count(&model), 0);
        assert_eq!(
            model.activity.iter().last().unwrap().text,
            "team audit log: read again"
        );
    }

    #[test]
    fn the_copy_note_says_how_many_lines_wait_and_whether_sending_fails() {
        let waiting = |waiting, error: Option<&str>| CopyStatus {
            waiting,
            last_error: error.map(str::to_string),
        };
        assert_eq!(waiting(0, Some("throttled")).note(), None);
        assert_eq!(
            waiting(1, None).note().as_deref(),
            Some("audit copy: 1 line sending")
        );
        assert_eq!(
            waiting(3, Some("throttled")).note().as_deref(),
            Some("audit copy: 3 lines not delivered, retrying")
        );
    }
}
