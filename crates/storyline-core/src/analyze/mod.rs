//! Reading an article: sentences and tokens, stems, named entities, quotes with their speakers,
//! quantities with what they count, and time expressions.
//!
//! Each annotator is an independent module behind the small [`Annotator`] trait; [`analyze`]
//! runs the default pipeline in order (segmentation first, then entities, quotes, quantities,
//! times), each one reading the [`Document`] and what earlier annotators wrote into the
//! [`Analysis`]. A better annotator (a statistical tagger, another language) replaces a
//! rule-based one by implementing the same trait.
//!
//! All spans are byte offsets into the article text while annotators run;
//! [`Analysis::into_char_offsets`] turns them into character (Unicode scalar) offsets for
//! storage and output.

pub mod conll;
pub mod entities;
pub mod gazetteer;
pub mod lang;
pub mod quantities;
pub mod quotes;
pub mod score;
pub mod segment;
pub mod stem;
mod table;
pub mod tagger;
pub mod times;
#[cfg(test)]
mod unicode_tests;
pub(crate) mod words;

use serde::{Deserialize, Serialize};

use crate::date::Published;
pub use segment::{Token, TokenKind};

/// A stretch of the text: `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First offset.
    pub start: usize,
    /// One past the last offset.
    pub end: usize,
}

impl Span {
    /// A span.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Whether two spans share at least one offset.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies inside this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// The sentence's text.
    pub text: String,
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
}

/// What kind of thing a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// A person.
    Person,
    /// An organisation: a company, a party, an army, a government, an armed group.
    Organization,
    /// A place: a country, a city, a region, a river.
    Place,
    /// Another name: an event, a product, a law.
    Other,
}

/// A named entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The text as written (without the role: `Ryan Dillon` in `kolonel Ryan Dillon`).
    pub text: String,
    /// Person, organisation, place or other.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Normalised key joining the variants of one entity within and across articles
    /// (`ryan-dillon` for `kolonel Ryan Dillon`, `Ryan Dillon` and a later `Dillon`;
    /// `islamitische-staat` for `IS` and `Islamitische Staat`).
    pub key: String,
    /// A title or function given with the name (`kolonel`, `woordvoerder van de coalitie`).
    pub role: Option<String>,
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
}

impl Entity {
    /// Whether this is a nationality word (`Amerikaanse`, `Syriërs`, `Franco-Duitse`): an
    /// other name by CoNLL's convention, which the analysis follows, but no name of a thing a
    /// story is about, so the clustering leaves it out of a report's names.
    pub fn is_nationality(&self) -> bool {
        self.kind == EntityType::Other && {
            let key = entities::entity_key(&self.text);
            !key.is_empty() && key.split('-').all(gazetteer::is_nationality)
        }
    }
}

/// How a quote is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Between quotation marks.
    Direct,
    /// A pull-quote line followed by the speaker's name and function.
    Pull,
    /// Reported speech without quotation marks (`Dat zeggen woordvoerders van de SDF`).
    Indirect,
}

/// A quote and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words (without the quotation marks), or the reported claim.
    pub text: String,
    /// The speaker as named in the article, resolved to the fullest name given.
    pub speaker: Option<String>,
    /// The speaker's entity key, when the speaker is a named entity.
    pub speaker_key: Option<String>,
    /// Direct, pull quote or indirect.
    pub kind: QuoteKind,
    /// Start offset of the quoted words.
    pub start: usize,
    /// End offset of the quoted words.
    pub end: usize,
}

/// A number in the text and what it counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The text of the expression (`meer dan honderd voertuigen`).
    pub text: String,
    /// The value (`100`).
    pub value: f64,
    /// Lower bound, when the text gives or implies one (`meer dan honderd`: 100, exclusive).
    pub min: Option<f64>,
    /// Upper bound (`hooguit`, `bijna`, the top of a range).
    pub max: Option<f64>,
    /// Whether the value is approximate (`zo'n`, `ongeveer`, `ruim`, `honderden`).
    pub approx: bool,
    /// The counted thing's head noun, singular (`strijder`, `familielid`, `voertuig`).
    pub noun: Option<String>,
    /// Its modifiers (`IS` in `IS-strijders`, `buitenlandse`).
    pub modifiers: Vec<String>,
    /// A unit or currency (`kilometer`, `EUR`, `%`).
    pub unit: Option<String>,
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
}

/// How precise a resolved time expression is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// A calendar day.
    Day,
    /// A week.
    Week,
    /// A weekend.
    Weekend,
    /// A month, or part of one (`midden oktober`).
    Month,
    /// A season or quarter.
    Season,
    /// A year.
    Year,
    /// Not resolvable to the calendar.
    Unknown,
}

/// A time expression, resolved against the publication date where possible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeExpr {
    /// The text (`zondag`, `midden oktober`, `sinds 2014`).
    pub text: String,
    /// The resolved value: `2017-10-15`, `2017-10`, `2014`, `2017-W41`; `None` when it cannot
    /// be resolved (no publication date, or too vague).
    pub value: Option<String>,
    /// Its granularity.
    pub granularity: Granularity,
    /// Start offset.
    pub start: usize,
    /// End offset.
    pub end: usize,
}

/// Everything the analysis finds in one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The language the analysis used.
    pub language: String,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// Named entity mentions in order.
    pub entities: Vec<Entity>,
    /// Quotes in order.
    pub quotes: Vec<Quote>,
    /// Quantities in order.
    pub quantities: Vec<Quantity>,
    /// Time expressions in order.
    pub times: Vec<TimeExpr>,
}

/// The text an annotator reads, with the segmentation every annotator shares.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The article text (paragraphs separated by a blank line).
    pub text: &'a str,
    /// Language code (`nl`, `en`, ...).
    pub language: &'a str,
    /// Publication time at its precision, to resolve relative time expressions.
    pub published: Option<Published>,
    /// Tokens in order (byte spans).
    pub tokens: Vec<Token>,
    /// Sentence spans in order (byte spans), each covering whole tokens.
    pub sentences: Vec<Span>,
}

impl<'a> Document<'a> {
    /// Segments `text` into tokens and sentences.
    pub fn new(text: &'a str, language: &'a str, published: Option<Published>) -> Self {
        let tokens = segment::tokenize(text);
        let sentences = segment::sentences(text, &tokens, language);
        Document { text, language, published, tokens, sentences }
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &'a str {
        &self.text[span.start..span.end]
    }

    /// Index of the sentence containing byte offset `at`.
    pub fn sentence_of(&self, at: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= at);
        (i < self.sentences.len() && self.sentences[i].start <= at).then_some(i)
    }

    /// Checks the segmentation: tokens and sentences lie within the text, start and end on
    /// character boundaries with `start <= end`, and come in order without overlapping.
    /// Returns the first that does not, described.
    pub fn check_spans(&self) -> Result<(), String> {
        let spans = self
            .tokens
            .iter()
            .map(|t| ("token", t.start, t.end))
            .chain([("", 0, 0)])
            .chain(self.sentences.iter().map(|s| ("sentence", s.start, s.end)));
        let mut last_end = 0;
        for (kind, start, end) in spans {
            if kind.is_empty() {
                last_end = 0; // sentences start over
                continue;
            }
            if start > end || end > self.text.len() {
                return Err(format!(
                    "{kind} at bytes {start}..{end} is outside the text's {} bytes",
                    self.text.len()
                ));
            }
            if !self.text.is_char_boundary(start) || !self.text.is_char_boundary(end) {
                return Err(format!("{kind} at bytes {start}..{end} splits a character"));
            }
            if start < last_end {
                return Err(format!(
                    "{kind} at bytes {start}..{end} overlaps the one before, which ends at {last_end}"
                ));
            }
            last_end = end;
        }
        Ok(())
    }

    /// Indexes of the tokens inside a span.
    pub fn tokens_in(&self, span: Span) -> std::ops::Range<usize> {
        let from = self.tokens.partition_point(|t| t.end <= span.start);
        let to = self.tokens.partition_point(|t| t.start < span.end);
        from..to.max(from)
    }
}

/// One annotator: reads the document and what earlier annotators found, adds its own.
pub trait Annotator: Send + Sync {
    /// A short name (`entities`, `quotes`).
    fn name(&self) -> &'static str;
    /// Adds annotations to `out`, with byte offsets.
    fn annotate(&self, doc: &Document<'_>, out: &mut Analysis);
}

/// The longest start of `text` of at most `max_bytes` bytes that ends on a character boundary.
pub(crate) fn head(text: &str, max_bytes: usize) -> &str {
    let mut end = text.len().min(max_bytes);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The default pipeline: entities, quotes (which use the entities), quantities, times.
pub fn default_annotators() -> [&'static dyn Annotator; 4] {
    [
        &entities::EntityAnnotator,
        &quotes::QuoteAnnotator,
        &quantities::QuantityAnnotator,
        &times::TimeAnnotator,
    ]
}

/// Analyses a text with the default pipeline; offsets are characters.
///
/// A bug in an annotator panics; [`try_analyze`] (and [`crate::ingest::prepare`], which every
/// ingest goes through) turns such a panic into an error for this one text instead.
pub fn analyze(text: &str, language: &str, published: Option<Published>) -> Analysis {
    run(&default_annotators(), text, language, published)
}

/// [`analyze`], with a panic inside the analysis turned into an [`AnalysisError`].
pub fn try_analyze(
    text: &str,
    language: &str,
    published: Option<Published>,
) -> Result<Analysis, AnalysisError> {
    guarded(|| analyze(text, language, published))
}

/// The analysis of one text failed: an annotator panicked on it (a bug, reported with the
/// panic's message, so one article that trips it does not take its batch down).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("analysis failed: {message}")]
pub struct AnalysisError {
    /// The panic's message, on one line and at most [`AnalysisError::MAX_MESSAGE`] characters.
    pub message: String,
}

impl AnalysisError {
    /// The longest message kept, in characters (a panic on a string slice quotes the string).
    pub const MAX_MESSAGE: usize = 300;

    /// An error from a panic's payload (a `&str` or a `String`, as `panic!` makes them).
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let raw = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic without a message");
        let mut message: String =
            raw.chars().map(|c| if c.is_control() { ' ' } else { c }).take(Self::MAX_MESSAGE).collect();
        if raw.chars().nth(Self::MAX_MESSAGE).is_some() {
            message.push('…');
        }
        AnalysisError { message }
    }
}

/// Runs `f`, which analyses one text, and turns a panic inside it into an [`AnalysisError`].
///
/// The analysis keeps no state between texts (the annotators and their tables are read-only),
/// so nothing is left half-changed when it unwinds: the next text is analysed as if nothing
/// had happened. The panic is still reported by the process's panic hook (standard error).
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, AnalysisError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| AnalysisError::from_panic(&*p))
}

/// With the test-only `test-panic` feature, the analysis of a text containing this marker
/// panics, so the integration tests can show what becomes of such an article. Never enabled in
/// a build of the product.
#[cfg(feature = "test-panic")]
#[doc(hidden)]
pub const TEST_PANIC_MARKER: &str = "[[storyline:test-panic]]";

/// Runs annotators over a text and returns the analysis with character offsets.
pub fn run(
    annotators: &[&dyn Annotator],
    text: &str,
    language: &str,
    published: Option<Published>,
) -> Analysis {
    #[cfg(feature = "test-panic")]
    if text.contains(TEST_PANIC_MARKER) {
        panic!("test panic: the text asks the analysis to fail");
    }
    let doc = Document::new(text, language, published);
    let mut out = Analysis {
        language: language.to_string(),
        sentences: doc
            .sentences
            .iter()
            .map(|s| Sentence { text: doc.slice(*s).to_string(), start: s.start, end: s.end })
            .collect(),
        ..Analysis::default()
    };
    for a in annotators {
        a.annotate(&doc, &mut out);
    }
    out.into_char_offsets(text)
}

/// Character offsets to byte offsets, for offsets that mostly come in increasing order.
struct CharCursor<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str) -> Self {
        CharCursor { text, chars: 0, bytes: 0 }
    }

    /// The byte offset of character `c` (the text's end when `c` is past it).
    fn byte(&mut self, c: usize) -> usize {
        if c < self.chars {
            self.chars = 0;
            self.bytes = 0;
        }
        for ch in self.text[self.bytes..].chars() {
            if self.chars == c {
                break;
            }
            self.bytes += ch.len_utf8();
            self.chars += 1;
        }
        self.bytes
    }
}

impl Analysis {
    /// Drops the sentences' text, which their offsets give again: for compact storage.
    pub fn strip_sentence_text(&mut self) {
        for s in &mut self.sentences {
            s.text = String::new();
        }
    }

    /// Fills in the sentences' text from the article text (character offsets), after
    /// [`Analysis::strip_sentence_text`].
    pub fn restore_sentence_text(&mut self, text: &str) {
        if text.is_ascii() {
            for s in &mut self.sentences {
                if s.text.is_empty() && s.start <= s.end {
                    s.text = text[s.start.min(text.len())..s.end.min(text.len())].to_string();
                }
            }
            return;
        }
        // Sentences come in text order: one cursor from character to byte offsets serves them
        // all (an offset out of order starts the cursor again).
        let mut cursor = CharCursor::new(text);
        for s in &mut self.sentences {
            if s.text.is_empty() && s.start <= s.end {
                let from = cursor.byte(s.start);
                let to = cursor.byte(s.end);
                s.text = text[from..to].to_string();
            }
        }
    }

    /// Every annotation as `(kind, its text, start, end)`, sentences first.
    fn spans(&self) -> impl Iterator<Item = (&'static str, &str, usize, usize)> {
        let sentences = self.sentences.iter().map(|s| ("sentence", s.text.as_str(), s.start, s.end));
        let entities = self.entities.iter().map(|e| ("entity", e.text.as_str(), e.start, e.end));
        let quotes = self.quotes.iter().map(|q| ("quote", q.text.as_str(), q.start, q.end));
        let quantities = self.quantities.iter().map(|q| ("quantity", q.text.as_str(), q.start, q.end));
        let times = self.times.iter().map(|t| ("time", t.text.as_str(), t.start, t.end));
        sentences.chain(entities).chain(quotes).chain(quantities).chain(times)
    }

    /// Checks the analysis of `text` in character offsets (as [`analyze`] returns it): every
    /// span lies within the text with `start <= end`, and every annotation's text is the text
    /// at its span. Returns the first annotation that breaks this, described.
    pub fn check_spans(&self, text: &str) -> Result<(), String> {
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let chars = starts.len() - 1;
        for (kind, said, start, end) in self.spans() {
            if start > end || end > chars {
                return Err(format!(
                    "{kind} {said:?} at {start}..{end} is outside the text's {chars} characters"
                ));
            }
            let at = &text[starts[start]..starts[end]];
            if !said.is_empty() && said != at {
                return Err(format!("{kind} {said:?} at {start}..{end} is {at:?} in the text"));
            }
        }
        Ok(())
    }

    /// [`Analysis::check_spans`] for byte offsets, as annotators write them: every span must
    /// also start and end on a character boundary.
    pub fn check_byte_spans(&self, text: &str) -> Result<(), String> {
        for (kind, said, start, end) in self.spans() {
            if start > end || end > text.len() {
                return Err(format!(
                    "{kind} {said:?} at bytes {start}..{end} is outside the text's {} bytes",
                    text.len()
                ));
            }
            let Some(at) = text.get(start..end) else {
                return Err(format!("{kind} {said:?} at bytes {start}..{end} splits a character"));
            };
            if !said.is_empty() && said != at {
                return Err(format!("{kind} {said:?} at bytes {start}..{end} is {at:?} in the text"));
            }
        }
        Ok(())
    }

    /// Converts every byte offset into a character offset of `text`.
    pub fn into_char_offsets(mut self, text: &str) -> Self {
        // Byte offset -> char offset: the characters starting before it (a byte inside a
        // character maps to that character), counted per block of 16 bytes ahead of time.
        const BLOCK: usize = 16;
        let bytes = text.as_bytes();
        let ascii = text.is_ascii();
        let starts = |from: usize, to: usize| bytes[from..to].iter().filter(|&&b| (b as i8) >= -0x40).count();
        let blocks: Vec<usize> = if ascii {
            Vec::new()
        } else {
            // Continuation bytes (`10xxxxxx`) counted eight at a time.
            let continuations = |w: &[u8]| {
                let mut x = [0u8; 8];
                x.copy_from_slice(w);
                let x = u64::from_le_bytes(x);
                (x & !(x << 1) & 0x8080_8080_8080_8080).count_ones() as usize
            };
            let mut total = 0;
            let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 2);
            let mut whole = bytes.chunks_exact(BLOCK);
            for chunk in &mut whole {
                blocks.push(total);
                total += BLOCK - chunk.chunks_exact(8).map(continuations).sum::<usize>();
            }
            let rest = whole.remainder();
            if !rest.is_empty() {
                blocks.push(total);
                total += starts(bytes.len() - rest.len(), bytes.len());
            }
            blocks.push(total);
            blocks
        };
        let conv = |b: usize| {
            let b = b.min(text.len());
            if ascii {
                return b;
            }
            let k = b / BLOCK;
            let before = blocks[k] + starts(k * BLOCK, b);
            if text.is_char_boundary(b) {
                before
            } else {
                before - 1
            }
        };
        for s in &mut self.sentences {
            (s.start, s.end) = (conv(s.start), conv(s.end));
        }
        for e in &mut self.entities {
            (e.start, e.end) = (conv(e.start), conv(e.end));
        }
        for q in &mut self.quotes {
            (q.start, q.end) = (conv(q.start), conv(q.end));
        }
        for q in &mut self.quantities {
            (q.start, q.end) = (conv(q.start), conv(q.end));
        }
        for t in &mut self.times {
            (t.start, t.end) = (conv(t.start), conv(t.end));
        }
        self
    }
}

#[cfg(test)]
mod storage_tests {
    use super::*;

    #[test]
    fn sentence_text_round_trips_through_offsets() {
        let text = "Zo'n 250 strijders vertrokken. België reageerde „verbaasd”.\n\nDaarna niets.";
        let full = analyze(text, "nl", None);
        let mut stored = full.clone();
        stored.strip_sentence_text();
        assert!(stored.sentences.iter().all(|s| s.text.is_empty()));
        stored.restore_sentence_text(text);
        assert_eq!(stored, full);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_the_analysis_becomes_an_error_naming_it() {
        let text = "Hedy d’Ancona sprak.";
        let err = guarded(|| -> Analysis { panic!("byte index {} is not a char boundary", 7) }).unwrap_err();
        assert_eq!(err.message, "byte index 7 is not a char boundary");
        assert_eq!(err.to_string(), "analysis failed: byte index 7 is not a char boundary");
        let err = guarded(|| -> Analysis { panic!("een vaste tekst") }).unwrap_err();
        assert_eq!(err.to_string(), "analysis failed: een vaste tekst");
        let err = guarded(|| std::panic::panic_any(42u8)).unwrap_err();
        assert_eq!(err.message, "a panic without a message");
        // A long message (a slice panic quotes the text) is cut, and kept on one line.
        let long = format!("regel een\nregel twee {}", "x".repeat(1000));
        let err = guarded(|| -> () { panic!("{long}") }).unwrap_err();
        assert!(!err.message.contains('\n'), "{}", err.message);
        assert_eq!(err.message.chars().count(), AnalysisError::MAX_MESSAGE + 1);
        assert!(err.message.ends_with('…'));
        // What does not panic passes through, and the next text is analysed as usual.
        let ok = guarded(|| analyze(text, "nl", None)).unwrap();
        assert_eq!(ok, analyze(text, "nl", None));
        assert_eq!(try_analyze(text, "nl", None).unwrap(), ok);
    }

    /// Byte offsets to character offsets the plain way: a table over every byte.
    fn char_offsets_by_table(text: &str, offsets: &[usize]) -> Vec<usize> {
        let mut map = vec![0usize; text.len() + 1];
        let mut chars = 0;
        for (i, c) in text.char_indices() {
            for slot in map.iter_mut().skip(i).take(c.len_utf8()) {
                *slot = chars;
            }
            chars += 1;
        }
        map[text.len()] = chars;
        offsets.iter().map(|&b| map[b.min(text.len())]).collect()
    }

    #[test]
    fn char_offsets_match_a_full_table() {
        let pieces = ["a", "é", "’", "€", "𝄞", " ", "Zwolle", "\n"];
        let mut seed = 7u64;
        for len in 0..300 {
            let mut text = String::new();
            for _ in 0..len {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let offsets: Vec<usize> = (0..=text.len() + 2).collect();
            let mut a = Analysis::default();
            for &b in &offsets {
                a.times.push(TimeExpr {
                    text: String::new(),
                    value: None,
                    granularity: Granularity::Unknown,
                    start: b,
                    end: b,
                });
            }
            let got: Vec<usize> = a.into_char_offsets(&text).times.iter().map(|t| t.start).collect();
            assert_eq!(got, char_offsets_by_table(&text, &offsets), "{text:?}");
        }
    }

    #[test]
    fn sentence_text_comes_back_from_character_offsets_in_any_order() {
        let text = "Één zin met „aanhalingstekens”. Daarna: café, naïef — en 3.500 €. Slot.";
        let chars: Vec<char> = text.chars().collect();
        let span = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        let spans = [(0, 31), (32, 65), (66, 71), (5, 8), (71, 71), (60, 200)];
        let mut a = Analysis {
            sentences: spans
                .iter()
                .map(|&(start, end)| Sentence { text: String::new(), start, end })
                .collect(),
            ..Analysis::default()
        };
        a.restore_sentence_text(text);
        for (s, &(start, end)) in a.sentences.iter().zip(&spans) {
            assert_eq!(s.text, span(start.min(chars.len()), end.min(chars.len())), "{start}..{end}");
        }
    }
}
