//! The team copy against mocked CloudWatch Logs: errors answered the way
//! the service answers them, through the SDK's own deserializer.

use std::path::{Path, PathBuf};
use std::time::Duration;

use aws_sdk_cloudwatchlogs::Client;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use jiff::Timestamp;

use super::stream_name::Session;
use super::*;
use crate::audit::check::check;
use crate::audit::{AuditIntent, AuditLog};
use crate::protocol::OperateCall;

/// A CloudWatch Logs error body as awsJson1_1 sends it.
fn error(code: &str) -> Option<String> {
    Some(format!(
        r#"{{"__type":"{code}","message":"{code} from the mock"}}"#
    ))
}

pub(crate) fn mocked_log(rules: &[&Rule]) -> TeamLog {
    let interceptor = rules.iter().fold(
        MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny),
        |i, r| i.with_rule(r),
    );
    let config = aws_sdk_cloudwatchlogs::Config::builder()
        .behavior_version(aws_sdk_cloudwatchlogs::config::BehaviorVersion::latest())
        .region(aws_sdk_cloudwatchlogs::config::Region::new("eu-west-1"))
        .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        ))
        .retry_config(aws_sdk_cloudwatchlogs::config::retry::RetryConfig::disabled())
        .http_client(create_mock_http_client())
        .interceptor(interceptor)
        .build();
    TeamLog {
        client: Client::from_conf(config),
        group: "/wavetop/audit".to_string(),
    }
}

pub(crate) fn session() -> Session {
    Session {
        host: "laptop".to_string(),
        started: "2026-11-30T09:00:00Z".parse().unwrap(),
        pid: 7,
    }
}

pub(crate) const QUICK: Backoff = Backoff {
    first: Duration::from_millis(5),
    most: Duration::from_millis(20),
};

fn intent(n: usize) -> AuditIntent {
    AuditIntent {
        ts: Timestamp::from_second(1_795_298_400 + n as i64).unwrap(),
        identity: "arn:aws:sts::111122223333:assumed-role/Oncall/alice".to_string(),
        target: "payments/Deploy-EU".to_string(),
        call: OperateCall::SetHealthCheckInverted {
            health_check_id: format!("hc-{n}"),
            inverted: true,
        },
        params: serde_json::json!({}),
    }
}

fn temp_log(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wavetop-team-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("audit.jsonl")
}

fn put_answer(status: u16, code: &str) -> Rule {
    mock!(Client::put_log_events)
        .sequence()
        .http_status(status, error(code))
        .build()
}

#[tokio::test]
async fn put_errors_are_told_apart_as_the_shipper_needs() {
    let line = {
        let path = temp_log("classify");
        let log = AuditLog::open(&path).unwrap();
        log.before(&intent(0)).unwrap();
        crate::audit::read_log(&path).unwrap().lines
    };
    let cases = [
        (400, "ResourceNotFoundException", PutFailure::NoStream),
        (
            400,
            "DataAlreadyAcceptedException",
            PutFailure::AlreadyAccepted,
        ),
    ];
    for (status, code, want) in cases {
        let rule = put_answer(status, code);
        let got = mocked_log(&[&rule]).put("s", &line).await.unwrap_err();
        assert_eq!(got, want, "{code}");
    }
    // The legacy sequence-token refusal, throttling and a service error are
    // all sent again later.
    for (status, code) in [
        (400, "InvalidSequenceTokenException"),
        (400, "ThrottlingException"),
        (503, "ServiceUnavailableException"),
    ] {
        let rule = put_answer(status, code);
        let got = mocked_log(&[&rule]).put("s", &line).await.unwrap_err();
        assert!(
            matches!(&got, PutFailure::Retry(why) if why.contains(code)),
            "{code}: {got:?}"
        );
    }
}

#[tokio::test]
async fn a_stream_that_exists_already_is_fine_and_other_refusals_are_not() {
    let exists = mock!(Client::create_log_stream)
        .sequence()
        .http_status(400, error("ResourceAlreadyExistsException"))
        .build();
    assert_eq!(mocked_log(&[&exists]).create_stream("s").await, Ok(()));
    let denied = mock!(Client::create_log_stream)
        .sequence()
        .http_status(400, error("AccessDeniedException"))
        .build();
    let why = mocked_log(&[&denied]).create_stream("s").await.unwrap_err();
    assert!(why.contains("AccessDeniedException"), "{why}");
}

#[tokio::test]
async fn reading_the_group_follows_every_page_and_keeps_who_wrote_each_line() {
    let line = |id: &str, phase: &str, ts: u64| {
        format!(
            r#"{{\"ts\":\"2026-11-30T09:0{ts}:00Z\",\"phase\":\"{phase}\",\"id\":\"{id}\",\"api\":\"codepipeline:PutApprovalResult\",\"target\":\"payments\"}}"#
        )
    };
    let page = |events: &[(String, &str)], next: Option<&str>| {
        let events: Vec<String> = events
            .iter()
            .map(|(message, stream)| {
                format!(r#"{{"logStreamName":"{stream}","timestamp":1,"message":"{message}"}}"#)
            })
            .collect();
        let next = next
            .map(|n| format!(r#","nextToken":"{n}""#))
            .unwrap_or_default();
        format!(r#"{{"events":[{}]{next}}}"#, events.join(","))
    };
    let first = page(
        &[
            (line("a", "after", 2), "bob/host/1"),
            ("not json".to_string(), "other"),
        ],
        Some("page-2"),
    );
    let second = page(&[(line("a", "before", 1), "bob/host/1")], None);
    let filter = mock!(Client::filter_log_events)
        .match_requests(|r| {
            r.start_time() == Some(1_000) && r.log_group_name() == Some("/wavetop/audit")
        })
        .sequence()
        .http_status(200, Some(first))
        .http_status(200, Some(second))
        .build();
    let read = mocked_log(&[&filter]).read_since(1_000).await.unwrap();
    assert_eq!(filter.num_calls(), 2);
    assert_eq!(read.skipped, 1);
    assert!(!read.cut_short);
    let phases: Vec<_> = read
        .lines
        .iter()
        .map(|l| (l.line.key(), l.stream.as_str()))
        .collect();
    assert_eq!(
        phases,
        [
            ("a/before".to_string(), "bob/host/1"),
            ("a/after".to_string(), "bob/host/1")
        ]
    );
}

fn undelivered(path: &Path) -> Vec<String> {
    check(path).unwrap().undelivered
}

#[tokio::test]
async fn lines_are_on_disk_at_once_and_reach_the_group_after_throttling() {
    let create = mock!(Client::create_log_stream).then_http_response(|| {
        aws_smithy_runtime_api::http::Response::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(200).unwrap(),
            aws_smithy_types::body::SdkBody::from("{}"),
        )
    });
    let put = mock!(Client::put_log_events)
        .match_requests(|r| r.log_group_name() == Some("/wavetop/audit"))
        .sequence()
        .http_status(400, error("ThrottlingException"))
        .times(2)
        .http_status(200, Some("{}".to_string()))
        .repeatedly()
        .build();
    let path = temp_log("throttled");
    let team = mocked_log(&[&create, &put]);
    let copy = TeamCopy::start(team, path.clone(), session(), QUICK);
    let log = AuditLog::open(&path).unwrap().with_team_copy(copy.clone());
    let id = log.before(&intent(1)).unwrap();
    // The line is on disk and names the group the moment before() returns.
    let lines = crate::audit::read_log(&path).unwrap().lines;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].team_log.as_deref(), Some("/wavetop/audit"));
    log.after(
        id,
        Timestamp::from_second(1_795_298_500).unwrap(),
        Ok("done"),
    )
    .unwrap();
    copy.settle(Duration::from_secs(5)).await.unwrap();
    assert_eq!(create.num_calls(), 1, "the stream is made once");
    assert!(
        put.num_calls() >= 3,
        "two throttled tries, then one that lands"
    );
    assert_eq!(copy.progress().delivered, 2);
    assert_eq!(copy.progress().last_error, None);
    assert!(undelivered(&path).is_empty());
    assert!(check(&path).unwrap().is_clean());
    let sidecar = std::fs::read_to_string(crate::audit::delivery::sidecar_path(&path)).unwrap();
    assert!(
        sidecar.contains(
            r#""stream":"111122223333/assumed-role/Oncall/alice/laptop/20261130T090000Z-7""#
        ),
        "{sidecar}"
    );
}

#[tokio::test]
async fn a_group_that_keeps_refusing_leaves_the_lines_reported_as_not_delivered() {
    let create = mock!(Client::create_log_stream)
        .sequence()
        .http_status(400, error("AccessDeniedException"))
        .repeatedly()
        .build();
    let path = temp_log("refused");
    let copy = TeamCopy::start(mocked_log(&[&create]), path.clone(), session(), QUICK);
    let log = AuditLog::open(&path).unwrap().with_team_copy(copy.clone());
    let id = log.before(&intent(2)).unwrap();
    assert_eq!(undelivered(&path), [format!("{id}/before")]);
    let why = copy.settle(Duration::from_millis(100)).await.unwrap_err();
    assert!(why.contains("AccessDeniedException"), "{why}");
    assert!(why.contains("1 audit line"), "{why}");
    let report = check(&path).unwrap();
    assert_eq!(report.exit_status(), crate::audit::check::EXIT_ATTENTION);
    assert!(
        report.text().contains("not in the team log: 1 line"),
        "{}",
        report.text()
    );
}

#[tokio::test]
async fn lines_an_earlier_run_could_not_deliver_are_sent_by_the_next_run() {
    let path = temp_log("backlog");
    // The first run: the group refuses every line.
    let refused = mock!(Client::create_log_stream)
        .sequence()
        .http_status(400, error("AccessDeniedException"))
        .repeatedly()
        .build();
    let first = TeamCopy::start(mocked_log(&[&refused]), path.clone(), session(), QUICK);
    let log = AuditLog::open(&path).unwrap().with_team_copy(first.clone());
    let id = log.before(&intent(3)).unwrap();
    log.after(
        id.clone(),
        Timestamp::from_second(1_795_298_500).unwrap(),
        Ok("done"),
    )
    .unwrap();
    assert!(first.settle(Duration::from_millis(100)).await.is_err());
    assert_eq!(undelivered(&path).len(), 2);
    drop(log);

    // The next run finds both lines and sends them, oldest first, with
    // their own times, into its stream for the identity that made them.
    let backlog = crate::audit::delivery::backlog(&path, "/wavetop/audit").unwrap();
    assert_eq!(backlog.len(), 2);
    let created = mock!(Client::create_log_stream)
        .match_requests(|r| {
            r.log_stream_name()
                == Some("111122223333/assumed-role/Oncall/alice/laptop/20261130T100000Z-8")
        })
        .then_http_response(|| {
            aws_smithy_runtime_api::http::Response::new(
                aws_smithy_runtime_api::http::StatusCode::try_from(200).unwrap(),
                aws_smithy_types::body::SdkBody::from("{}"),
            )
        });
    let put = mock!(Client::put_log_events)
        .match_requests(|r| {
            let times: Vec<i64> = r.log_events().iter().map(|e| e.timestamp()).collect();
            times == [1_795_298_403_000, 1_795_298_500_000]
        })
        .then_output(|| {
            aws_sdk_cloudwatchlogs::operation::put_log_events::PutLogEventsOutput::builder().build()
        });
    let next = Session {
        host: "laptop".to_string(),
        started: "2026-11-30T10:00:00Z".parse().unwrap(),
        pid: 8,
    };
    let second = TeamCopy::start_with_backlog(
        mocked_log(&[&created, &put]),
        path.clone(),
        next,
        QUICK,
        backlog,
    );
    second.settle(Duration::from_secs(5)).await.unwrap();
    assert_eq!((created.num_calls(), put.num_calls()), (1, 1));
    assert!(
        check(&path).unwrap().is_clean(),
        "{}",
        check(&path).unwrap().text()
    );
    // Delivered now: a third run has nothing to send.
    assert!(
        crate::audit::delivery::backlog(&path, "/wavetop/audit")
            .unwrap()
            .is_empty()
    );
}
