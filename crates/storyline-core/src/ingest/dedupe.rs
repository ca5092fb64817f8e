//! Duplicate and near-duplicate detection: content digests and MinHash sketches.
//!
//! Exact duplicates share a digest of their normalised text. Near-duplicates (the same wire
//! copy run by two outlets with a new headline, a trimmed paragraph, a word changed) share most
//! of their word 4-shingles: each text gets a MinHash signature of [`SIGNATURE_LEN`] values
//! (one-permutation hashing: each shingle is hashed once and lands in one bin), and the
//! signature is cut into [`BANDS`] bands whose keys a store indexes, so candidates are found
//! with a handful of lookups instead of a scan. Candidates are confirmed by [`similarity`].

use crate::hash::{hash64, mix64};

/// Values in a signature.
pub const SIGNATURE_LEN: usize = 64;
/// Bands of the signature a store indexes for candidate lookup. With [`ROWS`] values per band,
/// two texts of similarity 0.5 share at least one band with probability 0.99, unrelated texts
/// (similarity near 0.02) with probability 0.006; candidates are then confirmed in full.
pub const BANDS: usize = 16;
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

/// Lowercased alphanumeric words of a text.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The MinHash signature of a text's word shingles, or `None` when it is too short.
pub fn signature(text: &str) -> Option<Signature> {
    let mut word_hashes: Vec<u64> = Vec::with_capacity(text.len() / 5);
    let mut lower = String::new();
    for w in words(text) {
        lower.clear();
        for c in w.chars() {
            lower.extend(c.to_lowercase());
        }
        word_hashes.push(hash64(7, lower.as_bytes()));
    }
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

/// Text normalised for exact-duplicate comparison: lowercase words joined by single spaces.
pub fn normalized_for_digest(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Digest of a text for exact-duplicate detection: insensitive to case, punctuation and spacing.
/// 64 bits as 16 hex characters.
pub fn content_digest(text: &str) -> String {
    format!("{:016x}", hash64(5, normalized_for_digest(text).as_bytes()))
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
        let shared = signature(WIRE).unwrap().band_keys().iter().zip(signature(&edited).unwrap().band_keys()).filter(|(a, b)| **a == *b).count();
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
