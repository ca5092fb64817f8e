//! The domain types that flow between the stages: a raw record from a source, and a stored article.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::Published;

/// Where in its source file a record was found, for error messages and provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "at", rename_all = "lowercase")]
pub enum Locator {
    /// The whole file is one record (plain text, an HTML page).
    Whole,
    /// A 1-based line number (JSON Lines).
    Line(u64),
    /// A 1-based item or entry number (RSS, Atom).
    Item(u64),
    /// A byte offset of the record in the (decompressed) stream (WARC).
    Offset(u64),
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Locator::Whole => f.write_str("document"),
            Locator::Line(n) => write!(f, "line {n}"),
            Locator::Item(n) => write!(f, "item {n}"),
            Locator::Offset(n) => write!(f, "offset {n}"),
        }
    }
}

/// One article as a source format gives it: what the file says, nothing inferred yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawArticle {
    /// An identifier the source gives (JSON Lines `id`, an RSS `guid`), if any.
    pub id: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// The body text: paragraphs separated by a blank line, no markup.
    pub text: String,
    /// The outlet that published it.
    pub source: Option<String>,
    /// The canonical URL.
    pub url: Option<String>,
    /// When it was published, at the precision the source gives.
    pub published: Option<Published>,
    /// A language code the source declares (`nl`, `en`, ...).
    pub language: Option<String>,
    /// The byline.
    pub author: Option<String>,
    /// Metadata recognised around the text and kept out of it: credits (`credit`: `BBC`), photo
    /// credits, a lone clock time, author initials, captions, the file's encoding.
    pub metadata: BTreeMap<String, String>,
    /// Fields of the source record that storyline does not interpret, returned on output as-is.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Where the record sits in its file.
    pub locator: Option<Locator>,
}

impl RawArticle {
    /// A raw article with only its text set.
    pub fn with_text(text: impl Into<String>) -> Self {
        RawArticle { text: text.into(), ..RawArticle::default() }
    }
}

/// A language guess or declaration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Language {
    /// ISO 639-1 code (`nl`, `en`, `de`, `fr`, `es`, `it`, ...), or `und` when undetermined.
    pub code: String,
    /// Confidence in `[0, 1]`; `1.0` when the source declared it.
    pub confidence: f32,
    /// Whether the source declared it (true) or storyline detected it (false).
    pub declared: bool,
}

/// A near-duplicate link: this article is a copy (with small edits) of an earlier one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    /// The id of the earlier article it copies.
    pub of: String,
    /// Estimated Jaccard similarity of their word shingles, in `[0, 1]`.
    pub similarity: f32,
}

/// Another outlet or address that ran exactly the same text as a stored article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sighting {
    /// The outlet.
    pub source: Option<String>,
    /// The address.
    pub url: Option<String>,
    /// When that copy was published.
    pub published: Option<Published>,
}

/// An article as storyline stores it: the raw record plus what ingest derived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: the source's id when given, else derived from the URL, else from the text.
    pub id: String,
    /// The headline (derived from the first sentence when the source has none).
    pub title: String,
    /// The body text.
    pub text: String,
    /// The outlet.
    pub source: Option<String>,
    /// The canonical URL.
    pub url: Option<String>,
    /// Publication time at its precision.
    pub published: Option<Published>,
    /// The language, declared or detected.
    pub language: Language,
    /// The byline.
    pub author: Option<String>,
    /// Metadata kept out of the text (see [`RawArticle::metadata`]).
    pub metadata: BTreeMap<String, String>,
    /// Uninterpreted source fields, returned as they came.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Hex digest of the normalised text, for exact-duplicate detection.
    pub content_hash: String,
    /// Set when this article is a near-duplicate of an earlier one.
    pub near_duplicate_of: Option<NearDuplicate>,
    /// Where it was read from: `path` and record locator.
    pub origin: Option<String>,
}
