//! Static word tables with constant-time lookup: open-addressing hash tables built at compile
//! time from the annotators' sorted word lists, so a lookup hashes the word once and compares
//! at most a few candidates instead of binary-searching with a string comparison per step.
//!
//! Build one with [`word_set!`](crate::analyze::table::word_set) from a `&'static [&'static str]`
//! constant; the list itself stays the source of truth (and stays sorted where other code
//! relies on that).

/// A set of words with its hash table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordSet {
    /// The words, in their list order.
    words: &'static [&'static str],
    /// Hash slots: `0` is empty, otherwise the word's index plus one in the low 16 bits and
    /// the top 16 bits of its hash above them.
    slots: &'static [u32],
    /// Bit `n` is set when some word has `n` bytes (`n` up to 63; longer words set bit 63).
    lens: u64,
    /// Per first byte, bit `n` is set when some word starting with it has `n` bytes (`n` up to
    /// 31; longer words set bit 31): most words not listed are turned away without hashing.
    first: &'static [u32; 256],
}

/// The number of slots for a list of `n` words: a power of two at least twice `n`.
pub(crate) const fn slots_for(n: usize) -> usize {
    let want = if n < 4 { 8 } else { n * 2 };
    want.next_power_of_two()
}

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of a word's bytes, for run time: the same value as [`hash_const`] (which fills the
/// tables at compile time), computed with whole-word loads.
#[inline]
pub(crate) fn hash(b: &[u8]) -> u32 {
    let mut h: u64 = (b.len() as u64).wrapping_mul(MUL);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(MUL);
        h ^= h >> 29;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // Byte by byte: a copy of a few bytes would be a call.
        let mut chunk = 0u64;
        for (k, &byte) in rest.iter().enumerate() {
            chunk |= u64::from(byte) << (8 * k);
        }
        h = (h ^ chunk).wrapping_mul(MUL);
        h ^= h >> 29;
    }
    (h ^ (h >> 32)) as u32
}

/// The hash of a word's bytes, computable at compile time (see [`hash`]).
pub(crate) const fn hash_const(b: &[u8]) -> u32 {
    hash_prefix_const(b, b.len())
}

/// The hash of the first `len` bytes of `b`, computable at compile time.
const fn hash_prefix_const(b: &[u8], len: usize) -> u32 {
    let mut h: u64 = (len as u64).wrapping_mul(MUL);
    let mut i = 0;
    while i + 8 <= len {
        let chunk =
            u64::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]]);
        h = (h ^ chunk).wrapping_mul(MUL);
        h ^= h >> 29;
        i += 8;
    }
    if i < len {
        let mut chunk = 0u64;
        let mut k = 0;
        while i + k < len {
            chunk |= (b[i + k] as u64) << (8 * k);
            k += 1;
        }
        h = (h ^ chunk).wrapping_mul(MUL);
        h ^= h >> 29;
    }
    (h ^ (h >> 32)) as u32
}

const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn len_bit(len: usize) -> u64 {
    1u64 << if len > 63 { 63 } else { len }
}

const fn short_len_bit(len: usize) -> u32 {
    1u32 << if len > 31 { 31 } else { len }
}

/// The first-byte length bits of `words` (see [`WordSet`]).
pub(crate) const fn firsts_of(words: &[&str]) -> [u32; 256] {
    let mut first = [0u32; 256];
    let mut w = 0;
    while w < words.len() {
        let b = words[w].as_bytes();
        if !b.is_empty() {
            first[b[0] as usize] |= short_len_bit(b.len());
        }
        w += 1;
    }
    first
}

/// Fills the hash slots for `words`; a word listed twice keeps its first index.
pub(crate) const fn build<const M: usize>(words: &[&str]) -> [u32; M] {
    assert!(M.is_power_of_two() && M >= 2 * words.len() && words.len() < 0xFFFF);
    let mut slots = [0u32; M];
    let mut w = 0;
    while w < words.len() {
        let b = words[w].as_bytes();
        let h = hash_const(b);
        let mut at = h as usize & (M - 1);
        loop {
            let s = slots[at];
            if s == 0 {
                slots[at] = (h & 0xFFFF_0000) | (w as u32 + 1);
                break;
            }
            if bytes_eq(words[((s & 0xFFFF) - 1) as usize].as_bytes(), b) {
                break;
            }
            at = (at + 1) & (M - 1);
        }
        w += 1;
    }
    slots
}

/// The length bits of `words` (see [`WordSet`]).
pub(crate) const fn lens_of(words: &[&str]) -> u64 {
    let mut lens = 0;
    let mut w = 0;
    while w < words.len() {
        lens |= len_bit(words[w].len());
        w += 1;
    }
    lens
}

impl WordSet {
    /// A set over `words` with slots from [`build`] (use [`word_set!`](crate::analyze::table::word_set)).
    pub(crate) const fn from_parts(
        words: &'static [&'static str],
        slots: &'static [u32],
        lens: u64,
        first: &'static [u32; 256],
    ) -> Self {
        WordSet { words, slots, lens, first }
    }

    /// The listed words.
    #[cfg(test)]
    pub(crate) fn words(&self) -> &'static [&'static str] {
        self.words
    }

    /// The position in the list of `word`, if listed.
    #[inline]
    pub(crate) fn index(&self, word: &str) -> Option<usize> {
        self.index_bytes(word.as_bytes())
    }

    /// As [`Self::index`], for a word given as bytes.
    #[inline]
    pub(crate) fn index_bytes(&self, b: &[u8]) -> Option<usize> {
        if self.lens & len_bit(b.len()) == 0 {
            return None;
        }
        if let Some(&b0) = b.first() {
            if self.first[b0 as usize] & short_len_bit(b.len()) == 0 {
                return None;
            }
        }
        let h = hash(b);
        let mask = self.slots.len() - 1;
        let tag = h & 0xFFFF_0000;
        let mut at = h as usize & mask;
        loop {
            let s = self.slots[at];
            if s == 0 {
                return None;
            }
            if s & 0xFFFF_0000 == tag {
                let i = (s & 0xFFFF) as usize - 1;
                if self.words[i].as_bytes() == b {
                    return Some(i);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// Whether `word` is listed.
    #[inline]
    pub(crate) fn contains(&self, word: &str) -> bool {
        self.index(word).is_some()
    }

    /// Whether `word` ends in a listed word with at least `extra` bytes before it (the words
    /// as compound endings: `rekenkamer` ends in `kamer`).
    pub(crate) fn ends_compound(&self, word: &str, extra: usize) -> bool {
        let len = word.len();
        if len <= extra {
            return false;
        }
        // Lengths of listed words that leave room for `extra` bytes.
        let room = len - extra;
        let mut lens = self.lens;
        if room < 63 {
            lens &= (1u64 << (room + 1)) - 1;
        }
        while lens != 0 {
            let l = lens.trailing_zeros() as usize;
            lens &= lens - 1;
            if l == 63 {
                // Words of 63 bytes or more: check them one by one.
                return self
                    .words
                    .iter()
                    .any(|s| s.len() >= 63 && len >= s.len() + extra && word.ends_with(s));
            }
            let at = len - l;
            if l > 0 && self.first[word.as_bytes()[at] as usize] & short_len_bit(l) == 0 {
                continue;
            }
            if let Some(tail) = word.get(at..) {
                if self.contains(tail) {
                    return true;
                }
            }
        }
        false
    }
}

/// A filter of word hashes that tells for sure when a word is not in a set, built at compile
/// time (a small Bloom filter with two bits per word).
#[derive(Debug, Clone, Copy)]
pub(crate) struct HashFilter {
    bits: [u64; 256],
}

impl HashFilter {
    /// An empty filter.
    pub(crate) const fn new() -> Self {
        HashFilter { bits: [0; 256] }
    }

    const fn bit_pair(h: u32) -> (usize, usize) {
        ((h & 0x3FFF) as usize, ((h >> 16) & 0x3FFF) as usize)
    }

    /// Adds the first `len` bytes of `b`.
    pub(crate) const fn add_prefix(mut self, b: &[u8], len: usize) -> Self {
        let (x, y) = Self::bit_pair(hash_prefix_const(b, len));
        self.bits[x / 64] |= 1 << (x % 64);
        self.bits[y / 64] |= 1 << (y % 64);
        self
    }

    /// Whether `word` may have been added; `false` means it surely was not.
    #[inline]
    pub(crate) fn may_contain(&self, word: &str) -> bool {
        let (x, y) = Self::bit_pair(hash(word.as_bytes()));
        self.bits[x / 64] & (1 << (x % 64)) != 0 && self.bits[y / 64] & (1 << (y % 64)) != 0
    }
}

/// A fast hasher for words and short keys in per-document maps and sets (not for keys an
/// adversary picks to collide: the maps live for one document).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0 = (self.0.rotate_left(23) ^ u64::from(hash(bytes))).wrapping_mul(MUL);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(23) ^ u64::from(i)).wrapping_mul(MUL);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0 = (self.0.rotate_left(23) ^ i as u64).wrapping_mul(MUL);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

/// Builds [`WordHasher`]s.
pub(crate) type BuildWordHasher = std::hash::BuildHasherDefault<WordHasher>;
/// A per-document hash set of words.
pub(crate) type WordHashSet<T> = std::collections::HashSet<T, BuildWordHasher>;
/// A per-document hash map keyed by words.
pub(crate) type WordHashMap<K, V> = std::collections::HashMap<K, V, BuildWordHasher>;

/// A [`WordSet`] over a `&'static [&'static str]` constant, built at compile time.
macro_rules! word_set {
    ($list:expr) => {{
        const SLOTS: [u32; $crate::analyze::table::slots_for($list.len())] =
            $crate::analyze::table::build($list);
        const FIRST: [u32; 256] = $crate::analyze::table::firsts_of($list);
        $crate::analyze::table::WordSet::from_parts(
            $list,
            &SLOTS,
            $crate::analyze::table::lens_of($list),
            &FIRST,
        )
    }};
}
pub(crate) use word_set;

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &[&str] = &["aan", "bank", "kamer", "minister", "ministerie", "the", "z"];
    const SET: WordSet = word_set!(LIST);

    #[test]
    fn finds_listed_words_only() {
        for (i, w) in LIST.iter().enumerate() {
            assert_eq!(SET.index(w), Some(i), "{w}");
        }
        for w in ["", "a", "aa", "aant", "Bank", "ministeri", "ministeries", "zz", "kamerleden"] {
            assert!(!SET.contains(w), "{w}");
        }
    }

    #[test]
    fn compound_endings_match_the_plain_scan() {
        let words = [
            "rekenkamer",
            "kamer",
            "xkamer",
            "xxkamer",
            "xxxkamer",
            "ministerie",
            "oudminister",
            "zz",
            "zzzz",
        ];
        for w in words {
            for extra in [0, 1, 3] {
                let plain = LIST.iter().any(|s| w.len() >= s.len() + extra && w.ends_with(s));
                assert_eq!(SET.ends_compound(w, extra), plain, "{w} {extra}");
            }
        }
    }

    #[test]
    fn run_time_hash_is_the_compile_time_hash() {
        let text = "aan één kamer ministerie Rekenkamer 's-Hertogenbosch x yy zzz abcdefgh abcdefghi \
                    abcdefghijklmnop abcdefghijklmnopq verenigde-staten-van-amerika";
        for w in text.split(' ').chain([""]) {
            assert_eq!(hash(w.as_bytes()), hash_const(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn filters_keep_every_prefix() {
        const F: HashFilter = HashFilter::new().add_prefix(b"verenigde-staten", 9).add_prefix(b"den-haag", 3);
        assert!(F.may_contain("verenigde") && F.may_contain("den"));
        let misses = ["verenigd", "staten", "haag", "de", "v"].iter().filter(|w| F.may_contain(w)).count();
        assert!(misses <= 1);
    }

    #[test]
    fn hash_spreads_short_words() {
        let mut seen = std::collections::HashSet::new();
        for a in b'a'..=b'z' {
            for b in b'a'..=b'z' {
                seen.insert(hash(&[a, b]));
            }
        }
        assert_eq!(seen.len(), 26 * 26);
    }
}
