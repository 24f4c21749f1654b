//! The change stream in update(): reads it at its cadence, merges what each
//! event says (see [`super::stream_apply`]) or, where it says too little,
//! re-reads just the pipeline or region that emitted it,
//! and switches ordinary polling off while the stream is live and back on
//! when it fails (see [`crate::poll::stream`]).

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::age::fmt_age;
use super::model::{ActivityKind, Model};
use super::msg::Effect;
use super::stream_apply::{Applied, apply_event};
use crate::domain::stream_event::{Change, StreamEvent};
use crate::poll::stream::{StreamCadence, StreamHealth, StreamState};
use crate::protocol::{PollKey, SourceError, StreamBatch};

/// Turns the stream on: it is read from the next tick after discovery.
pub fn enable_stream(model: &mut Model, cadence: StreamCadence) {
    let timeout = model.poll.cadence().timeout_secs;
    model.stream = Some(StreamState::new(cadence, model.now, timeout));
}

/// Asks for a read when one is due.
pub(super) fn read_stream_due(model: &mut Model, fx: &mut Vec<Effect>) {
    let now = model.now;
    if model.stream.is_none() {
        return;
    }
    let was = stream_label(model);
    if let Some(stream) = model.stream.as_mut()
        && let Some(generation) = stream.due(now)
    {
        fx.push(Effect::ReadStream { generation });
    }
    // A read that timed out failed: polling takes over.
    fall_back_if_failed(model, was);
}

pub(super) fn on_streamed(
    model: &mut Model,
    generation: u64,
    result: Result<StreamBatch, SourceError>,
) {
    let now = model.now;
    let was = stream_label(model);
    let Some(stream) = model.stream.as_mut() else {
        return;
    };
    let was_live = stream.is_live();
    match result {
        Ok(batch) => {
            let newest = batch.events.iter().map(|e| e.time).max();
            if !stream.completed(generation, now, Ok(newest)) {
                return;
            }
            stream.events += batch.events.len() as u64;
            stream.skipped += batch.skipped.len() as u64;
            let reconcile = stream.cadence.reconcile_secs;
            for why in batch.skipped {
                model.log(
                    ActivityKind::Info,
                    format!("stream: skipped an event: {why}"),
                );
            }
            for event in &batch.events {
                follow(model, event);
            }
            let blind = stream_blind(model);
            model.poll.set_stream_blind(blind);
            if !was_live {
                model.poll.set_floor(Some(reconcile), now);
                model.log(
                    ActivityKind::Info,
                    format!(
                        "change stream live: pipelines and stacks are read again when they emit an event, and all of them every {}",
                        fmt_age(reconcile)
                    ),
                );
            }
            model.needs_render |= !batch.events.is_empty();
        }
        Err(err) => {
            if !stream.completed(generation, now, Err(err)) {
                return;
            }
        }
    }
    fall_back_if_failed(model, was);
}

/// The keys the stream hears nothing from, polled as usual while it is
/// live: a flow without a pipeline (its cells mirror its stacks at each
/// poll), a flow with a pipeline homed where the stream has no source, and
/// the stacks of such a region.
fn stream_blind(model: &Model) -> BTreeSet<PollKey> {
    let Some(regions) = model.stream.as_ref().and_then(|s| s.regions.as_ref()) else {
        return model
            .fleet
            .flows
            .iter()
            .filter(|f| f.pipelines.is_empty())
            .map(|f| PollKey::Flow {
                flow: f.name.clone(),
            })
            .collect();
    };
    let flows = model.fleet.flows.iter().filter(|f| {
        f.pipelines.is_empty()
            || f.pipelines
                .iter()
                .any(|p| !regions.contains(&p.home_region))
    });
    let flows = flows.map(|f| PollKey::Flow {
        flow: f.name.clone(),
    });
    let stacks = model
        .poll
        .keys()
        .filter(|(k, _)| matches!(k, PollKey::Stacks { region } if !regions.contains(region)))
        .map(|(k, _)| k.clone());
    flows.chain(stacks).collect()
}

/// When the stream has just failed: polling again, said once.
fn fall_back_if_failed(model: &mut Model, was: Option<String>) {
    let now = model.now;
    let Some(StreamHealth::Failed(err)) = model.stream.as_ref().map(|s| s.health.clone()) else {
        model.needs_render |= stream_label(model) != was;
        return;
    };
    if model.poll.floor_secs().is_some() || was.is_none() {
        model.poll.set_floor(None, now);
        model.log(
            ActivityKind::Error,
            format!(
                "change stream failed: {err}; polling every pipeline and stack until it reads again"
            ),
        );
    }
    model.needs_render |= stream_label(model) != was;
}

/// Merges what the event says, or, where it cannot say enough, marks the
/// pipeline's flow or the region's alarms for a read at once. What the
/// console does not track is left alone.
fn follow(model: &mut Model, event: &StreamEvent) {
    let key = match apply_event(model, event) {
        Applied::Merged => {
            if let Some(stream) = model.stream.as_mut() {
                stream.merged += 1;
            }
            return;
        }
        Applied::Nothing => return,
        Applied::Reread => match &event.change {
            Change::Pipeline { pipeline, .. } => model
                .fleet
                .flows
                .iter()
                .find(|f| f.name == *pipeline || f.pipelines.iter().any(|p| p.name == *pipeline))
                .map(|f| PollKey::Flow {
                    flow: f.name.clone(),
                }),
            Change::Stack { .. } => Some(PollKey::Stacks {
                region: event.region.clone(),
            }),
            Change::Alarm { .. } => Some(PollKey::Alarms {
                region: event.region.clone(),
            }),
        },
    };
    if let Some(key) = key {
        model.poll.reread(&key, model.now);
    }
}

/// Tells the runtime when the stream starts or stops standing in for the
/// polls of stacks' events: once per change.
pub(super) fn announce_coverage(model: &mut Model, fx: &mut Vec<Effect>) {
    let live = model.poll.floor_secs().is_some();
    if let Some(stream) = model.stream.as_mut()
        && stream.announced_live != live
    {
        stream.announced_live = live;
        fx.push(Effect::StreamCoverage { live });
    }
}

/// What the header says of the stream: None when it is off or not read yet.
pub fn stream_label(model: &Model) -> Option<String> {
    let stream = model.stream.as_ref()?;
    match &stream.health {
        StreamHealth::Starting => None,
        StreamHealth::Failed(_) => Some("⚠ STREAM FAILED: POLLING".to_string()),
        StreamHealth::Live => {
            let behind = stream.behind(model.now).map_or(0, |d| d.as_secs());
            // Within two reads it is as current as it can be.
            if behind <= 2 * stream.cadence.read_secs {
                Some("⇄ stream live".to_string())
            } else {
                Some(format!("⇄ stream {} behind", fmt_age(behind)))
            }
        }
    }
}

/// The earliest moment the poll scheduler or the stream wants the timer.
pub fn next_wakeup(model: &Model) -> Option<Timestamp> {
    let stream = model.stream.as_ref().map(StreamState::next_wakeup);
    match (model.poll.next_wakeup(), stream) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
