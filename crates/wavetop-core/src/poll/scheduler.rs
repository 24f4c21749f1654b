//! Decides what to fetch and when, per poll key: fast while something moves
//! or the operator watches it, slow when idle, backing off with jitter on
//! throttling and server errors, never two requests in flight for one key
//! nor more than a few for one endpoint. Keys that reach the same endpoint
//! recover together: a good answer from one ends its siblings' backoff. The
//! keys nobody watches share a poll budget ([`super::budget`]); the first
//! polls of a large fleet are spread over their first interval. Pure: the
//! clock is passed in.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::{SignedDuration, Timestamp};

use super::budget::{milli_rate, stretched_secs};
use super::endpoint::Endpoint;
use crate::protocol::{PollKey, SourceError};

/// Intervals in seconds for each kind of key, while active and while idle.
#[derive(Debug, Clone, PartialEq)]
pub struct Cadence {
    pub flow: (i64, i64),
    pub stacks: (i64, i64),
    pub health: (i64, i64),
    pub checkers: (i64, i64),
    pub replication: (i64, i64),
    /// A region's alarms, and their history while a bake runs there.
    pub alarms: (i64, i64),
    /// A flow's action history: what is live where. It changes only when
    /// a deploy finishes, which the flow's own poll sees first; the history
    /// catches up what the console could not see (before it started, or
    /// between two polls of the flow), so it is read seldom: every flow at
    /// a period of its own between this and twice this, past the budget's
    /// stretch (its cost still counts against the budget).
    pub revisions: (i64, i64),
    /// Upper bound of the backoff after repeated failures, jitter included:
    /// once AWS recovers, a key shows it within this long.
    pub max_backoff_secs: i64,
    /// How long one request may take before it counts as failed.
    pub timeout_secs: i64,
    /// Requests a minute for every key but the watched ones: past it, their
    /// intervals stretch evenly.
    pub budget_per_minute: u64,
    /// The longest the budget stretches an interval: past that the budget
    /// gives way rather than let a key go unread for longer.
    pub max_interval_secs: i64,
    /// The longest a key found with the fleet waits for its first poll.
    pub spread_secs: i64,
    /// Requests in flight at once to one endpoint (service, account,
    /// region); further due keys wait for an answer.
    pub max_in_flight_per_endpoint: usize,
}

impl Default for Cadence {
    fn default() -> Self {
        Self {
            flow: (5, 30),
            stacks: (5, 60),
            health: (15, 60),
            checkers: (10, 30),
            replication: (60, 60),
            alarms: (30, 60),
            revisions: (900, 900),
            max_backoff_secs: 60,
            timeout_secs: 20,
            budget_per_minute: 240,
            max_interval_secs: 300,
            spread_secs: 5,
            max_in_flight_per_endpoint: 8,
        }
    }
}

impl Cadence {
    fn interval(&self, key: &PollKey, active: bool) -> i64 {
        let (fast, slow) = match key {
            PollKey::Flow { .. } => self.flow,
            PollKey::Stacks { .. } => self.stacks,
            PollKey::Health => self.health,
            PollKey::Checkers { .. } => self.checkers,
            PollKey::Replication { .. } => self.replication,
            PollKey::Alarms { .. } | PollKey::AlarmHistory { .. } => self.alarms,
            // A schedule changes only when an operator holds or releases,
            // and a new hold is a new key, read within `spread_secs`: the
            // idle cadence of the stacks is enough to see another
            // console's change.
            PollKey::HoldSchedules { .. } => (self.stacks.1, self.stacks.1),
            PollKey::Revisions { .. } => {
                // Each flow's history at a period of its own, between one
                // and two base intervals: all the flows of a fleet are found
                // at once, and would otherwise be read again all at once.
                let (fast, slow) = self.revisions;
                let base = if active { fast } else { slow }.max(1);
                let own = hash_label(&key.label()) % base.unsigned_abs();
                return base + i64::try_from(own).unwrap_or(0);
            }
        };
        if active { fast } else { slow }
    }

    /// When a new key is first asked: spread over its fast interval (at
    /// most `spread_secs`) by a
    /// hash of its name, so that hundreds of keys found at once do not all
    /// go out in the same instant, and the same key always lands at the same
    /// offset (tests can tell when).
    pub fn first_offset(&self, key: &PollKey) -> SignedDuration {
        let window = self.interval(key, true).min(self.spread_secs);
        let window_ms = window.max(1).unsigned_abs() * 1_000;
        let offset = hash_label(&key.label()) % window_ms;
        SignedDuration::from_millis(i64::try_from(offset).unwrap_or(0))
    }
}

/// The scheduler's view of one key, shown by the UI as freshness.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyState {
    pub next_due: Timestamp,
    /// Generation of the request in flight, if any; results of older
    /// generations are ignored.
    pub in_flight: Option<u64>,
    pub sent_at: Option<Timestamp>,
    pub active: bool,
    pub failures: u32,
    pub last_ok: Option<Timestamp>,
    /// The interval the key's activity asks for, before the budget.
    pub tier_secs: i64,
    /// The interval the key was last given, the budget's stretch included.
    pub interval_secs: i64,
    /// Requests its last answer took, as the merge estimated it (one until
    /// it is known): what one poll of the key costs the budget.
    pub requests: u32,
    pub last_error: Option<(Timestamp, SourceError)>,
    /// Answers that came after their request timed out or was overtaken,
    /// dropped unmerged.
    pub late_answers: u32,
    /// The service endpoint the key's requests go to.
    pub endpoint: Endpoint,
    /// The change stream said it changed while its request was in flight:
    /// the answer may predate the change, so it is asked again at once.
    pub reread: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PollScheduler {
    cadence: Cadence,
    keys: BTreeMap<PollKey, KeyState>,
    generation: u64,
    /// The keys the operator is looking at (the selected pipeline, the
    /// stacks of the region under the cursor): polled at their fast
    /// interval, outside the budget.
    watched: Vec<PollKey>,
    /// What the unwatched keys ask for at their tiers' intervals, in
    /// thousandths of requests a minute: the sum of their [`load`].
    demand: u64,
    /// While the change stream is live: the shortest interval of the keys
    /// it covers (pipelines, stacks), which it re-reads when they emit.
    floor_secs: Option<i64>,
    /// Keys of a kind the stream covers that emit nothing on it: a flow with
    /// no pipeline, whose cells mirror its stacks at each poll.
    stream_blind: BTreeSet<PollKey>,
}

/// Thousandths of requests a minute a key costs at its tier's interval.
fn load(state: &KeyState) -> u64 {
    milli_rate(state.tier_secs) * u64::from(state.requests.max(1))
}

/// Whether a completed poll saw movement (an execution or stack operation in progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    Moving,
    Idle,
}

impl PollScheduler {
    pub fn new(cadence: Cadence) -> Self {
        Self {
            cadence,
            keys: BTreeMap::new(),
            generation: 0,
            watched: Vec::new(),
            demand: 0,
            floor_secs: None,
            stream_blind: BTreeSet::new(),
        }
    }

    pub fn cadence(&self) -> &Cadence {
        &self.cadence
    }

    /// Adds a key, due at once, on the endpoint its own name implies
    /// ([`Endpoint::of_key`]). Adding a known key changes nothing.
    pub fn register(&mut self, key: PollKey, now: Timestamp) {
        let endpoint = Endpoint::of_key(&key);
        self.register_on(key, endpoint, now);
    }

    /// Adds a key, due at once, whose requests go to `endpoint`. A known
    /// key keeps its state and takes the endpoint (a pipeline's home region
    /// is known only once it has been read).
    pub fn register_on(&mut self, key: PollKey, endpoint: Endpoint, now: Timestamp) {
        self.insert(key, endpoint, now);
    }

    /// Adds a key like [`Self::register_on`], first due at its spread
    /// offset ([`Cadence::first_offset`]) instead of at once.
    pub fn register_spread(&mut self, key: PollKey, endpoint: Endpoint, now: Timestamp) {
        let first = now + self.cadence.first_offset(&key);
        self.insert(key, endpoint, first);
    }

    fn insert(&mut self, key: PollKey, endpoint: Endpoint, first_due: Timestamp) {
        if let Some(state) = self.keys.get_mut(&key) {
            state.endpoint = endpoint;
            return;
        }
        // Until its first answer tells, a key counts against the budget as idle.
        let tier_secs = self.cadence.interval(&key, false);
        let state = KeyState {
            next_due: first_due,
            in_flight: None,
            sent_at: None,
            active: true,
            failures: 0,
            last_ok: None,
            tier_secs,
            interval_secs: tier_secs,
            requests: 1,
            last_error: None,
            late_answers: 0,
            endpoint,
            reread: false,
        };
        if !self.watched.contains(&key) {
            self.demand += load(&state);
        }
        self.keys.insert(key, state);
    }

    pub fn unregister(&mut self, key: &PollKey) {
        if let Some(state) = self.keys.remove(key)
            && !self.watched.contains(key)
        {
            self.demand = self.demand.saturating_sub(load(&state));
        }
    }

    /// Unregisters every key of one kind (`of_kind`) that is not `wanted`:
    /// for polls that follow what the fleet shows (alarm history during a
    /// bake, hold schedules while a stage is held).
    pub fn unregister_unwanted(&mut self, of_kind: impl Fn(&PollKey) -> bool, wanted: &[PollKey]) {
        let stale: Vec<PollKey> = self
            .keys
            .keys()
            .filter(|key| of_kind(key) && !wanted.contains(key))
            .cloned()
            .collect();
        for key in &stale {
            self.unregister(key);
        }
    }

    /// The keys the operator now looks at: polled fast and outside the
    /// budget, each asked at once when its last answer is older than its
    /// fast interval. Keys watched before go back to their own tier.
    pub fn watch(&mut self, keys: Vec<PollKey>, now: Timestamp) {
        if self.watched == keys {
            return;
        }
        for old in std::mem::take(&mut self.watched) {
            if let Some(state) = self.keys.get(&old) {
                self.demand += load(state);
            }
        }
        for new in &keys {
            if let Some(state) = self.keys.get_mut(new) {
                self.demand = self.demand.saturating_sub(load(state));
                let fast = SignedDuration::from_secs(self.cadence.interval(new, true));
                let fresh_until = state.last_ok.map_or(now, |ok| ok + fast);
                state.next_due = state.next_due.min(fresh_until);
            }
        }
        self.watched = keys;
    }

    pub fn watched(&self) -> &[PollKey] {
        &self.watched
    }

    /// Records how many requests the last answer to `key` took, before
    /// [`Self::completed`] gives the key its next interval.
    pub fn cost(&mut self, key: &PollKey, requests: u32) {
        let watched = self.watched.contains(key);
        if let Some(state) = self.keys.get_mut(key) {
            if !watched {
                self.demand = self.demand.saturating_sub(load(state));
            }
            state.requests = requests.max(1);
            if !watched {
                self.demand += load(state);
            }
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = (&PollKey, &KeyState)> {
        self.keys.iter()
    }

    pub fn state(&self, key: &PollKey) -> Option<&KeyState> {
        self.keys.get(key)
    }

    /// The keys to fetch now, each with the generation its answer must carry.
    /// A key already in flight is skipped unless its request timed out, in
    /// which case it is failed first so one slow region cannot stall itself forever.
    pub fn due(&mut self, now: Timestamp) -> Vec<(PollKey, u64)> {
        let timeout = SignedDuration::from_secs(self.cadence.timeout_secs);
        let timed_out: Vec<(PollKey, u64)> = self
            .keys
            .iter()
            .filter_map(|(k, s)| match (s.in_flight, s.sent_at) {
                (Some(g), Some(sent)) if now.duration_since(sent) >= timeout => {
                    Some((k.clone(), g))
                }
                _ => None,
            })
            .collect();
        for (key, generation) in timed_out {
            let err = SourceError::timed_out(&key.label(), timeout.unsigned_abs());
            self.completed(&key, generation, now, Err(err));
        }

        let cap = self.cadence.max_in_flight_per_endpoint.max(1);
        let mut busy: HashMap<&Endpoint, usize> = HashMap::new();
        for state in self.keys.values().filter(|s| s.in_flight.is_some()) {
            *busy.entry(&state.endpoint).or_default() += 1;
        }
        let mut sendable = Vec::new();
        for (key, state) in &self.keys {
            if state.in_flight.is_none() && state.next_due <= now {
                let slots = busy.entry(&state.endpoint).or_default();
                if *slots < cap {
                    *slots += 1;
                    sendable.push(key.clone());
                }
            }
        }
        let mut out = Vec::new();
        for key in sendable {
            if let Some(state) = self.keys.get_mut(&key) {
                self.generation += 1;
                state.in_flight = Some(self.generation);
                state.sent_at = Some(now);
                out.push((key, self.generation));
            }
        }
        out
    }

    /// Makes every key due now (the operator asked for a refresh).
    pub fn expedite_all(&mut self, now: Timestamp) {
        for state in self.keys.values_mut() {
            if state.in_flight.is_none() {
                state.next_due = now;
            }
        }
    }

    /// Makes one key due now, e.g. health when a drain or restore is to be
    /// decided on fresh flags.
    pub fn expedite(&mut self, key: &PollKey, now: Timestamp) {
        if let Some(state) = self.keys.get_mut(key)
            && state.in_flight.is_none()
        {
            state.next_due = now;
        }
    }

    /// The change stream says `key` changed: it is asked at once, or, when
    /// its request is in flight, again as soon as that one answers.
    /// False for a key the scheduler does not know.
    pub fn reread(&mut self, key: &PollKey, now: Timestamp) -> bool {
        let Some(state) = self.keys.get_mut(key) else {
            return false;
        };
        if state.in_flight.is_some() {
            state.reread = true;
        } else {
            state.next_due = now;
        }
        true
    }

    /// While the change stream is live, the keys it follows are polled no
    /// more often than every `floor` seconds (reconciliation); without it
    /// (`None`: the stream failed) they go back to their own cadence at
    /// once, spread like a newly found fleet.
    pub fn set_floor(&mut self, floor: Option<i64>, now: Timestamp) {
        if self.floor_secs.is_some() && floor.is_none() {
            let cadence = self.cadence.clone();
            for (key, state) in self.keys.iter_mut() {
                let soon = if followed_by_stream(key) {
                    now + cadence.first_offset(key)
                } else if matches!(key, PollKey::Revisions { .. }) {
                    // Not urgent: back to its own cadence, not read at once.
                    now + SignedDuration::from_secs(state.tier_secs)
                } else {
                    continue;
                };
                state.next_due = state.next_due.min(soon);
            }
        }
        // Going live: what was read already waits for its reconciliation,
        // counted from that read; what was never read is read as planned.
        if let (None, Some(floor)) = (self.floor_secs, floor) {
            for (key, state) in self.keys.iter_mut() {
                let secs = stream_floor_secs(key, floor);
                if secs == 0 || self.stream_blind.contains(key) {
                    continue;
                }
                if let Some(read) = state.last_ok {
                    state.next_due = state.next_due.max(read + SignedDuration::from_secs(secs));
                }
            }
        }
        self.floor_secs = floor;
    }

    /// The keys the floor does not apply to: they keep their own cadence
    /// while the stream is live (see `stream_blind`).
    pub fn set_stream_blind(&mut self, keys: BTreeSet<PollKey>) {
        self.stream_blind = keys;
    }

    pub fn floor_secs(&self) -> Option<i64> {
        self.floor_secs
    }

    /// Whether an answer is the one awaited for `key`, i.e. it carries the
    /// generation in flight. Any other is late (its request timed out or a
    /// newer one went out): it is counted, is to be dropped before anything
    /// merges it, and leaves the request in flight untouched.
    pub fn admit(&mut self, key: &PollKey, generation: u64) -> bool {
        let Some(state) = self.keys.get_mut(key) else {
            return false;
        };
        if state.in_flight == Some(generation) {
            return true;
        }
        state.late_answers = state.late_answers.saturating_add(1);
        false
    }

    /// Records the answer to a request. Returns false when the answer belongs
    /// to an older generation (it is then to be dropped).
    pub fn completed(
        &mut self,
        key: &PollKey,
        generation: u64,
        now: Timestamp,
        result: Result<Activity, SourceError>,
    ) -> bool {
        let cadence = self.cadence.clone();
        let watched = self.watched.contains(key);
        let room = self.room();
        let Some(state) = self.keys.get_mut(key) else {
            return false;
        };
        if state.in_flight != Some(generation) {
            return false;
        }
        state.in_flight = None;
        state.sent_at = None;
        match result {
            Ok(activity) => {
                state.active = activity == Activity::Moving;
                state.failures = 0;
                state.last_ok = Some(now);
                state.last_error = None;
                let tier = cadence.interval(key, state.active);
                let secs = if watched {
                    state.tier_secs = tier;
                    cadence.interval(key, true)
                } else {
                    self.demand = self.demand.saturating_sub(load(state));
                    state.tier_secs = tier;
                    self.demand += load(state);
                    stretched_secs(tier, self.demand, room, cadence.max_interval_secs)
                };
                let secs = match self.floor_secs {
                    Some(floor) if !self.stream_blind.contains(key) => {
                        secs.max(stream_floor_secs(key, floor))
                    }
                    _ => secs,
                };
                state.interval_secs = secs;
                state.next_due = now + SignedDuration::from_secs(secs);
                if std::mem::take(&mut state.reread) {
                    state.next_due = now;
                }
                let endpoint = state.endpoint.clone();
                self.endpoint_recovered(&endpoint, now);
            }
            Err(err) => {
                state.failures = state.failures.saturating_add(1);
                let base = cadence.interval(key, state.active);
                let delay = if err.is_throttle_or_server() {
                    backoff_secs(
                        base,
                        state.failures,
                        cadence.max_backoff_secs,
                        key,
                        generation,
                    )
                } else {
                    // Access denied and the like will not fix themselves quickly,
                    // but the operator may fix credentials: ask again at the idle pace.
                    cadence.interval(key, false)
                };
                state.last_error = Some((now, err));
                state.next_due = now + SignedDuration::from_secs(delay);
            }
        }
        true
    }

    /// What the budget leaves the unwatched keys once the watched ones are
    /// polled at their fast interval, in thousandths of requests a minute.
    fn room(&self) -> u64 {
        let watched: u64 = self
            .watched
            .iter()
            .filter_map(|k| {
                let state = self.keys.get(k)?;
                let fast = milli_rate(self.cadence.interval(k, true));
                Some(fast * u64::from(state.requests.max(1)))
            })
            .sum();
        (self.cadence.budget_per_minute * 1_000).saturating_sub(watched)
    }

    /// Requests a minute the keys cost at the intervals they were last
    /// given, the budget's stretch included: the steady state's bill.
    pub fn requests_per_minute(&self) -> f64 {
        self.keys
            .values()
            .map(|s| 60.0 * f64::from(s.requests.max(1)) / s.interval_secs.max(1) as f64)
            .sum()
    }

    /// The endpoint answered: its keys waiting out a backoff are asked again
    /// now instead of when their backoff would have ended.
    fn endpoint_recovered(&mut self, endpoint: &Endpoint, now: Timestamp) {
        for state in self.keys.values_mut() {
            if state.endpoint == *endpoint && state.failures > 0 && state.in_flight.is_none() {
                state.failures = 0;
                state.next_due = state.next_due.min(now);
            }
        }
    }

    /// Records what a good answer could not include: shown as the key's last
    /// error, while the key keeps the cadence of a good answer and is not stale.
    pub fn answered_in_part(&mut self, key: &PollKey, now: Timestamp, err: SourceError) {
        if let Some(state) = self.keys.get_mut(key) {
            state.last_error = Some((now, err));
        }
    }

    /// A key is stale when its last good answer is older than three of its
    /// idle intervals (or of the interval the budget stretched it to), or
    /// when it never answered and its first request failed.
    pub fn is_stale(&self, key: &PollKey, now: Timestamp) -> bool {
        let Some(state) = self.keys.get(key) else {
            return false;
        };
        let limit = 3 * self.cadence.interval(key, false).max(state.interval_secs);
        match state.last_ok {
            Some(ok) => now.as_second() - ok.as_second() > limit,
            None => state.last_error.is_some(),
        }
    }

    pub fn stale_keys(&self, now: Timestamp) -> Vec<&PollKey> {
        self.keys.keys().filter(|k| self.is_stale(k, now)).collect()
    }

    /// The earliest moment anything becomes due, for the runtime's timer. A
    /// key held back by its endpoint's bound is due already: the next timer
    /// sends it if an answer freed a place by then.
    pub fn next_wakeup(&self) -> Option<Timestamp> {
        self.keys
            .values()
            .map(|s| match s.sent_at {
                Some(sent) => sent + SignedDuration::from_secs(self.cadence.timeout_secs),
                None => s.next_due,
            })
            .min()
    }
}

/// How seldom a key is read while the stream is live and reconciles every
/// `floor` seconds. Pipelines at the reconcile cadence: some of their events
/// say too little and a missed one can hide a waiting gate. Stacks at twice
/// it: their events carry the whole change (status, reason, resource), and
/// a stack's status shows in its pipeline's cell anyway. The revisions
/// history at six times it: the stream's deploy successes place each
/// region's revision through the pipeline's state, and the history only
/// fills regions the state never named. The rest as usual.
fn stream_floor_secs(key: &PollKey, floor: i64) -> i64 {
    match key {
        PollKey::Flow { .. } => floor,
        PollKey::Stacks { .. } => floor.saturating_mul(2),
        PollKey::Revisions { .. } => floor.saturating_mul(6),
        _ => 0,
    }
}

/// The keys whose changes the change stream carries.
pub fn followed_by_stream(key: &PollKey) -> bool {
    matches!(key, PollKey::Flow { .. } | PollKey::Stacks { .. })
}

fn backoff_secs(base: i64, failures: u32, cap: i64, key: &PollKey, generation: u64) -> i64 {
    jittered_backoff_secs(base, failures, cap, hash_label(&key.label()) ^ generation)
}

/// Exponential backoff from `base` doubled per failure, capped at `cap`
/// seconds, the upper half of it drawn from `salt` ("equal jitter"): never
/// more than the cap, so recovery shows within it, and never the same for
/// callers with different salts, so those throttled together do not retry
/// together. The salt is derived from names and counters, not a clock or a
/// global generator, so tests stay reproducible.
pub fn jittered_backoff_secs(base: i64, failures: u32, cap: i64, salt: u64) -> i64 {
    let exp = base
        .max(1)
        .saturating_mul(1_i64 << failures.min(20))
        .min(cap.max(1));
    let half = exp / 2;
    let mixed = (salt ^ 0x5851_F42D_4C95_7F2D).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let jitter = (mixed >> 32) % (exp - half + 1) as u64;
    half + jitter as i64
}

/// FNV-1a over a name: stable across runs and platforms.
pub fn hash_label(label: &str) -> u64 {
    label.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
#[path = "scheduler_budget_tests.rs"]
mod budget_tests;

#[cfg(test)]
#[path = "scheduler_stream_tests.rs"]
mod stream_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    fn flow(name: &str) -> PollKey {
        PollKey::Flow {
            flow: name.to_string(),
        }
    }

    #[test]
    fn a_new_key_is_due_at_once_and_only_once_in_flight() {
        let mut s = PollScheduler::new(Cadence::default());
        s.register(flow("a"), t(0));
        let due = s.due(t(0));
        assert_eq!(due.len(), 1);
        assert!(s.due(t(1)).is_empty(), "one request in flight per key");
    }

    #[test]
    fn cadence_follows_activity() {
        let mut s = PollScheduler::new(Cadence::default());
        s.register(flow("a"), t(0));
        let (_, g) = s.due(t(0)).remove(0);
        s.completed(&flow("a"), g, t(1), Ok(Activity::Moving));
        assert!(s.due(t(5)).is_empty());
        let (_, g) = s.due(t(6)).remove(0);
        s.completed(&flow("a"), g, t(6), Ok(Activity::Idle));
        assert!(s.due(t(35)).is_empty(), "idle keys wait the slow interval");
        assert_eq!(s.due(t(36)).len(), 1);
    }

    #[test]
    fn throttling_backs_off_exponentially_with_bounded_jitter() {
        let mut s = PollScheduler::new(Cadence::default());
        let key = flow("a");
        s.register(key.clone(), t(0));
        let mut now = t(0);
        let mut delays = Vec::new();
        for _ in 0..4 {
            let (_, g) = s.due(now).into_iter().next().expect("due");
            s.completed(
                &key,
                g,
                now,
                Err(SourceError::Throttled("slow down".into())),
            );
            let next = s.state(&key).unwrap().next_due;
            delays.push(next.as_second() - now.as_second());
            now = next;
        }
        // Fast interval 5s doubled per failure, the upper half jittered:
        // 5..=10, 10..=20, 20..=40, then the cap: 30..=60.
        for (i, d) in delays.iter().enumerate() {
            let exp = (5 * (1 << (i + 1))).min(60);
            assert!(*d >= exp / 2 && *d <= exp, "delay {i} = {d}");
        }
        assert!(s.state(&key).unwrap().failures == 4);
    }

    #[test]
    fn a_late_answer_is_refused_and_counted_without_touching_the_request_in_flight() {
        let mut s = PollScheduler::new(Cadence::default());
        let key = flow("a");
        s.register(key.clone(), t(0));
        let (_, g1) = s.due(t(0)).remove(0);
        assert!(s.due(t(20)).is_empty(), "timed out, backing off");
        let next_due = s.state(&key).unwrap().next_due;
        let (_, g2) = s.due(next_due).remove(0);
        assert_ne!(g1, g2);
        let before = s.state(&key).unwrap().clone();

        assert!(!s.admit(&key, g1), "the timed-out generation is late");
        assert!(!s.completed(&key, g1, next_due, Ok(Activity::Idle)));
        let after = s.state(&key).unwrap();
        assert_eq!(after.late_answers, 1);
        assert_eq!(
            KeyState {
                late_answers: 0,
                ..after.clone()
            },
            before,
            "nothing else changed"
        );

        assert!(s.admit(&key, g2), "the generation in flight is awaited");
        assert!(s.completed(&key, g2, next_due, Ok(Activity::Idle)));
        assert!(!s.admit(&key, g2), "answered once, late after that");
        assert!(!s.admit(&flow("unknown"), g2));
    }

    #[test]
    fn one_region_timing_out_does_not_delay_the_others() {
        let mut s = PollScheduler::new(Cadence::default());
        let slow = PollKey::Stacks {
            region: "ap-south-1".into(),
        };
        let fast = PollKey::Stacks {
            region: "eu-west-1".into(),
        };
        s.register(slow.clone(), t(0));
        s.register(fast.clone(), t(0));
        let due = s.due(t(0));
        assert_eq!(due.len(), 2);
        let g_fast = due.iter().find(|(k, _)| *k == fast).unwrap().1;
        // The fast region answers every time; the slow one never does.
        s.completed(&fast, g_fast, t(1), Ok(Activity::Moving));
        let mut now = t(1);
        let mut fast_answers = 1;
        while now < t(60) {
            now += SignedDuration::from_secs(1);
            for (k, g) in s.due(now) {
                if k == fast {
                    s.completed(&k, g, now, Ok(Activity::Moving));
                    fast_answers += 1;
                }
            }
        }
        assert!(
            fast_answers >= 10,
            "fast region polled {fast_answers} times"
        );
        assert!(!s.is_stale(&fast, now));
        assert!(s.is_stale(&slow, now), "the slow region shows as stale");
        let err = &s.state(&slow).unwrap().last_error;
        assert!(matches!(err, Some((_, SourceError::Timeout(_)))));
    }

    #[test]
    fn staleness_is_three_idle_intervals() {
        let mut s = PollScheduler::new(Cadence::default());
        let key = PollKey::Health;
        s.register(key.clone(), t(0));
        let (_, g) = s.due(t(0)).remove(0);
        s.completed(&key, g, t(0), Ok(Activity::Idle));
        assert!(!s.is_stale(&key, t(180)));
        assert!(s.is_stale(&key, t(181)));
    }

    #[test]
    fn after_six_minutes_of_throttling_a_good_answer_frees_the_endpoints_other_keys() {
        use crate::poll::endpoint::Endpoint;
        let pipelines_east = Endpoint {
            service: "codepipeline".into(),
            account: "default".into(),
            region: "us-east-1".into(),
        };
        let mut s = PollScheduler::new(Cadence::default());
        for name in ["a", "b"] {
            s.register_on(flow(name), pipelines_east.clone(), t(0));
        }
        let elsewhere = PollKey::Stacks {
            region: "eu-west-1".into(),
        };
        s.register(elsewhere.clone(), t(0));
        let mut now = t(0);
        let throttled = || Err(SourceError::Throttled("Rate exceeded".into()));
        let mut longest = 0;
        while now < t(360) {
            for (k, g) in s.due(now) {
                s.completed(&k, g, now, throttled());
                let wait = s.state(&k).unwrap().next_due.as_second() - now.as_second();
                longest = longest.max(wait);
            }
            now += SignedDuration::from_secs(1);
        }
        assert!(longest <= 60, "no backoff past the cap: {longest}s");
        assert!(s.state(&flow("b")).unwrap().failures >= 4);

        // AWS recovers: the first key asked again answers.
        let (key, g) = loop {
            if let Some(first) = s.due(now).into_iter().find(|(k, _)| *k == flow("a")) {
                break first;
            }
            now += SignedDuration::from_secs(1);
        };
        assert!(now <= t(420), "asked again within a minute");
        s.completed(&key, g, now, Ok(Activity::Idle));
        let sibling = s.state(&flow("b")).unwrap();
        assert_eq!(sibling.failures, 0);
        assert!(sibling.in_flight.is_some() || sibling.next_due <= now);
        let other = s.state(&elsewhere).unwrap();
        assert!(other.failures > 0, "another endpoint's backoff is its own");
    }
}
