//! Language identification (temporary placeholder while the real detector is written).
use crate::model::Language;
/// Detects the language of a text.
pub fn detect(_text: &str) -> Language {
    Language { code: "nl".into(), confidence: 0.0, declared: false }
}
/// Normalises a declared language tag (`nl-BE`, `Dutch`, `nld`) to ISO 639-1.
pub fn normalize_code(s: &str) -> Option<String> {
    Some(s.to_ascii_lowercase())
}
