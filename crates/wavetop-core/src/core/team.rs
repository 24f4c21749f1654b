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
}
