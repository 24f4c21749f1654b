//! CloudFormation: stack status, and stack events read newest first only
//! down to the last event a previous poll already returned.

use std::collections::HashMap;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types as sdk;
use jiff::Timestamp;

use super::errors::map_sdk_error;
use super::time::to_timestamp;
use crate::domain::fleet::{StackEvent, StackEventRecord};
use crate::domain::stack_status::StackStatus;
use crate::protocol::SourceError;

/// Pages of an unfiltered DescribeStacks read before falling back to naming stacks.
const MAX_DESCRIBE_PAGES: usize = 5;
/// Pages of events read in one poll while looking for the last event seen.
const MAX_EVENT_PAGES: usize = 10;

/// What DescribeStacks says about one stack.
#[derive(Debug, Clone, PartialEq)]
pub struct StackInfo {
    pub name: String,
    pub status: StackStatus,
    pub reason: Option<String>,
    /// LastUpdatedTime, or CreationTime for a stack never updated.
    pub changed_at: Option<Timestamp>,
}

fn stack_info(s: &sdk::Stack) -> Option<StackInfo> {
    Some(StackInfo {
        name: s.stack_name()?.to_string(),
        status: s
            .stack_status()
            .map(|st| StackStatus::from(st.as_str()))
            .unwrap_or_default(),
        reason: s.stack_status_reason().map(str::to_string),
        changed_at: s
            .last_updated_time()
            .or(s.creation_time())
            .map(to_timestamp),
    })
}

/// Status of the named stacks of one region. With several stacks, one
/// unfiltered (paged) DescribeStacks costs less than one call per stack;
/// a stack the listing does not show is asked for by name, and a stack that
/// does not exist is left out of the answer.
pub async fn describe(
    client: &Client,
    names: &[String],
) -> Result<HashMap<String, StackInfo>, SourceError> {
    let mut found: HashMap<String, StackInfo> = HashMap::new();
    let mut listing_complete = false;
    if names.len() > 1 {
        let mut token: Option<String> = None;
        for _ in 0..MAX_DESCRIBE_PAGES {
            let out = client
                .describe_stacks()
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| map_sdk_error("cloudformation:DescribeStacks", e))?;
            for info in out.stacks().iter().filter_map(stack_info) {
                if names.contains(&info.name) {
                    found.insert(info.name.clone(), info);
                }
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => {
                    listing_complete = true;
                    break;
                }
            }
        }
    }
    if !listing_complete {
        let unlisted: Vec<&String> = names.iter().filter(|n| !found.contains_key(*n)).collect();
        for name in unlisted {
            match describe_one(client, name).await {
                Ok(Some(info)) => {
                    found.insert(name.clone(), info);
                }
                Ok(None) | Err(SourceError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(found)
}

pub async fn describe_one(client: &Client, name: &str) -> Result<Option<StackInfo>, SourceError> {
    let out = client
        .describe_stacks()
        .stack_name(name)
        .send()
        .await
        .map_err(|e| map_sdk_error("cloudformation:DescribeStacks", e))?;
    Ok(out.stacks().iter().find_map(stack_info))
}

/// Events newer than `last_seen`, newest first. Without a cursor (first
/// poll) only the newest page is read: history is not worth its calls.
pub async fn events_since(
    client: &Client,
    name: &str,
    last_seen: Option<&str>,
) -> Result<Vec<StackEvent>, SourceError> {
    let mut events = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_EVENT_PAGES {
        let out = client
            .describe_stack_events()
            .stack_name(name)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("cloudformation:DescribeStackEvents", e))?;
        for e in out.stack_events() {
            if last_seen.is_some() && e.event_id() == last_seen {
                return Ok(events);
            }
            if let Some(event) = stack_event(e) {
                events.push(event);
            }
        }
        match (last_seen, out.next_token()) {
            (Some(_), Some(t)) if !t.is_empty() => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(events)
}

fn stack_event(e: &sdk::StackEvent) -> Option<StackEvent> {
    Some(StackEvent::new(StackEventRecord {
        event_id: e.event_id()?.into(),
        timestamp: e.timestamp().map(to_timestamp)?,
        logical_id: e.logical_resource_id().unwrap_or("").into(),
        resource_type: e.resource_type().unwrap_or("").into(),
        status: e
            .resource_status()
            .map(|s| StackStatus::from(s.as_str()))
            .unwrap_or_default(),
        reason: e.resource_status_reason().map(str::to_string),
    }))
}

/// Whether a stack status is the end of an operation: no event can arrive
/// until the status (or its LastUpdatedTime) changes again.
pub fn is_settled(status: &StackStatus) -> bool {
    !status.is_in_progress()
}
