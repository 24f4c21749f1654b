//! The startup spread, the in-flight bound per endpoint, the budget and the
//! watched key, on a virtual clock.

use super::*;

fn t(secs: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + secs).unwrap()
}

fn flow(i: usize) -> PollKey {
    PollKey::Flow {
        flow: format!("svc{i:03}"),
    }
}

fn pipelines_in(region: &str) -> Endpoint {
    Endpoint {
        service: "codepipeline".into(),
        account: "default".into(),
        region: region.into(),
    }
}

/// Answers every due key at once with `activity`, from `from` to `to` by
/// the second; returns how many polls went out.
fn run(s: &mut PollScheduler, from: i64, to: i64, activity: Activity) -> usize {
    let mut sent = 0;
    for now in from..to {
        for (k, g) in s.due(t(now)) {
            s.completed(&k, g, t(now), Ok(activity));
            sent += 1;
        }
    }
    sent
}

#[test]
fn the_first_polls_of_a_large_fleet_are_spread_over_the_first_interval() {
    let mut s = PollScheduler::new(Cadence {
        max_in_flight_per_endpoint: 1_000,
        ..Cadence::default()
    });
    for i in 0..200 {
        s.register_spread(flow(i), pipelines_in("us-east-1"), t(0));
    }
    let mut per_second = Vec::new();
    for now in 0..6 {
        per_second.push(s.due(t(now)).len());
    }
    assert_eq!(
        per_second.iter().sum::<usize>(),
        200,
        "all asked within 5 s"
    );
    assert!(
        per_second.first() < Some(&10),
        "few at once: {per_second:?}"
    );
    assert!(
        per_second.iter().all(|n| *n <= 60),
        "no second sends more than 60 of 200: {per_second:?}"
    );

    // The same key always lands at the same offset.
    let mut again = PollScheduler::new(Cadence::default());
    again.register_spread(flow(7), pipelines_in("us-east-1"), t(0));
    let offset = Cadence::default().first_offset(&flow(7));
    assert_eq!(again.state(&flow(7)).unwrap().next_due, t(0) + offset);
    assert!(offset < SignedDuration::from_secs(5));
}

#[test]
fn an_endpoint_has_a_bounded_number_of_requests_in_flight_and_a_key_one() {
    let mut s = PollScheduler::new(Cadence {
        max_in_flight_per_endpoint: 3,
        ..Cadence::default()
    });
    for i in 0..5 {
        s.register_on(flow(i), pipelines_in("us-east-1"), t(0));
    }
    s.register_on(flow(9), pipelines_in("eu-west-1"), t(0));
    let first = s.due(t(0));
    let east: Vec<_> = first.iter().filter(|(k, _)| *k != flow(9)).collect();
    assert_eq!(east.len(), 3, "three of five to one endpoint");
    assert!(
        first.iter().any(|(k, _)| *k == flow(9)),
        "another endpoint is not held up"
    );
    assert!(s.due(t(1)).is_empty(), "nothing more until an answer");

    let (key, g) = east.first().cloned().cloned().unwrap();
    s.completed(&key, g, t(1), Ok(Activity::Idle));
    let next = s.due(t(1));
    assert_eq!(next.len(), 1, "an answer frees one slot");
    assert!(
        !next.iter().any(|(k, _)| *k == key),
        "a key has one request"
    );
}

#[test]
fn keys_nobody_watches_share_the_budget() {
    let cadence = Cadence::default();
    let mut s = PollScheduler::new(cadence.clone());
    // 300 settled pipelines at 30 s would be 600 polls a minute.
    for i in 0..300 {
        s.register_on(flow(i), pipelines_in("us-east-1"), t(0));
    }
    let mut now = 0;
    while s.keys().any(|(_, st)| st.last_ok.is_none()) {
        run(&mut s, now, now + 1, Activity::Idle);
        now += 1;
    }
    run(&mut s, now, now + 300, Activity::Idle);
    let sent = run(&mut s, now + 300, now + 600, Activity::Idle) / 5;
    assert!(
        sent as u64 <= cadence.budget_per_minute + 5,
        "{sent} polls a minute in steady state"
    );
    assert!(s.requests_per_minute() <= cadence.budget_per_minute as f64 + 1.0);
    let interval = s.state(&flow(0)).unwrap().interval_secs;
    assert_eq!(interval, 75, "30 s stretched by 600 / 240");
    assert!(
        !s.is_stale(&flow(0), t(now + 600)),
        "stretched is not stale"
    );

    // A key whose answers take four requests costs the budget four polls.
    s.cost(&flow(0), 4);
    run(&mut s, now + 600, now + 700, Activity::Idle);
    assert!(s.state(&flow(0)).unwrap().interval_secs > 75);

    // Ten pipelines fit: they keep the idle cadence.
    let mut small = PollScheduler::new(cadence);
    for i in 0..10 {
        small.register_on(flow(i), pipelines_in("us-east-1"), t(0));
    }
    run(&mut small, 0, 2, Activity::Idle);
    assert_eq!(small.state(&flow(3)).unwrap().interval_secs, 30);
}

#[test]
fn the_watched_key_is_polled_fast_and_at_once_when_its_answer_is_old() {
    let mut s = PollScheduler::new(Cadence::default());
    for i in 0..300 {
        s.register_on(flow(i), pipelines_in("us-east-1"), t(0));
    }
    run(&mut s, 0, 60, Activity::Idle);
    let polls = |s: &mut PollScheduler, key: &PollKey, from: i64, to: i64| {
        let mut n = 0;
        for now in from..to {
            for (k, g) in s.due(t(now)) {
                n += usize::from(k == *key);
                s.completed(&k, g, t(now), Ok(Activity::Idle));
            }
        }
        n
    };
    let watched = flow(42);
    let settled = flow(43);
    s.watch(vec![watched.clone()], t(60));
    assert_eq!(s.watched(), std::slice::from_ref(&watched));
    let due = s.due(t(60));
    assert!(due.iter().any(|(k, _)| *k == watched), "asked at once");
    for (k, g) in due {
        s.completed(&k, g, t(60), Ok(Activity::Idle));
    }
    assert!(polls(&mut s, &watched, 61, 121) >= 11, "every 5 s");
    assert!(polls(&mut s, &settled, 121, 181) <= 1, "settled: 75 s");

    // Looked away: back in the budget at its tier.
    s.watch(vec![settled.clone()], t(181));
    assert!(polls(&mut s, &watched, 181, 241) <= 1);
}
