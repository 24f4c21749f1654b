//! Discovery and polling of pipelines against answers shaped as AWS sends them.

use aws_sdk_codepipeline::Client;
use aws_smithy_mocks::mock;
use wavetop::config::schema::{AwsConfig, ChainConfig, StackConfig};
use wavetop::domain::fleet::{
    ActionStatus, CellStatus, ExecutionMode, ExecutionStatus, FlowKind, PipelineType,
};
use wavetop::protocol::{Observation, Observe, PollKey, SourceError};

use super::fixtures;
use super::support::{Fake, caller_identity, http, json_error};

fn list_pages() -> Vec<aws_smithy_mocks::Rule> {
    vec![
        mock!(Client::list_pipelines)
            .match_requests(|r| r.next_token().is_none())
            .then_http_response(|| {
                http(
                    200,
                    r#"{"pipelines":[{"name":"api","version":3,"pipelineType":"V2","executionMode":"QUEUED","created":1763600000.5,"updated":1763650000.25}],"nextToken":"page-2"}"#,
                )
            }),
        mock!(Client::list_pipelines)
            .match_requests(|r| r.next_token() == Some("page-2"))
            .then_http_response(|| {
                http(
                    200,
                    r#"{"pipelines":[{"name":"web","version":1,"pipelineType":"V1"}]}"#,
                )
            }),
    ]
}

fn get_pipeline(name: &'static str, version: i32) -> aws_smithy_mocks::Rule {
    mock!(Client::get_pipeline)
        .match_requests(move |r| r.name() == Some(name))
        .then_http_response(move || http(200, &fixtures::get_pipeline(name, version)))
}

fn flow_of(obs: Observation) -> wavetop::domain::fleet::Flow {
    match obs {
        Observation::Flow(f) => f,
        other => panic!("expected a flow, got {other:?}"),
    }
}

#[tokio::test]
async fn discovery_pages_through_pipelines_and_reads_cross_region_structure() {
    let mut rules = list_pages();
    rules.push(get_pipeline("api", 3));
    rules.push(get_pipeline("web", 1));
    rules.push(caller_identity());
    let fake = Fake::new(rules);
    let cfg = AwsConfig {
        stacks: vec![StackConfig {
            flow: "billing".into(),
            region: "eu-west-1".into(),
            name: "billing-prod".into(),
        }],
        ..AwsConfig::default()
    };
    let backend = fake.backend(cfg, &["us-east-1"]);
    let d = backend.discover().await.expect("discovery");

    assert_eq!(d.fleet_label, "111122223333 (default)");
    let names: Vec<&str> = d.flows.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["api", "web", "billing"]);

    let api = &d.flows[0];
    assert_eq!(api.kind, FlowKind::Pipeline);
    assert_eq!(api.regions, ["sa-east-1", "us-west-2", "us-east-2"]);
    let p = &api.pipelines[0];
    assert_eq!(
        (p.pipeline_type, p.execution_mode, p.version),
        (PipelineType::V2, ExecutionMode::Queued, 3)
    );
    assert_eq!(p.account, "111122223333");
    assert_eq!(p.home_region, "us-east-1");
    let na = api.wave("NorthAmerica").unwrap();
    // The approval has no region of its own: its CDK group deploys to us-west-2.
    let uw2 = na.cell("us-west-2").unwrap();
    assert_eq!(
        uw2.actions
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        [
            "UsWest2.Approve",
            "UsWest2.ApiStack.Prepare",
            "UsWest2.ApiStack.Deploy"
        ]
    );
    assert_eq!(
        uw2.actions[1].stack_name.as_deref(),
        Some("UsWest2-ApiStack")
    );
    assert_eq!(uw2.actions[1].provider, "CloudFormation");
    assert_eq!(uw2.actions[0].category, "Approval");
    assert!(api.wave("Source").unwrap().pre_deploy);

    let web = &d.flows[1];
    assert_eq!(web.pipelines[0].version, 1);

    let billing = &d.flows[2];
    assert_eq!(billing.kind, FlowKind::Unmanaged);
    assert_eq!(billing.waves[0].name, "manual");
    assert_eq!(billing.waves[0].cells[0].region, "eu-west-1");

    let stacks: Vec<(&str, &str, &str)> = d
        .stacks
        .iter()
        .map(|s| (s.flow.as_str(), s.region.as_str(), s.name.as_str()))
        .collect();
    assert!(stacks.contains(&("api", "sa-east-1", "SouthAmerica-ApiStack")));
    assert!(stacks.contains(&("api", "us-east-2", "UsEast2-ApiStack")));
    assert!(stacks.contains(&("billing", "eu-west-1", "billing-prod")));
    // Prepare and Deploy of one stack are one stack; web deploys the same
    // three stacks as api and they are tracked once, under the first flow.
    assert_eq!(d.stacks.len(), 4);
}

#[tokio::test]
async fn chains_group_pipelines_into_one_flow_and_named_pipelines_skip_listing() {
    let list = mock!(Client::list_pipelines).then_output(|| {
        aws_sdk_codepipeline::operation::list_pipelines::ListPipelinesOutput::builder().build()
    });
    let rules = vec![
        list.clone(),
        get_pipeline("api", 3),
        // Found in the second home region only.
        mock!(Client::get_pipeline)
            .match_requests(|r| r.name() == Some("api-eu"))
            .sequence()
            .http_response(|| json_error("PipelineNotFoundException", "no pipeline api-eu"))
            .http_response(|| http(200, &fixtures::get_pipeline("api-eu", 1)))
            .build(),
        caller_identity(),
    ];
    let fake = Fake::new(rules);
    let cfg = AwsConfig {
        pipelines: vec!["api".into()],
        chains: vec![ChainConfig {
            name: "api-global".into(),
            pipelines: vec!["api".into(), "api-eu".into()],
        }],
        ..AwsConfig::default()
    };
    let backend = fake.backend(cfg, &["us-east-1", "eu-west-1"]);
    let d = backend.discover().await.expect("discovery");
    assert_eq!(
        list.num_calls(),
        0,
        "named pipelines are fetched, not listed"
    );
    assert_eq!(d.flows.len(), 1);
    let flow = &d.flows[0];
    assert_eq!(flow.kind, FlowKind::Chained);
    assert_eq!(
        flow.pipelines
            .iter()
            .map(|p| (p.name.as_str(), p.home_region.as_str()))
            .collect::<Vec<_>>(),
        [("api", "us-east-1"), ("api-eu", "eu-west-1")]
    );
    assert_eq!(flow.waves.len(), 8);
    assert_eq!(flow.waves[4].pipeline, "api-eu");
}

struct FlowFake {
    fake: Fake,
    get_pipeline: aws_smithy_mocks::Rule,
    state: aws_smithy_mocks::Rule,
    executions: aws_smithy_mocks::Rule,
}

/// `versions`: the pipeline version each GetPipelineState answer reports.
fn flow_fake(state_versions: Vec<i32>) -> FlowFake {
    let list = mock!(Client::list_pipelines)
        .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api","version":3}]}"#));
    // Discovery reads version 3; any later read finds version 4.
    let get_pipeline = mock!(Client::get_pipeline)
        .then_http_response(|| http(200, &fixtures::get_pipeline("api", 4)));
    let mut seq = mock!(Client::get_pipeline_state).sequence();
    for v in state_versions {
        seq =
            seq.http_response(move || http(200, &fixtures::get_pipeline_state("api", v, "tok-1")));
    }
    let state = seq.build();
    let executions = mock!(Client::list_pipeline_executions)
        .then_http_response(|| http(200, &fixtures::list_pipeline_executions()));
    // NorthAmerica's us-east-2 runs finished after exec-1 started: exec-1's
    // own runs say they are its.
    let action_runs = mock!(Client::list_action_executions)
        .then_http_response(|| http(200, &fixtures::list_action_executions_exec1()));
    let discovery_structure = mock!(Client::get_pipeline)
        .sequence()
        .http_response(|| http(200, &fixtures::get_pipeline("api", 3)))
        .build();
    let fake = Fake::new(vec![
        list,
        discovery_structure,
        get_pipeline.clone(),
        state.clone(),
        executions.clone(),
        action_runs,
        caller_identity(),
    ]);
    FlowFake {
        fake,
        get_pipeline,
        state,
        executions,
    }
}

#[tokio::test]
async fn poll_derives_the_grid_from_state_and_reads_executions() {
    let f = flow_fake(vec![3]);
    let backend = f.fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = flow_of(
        backend
            .poll(PollKey::Flow { flow: "api".into() })
            .await
            .unwrap(),
    );

    let sa = flow.wave("SouthAmerica").unwrap();
    assert_eq!(sa.cell("sa-east-1").unwrap().status(), CellStatus::Failed);
    let deploy = &sa.cell("sa-east-1").unwrap().actions[1];
    assert_eq!(deploy.status, ActionStatus::Failed);
    assert_eq!(
        deploy.error.as_deref(),
        Some("Stack SouthAmerica-ApiStack is in UPDATE_ROLLBACK_COMPLETE state")
    );
    assert_eq!(sa.execution_id.as_deref(), Some("exec-2"));

    let na = flow.wave("NorthAmerica").unwrap();
    assert!(!na.transition.enabled);
    assert_eq!(
        na.transition.disabled_reason.as_deref(),
        Some("Held until us-west-2 off-hours")
    );
    assert_eq!(
        na.transition.changed_by.as_deref(),
        Some("arn:aws:sts::111122223333:assumed-role/oncall/alice")
    );
    let uw2 = na.cell("us-west-2").unwrap();
    assert_eq!(uw2.status(), CellStatus::AwaitingApproval);
    assert!(
        uw2.pending_approval()
            .unwrap()
            .approval
            .as_ref()
            .unwrap()
            .token_present
    );
    assert_eq!(
        na.cell("us-east-2").unwrap().status(),
        CellStatus::Succeeded
    );
    assert_eq!(flow.pending_approvals(), 1);
    assert_eq!(flow.holds(), 1);

    assert_eq!(flow.executions.len(), 2);
    let latest = flow.latest_execution().unwrap();
    assert_eq!(latest.id, "exec-2");
    assert_eq!(latest.status, ExecutionStatus::Failed);
    assert_eq!(latest.trigger, "CloudWatchEvent");
    assert_eq!(latest.revision_id.as_deref(), Some("9f1c2e7"));
    // A connection's summary is a JSON document; the operator reads its message.
    assert_eq!(
        latest.revision_summary.as_deref(),
        Some("fix: retry budget")
    );
    assert_eq!(
        flow.executions[1].revision_summary.as_deref(),
        Some("feat: new endpoint")
    );
    // A finished execution took from its start to its last update, whatever the time now.
    assert_eq!(latest.duration_secs(jiff::Timestamp::MAX), 600);
    assert_eq!(flow.executions[1].trigger, "StartPipelineExecution");
}

#[tokio::test]
async fn structure_is_read_again_only_when_the_version_changes() {
    // Same version twice, then version 4.
    let f = flow_fake(vec![3, 3, 4]);
    let backend = f.fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let key = PollKey::Flow { flow: "api".into() };
    backend.poll(key.clone()).await.unwrap();
    backend.poll(key.clone()).await.unwrap();
    assert_eq!(
        f.get_pipeline.num_calls(),
        0,
        "version unchanged: no GetPipeline"
    );
    assert_eq!(
        f.executions.num_calls(),
        1,
        "state unchanged: executions not listed again"
    );
    let flow = flow_of(backend.poll(key).await.unwrap());
    assert_eq!(f.get_pipeline.num_calls(), 1);
    assert_eq!(f.state.num_calls(), 3);
    assert_eq!(flow.pipelines[0].version, 4);
    // The state changed with the version (the version is part of the answer).
    assert_eq!(f.executions.num_calls(), 2);
}

#[tokio::test]
async fn a_backend_reading_once_answers_a_flow_alike_then_lets_its_pipelines_go() {
    let key = PollKey::Flow { flow: "api".into() };
    let kept = flow_fake(vec![3]);
    let backend = kept.fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let expected = flow_of(backend.poll(key.clone()).await.unwrap());

    let once = flow_fake(vec![3, 3]);
    let backend = once.fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.read_once();
    backend.discover().await.unwrap();
    let first = flow_of(backend.poll(key.clone()).await.unwrap());
    assert_eq!(first.waves, expected.waves);
    assert_eq!(first.executions, expected.executions);
    assert_eq!(first.pipelines, expected.pipelines);

    // The snapshot polls a flow once: what a second poll would need is gone.
    let again = flow_of(backend.poll(key).await.unwrap());
    assert!(again.pipelines.is_empty(), "{:?}", again.pipelines);
    assert_eq!(
        once.state.num_calls(),
        1,
        "nothing is read for a pipeline let go"
    );
}

#[tokio::test]
async fn a_denied_state_read_still_shows_the_structure_and_records_why() {
    let rules = vec![
        mock!(Client::list_pipelines)
            .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api"}]}"#)),
        get_pipeline("api", 3),
        mock!(Client::get_pipeline_state).then_http_response(|| {
            json_error(
                "AccessDeniedException",
                "User is not authorized to perform: codepipeline:GetPipelineState",
            )
        }),
        mock!(Client::list_pipeline_executions)
            .then_http_response(|| http(200, &fixtures::list_pipeline_executions())),
        caller_identity(),
    ];
    let fake = Fake::new(rules);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = flow_of(
        backend
            .poll(PollKey::Flow { flow: "api".into() })
            .await
            .unwrap(),
    );
    assert_eq!(flow.waves.len(), 4);
    assert!(
        flow.waves
            .iter()
            .flat_map(|w| &w.cells)
            .all(|c| c.status() == CellStatus::NotStarted)
    );
    assert_eq!(flow.executions.len(), 2);
    let errors = backend.partial_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, PollKey::Flow { flow: "api".into() });
    assert!(matches!(errors[0].1, SourceError::AccessDenied(_)));
}

#[tokio::test]
async fn once_state_was_read_throttling_fails_the_poll_instead_of_blanking_it() {
    type Check = fn(&SourceError) -> bool;
    let cases: [(&str, Check); 3] = [
        ("ThrottlingException", |e| {
            matches!(e, SourceError::Throttled(_))
        }),
        ("ExpiredTokenException", |e| {
            matches!(e, SourceError::ExpiredCredentials(_))
        }),
        ("PipelineNotFoundException", |e| {
            matches!(e, SourceError::NotFound(_))
        }),
    ];
    for (code, check) in cases {
        let rules = vec![
            mock!(Client::list_pipelines)
                .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api"}]}"#)),
            get_pipeline("api", 3),
            mock!(Client::get_pipeline_state)
                .sequence()
                .http_response(|| http(200, &fixtures::get_pipeline_state("api", 3, "tok")))
                .http_response(move || json_error(code, "no"))
                .build(),
            mock!(Client::list_pipeline_executions)
                .then_http_response(|| http(200, &fixtures::list_pipeline_executions())),
            mock!(Client::list_action_executions)
                .then_http_response(|| http(200, &fixtures::list_action_executions_exec1())),
            caller_identity(),
        ];
        let fake = Fake::new(rules);
        let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
        backend.discover().await.unwrap();
        let key = PollKey::Flow { flow: "api".into() };
        backend.poll(key.clone()).await.unwrap();
        let err = backend.poll(key).await.unwrap_err();
        assert!(check(&err), "{code} gave {err:?}");
    }
}

#[tokio::test]
async fn throttled_before_any_state_was_read_the_structure_is_still_shown() {
    let rules = vec![
        mock!(Client::list_pipelines)
            .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api"}]}"#)),
        get_pipeline("api", 3),
        mock!(Client::get_pipeline_state)
            .then_http_response(|| json_error("ThrottlingException", "Rate exceeded")),
        mock!(Client::list_pipeline_executions)
            .then_http_response(|| http(200, &fixtures::list_pipeline_executions())),
        caller_identity(),
    ];
    let fake = Fake::new(rules);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    backend.discover().await.unwrap();
    let flow = flow_of(
        backend
            .poll(PollKey::Flow { flow: "api".into() })
            .await
            .unwrap(),
    );
    assert_eq!(flow.waves.len(), 4);
    assert!(matches!(
        backend.partial_errors()[0].1,
        SourceError::Throttled(_)
    ));
}

#[tokio::test]
async fn discovery_fails_clearly_on_denied_listing() {
    let rules = vec![
        mock!(Client::list_pipelines).then_http_response(|| {
            json_error(
                "AccessDeniedException",
                "not authorized to perform: codepipeline:ListPipelines",
            )
        }),
        caller_identity(),
    ];
    let fake = Fake::new(rules);
    let backend = fake.backend(AwsConfig::default(), &["us-east-1"]);
    let err = backend.discover().await.unwrap_err();
    assert!(
        matches!(&err, SourceError::AccessDenied(m) if m.contains("codepipeline:ListPipelines")),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_same_pipeline_name_in_two_accounts_gets_two_flows_and_calls_use_the_real_name() {
    use wavetop::config::schema::AccountConfig;
    use wavetop::protocol::{Operate, OperateCall};
    let enable = mock!(Client::enable_stage_transition)
        .match_requests(|r| r.pipeline_name() == Some("api"))
        .then_http_response(|| http(200, "{}"));
    let rules = vec![
        mock!(Client::list_pipelines)
            .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api"}]}"#)),
        get_pipeline("api", 3),
        enable.clone(),
        caller_identity(),
    ];
    let fake = Fake::new(rules);
    let cfg = AwsConfig {
        accounts: vec![AccountConfig {
            name: "prod".into(),
            profile: "prod-admin".into(),
            home_regions: vec!["eu-west-1".into()],
        }],
        ..AwsConfig::default()
    };
    let backend = fake.backend(cfg, &["us-east-1"]);
    let d = backend.discover().await.unwrap();
    assert_eq!(
        d.fleet_label,
        "111122223333 (default), 111122223333 (prod-admin)"
    );
    let keys: Vec<(&str, &str)> = d
        .flows
        .iter()
        .map(|f| (f.name.as_str(), f.pipelines[0].home_region.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("api@us-east-1", "us-east-1"),
            ("api@eu-west-1", "eu-west-1")
        ]
    );
    assert_eq!(d.flows[1].waves[0].pipeline, "api@eu-west-1");
    backend
        .execute(OperateCall::EnableStageTransition {
            pipeline: "api@eu-west-1".into(),
            stage: "NorthAmerica".into(),
        })
        .await
        .unwrap();
    assert_eq!(enable.num_calls(), 1);
}

#[tokio::test]
async fn an_unreadable_extra_account_or_zone_is_left_out_and_said_so() {
    use wavetop::config::schema::AccountConfig;
    let sts = mock!(aws_sdk_sts::Client::get_caller_identity)
        .sequence()
        .http_response(|| {
            http(200, "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/ci</Arn>\
                <UserId>AIDA</UserId><Account>111122223333</Account></GetCallerIdentityResult></GetCallerIdentityResponse>")
        })
        .http_response(|| super::support::xml_error(403, "ExpiredToken", "The security token included in the request is expired"))
        .build();
    let no_zone = mock!(aws_sdk_route53::Client::list_hosted_zones_by_name).then_http_response(|| {
        http(200, "<ListHostedZonesByNameResponse><HostedZones></HostedZones><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListHostedZonesByNameResponse>")
    });
    let rules = vec![
        mock!(Client::list_pipelines)
            .then_http_response(|| http(200, r#"{"pipelines":[{"name":"api"}]}"#)),
        get_pipeline("api", 3),
        sts,
        no_zone,
    ];
    let fake = Fake::new(rules);
    let cfg = AwsConfig {
        hosted_zones: vec!["missing.example.com".into()],
        accounts: vec![AccountConfig {
            name: "prod".into(),
            profile: "prod-admin".into(),
            home_regions: vec![],
        }],
        ..AwsConfig::default()
    };
    let backend = fake.backend(cfg, &["us-east-1"]);
    let d = backend.discover().await.unwrap();
    assert_eq!(
        d.fleet_label,
        "111122223333 (default), prod-admin: unavailable"
    );
    assert_eq!(d.flows.len(), 1);
    assert!(d.record_sets.is_empty());
    assert_eq!(d.hosted_zones, ["missing.example.com"]);
    let told: Vec<(&str, Option<&str>, Option<&str>)> = d
        .errors
        .iter()
        .map(|e| (e.source.as_str(), e.call.as_deref(), e.region.as_deref()))
        .collect();
    assert_eq!(
        told,
        [
            (
                "account prod",
                Some("sts:GetCallerIdentity"),
                Some("us-east-1")
            ),
            (
                "hosted zone missing.example.com",
                Some("route53:ListHostedZonesByName"),
                Some("us-east-1")
            ),
        ]
    );
    assert!(d.errors[0].message.starts_with("credentials expired: "));
    assert_eq!(
        d.errors[1].message,
        "not found: route53:ListHostedZonesByName: no hosted zone is named missing.example.com."
    );
    assert!(
        backend.partial_errors().is_empty(),
        "no poll answered in part"
    );
}
