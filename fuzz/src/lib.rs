//! What the fuzz targets share: reading a fuzz input as a text with a language and a
//! publication date, running annotators over it, and checking the span invariants.
//!
//! An input's first byte chooses the language (bits 0–1: nl, en, de, fr), the publication date
//! (bits 2–3: none, a day with a time, a month, a year) and, for the annotators that read names,
//! whether capitalised words are handed to them as names (bit 4); the rest, read as UTF-8 (an
//! invalid sequence becomes U+FFFD), is the text.

use storyline_core::analyze::{Analysis, Annotator, Document, Entity, EntityType, Sentence, TokenKind};
use storyline_core::Published;

/// The languages the analysis knows best.
pub const LANGUAGES: [&str; 4] = ["nl", "en", "de", "fr"];

/// A fuzz input read as an article.
pub struct Input {
    /// The text.
    pub text: String,
    /// The language code.
    pub language: &'static str,
    /// The publication date.
    pub published: Option<Published>,
    /// Whether to hand capitalised words to the annotator as names.
    pub names: bool,
}

impl Input {
    /// Reads a fuzz input (see the module docs).
    pub fn new(data: &[u8]) -> Self {
        let (head, rest) = data.split_first().map_or((0, &[][..]), |(h, r)| (*h, r));
        let published = match (head >> 2) & 3 {
            0 => None,
            1 => Published::parse("2025-10-14T09:30:00Z").ok(),
            2 => Published::parse("2017-10").ok(),
            _ => Published::parse("2024").ok(),
        };
        Input {
            text: String::from_utf8_lossy(rest).into_owned(),
            language: LANGUAGES[usize::from(head & 3)],
            published,
            names: head & 0x10 != 0,
        }
    }

    /// Runs `annotators` in order as the pipeline does (sentences filled in first; names from
    /// [`capitalised_names`] when the input asks for them), checking the segmentation, the byte
    /// spans after each annotator and the character spans at the end. Panics on a violation.
    pub fn annotate(&self, annotators: &[&dyn Annotator]) -> Analysis {
        let text = self.text.as_str();
        let doc = Document::new(text, self.language, self.published);
        if let Err(e) = doc.check_spans() {
            panic!("segmentation: {e}");
        }
        let mut out = Analysis {
            language: self.language.to_string(),
            sentences: doc
                .sentences
                .iter()
                .map(|s| Sentence { text: doc.slice(*s).to_string(), start: s.start, end: s.end })
                .collect(),
            ..Analysis::default()
        };
        if self.names {
            out.entities = capitalised_names(&doc);
        }
        for a in annotators {
            a.annotate(&doc, &mut out);
            if let Err(e) = out.check_byte_spans(text) {
                panic!("{}: {e}", a.name());
            }
        }
        let out = out.into_char_offsets(text);
        if let Err(e) = out.check_spans(text) {
            panic!("character offsets: {e}");
        }
        out
    }
}

/// Stand-in names for the annotators that read them, without running the entity annotator:
/// every run of capitalised words, as a person when it has two words or more, else a place.
pub fn capitalised_names(doc: &Document<'_>) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut run: Option<(usize, usize, usize)> = None; // (start, end, words)
    let close = |run: Option<(usize, usize, usize)>, out: &mut Vec<Entity>| {
        if let Some((start, end, words)) = run {
            let text = doc.text[start..end].to_string();
            let key = text.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
            let kind = if words > 1 { EntityType::Person } else { EntityType::Place };
            out.push(Entity { text, kind, key, role: None, start, end });
        }
    };
    for t in &doc.tokens {
        let s = t.text(doc.text);
        if t.kind == TokenKind::Word && s.chars().next().is_some_and(char::is_uppercase) {
            run = Some(match run {
                Some((start, _, words)) => (start, t.end, words + 1),
                None => (t.start, t.end, 1),
            });
        } else {
            close(run.take(), &mut out);
        }
    }
    close(run, &mut out);
    out
}
