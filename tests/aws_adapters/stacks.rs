//! Stack status and events: one listing per region, events newest first,
//! read only while a stack moves and only down to the last event seen.

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::types::{ResourceStatus, Stack, StackEvent, StackStatus};
use aws_smithy_mocks::{Rule, mock};
use wavetop::config::schema::{AwsConfig, StackConfig};
use wavetop::domain::fleet::{ActionStatus, FlowKind};
use wavetop::protocol::{Observation, Observe, PollKey, SourceError, StackObservation};

use super::support::{Fake, caller_identity, dt, xml_error};

fn stack(name: &str, status: StackStatus, updated: i64) -> Stack {
    Stack::builder()
        .stack_name(name)
        .stack_id(format!(
            "arn:aws:cloudformation:eu-west-1:111122223333:stack/{name}/1"
        ))
        .creation_time(dt(1_763_000_000))
        .last_updated_time(dt(updated))
        .stack_status(status)
        .build()
}

fn event(stack: &str, n: u32, status: ResourceStatus) -> StackEvent {
    StackEvent::builder()
        .stack_name(stack)
        .event_id(format!("{stack}-ev{n}"))
        .logical_resource_id(format!("Res{n}"))
        .resource_type("AWS::Lambda::Function")
        .resource_status(status)
        .resource_status_reason(format!("reason {n}"))
        .timestamp(dt(1_763_700_000 + i64::from(n)))
        .build()
}

/// Events `from..=to`, newest first, as one page.
fn page(stack: &str, newest: u32, oldest: u32, next: Option<&str>) -> DescribeStackEventsOutput {
    DescribeStackEventsOutput::builder()
        .set_stack_events(Some(
            (oldest..=newest)
                .rev()
                .map(|n| event(stack, n, ResourceStatus::UpdateComplete))
                .collect(),
        ))
        .set_next_token(next.map(str::to_string))
        .build()
}

fn config() -> AwsConfig {
    AwsConfig {
        stacks: ["api-prod", "worker-prod"]
            .into_iter()
            .map(|name| StackConfig {
                flow: "payments".into(),
                region: "eu-west-1".into(),
                name: name.into(),
            })
            .collect(),
        ..AwsConfig::default()
    }
}

fn no_pipelines() -> Rule {
    mock!(aws_sdk_codepipeline::Client::list_pipelines).then_output(|| {
        aws_sdk_codepipeline::operation::list_pipelines::ListPipelinesOutput::builder().build()
    })
}

fn stacks_of(obs: Observation) -> Vec<StackObservation> {
    match obs {
        Observation::Stacks { stacks, .. } => stacks,
        other => panic!("expected stacks, got {other:?}"),
    }
}

#[tokio::test]
async fn events_are_read_down_to_the_last_one_seen_and_not_while_settled() {
    // DescribeStacks (unfiltered, two pages): api-prod moves, then settles; worker-prod is settled.
    let describe_page_2 = mock!(Client::describe_stacks)
        .match_requests(|r| r.next_token() == Some("stacks-2"))
        .then_output(|| {
            DescribeStacksOutput::builder()
                .stacks(stack(
                    "worker-prod",
                    StackStatus::UpdateComplete,
                    1_763_600_000,
                ))
                .build()
        });
    let describe_page_1 = mock!(Client::describe_stacks)
        .match_requests(|r| r.next_token().is_none() && r.stack_name().is_none())
        .sequence()
        .output(|| {
            DescribeStacksOutput::builder()
                .stacks(stack(
                    "api-prod",
                    StackStatus::UpdateInProgress,
                    1_763_700_000,
                ))
                .stacks(stack("unrelated", StackStatus::CreateComplete, 1))
                .next_token("stacks-2")
                .build()
        })
        .times(2)
        .output(|| {
            DescribeStacksOutput::builder()
                .stacks(stack(
                    "api-prod",
                    StackStatus::UpdateComplete,
                    1_763_700_000,
                ))
                .next_token("stacks-2")
                .build()
        })
        .times(2)
        .build();
    // api-prod's events: first poll sees ev10..ev6 (one page, though more exist);
    // the second poll finds ev14..ev11 on page one and ev10 on page two;
    // the third poll finds ev15 and ev14 on its first page.
    let api_events = mock!(Client::describe_stack_events)
        .match_requests(|r| r.stack_name() == Some("api-prod") && r.next_token().is_none())
        .sequence()
        .output(|| page("api-prod", 10, 6, Some("older")))
        .output(|| page("api-prod", 14, 11, Some("p2")))
        .output(|| page("api-prod", 15, 12, Some("p2")))
        .build();
    let api_events_p2 = mock!(Client::describe_stack_events)
        .match_requests(|r| r.stack_name() == Some("api-prod") && r.next_token() == Some("p2"))
        .then_output(|| page("api-prod", 10, 6, Some("older")));
    let api_events_older = mock!(Client::describe_stack_events)
        .match_requests(|r| r.next_token() == Some("older"))
        .then_output(|| page("api-prod", 5, 1, None));
    let worker_events = mock!(Client::describe_stack_events)
        .match_requests(|r| r.stack_name() == Some("worker-prod"))
        .then_output(|| page("worker-prod", 3, 1, None));
    let fake = Fake::new(vec![
        describe_page_2.clone(),
        describe_page_1.clone(),
        api_events.clone(),
        api_events_p2.clone(),
        api_events_older.clone(),
        worker_events.clone(),
        no_pipelines(),
        caller_identity(),
    ]);
    let backend = fake.backend(config(), &["eu-west-1"]);
    let d = backend.discover().await.unwrap();
    assert_eq!(d.flows[0].kind, FlowKind::Unmanaged);
    let key = PollKey::Stacks {
        region: "eu-west-1".into(),
    };

    let first = stacks_of(backend.poll(key.clone()).await.unwrap());
    assert_eq!(first.len(), 2);
    assert_eq!(first[0].status, "UPDATE_IN_PROGRESS");
    let ids: Vec<&str> = first[0]
        .new_events
        .iter()
        .map(|e| e.event_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "api-prod-ev10",
            "api-prod-ev9",
            "api-prod-ev8",
            "api-prod-ev7",
            "api-prod-ev6"
        ]
    );
    assert_eq!(
        api_events_older.num_calls(),
        0,
        "the first poll reads one page only"
    );
    assert_eq!(first[1].new_events.len(), 3);

    let second = stacks_of(backend.poll(key.clone()).await.unwrap());
    let ids: Vec<&str> = second[0]
        .new_events
        .iter()
        .map(|e| e.event_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "api-prod-ev14",
            "api-prod-ev13",
            "api-prod-ev12",
            "api-prod-ev11"
        ]
    );
    assert_eq!(
        api_events_p2.num_calls(),
        1,
        "paged until the last event seen"
    );
    assert_eq!(api_events_older.num_calls(), 0);
    assert!(second[1].new_events.is_empty());
    assert_eq!(
        worker_events.num_calls(),
        1,
        "a settled, unchanged stack is not asked for events"
    );

    let third = stacks_of(backend.poll(key.clone()).await.unwrap());
    assert_eq!(third[0].status, "UPDATE_COMPLETE");
    let ids: Vec<&str> = third[0]
        .new_events
        .iter()
        .map(|e| e.event_id.as_str())
        .collect();
    assert_eq!(ids, ["api-prod-ev15"]);
    assert_eq!(api_events_p2.num_calls(), 1);

    let fourth = stacks_of(backend.poll(key).await.unwrap());
    assert!(fourth[0].new_events.is_empty());
    assert_eq!(
        api_events.num_calls(),
        3,
        "settled after the third poll: no more event reads"
    );
    assert_eq!(
        describe_page_1.num_calls(),
        4,
        "one listing per poll for the whole region"
    );
    assert_eq!(describe_page_2.num_calls(), 4);

    // The unmanaged flow mirrors the last stacks poll without calling AWS.
    let before = fake.calls();
    let Observation::Flow(flow) = backend
        .poll(PollKey::Flow {
            flow: "payments".into(),
        })
        .await
        .unwrap()
    else {
        panic!("expected a flow")
    };
    assert_eq!(fake.calls(), before);
    let cell = flow.waves[0].cell("eu-west-1").unwrap();
    assert_eq!(cell.actions.len(), 2);
    assert!(
        cell.actions
            .iter()
            .all(|a| a.status == ActionStatus::Succeeded)
    );
}

#[tokio::test]
async fn a_missing_stack_is_reported_and_throttling_fails_the_poll() {
    let single = AwsConfig {
        stacks: vec![StackConfig {
            flow: "payments".into(),
            region: "eu-west-1".into(),
            name: "api-prod".into(),
        }],
        ..AwsConfig::default()
    };
    let gone = mock!(Client::describe_stacks)
        .match_requests(|r| r.stack_name() == Some("api-prod"))
        .sequence()
        .http_response(|| {
            xml_error(
                400,
                "ValidationError",
                "Stack with id api-prod does not exist",
            )
        })
        .http_response(|| xml_error(400, "Throttling", "Rate exceeded"))
        .build();
    let fake = Fake::new(vec![gone, no_pipelines(), caller_identity()]);
    let backend = fake.backend(single, &["eu-west-1"]);
    backend.discover().await.unwrap();
    let key = PollKey::Stacks {
        region: "eu-west-1".into(),
    };
    let stacks = stacks_of(backend.poll(key.clone()).await.unwrap());
    assert_eq!(stacks[0].status, "DOES_NOT_EXIST");
    assert!(stacks[0].new_events.is_empty());
    let err = backend.poll(key).await.unwrap_err();
    assert!(
        matches!(err, SourceError::Throttled(ref m) if m.contains("cloudformation:DescribeStacks")),
        "{err:?}"
    );
}
