//! Clocks the simulated world can follow: the wall clock mapped onto the
//! demo's fixed start, or a hand-driven one for tests.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

/// What [`super::SimBackend`] asks for the current simulated time.
pub type SimClock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// A clock that starts at `start` now and advances with real time.
pub fn wall_clock_from(start: Timestamp) -> SimClock {
    wall_clock_scaled(start, 1.0)
}

/// A clock that starts at `start` now and runs `speed` times faster than
/// real time (a speed of 10 plays ten simulated minutes per real minute).
pub fn wall_clock_scaled(start: Timestamp, speed: f64) -> SimClock {
    let origin = Instant::now();
    let speed = if speed.is_finite() && speed > 0.0 {
        speed
    } else {
        1.0
    };
    Arc::new(move || {
        let scaled = origin.elapsed().as_secs_f64() * speed;
        let elapsed = SignedDuration::try_from_secs_f64(scaled).unwrap_or(SignedDuration::ZERO);
        start.saturating_add(elapsed).unwrap_or(start)
    })
}

/// A clock that only moves when told to.
#[derive(Clone)]
pub struct ManualClock {
    now: Arc<Mutex<Timestamp>>,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self {
            now: Arc::new(Mutex::new(start)),
        }
    }

    pub fn now(&self) -> Timestamp {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn set(&self, t: Timestamp) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = t;
    }

    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now = now.saturating_add(by).unwrap_or(*now);
    }

    pub fn as_clock(&self) -> SimClock {
        let now = self.now.clone();
        Arc::new(move || *now.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told_and_handles_share_it() {
        let t0: Timestamp = "2026-11-20T02:00:00Z".parse().unwrap();
        let clock = ManualClock::new(t0);
        let read = clock.as_clock();
        assert_eq!(read(), t0);
        clock.advance(SignedDuration::from_secs(90));
        assert_eq!(read(), t0 + SignedDuration::from_secs(90));
        clock.set(t0);
        assert_eq!(clock.now(), t0);
    }

    #[test]
    fn scaled_wall_clock_starts_at_its_start_and_never_goes_back() {
        let t0: Timestamp = "2026-11-20T02:00:00Z".parse().unwrap();
        let clock = wall_clock_scaled(t0, 50.0);
        let a = clock();
        let b = clock();
        assert!(a >= t0 && b >= a);
        assert!(t0.duration_until(a) < SignedDuration::from_secs(60));
    }
}
