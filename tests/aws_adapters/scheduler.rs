//! Hold schedules: CreateSchedule carries the expression, zone, universal
//! target and input that open the stage at the window; a name already taken
//! is replaced; DeleteSchedule of a schedule that fired is a success.

use aws_sdk_scheduler::Client;
use aws_sdk_scheduler::types::{ActionAfterCompletion, FlexibleTimeWindowMode};
use aws_smithy_mocks::mock;
use wavetop::config::schema::AwsConfig;
use wavetop::protocol::{Operate, OperateCall, SourceError};
use wavetop::source::aws::AwsBackend;

use super::support::{Fake, http, json_error};

const ROLE: &str = "arn:aws:iam::123456789012:role/wavetop-scheduler";

fn backend(fake: &Fake) -> AwsBackend {
    fake.backend(AwsConfig::default(), &["eu-west-1"])
}

fn create() -> OperateCall {
    OperateCall::CreateHoldSchedule {
        pipeline: "checkout".into(),
        stage: "Europe".into(),
        name: "wavetop-hold-checkout.Europe".into(),
        group: "wavetop-holds".into(),
        role_arn: ROLE.into(),
        at_local: "2026-12-01T02:00:00".into(),
        time_zone: "Europe/Dublin".into(),
    }
}

fn delete() -> OperateCall {
    OperateCall::DeleteHoldSchedule {
        pipeline: "checkout".into(),
        name: "wavetop-hold-checkout.Europe".into(),
        group: "wavetop-holds".into(),
    }
}

const CREATED: &str = r#"{"ScheduleArn":"arn:aws:scheduler:eu-west-1:123456789012:schedule/wavetop-holds/wavetop-hold-checkout.Europe"}"#;

#[tokio::test]
async fn the_schedule_opens_the_stage_at_the_window_in_the_region_s_zone_then_deletes_itself() {
    let put = mock!(Client::create_schedule)
        .match_requests(|r| {
            let target = r.target().unwrap();
            let input: serde_json::Value = serde_json::from_str(target.input().unwrap()).unwrap();
            r.name() == Some("wavetop-hold-checkout.Europe")
                && r.group_name() == Some("wavetop-holds")
                && r.schedule_expression() == Some("at(2026-12-01T02:00:00)")
                && r.schedule_expression_timezone() == Some("Europe/Dublin")
                && r.flexible_time_window().unwrap().mode() == &FlexibleTimeWindowMode::Off
                && r.action_after_completion() == Some(&ActionAfterCompletion::Delete)
                && target.arn() == "arn:aws:scheduler:::aws-sdk:codepipeline:enableStageTransition"
                && target.role_arn() == ROLE
                && input
                    == serde_json::json!({
                        "PipelineName": "checkout",
                        "StageName": "Europe",
                        "TransitionType": "Inbound",
                    })
        })
        .then_http_response(|| http(200, CREATED));
    let fake = Fake::new(vec![put.clone()]);
    let outcome = backend(&fake).execute(create()).await.unwrap();
    assert_eq!(put.num_calls(), 1);
    assert!(
        outcome.detail.starts_with("created schedule"),
        "{}",
        outcome.detail
    );
}

#[tokio::test]
async fn a_schedule_left_from_an_earlier_hold_is_replaced_with_this_hold_s_time() {
    let put = mock!(Client::create_schedule).then_http_response(|| {
        json_error(
            "ConflictException",
            "Schedule wavetop-hold-checkout.Europe already exists.",
        )
    });
    let update = mock!(Client::update_schedule)
        .match_requests(|r| {
            r.name() == Some("wavetop-hold-checkout.Europe")
                && r.schedule_expression() == Some("at(2026-12-01T02:00:00)")
                && r.action_after_completion() == Some(&ActionAfterCompletion::Delete)
        })
        .then_http_response(|| http(200, CREATED));
    let fake = Fake::new(vec![put.clone(), update.clone()]);
    let outcome = backend(&fake).execute(create()).await.unwrap();
    assert_eq!((put.num_calls(), update.num_calls()), (1, 1));
    assert!(
        outcome.detail.starts_with("replaced schedule"),
        "{}",
        outcome.detail
    );
}

#[tokio::test]
async fn a_role_wavetop_may_not_pass_is_access_denied() {
    let put = mock!(Client::create_schedule).then_http_response(|| {
        json_error(
            "AccessDeniedException",
            "User is not authorized to perform: iam:PassRole",
        )
    });
    let fake = Fake::new(vec![put]);
    let err = backend(&fake).execute(create()).await.unwrap_err();
    assert!(matches!(err, SourceError::AccessDenied(_)), "{err:?}");
    assert!(
        err.to_string().contains("scheduler:CreateSchedule"),
        "{err}"
    );
}

#[tokio::test]
async fn releasing_a_hold_whose_schedule_fired_already_is_fine() {
    let gone = mock!(Client::delete_schedule)
        .match_requests(|r| {
            r.name() == Some("wavetop-hold-checkout.Europe")
                && r.group_name() == Some("wavetop-holds")
        })
        .then_http_response(|| {
            json_error(
                "ResourceNotFoundException",
                "Schedule wavetop-hold-checkout.Europe does not exist.",
            )
        });
    let fake = Fake::new(vec![gone.clone()]);
    let outcome = backend(&fake).execute(delete()).await.unwrap();
    assert_eq!(gone.num_calls(), 1);
    assert!(
        outcome.detail.contains("already gone"),
        "{}",
        outcome.detail
    );

    let deleted = mock!(Client::delete_schedule).then_http_response(|| http(200, "{}"));
    let fake = Fake::new(vec![deleted]);
    let outcome = backend(&fake).execute(delete()).await.unwrap();
    assert_eq!(
        outcome.detail,
        "deleted schedule wavetop-hold-checkout.Europe"
    );

    let denied = mock!(Client::delete_schedule)
        .then_http_response(|| json_error("AccessDeniedException", "not authorized"));
    let fake = Fake::new(vec![denied]);
    let err = backend(&fake).execute(delete()).await.unwrap_err();
    assert!(matches!(err, SourceError::AccessDenied(_)), "{err:?}");
}
