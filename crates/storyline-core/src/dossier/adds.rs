//! What each report adds that no earlier report in the story had.

use std::collections::{HashMap, HashSet};

use super::figures::{Fig, Figures};
use super::quotes::{same_quote, Words as QuoteWords};
use super::{alnum_words, AddedQuote, Adds, Input};
use crate::analyze::stem::{is_stopword, LanguageStemmer};
use crate::analyze::{EntityType, Granularity};

/// The additions of every report, in the order given; `said` holds the words of every quote.
pub(super) fn compute<'a>(ordered: &[Input<'a>], figs: &Figures, said: &[Vec<QuoteWords>]) -> Vec<Adds> {
    let mut seen_entities: HashSet<String, Fast> = HashSet::default();
    let mut seen_times: HashSet<String, Fast> = HashSet::default();
    let mut seen_sources: HashSet<String, Fast> = HashSet::default();
    // Quotes seen: exact wordings, and the wordings per speaker for near matches.
    let mut seen_quote_keys: HashSet<&str, Fast> = HashSet::default();
    let mut seen_quotes: HashMap<Option<String>, Vec<&QuoteWords>, Fast> = HashMap::default();
    let mut seen_figs: HashMap<&str, Vec<&Fig>, Fast> = HashMap::default();
    let mut seen_words: HashSet<u32, Fast> = HashSet::default();
    // The words read so far: stories repeat their vocabulary.
    let mut vocabulary = Vocabulary::default();
    let mut out = Vec::with_capacity(ordered.len());
    for (r, input) in ordered.iter().enumerate() {
        let a = input.analysis;
        let mut adds = Adds::default();
        // Own outlet is never a "new source" of its own report.
        if let Some(s) = &input.article.source {
            seen_sources.insert(s.to_lowercase());
        }

        // Names: each new key once, in its fullest written form in this report.
        let mut best: HashMap<&str, &crate::analyze::Entity, Fast> = HashMap::default();
        let mut order: Vec<&str> = Vec::new();
        for e in &a.entities {
            if seen_entities.contains(e.key.as_str()) {
                continue;
            }
            match best.get(e.key.as_str()) {
                None => {
                    order.push(&e.key);
                    best.insert(&e.key, e);
                }
                Some(cur) if e.text.chars().count() > cur.text.chars().count() => {
                    best.insert(&e.key, e);
                }
                Some(_) => {}
            }
        }
        for key in order {
            let e = best[key];
            let list = match e.kind {
                EntityType::Person => &mut adds.people,
                EntityType::Organization => &mut adds.organizations,
                EntityType::Place => &mut adds.places,
                EntityType::Other => continue,
            };
            list.push(e.text.clone());
        }
        for key in best.into_keys() {
            seen_entities.insert(key.to_string());
        }

        // Figures: a value no earlier figure of the same subject already gave.
        let from = figs.all.partition_point(|f| f.report < r);
        let to = figs.all.partition_point(|f| f.report <= r);
        let mine: Vec<&Fig> = figs.all[from..to].iter().collect();
        let mut fresh: Vec<bool> = Vec::with_capacity(mine.len());
        for f in &mine {
            let earlier = seen_figs.get(f.subject_key.as_str()).map_or(&[][..], Vec::as_slice);
            let new = if f.vague() { earlier.is_empty() } else { !earlier.iter().any(|g| f.covered_by(g)) };
            let already = mine
                .iter()
                .take_while(|g| g.quantity < f.quantity)
                .any(|g| g.subject_key == f.subject_key && (f.vague() || f.covered_by(g)));
            if new && !already {
                adds.figures.push(f.value.text.clone());
            }
            fresh.push(new);
        }
        // Only values that said something new are remembered: a value repeated adds nothing.
        for (f, new) in mine.into_iter().zip(fresh) {
            if new {
                seen_figs.entry(f.subject_key.as_str()).or_default().push(f);
            }
        }

        // Quotes: words no earlier report quoted (a quote carried again is not new).
        let mut mine_quotes: Vec<(Option<String>, &QuoteWords)> = Vec::new();
        for (q, words) in a.quotes.iter().zip(&said[r]) {
            if words.is_empty() {
                continue;
            }
            let speaker = q.speaker_key.clone().or_else(|| q.speaker.as_ref().map(|s| s.to_lowercase()));
            let known = seen_quote_keys.contains(words.key())
                || seen_quotes.get(&speaker).is_some_and(|ws| ws.iter().any(|w| same_quote(w, words)))
                || mine_quotes.iter().any(|(_, w)| same_quote(w, words));
            if !known {
                adds.quotes.push(AddedQuote { speaker: q.speaker.clone(), text: q.text.clone() });
                // Only new wordings are remembered: a quote carried again adds nothing to match.
                mine_quotes.push((speaker, words));
            }
        }
        for (speaker, words) in mine_quotes {
            seen_quote_keys.insert(words.key());
            seen_quotes.entry(speaker).or_default().push(words);
        }

        // Time references: resolved values, or the words when they cannot be resolved.
        for t in &a.times {
            if t.granularity == Granularity::Unknown {
                continue;
            }
            let key = t.value.clone().unwrap_or_else(|| t.text.to_lowercase());
            if seen_times.insert(key) {
                adds.times.push(match &t.value {
                    Some(v) if v != &t.text => format!("{} ({v})", t.text),
                    _ => t.text.clone(),
                });
            }
        }

        // Credited sources: the credit line, and speakers that are not people.
        let mut credited: Vec<String> = Vec::new();
        if let Some(c) = input.article.metadata.get("credit") {
            credited.push(c.clone());
        }
        for q in &a.quotes {
            let Some(name) = &q.speaker else { continue };
            let person = q.speaker_key.as_deref().is_some_and(|k| super::figures::is_person(a, k));
            let pronoun = name.chars().count() < 3;
            if !person && !pronoun {
                credited.push(name.clone());
            }
        }
        for c in credited {
            if seen_sources.insert(c.to_lowercase()) {
                adds.sources.push(c);
            }
        }
        adds.terms = new_terms(input, &mut seen_words, &mut vocabulary);
        out.push(adds);
    }
    out
}

/// How many new key words a report lists at most.
const MAX_TERMS: usize = 8;

/// A fast hash for short strings, eight bytes at a time; the keys are words of the story, not
/// attacker-chosen in any way that matters for a single dossier build.
#[derive(Default)]
pub(super) struct WordHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl std::hash::Hasher for WordHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut x = [0u8; 8];
            x.copy_from_slice(c);
            self.add(u64::from_le_bytes(x));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut x = [0u8; 8];
            x[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(x) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

pub(super) type Fast = std::hash::BuildHasherDefault<WordHasher>;

/// The words of a story's reports, each written form read once: its stem as a small number,
/// or nothing for stopwords and words too short to say anything.
#[derive(Default)]
pub(super) struct Vocabulary<'a> {
    /// Per language: written form (as in the text) -> stem id, and the language's stemmer.
    languages: HashMap<&'a str, (HashMap<&'a str, Option<u32>, Fast>, LanguageStemmer), Fast>,
    stem_ids: HashMap<String, u32, Fast>,
    /// Lowercase form of each stem id's first occurrence, for display.
    shown: Vec<String>,
}

impl<'a> Vocabulary<'a> {
    /// The words of one language.
    fn language(&mut self, lang: &'a str) -> Words<'_, 'a> {
        let (forms, stemmer) =
            self.languages.entry(lang).or_insert_with(|| (HashMap::default(), LanguageStemmer::new(lang)));
        Words { lang, forms, stemmer, stem_ids: &mut self.stem_ids, shown: &mut self.shown }
    }
}

/// The vocabulary of one language, for reading one report.
struct Words<'v, 'a> {
    lang: &'a str,
    forms: &'v mut HashMap<&'a str, Option<u32>, Fast>,
    stemmer: &'v LanguageStemmer,
    stem_ids: &'v mut HashMap<String, u32, Fast>,
    shown: &'v mut Vec<String>,
}

impl<'a> Words<'_, 'a> {
    fn id(&mut self, word: &'a str) -> Option<u32> {
        // Fewer than four bytes is fewer than four characters: no lookup needed.
        if word.len() < 4 {
            return None;
        }
        if let Some(&id) = self.forms.get(word) {
            return id;
        }
        let id = if word.chars().count() < 4 || word.chars().any(|c| c.is_ascii_digit()) {
            None
        } else {
            let lower = word.to_lowercase();
            if is_stopword(self.lang, &lower) {
                None
            } else {
                let stem = self.stemmer.stem_lowercase(&lower).into_owned();
                let next = self.shown.len() as u32;
                let id = *self.stem_ids.entry(stem).or_insert(next);
                if id == next {
                    self.shown.push(lower);
                }
                Some(id)
            }
        };
        self.forms.insert(word, id);
        id
    }
}

/// Words of the headline, or used at least twice in the text, that no earlier report used;
/// words of names are left out. Marks every word of the report as seen.
fn new_terms<'a>(
    input: &Input<'a>,
    seen: &mut HashSet<u32, Fast>,
    vocabulary: &mut Vocabulary<'a>,
) -> Vec<String> {
    let mut vocabulary = vocabulary.language(input.analysis.language.as_str());
    let named: HashSet<u32, Fast> = input
        .analysis
        .entities
        .iter()
        .flat_map(|e| alnum_words(&e.text))
        .filter_map(|w| vocabulary.id(w))
        .collect();
    // stem id -> (in headline, count, first position)
    let mut found: HashMap<u32, (bool, usize, usize), Fast> = HashMap::default();
    let mut position = 0;
    for (in_title, text) in [(true, input.article.title.as_str()), (false, input.article.text.as_str())] {
        for w in alnum_words(text) {
            let Some(id) = vocabulary.id(w) else { continue };
            if named.contains(&id) {
                continue;
            }
            position += 1;
            let e = found.entry(id).or_insert((in_title, 0, position));
            e.0 |= in_title;
            e.1 += 1;
        }
    }
    let mut fresh: Vec<(u32, (bool, usize, usize))> = found
        .iter()
        .filter(|(id, (title, n, _))| !seen.contains(*id) && (*title || *n >= 2))
        .map(|(&k, &v)| (k, v))
        .collect();
    fresh.sort_by(|x, y| y.1 .0.cmp(&x.1 .0).then(y.1 .1.cmp(&x.1 .1)).then(x.1 .2.cmp(&y.1 .2)));
    let out = fresh.iter().take(MAX_TERMS).map(|(id, _)| vocabulary.shown[*id as usize].clone()).collect();
    seen.extend(found.into_keys());
    out
}
