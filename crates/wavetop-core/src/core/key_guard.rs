//! A short pause after a dialog closes during which typed characters are
//! not taken as grid commands. An operator typing a comment does not stop
//! the instant the dialog goes away: the rest of "canary ok" must not
//! approve, drain or stop anything on the grid.

use jiff::{SignedDuration, Timestamp};

use super::key::Key;

/// Longer than the gap between two keystrokes of someone typing (well under
/// 300 ms even for a slow typist), short enough that a deliberate next
/// command after a glance at the result is never lost.
pub const KEY_GUARD: SignedDuration = SignedDuration::from_millis(600);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGuard {
    /// [`KEY_GUARD`] on the clock update() is given.
    span: SignedDuration,
    until: Option<Timestamp>,
}

impl Default for KeyGuard {
    fn default() -> Self {
        Self::for_clock_speed(1.0)
    }
}

impl KeyGuard {
    /// The pause is about how fast a person types, so it is measured in
    /// their time: on a simulated clock running `speed` times faster than the
    /// wall clock, it spans `speed` times as much clock time.
    pub fn for_clock_speed(speed: f64) -> Self {
        let ms = KEY_GUARD.as_millis() as f64 * speed.max(1e-3);
        Self {
            span: SignedDuration::from_millis(ms.round() as i64),
            until: None,
        }
    }

    /// A dialog just closed.
    pub fn arm(&mut self, now: Timestamp) {
        self.until = Some(now + self.span);
    }

    /// Whether `key` is to be dropped. Only characters are: navigation, Esc
    /// and ctrl chords pass. Each dropped character extends the pause, so a
    /// sentence typed on does not leak its tail once the first pause is over.
    pub fn swallows(&mut self, key: Key, now: Timestamp) -> bool {
        let guarding = self.until.is_some_and(|until| now < until);
        if !guarding {
            self.until = None;
            return false;
        }
        if key.printable().is_none() {
            return false;
        }
        self.until = Some(now + self.span);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::key::KeyCode;

    fn ms(n: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000).unwrap() + SignedDuration::from_millis(n)
    }

    #[test]
    fn characters_are_dropped_while_typing_goes_on_and_pass_after_a_pause() {
        let mut guard = KeyGuard::default();
        assert!(!guard.swallows(Key::char('a'), ms(0)), "unarmed");
        guard.arm(ms(0));
        // Typing on at 200 ms per key: each key extends the pause.
        for (i, ch) in " ok and more".chars().enumerate() {
            assert!(guard.swallows(Key::char(ch), ms(200 * (i as i64 + 1))));
        }
        let last = 200 * " ok and more".len() as i64;
        assert!(guard.swallows(Key::char('a'), ms(last + 599)));
        assert!(!guard.swallows(Key::char('a'), ms(last + 599 + 600)));
    }

    #[test]
    fn navigation_esc_and_ctrl_chords_pass_and_do_not_extend_it() {
        let mut guard = KeyGuard::default();
        guard.arm(ms(0));
        for key in [
            Key::plain(KeyCode::Down),
            Key::plain(KeyCode::Esc),
            Key::plain(KeyCode::Enter),
            Key::ctrl('r'),
        ] {
            assert!(!guard.swallows(key, ms(500)), "{key}");
        }
        assert!(!guard.swallows(Key::char('a'), ms(600)), "not extended");
    }

    #[test]
    fn on_a_faster_clock_the_pause_spans_as_much_of_the_operators_time() {
        let mut guard = KeyGuard::for_clock_speed(10.0);
        guard.arm(ms(0));
        assert!(guard.swallows(Key::char('a'), ms(5_999)));
        assert!(!guard.swallows(Key::char('a'), ms(5_999 + 6_000)));
    }
}
