//! The change stream of the simulated fleet: what EventBridge would deliver
//! to the stream's log group, made by comparing the simulated world with
//! what the last read saw. A pipeline's execution, stage or action whose
//! state moved becomes a CodePipeline event; a stack's new events become
//! CloudFormation resource events, or a stack status event for the stack's
//! own. The first read only takes stock: the console has just read it all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;

use super::SimBackend;
use super::pipeline::PipelineSim;
use super::stacks::StackSim;
use crate::domain::fleet::{ExecutionStatus, StackEvent};
use crate::domain::shared_str::SharedStr;
use crate::domain::stream_event::{Change, StreamEvent};
use crate::protocol::{BoxFuture, ReadStream, SourceError, StreamBatch};

/// The state each followed thing was in at the last read, and the newest
/// event of each stack.
#[derive(Default)]
struct Seen {
    primed: bool,
    states: HashMap<Fact, String>,
    /// By the stack's index in the world's stacks, which only grow at the end.
    newest_stack_event: HashMap<usize, SharedStr>,
    next_id: u64,
}

/// What one CodePipeline state-change event is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Fact {
    Execution {
        pipeline: String,
        id: String,
    },
    Stage {
        pipeline: String,
        stage: String,
    },
    Action {
        pipeline: String,
        stage: String,
        action: String,
    },
}

pub struct SimStream {
    backend: Arc<SimBackend>,
    seen: Mutex<Seen>,
}

impl SimStream {
    pub fn new(backend: Arc<SimBackend>) -> SimStream {
        SimStream {
            backend,
            seen: Mutex::new(Seen::default()),
        }
    }

    fn read_now(&self) -> StreamBatch {
        let world = self.backend.world();
        let now = world.now;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let primed = std::mem::replace(&mut seen.primed, true);
        let mut events = Vec::new();
        for pipeline in &world.pipelines {
            for (fact, state, execution_id) in pipeline_facts(pipeline) {
                let was = seen.states.insert(fact.clone(), state.clone());
                if primed && was.as_deref() != Some(state.as_str()) {
                    let id = seen.next_event_id();
                    events.push(pipeline_event(pipeline, fact, state, execution_id, id, now));
                }
            }
        }
        for (key, stack) in world.stacks.iter().enumerate() {
            let cursor = seen.newest_stack_event.get(&key).cloned();
            let new_events = stack.events_after(cursor.as_deref());
            if let Some(newest) = new_events.first() {
                seen.newest_stack_event.insert(key, newest.event_id.clone());
            }
            if !primed {
                continue;
            }
            // Newest first in the trail; the stream delivers oldest first.
            for event in new_events.iter().rev() {
                events.push(stack_event(
                    stack,
                    event,
                    &world.pipelines,
                    seen.next_event_id(),
                ));
            }
        }
        events.sort_by_key(|e| e.time);
        StreamBatch {
            events,
            skipped: Vec::new(),
            requests: 1,
        }
    }
}

impl Seen {
    fn next_event_id(&mut self) -> String {
        self.next_id += 1;
        format!("sim-{:08}", self.next_id)
    }
}

impl ReadStream for SimStream {
    fn read(&self) -> BoxFuture<'_, Result<StreamBatch, SourceError>> {
        let batch = self.read_now();
        Box::pin(async move { Ok(batch) })
    }
}

/// Every fact of a pipeline with its state as EventBridge names it, and the
/// execution it belongs to.
fn pipeline_facts(pipeline: &PipelineSim) -> Vec<(Fact, String, Option<String>)> {
    let name = pipeline.name().to_string();
    let mut facts: Vec<_> = pipeline
        .executions
        .iter()
        .map(|e| {
            let fact = Fact::Execution {
                pipeline: name.clone(),
                id: e.id.to_string(),
            };
            (
                fact,
                execution_state(e.status).to_string(),
                Some(e.id.to_string()),
            )
        })
        .collect();
    for stage in pipeline.state_doc().stage_states {
        let Some(latest) = stage.latest_execution else {
            continue;
        };
        let execution = latest.pipeline_execution_id;
        facts.push((
            Fact::Stage {
                pipeline: name.clone(),
                stage: stage.stage_name.clone(),
            },
            format!("{} {execution}", stage_state(&latest.status)),
            Some(execution.clone()),
        ));
        for action in stage.action_states {
            let Some(run) = action.latest_execution else {
                continue;
            };
            facts.push((
                Fact::Action {
                    pipeline: name.clone(),
                    stage: stage.stage_name.clone(),
                    action: action.action_name,
                },
                format!("{} {execution}", action_state(&run.status)),
                Some(execution.clone()),
            ));
        }
    }
    facts
}

fn pipeline_event(
    pipeline: &PipelineSim,
    fact: Fact,
    state: String,
    execution_id: Option<String>,
    id: String,
    now: Timestamp,
) -> StreamEvent {
    // The state without the execution it was recorded with.
    let state = state.split(' ').next().unwrap_or_default().to_string();
    let (pipeline_name, stage, action) = match fact {
        Fact::Execution { pipeline, .. } => (pipeline, None, None),
        Fact::Stage { pipeline, stage } => (pipeline, Some(stage), None),
        Fact::Action {
            pipeline,
            stage,
            action,
        } => (pipeline, Some(stage), Some(action)),
    };
    StreamEvent {
        id,
        time: now,
        account: pipeline.account_id.clone(),
        region: pipeline.home_region.clone(),
        change: Change::Pipeline {
            pipeline: pipeline_name,
            execution_id,
            stage,
            action,
            state,
        },
    }
}

fn stack_event(
    stack: &StackSim,
    event: &StackEvent,
    pipelines: &[PipelineSim],
    id: String,
) -> StreamEvent {
    // A stack's own events name the stack as their resource.
    let resource = (event.logical_id != stack.name).then(|| event.logical_id.to_string());
    let account = pipelines
        .iter()
        .find(|p| p.flow == stack.flow)
        .map(|p| p.account_id.clone())
        .unwrap_or_default();
    StreamEvent {
        id,
        time: event.timestamp,
        account,
        region: stack.region.to_string(),
        change: Change::Stack {
            stack: stack.name.to_string(),
            resource_type: resource.as_ref().map(|_| event.resource_type.to_string()),
            resource,
            status: event.status.as_str().to_string(),
            reason: event.reason.clone(),
        },
    }
}

fn execution_state(status: ExecutionStatus) -> &'static str {
    match status {
        ExecutionStatus::InProgress => "STARTED",
        ExecutionStatus::Succeeded => "SUCCEEDED",
        ExecutionStatus::Failed => "FAILED",
        ExecutionStatus::Cancelled => "CANCELED",
        ExecutionStatus::Stopped => "STOPPED",
        ExecutionStatus::Stopping => "STOPPING",
        ExecutionStatus::Superseded => "SUPERSEDED",
    }
}

/// CodePipeline's stage status in the API, as its events spell it.
fn stage_state(api: &str) -> &str {
    match api {
        "InProgress" => "STARTED",
        "Succeeded" => "SUCCEEDED",
        "Failed" => "FAILED",
        "Cancelled" => "CANCELED",
        "Stopped" => "STOPPED",
        "Stopping" => "STOPPING",
        other => other,
    }
}

/// CodePipeline's action status in the API, as its events spell it.
fn action_state(api: &str) -> &str {
    match api {
        "InProgress" => "STARTED",
        "Succeeded" => "SUCCEEDED",
        "Failed" => "FAILED",
        "Abandoned" => "ABANDONED",
        other => other,
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
