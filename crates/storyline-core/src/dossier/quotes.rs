//! Who said what: quotes grouped by speaker, each quote once with every report that carries it.

use std::collections::HashMap;

use super::terms::Fast;
use super::{alnum_words, carrier, Input, QuoteEntry};

/// A quote's words, lowercased, for comparing wordings across reports: in order, and sorted
/// without repeats.
#[derive(Debug, Clone)]
pub(super) struct Words {
    words: Vec<String>,
    sorted: Vec<String>,
    /// The words joined by spaces.
    key: String,
}

impl Words {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words joined, for exact matching.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// The quote's words, lowercased.
pub(super) fn quote_words(text: &str) -> Words {
    let words: Vec<String> = alnum_words(text).map(str::to_lowercase).collect();
    let mut sorted = words.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let key = words.join(" ");
    Words { words, sorted, key }
}

/// The words of every quote of every report, in the order of the reports and their quotes.
pub(super) fn said(ordered: &[Input<'_>]) -> Vec<Vec<Words>> {
    ordered.iter().map(|i| i.analysis.quotes.iter().map(|q| quote_words(&q.text)).collect()).collect()
}

/// Whether two quotes are the same words: one holds at least 80 % of the other's words (a
/// shortened or lightly edited quote counts as the same).
pub(super) fn same_quote(a: &Words, b: &Words) -> bool {
    let (short, long) = if a.words.len() <= b.words.len() { (a, b) } else { (b, a) };
    if short.words.is_empty() {
        return false;
    }
    if short.words.len() < 3 {
        return short.words == long.words;
    }
    let shared = short.words.iter().filter(|w| long.sorted.binary_search(w).is_ok()).count();
    shared * 5 >= short.words.len() * 4
}

struct Group<'w> {
    speaker_key: Option<String>,
    speaker: Option<String>,
    role: Option<String>,
    entries: Vec<(QuoteEntry, &'w Words)>,
    /// Exact wordings to their entry, checked before the near matches.
    exact: HashMap<&'w str, usize, Fast>,
}

/// Quotes grouped by speaker (speakers in order of first appearance), each quote once; `said`
/// holds the words of every quote (see [`said`]).
pub(super) fn group(ordered: &[Input<'_>], said: &[Vec<Words>]) -> Vec<QuoteEntry> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut index: HashMap<Option<String>, usize, Fast> = HashMap::default();
    for (input, said) in ordered.iter().zip(said) {
        let a = input.analysis;
        for (q, words) in a.quotes.iter().zip(said) {
            if words.is_empty() {
                continue;
            }
            let who = q.speaker_key.clone().or_else(|| q.speaker.as_ref().map(|s| s.to_lowercase()));
            let role = q.speaker_key.as_ref().and_then(|k| {
                a.entities
                    .iter()
                    .filter(|e| &e.key == k)
                    .filter_map(|e| e.role.as_ref())
                    .max_by_key(|r| r.chars().count())
            });
            let gi = match index.get(&who) {
                Some(&i) => i,
                None => {
                    groups.push(Group {
                        speaker_key: q.speaker_key.clone(),
                        speaker: q.speaker.clone(),
                        role: None,
                        entries: Vec::new(),
                        exact: Default::default(),
                    });
                    index.insert(who.clone(), groups.len() - 1);
                    groups.len() - 1
                }
            };
            let g = &mut groups[gi];
            if let Some(s) = &q.speaker {
                if g.speaker.as_ref().is_none_or(|cur| s.chars().count() > cur.chars().count()) {
                    g.speaker = Some(s.clone());
                }
            }
            if let Some(r) = role {
                if g.role.as_ref().is_none_or(|cur| r.chars().count() > cur.chars().count()) {
                    g.role = Some(r.clone());
                }
            }
            let key = words.key();
            let found = g
                .exact
                .get(&key)
                .copied()
                .or_else(|| g.entries.iter().position(|(_, w)| same_quote(w, words)));
            match found {
                Some(i) => {
                    let entry = &mut g.entries[i].0;
                    if !entry.articles.iter().any(|x| x.id == input.article.id) {
                        entry.articles.push(carrier(input.article));
                    }
                    g.exact.entry(key).or_insert(i);
                }
                None => {
                    g.exact.insert(key, g.entries.len());
                    g.entries.push((
                        QuoteEntry {
                            speaker: None,
                            speaker_key: q.speaker_key.clone(),
                            role: None,
                            text: q.text.clone(),
                            kind: q.kind,
                            articles: vec![carrier(input.article)],
                        },
                        words,
                    ));
                }
            }
        }
    }
    let mut out = Vec::new();
    for g in groups {
        for (mut e, _) in g.entries {
            e.speaker = g.speaker.clone();
            e.role = g.role.clone();
            e.speaker_key = g.speaker_key.clone();
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortened_quote_is_the_same_quote() {
        let long = quote_words("We wilden niet dat er iemand vertrok, zeker niet de leiders");
        let short = quote_words("We wilden niet dat er iemand vertrok");
        assert!(same_quote(&short, &long));
        let other = quote_words("De leiders blijven in de stad tot het einde");
        assert!(!same_quote(&other, &long));
        assert!(!same_quote(&quote_words("Nee"), &quote_words("Ja")));
    }
}
