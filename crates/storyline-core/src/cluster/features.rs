//! What one article contributes to clustering: hashed stems of its text and title, and the
//! language-independent keys of its analysis (entities, figures, dates).
//!
//! Features are computed once per article, without corpus statistics: weighting by inverse
//! document frequency happens in the [`Clusterer`](super::Clusterer), whose statistics grow as
//! articles arrive. Stems are hashed together with the language (a Dutch and an English stem
//! never collide on purpose); keys are hashed without it, so the entity key `syrie` of a Dutch
//! report and of an English one (the gazetteer gives exonyms one key) meet, and so do the
//! figure `275` and the date `2017-10-15`.

use std::collections::HashMap;

use crate::analyze::stem::LanguageStemmer;
use crate::analyze::words::Words;
use crate::analyze::{entities::EntityAnnotator, guarded, AnalysisError, EntityType, Granularity};
use crate::hash::{hash64, mix64};
use crate::model::Article;

/// Seeds separating the hash spaces of the different kinds of feature.
const SEED_TERM: u64 = 0x5445_524d;
const SEED_ENTITY: u64 = 0x454e_5449;
const SEED_FIGURE: u64 = 0x4649_4755;
const SEED_FIGURE_NOUN: u64 = 0x464e_4f55;
const SEED_DATE: u64 = 0x4441_5445;

/// Bytes of text beyond the title up to which an article counts as a headline without a body.
const HEADLINE_SLACK: usize = 40;

/// Bytes at the start of the text that count as its lead: the event a report is about is told
/// there (with its own date), the background further down.
pub(crate) const LEAD_BYTES: usize = 500;

/// What a language-independent key stands for; the pair features group the kinds (people,
/// organisations, places, other names, figures, dates, the publication day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub(crate) enum KeyKind {
    /// A person's entity key.
    Person,
    /// An organisation's entity key.
    Organization,
    /// A place's entity key.
    Place,
    /// Another name's entity key.
    Other,
    /// A figure's value.
    Figure,
    /// A figure's value with its counted noun (language-tagged).
    FigureNoun,
    /// A date resolved to the day.
    Day,
    /// A week, weekend or month.
    Month,
    /// A season or year.
    Year,
    /// The publication day.
    Published,
}

/// One language-independent key of an article.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Key {
    /// Hash of the key.
    pub hash: u64,
    /// What it stands for.
    pub kind: KeyKind,
    /// How prominent it is in the article (grows with the number of mentions).
    pub salience: f32,
}

/// What one article contributes to clustering (opaque; see [`features`]).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Features {
    /// Hash of the language code.
    pub(crate) lang: u64,
    /// Publication time in seconds since the epoch, when known (the start of the period when
    /// only the day or month is known).
    pub(crate) time: Option<i64>,
    /// The last second of the publication period (equal to `time` when known to the second):
    /// a report dated only "October" may be from any day of it.
    pub(crate) time_end: Option<i64>,
    /// Text and title stems: (hash, sublinear term frequency), sorted by hash.
    pub(crate) terms: Vec<(u64, f32)>,
    /// Title stems: (hash, sublinear term frequency), sorted by hash.
    pub(crate) title: Vec<(u64, f32)>,
    /// Stems of the title and the lead ([`LEAD_BYTES`] of text): (hash, sublinear term
    /// frequency), sorted by hash.
    pub(crate) lead: Vec<(u64, f32)>,
    /// Entities, figures and dates, sorted by hash.
    pub(crate) keys: Vec<Key>,
    /// Calendar days the article is about (dates resolved to the day, and the publication
    /// day), as days since 1970-01-01, sorted and distinct.
    pub(crate) days: Vec<i64>,
    /// The days of the event itself: the publication day and the dates resolved to the day in
    /// the lead, sorted and distinct (a subset of `days`; background dates further down, the
    /// anniversary or the earlier attack, are left out).
    pub(crate) event_days: Vec<i64>,
    /// Whether the article is a headline without a body (the text adds next to nothing to the
    /// title).
    pub(crate) headline_only: bool,
}

/// The form [`Features::to_bytes`] writes: raised whenever what [`features`] computes
/// changes, so features a store kept from an earlier build are computed again, not read.
pub const FEATURES_FORMAT: u8 = 1;

impl Features {
    /// The features as bytes ([`FEATURES_FORMAT`], then the fields), for a store that keeps
    /// them so other processes need not compute them again.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![FEATURES_FORMAT];
        // Writing to a vector does not fail.
        postcard::to_io(self, &mut out).expect("features serialise into memory");
        out
    }

    /// Features [`Features::to_bytes`] wrote; `None` for another format or bytes that do
    /// not read whole.
    pub fn from_bytes(bytes: &[u8]) -> Option<Features> {
        let (&format, rest) = bytes.split_first()?;
        if format != FEATURES_FORMAT {
            return None;
        }
        match postcard::take_from_bytes::<Features>(rest) {
            Ok((f, [])) => Some(f),
            _ => None,
        }
    }

    /// Whether the article gave nothing to compare on.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.keys.is_empty()
    }

    /// Number of distinct stems (text and title).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Number of distinct language-independent keys.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// The publication time (Unix seconds), when known.
    pub fn time(&self) -> Option<i64> {
        self.time
    }
}

/// Hash of a language code.
pub(crate) fn language_hash(code: &str) -> u64 {
    hash64(SEED_TERM, code.as_bytes())
}

/// The term (hash) of each stem of an article's [`Words`], made when first needed.
struct StemTerms {
    lang_hash: u64,
    terms: Vec<Option<u64>>,
}

impl StemTerms {
    fn term(&mut self, words: &Words<'_>, stem: u32) -> u64 {
        let i = stem as usize;
        if i >= self.terms.len() {
            self.terms.resize(words.stem_count().max(i + 1), None);
        }
        *self.terms[i].get_or_insert_with(|| hash64(self.lang_hash, words.stem(stem).as_bytes()))
    }
}

/// Counts the terms of words into `counts`, each occurrence adding `weight`. Words with a digit,
/// of fewer than two characters once lowercased, or stopwords count nothing.
fn count_stems(
    words: &Words<'_>,
    forms: impl IntoIterator<Item = u32>,
    weight: f32,
    terms: &mut StemTerms,
    counts: &mut HashMap<u64, f32>,
) {
    for form in forms {
        let f = words.form(form);
        if f.digit || f.lower_chars < 2 {
            continue;
        }
        if let Some(stem) = words.stem_id(form) {
            *counts.entry(terms.term(words, stem)).or_insert(0.0) += weight;
        }
    }
}

/// Sorted (hash, 1 + ln(count)) pairs from raw counts.
fn sublinear(counts: HashMap<u64, f32>) -> Vec<(u64, f32)> {
    let mut v: Vec<(u64, f32)> = counts.into_iter().map(|(h, c)| (h, 1.0 + c.max(1.0).ln())).collect();
    v.sort_unstable_by_key(|&(h, _)| h);
    v
}

/// Language-independent hash of a figure value (three significant digits are enough to tell
/// `275` from `250`, and keep `40 billion` equal to `4.0e10`).
fn value_bits(value: f64) -> u64 {
    if value == 0.0 || !value.is_finite() {
        return 0;
    }
    let mag = value.abs().log10().floor();
    let scale = 10f64.powf(2.0 - mag);
    let mant = (value * scale).round() as i64;
    mix64((mant as u64) ^ ((mag as i64 as u64) << 32))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` value.
fn parse_day(v: &str) -> Option<i64> {
    let mut parts = v.splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    Some(crate::date::days_from_civil(y, m, d))
}

/// Computes an article's features from its stored fields and analysis (title, text, language,
/// published, entities, quantities, times).
///
/// The title's names are found here (the stored analysis covers the text); a title the entity
/// annotator fails on (a bug: it panics) contributes its words but no names. [`try_features`]
/// reports that failure instead, as preparing a new article does.
pub fn features(article: &Article, analysis: &crate::analyze::Analysis) -> Features {
    match features_with(
        article,
        analysis,
        &mut Words::read(&article.title, &article.text, &article.language.code),
        false,
    ) {
        Ok(f) => f,
        Err(_) => unreachable!("a lenient features call does not fail"),
    }
}

/// [`features`], failing when the analysis of the title fails.
pub fn try_features(
    article: &Article,
    analysis: &crate::analyze::Analysis,
) -> Result<Features, AnalysisError> {
    features_with(
        article,
        analysis,
        &mut Words::read(&article.title, &article.text, &article.language.code),
        true,
    )
}

/// [`try_features`] from the article's words already read (its headline and text, in its
/// language).
pub(crate) fn try_features_of<'a>(
    article: &'a Article,
    analysis: &crate::analyze::Analysis,
    words: &mut Words<'a>,
) -> Result<Features, AnalysisError> {
    features_with(article, analysis, words, true)
}

fn features_with<'a>(
    article: &'a Article,
    analysis: &crate::analyze::Analysis,
    words: &mut Words<'a>,
    strict: bool,
) -> Result<Features, AnalysisError> {
    let lang = article.language.code.as_str();
    let lang_hash = language_hash(lang);
    let stemmer = LanguageStemmer::new(lang);

    // A title that is only an address (some archives put the URL there) is no headline.
    let title = article.title.trim();
    let title = if title.starts_with("http") || title.contains("://") || title.starts_with("www") {
        ""
    } else {
        title
    };
    // Stems: the title counts twice (it names the story), the body once.
    let title_is_lead = article.text.starts_with(title.trim_end_matches(['.', '…']));
    let mut terms = StemTerms { lang_hash, terms: Vec::new() };
    let mut title_counts = HashMap::new();
    if !title.is_empty() {
        count_stems(words, words.title.iter().map(|t| t.form), 1.0, &mut terms, &mut title_counts);
    }
    let mut counts: HashMap<u64, f32> = HashMap::with_capacity(256);
    count_stems(words, words.text.iter().map(|t| t.form), 1.0, &mut terms, &mut counts);
    // The lead: the text's words up to LEAD_BYTES, a word cut there counting as what is left of it.
    let lead_end = crate::analyze::head(&article.text, LEAD_BYTES).len();
    let mut lead: Vec<u32> = Vec::with_capacity(96);
    for t in &words.text {
        if t.end as usize <= lead_end {
            lead.push(t.form);
        } else {
            if (t.start as usize) < lead_end {
                lead.push(words.form_of(&article.text[t.start as usize..lead_end]));
            }
            break;
        }
    }
    let mut lead_counts = title_counts.clone();
    count_stems(words, lead, 1.0, &mut terms, &mut lead_counts);
    for (&h, &c) in &title_counts {
        *counts.entry(h).or_insert(0.0) += if title_is_lead { c } else { 2.0 * c };
    }

    // Keys: entities (with the title's, when the title is not simply the text's first line),
    // figures, dates, and the publication day.
    let mut keys: HashMap<(u64, KeyKind), f32> = HashMap::new();
    let mut add = |hash: u64, kind: KeyKind, weight: f32| {
        *keys.entry((hash, kind)).or_insert(0.0) += weight;
    };
    let entity_kind = |t: EntityType| match t {
        EntityType::Person => KeyKind::Person,
        EntityType::Organization => KeyKind::Organization,
        EntityType::Place => KeyKind::Place,
        EntityType::Other => KeyKind::Other,
    };
    for e in analysis.entities.iter().filter(|e| !e.is_nationality()) {
        if !e.key.is_empty() {
            add(hash64(SEED_ENTITY, e.key.as_bytes()), entity_kind(e.kind), 1.0);
        }
    }
    if !title_is_lead && !title.is_empty() {
        let title = match guarded(|| crate::analyze::run(&[&EntityAnnotator], title, lang, article.published))
        {
            Ok(title) => title,
            Err(e) if strict => return Err(e),
            Err(_) => crate::analyze::Analysis::default(),
        };
        for e in title.entities.iter().filter(|e| !e.is_nationality()) {
            if !e.key.is_empty() {
                add(hash64(SEED_ENTITY, e.key.as_bytes()), entity_kind(e.kind), 2.0);
            }
        }
    }
    for q in &analysis.quantities {
        let bits = value_bits(q.value);
        if bits == 0 {
            continue;
        }
        add(mix64(SEED_FIGURE ^ bits), KeyKind::Figure, 1.0);
        if let Some(noun) = q.noun.as_deref() {
            let stem = stemmer.stem(noun);
            add(hash64(SEED_FIGURE_NOUN ^ bits ^ lang_hash, stem.as_bytes()), KeyKind::FigureNoun, 1.0);
        }
    }
    let mut days = Vec::new();
    let mut event_days = Vec::new();
    for t in &analysis.times {
        let Some(v) = t.value.as_deref() else { continue };
        if t.granularity == Granularity::Day {
            if let Some(d) = parse_day(v) {
                days.push(d);
                if t.start < LEAD_BYTES {
                    event_days.push(d);
                }
            }
        }
        let kind = match t.granularity {
            Granularity::Day => KeyKind::Day,
            Granularity::Week | Granularity::Weekend | Granularity::Month => KeyKind::Month,
            Granularity::Season | Granularity::Year => KeyKind::Year,
            Granularity::Unknown => continue,
        };
        add(hash64(SEED_DATE, v.as_bytes()), kind, 1.0);
    }
    if let Some(p) = article.published {
        if p.precision >= crate::date::Precision::Day {
            days.push(p.days());
            event_days.push(p.days());
            let (y, m, d) = p.ymd();
            add(hash64(SEED_DATE, format!("{y:04}-{m:02}-{d:02}").as_bytes()), KeyKind::Published, 1.0);
        }
    }
    let mut keys: Vec<Key> = keys
        .into_iter()
        .map(|((hash, kind), count)| Key { hash, kind, salience: 1.0 + count.ln().max(0.0) })
        .collect();
    keys.sort_unstable_by(|a, b| a.hash.cmp(&b.hash).then(a.kind.cmp(&b.kind)));
    // One entry per hash (an entity typed differently in two mentions keeps its first kind).
    keys.dedup_by(|b, a| {
        if a.hash == b.hash {
            a.salience += b.salience - 1.0;
            true
        } else {
            false
        }
    });

    days.sort_unstable();
    days.dedup();
    event_days.sort_unstable();
    event_days.dedup();
    // A body of a few words beyond the headline is no body (a feed item with its title only).
    let headline_only = !title.is_empty()
        && (title_is_lead || article.text.trim().is_empty())
        && article.text.trim().len() <= title.len() + HEADLINE_SLACK;
    Ok(Features {
        headline_only,
        days,
        event_days,
        lang: lang_hash,
        time: article.published.map(|p| p.unix),
        time_end: article.published.map(|p| (p.end_unix() - 1).max(p.unix)),
        terms: sublinear(counts),
        title: sublinear(title_counts),
        lead: sublinear(lead_counts),
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::stem::is_stopword;

    /// The stems of a text counted word by word, each lowercased and stemmed on its own.
    fn counted_alone(text: &str, lang: &str) -> HashMap<u64, f32> {
        let stemmer = LanguageStemmer::new(lang);
        let mut counts = HashMap::new();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            if word.is_empty()
                || word.bytes().any(|b| b.is_ascii_digit())
                || lower.chars().count() < 2
                || is_stopword(lang, &lower)
            {
                continue;
            }
            let term = hash64(language_hash(lang), stemmer.stem_lowercase(&lower).as_bytes());
            *counts.entry(term).or_insert(0.0) += 1.0;
        }
        counts
    }

    #[test]
    fn features_read_back_as_written_and_other_bytes_are_refused() {
        for (title, text, lang) in crate::analyze::words::tests::tricky_texts() {
            let article = Article {
                title: title.clone(),
                text: text.clone(),
                language: crate::model::Language { code: lang.into(), confidence: 1.0, declared: true },
                published: crate::date::Published::parse("2025-10-11T14:20:00Z").ok(),
                ..crate::ingest::prepare::prepare(crate::ingest::text::parse_text(&text), &Default::default())
            };
            let analysis = crate::analyze::analyze(&text, lang, article.published);
            let f = features(&article, &analysis);
            let bytes = f.to_bytes();
            assert_eq!(Features::from_bytes(&bytes), Some(f.clone()), "{title}");
            // Another format, a cut end or bytes after the end: none reads.
            let mut other = bytes.clone();
            other[0] = FEATURES_FORMAT.wrapping_add(1);
            assert_eq!(Features::from_bytes(&other), None);
            assert_eq!(Features::from_bytes(&bytes[..bytes.len() - 1]), None);
            let mut longer = bytes.clone();
            longer.push(0);
            assert_eq!(Features::from_bytes(&longer), None);
        }
        assert_eq!(Features::from_bytes(&[]), None);
    }

    #[test]
    fn shared_stems_count_what_each_word_alone_gives() {
        for (title, text, lang) in crate::analyze::words::tests::tricky_texts() {
            let article = Article {
                title: title.clone(),
                text: text.clone(),
                language: crate::model::Language { code: lang.into(), confidence: 1.0, declared: true },
                ..crate::ingest::prepare::prepare(crate::ingest::text::parse_text(&text), &Default::default())
            };
            let analysis = crate::analyze::analyze(&text, lang, None);
            let f = features(&article, &analysis);
            let headline = if title.contains("://") { "" } else { title.as_str() };
            let title_counts = counted_alone(headline, lang);
            let mut lead = title_counts.clone();
            for (h, c) in counted_alone(crate::analyze::head(&text, LEAD_BYTES), lang) {
                *lead.entry(h).or_insert(0.0) += c;
            }
            let mut all = counted_alone(&text, lang);
            let title_is_lead = text.starts_with(headline.trim_end_matches(['.', '…']));
            for (&h, &c) in &title_counts {
                *all.entry(h).or_insert(0.0) += if title_is_lead { c } else { 2.0 * c };
            }
            assert_eq!(f.title, sublinear(title_counts), "{title}");
            assert_eq!(f.lead, sublinear(lead), "{text}");
            assert_eq!(f.terms, sublinear(all), "{text}");
        }
        // The lead's bound falls inside a word in one of them.
        let (_, long, _) = &crate::analyze::words::tests::tricky_texts()[5];
        let cut = crate::analyze::head(long, LEAD_BYTES).len();
        assert!(long.as_bytes()[cut - 1].is_ascii_alphabetic() && long.as_bytes()[cut].is_ascii_alphabetic());
    }
}
