use jiff::Timestamp;

use super::*;

fn t(secs: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + secs).unwrap()
}

fn stack() -> Stack {
    Stack {
        name: "checkout-eu".into(),
        region: "eu-west-1".into(),
        flow: "checkout".into(),
        status: StackStatus::from("UPDATE_IN_PROGRESS"),
        status_reason: None,
        events: vec![polled("e1", 10, "Table", "UPDATE_COMPLETE")],
        fetched_at: t(10),
    }
}

fn polled(id: &str, at: i64, logical: &str, status: &str) -> StackEvent {
    StackEvent::new(StackEventRecord {
        event_id: id.into(),
        timestamp: t(at),
        logical_id: logical.into(),
        resource_type: "AWS::Lambda::Function".into(),
        status: StackStatus::from(status),
        reason: None,
    })
}

fn resource<'e>(id: &'e str, at: i64, status: &'e str, reason: Option<&'e str>) -> StackChange<'e> {
    StackChange {
        event_id: id,
        time: t(at),
        resource: Some("Handler"),
        resource_type: Some("AWS::Lambda::Function"),
        status,
        reason,
    }
}

#[test]
fn a_resource_event_heads_the_stack_trail_with_its_reason() {
    let mut s = stack();
    let change = resource("ev-1", 20, "UPDATE_FAILED", Some("Rate exceeded"));
    assert_eq!(apply_stack_change(&mut s, &change, 50), Applied::Merged);
    let head = &s.events[0];
    assert_eq!(head.logical_id, "Handler");
    assert!(head.status.is_failed());
    assert_eq!(head.reason.as_deref(), Some("Rate exceeded"));
    assert_eq!(
        s.failing_event().map(|e| e.logical_id.as_str()),
        Some("Handler")
    );
    assert_eq!(s.events.len(), 2);
    // The same event read again from the stream changes nothing.
    assert_eq!(apply_stack_change(&mut s, &change, 50), Applied::Nothing);
    assert_eq!(s.events.len(), 2);
}

#[test]
fn an_older_resource_event_takes_its_place_in_time_and_the_trail_stays_bounded() {
    let mut s = stack();
    apply_stack_change(&mut s, &resource("ev-2", 30, "UPDATE_COMPLETE", None), 2);
    apply_stack_change(&mut s, &resource("ev-1", 20, "UPDATE_IN_PROGRESS", None), 2);
    let times: Vec<_> = s.events.iter().map(|e| e.timestamp).collect();
    assert_eq!(
        times,
        vec![t(30), t(20)],
        "newest first, the oldest dropped"
    );
}

#[test]
fn the_polled_event_replaces_the_stream_s_copy_of_it() {
    let mut s = stack();
    apply_stack_change(&mut s, &resource("ev-1", 20, "UPDATE_COMPLETE", None), 50);
    // CloudFormation stamps to the millisecond, EventBridge to the second.
    let exact = StackEvent::new(StackEventRecord {
        timestamp: Timestamp::from_millisecond(t(20).as_millisecond() + 640).unwrap(),
        ..(*polled("cfn-42", 20, "Handler", "UPDATE_COMPLETE")).clone()
    });
    let other = polled("cfn-43", 21, "Handler", "UPDATE_FAILED");
    drop_streamed_copies(&mut s.events, &[exact, other]);
    assert_eq!(
        s.events
            .iter()
            .map(|e| e.event_id.as_str())
            .collect::<Vec<_>>(),
        vec!["e1"],
        "the stream's copy went, the poll's own events stay"
    );
}

#[test]
fn a_stack_status_event_newer_than_the_last_read_sets_status_and_reason() {
    let mut s = stack();
    let change = StackChange {
        event_id: "ev-9",
        time: t(40),
        resource: None,
        resource_type: None,
        status: "UPDATE_ROLLBACK_IN_PROGRESS",
        reason: Some("The following resource(s) failed to update: [Handler]"),
    };
    assert_eq!(apply_stack_change(&mut s, &change, 50), Applied::Merged);
    assert!(s.rollback_in_progress());
    assert!(s.status_reason.as_deref().unwrap().contains("Handler"));
    // What the last read already saw is not taken back by an older event.
    let stale = StackChange {
        time: t(5),
        status: "UPDATE_COMPLETE",
        ..change
    };
    assert_eq!(apply_stack_change(&mut s, &stale, 50), Applied::Nothing);
    assert!(s.rollback_in_progress());
}
