//! What the change stream carries: EventBridge's CodePipeline, CloudFormation
//! and CloudWatch alarm state-change events, as the rule of
//! `deploy/wavetop-stream.yaml` writes them into a CloudWatch Logs group, one
//! JSON document a log event. Pure: the reader hands over the text.

use jiff::Timestamp;
use serde::Deserialize;
use serde_json::Value;

/// One state change read from the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamEvent {
    /// EventBridge's event id: a reader drops an event it has seen.
    pub id: String,
    /// When the change happened, as EventBridge stamped it.
    pub time: Timestamp,
    pub account: String,
    pub region: String,
    pub change: Change,
}

/// What changed, named the way the console reads it again.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A pipeline's execution, one of its stages or one of its actions.
    Pipeline {
        pipeline: String,
        execution_id: Option<String>,
        stage: Option<String>,
        action: Option<String>,
        state: String,
    },
    /// A stack, or one of its resources (`resource`: the logical id).
    Stack {
        stack: String,
        resource: Option<String>,
        /// The resource's type, e.g. `AWS::Lambda::Function`.
        resource_type: Option<String>,
        status: String,
        /// CloudFormation's reason, where it gave one (a failure's cause).
        reason: Option<String>,
    },
    Alarm {
        alarm: String,
        state: String,
    },
}

/// The part of an EventBridge envelope every event has.
#[derive(Deserialize)]
struct Envelope {
    id: String,
    #[serde(rename = "detail-type")]
    detail_type: String,
    source: String,
    /// Missing from some emulators' events.
    #[serde(default)]
    account: String,
    region: String,
    time: Timestamp,
    #[serde(default)]
    detail: Value,
}

/// Reads one log event's message. An event of a kind the console does not
/// follow, or one that is not an EventBridge event, is an error naming why.
pub fn parse_event(message: &str) -> Result<StreamEvent, String> {
    let env: Envelope =
        serde_json::from_str(message).map_err(|e| format!("not an EventBridge event: {e}"))?;
    let text = |field: &str| {
        env.detail
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let required = |field: &str| {
        text(field).ok_or_else(|| format!("{}: detail.{field} is missing", env.detail_type))
    };
    let change = match env.source.as_str() {
        "aws.codepipeline" => Change::Pipeline {
            pipeline: required("pipeline")?,
            execution_id: text("execution-id"),
            stage: text("stage"),
            action: text("action"),
            state: required("state")?,
        },
        "aws.cloudformation" => {
            let details = env.detail.get("status-details");
            let status = details
                .and_then(|d| d.get("status"))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    format!(
                        "{}: detail.status-details.status is missing",
                        env.detail_type
                    )
                })?;
            let stack_id = required("stack-id")?;
            let resource =
                text("logical-resource-id").filter(|_| env.detail_type.contains("Resource"));
            let reason = details
                .and_then(|d| d.get("status-reason"))
                .and_then(Value::as_str)
                .filter(|r| !r.is_empty())
                .map(str::to_string);
            Change::Stack {
                stack: stack_name(&stack_id).to_string(),
                resource_type: resource.as_ref().and_then(|_| text("resource-type")),
                resource,
                status: status.to_string(),
                reason,
            }
        }
        "aws.cloudwatch" => Change::Alarm {
            alarm: required("alarmName")?,
            state: env
                .detail
                .get("state")
                .and_then(|s| s.get("value"))
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{}: detail.state.value is missing", env.detail_type))?
                .to_string(),
        },
        other => return Err(format!("events from {other} are not followed")),
    };
    Ok(StreamEvent {
        id: env.id,
        time: env.time,
        account: env.account,
        region: env.region,
        change,
    })
}

/// EventBridge stamps an event to the second: a change in the second a
/// read ended may be newer than what the read saw.
const STAMP_PRECISION: jiff::SignedDuration = jiff::SignedDuration::from_secs(1);

/// Whether a read that ended at `read_at` saw a change stamped `stamp`:
/// only when the read ended after the whole second of the stamp. An event
/// of that second is applied; any later event of the same thing comes after
/// it on the stream, so the newest state still wins.
pub fn seen_by_read_at(stamp: Timestamp, read_at: Timestamp) -> bool {
    read_at >= stamp + STAMP_PRECISION
}

impl StreamEvent {
    /// [`seen_by_read_at`] for this event's stamp.
    pub fn seen_by_read_at(&self, read_at: Timestamp) -> bool {
        seen_by_read_at(self.time, read_at)
    }
}

/// A stack's name from its id (`arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>`);
/// a plain name is returned as it is.
pub fn stack_name(stack_id: &str) -> &str {
    match stack_id.split_once(":stack/") {
        Some((_, rest)) => rest.split('/').next().unwrap_or(rest),
        None => stack_id,
    }
}

#[cfg(test)]
#[path = "stream_event_tests.rs"]
mod tests;
