//! A map that holds at most a fixed number of entries, forgetting the one written least
//! recently when a new one comes: what discovery remembers about names and addresses
//! that anyone on the network can make up by the thousand.

use std::collections::HashMap;

/// At most `cap` entries; writing a new key when full forgets the least recently written.
#[derive(Clone, Debug)]
pub struct BoundedMap<V> {
    cap: usize,
    next: u64,
    entries: HashMap<String, (u64, V)>,
}

impl<V> BoundedMap<V> {
    /// An empty map of at most `cap` entries (at least one).
    pub fn new(cap: usize) -> Self {
        BoundedMap {
            cap: cap.max(1),
            next: 0,
            entries: HashMap::new(),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key).map(|(_, v)| v)
    }

    /// Writes `value` for `key` (it becomes the most recently written).
    pub fn insert(&mut self, key: String, value: V) {
        if !self.entries.contains_key(&key)
            && self.entries.len() >= self.cap
            && let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, (seq, _))| *seq)
                .map(|(k, _)| k.clone())
        {
            self.entries.remove(&oldest);
        }
        self.next += 1;
        self.entries.insert(key, (self.next, value));
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_written_goes_first() {
        let mut m = BoundedMap::new(2);
        m.insert("a".into(), 1);
        m.insert("b".into(), 2);
        m.insert("a".into(), 3);
        m.insert("c".into(), 4);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("a"), Some(&3));
        assert_eq!(m.get("b"), None);
        assert_eq!(m.get("c"), Some(&4));
        assert!(!m.is_empty());
    }
}
