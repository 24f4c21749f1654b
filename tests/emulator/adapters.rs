//! The AWS adapters against moto directly.

use super::*;

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn discovers_and_polls_a_seeded_fleet() {
    let url = emulator();
    let tag = format!("t{}", unique());
    let pipeline = format!("api-{tag}");
    let stack = format!("api-{tag}");
    seed_pipeline(&url, "us-east-1", &pipeline, &stack).await;
    seed_stack(&url, "eu-west-1", &format!("{stack}-eu-west-1")).await;
    seed_stack(&url, "us-west-2", &format!("{stack}-us-west-2")).await;
    let billing = format!("billing-{tag}");
    seed_stack(&url, "ap-southeast-2", &billing).await;
    let zone = seed_zone(&url, &tag).await;
    let table = format!("orders-{tag}");
    let ddb = aws_sdk_dynamodb::Client::new(&sdk(&url, "us-east-1").await);
    ddb.create_table()
        .table_name(&table)
        .key_schema(
            aws_sdk_dynamodb::types::KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(aws_sdk_dynamodb::types::KeyType::Hash)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            aws_sdk_dynamodb::types::AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(aws_sdk_dynamodb::types::ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .billing_mode(aws_sdk_dynamodb::types::BillingMode::PayPerRequest)
        .send()
        .await
        .expect("CreateTable");

    let cfg = AwsConfig {
        hosted_zones: vec![zone.name.trim_end_matches('.').into()],
        stacks: vec![StackConfig {
            flow: format!("billing-{tag}"),
            region: "ap-southeast-2".into(),
            name: billing.clone(),
        }],
        tables: vec![TableConfig {
            name: table.clone(),
            source_region: "us-east-1".into(),
            flow: Some(pipeline.clone()),
        }],
        ..AwsConfig::default()
    };
    let backend = connect(&url, cfg).await;

    // Discovery: ListPipelines + GetPipeline, STS, the zone's routed records.
    let d = backend.discover().await.expect("discover");
    // Dummy keys given outright, no profile: the header says so.
    assert_eq!(d.fleet_label, "123456789012 (fixed credentials)");
    let flow = d
        .flows
        .iter()
        .find(|f| f.name == pipeline)
        .expect("the pipeline's flow");
    assert_eq!(flow.kind, FlowKind::Pipeline);
    assert_eq!(flow.regions, ["eu-west-1", "us-west-2"]);
    assert_eq!(
        flow.waves
            .iter()
            .map(|w| w.name.as_str())
            .collect::<Vec<_>>(),
        ["Source", "Deploy"]
    );
    let ireland = flow.wave("Deploy").unwrap().cell("eu-west-1").unwrap();
    assert_eq!(
        ireland.stack_names(),
        [format!("{stack}-eu-west-1").as_str()]
    );
    let unmanaged = d
        .flows
        .iter()
        .find(|f| f.name == format!("billing-{tag}"))
        .unwrap();
    assert_eq!(unmanaged.kind, FlowKind::Unmanaged);
    let stacks: Vec<(&str, &str)> = d
        .stacks
        .iter()
        .map(|s| (s.region.as_str(), s.name.as_str()))
        .collect();
    assert!(stacks.contains(&("eu-west-1", format!("{stack}-eu-west-1").as_str())));
    assert!(stacks.contains(&("us-west-2", format!("{stack}-us-west-2").as_str())));
    assert!(stacks.contains(&("ap-southeast-2", billing.as_str())));
    let api = d
        .record_sets
        .iter()
        .find(|s| s.name.starts_with("api."))
        .unwrap();
    assert_eq!(api.policy, RoutingPolicy::Latency);
    let mut api_regions: Vec<&str> = api.records.iter().map(|r| r.region.as_str()).collect();
    api_regions.sort();
    assert_eq!(api_regions, ["eu-west-1", "us-east-1"]);
    assert!(api.records.iter().all(|r| r.health_check_id.is_some()));
    let app = d
        .record_sets
        .iter()
        .find(|s| s.name.starts_with("app."))
        .unwrap();
    assert_eq!(app.policy, RoutingPolicy::Failover);
    let primary = app
        .records
        .iter()
        .find(|r| r.routing_detail.as_deref() == Some("PRIMARY"))
        .unwrap();
    assert_eq!(primary.region, "us-east-1");
    assert_eq!(
        primary.health_check_id.as_deref(),
        Some(zone.primary_check.as_str())
    );

    // The pipeline's flow: moto has no GetPipelineState, so the structure
    // comes back with unknown status, the error is recorded, and the
    // executions (ListPipelineExecutions) are still there.
    let Observation::Flow(polled) = backend
        .poll(PollKey::Flow {
            flow: pipeline.clone(),
        })
        .await
        .expect("flow poll")
    else {
        panic!("expected a flow")
    };
    assert_eq!(polled.waves.len(), 2);
    assert_eq!(polled.executions.len(), 1);
    assert_eq!(polled.executions[0].trigger, "StartPipelineExecution");
    let state_error = backend.partial_errors().into_iter().find(|(k, _)| {
        *k == PollKey::Flow {
            flow: pipeline.clone(),
        }
    });
    assert!(
        matches!(&state_error, Some((_, SourceError::Unreachable(m))) if m == "codepipeline:GetPipelineState: unreadable answer (HTTP 500)"),
        "{state_error:?}"
    );

    // Stacks: status, then events once; a settled stack costs no event read later.
    let key = PollKey::Stacks {
        region: "eu-west-1".into(),
    };
    let Observation::Stacks { stacks, .. } = backend.poll(key.clone()).await.expect("stacks poll")
    else {
        panic!("expected stacks")
    };
    let ours = stacks
        .iter()
        .find(|s| s.name == format!("{stack}-eu-west-1"))
        .unwrap();
    assert_eq!(ours.status, StackStatus::CreateComplete.as_str());
    assert!(
        ours.new_events
            .iter()
            .any(|e| e.status == "CREATE_COMPLETE"
                && e.resource_type == "AWS::CloudFormation::Stack")
    );
    let Observation::Stacks { stacks, .. } = backend.poll(key).await.expect("second stacks poll")
    else {
        panic!("expected stacks")
    };
    assert!(
        stacks
            .iter()
            .find(|s| s.name == format!("{stack}-eu-west-1"))
            .unwrap()
            .new_events
            .is_empty()
    );

    // The unmanaged flow mirrors its stack.
    let Observation::Flow(billing_flow) = backend
        .poll(PollKey::Flow {
            flow: format!("billing-{tag}"),
        })
        .await
        .unwrap()
    else {
        panic!("expected a flow")
    };
    assert_eq!(
        billing_flow.waves[0]
            .cell("ap-southeast-2")
            .unwrap()
            .actions[0]
            .stack_name
            .as_deref(),
        Some(billing.as_str())
    );

    // Health: every check listed with its flags and the region of its record.
    let Observation::Health { checks } = backend.poll(PollKey::Health).await.expect("health poll")
    else {
        panic!("expected health")
    };
    let use1 = checks.iter().find(|c| c.id == zone.api_checks[0]).unwrap();
    assert_eq!(use1.region, "us-east-1");
    assert!(!use1.inverted && !use1.disabled);
    assert_eq!(
        use1.target,
        format!("https://api.us-east-1.{tag}.example.com:443/health")
    );
    let euw1 = checks.iter().find(|c| c.id == zone.api_checks[1]).unwrap();
    assert_eq!(euw1.region, "eu-west-1");
    // Status comes from CloudWatch; when the emulator cannot answer it, it is unknown and the reason recorded.
    if use1.status == HealthStatus::Unknown {
        assert!(
            backend
                .partial_errors()
                .iter()
                .any(|(k, _)| *k == PollKey::Health),
            "{:?}",
            backend.partial_errors()
        );
    }

    // Replication: moto reports the table without replicas in other regions.
    let Observation::Replication(t) = backend
        .poll(PollKey::Replication {
            table: table.clone(),
        })
        .await
        .expect("replication poll")
    else {
        panic!("expected a table")
    };
    assert_eq!(t.replicas.len(), 1);
    assert_eq!(t.replicas[0].region, "us-east-1");
    assert_eq!(t.replicas[0].status, "ACTIVE");
    eprintln!(
        "parts the emulator could not answer: {:?}",
        backend.partial_errors()
    );
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn inverting_a_health_check_is_read_back() {
    let url = emulator();
    let r53 = aws_sdk_route53::Client::new(&sdk(&url, "us-east-1").await);
    let id = seed_health_check(&r53, &format!("drain-{}.example.com", unique())).await;
    let backend = connect(&url, AwsConfig::default()).await;
    assert!(
        backend
            .identity()
            .await
            .unwrap()
            .starts_with("arn:aws:sts::123456789012:")
    );

    let outcome = backend
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: id.clone(),
            inverted: true,
        })
        .await
        .expect("invert");
    assert!(outcome.detail.contains("Inverted=true"));
    let read = r53
        .get_health_check()
        .health_check_id(&id)
        .send()
        .await
        .unwrap();
    let config = read.health_check().unwrap().health_check_config().unwrap();
    assert_eq!(config.inverted(), Some(true));
    assert_ne!(
        config.disabled(),
        Some(true),
        "a drain must never disable the check"
    );

    let Observation::Health { checks } = backend.poll(PollKey::Health).await.unwrap() else {
        panic!("expected health")
    };
    assert!(checks.iter().find(|c| c.id == id).unwrap().inverted);

    backend
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: id.clone(),
            inverted: false,
        })
        .await
        .expect("restore");
    let read = r53
        .get_health_check()
        .health_check_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        read.health_check()
            .unwrap()
            .health_check_config()
            .unwrap()
            .inverted(),
        Some(false)
    );
}

#[tokio::test]
#[ignore = "needs the moto emulator: source scripts/emulator.sh"]
async fn a_missing_health_check_is_not_found() {
    let url = emulator();
    let backend = connect(&url, AwsConfig::default()).await;
    let err = backend
        .execute(OperateCall::SetHealthCheckInverted {
            health_check_id: "no-such-check".into(),
            inverted: true,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, SourceError::NotFound(_)), "{err:?}");
}
