//! A local token bucket in front of Route53's GetHealthCheckStatus, which AWS
//! limits to a bucket of 4 requests refilled at 1 per second per account:
//! wavetop waits for a token instead of finding the limit by being throttled.

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

#[cfg(test)]
mod tests {
    use super::*;

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
