//! CloudFormation stacks: an update is scripted up front as a timed list of
//! events (resource by resource, then cleanup or rollback) and played out as
//! the clock passes each one.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::rng::SimRng;
use super::spec::StackSpec;
use super::stack_kind::StackKind;
use crate::domain::fleet::{StackEvent, StackEventRecord};
use crate::domain::shared_str::SharedStr;
use crate::domain::stack_status::StackStatus;

/// How many events a stack keeps, newest first (DescribeStackEvents pages further back).
const EVENT_HISTORY: usize = 120;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackSim {
    /// Shared between the stacks of a flow and of a region (see
    /// `shared_strings::share_stack_places`).
    pub flow: SharedStr,
    pub region: SharedStr,
    pub name: SharedStr,
    pub status: StackStatus,
    pub status_reason: Option<String>,
    /// Says which resources an update touches.
    pub kind: StackKind,
    /// Newest first.
    pub events: Vec<StackEvent>,
    /// Events still to come, oldest first.
    script: Vec<Scripted>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Scripted {
    at: Timestamp,
    event: StackEvent,
    /// Set for stack-level events: the stack's new status.
    stack_status: bool,
}

/// What went wrong in a failed update, as CloudFormation words it.
const FAILURE_REASONS: [(&str, &str); 5] = [
    (
        "AWS::Lambda::Function",
        "Resource handler returned message: \"Rate exceeded (Service: Lambda, Status Code: 429)\" (HandlerErrorCode: Throttling)",
    ),
    (
        "AWS::Lambda::Function",
        "Resource handler returned message: \"Unzipped size must be smaller than 262144000 bytes (Service: Lambda, Status Code: 400)\" (HandlerErrorCode: InvalidRequest)",
    ),
    (
        "AWS::IAM::Role",
        "Resource handler returned message: \"Cannot exceed quota for PoliciesPerRole: 10 (Service: Iam, Status Code: 409)\" (HandlerErrorCode: ServiceLimitExceeded)",
    ),
    (
        "AWS::ApiGateway::Stage",
        "Resource handler returned message: \"Stage already exists (Service: ApiGateway, Status Code: 409)\" (HandlerErrorCode: AlreadyExists)",
    ),
    ("", "Resource timed out waiting for completion"),
];

impl StackSim {
    pub fn new(spec: &StackSpec) -> Self {
        Self {
            flow: spec.flow.as_str().into(),
            region: spec.region.as_str().into(),
            name: spec.name.as_str().into(),
            status: "CREATE_COMPLETE".into(),
            status_reason: None,
            kind: spec.kind,
            events: Vec::new(),
            script: Vec::new(),
        }
    }

    /// True while an update is being played out.
    pub fn busy(&self) -> bool {
        !self.script.is_empty() || self.status.is_in_progress()
    }

    /// Whether the last update ended well (only meaningful when not busy).
    pub fn last_update_succeeded(&self) -> bool {
        !self.status.is_rollback() && !self.status.is_failed()
    }

    /// Scripts an update starting at `start` lasting about `duration`. With
    /// `fail`, one resource fails and the stack rolls back.
    pub fn begin_update(
        &mut self,
        start: Timestamp,
        duration: SignedDuration,
        fail: bool,
        rng: &mut SimRng,
    ) {
        let touched = {
            let resources = self.kind.resources();
            let n = rng.range(2, resources.len().min(4) as i64) as usize;
            let first = rng.range(0, (resources.len() - n) as i64) as usize;
            &resources[first..first + n]
        };
        let total_ms = duration.as_millis().max(20_000) as i64;
        let mut script = Vec::new();
        let mut t_ms: i64 = 0;
        let step = total_ms / (touched.len() as i64 * 2 + 4);
        let at = |rng: &mut SimRng, t: &mut i64| {
            *t += step / 2 + rng.range(0, step.max(1));
            start + SignedDuration::from_millis(*t)
        };
        script.push(self.stack_event(start, "UPDATE_IN_PROGRESS", Some("User Initiated"), rng));
        let failing = fail.then(|| rng.range(0, touched.len() as i64 - 1) as usize);
        for (i, (logical, ty)) in touched.iter().enumerate() {
            script.push(resource_event(
                at(rng, &mut t_ms),
                logical,
                ty,
                "UPDATE_IN_PROGRESS",
                None,
            ));
            if failing == Some(i) {
                let reason = failure_reason(ty, rng);
                script.push(resource_event(
                    at(rng, &mut t_ms),
                    logical,
                    ty,
                    "UPDATE_FAILED",
                    Some(reason),
                ));
                let why = format!("The following resource(s) failed to update: [{logical}]. ");
                script.push(self.stack_event(
                    at(rng, &mut t_ms),
                    "UPDATE_ROLLBACK_IN_PROGRESS",
                    Some(&why),
                    rng,
                ));
                for (back, back_ty) in touched[..i].iter().rev() {
                    script.push(resource_event(
                        at(rng, &mut t_ms),
                        back,
                        back_ty,
                        "UPDATE_IN_PROGRESS",
                        None,
                    ));
                    script.push(resource_event(
                        at(rng, &mut t_ms),
                        back,
                        back_ty,
                        "UPDATE_COMPLETE",
                        None,
                    ));
                }
                script.push(self.stack_event(
                    at(rng, &mut t_ms),
                    "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
                    None,
                    rng,
                ));
                script.push(self.stack_event(
                    at(rng, &mut t_ms),
                    "UPDATE_ROLLBACK_COMPLETE",
                    None,
                    rng,
                ));
                self.script.extend(script);
                return;
            }
            script.push(resource_event(
                at(rng, &mut t_ms),
                logical,
                ty,
                "UPDATE_COMPLETE",
                None,
            ));
        }
        script.push(self.stack_event(
            at(rng, &mut t_ms),
            "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
            None,
            rng,
        ));
        // An API Gateway deployment is replaced on every update: the old one goes during cleanup.
        if let Some((logical, ty)) = touched
            .iter()
            .find(|(_, ty)| *ty == "AWS::ApiGateway::Deployment")
        {
            script.push(resource_event(
                at(rng, &mut t_ms),
                logical,
                ty,
                "DELETE_IN_PROGRESS",
                None,
            ));
            script.push(resource_event(
                at(rng, &mut t_ms),
                logical,
                ty,
                "DELETE_COMPLETE",
                None,
            ));
        }
        script.push(self.stack_event(at(rng, &mut t_ms), "UPDATE_COMPLETE", None, rng));
        self.script.extend(script);
    }

    fn stack_event(
        &self,
        at: Timestamp,
        status: &str,
        reason: Option<&str>,
        rng: &mut SimRng,
    ) -> Scripted {
        Scripted {
            at,
            event: StackEvent::new(StackEventRecord {
                event_id: rng.uuid().into(),
                timestamp: at,
                logical_id: self.name.as_str().into(),
                resource_type: held_once("AWS::CloudFormation::Stack"),
                status: status.into(),
                reason: reason.map(str::to_string),
            }),
            stack_status: true,
        }
    }

    /// Records only the end of an update finished at `at`: the stack-level
    /// event a full trail would end with.
    pub fn settle(&mut self, at: Timestamp, rng: &mut SimRng) {
        let done = self.stack_event(at, "UPDATE_COMPLETE", None, rng);
        self.status = done.event.status.clone();
        self.status_reason = None;
        // Thousands of settled stacks hold this one event: room for one,
        // not the four a first push reserves.
        self.events.reserve_exact(1);
        self.events.insert(0, done.event);
    }

    /// Plays out every scripted event due by `now`.
    pub fn tick(&mut self, now: Timestamp) {
        // Most stacks of a large fleet sit idle: one comparison each.
        if self.script.first().is_none_or(|s| s.at > now) {
            return;
        }
        while self.script.first().is_some_and(|s| s.at <= now) {
            let s = self.script.remove(0);
            if s.stack_status {
                self.status = s.event.status.clone();
                self.status_reason = s.event.reason.clone();
            }
            self.events.insert(0, s.event);
        }
        self.events.truncate(EVENT_HISTORY);
        if self.script.is_empty() {
            // The update is played out; most stacks then sit idle for
            // hours, so its script's buffer goes back, and so does the room
            // its trail grew while it played.
            self.script = Vec::new();
            self.events.shrink_to_fit();
        }
    }

    /// Events newer than `after` (an event id), newest first; all of them
    /// when `after` is unknown or None.
    pub fn events_after(&self, after: Option<&str>) -> Vec<StackEvent> {
        match after.and_then(|id| self.events.iter().position(|e| e.event_id == id)) {
            Some(pos) => self.events[..pos].to_vec(),
            None => self.events.clone(),
        }
    }
}

fn resource_event(
    at: Timestamp,
    logical: &'static str,
    ty: &'static str,
    status: &str,
    reason: Option<String>,
) -> Scripted {
    Scripted {
        at,
        event: StackEvent::new(StackEventRecord {
            // CloudFormation's resource event ids join the logical id, status and time.
            event_id: format!("{logical}-{status}-{at}").into(),
            timestamp: at,
            logical_id: held_once(logical),
            resource_type: held_once(ty),
            status: status.into(),
            reason,
        }),
        stack_status: false,
    }
}

/// One shared copy of each of the stack kinds' resource names and types,
/// for every event of every stack: a large fleet's stacks keep thousands.
fn held_once(s: &'static str) -> SharedStr {
    static HELD: OnceLock<Mutex<HashMap<&'static str, SharedStr>>> = OnceLock::new();
    let mut held = HELD
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    held.entry(s).or_insert_with(|| SharedStr::from(s)).clone()
}

fn failure_reason(resource_type: &str, rng: &mut SimRng) -> String {
    let fitting: Vec<&str> = FAILURE_REASONS
        .iter()
        .filter(|(ty, _)| ty.is_empty() || *ty == resource_type)
        .map(|(_, reason)| *reason)
        .collect();
    rng.pick(&fitting).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack() -> StackSim {
        StackSim::new(&StackSpec {
            flow: "f".into(),
            region: "us-east-1".into(),
            name: "Api".into(),
            kind: StackKind::Api,
        })
    }

    fn t0() -> Timestamp {
        "2026-11-20T02:00:00Z".parse().unwrap()
    }

    #[test]
    fn successful_update_plays_out_in_order_and_ends_complete() {
        let mut s = stack();
        let mut rng = SimRng::new(4);
        s.begin_update(t0(), SignedDuration::from_secs(120), false, &mut rng);
        s.tick(t0());
        assert_eq!(s.status, "UPDATE_IN_PROGRESS");
        assert!(s.busy());
        s.tick(t0() + SignedDuration::from_secs(600));
        assert_eq!(s.status, "UPDATE_COMPLETE");
        assert!(!s.busy());
        assert!(s.last_update_succeeded());
        // Newest first, strictly ordered, unique ids.
        for pair in s.events.windows(2) {
            assert!(pair[0].timestamp > pair[1].timestamp);
        }
        let mut ids: Vec<&str> = s.events.iter().map(|e| e.event_id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), s.events.len());
        let stack_statuses: Vec<&str> = s
            .events
            .iter()
            .rev()
            .filter(|e| e.resource_type == "AWS::CloudFormation::Stack")
            .map(|e| e.status.as_str())
            .collect();
        assert_eq!(
            stack_statuses,
            vec![
                "UPDATE_IN_PROGRESS",
                "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
                "UPDATE_COMPLETE"
            ]
        );
        assert!(
            s.events.iter().any(|e| e.status == "UPDATE_COMPLETE"
                && e.resource_type != "AWS::CloudFormation::Stack")
        );
    }

    #[test]
    fn a_played_out_trail_keeps_no_room_and_hands_out_its_own_records() {
        let mut s = stack();
        let mut rng = SimRng::new(4);
        s.begin_update(t0(), SignedDuration::from_secs(120), false, &mut rng);
        s.tick(t0() + SignedDuration::from_secs(60));
        assert!(s.busy());
        s.tick(t0() + SignedDuration::from_secs(600));
        assert!(!s.busy());
        assert!(s.events.len() > 4, "{}", s.events.len());
        assert_eq!(s.events.capacity(), s.events.len());
        let answer = s.events_after(None);
        assert_eq!(answer.len(), s.events.len());
        assert!(
            answer
                .iter()
                .zip(&s.events)
                .all(|(given, held)| given.is_shared_with(held))
        );
    }

    #[test]
    fn failed_update_names_the_resource_and_rolls_back() {
        let mut s = stack();
        let mut rng = SimRng::new(9);
        s.begin_update(t0(), SignedDuration::from_secs(90), true, &mut rng);
        s.tick(t0() + SignedDuration::from_secs(600));
        assert_eq!(s.status, "UPDATE_ROLLBACK_COMPLETE");
        assert!(!s.last_update_succeeded());
        let failed = s
            .events
            .iter()
            .find(|e| e.status == "UPDATE_FAILED")
            .expect("a failed resource");
        assert!(failed.reason.as_deref().is_some_and(|r| !r.is_empty()));
        assert!(s.events.iter().any(|e| {
            e.status == "UPDATE_ROLLBACK_IN_PROGRESS"
                && e.reason
                    .as_deref()
                    .is_some_and(|r| r.contains(failed.logical_id.as_str()))
        }));
    }

    #[test]
    fn events_after_returns_only_newer_ones() {
        let mut s = stack();
        let mut rng = SimRng::new(2);
        s.begin_update(t0(), SignedDuration::from_secs(120), false, &mut rng);
        s.tick(t0() + SignedDuration::from_secs(30));
        let first = s.events_after(None);
        assert!(!first.is_empty());
        let cursor = first[0].event_id.clone();
        assert!(s.events_after(Some(&cursor)).is_empty());
        s.tick(t0() + SignedDuration::from_secs(600));
        let newer = s.events_after(Some(&cursor));
        assert!(!newer.is_empty());
        assert!(newer.iter().all(|e| e.timestamp > first[0].timestamp));
    }
}
