//! EventBridge Scheduler: the one-time schedule that opens a held stage at
//! its window, its removal on release, and reading it back for the view.

use aws_sdk_scheduler::Client;
use aws_sdk_scheduler::types::{
    ActionAfterCompletion, FlexibleTimeWindow, FlexibleTimeWindowMode, Target,
};

use super::errors::map_sdk_error;
use crate::domain::hold_schedule::{SCHEDULE_NAME_PREFIX, ScheduledOpening};
use crate::protocol::{Observation, SourceError};

/// Scheduler's universal target for CodePipeline's EnableStageTransition.
pub const ENABLE_TRANSITION_TARGET: &str =
    "arn:aws:scheduler:::aws-sdk:codepipeline:enableStageTransition";

/// A hold's schedule, with the pipeline named as AWS knows it.
pub struct HoldScheduleSpec<'a> {
    pub name: &'a str,
    pub group: &'a str,
    pub role_arn: &'a str,
    pub pipeline: &'a str,
    pub stage: &'a str,
    pub at_local: &'a str,
    pub time_zone: &'a str,
}

impl HoldScheduleSpec<'_> {
    /// The request body the universal target sends to EnableStageTransition.
    pub fn input(&self) -> String {
        serde_json::json!({
            "PipelineName": self.pipeline,
            "StageName": self.stage,
            "TransitionType": "Inbound",
        })
        .to_string()
    }

    fn target(&self) -> Result<Target, SourceError> {
        Target::builder()
            .arn(ENABLE_TRANSITION_TARGET)
            .role_arn(self.role_arn)
            .input(self.input())
            .build()
            .map_err(|e| SourceError::Other(format!("scheduler target: {e}")))
    }
}

fn off() -> Result<FlexibleTimeWindow, SourceError> {
    FlexibleTimeWindow::builder()
        .mode(FlexibleTimeWindowMode::Off)
        .build()
        .map_err(|e| SourceError::Other(format!("scheduler window: {e}")))
}

/// Fills in what CreateSchedule and UpdateSchedule both take (their
/// builders are distinct types with the same setters).
macro_rules! hold_schedule_fields {
    ($builder:expr, $spec:expr) => {
        $builder
            .name($spec.name)
            .group_name($spec.group)
            .schedule_expression(format!("at({})", $spec.at_local))
            .schedule_expression_timezone($spec.time_zone)
            .flexible_time_window(off()?)
            .target($spec.target()?)
            .action_after_completion(ActionAfterCompletion::Delete)
            .description(format!(
                "wavetop: opens {}/{} at the window",
                $spec.pipeline, $spec.stage
            ))
    };
}

/// Creates the hold's schedule. A schedule of that name already there (an
/// earlier hold of the same stage whose schedule never fired) is replaced:
/// the stage has one hold, and it opens at this one's time.
pub async fn create_hold_schedule(
    client: &Client,
    spec: &HoldScheduleSpec<'_>,
) -> Result<String, SourceError> {
    let created = hold_schedule_fields!(client.create_schedule(), spec)
        .send()
        .await
        .map_err(|e| map_sdk_error("scheduler:CreateSchedule", e));
    let verb = match created {
        Ok(_) => "created",
        Err(SourceError::Conflict(_)) => {
            hold_schedule_fields!(client.update_schedule(), spec)
                .send()
                .await
                .map_err(|e| map_sdk_error("scheduler:UpdateSchedule", e))?;
            "replaced"
        }
        Err(e) => return Err(e),
    };
    Ok(format!(
        "{verb} schedule {} in {}: at({}) {} opens {}/{}",
        spec.name, spec.group, spec.at_local, spec.time_zone, spec.pipeline, spec.stage
    ))
}

/// Deletes the hold's schedule; one already gone (it fired and deleted
/// itself, or nobody made one) is what a release wants anyway.
pub async fn delete_hold_schedule(
    client: &Client,
    name: &str,
    group: &str,
) -> Result<String, SourceError> {
    match client
        .delete_schedule()
        .name(name)
        .group_name(group)
        .send()
        .await
        .map_err(|e| map_sdk_error("scheduler:DeleteSchedule", e))
    {
        Ok(_) => Ok(format!("deleted schedule {name}")),
        Err(SourceError::NotFound(_)) => Ok(format!("schedule {name} was already gone")),
        Err(e) => Err(e),
    }
}

/// The asked hold schedules that exist in `group`, and when each fires: one
/// `ListSchedules` by the hold prefix (every page), then `GetSchedule` only
/// for the listed names among `asked`. A schedule gone between the two (it
/// fired) is simply not found.
pub async fn read_hold_schedules(
    client: &Client,
    group: &str,
    asked: &[String],
) -> Result<Observation, SourceError> {
    let mut listed = Vec::new();
    let mut next: Option<String> = None;
    let mut requests = 0u32;
    loop {
        let page = client
            .list_schedules()
            .group_name(group)
            .name_prefix(SCHEDULE_NAME_PREFIX)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| map_sdk_error("scheduler:ListSchedules", e))?;
        requests += 1;
        listed.extend(
            page.schedules()
                .iter()
                .filter_map(|s| s.name().map(str::to_string)),
        );
        next = page.next_token().map(str::to_string);
        if next.is_none() {
            break;
        }
    }
    let mut found = Vec::new();
    for name in asked.iter().filter(|n| listed.contains(n)) {
        requests += 1;
        let got = client
            .get_schedule()
            .name(name)
            .group_name(group)
            .send()
            .await
            .map_err(|e| map_sdk_error("scheduler:GetSchedule", e));
        let schedule = match got {
            Ok(schedule) => schedule,
            Err(SourceError::NotFound(_)) => continue,
            Err(e) => return Err(e),
        };
        let Some(at) = schedule
            .schedule_expression()
            .and_then(|e| e.strip_prefix("at("))
            .and_then(|e| e.strip_suffix(')'))
        else {
            // Not a one-time schedule: not one wavetop made, whatever its name.
            continue;
        };
        found.push(ScheduledOpening {
            name: name.clone(),
            at: at.to_string(),
            time_zone: schedule
                .schedule_expression_timezone()
                .unwrap_or("UTC")
                .to_string(),
        });
    }
    Ok(Observation::HoldSchedules {
        asked: asked.to_vec(),
        found,
        requests,
    })
}
