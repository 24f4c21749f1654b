//! Operator calls: each reaches the one API it names with the right
//! arguments, and each refusal AWS can answer keeps its meaning.

use aws_sdk_codepipeline::Client;
use aws_sdk_codepipeline::types::{ApprovalStatus, StageRetryMode, StageTransitionType};
use aws_smithy_mocks::{Rule, mock};
use wavetop::config::schema::AwsConfig;
use wavetop::protocol::{Operate, OperateCall, RetryMode, SourceError};
use wavetop::source::aws::AwsBackend;

use super::fixtures;
use super::support::{Fake, http, json_error, xml_error};

fn backend(fake: &Fake) -> AwsBackend {
    fake.backend(AwsConfig::default(), &["us-east-1"])
}

fn state_with_token(token: &'static str) -> Rule {
    mock!(Client::get_pipeline_state)
        .match_requests(|r| r.name() == Some("api"))
        .then_http_response(move || http(200, &fixtures::get_pipeline_state("api", 3, token)))
}

fn approve(summary: &str) -> OperateCall {
    OperateCall::PutApprovalResult {
        pipeline: "api".into(),
        stage: "NorthAmerica".into(),
        action: "UsWest2.Approve".into(),
        approved: true,
        summary: summary.into(),
    }
}

#[tokio::test]
async fn approval_uses_the_token_read_right_before_and_clips_the_summary() {
    let put = mock!(Client::put_approval_result)
        .match_requests(|r| {
            let result = r.result().unwrap();
            r.token() == Some("tok-fresh")
                && r.pipeline_name() == Some("api")
                && r.stage_name() == Some("NorthAmerica")
                && r.action_name() == Some("UsWest2.Approve")
                && result.status() == &ApprovalStatus::Approved
                && result.summary().chars().count() == 512
        })
        .then_http_response(|| http(200, r#"{"approvedAt":1763700000.0}"#));
    let state = state_with_token("tok-fresh");
    let fake = Fake::new(vec![state.clone(), put.clone()]);
    let outcome = backend(&fake)
        .execute(approve(&"é".repeat(600)))
        .await
        .unwrap();
    assert_eq!((state.num_calls(), put.num_calls()), (1, 1));
    assert!(outcome.detail.contains("approved"), "{}", outcome.detail);
}

#[tokio::test]
async fn a_stale_token_or_an_answered_approval_is_told_apart() {
    let put = mock!(Client::put_approval_result).then_http_response(|| {
        json_error(
            "InvalidApprovalTokenException",
            "The approval request token is not valid",
        )
    });
    let fake = Fake::new(vec![state_with_token("tok-old"), put]);
    let err = backend(&fake).execute(approve("ok")).await.unwrap_err();
    assert!(
        matches!(err, SourceError::InvalidApprovalToken(_)),
        "{err:?}"
    );

    let put = mock!(Client::put_approval_result).then_http_response(|| {
        json_error(
            "ApprovalAlreadyCompletedException",
            "The approval action has already been completed",
        )
    });
    let fake = Fake::new(vec![state_with_token("tok-old"), put]);
    let err = backend(&fake).execute(approve("ok")).await.unwrap_err();
    assert!(
        matches!(err, SourceError::ApprovalAlreadyCompleted(_)),
        "{err:?}"
    );

    // The approval in the state is not waiting (another action asked for): nothing is sent.
    let put = mock!(Client::put_approval_result).then_http_response(|| http(200, "{}"));
    let fake = Fake::new(vec![state_with_token("tok"), put.clone()]);
    let call = OperateCall::PutApprovalResult {
        pipeline: "api".into(),
        stage: "NorthAmerica".into(),
        action: "UsEast2.ApiStack.Deploy".into(),
        approved: false,
        summary: "no".into(),
    };
    let err = backend(&fake).execute(call).await.unwrap_err();
    assert!(
        matches!(err, SourceError::ApprovalAlreadyCompleted(_)),
        "{err:?}"
    );
    assert_eq!(put.num_calls(), 0);
}

fn retry(mode: RetryMode) -> OperateCall {
    OperateCall::RetryStageExecution {
        pipeline: "api".into(),
        stage: "SouthAmerica".into(),
        execution_id: "exec-2".into(),
        mode,
    }
}

#[tokio::test]
async fn retry_sends_the_mode_and_keeps_refusals_apart() {
    let ok = mock!(Client::retry_stage_execution)
        .match_requests(|r| {
            r.retry_mode() == Some(&StageRetryMode::FailedActions)
                && r.pipeline_execution_id() == Some("exec-2")
                && r.stage_name() == Some("SouthAmerica")
        })
        .then_http_response(|| http(200, r#"{"pipelineExecutionId":"exec-2"}"#));
    let refusals = mock!(Client::retry_stage_execution)
        .match_requests(|r| r.retry_mode() == Some(&StageRetryMode::AllActions))
        .sequence()
        .http_response(|| json_error("StageNotRetryableException", "stage is still in progress"))
        .http_response(|| {
            json_error(
                "NotLatestPipelineExecutionException",
                "exec-2 is not the latest",
            )
        })
        .http_response(|| json_error("ThrottlingException", "Rate exceeded"))
        .build();
    let fake = Fake::new(vec![ok, refusals]);
    let b = backend(&fake);
    assert!(b.execute(retry(RetryMode::FailedActions)).await.is_ok());
    assert!(matches!(
        b.execute(retry(RetryMode::AllActions)).await,
        Err(SourceError::StageNotRetryable(_))
    ));
    assert!(matches!(
        b.execute(retry(RetryMode::AllActions)).await,
        Err(SourceError::NotLatestExecution(_))
    ));
    assert!(matches!(
        b.execute(retry(RetryMode::AllActions)).await,
        Err(SourceError::Throttled(_))
    ));
}

#[tokio::test]
async fn holds_use_the_inbound_transition_and_a_reason_aws_accepts() {
    let disable = mock!(Client::disable_stage_transition)
        .match_requests(|r| {
            r.transition_type() == Some(&StageTransitionType::Inbound)
                && r.reason() == Some("Held until 22-00 in us-west-2 - off-hours")
        })
        .then_http_response(|| http(200, "{}"));
    let enable = mock!(Client::enable_stage_transition)
        .match_requests(|r| {
            r.transition_type() == Some(&StageTransitionType::Inbound)
                && r.stage_name() == Some("NorthAmerica")
        })
        .then_http_response(|| http(200, "{}"));
    let fake = Fake::new(vec![disable.clone(), enable.clone()]);
    let b = backend(&fake);
    b.execute(OperateCall::DisableStageTransition {
        pipeline: "api".into(),
        stage: "NorthAmerica".into(),
        reason: "Held until 22:00 in us-west-2 / off-hours".into(),
    })
    .await
    .unwrap();
    b.execute(OperateCall::EnableStageTransition {
        pipeline: "api".into(),
        stage: "NorthAmerica".into(),
    })
    .await
    .unwrap();
    assert_eq!((disable.num_calls(), enable.num_calls()), (1, 1));
}

#[tokio::test]
async fn stop_and_rollback_reach_their_apis() {
    let stop = mock!(Client::stop_pipeline_execution)
        .match_requests(|r| {
            r.abandon() == Some(true)
                && r.pipeline_execution_id() == Some("exec-1")
                && r.reason().is_some_and(|x| x.len() <= 200)
        })
        .then_http_response(|| http(200, r#"{"pipelineExecutionId":"exec-1"}"#));
    let rollback = mock!(Client::rollback_stage)
        .match_requests(|r| {
            r.target_pipeline_execution_id() == Some("exec-0")
                && r.stage_name() == Some("SouthAmerica")
        })
        .sequence()
        .http_response(|| http(200, r#"{"pipelineExecutionId":"exec-3"}"#))
        .http_response(|| json_error("PipelineExecutionOutdatedException", "exec-0 is outdated"))
        .build();
    let fake = Fake::new(vec![stop.clone(), rollback.clone()]);
    let b = backend(&fake);
    b.execute(OperateCall::StopPipelineExecution {
        pipeline: "api".into(),
        execution_id: "exec-1".into(),
        abandon: true,
        reason: "x".repeat(300),
    })
    .await
    .unwrap();
    let rb = OperateCall::RollbackStage {
        pipeline: "api".into(),
        stage: "SouthAmerica".into(),
        target_execution_id: "exec-0".into(),
    };
    let outcome = b.execute(rb.clone()).await.unwrap();
    assert!(outcome.detail.contains("exec-3"));
    assert!(matches!(b.execute(rb).await, Err(SourceError::Conflict(_))));
    assert_eq!((stop.num_calls(), rollback.num_calls()), (1, 2));
}

#[tokio::test]
async fn draining_inverts_the_check_and_never_disables_it() {
    let update = mock!(aws_sdk_route53::Client::update_health_check)
        .match_requests(|r| r.health_check_id() == Some("hc-use1") && r.inverted() == Some(true) && r.disabled().is_none())
        .then_http_response(|| {
            http(200, "<?xml version=\"1.0\"?>\n<UpdateHealthCheckResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HealthCheck>\
                <Id>hc-use1</Id><CallerReference>c</CallerReference><HealthCheckConfig><Port>443</Port><Type>HTTPS</Type>\
                <ResourcePath>/health</ResourcePath><FullyQualifiedDomainName>api.example.com</FullyQualifiedDomainName>\
                <Inverted>true</Inverted><Disabled>false</Disabled></HealthCheckConfig><HealthCheckVersion>3</HealthCheckVersion>\
                </HealthCheck></UpdateHealthCheckResponse>")
        });
    let denied = mock!(aws_sdk_route53::Client::update_health_check)
        .match_requests(|r| r.health_check_id() == Some("hc-other"))
        .then_http_response(|| {
            xml_error(
                403,
                "AccessDenied",
                "not authorized to perform: route53:UpdateHealthCheck",
            )
        });
    let fake = Fake::new(vec![update.clone(), denied]);
    let b = backend(&fake);
    let outcome = b
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: "hc-use1".into(),
            inverted: true,
        })
        .await
        .unwrap();
    assert!(outcome.detail.contains("Inverted=true"));
    let err = b
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: "hc-other".into(),
            inverted: true,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::AccessDenied(_)), "{err:?}");
}

#[tokio::test]
async fn identity_is_read_once_and_expired_credentials_are_named() {
    let sts = mock!(aws_sdk_sts::Client::get_caller_identity)
        .sequence()
        .http_response(|| xml_error(403, "ExpiredToken", "The security token included in the request is expired"))
        .http_response(|| {
            http(200, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>\
                <Arn>arn:aws:sts::111122223333:assumed-role/oncall/alice</Arn><UserId>AROA:alice</UserId><Account>111122223333</Account>\
                </GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>")
        })
        .build();
    let fake = Fake::new(vec![sts.clone()]);
    let b = backend(&fake);
    assert!(matches!(
        b.identity().await,
        Err(SourceError::ExpiredCredentials(_))
    ));
    assert_eq!(
        b.identity().await.unwrap(),
        "arn:aws:sts::111122223333:assumed-role/oncall/alice"
    );
    assert_eq!(
        b.identity().await.unwrap(),
        "arn:aws:sts::111122223333:assumed-role/oncall/alice"
    );
    assert_eq!(sts.num_calls(), 2);
}
