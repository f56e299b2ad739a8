//! A least-recently-used map bounded by bytes rather than entries.
//!
//! The UI keeps one texture per visible thumbnail; on a 100 000-post archive it must
//! forget textures it has scrolled past, or GPU memory grows without end. Entries vary
//! in size (a 96×72 row thumbnail vs a 1280×720 header), so the bound is the sum of
//! byte sizes the caller declares. Generic over the value so it is tested here without
//! egui and holds `egui::TextureHandle`s in the app (dropping the handle frees the
//! texture).

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

struct Entry<V> {
    value: V,
    byte_size: usize,
    last_used: u64,
}

/// A map that evicts its least recently used entries to stay within `max_bytes`.
pub struct BoundedLru<K, V> {
    max_bytes: usize,
    total_bytes: usize,
    tick: u64,
    entries: HashMap<K, Entry<V>>,
    by_age: BTreeMap<u64, K>,
}

impl<K: Hash + Eq + Clone, V> BoundedLru<K, V> {
    /// An empty map that will hold at most `max_bytes` of declared sizes.
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            total_bytes: 0,
            tick: 0,
            entries: HashMap::new(),
            by_age: BTreeMap::new(),
        }
    }

    /// The cap given at creation.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// Sum of the declared sizes of the entries held.
    pub fn total_bytes(&self) -> usize {
        self.total_bytes
    }

    /// Number of entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether `key` is held (does not count as a use).
    pub fn contains(&self, key: &K) -> bool {
        self.entries.contains_key(key)
    }

    /// The value for `key`, marking it as just used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        self.tick += 1;
        let tick = self.tick;
        let entry = self.entries.get_mut(key)?;
        self.by_age.remove(&entry.last_used);
        entry.last_used = tick;
        self.by_age.insert(tick, key.clone());
        Some(&entry.value)
    }

    /// The value for `key` without marking it used.
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.entries.get(key).map(|entry| &entry.value)
    }

    /// Inserts `value` declared as `byte_size` bytes, replacing any value under `key`,
    /// and returns what was pushed out (oldest first). A value larger than the whole
    /// cap is not kept: it comes straight back in the returned list.
    pub fn insert(&mut self, key: K, value: V, byte_size: usize) -> Vec<(K, V)> {
        let mut evicted = Vec::new();
        if let Some(old) = self.remove(&key) {
            evicted.push((key.clone(), old));
        }
        if byte_size > self.max_bytes {
            evicted.push((key, value));
            return evicted;
        }
        while self.total_bytes + byte_size > self.max_bytes {
            let Some((_, oldest)) = self.by_age.pop_first() else {
                break;
            };
            if let Some(entry) = self.entries.remove(&oldest) {
                self.total_bytes -= entry.byte_size;
                evicted.push((oldest, entry.value));
            }
        }
        self.tick += 1;
        self.by_age.insert(self.tick, key.clone());
        self.entries.insert(
            key,
            Entry {
                value,
                byte_size,
                last_used: self.tick,
            },
        );
        self.total_bytes += byte_size;
        evicted
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let entry = self.entries.remove(key)?;
        self.by_age.remove(&entry.last_used);
        self.total_bytes -= entry.byte_size;
        Some(entry.value)
    }

    /// Drops every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.by_age.clear();
        self.total_bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_least_recently_used_to_stay_under_the_cap() {
        let mut lru = BoundedLru::new(100);
        assert!(lru.insert("a", 1, 40).is_empty());
        assert!(lru.insert("b", 2, 40).is_empty());
        assert_eq!(lru.get(&"a"), Some(&1));
        let evicted = lru.insert("c", 3, 40);
        assert_eq!(evicted, vec![("b", 2)]);
        assert_eq!(lru.total_bytes(), 80);
        assert!(lru.contains(&"a") && lru.contains(&"c"));
        let evicted = lru.insert("d", 4, 100);
        assert_eq!(evicted, vec![("a", 1), ("c", 3)]);
        assert_eq!(lru.len(), 1);
        assert_eq!(lru.total_bytes(), 100);
    }

    #[test]
    fn replacing_a_key_returns_the_old_value_and_recounts() {
        let mut lru = BoundedLru::new(100);
        lru.insert("a", 1, 60);
        assert_eq!(lru.insert("a", 2, 30), vec![("a", 1)]);
        assert_eq!(lru.total_bytes(), 30);
        assert_eq!(lru.peek(&"a"), Some(&2));
    }

    #[test]
    fn oversized_values_are_not_kept() {
        let mut lru = BoundedLru::new(10);
        lru.insert("a", 1, 5);
        assert_eq!(lru.insert("big", 9, 11), vec![("big", 9)]);
        assert!(lru.contains(&"a"));
        assert_eq!(lru.total_bytes(), 5);
    }

    #[test]
    fn total_never_exceeds_cap_under_churn() {
        let mut lru = BoundedLru::new(1000);
        for i in 0..10_000u32 {
            lru.insert(i % 337, i, (i as usize * 7919) % 300 + 1);
            if i % 3 == 0 {
                lru.get(&(i % 101));
            }
            if i % 11 == 0 {
                lru.remove(&(i % 53));
            }
            assert!(lru.total_bytes() <= 1000);
        }
        lru.clear();
        assert_eq!((lru.len(), lru.total_bytes()), (0, 0));
    }
}
