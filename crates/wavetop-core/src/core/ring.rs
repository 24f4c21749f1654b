//! A bounded log: the newest entries, up to a cap, the oldest dropped first.
//! The console runs for days; what it keeps of its session must not grow
//! with it.

use std::collections::VecDeque;

/// How much of the session the console keeps: set by `[limits]` in the
/// config, defaults where no config says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries of the activity log.
    pub activity_entries: usize,
    /// Views `back` can return to.
    pub view_history: usize,
    /// Events kept per stack, newest first.
    pub stack_events: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            activity_entries: 5_000,
            view_history: 100,
            stack_events: 200,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ring<T> {
    items: VecDeque<T>,
    cap: usize,
}

impl<T> Ring<T> {
    /// An empty ring keeping at most `cap` items (at least one).
    pub fn new(cap: usize) -> Self {
        Self {
            items: VecDeque::new(),
            cap: cap.max(1),
        }
    }

    /// Adds the newest item, dropping the oldest when full.
    pub fn push(&mut self, item: T) {
        while self.items.len() >= self.cap {
            self.items.pop_front();
        }
        self.items.push_back(item);
    }

    /// Takes the newest item back.
    pub fn pop(&mut self) -> Option<T> {
        self.items.pop_back()
    }

    pub fn last(&self) -> Option<&T> {
        self.items.back()
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// A new cap; the oldest items beyond it go at once.
    pub fn set_cap(&mut self, cap: usize) {
        self.cap = cap.max(1);
        while self.items.len() > self.cap {
            self.items.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_keeps_the_newest_entries_up_to_its_cap() {
        let mut ring = Ring::new(3);
        for i in 1..=5 {
            ring.push(i);
        }
        assert_eq!(ring.iter().copied().collect::<Vec<_>>(), [3, 4, 5]);
        assert_eq!(ring.last(), Some(&5));
        assert_eq!(ring.pop(), Some(5));
        ring.set_cap(1);
        assert_eq!(ring.iter().copied().collect::<Vec<_>>(), [4]);
        assert!(!ring.is_empty());
        assert_eq!(Ring::<u8>::new(0).cap, 1, "a cap of zero keeps one");
    }
}
