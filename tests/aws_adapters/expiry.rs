//! Expired credentials as each protocol answers them (HTTP 400/403 with
//! `ExpiredToken`, `ExpiredTokenException` or `RequestExpired`) are the
//! expired-credentials kind; the console shows the banner, keeps what it
//! read as stale, and recovers at the next answer, without a restart.

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::types::{Stack, StackStatus};
use aws_smithy_mocks::mock;
use jiff::{SignedDuration, Timestamp};
use wavetop::config::schema::{AwsConfig, StackConfig, TableConfig};
use wavetop::core::bindings::Bindings;
use wavetop::core::credentials::stale_keys;
use wavetop::core::model::Model;
use wavetop::core::msg::Msg;
use wavetop::core::update::update;
use wavetop::domain::window::Windows;
use wavetop::protocol::{CredentialsStatus, Observe, PollKey, SourceError};

use super::support::{Fake, caller_identity, dt, json_error, xml_error};

const EXPIRED: &str = "The security token included in the request is expired";

fn config() -> AwsConfig {
    AwsConfig {
        stacks: vec![StackConfig {
            flow: "payments".into(),
            region: "eu-west-1".into(),
            name: "api-prod".into(),
        }],
        tables: vec![TableConfig {
            name: "orders".into(),
            source_region: "us-east-1".into(),
            flow: Some("payments".into()),
        }],
        ..AwsConfig::default()
    }
}

fn settled() -> DescribeStacksOutput {
    DescribeStacksOutput::builder()
        .stacks(
            Stack::builder()
                .stack_name("api-prod")
                .stack_id("arn:aws:cloudformation:eu-west-1:111122223333:stack/api-prod/1")
                .creation_time(dt(1_763_000_000))
                .last_updated_time(dt(1_763_700_000))
                .stack_status(StackStatus::UpdateComplete)
                .build(),
        )
        .build()
}

fn no_pipelines() -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_codepipeline::Client::list_pipelines).then_output(|| {
        aws_sdk_codepipeline::operation::list_pipelines::ListPipelinesOutput::builder().build()
    })
}

#[tokio::test]
async fn expired_tokens_of_every_protocol_are_the_expired_credentials_kind() {
    let rules = vec![
        // awsQuery (CloudFormation): HTTP 400, ExpiredToken, then RequestExpired.
        mock!(Client::describe_stacks)
            .sequence()
            .http_response(|| xml_error(400, "ExpiredToken", EXPIRED))
            .http_response(|| xml_error(400, "RequestExpired", "Request has expired."))
            .build(),
        // restXml (Route53): HTTP 403, ExpiredToken.
        mock!(aws_sdk_route53::Client::get_health_check_status)
            .then_http_response(|| xml_error(403, "ExpiredToken", EXPIRED)),
        // awsJson (DynamoDB): HTTP 400, ExpiredTokenException.
        mock!(aws_sdk_dynamodb::Client::describe_table)
            .then_http_response(|| json_error("ExpiredTokenException", EXPIRED)),
        no_pipelines(),
        caller_identity(),
    ];
    let fake = Fake::new(rules);
    let backend = fake.backend(config(), &["eu-west-1"]);
    backend.discover().await.unwrap();
    let stacks = PollKey::Stacks {
        region: "eu-west-1".into(),
    };
    for (key, call) in [
        (stacks.clone(), "cloudformation:DescribeStacks"),
        (stacks, "cloudformation:DescribeStacks"),
        (
            PollKey::Checkers {
                health_check_id: "hc-1".into(),
            },
            "route53:GetHealthCheckStatus",
        ),
        (
            PollKey::Replication {
                table: "orders".into(),
            },
            "dynamodb:DescribeTable",
        ),
    ] {
        let err = backend.poll(key.clone()).await.unwrap_err();
        assert!(
            matches!(&err, SourceError::ExpiredCredentials(m) if m.contains(call)),
            "{key:?}: {err:?}"
        );
    }
}

fn screen(model: &Model) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 24)).unwrap();
    let theme = wavetop::config::Theme::preset("dark").unwrap();
    terminal
        .draw(|f| wavetop::ui::view(f, model, &theme))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// Polls `key` through update() at `now` with the backend's answer.
async fn poll(model: &mut Model, backend: &dyn Observe, key: &PollKey, now: Timestamp) {
    model.poll.expedite(key, now);
    let generation = model
        .poll
        .due(now)
        .into_iter()
        .find_map(|(k, g)| (k == *key).then_some(g))
        .expect("the key is due");
    let result = backend.poll(key.clone()).await;
    update(
        model,
        Msg::Polled {
            key: key.clone(),
            generation,
            result,
            incomplete: None,
        },
        now,
    );
}

#[tokio::test]
async fn the_console_names_the_profile_keeps_the_stack_stale_and_recovers_by_itself() {
    let stacks_rule = mock!(Client::describe_stacks)
        .sequence()
        .output(settled)
        .http_response(|| xml_error(400, "ExpiredToken", EXPIRED))
        .output(settled)
        .build();
    let events = mock!(Client::describe_stack_events).then_output(|| {
        aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput::builder()
            .build()
    });
    let fake = Fake::new(vec![stacks_rule, events, no_pipelines(), caller_identity()]);
    let backend = fake.backend(config(), &["eu-west-1"]);
    let t0 = Timestamp::from_second(1_763_800_000).unwrap();
    let mut model = Model::new(t0, Bindings::from_pairs([]), Windows::default(), false);
    update(
        &mut model,
        Msg::Resize {
            width: 160,
            height: 24,
        },
        t0,
    );
    update(&mut model, Msg::Discovered(backend.discover().await), t0);
    // What the runtime's credentials watch reports of an SSO profile.
    update(
        &mut model,
        Msg::Credentials(vec![CredentialsStatus {
            account: "default".into(),
            profile: Some("prod-ops".into()),
            renew: "run aws sso login --profile prod-ops".into(),
            expires_at: Some(t0 + SignedDuration::from_mins(50)),
            failure: None,
        }]),
        t0,
    );
    let key = PollKey::Stacks {
        region: "eu-west-1".into(),
    };
    poll(&mut model, &backend, &key, t0).await;

    let t1 = t0 + SignedDuration::from_secs(30);
    poll(&mut model, &backend, &key, t1).await;
    let shown = screen(&model);
    assert!(shown.contains("⚠ EXPIRED: profile prod-ops"), "{shown}");
    assert!(
        shown.contains("profile prod-ops expired: run aws sso login --profile prod-ops"),
        "{shown}"
    );
    let header = shown.lines().next().unwrap();
    assert!(
        header.contains("STALE") && header.contains("stacks eu-west-1"),
        "{shown}"
    );
    // What was read is kept, its age showing.
    assert!(
        shown.contains("stack api-prod UPDATE_COMPLETE  read 30s ago"),
        "{shown}"
    );
    assert!(stale_keys(&model).contains(&&key));

    // The operator logs in again; the next poll (after the backoff) works.
    let t2 = t1 + SignedDuration::from_mins(2);
    poll(&mut model, &backend, &key, t2).await;
    let shown = screen(&model);
    assert!(!shown.contains("EXPIRED"), "{shown}");
    assert!(!shown.contains("stacks eu-west-1"), "{shown}");
    assert!(!stale_keys(&model).contains(&&key));
    assert!(model.credentials.expired.is_none());
}
