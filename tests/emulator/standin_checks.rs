//! The stand-in itself, through the AWS SDK's own CodePipeline client (not
//! wavetop's adapter): its answers parse as CodePipeline's, it refuses what
//! CodePipeline refuses with the exceptions the SDK knows by name, its
//! scripts fire when they say, and what it does not answer reaches moto.

use aws_sdk_codepipeline::Client as CodePipeline;
use aws_sdk_codepipeline::types::{
    ApprovalResult, ApprovalStatus, StageRetryMode, StageTransitionType,
};

use super::*;

async fn client(standin: &StandIn) -> CodePipeline {
    CodePipeline::new(&sdk(&standin.url, HOME).await)
}

/// A stand-in serving `fixture` for a pipeline moto does not even hold:
/// everything these checks call is answered by the stand-in.
fn served(url: &str, fixture: &str) -> (StandIn, String) {
    let standin = StandIn::start(url);
    let name = format!("checks-{}", unique());
    standin.serve(PipelineState::fixture(fixture, &name));
    (standin, name)
}

fn approval(status: ApprovalStatus) -> ApprovalResult {
    ApprovalResult::builder()
        .status(status)
        .summary("checked")
        .build()
        .unwrap()
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_scripted_change_lands_after_the_kth_read() {
    let url = emulator();
    let (standin, name) = served(&url, "gates-waiting.json");
    standin.script(&name, When::AfterRead(2), |state, now| {
        state.answer_approval("Europe", "Ireland.Approve", "Approved", "ok", BOB, now);
    });
    let cp = client(&standin).await;
    let ireland =
        |out: &aws_sdk_codepipeline::operation::get_pipeline_state::GetPipelineStateOutput| {
            let stage = out
                .stage_states()
                .iter()
                .find(|s| s.stage_name() == Some("Europe"))
                .unwrap();
            let action = stage
                .action_states()
                .iter()
                .find(|a| a.action_name() == Some("Ireland.Approve"))
                .unwrap();
            let latest = action.latest_execution().unwrap();
            (
                latest.status().unwrap().as_str().to_string(),
                latest.token().map(str::to_string),
                latest.last_updated_by().map(str::to_string),
            )
        };
    for read in 1..=2 {
        let out = cp.get_pipeline_state().name(&name).send().await.unwrap();
        assert_eq!(out.pipeline_name(), Some(name.as_str()));
        assert_eq!(out.pipeline_version(), Some(1));
        assert_eq!(
            ireland(&out),
            ("InProgress".into(), Some(IRELAND_TOKEN.into()), None),
            "read {read}"
        );
    }
    let third = cp.get_pipeline_state().name(&name).send().await.unwrap();
    assert_eq!(
        ireland(&third),
        ("Succeeded".into(), None, Some(BOB.into()))
    );
    assert_eq!(standin.reads(&name), 3);

    let listed = cp
        .list_pipeline_executions()
        .pipeline_name(&name)
        .max_results(2)
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = listed
        .pipeline_execution_summaries()
        .iter()
        .filter_map(|s| s.pipeline_execution_id())
        .collect();
    assert_eq!(ids, [LATEST, PREVIOUS]);
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn states_served_in_turn_follow_the_reads() {
    let url = emulator();
    let (standin, name) = served(&url, "gates-waiting.json");
    let cp = client(&standin).await;
    // One read before the series starts: the series counts from its own start.
    cp.get_pipeline_state().name(&name).send().await.unwrap();
    standin.serve_in_turn(vec![
        PipelineState::fixture("gates-waiting.json", &name),
        PipelineState::fixture("europe-failed.json", &name),
    ]);
    let mut europe = Vec::new();
    for _ in 0..3 {
        let out = cp.get_pipeline_state().name(&name).send().await.unwrap();
        let stage = out
            .stage_states()
            .iter()
            .find(|s| s.stage_name() == Some("Europe"))
            .unwrap();
        let status = stage.latest_execution().unwrap().status().as_str();
        europe.push(status.to_string());
    }
    assert_eq!(europe, ["InProgress", "Failed", "Failed"]);
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn operator_calls_are_refused_as_codepipeline_refuses_them() {
    let url = emulator();
    let (standin, name) = served(&url, "gates-waiting.json");
    let cp = client(&standin).await;
    let approve = |token: &str| {
        cp.put_approval_result()
            .pipeline_name(&name)
            .stage_name("Europe")
            .action_name("Ireland.Approve")
            .result(approval(ApprovalStatus::Approved))
            .token(token)
            .send()
    };

    let wrong = approve(FRANKFURT_TOKEN)
        .await
        .unwrap_err()
        .into_service_error();
    assert!(wrong.is_invalid_approval_token_exception(), "{wrong:?}");
    let answered = approve(IRELAND_TOKEN).await.unwrap();
    assert!(answered.approved_at().is_some());
    let again = approve(IRELAND_TOKEN)
        .await
        .unwrap_err()
        .into_service_error();
    assert!(again.is_approval_already_completed_exception(), "{again:?}");
    let missing = cp
        .put_approval_result()
        .pipeline_name(&name)
        .stage_name("Europe")
        .action_name("Lisbon.Approve")
        .result(approval(ApprovalStatus::Rejected))
        .token(FRANKFURT_TOKEN)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(missing.is_action_not_found_exception(), "{missing:?}");

    let hold = |reason: &str| {
        cp.disable_stage_transition()
            .pipeline_name(&name)
            .stage_name("America")
            .transition_type(StageTransitionType::Inbound)
            .reason(reason)
            .send()
    };
    for bad in ["held: by ops", "a/b", "", &"x".repeat(301)] {
        let e = hold(bad).await.unwrap_err().into_service_error();
        assert!(e.is_validation_exception(), "{bad:?}: {e:?}");
    }
    hold("held by ops (CAB 42)").await.unwrap();
    let nowhere = cp
        .enable_stage_transition()
        .pipeline_name(&name)
        .stage_name("Asia")
        .transition_type(StageTransitionType::Inbound)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(nowhere.is_stage_not_found_exception(), "{nowhere:?}");

    let retry = |stage: &str, id: &str| {
        cp.retry_stage_execution()
            .pipeline_name(&name)
            .stage_name(stage)
            .pipeline_execution_id(id)
            .retry_mode(StageRetryMode::FailedActions)
            .send()
    };
    let succeeded = retry("America", PREVIOUS)
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        succeeded.is_stage_not_retryable_exception(),
        "{succeeded:?}"
    );
    let older = retry("America", OLDEST)
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        older.is_not_latest_pipeline_execution_exception(),
        "{older:?}"
    );

    let stop = |id: &str, abandon: bool| {
        cp.stop_pipeline_execution()
            .pipeline_name(&name)
            .pipeline_execution_id(id)
            .abandon(abandon)
            .reason("checked")
            .send()
    };
    let ended = stop(PREVIOUS, false)
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        ended.is_pipeline_execution_not_stoppable_exception(),
        "{ended:?}"
    );
    stop(LATEST, false).await.unwrap();
    let twice = stop(LATEST, false).await.unwrap_err().into_service_error();
    assert!(twice.is_duplicated_stop_request_exception(), "{twice:?}");
    stop(LATEST, true).await.unwrap();

    let rollback = |target: &str| {
        cp.rollback_stage()
            .pipeline_name(&name)
            .stage_name("America")
            .target_pipeline_execution_id(target)
            .send()
    };
    let current = rollback(PREVIOUS).await.unwrap_err().into_service_error();
    assert!(
        current.is_unable_to_rollback_stage_exception(),
        "{current:?}"
    );
    let rolled = rollback(OLDEST).await.unwrap();
    assert_ne!(rolled.pipeline_execution_id(), OLDEST);

    // Each refusal was recorded with its exception, each success without one.
    let outcomes: Vec<(String, Option<String>)> = standin
        .operator_calls()
        .into_iter()
        .map(|c| (c.operation, c.error))
        .collect();
    assert_eq!(outcomes.len(), 18, "{outcomes:#?}");
    assert_eq!(
        outcomes[1],
        ("PutApprovalResult".to_string(), None),
        "{outcomes:#?}"
    );
    assert_eq!(
        outcomes.last().unwrap(),
        &("RollbackStage".to_string(), None)
    );
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn what_the_standin_does_not_answer_reaches_moto_untouched() {
    let url = emulator();
    let name = format!("passing-{}", unique());
    let declared = seed_gated_pipeline(&url, HOME, &name).await;
    let standin = StandIn::start(&url);
    // Served or not, GetPipeline is moto's.
    standin.serve(PipelineState::fixture("gates-waiting.json", &name));
    let through = json_call(
        &standin.url,
        HOME,
        "CodePipeline_20150709.GetPipeline",
        &json!({ "name": name }),
    );
    assert_eq!(through["pipeline"], declared["pipeline"]);
    let sts = aws_sdk_sts::Client::new(&sdk(&standin.url, HOME).await);
    let who = sts.get_caller_identity().send().await.unwrap();
    assert_eq!(who.arn(), Some(standin.caller.as_str()));

    let calls = standin.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0].operation, "GetPipeline");
    assert_eq!(calls[0].body["name"], name.as_str());
    assert!(calls.iter().all(|c| !c.answered_here), "{calls:#?}");
    assert!(standin.operator_calls().is_empty());
}
