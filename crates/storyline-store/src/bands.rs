//! The near-duplicate candidate index of recent articles, kept in memory by a backend.
//!
//! Band keys (see `storyline_core::ingest::dedupe`) of the most recently ingested articles live
//! in two generations of `horizon` articles each, by the store's ingest sequence number: when a
//! new generation starts, the one before last is dropped. Memory is bounded by the horizon, not
//! by the archive, and nothing of it is written to disk: the backend rebuilds it from the stored
//! signatures of the last two generations, and catches up on what other writers committed at
//! the start of each write transaction.

use std::collections::HashMap;

/// Candidate lookups return at most this many of the most recent members of one band.
pub const PER_BAND: usize = 8;

/// One generation: for each band key, a chain through `entries` from its newest member back.
/// About 30 bytes a key, instead of a vector per key.
#[derive(Debug, Default)]
struct Generation {
    number: i64,
    heads: HashMap<i64, u32>,
    /// `(sequence number, index of the previous entry of the same key or u32::MAX)`.
    entries: Vec<(i64, u32)>,
}

impl Generation {
    fn new(number: i64) -> Self {
        Generation { number, heads: HashMap::new(), entries: Vec::new() }
    }

    fn add(&mut self, key: i64, seq: i64) {
        let next = self.entries.len() as u32;
        let prev = self.heads.insert(key, next).unwrap_or(u32::MAX);
        self.entries.push((seq, prev));
    }

    fn members(&self, key: i64, limit: usize, out: &mut Vec<i64>) {
        let mut at = self.heads.get(&key).copied().unwrap_or(u32::MAX);
        let mut taken = 0;
        while at != u32::MAX && taken < limit {
            let (seq, prev) = self.entries[at as usize];
            out.push(seq);
            at = prev;
            taken += 1;
        }
    }
}

/// Band keys of recent articles, two generations deep.
#[derive(Debug)]
pub struct BandIndex {
    horizon: i64,
    slots: [Generation; 2],
    /// The highest sequence number whose keys have been added.
    pub seen_up_to: i64,
}

impl BandIndex {
    /// An empty index for the given horizon (in articles, at least 1).
    pub fn new(horizon: u64) -> Self {
        BandIndex {
            horizon: horizon.max(1) as i64,
            slots: [Generation::new(-1), Generation::new(-1)],
            seen_up_to: 0,
        }
    }

    /// The horizon this index was built for.
    pub fn horizon(&self) -> u64 {
        self.horizon as u64
    }

    /// The first sequence number still inside the window when the newest is `newest`.
    pub fn window_start(&self, newest: i64) -> i64 {
        let generation = (newest.max(1) - 1) / self.horizon;
        (generation - 1).max(0) * self.horizon + 1
    }

    /// Adds an article's band keys.
    pub fn add(&mut self, seq: i64, keys: &[i64]) {
        let generation = (seq - 1) / self.horizon;
        let slot = (generation % 2) as usize;
        if self.slots[slot].number != generation {
            if self.slots[slot].number > generation {
                return; // older than the window
            }
            self.slots[slot] = Generation::new(generation);
        }
        for &k in keys {
            self.slots[slot].add(k, seq);
        }
        self.seen_up_to = self.seen_up_to.max(seq);
    }

    /// Articles sharing at least one band with `keys`, most recent first, at most `limit`.
    pub fn candidates(&self, keys: &[i64], limit: usize) -> Vec<i64> {
        let newest_generation = self.slots.iter().map(|s| s.number).max().unwrap_or(-1);
        let mut out: Vec<i64> = Vec::new();
        for generation in &self.slots {
            if generation.number < newest_generation - 1 || generation.number < 0 {
                continue;
            }
            for &k in keys {
                generation.members(k, PER_BAND, &mut out);
            }
        }
        out.sort_unstable_by(|a, b| b.cmp(a));
        out.dedup();
        out.truncate(limit);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_recent_articles_and_forgets_old_generations() {
        let mut idx = BandIndex::new(2);
        idx.add(1, &[10, 11]);
        idx.add(2, &[12]);
        assert_eq!(idx.candidates(&[10, 12], 10), [2, 1]);
        idx.add(3, &[10]); // generation 1
        assert_eq!(idx.candidates(&[10], 10), [3, 1]);
        idx.add(5, &[99]); // generation 2 replaces generation 0
        assert_eq!(idx.candidates(&[10], 10), [3]);
        assert_eq!(idx.window_start(5), 3);
        assert_eq!(idx.seen_up_to, 5);
    }

    #[test]
    fn a_hot_band_is_bounded() {
        let mut idx = BandIndex::new(1000);
        for seq in 1..=100 {
            idx.add(seq, &[7]);
        }
        let c = idx.candidates(&[7], 64);
        assert_eq!(c.len(), PER_BAND);
        assert_eq!(c[0], 100);
    }
}
