//! Hold schedules: CreateSchedule carries the expression, zone, universal
//! target and input that open the stage at the window; a name already taken
//! is replaced; DeleteSchedule of a schedule that fired is a success.
//! Reading them back: every ListSchedules page, GetSchedule only for the
//! holds asked, a denied list an error (the hold's schedule is unknown).

use aws_sdk_scheduler::Client;
use aws_sdk_scheduler::types::{ActionAfterCompletion, FlexibleTimeWindowMode};
use aws_smithy_mocks::mock;
use wavetop::config::schema::AwsConfig;
use wavetop::domain::hold_schedule::ScheduledOpening;
use wavetop::protocol::{Observation, Observe, Operate, OperateCall, PollKey, SourceError};
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

fn read_key(names: &[&str]) -> PollKey {
    PollKey::HoldSchedules {
        account: String::new(),
        region: "eu-west-1".into(),
        group: "wavetop-holds".into(),
        names: names.iter().map(|n| n.to_string()).collect(),
    }
}

const EUROPE: &str = "wavetop-hold-checkout.Europe";
const ASIA: &str = "wavetop-hold-checkout.Asia";

fn listed(names: &[&str], next: Option<&str>) -> String {
    let schedules: Vec<serde_json::Value> = names
        .iter()
        .map(|n| serde_json::json!({"Name": n, "GroupName": "wavetop-holds", "State": "ENABLED"}))
        .collect();
    let mut page = serde_json::json!({ "Schedules": schedules });
    if let Some(token) = next {
        page["NextToken"] = token.into();
    }
    page.to_string()
}

#[tokio::test]
async fn every_page_of_the_list_is_read_and_only_asked_schedules_are_got() {
    let first = mock!(Client::list_schedules)
        .match_requests(|r| {
            r.next_token().is_none()
                && r.group_name() == Some("wavetop-holds")
                && r.name_prefix() == Some("wavetop-hold-")
        })
        .then_http_response(|| http(200, &listed(&["wavetop-hold-other.Stage"], Some("p2"))));
    let second = mock!(Client::list_schedules)
        .match_requests(|r| r.next_token() == Some("p2"))
        .then_http_response(|| http(200, &listed(&[EUROPE], None)));
    let get = mock!(Client::get_schedule)
        .match_requests(|r| r.name() == Some(EUROPE) && r.group_name() == Some("wavetop-holds"))
        .then_http_response(|| {
            http(
                200,
                r#"{"Name":"wavetop-hold-checkout.Europe","GroupName":"wavetop-holds",
                    "ScheduleExpression":"at(2026-12-01T02:00:00)",
                    "ScheduleExpressionTimezone":"Europe/Dublin"}"#,
            )
        });
    let fake = Fake::new(vec![first.clone(), second.clone(), get.clone()]);
    let answer = backend(&fake)
        .poll(read_key(&[EUROPE, ASIA]))
        .await
        .unwrap();
    assert_eq!(
        answer,
        Observation::HoldSchedules {
            asked: vec![EUROPE.into(), ASIA.into()],
            found: vec![ScheduledOpening {
                name: EUROPE.into(),
                at: "2026-12-01T02:00:00".into(),
                time_zone: "Europe/Dublin".into(),
            }],
            requests: 3,
        }
    );
    // Asia was not listed: no GetSchedule for it, nor for another's hold.
    assert_eq!(
        (first.num_calls(), second.num_calls(), get.num_calls()),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn a_list_wavetop_may_not_read_is_an_error_not_an_empty_answer() {
    let denied = mock!(Client::list_schedules)
        .then_http_response(|| json_error("AccessDeniedException", "not authorized"));
    let fake = Fake::new(vec![denied]);
    let err = backend(&fake).poll(read_key(&[EUROPE])).await.unwrap_err();
    assert!(matches!(err, SourceError::AccessDenied(_)), "{err:?}");
    assert!(err.to_string().contains("scheduler:ListSchedules"), "{err}");
}

#[tokio::test]
async fn a_schedule_that_fired_between_list_and_get_is_simply_not_there() {
    let list =
        mock!(Client::list_schedules).then_http_response(|| http(200, &listed(&[EUROPE], None)));
    let gone = mock!(Client::get_schedule)
        .then_http_response(|| json_error("ResourceNotFoundException", "Schedule does not exist."));
    let fake = Fake::new(vec![list, gone.clone()]);
    let answer = backend(&fake).poll(read_key(&[EUROPE])).await.unwrap();
    assert_eq!(gone.num_calls(), 1);
    let Observation::HoldSchedules { found, .. } = answer else {
        panic!("{answer:?}");
    };
    assert!(found.is_empty());
}
