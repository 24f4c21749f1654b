//! Reads the team's audit log group at the idle cadence and hands the other
//! operators' actions to update(); this session's own stream is left out
//! (its actions are in the activity log already).

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::mpsc;

use crate::audit::listing::{ListedCall, calls};
use crate::audit::team::TeamCopy;
use crate::core::msg::Msg;
use crate::core::team::TeamAction;

/// How often the group is read: the console's idle cadence.
const EVERY: Duration = Duration::from_secs(60);
/// How far back the first read looks.
const FIRST_LOOK: SignedDuration = SignedDuration::from_hours(1);
/// Each read starts this much before the last one, so that a line that
/// reached the group late is still found; update() shows each action once.
const OVERLAP: SignedDuration = SignedDuration::from_mins(5);

/// Runs until the console stops listening.
pub async fn run(team: TeamCopy, tx: mpsc::UnboundedSender<Msg>) {
    let mut since = Timestamp::now() - FIRST_LOOK;
    loop {
        let started = Timestamp::now();
        // A failed read is tried again at the next tick: the activity view
        // only misses others' actions for a while, nothing else depends on it.
        if let Ok(read) = team.team_log().read_since(since.as_millisecond()).await {
            let others = read
                .lines
                .iter()
                .filter(|l| !team.is_own_stream(&l.stream))
                .map(|l| (l.stream.as_str(), &l.line));
            let actions: Vec<TeamAction> = calls(others).into_iter().map(action).collect();
            if !actions.is_empty() && tx.send(Msg::TeamActions(actions)).is_err() {
                return;
            }
            since = started - OVERLAP;
        }
        tokio::time::sleep(EVERY).await;
        if tx.is_closed() {
            return;
        }
    }
}

fn action(call: ListedCall) -> TeamAction {
    TeamAction {
        id: call.id,
        at: call.ts,
        who: call.identity,
        api: call.api,
        target: call.target,
        outcome: call.outcome.to_string(),
    }
}
