//! What each report adds that no earlier report in the story had.

use std::collections::{HashMap, HashSet};

use super::figures::{Fig, Figures};
use super::quotes::{same_quote, Words as QuoteWords};
use super::terms::{Fast, ReadStem, TermReader};
use super::{AddedQuote, Adds, Input};
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
    // The key words of each report: computed when the article was stored, or read here (each
    // written form stemmed once for the whole story).
    let mut reader_stems = Vec::new();
    let terms = terms_of(ordered, &mut reader_stems);
    let mut seen_words: HashSet<&str, Fast> = HashSet::default();
    let mut shown: HashMap<&str, &Term<'_>, Fast> = HashMap::default();
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
        adds.terms = new_terms(&terms[r], &mut seen_words, &mut shown);
        out.push(adds);
    }
    out
}

/// How many new key words a report lists at most.
const MAX_TERMS: usize = 8;

/// One stem of a report, as kept with the article or as read for this dossier.
struct Term<'s> {
    stem: &'s str,
    /// The form to show: lowercase already, or as written.
    form: &'s str,
    lowercase: bool,
    named: bool,
    in_title: bool,
    count: u32,
    first: u32,
}

impl Term<'_> {
    fn shown(&self) -> String {
        if self.lowercase {
            self.form.to_string()
        } else {
            self.form.to_lowercase()
        }
    }
}

/// Each report's stems: the ones kept with the article, or read here with one reader for the
/// story (each written form stemmed once).
fn terms_of<'s>(ordered: &[Input<'s>], reader_stems: &'s mut Vec<String>) -> Vec<Vec<Term<'s>>> {
    let mut reader = TermReader::default();
    let read: Vec<Option<Vec<ReadStem<'s>>>> = ordered
        .iter()
        .map(|i| i.terms.is_none().then(|| reader.read(&i.article.title, &i.article.text, i.analysis)))
        .collect();
    *reader_stems = reader.into_stems();
    let stems: &'s [String] = reader_stems;
    ordered
        .iter()
        .zip(read)
        .map(|(input, read)| match (input.terms, read) {
            (Some(kept), _) => kept
                .iter()
                .map(|t| Term {
                    stem: t.stem,
                    form: t.form,
                    lowercase: true,
                    named: t.named,
                    in_title: t.in_title,
                    count: t.count,
                    first: t.first,
                })
                .collect(),
            (None, read) => read
                .unwrap_or_default()
                .into_iter()
                .map(|r| Term {
                    stem: &stems[r.id as usize],
                    form: r.written,
                    lowercase: false,
                    named: r.named,
                    in_title: r.in_title,
                    count: r.count,
                    first: r.first,
                })
                .collect(),
        })
        .collect()
}

/// Stems of the headline, or used at least twice in the text, that no earlier report used;
/// stems of names are left out. Marks every stem of the report as seen, and remembers the form
/// each stem was first read in, across the story, for display.
fn new_terms<'t>(
    terms: &'t [Term<'t>],
    seen: &mut HashSet<&'t str, Fast>,
    shown: &mut HashMap<&'t str, &'t Term<'t>, Fast>,
) -> Vec<String> {
    for t in terms {
        shown.entry(t.stem).or_insert(t);
    }
    let mut fresh: Vec<&Term<'_>> =
        terms.iter().filter(|t| !t.named && !seen.contains(t.stem) && (t.in_title || t.count >= 2)).collect();
    fresh.sort_by(|x, y| y.in_title.cmp(&x.in_title).then(y.count.cmp(&x.count)).then(x.first.cmp(&y.first)));
    let out = fresh.iter().take(MAX_TERMS).map(|t| shown[t.stem].shown()).collect();
    seen.extend(terms.iter().filter(|t| !t.named).map(|t| t.stem));
    out
}
