//! Duplicate and near-duplicate detection: content digests and MinHash sketches.
//!
//! Exact duplicates share a digest of their normalised text. Near-duplicates (the same wire
//! copy run by two outlets with a new headline, a trimmed paragraph, a word changed) share most
//! of their word 4-shingles: each text gets a MinHash signature of [`SIGNATURE_LEN`] values
//! (one-permutation hashing: each shingle is hashed once and lands in one bin), and the
//! signature is cut into [`BANDS`] bands whose keys a store indexes, so candidates are found
//! with a handful of lookups instead of a scan. Candidates are confirmed by [`similarity`].

use crate::hash::mix64;

/// Values in a signature.
pub const SIGNATURE_LEN: usize = 64;
/// Bands of the signature a store indexes for candidate lookup. With [`ROWS`] values per band, two
/// texts of similarity 0.5 share at least one band with probability 0.94, of similarity 0.6 with
/// 0.99, of 0.7 with 0.9997; unrelated texts (similarity near 0.02) with 0.004. Candidates are
/// then confirmed on the whole signature.
pub const BANDS: usize = 10;
/// Signature values per band.
pub const ROWS: usize = 2;
/// Words in a shingle.
pub const SHINGLE: usize = 4;
/// Texts with fewer words than this get no signature: a headline alone is too short to call
/// two reports copies of one another.
pub const MIN_WORDS: usize = 25;
/// Estimated Jaccard similarity at or above which two texts are near-duplicates.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// A MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; SIGNATURE_LEN]);

impl Signature {
    /// The signature as little-endian bytes, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads a stored signature; `None` when the length is wrong.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        if b.len() != SIGNATURE_LEN * 4 {
            return None;
        }
        let mut out = [0u32; SIGNATURE_LEN];
        for (slot, chunk) in out.iter_mut().zip(b.chunks_exact(4)) {
            *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(Signature(out))
    }

    /// The band keys: one 63-bit key per band, each mixing the band number and its rows.
    pub fn band_keys(&self) -> [i64; BANDS] {
        let mut keys = [0i64; BANDS];
        for (b, key) in keys.iter_mut().enumerate() {
            let mut h = mix64(b as u64 + 1);
            for v in &self.0[b * ROWS..(b + 1) * ROWS] {
                h = mix64(h ^ u64::from(*v));
            }
            *key = (h >> 1) as i64;
        }
        keys
    }
}

/// Fraction of equal values: an estimate of the Jaccard similarity of the shingle sets.
pub fn similarity(a: &Signature, b: &Signature) -> f32 {
    let same = a.0.iter().zip(&b.0).filter(|(x, y)| x == y).count();
    same as f32 / SIGNATURE_LEN as f32
}

/// The hash of every word of a text, lowercased: words are runs of alphanumeric characters.
/// One pass, no allocation per word; ASCII takes a fast path.
pub fn word_hashes(text: &str) -> Vec<u64> {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut h = OFFSET;
    let mut len = 0usize;
    let feed = |h: &mut u64, b: u8| {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(PRIME);
    };
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                feed(&mut h, c.to_ascii_lowercase() as u8);
                len += 1;
                continue;
            }
        } else if c.is_alphanumeric() {
            let mut buf = [0u8; 4];
            for lc in c.to_lowercase() {
                for &b in lc.encode_utf8(&mut buf).as_bytes() {
                    feed(&mut h, b);
                }
            }
            len += 1;
            continue;
        }
        if len > 0 {
            out.push(mix64(h ^ len as u64));
            h = OFFSET;
            len = 0;
        }
    }
    if len > 0 {
        out.push(mix64(h ^ len as u64));
    }
    out
}

/// The MinHash signature of a text's word shingles, or `None` when it is too short.
pub fn signature(text: &str) -> Option<Signature> {
    signature_of_words(&word_hashes(text))
}

/// The signature from precomputed [`word_hashes`].
pub fn signature_of_words(word_hashes: &[u64]) -> Option<Signature> {
    if word_hashes.len() < MIN_WORDS {
        return None;
    }
    const EMPTY: u32 = u32::MAX;
    let mut bins = [EMPTY; SIGNATURE_LEN];
    for win in word_hashes.windows(SHINGLE) {
        let mut h = 0u64;
        for (i, wh) in win.iter().enumerate() {
            h = mix64(h ^ wh.rotate_left(i as u32 * 17));
        }
        let bin = (h >> 58) as usize; // top 6 bits: 64 bins
        let value = h as u32;
        if value < bins[bin] {
            bins[bin] = value;
        }
    }
    // Densify: an empty bin borrows from the next non-empty one, re-hashed by the distance, so
    // two texts with the same shingle set still get the same signature.
    let filled = bins;
    for (i, bin) in bins.iter_mut().enumerate() {
        if *bin == EMPTY {
            for d in 1..SIGNATURE_LEN {
                let v = filled[(i + d) % SIGNATURE_LEN];
                if v != EMPTY {
                    *bin = mix64(u64::from(v) ^ (d as u64) << 32) as u32;
                    break;
                }
            }
        }
    }
    Some(Signature(bins))
}

/// The exact-duplicate digest from precomputed [`word_hashes`]: 16 hex characters.
pub fn digest_of_words(word_hashes: &[u64]) -> String {
    let mut h = mix64(5);
    for wh in word_hashes {
        h = mix64(h ^ wh);
    }
    format!("{:016x}", mix64(h ^ word_hashes.len() as u64))
}

/// Digest of a text for exact-duplicate detection: insensitive to case, punctuation and spacing.
pub fn content_digest(text: &str) -> String {
    digest_of_words(&word_hashes(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "Het waterschap Limburg heeft zaterdagavond besloten de noodpompen bij Roermond \
        langer te laten draaien. Volgens een woordvoerder staat het water in de Maas nog altijd \
        ruim een meter boven het normale peil. Bewoners van de lage delen van de stad mogen nog \
        niet terug naar hun huizen. De gemeente verwacht dat dit op zijn vroegst dinsdag kan. \
        In totaal zijn sinds vrijdag ongeveer twaalfhonderd mensen geëvacueerd uit de wijken \
        langs de rivier. De burgemeester bedankte de hulpverleners voor hun inzet.";

    #[test]
    fn identical_texts_have_identical_signatures() {
        assert_eq!(signature(WIRE), signature(WIRE));
        assert_eq!(content_digest(WIRE), content_digest(&WIRE.to_uppercase().replace('.', " . ")));
    }

    #[test]
    fn a_lightly_edited_copy_is_similar() {
        let edited = WIRE
            .replace("zaterdagavond", "zaterdag")
            .replace(" De burgemeester bedankte de hulpverleners voor hun inzet.", "");
        let s = similarity(&signature(WIRE).unwrap(), &signature(&edited).unwrap());
        assert!(s >= DEFAULT_THRESHOLD, "similarity {s}");
        let shared = signature(WIRE)
            .unwrap()
            .band_keys()
            .iter()
            .zip(signature(&edited).unwrap().band_keys())
            .filter(|(a, b)| **a == *b)
            .count();
        assert!(shared >= 1, "a near-duplicate must share at least one band");
    }

    #[test]
    fn a_different_report_on_the_same_topic_is_not() {
        let other = "De Maas is bij Venlo zondag opnieuw gestegen. Het waterschap houdt rekening met \
            een piek maandagochtend en vraagt bewoners van de uiterwaarden hun spullen naar boven te \
            brengen. Een woordvoerder zegt dat de dijken het voorlopig houden, maar dat de situatie \
            per uur wordt bekeken. Ook in Roermond zijn de pompen nog in bedrijf.";
        let s = similarity(&signature(WIRE).unwrap(), &signature(other).unwrap());
        assert!(s < 0.2, "similarity {s}");
    }

    #[test]
    fn short_texts_get_no_signature_and_bytes_roundtrip() {
        assert!(signature("Brug in Zwolle weer open").is_none());
        let sig = signature(WIRE).unwrap();
        assert_eq!(Signature::from_bytes(&sig.to_bytes()), Some(sig));
        assert!(Signature::from_bytes(&[1, 2, 3]).is_none());
    }
}
