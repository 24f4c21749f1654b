//! Reads the team's audit log group at the idle cadence and hands the other
//! operators' actions to update(); this session's own stream is left out
//! (its actions are in the activity log already).

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::mpsc;

use crate::audit::listing::{ListedCall, calls};
use crate::audit::team::TeamCopy;
use crate::core::msg::Msg;
use crate::core::team::{CopyStatus, TeamAction};

/// How often the group is read: the console's idle cadence.
const EVERY: Duration = Duration::from_secs(60);
/// How far back the first read looks.
const FIRST_LOOK: SignedDuration = SignedDuration::from_hours(1);
/// Each read starts this much before the last one, so that a line that
/// reached the group late is still found; update() shows each action once.
const OVERLAP: SignedDuration = SignedDuration::from_mins(5);

/// Runs until the console stops listening.
pub async fn run(team: TeamCopy, tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(copy_status(team.clone(), tx.clone()));
    let mut since = Timestamp::now() - FIRST_LOOK;
    loop {
        let started = Timestamp::now();
        // A failed read is said in the sources pane and tried again at the
        // next tick; a read that works clears it, even with nothing new.
        let msg = match team.team_log().read_since(since.as_millisecond()).await {
            Ok(read) => {
                let others = read
                    .lines
                    .iter()
                    .filter(|l| !team.is_own_stream(&l.stream))
                    .map(|l| (l.stream.as_str(), &l.line));
                since = started - OVERLAP;
                Msg::TeamActions(calls(others).into_iter().map(action).collect())
            }
            Err(message) => Msg::TeamReadFailed {
                message,
                retry_at: Timestamp::now() + EVERY,
            },
        };
        if tx.send(msg).is_err() {
            return;
        }
        tokio::time::sleep(EVERY).await;
        if tx.is_closed() {
            return;
        }
    }
}

/// How often the copy's progress is looked at for the status line.
const COPY_LOOK: Duration = Duration::from_secs(1);

/// Tells update() how many lines wait for the group, each time that changes.
async fn copy_status(team: TeamCopy, tx: mpsc::UnboundedSender<Msg>) {
    let mut last = CopyStatus::default();
    loop {
        let waiting = team.pending();
        let status = CopyStatus {
            waiting,
            last_error: team.progress().last_error.filter(|_| waiting > 0),
        };
        if status != last {
            if tx.send(Msg::TeamCopy(status.clone())).is_err() {
                return;
            }
            last = status;
        }
        tokio::time::sleep(COPY_LOOK).await;
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
