use std::io;
use std::sync::Mutex;

use jiff::Timestamp;

use super::*;
use crate::audit::AuditId;
use crate::core::recheck::Expect;
use crate::protocol::{BoxFuture, Discovery, OperateOutcome, PollKey};

/// Answers every read with no health checks at all.
struct NoChecks;

impl Observe for NoChecks {
    fn discover(&self) -> BoxFuture<'_, Result<Discovery, SourceError>> {
        Box::pin(async { Err(SourceError::Other("not asked".into())) })
    }

    fn poll(&self, _: PollKey) -> BoxFuture<'_, Result<Observation, SourceError>> {
        Box::pin(async { Ok(Observation::Health { checks: Vec::new() }) })
    }
}

/// Counts the calls it is given and fails the one at `fail_at`.
struct Calls {
    made: Mutex<usize>,
    fail_at: Option<usize>,
}

impl Operate for Calls {
    fn identity(&self) -> BoxFuture<'_, Result<String, SourceError>> {
        Box::pin(async { Ok("tester".to_string()) })
    }

    fn execute(&self, _: OperateCall) -> BoxFuture<'_, Result<OperateOutcome, SourceError>> {
        let mut made = self.made.lock().unwrap();
        let index = *made;
        *made += 1;
        let failed = self.fail_at == Some(index);
        Box::pin(async move {
            if failed {
                Err(SourceError::Conflict("refused".into()))
            } else {
                Ok(OperateOutcome {
                    detail: format!("call {index}"),
                })
            }
        })
    }
}

/// An audit log whose `before` or `after` lines can be made to fail.
struct Audit {
    refuse_before: bool,
    refuse_after: bool,
}

impl AuditSink for Audit {
    fn before(&self, _: &AuditIntent) -> io::Result<AuditId> {
        if self.refuse_before {
            return Err(io::Error::other("disk full"));
        }
        Ok(serde_json::from_value(serde_json::json!("id")).unwrap())
    }

    fn after(&self, _: AuditId, _: Timestamp, _: Result<&str, &str>) -> io::Result<()> {
        if self.refuse_after {
            return Err(io::Error::other("disk full"));
        }
        Ok(())
    }

    fn refused(&self, _: &crate::audit::AuditRefusal) -> io::Result<AuditId> {
        Ok(serde_json::from_value(serde_json::json!("id")).unwrap())
    }
}

struct Case {
    calls: usize,
    fail_at: Option<usize>,
    refuse_before: bool,
    refuse_after: bool,
    guard_holds: bool,
}

impl Case {
    fn plain(calls: usize) -> Case {
        Case {
            calls,
            fail_at: None,
            refuse_before: false,
            refuse_after: false,
            guard_holds: true,
        }
    }

    /// The report, and how many calls reached the backend.
    async fn run(&self) -> (OperateReport, usize) {
        self.run_with(Arc::new(Audit {
            refuse_before: self.refuse_before,
            refuse_after: self.refuse_after,
        }))
        .await
    }

    /// [`Case::run`] recording in `audit`.
    async fn run_with(&self, audit: Arc<dyn AuditSink>) -> (OperateReport, usize) {
        let operate = Arc::new(Calls {
            made: Mutex::new(0),
            fail_at: self.fail_at,
        });
        let executor = Executor {
            observe: Arc::new(NoChecks),
            operate: operate.clone(),
            audit,
            clock: Arc::new(|| Timestamp::UNIX_EPOCH),
        };
        let op = Operation {
            identity: "tester".into(),
            intent: "Restore region".into(),
            target: OpTarget::Dns {
                region: "us-east-1".into(),
            },
            calls: (0..self.calls)
                .map(|i| OperateCall::SetHealthCheckInverted {
                    health_check_id: format!("hc-{i}"),
                    inverted: false,
                })
                .collect(),
            guard: Guard {
                read: PollKey::Health,
                // With no checks read, a restore that expects to flip none
                // back still holds; one that expects to flip a check does not.
                expect: Expect::Restore {
                    region: "us-east-1".into(),
                    revert: if self.guard_holds {
                        Vec::new()
                    } else {
                        vec!["hc-0".into()]
                    },
                    record_sets: Vec::new(),
                },
            },
        };
        let report = executor.run(&op).await;
        let made = *operate.made.lock().unwrap();
        (report, made)
    }
}

#[tokio::test]
async fn the_report_never_holds_more_results_than_calls() {
    for calls in 0..4 {
        for fail_at in [None, Some(0), Some(1)] {
            for (refuse_before, refuse_after) in [(false, false), (true, false), (false, true)] {
                for guard_holds in [true, false] {
                    let case = Case {
                        calls,
                        fail_at,
                        refuse_before,
                        refuse_after,
                        guard_holds,
                    };
                    let (report, made) = case.run().await;
                    assert!(
                        report.results.len() <= calls,
                        "{calls} calls, failing at {fail_at:?}, before refused \
                         {refuse_before}, after refused {refuse_after}, guard holds \
                         {guard_holds}: {report:?}"
                    );
                    assert!(
                        made <= report.results.len(),
                        "every call made has its result"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn an_outcome_the_log_could_not_record_stops_the_calls_and_is_reported_apart() {
    let (report, made) = Case {
        refuse_after: true,
        ..Case::plain(2)
    }
    .run()
    .await;
    assert_eq!(made, 1, "nothing is called after an unrecorded outcome");
    assert_eq!(
        report.results,
        [Ok(OperateOutcome {
            detail: "call 0".into()
        })]
    );
    assert_eq!(
        report.audit_error,
        Some(SourceError::Other(
            "audit log not writable after the call: disk full".into()
        ))
    );
    assert_eq!(report.first_error(), report.audit_error.as_ref());
}

#[tokio::test]
async fn no_call_is_made_without_its_before_line() {
    let (report, made) = Case {
        refuse_before: true,
        ..Case::plain(2)
    }
    .run()
    .await;
    assert_eq!(made, 0);
    assert_eq!(
        report.results,
        [Err(SourceError::Other(
            "audit log not writable, call not made: disk full".into()
        ))]
    );
    assert_eq!(report.audit_error, None);
}

#[tokio::test]
async fn a_decision_that_no_longer_holds_calls_nothing_and_keeps_what_was_read() {
    let (report, made) = Case {
        guard_holds: false,
        ..Case::plain(1)
    }
    .run()
    .await;
    assert_eq!(made, 0);
    assert!(
        matches!(report.results.as_slice(), [Err(SourceError::NotDone(why))] if why.ends_with("; nothing was called")),
        "{report:?}"
    );
    assert_eq!(
        report.fresh,
        Some(Observation::Health { checks: Vec::new() })
    );
}

#[tokio::test]
async fn calls_stop_at_the_first_failure() {
    let (report, made) = Case {
        fail_at: Some(0),
        ..Case::plain(3)
    }
    .run()
    .await;
    assert_eq!(made, 1);
    assert_eq!(
        report.results,
        [Err(SourceError::Conflict("refused".into()))]
    );
    assert_eq!(report.audit_error, None);
}

/// The team copy failing never holds up the call: the local line is the
/// gate, the call is made after it, and the copy lands once the group
/// takes it again.
#[tokio::test]
async fn a_team_copy_that_fails_leaves_the_local_gate_and_the_call_as_they_were() {
    use aws_sdk_cloudwatchlogs::Client;
    use aws_smithy_mocks::mock;

    use crate::audit::AuditLog;
    use crate::audit::team::TeamCopy;
    use crate::audit::team::tests::{QUICK, mocked_log, session};

    let create = mock!(Client::create_log_stream)
        .sequence()
        .http_status(200, Some("{}".to_string()))
        .repeatedly()
        .build();
    let throttled = r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#;
    let put = mock!(Client::put_log_events)
        .sequence()
        .http_status(400, Some(throttled.to_string()))
        .times(3)
        .http_status(200, Some("{}".to_string()))
        .repeatedly()
        .build();
    let dir = std::env::temp_dir().join(format!("wavetop-exec-team-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("audit.jsonl");
    let copy = TeamCopy::start(mocked_log(&[&create, &put]), path.clone(), session(), QUICK);
    let log = AuditLog::open(&path).unwrap().with_team_copy(copy.clone());

    let (report, made) = Case::plain(1).run_with(Arc::new(log)).await;
    assert_eq!(made, 1, "the call was made");
    assert!(report.results.iter().all(Result::is_ok), "{report:?}");
    assert_eq!(report.audit_error, None);
    let lines = crate::audit::read_log(&path).unwrap().lines;
    assert_eq!(lines.len(), 2, "before and after, on disk");

    copy.settle(std::time::Duration::from_secs(5))
        .await
        .unwrap();
    assert!(put.num_calls() >= 4, "three throttled tries, then it lands");
    assert!(crate::audit::check::check(&path).unwrap().is_clean());
}
