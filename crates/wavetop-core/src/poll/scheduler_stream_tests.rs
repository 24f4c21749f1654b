//! The scheduler while the change stream is live: its floor and re-reads.

use super::*;

fn t(secs: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + secs).unwrap()
}

fn flow(name: &str) -> PollKey {
    PollKey::Flow {
        flow: name.to_string(),
    }
}

fn answer(s: &mut PollScheduler, key: &PollKey, now: Timestamp) {
    let (_, g) = s.due(now).into_iter().find(|(k, _)| k == key).unwrap();
    s.completed(key, g, now, Ok(Activity::Moving));
}

#[test]
fn with_a_floor_a_moving_pipeline_waits_for_reconciliation_but_health_does_not() {
    let mut s = PollScheduler::new(Cadence::default());
    s.set_floor(Some(300), t(0));
    s.register(flow("a"), t(0));
    s.register(PollKey::Health, t(0));
    for (k, g) in s.due(t(0)) {
        s.completed(&k, g, t(0), Ok(Activity::Moving));
    }
    assert_eq!(s.state(&flow("a")).unwrap().interval_secs, 300);
    assert_eq!(s.state(&PollKey::Health).unwrap().interval_secs, 15);
}

#[test]
fn a_reread_is_due_at_once_or_right_after_the_request_in_flight() {
    let mut s = PollScheduler::new(Cadence::default());
    s.set_floor(Some(300), t(0));
    s.register(flow("a"), t(0));
    answer(&mut s, &flow("a"), t(0));
    assert!(s.due(t(10)).is_empty());
    assert!(s.reread(&flow("a"), t(10)));
    let (_, g) = s.due(t(10)).remove(0);
    assert!(s.reread(&flow("a"), t(11)), "changed while in flight");
    s.completed(&flow("a"), g, t(12), Ok(Activity::Moving));
    assert_eq!(s.due(t(12)).len(), 1, "asked again at once");
    assert!(!s.reread(&flow("unknown"), t(12)));
}

#[test]
fn lifting_the_floor_brings_polling_back_within_the_spread() {
    let mut s = PollScheduler::new(Cadence::default());
    s.set_floor(Some(300), t(0));
    s.register(flow("a"), t(0));
    answer(&mut s, &flow("a"), t(0));
    s.set_floor(None, t(20));
    let due = s.state(&flow("a")).unwrap().next_due;
    assert!(due <= t(25), "{due}");
    answer(&mut s, &flow("a"), t(25));
    assert_eq!(s.state(&flow("a")).unwrap().interval_secs, 5);
}

#[test]
fn going_live_what_was_read_waits_from_that_read_and_what_never_was_is_read_as_planned() {
    let mut s = PollScheduler::new(Cadence::default());
    let stacks = PollKey::Stacks {
        region: "eu-west-1".into(),
    };
    s.register(flow("read"), t(0));
    s.register(stacks.clone(), t(0));
    s.register(PollKey::Health, t(0));
    s.expedite_all(t(0));
    for (k, g) in s.due(t(0)) {
        s.completed(&k, g, t(0), Ok(Activity::Idle));
    }
    s.register(flow("never"), t(10));
    let planned = s.state(&flow("never")).unwrap().next_due;
    s.set_stream_blind([stacks.clone()].into());
    s.set_floor(Some(300), t(10));
    assert_eq!(s.state(&flow("read")).unwrap().next_due, t(300));
    assert_eq!(s.state(&flow("never")).unwrap().next_due, planned);
    // Health and what the stream has no source for keep their cadence.
    let health = s.state(&PollKey::Health).unwrap();
    assert_eq!(health.next_due, t(health.interval_secs));
    let blind = s.state(&stacks).unwrap();
    assert_eq!(blind.next_due, t(blind.interval_secs));
    assert!(blind.interval_secs < 300);
}
