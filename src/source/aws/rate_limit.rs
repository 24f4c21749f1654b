//! Local token buckets: in front of Route53's GetHealthCheckStatus, which AWS
//! limits to a bucket of 4 requests refilled at 1 per second per account, and
//! in front of every service endpoint (`pacing`), whose refill rate follows
//! [`Aimd`]: wavetop waits for a token instead of finding the limit by being
//! throttled, and when it is throttled all the same it asks more slowly.

use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(capacity: u32, per_second: f64, now: Instant) -> Self {
        Self {
            capacity: f64::from(capacity),
            per_second,
            tokens: f64::from(capacity),
            last: now,
        }
    }

    /// Route53's GetHealthCheckStatus limit.
    pub fn route53_checker_status(now: Instant) -> Self {
        Self::new(4, 1.0, now)
    }

    /// Refills at `per_second` from now on; tokens held are kept.
    pub fn set_rate(&mut self, per_second: f64) {
        self.per_second = per_second;
    }

    /// Takes a token, or says how long until one is available.
    pub fn try_take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / self.per_second,
            ))
        }
    }
}

/// Additive increase, multiplicative decrease: a throttle answer halves the
/// rate, each answer that is not a throttle adds a small step back, always
/// within `[floor, ceiling]`. Halving empties the queue AWS is pushing back
/// on at once; coming back by small steps finds the endpoint's real limit
/// without a second burst of throttles.
#[derive(Debug, Clone, PartialEq)]
pub struct Aimd {
    rate: f64,
    floor: f64,
    ceiling: f64,
    step: f64,
}

impl Aimd {
    /// Starts at the ceiling; about `recovery` answers take the rate from
    /// the floor back to the ceiling.
    pub fn new(floor: f64, ceiling: f64, recovery: u32) -> Self {
        let ceiling = ceiling.max(floor);
        Self {
            rate: ceiling,
            floor,
            ceiling,
            step: (ceiling - floor) / f64::from(recovery.max(1)),
        }
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }

    pub fn ceiling(&self) -> f64 {
        self.ceiling
    }

    pub fn on_throttle(&mut self) {
        self.rate = (self.rate / 2.0).max(self.floor);
    }

    pub fn on_answer(&mut self) {
        self.rate = (self.rate + self.step).min(self.ceiling);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttles_halve_down_to_the_floor_and_answers_climb_back_to_the_ceiling() {
        let mut aimd = Aimd::new(0.5, 8.0, 15);
        assert_eq!(aimd.rate(), 8.0);
        aimd.on_throttle();
        assert_eq!(aimd.rate(), 4.0);
        for _ in 0..10 {
            aimd.on_throttle();
        }
        assert_eq!(aimd.rate(), 0.5);
        aimd.on_answer();
        assert_eq!(aimd.rate(), 1.0);
        for _ in 0..13 {
            aimd.on_answer();
        }
        assert!(aimd.rate() < 8.0, "{}", aimd.rate());
        for _ in 0..5 {
            aimd.on_answer();
        }
        assert_eq!(aimd.rate(), 8.0);
    }

    #[test]
    fn a_burst_of_four_then_one_per_second() {
        let start = Instant::now();
        let mut bucket = TokenBucket::route53_checker_status(start);
        for _ in 0..4 {
            assert!(bucket.try_take(start).is_ok());
        }
        let wait = bucket.try_take(start).unwrap_err();
        assert!(
            wait > Duration::from_millis(990) && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        assert!(bucket.try_take(start + Duration::from_millis(500)).is_err());
        assert!(bucket.try_take(start + Duration::from_millis(1000)).is_ok());
        assert!(
            bucket
                .try_take(start + Duration::from_millis(1000))
                .is_err()
        );
    }

    #[test]
    fn never_more_than_capacity_plus_elapsed_seconds() {
        let start = Instant::now();
        let mut bucket = TokenBucket::route53_checker_status(start);
        let mut granted = 0;
        // Ask every 100 ms for 10 s, after a long idle time that must not over-fill the bucket.
        let idle = start + Duration::from_secs(3600);
        for step in 0..100 {
            if bucket
                .try_take(idle + Duration::from_millis(step * 100))
                .is_ok()
            {
                granted += 1;
            }
        }
        // 4 at once, then one per elapsed second (9.9 s elapsed).
        assert_eq!(granted, 4 + 9);
    }
}
