//! What each report adds that no earlier report in the story had.

use std::collections::{HashMap, HashSet};

use super::figures::{Fig, Figures};
use super::quotes::{quote_words, same_quote, Words};
use super::{AddedQuote, Adds, Input};
use crate::analyze::stem::{is_stopword, LanguageStemmer};
use crate::analyze::{EntityType, Granularity};

/// The additions of every report, in the order given.
pub(super) fn compute(ordered: &[Input<'_>], figs: &Figures) -> Vec<Adds> {
    let mut seen_entities: HashSet<String> = HashSet::new();
    let mut seen_times: HashSet<String> = HashSet::new();
    let mut seen_sources: HashSet<String> = HashSet::new();
    // Quotes seen: exact wordings, and the wordings per speaker for near matches.
    let mut seen_quote_keys: HashSet<String> = HashSet::new();
    let mut seen_quotes: HashMap<Option<String>, Vec<Words>> = HashMap::new();
    let mut seen_figs: HashMap<&str, Vec<&Fig>> = HashMap::new();
    let mut seen_words: HashSet<String> = HashSet::new();
    // Stems of the words read so far, per language: stories repeat their vocabulary.
    let mut stems: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut out = Vec::with_capacity(ordered.len());
    for (r, input) in ordered.iter().enumerate() {
        let a = input.analysis;
        let mut adds = Adds::default();
        // Own outlet is never a "new source" of its own report.
        if let Some(s) = &input.article.source {
            seen_sources.insert(s.to_lowercase());
        }

        // Names: each new key once, in its fullest written form in this report.
        let mut best: HashMap<&str, &crate::analyze::Entity> = HashMap::new();
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
        let mut mine_quotes: Vec<(Option<String>, Words)> = Vec::new();
        for q in &a.quotes {
            let words = quote_words(&q.text);
            if words.is_empty() {
                continue;
            }
            let speaker = q.speaker_key.clone().or_else(|| q.speaker.as_ref().map(|s| s.to_lowercase()));
            let known = seen_quote_keys.contains(&words.key())
                || seen_quotes.get(&speaker).is_some_and(|ws| ws.iter().any(|w| same_quote(w, &words)))
                || mine_quotes.iter().any(|(_, w)| same_quote(w, &words));
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
        adds.terms = new_terms(input, &mut seen_words, &mut stems);
        out.push(adds);
    }
    out
}

/// A word of a report: (in the headline, count, first position, written form).
type Found = (bool, usize, usize, String);

/// How many new key words a report lists at most.
const MAX_TERMS: usize = 8;

/// Words of the headline, or used at least twice in the text, that no earlier report used;
/// words of names are left out. Marks every word of the report as seen.
fn new_terms(
    input: &Input<'_>,
    seen: &mut HashSet<String>,
    stems: &mut HashMap<String, HashMap<String, String>>,
) -> Vec<String> {
    let lang = input.analysis.language.as_str();
    let stemmer = LanguageStemmer::new(lang);
    let cache = stems.entry(lang.to_string()).or_default();
    let named: HashSet<String> = input
        .analysis
        .entities
        .iter()
        .flat_map(|e| e.text.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase).collect::<Vec<_>>())
        .collect();
    let mut found: HashMap<String, Found> = HashMap::new();
    let mut position = 0;
    for (in_title, text) in [(true, &input.article.title), (false, &input.article.text)] {
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            if w.chars().count() < 4 || w.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let lower = w.to_lowercase();
            if is_stopword(lang, &lower) || named.contains(&lower) {
                continue;
            }
            position += 1;
            let stem = match cache.get(&lower) {
                Some(s) => s.clone(),
                None => {
                    let s = stemmer.stem_lowercase(&lower).into_owned();
                    cache.insert(lower.clone(), s.clone());
                    s
                }
            };
            let e = found.entry(stem).or_insert_with(|| (false, 0, position, lower));
            e.0 |= in_title;
            e.1 += 1;
        }
    }
    let mut fresh: Vec<(&String, &Found)> = found
        .iter()
        .filter(|(stem, (title, n, _, _))| !seen.contains(*stem) && (*title || *n >= 2))
        .collect();
    fresh.sort_by(|x, y| y.1 .0.cmp(&x.1 .0).then(y.1 .1.cmp(&x.1 .1)).then(x.1 .2.cmp(&y.1 .2)));
    let out = fresh.iter().take(MAX_TERMS).map(|(_, v)| v.3.clone()).collect();
    seen.extend(found.into_keys());
    out
}
