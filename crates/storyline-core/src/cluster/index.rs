//! The data structures behind candidate retrieval: sparse vectors sorted by hash, story
//! centroids, and an inverted index from terms and keys to the stories that contain them.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::hash::mix64;

/// A hasher for keys that are already well-mixed 64-bit hashes (or story ids, which it mixes).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix64(self.0 ^ u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = mix64(n);
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = mix64(n as u64);
    }
}

/// A hash map keyed by hashes or ids. Used only for lookups: no decision iterates over one.
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// A sparse vector: (hash, weight) sorted by hash.
pub(crate) type Sparse = Vec<(u64, f32)>;

/// Euclidean norm.
pub(crate) fn norm(v: &[(u64, f32)]) -> f32 {
    v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt()
}

/// Dot product of two vectors sorted by hash (a merge).
pub(crate) fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0f32);
    // Walk the shorter one with binary search when the other is much longer.
    if a.len() * 8 < b.len() {
        for &(h, w) in a {
            if let Ok(k) = b.binary_search_by_key(&h, |&(x, _)| x) {
                s += w * b[k].1;
            }
        }
        return s;
    }
    if b.len() * 8 < a.len() {
        return dot(b, a);
    }
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// The order of entries by weight: heaviest first, ties by lower hash (a total order on
/// entries with distinct hashes).
pub(crate) fn by_weight(a: &(u64, f32), b: &(u64, f32)) -> Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

/// Keeps the `cap` heaviest entries (ties: lower hash), sorted by hash again.
pub(crate) fn truncate(v: &mut Sparse, cap: usize) {
    if v.len() <= cap {
        return;
    }
    if cap == 0 {
        v.clear();
        return;
    }
    // The cap-th heaviest entry splits the vector: it and every entry before it in the weight
    // order stay, in their hash order (a selection, not a sort).
    let mut ranked = v.clone();
    let (_, &mut last, _) = ranked.select_nth_unstable_by(cap - 1, by_weight);
    v.retain(|e| by_weight(e, &last) != Ordering::Greater);
}

/// Scales a vector to unit length (a zero vector stays zero).
pub(crate) fn normalize(v: &mut Sparse) {
    let n = norm(v);
    if n > 0.0 {
        for e in v.iter_mut() {
            e.1 /= n;
        }
    }
}

/// A sum of unit vectors with its norm cached; capped in size. A centroid built by
/// [`Centroid::add`] (an active story's) keeps a directory over the leading bits of its hashes,
/// which finds an entry in a step or two: comparing a vector with it costs one lookup per entry
/// of the vector rather than a walk over the centroid. [`Centroid::shrink`] (a story moving to
/// the follow-up index, seldom compared) drops the directory.
#[derive(Debug, Clone, Default)]
pub(crate) struct Centroid {
    /// Summed weights, sorted by hash.
    items: Sparse,
    /// Norm of `items`.
    norm: f32,
    /// `dir[b]..dir[b + 1]` are the entries whose hash starts with the bits of `b`
    /// (`2^bits + 1` bounds), or empty (no directory: comparisons walk `items`).
    dir: Vec<u16>,
    /// Leading hash bits that pick a directory bucket.
    bits: u32,
}

impl Centroid {
    /// The summed weights, sorted by hash.
    pub fn items(&self) -> &[(u64, f32)] {
        &self.items
    }

    /// Adds a (unit) vector, keeping at most `cap` entries.
    pub fn add(&mut self, v: &[(u64, f32)], cap: usize) {
        let mut out = Vec::with_capacity(self.items.len() + v.len());
        let (a, b) = (&self.items, v);
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
                out.push(a[i]);
                i += 1;
            } else if i == a.len() || b[j].0 < a[i].0 {
                out.push(b[j]);
                j += 1;
            } else {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
        truncate(&mut out, cap);
        self.items = out;
        self.reindex();
    }

    /// Keeps the `cap` heaviest entries (ties: lower hash) and releases the room of the rest
    /// and of the directory (for a story that is seldom compared any more).
    pub fn shrink(&mut self, cap: usize) {
        truncate(&mut self.items, cap);
        self.items.shrink_to_fit();
        self.norm = norm(&self.items);
        self.dir = Vec::new();
        self.bits = 0;
    }

    /// Recomputes the norm and the directory after `items` changed.
    fn reindex(&mut self) {
        self.norm = norm(&self.items);
        self.build_directory();
    }

    /// Builds the directory over `items`.
    fn build_directory(&mut self) {
        self.dir.clear();
        let n = self.items.len();
        if n == 0 || n > usize::from(u16::MAX) {
            self.bits = 0;
            return;
        }
        // About one entry per bucket, at least two buckets (a shift by 64 bits is no shift).
        self.bits = n.next_power_of_two().trailing_zeros().max(1);
        let buckets = 1usize << self.bits;
        let shift = 64 - self.bits;
        self.dir.reserve_exact(buckets + 1);
        let mut i = 0;
        for b in 0..buckets {
            while i < n && ((self.items[i].0 >> shift) as usize) < b {
                i += 1;
            }
            self.dir.push(i as u16);
        }
        self.dir.push(n as u16);
    }

    /// Dot product with a vector sorted by hash: the same sum as [`dot`] (the products of the
    /// shared hashes added in hash order).
    fn dot(&self, v: &[(u64, f32)]) -> f32 {
        if self.dir.is_empty() {
            return dot(v, &self.items);
        }
        let shift = 64 - self.bits;
        let mut s = 0.0f32;
        for &(h, w) in v {
            let b = (h >> shift) as usize;
            let bucket = &self.items[usize::from(self.dir[b])..usize::from(self.dir[b + 1])];
            for &(x, cw) in bucket {
                if x >= h {
                    if x == h {
                        s += w * cw;
                    }
                    break;
                }
            }
        }
        s
    }

    /// Cosine of a unit vector with this centroid.
    pub fn cosine(&self, unit: &[(u64, f32)]) -> f32 {
        if self.norm <= 0.0 {
            return 0.0;
        }
        (self.dot(unit) / self.norm).clamp(0.0, 1.0)
    }
}

/// A centroid is saved as its entries in one run of bytes (each hash as eight bytes and its
/// weight as four, little-endian: a hash is as long as a varint would make it, and reading is a
/// copy rather than a parse per entry), its norm, and whether it keeps a directory, which is
/// built again on reading.
impl serde::Serialize for Centroid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(self.items.len() * ENTRY_BYTES);
        for &(h, w) in &self.items {
            bytes.extend_from_slice(&h.to_le_bytes());
            bytes.extend_from_slice(&w.to_le_bytes());
        }
        (Entries(bytes), self.norm, !self.dir.is_empty()).serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Centroid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (Entries(bytes), norm, directory): (Entries, f32, bool) = serde::Deserialize::deserialize(d)?;
        if bytes.len() % ENTRY_BYTES != 0 {
            return Err(serde::de::Error::invalid_length(bytes.len(), &"entries of twelve bytes"));
        }
        let items = bytes
            .chunks_exact(ENTRY_BYTES)
            .map(|e| {
                let (h, w) = e.split_at(8);
                (
                    u64::from_le_bytes(h.try_into().unwrap_or_default()),
                    f32::from_le_bytes(w.try_into().unwrap_or_default()),
                )
            })
            .collect();
        let mut c = Centroid { items, norm, dir: Vec::new(), bits: 0 };
        if directory {
            c.build_directory();
        }
        Ok(c)
    }
}

/// Bytes of one saved centroid entry.
const ENTRY_BYTES: usize = 12;

/// A centroid's entries as saved: one run of bytes.
struct Entries(Vec<u8>);

impl serde::Serialize for Entries {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a centroid's entries as bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Entries, E> {
                Ok(Entries(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Entries, E> {
                Ok(Entries(v))
            }
        }
        d.deserialize_bytes(Visit)
    }
}

/// An inverted index: hash → story ids, in the order they were posted. Entries of stories that
/// left are removed eagerly from short lists and lazily (on growth and on reading) from long ones.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Postings {
    lists: IdMap<u64, Vec<i64>>,
}

/// Lists at most this long are cleaned eagerly when a story leaves.
const EAGER: usize = 64;

impl Postings {
    /// Posts `story` under `key` (no-op when it is already the last entry).
    pub fn post(&mut self, key: u64, story: i64, live: impl Fn(i64) -> bool) {
        let list = self.lists.entry(key).or_default();
        if list.last() == Some(&story) || (list.len() <= 8 && list.contains(&story)) {
            return;
        }
        if list.len() >= 2 * EAGER && list.len().is_power_of_two() {
            list.retain(|&s| live(s));
        }
        list.push(story);
    }

    /// Takes `story` off the list of `key` when that list is short.
    pub fn unpost(&mut self, key: u64, story: i64) {
        if let Some(list) = self.lists.get_mut(&key) {
            if list.len() <= EAGER {
                list.retain(|&s| s != story);
                if list.is_empty() {
                    self.lists.remove(&key);
                }
            }
        }
    }

    /// The stories posted under `key` (may hold stories that left; the caller checks).
    pub fn get(&self, key: u64) -> &[i64] {
        self.lists.get(&key).map_or(&[], Vec::as_slice)
    }
}
