//! A CloudFormation event from the change stream, merged into the stack it
//! names: a stack's new status, or one resource's new status as a stack
//! event at the head of the stack's trail, so cell detail shows a deploy's
//! resources as they move, not at the next reconciliation. The poll that
//! reads the same event later (with its CloudFormation event id) replaces
//! the stream's copy: see [`drop_streamed_copies`].

use jiff::Timestamp;

use super::stream_apply::Applied;
use crate::domain::fleet::{Stack, StackEvent, StackEventRecord};
use crate::domain::stack_status::StackStatus;
use crate::domain::stream_event::seen_by_read_at;

/// The prefix of the event id of a stack event made from the stream.
const STREAMED: &str = "stream:";

/// How far apart EventBridge's stamp and CloudFormation's own may be for one
/// change: EventBridge stamps to the second.
const SAME_CHANGE_MS: i64 = 2_000;

/// What one CloudFormation event of the stream says.
pub struct StackChange<'e> {
    pub event_id: &'e str,
    pub time: Timestamp,
    pub resource: Option<&'e str>,
    pub resource_type: Option<&'e str>,
    pub status: &'e str,
    pub reason: Option<&'e str>,
}

pub fn apply_stack_change(
    stack: &mut Stack,
    change: &StackChange<'_>,
    events_kept: usize,
) -> Applied {
    let status = StackStatus::from(change.status);
    let Some(logical_id) = change.resource else {
        if seen_by_read_at(change.time, stack.fetched_at) || stack.status == status {
            return Applied::Nothing;
        }
        stack.status = status;
        stack.status_reason = change.reason.map(str::to_string);
        return Applied::Merged;
    };
    let event = StackEvent::new(StackEventRecord {
        event_id: format!("{STREAMED}{}", change.event_id).into(),
        timestamp: change.time,
        logical_id: logical_id.into(),
        resource_type: change.resource_type.unwrap_or_default().into(),
        status,
        reason: change.reason.map(str::to_string),
    });
    // Already in the trail: from the stream before, or from a poll.
    if stack
        .events
        .iter()
        .any(|e| e.event_id == event.event_id || same_change(e, &event))
    {
        return Applied::Nothing;
    }
    // A stack's own resource events say its operation is under way, e.g. a
    // stack event the poll has not seen yet of a stack it last saw settled.
    let at = stack
        .events
        .iter()
        .position(|e| e.timestamp <= event.timestamp)
        .unwrap_or(stack.events.len());
    stack.events.insert(at, event);
    stack.events.truncate(events_kept);
    Applied::Merged
}

/// Drops the stream's copies of the events a poll has just read: the polled
/// event carries CloudFormation's own id and the full resource type.
pub fn drop_streamed_copies(trail: &mut Vec<StackEvent>, polled: &[StackEvent]) {
    trail
        .retain(|e| !e.event_id.starts_with(STREAMED) || !polled.iter().any(|p| same_change(p, e)));
}

fn same_change(a: &StackEvent, b: &StackEvent) -> bool {
    a.logical_id == b.logical_id
        && a.status == b.status
        && (a.timestamp.as_millisecond() - b.timestamp.as_millisecond()).abs() <= SAME_CHANGE_MS
}

#[cfg(test)]
#[path = "stream_stacks_tests.rs"]
mod tests;
