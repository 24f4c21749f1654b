//! What a steady minute of the console costs in API calls on a large fleet,
//! counted on the mocks: the real scheduler and update() on a virtual clock,
//! the AWS adapters answering every poll they send. Run with
//! `-- --nocapture` for the figures (README, "Cost").
//!
//! The fleet: 200 pipelines of 5 waves over 25 regions (5 a wave, one stack
//! per region each), 50 health checks, 3 global tables. 80 pipelines move:
//! 40 deploy one wave (their stacks there UPDATE_IN_PROGRESS, new stack
//! events every 20 s, an action finishing every 2 minutes) and 40 wait at
//! an approval gate. The operator watches the first deploying pipeline.
//! The same minute with the change stream on: the stream's log group
//! answers with the events those 80 would emit.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::types::{ResourceStatus, Stack, StackEvent, StackStatus};
use aws_sdk_cloudwatchlogs::operation::filter_log_events::FilterLogEventsOutput;
use aws_sdk_cloudwatchlogs::types::FilteredLogEvent;
use aws_smithy_mocks::{MockResponse, Rule, mock};
use jiff::{SignedDuration, Timestamp};
use wavetop::config::schema::AwsConfig;
use wavetop::config::stream::StreamSource;
use wavetop::core::bindings::Bindings;
use wavetop::core::model::Model;
use wavetop::core::msg::Msg;
use wavetop::core::stream::{enable_stream, next_wakeup};
use wavetop::core::update::{start, update};
use wavetop::domain::window::Windows;
use wavetop::poll::stream::StreamCadence;
use wavetop::protocol::ReadStream;
use wavetop::source::aws::stream::AwsStream;

use super::fleet_answers;
use super::support::{Fake, caller_identity, carry_out, carry_out_streaming, dt, http};

const PIPELINES: usize = 200;
const DEPLOYING: usize = 40;
const AT_A_GATE: usize = 40;
const WAVES: usize = 5;
const REGIONS: [&str; 25] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "me-south-1",
    "af-south-1",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-east-1",
];
const CHECKS: usize = 50;
const TABLES: usize = 3;
/// When the moving executions started (epoch seconds).
const STARTED: i64 = 1_763_700_000;

fn wave_regions(w: usize) -> &'static [&'static str] {
    &REGIONS[w * 5..w * 5 + 5]
}

/// The wave a moving pipeline is in.
fn wave_of(i: usize) -> usize {
    i % WAVES
}

fn index_of(name: &str) -> usize {
    name[3..6].parse().unwrap()
}

fn pipeline_json(i: usize) -> String {
    let stages: Vec<String> = (0..WAVES)
        .map(|w| {
            let mut actions = vec![format!(
                r#"{{"name":"Approve","actionTypeId":{{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"}},"runOrder":1}}"#
            )];
            actions.extend(wave_regions(w).iter().map(|r| {
                format!(
                    r#"{{"name":"Deploy-{r}","actionTypeId":{{"category":"Deploy","owner":"AWS","provider":"CloudFormation","version":"1"}},"runOrder":2,
                       "configuration":{{"StackName":"svc{i:03}-{r}","ActionMode":"CREATE_UPDATE"}},"region":"{r}"}}"#
                )
            }));
            format!(r#"{{"name":"Wave{w}","actions":[{}]}}"#, actions.join(","))
        })
        .collect();
    format!(
        r#"{{"pipeline":{{"name":"svc{i:03}","roleArn":"arn:aws:iam::111122223333:role/r","stages":[
          {{"name":"Source","actions":[{{"name":"Src","actionTypeId":{{"category":"Source","owner":"AWS","provider":"S3","version":"1"}},"configuration":{{"S3Bucket":"b","S3ObjectKey":"k"}}}}]}},
          {}],"version":1,"pipelineType":"V2","executionMode":"SUPERSEDED"}}}}"#,
        stages.join(",")
    )
}

fn action(name: &str, status: &str, at: i64, token: bool) -> String {
    let token = if token { r#","token":"tok""# } else { "" };
    format!(
        r#"{{"actionName":"{name}","latestExecution":{{"actionExecutionId":"{name}-{at}","status":"{status}","lastStatusChange":{at}{token}}}}}"#
    )
}

/// GetPipelineState of pipeline `i` at virtual second `vt`.
fn state_json(i: usize, vt: i64) -> String {
    let moving = i < DEPLOYING + AT_A_GATE;
    let execution = if moving { "e2" } else { "e1" };
    let mut stages = vec![format!(
        r#"{{"stageName":"Source","actionStates":[{}],"latestExecution":{{"pipelineExecutionId":"{execution}","status":"Succeeded"}}}}"#,
        action("Src", "Succeeded", STARTED, false)
    )];
    for w in 0..WAVES {
        let current = moving && w == wave_of(i);
        let (stage_status, approve, deploy) = match (current, i < DEPLOYING) {
            (false, _) if moving && w > wave_of(i) => {
                // Not reached yet by this execution: the last one's results.
                ("Succeeded", "Succeeded", "Succeeded")
            }
            (false, _) => ("Succeeded", "Succeeded", "Succeeded"),
            (true, true) => ("InProgress", "Succeeded", "InProgress"),
            (true, false) => ("InProgress", "InProgress", ""),
        };
        let stage_execution = if moving && w > wave_of(i) {
            "e1"
        } else {
            execution
        };
        let mut actions = vec![action(
            "Approve",
            approve,
            STARTED + 60,
            approve == "InProgress",
        )];
        for (n, r) in wave_regions(w).iter().enumerate() {
            let name = format!("Deploy-{r}");
            actions.push(match deploy {
                "" => format!(r#"{{"actionName":"{name}"}}"#),
                // One region finishes every 2 minutes; its neighbours go on.
                "InProgress" if (vt / 120) as usize % 5 == n => {
                    action(&name, "Succeeded", STARTED + vt / 120 * 120, false)
                }
                status => action(&name, status, STARTED + 120, false),
            });
        }
        stages.push(format!(
            r#"{{"stageName":"Wave{w}","inboundTransitionState":{{"enabled":true}},"actionStates":[{}],
               "latestExecution":{{"pipelineExecutionId":"{stage_execution}","status":"{stage_status}"}}}}"#,
            actions.join(",")
        ));
    }
    format!(
        r#"{{"pipelineName":"svc{i:03}","pipelineVersion":1,"stageStates":[{}]}}"#,
        stages.join(",")
    )
}

fn executions_json(i: usize) -> String {
    let e1 = format!(
        r#"{{"pipelineExecutionId":"e1","status":"Succeeded","startTime":{},"lastUpdateTime":{}}}"#,
        STARTED - 7_200,
        STARTED - 3_600
    );
    if i < DEPLOYING + AT_A_GATE {
        format!(
            r#"{{"pipelineExecutionSummaries":[{{"pipelineExecutionId":"e2","status":"InProgress","startTime":{STARTED},"lastUpdateTime":{STARTED}}},{e1}]}}"#
        )
    } else {
        format!(r#"{{"pipelineExecutionSummaries":[{e1}]}}"#)
    }
}

fn stack_moving(name: &str) -> bool {
    let i = index_of(name);
    i < DEPLOYING && wave_regions(wave_of(i)).iter().any(|r| name.ends_with(r))
}

fn rules(vt: Arc<AtomicI64>) -> Vec<Rule> {
    let state_vt = vt.clone();
    let events_vt = vt;
    vec![
        fleet_answers::list_pipelines((0..PIPELINES).map(|i| format!("svc{i:03}"))),
        mock!(aws_sdk_codepipeline::Client::get_pipeline).then_compute_response(|r| {
            MockResponse::Http(http(200, &pipeline_json(index_of(r.name().unwrap()))))
        }),
        mock!(aws_sdk_codepipeline::Client::get_pipeline_state).then_compute_response(move |r| {
            let vt = state_vt.load(Ordering::Relaxed);
            MockResponse::Http(http(200, &state_json(index_of(r.name().unwrap()), vt)))
        }),
        mock!(aws_sdk_codepipeline::Client::list_pipeline_executions).then_compute_response(|r| {
            MockResponse::Http(http(
                200,
                &executions_json(index_of(r.pipeline_name().unwrap())),
            ))
        }),
        mock!(aws_sdk_codepipeline::Client::list_action_executions)
            .then_http_response(|| http(200, r#"{"actionExecutionDetails":[]}"#)),
        mock!(aws_sdk_cloudformation::Client::describe_stacks).then_output(|| {
            let stacks = (0..PIPELINES).flat_map(|i| {
                REGIONS.iter().map(move |r| {
                    let name = format!("svc{i:03}-{r}");
                    let status = if stack_moving(&name) {
                        StackStatus::UpdateInProgress
                    } else {
                        StackStatus::UpdateComplete
                    };
                    Stack::builder()
                        .stack_name(name)
                        .creation_time(dt(STARTED - 86_400))
                        .last_updated_time(dt(STARTED))
                        .stack_status(status)
                        .build()
                })
            });
            DescribeStacksOutput::builder()
                .set_stacks(Some(stacks.collect()))
                .build()
        }),
        mock!(aws_sdk_cloudformation::Client::describe_stack_events).then_compute_output(
            move |r| {
                let name = r.stack_name().unwrap();
                // A moving stack has new events every 20 s; a settled one none.
                let epoch = if stack_moving(name) {
                    events_vt.load(Ordering::Relaxed) / 20
                } else {
                    0
                };
                let events = (0..5).map(|n| {
                    StackEvent::builder()
                        .event_id(format!("{name}-{epoch}-{n}"))
                        .logical_resource_id("R")
                        .resource_type("AWS::S3::Bucket")
                        .resource_status(ResourceStatus::UpdateInProgress)
                        .timestamp(dt(STARTED + epoch * 20 - n))
                        .build()
                });
                DescribeStackEventsOutput::builder()
                    .set_stack_events(Some(events.collect()))
                    .build()
            },
        ),
        fleet_answers::list_health_checks(CHECKS, &REGIONS),
        fleet_answers::get_metric_data(STARTED),
        fleet_answers::describe_table(&REGIONS[1..4]),
        caller_identity(),
    ]
}

fn cfg() -> AwsConfig {
    fleet_answers::tables(TABLES, REGIONS[0])
}

/// What a run of the harness counted.
struct Measured {
    /// API calls a minute over the last five minutes.
    per_minute: usize,
    first_minute: usize,
    all_read_after: Option<SignedDuration>,
    model: Model,
}

/// Runs the console on the fleet for `minutes` virtual minutes, with the
/// change stream on when `stream` is given, and averages the last `window`.
async fn measure(
    fake: &Fake,
    vt: &AtomicI64,
    t0: Timestamp,
    stream: Option<&AwsStream>,
    (minutes, window): (i64, usize),
) -> Measured {
    let backend = fake.backend(cfg(), &[REGIONS[0]]);
    let stream = stream.map(|s| s as &dyn ReadStream);
    let mut model = Model::new(t0, Bindings::from_pairs([]), Windows::default(), true);
    let fx = start(&mut model);
    carry_out(&backend, &mut model, fx, t0).await;
    assert_eq!(model.fleet.flows.len(), PIPELINES);
    if stream.is_some() {
        enable_stream(&mut model, StreamCadence::default());
    }

    let mut calls_at = Vec::new();
    let mut all_read_after = None;
    let end = t0 + SignedDuration::from_mins(minutes);
    let mut now = t0;
    let mut next_minute = t0 + SignedDuration::from_mins(1);
    while now < end {
        // The runtime's timer: when the next key (or the stream's read) is
        // due, at least 50 ms and at most a second away.
        let wait = next_wakeup(&model)
            .map_or(1_000, |t| t.as_millisecond() - now.as_millisecond())
            .clamp(50, 1_000);
        now += SignedDuration::from_millis(wait);
        vt.store(now.as_second() - t0.as_second(), Ordering::Relaxed);
        let fx = update(&mut model, Msg::Tick, now);
        carry_out_streaming(&backend, stream, &mut model, fx, now).await;
        if all_read_after.is_none() && model.poll.keys().all(|(_, s)| s.last_ok.is_some()) {
            all_read_after = Some(now.duration_since(t0));
        }
        if now >= next_minute {
            calls_at.push(fake.calls());
            next_minute += SignedDuration::from_mins(1);
        }
    }
    // Steady state: the last minutes, once the budget has settled.
    let last = calls_at.len() - 1;
    Measured {
        per_minute: (calls_at[last] - calls_at[last - window]) / window,
        first_minute: calls_at[0],
        all_read_after,
        model,
    }
}

/// The scheduler's own estimate of a minute's calls, by kind of key: where
/// a budget goes.
fn by_kind(model: &Model) -> String {
    let mut kinds: std::collections::BTreeMap<String, (usize, f64)> = Default::default();
    for (key, state) in model.poll.keys() {
        let label = key.label();
        let kind = label.split(' ').next().unwrap_or_default().to_string();
        let e = kinds.entry(kind).or_default();
        e.0 += 1;
        e.1 += 60.0 * f64::from(state.requests.max(1)) / state.interval_secs.max(1) as f64;
    }
    kinds
        .iter()
        .map(|(k, (n, rpm))| format!("{k} {n} keys {rpm:.0}/min"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn fleet_shape(model: &Model) -> String {
    format!(
        "{PIPELINES} pipelines x {} regions, {} moving: {DEPLOYING} deploying, {AT_A_GATE} at a gate; {CHECKS} health checks, {TABLES} tables; {} poll keys",
        REGIONS.len(),
        DEPLOYING + AT_A_GATE,
        model.poll.keys().count(),
    )
}

#[tokio::test]
async fn a_steady_minute_of_200_pipelines_with_80_moving_stays_within_the_budget() {
    let vt = Arc::new(AtomicI64::new(0));
    let fake = Fake::new(rules(vt.clone()));
    // Twenty minutes, the last five counted: each flow's action history is
    // read again 15 to 30 minutes after the first read, so they count part
    // of a round.
    let m = measure(&fake, &vt, Timestamp::now(), None, (20, 5)).await;
    println!(
        "polling: API calls a minute in steady state ({}): {} (scheduler's estimate {:.0}); first minute {}; every key read {:?} after discovery",
        fleet_shape(&m.model),
        m.per_minute,
        m.model.poll.requests_per_minute(),
        m.first_minute,
        m.all_read_after,
    );
    assert!(m.per_minute <= 300, "{} calls a minute", m.per_minute);
    assert!(
        m.all_read_after
            .is_some_and(|d| d <= SignedDuration::from_secs(10)),
        "{:?}",
        m.all_read_after
    );
    // The watched pipeline keeps its fast cadence whatever the budget.
    let watched = m.model.poll.watched().first().cloned().unwrap();
    assert_eq!(m.model.poll.state(&watched).unwrap().interval_secs, 5);
}

/// EventBridge's envelope around a state change in `region`, as the
/// stream's log group holds it (a stack's events come from its own region).
fn envelope(
    id: &str,
    (source, region): (&str, &str),
    detail_type: &str,
    at_ms: i64,
    detail: &str,
) -> String {
    let time = Timestamp::from_millisecond(at_ms).unwrap();
    format!(
        r#"{{"version":"0","id":"{id}","detail-type":"{detail_type}","source":"{source}","account":"111122223333","time":"{time}","region":"{region}","resources":[],"detail":{detail}}}"#
    )
}

/// The log events the fleet's moving pipelines and stacks emitted between
/// two moments (ms): for each deploying pipeline, a region's deploy action
/// finishing and the one before it starting again every two minutes (as
/// GetPipelineState tells it), and a resource event of each moving stack
/// every 20 s. Pipelines waiting at a gate emit nothing.
fn emitted(t0_ms: i64, from_ms: i64, to_ms: i64) -> Vec<FilteredLogEvent> {
    let mut events = Vec::new();
    let mut push = |at_ms: i64, id: String, message: String| {
        events.push(
            FilteredLogEvent::builder()
                .log_stream_name("rule")
                .event_id(id)
                .timestamp(at_ms)
                .message(message)
                .build(),
        );
    };
    let from = (from_ms - t0_ms).max(0) / 1000;
    let to = (to_ms - t0_ms) / 1000;
    for second in from..=to {
        let at_ms = t0_ms + second * 1000;
        for i in (0..DEPLOYING).filter(|_| second % 120 == 0) {
            let w = wave_of(i);
            let finished = (second / 120) as usize % 5;
            let restarted = (finished + 4) % 5;
            for (n, state) in [(finished, "SUCCEEDED"), (restarted, "STARTED")] {
                let region = wave_regions(w)[n];
                let id = format!("a-{i}-{second}-{n}");
                let detail = format!(
                    r#"{{"pipeline":"svc{i:03}","execution-id":"e2","stage":"Wave{w}","action":"Deploy-{region}","region":"{region}","state":"{state}"}}"#
                );
                let message = envelope(
                    &id,
                    ("aws.codepipeline", REGIONS[0]),
                    "CodePipeline Action Execution State Change",
                    at_ms,
                    &detail,
                );
                push(at_ms, id, message);
            }
        }
        for i in (0..DEPLOYING).filter(|_| second % 20 == 0) {
            for region in wave_regions(wave_of(i)) {
                let id = format!("r-{i}-{region}-{second}");
                let detail = format!(
                    r#"{{"stack-id":"arn:aws:cloudformation:{region}:111122223333:stack/svc{i:03}-{region}/u","logical-resource-id":"R","status-details":{{"status":"UPDATE_IN_PROGRESS"}}}}"#
                );
                let message = envelope(
                    &id,
                    ("aws.cloudformation", region),
                    "CloudFormation Resource Status Change",
                    at_ms,
                    &detail,
                );
                push(at_ms, id, message);
            }
        }
    }
    events
}

#[tokio::test]
async fn with_the_change_stream_a_steady_minute_costs_a_fraction_of_polling() {
    let vt = Arc::new(AtomicI64::new(0));
    let t0 = Timestamp::now();
    let t0_ms = t0.as_millisecond();
    let log_vt = vt.clone();
    let mut all = rules(vt.clone());
    all.push(
        mock!(aws_sdk_cloudwatchlogs::Client::filter_log_events).then_compute_output(move |r| {
            let to_ms = t0_ms + log_vt.load(Ordering::Relaxed) * 1000;
            FilterLogEventsOutput::builder()
                .set_events(Some(emitted(t0_ms, r.start_time().unwrap(), to_ms)))
                .build()
        }),
    );
    let fake = Fake::new(all);
    let source = StreamSource {
        account: "111122223333".into(),
        region: REGIONS[0].into(),
        log_group: "/wavetop/stream".into(),
    };
    let stream = AwsStream::new(vec![(source, fake.logs_client())], t0);
    // A hundred minutes, the last ninety counted: six reconciliations of
    // every pipeline, three of every region's stacks, and one round of the
    // action histories, which the stream stretches to six reconciliations.
    let m = measure(&fake, &vt, t0, Some(&stream), (100, 90)).await;
    let state = m.model.stream.as_ref().unwrap();
    println!(
        "stream: API calls a minute in steady state ({}): {}; first minute {}; {} events read, {} merged without a read",
        fleet_shape(&m.model),
        m.per_minute,
        m.first_minute,
        state.events,
        state.merged,
    );
    println!(
        "stream: where the minute goes (scheduler's estimate): {}",
        by_kind(&m.model)
    );
    assert!(state.is_live());
    assert!(state.merged > 0, "action events were merged");
    // Reads of the log group every 4 s, every pipeline reconciled every 15
    // minutes and every region's stacks every 30 (events only of a stack
    // whose status changed), the action histories every 90 minutes, and
    // the health checks and replication the stream does not carry.
    assert!(m.per_minute <= 60, "{} calls a minute", m.per_minute);
    // Between reconciliations a deploying stack's trail is the stream's:
    // its newest resource event is at most one emission (20 s) old.
    let end = m.model.now;
    let deploying: Vec<_> = m
        .model
        .fleet
        .stacks
        .iter()
        .filter(|s| {
            s.name.starts_with("svc000-") && wave_regions(wave_of(0)).contains(&s.region.as_str())
        })
        .collect();
    assert_eq!(deploying.len(), wave_regions(wave_of(0)).len());
    for stack in deploying {
        let newest = stack.events.first().map(|e| e.timestamp).unwrap();
        assert!(
            end.duration_since(newest) <= SignedDuration::from_secs(25),
            "{}: newest event {newest}, now {end}",
            stack.name
        );
    }
}
