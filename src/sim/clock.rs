//! Clocks the simulated world can follow: the wall clock mapped onto the
//! demo's fixed start, or a hand-driven one for tests.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};

/// What [`super::SimBackend`] asks for the current simulated time.
pub type SimClock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// A clock that starts at `start` now and advances with real time.
pub fn wall_clock_from(start: Timestamp) -> SimClock {
    let origin = Instant::now();
    Arc::new(move || {
        let elapsed = SignedDuration::try_from(origin.elapsed()).unwrap_or(SignedDuration::ZERO);
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
        *self.now.lock().expect("clock lock")
    }

    pub fn set(&self, t: Timestamp) {
        *self.now.lock().expect("clock lock") = t;
    }

    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.now.lock().expect("clock lock");
        *now = now.saturating_add(by).unwrap_or(*now);
    }

    pub fn as_clock(&self) -> SimClock {
        let now = self.now.clone();
        Arc::new(move || *now.lock().expect("clock lock"))
    }
}
