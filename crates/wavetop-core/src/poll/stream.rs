//! The change stream's side of the schedule: when the stream is read next,
//! whether it is live, how far behind it is. While it is live, ordinary
//! polling of pipelines and stacks stops (the scheduler's floor, see
//! [`super::scheduler::PollScheduler::set_floor`]): what moved is read again
//! because it emitted an event, and everything at the slow reconcile
//! cadence. When a read fails, polling takes over until the stream reads
//! again. Pure: the clock is passed in.

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};

use super::scheduler::jittered_backoff_secs;
use crate::protocol::SourceError;

/// How often the stream is read and everything reconciled, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamCadence {
    /// Between two reads of the log group: a change shows within this
    /// long of its event, plus one poll of what emitted it.
    pub read_secs: i64,
    /// Between two polls of one pipeline or region's stacks while the stream is live.
    pub reconcile_secs: i64,
}

impl Default for StreamCadence {
    fn default() -> Self {
        // Four seconds: a change shows within five of its event, and twenty
        // consoles reading one group stay within FilterLogEvents' quota of
        // five requests a second per account and region. Fifteen minutes:
        // EventBridge retries its delivery to the log group, so a missed
        // event is rare (a stream that fails is polled instead, and so is
        // what it has no source for), and reading 200 pipelines again is
        // the largest part of a live minute.
        Self {
            read_secs: 4,
            reconcile_secs: 900,
        }
    }
}

/// Whether the stream is what keeps the console current.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamHealth {
    /// Not read yet: polling as usual.
    Starting,
    Live,
    /// The last read failed: polling as usual until a read succeeds.
    Failed(SourceError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StreamState {
    pub cadence: StreamCadence,
    pub health: StreamHealth,
    /// The newest event's own time, to say how far behind the stream is.
    pub last_event: Option<Timestamp>,
    /// When the stream last answered.
    pub last_read: Option<Timestamp>,
    /// Events read, and events the console could not use (not followed, unreadable).
    pub events: u64,
    pub skipped: u64,
    /// Events merged into the model without a read.
    pub merged: u64,
    /// What the backend was last told of the stream's coverage.
    pub announced_live: bool,
    /// The regions whose pipelines and stacks emit into the stream; None:
    /// all of them. Elsewhere they are polled as usual while it is live.
    pub regions: Option<BTreeSet<String>>,
    next_read: Timestamp,
    in_flight: Option<(u64, Timestamp)>,
    generation: u64,
    failures: u32,
    timeout_secs: i64,
}

/// The longest wait between reads of a failing stream: it shows again within it.
const MAX_RETRY_SECS: i64 = 60;

impl StreamState {
    pub fn new(cadence: StreamCadence, now: Timestamp, timeout_secs: i64) -> Self {
        Self {
            cadence,
            health: StreamHealth::Starting,
            last_event: None,
            last_read: None,
            events: 0,
            skipped: 0,
            merged: 0,
            announced_live: false,
            regions: None,
            next_read: now,
            in_flight: None,
            generation: 0,
            failures: 0,
            timeout_secs,
        }
    }

    pub fn is_live(&self) -> bool {
        self.health == StreamHealth::Live
    }

    /// The generation of a read to send now, if one is due. A read that
    /// took longer than the timeout counts as failed first.
    pub fn due(&mut self, now: Timestamp) -> Option<u64> {
        if let Some((generation, sent)) = self.in_flight {
            if now.duration_since(sent) < SignedDuration::from_secs(self.timeout_secs) {
                return None;
            }
            let err = SourceError::timed_out(
                "stream",
                SignedDuration::from_secs(self.timeout_secs).unsigned_abs(),
            );
            self.completed(generation, now, Err(err));
        }
        if self.next_read > now {
            return None;
        }
        self.generation += 1;
        self.in_flight = Some((self.generation, now));
        Some(self.generation)
    }

    /// Records a read's answer. Returns false for an answer nobody waits
    /// for any more (it is then dropped).
    pub fn completed(
        &mut self,
        generation: u64,
        now: Timestamp,
        result: Result<Option<Timestamp>, SourceError>,
    ) -> bool {
        if self.in_flight.map(|(g, _)| g) != Some(generation) {
            return false;
        }
        self.in_flight = None;
        match result {
            Ok(newest) => {
                self.failures = 0;
                self.health = StreamHealth::Live;
                self.last_read = Some(now);
                self.last_event = self.last_event.max(newest);
                self.next_read = now + SignedDuration::from_secs(self.cadence.read_secs);
            }
            Err(err) => {
                self.failures = self.failures.saturating_add(1);
                let secs = jittered_backoff_secs(
                    self.cadence.read_secs,
                    self.failures,
                    MAX_RETRY_SECS,
                    u64::from(self.failures) ^ generation,
                );
                self.health = StreamHealth::Failed(err);
                self.next_read = now + SignedDuration::from_secs(secs);
            }
        }
        true
    }

    /// How far behind the stream may be: since its last answer while live.
    pub fn behind(&self, now: Timestamp) -> Option<SignedDuration> {
        self.last_read.map(|read| now.duration_since(read))
    }

    /// When the stream wants the runtime's timer next.
    pub fn next_wakeup(&self) -> Timestamp {
        match self.in_flight {
            Some((_, sent)) => sent + SignedDuration::from_secs(self.timeout_secs),
            None => self.next_read,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    #[test]
    fn reads_come_at_the_read_cadence_one_at_a_time() {
        let mut s = StreamState::new(StreamCadence::default(), t(0), 20);
        let g = s.due(t(0)).unwrap();
        assert_eq!(s.due(t(1)), None, "one read in flight");
        assert!(s.completed(g, t(1), Ok(Some(t(0)))));
        assert!(s.is_live());
        assert_eq!(s.due(t(4)), None);
        assert!(s.due(t(5)).is_some());
    }

    #[test]
    fn a_failed_read_backs_off_within_a_minute_and_a_good_one_is_live_again() {
        let mut s = StreamState::new(StreamCadence::default(), t(0), 20);
        let mut now = t(0);
        for _ in 0..8 {
            let g = s.due(now).unwrap();
            s.completed(g, now, Err(SourceError::Throttled("slow".into())));
            assert!(matches!(s.health, StreamHealth::Failed(_)));
            let wait = s.next_wakeup().as_second() - now.as_second();
            assert!((1..=60).contains(&wait), "{wait}");
            now = s.next_wakeup();
        }
        let g = s.due(now).unwrap();
        s.completed(g, now, Ok(None));
        assert!(s.is_live());
    }

    #[test]
    fn a_read_that_hangs_fails_at_the_timeout() {
        let mut s = StreamState::new(StreamCadence::default(), t(0), 20);
        let g = s.due(t(0)).unwrap();
        assert_eq!(s.due(t(19)), None);
        let again = s.due(t(40));
        assert!(matches!(
            s.health,
            StreamHealth::Failed(SourceError::Timeout(_))
        ));
        assert!(
            !s.completed(g, t(41), Ok(None)),
            "the late answer is dropped"
        );
        assert!(again.is_none() || again != Some(g));
    }
}
