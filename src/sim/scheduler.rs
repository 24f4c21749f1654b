//! EventBridge Scheduler as the simulated world keeps it: one-time hold
//! schedules that open a stage's transition at their time, whether or not
//! any console is running, then delete themselves, as `ActionAfterCompletion:
//! DELETE` does in AWS.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::world::SimWorld;
use crate::domain::hold_schedule::ScheduledOpening;
use crate::protocol::{Observation, SourceError};

/// Who the simulated Scheduler calls CodePipeline as (the role's session).
pub const SCHEDULER_IDENTITY: &str =
    "arn:aws:sts::111111111111:assumed-role/wavetop-scheduler/scheduler";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimSchedule {
    pub name: String,
    pub group: String,
    pub pipeline: String,
    pub stage: String,
    pub at: Timestamp,
    /// The `at(...)` wall-clock time and its zone, as `GetSchedule` returns them.
    #[serde(default)]
    pub at_local: String,
    #[serde(default)]
    pub time_zone: String,
}

/// The instant `at_local` (`YYYY-MM-DDThh:mm:ss`) names in `time_zone`, as
/// Scheduler reads an `at(...)` expression; a validation error otherwise.
pub fn instant_of(at_local: &str, time_zone: &str) -> Result<Timestamp, SourceError> {
    let invalid = |why: String| SourceError::Other(format!("ValidationException: {why}"));
    let zone =
        TimeZone::get(time_zone).map_err(|_| invalid(format!("bad time zone {time_zone}")))?;
    let local: DateTime = at_local
        .parse()
        .map_err(|_| invalid(format!("bad expression at({at_local})")))?;
    local
        .to_zoned(zone)
        .map(|z| z.timestamp())
        .map_err(|e| invalid(e.to_string()))
}

impl SimWorld {
    /// Creates the schedule, replacing one of the same name and group.
    pub(super) fn put_schedule(&mut self, schedule: SimSchedule) -> String {
        let detail = format!(
            "schedule {} opens {}/{} at {}",
            schedule.name, schedule.pipeline, schedule.stage, schedule.at
        );
        self.schedules
            .retain(|s| (s.name.as_str(), s.group.as_str()) != (&schedule.name, &schedule.group));
        self.schedules.push(schedule);
        detail
    }

    /// Deletes the schedule; one that is gone already (it fired) is fine.
    pub(super) fn delete_schedule(&mut self, name: &str, group: &str) -> String {
        let before = self.schedules.len();
        self.schedules
            .retain(|s| (s.name.as_str(), s.group.as_str()) != (name, group));
        if self.schedules.len() < before {
            format!("deleted schedule {name}")
        } else {
            format!("schedule {name} was already gone")
        }
    }

    /// `ListSchedules` by the hold prefix and `GetSchedule` of the `asked`
    /// names in `group`, as one answer.
    pub fn hold_schedules(&self, group: &str, asked: &[String]) -> Observation {
        let found: Vec<ScheduledOpening> = self
            .schedules
            .iter()
            .filter(|s| s.group == group && asked.contains(&s.name))
            .map(|s| ScheduledOpening {
                name: s.name.clone(),
                at: s.at_local.clone(),
                time_zone: s.time_zone.clone(),
            })
            .collect();
        let requests = 1 + u32::try_from(found.len()).unwrap_or(u32::MAX);
        Observation::HoldSchedules {
            asked: asked.to_vec(),
            found,
            requests,
        }
    }

    /// The schedules waiting to fire, for the view of a hold.
    pub fn pending_schedules(&self) -> &[SimSchedule] {
        &self.schedules
    }

    /// Fires every schedule whose time has come: the stage opens, as the
    /// role would open it, and the schedule is gone.
    pub(super) fn fire_schedules(&mut self) {
        let now = self.now;
        let (due, waiting): (Vec<SimSchedule>, Vec<SimSchedule>) =
            std::mem::take(&mut self.schedules)
                .into_iter()
                .partition(|s| s.at <= now);
        self.schedules = waiting;
        for schedule in due {
            // A schedule whose stage is open already, or gone, does nothing,
            // as EnableStageTransition on an open stage changes nothing.
            let _ =
                self.enable_by_schedule(&schedule.pipeline, &schedule.stage, SCHEDULER_IDENTITY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_at_expression_is_read_on_the_zone_s_wall_clock() {
        let at = instant_of("2026-07-01T02:00:00", "Europe/Dublin").unwrap();
        assert_eq!(at, "2026-07-01T01:00:00Z".parse::<Timestamp>().unwrap());
        assert!(instant_of("July 1st, 2 a.m.", "Europe/Dublin").is_err());
        assert!(instant_of("2026-07-01T02:00:00", "Mars/Olympus").is_err());
    }
}
