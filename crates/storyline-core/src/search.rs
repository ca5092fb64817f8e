//! Search terms: how article text and search queries become the stemmed terms a search index
//! holds, and how the matches are found again in the original text for snippets and highlights.
//!
//! Every store backend indexes the terms [`index_terms`] gives and looks up the clauses
//! [`Query::parse`] gives, so search matches and highlights the same way whatever the backend.
//! A word is a run of letters and digits (`IS-strijders` is `IS` and `strijders`, `3.500` is
//! `3` and `500`); single letters are left out, and so are the stopwords of the text's language.
//! A document is stemmed with its own language; a query is stemmed with every language the store
//! holds, and a word matches when any of its stems does.
//!
//! ```
//! use storyline_core::search::{index_terms, Query};
//!
//! let mut terms = String::new();
//! index_terms("Het konvooi van IS-strijders", "nl", &mut terms);
//! assert_eq!(terms, "konvooi strijder");
//! let query = Query::parse("konvooien", &["nl", "en"]);
//! assert!(query.matcher().matches_word("konvooi", "nl"));
//! ```

use std::collections::HashSet;

use crate::analyze::stem::{is_stopword, LanguageStemmer};
use crate::analyze::words::{lower_into, Token, Words};

/// A word of a text: a run of letters and digits with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Start byte offset.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
}

/// The words of a text that can be search terms (runs of letters and digits; single letters
/// are left out).
pub fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (start, c) = chars.next()?;
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut count = 1;
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            end = i + c.len_utf8();
            count += 1;
            chars.next();
        }
        if count == 1 && c.is_alphabetic() {
            continue;
        }
        return Some(Word { text: &text[start..end], start, end });
    })
}

/// Appends the index terms of `text` (stems of its words in `language`, stopwords left out) to
/// `out`, each followed by nothing but a separating space. Returns how many terms were added.
pub fn index_terms(text: &str, language: &str, out: &mut String) -> usize {
    let words = Words::read("", text, language);
    index_terms_of(&words, &words.text, out)
}

/// [`index_terms`] of words already read (the headline's or the text's of `words`): the search
/// index's rule, single letters and stopwords left out, over the shared stems.
pub(crate) fn index_terms_of(words: &Words<'_>, tokens: &[Token], out: &mut String) -> usize {
    let mut n = 0;
    for t in tokens {
        let form = words.form(t.form);
        if form.chars == 1 && form.alphabetic {
            continue;
        }
        let Some(stem) = words.stem_id(t.form) else { continue };
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(words.stem(stem));
        n += 1;
    }
    n
}

/// One condition of a query; a document must meet every clause (or, when none meets all,
/// any: see the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A word: any of its stems (one per query language, deduplicated).
    Word(Vec<String>),
    /// A word typed with a trailing `*`: any stem starting with it (lowercase, not stemmed).
    Prefix(String),
    /// A quoted phrase: these stems in this order, one sequence per query language
    /// (deduplicated); stopwords are left out of both the index and the phrase.
    Phrase(Vec<Vec<String>>),
}

/// A parsed search query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The conditions, in the order typed, without duplicates.
    pub clauses: Vec<Clause>,
    matcher: Matcher,
}

/// Shortest prefix searched for (shorter ones are taken as whole words).
const MIN_PREFIX: usize = 2;

impl Query {
    /// Parses what someone typed: words, `"quoted phrases"` and `prefix*` words. Each word is
    /// stemmed with each of `languages`, skipping a language in which it is a stopword; a word
    /// that is a stopword in every language is dropped.
    pub fn parse(text: &str, languages: &[&str]) -> Query {
        let languages: Vec<&str> = if languages.is_empty() { vec!["nl", "en"] } else { languages.to_vec() };
        let stemmers: Vec<(&str, LanguageStemmer)> =
            languages.iter().map(|l| (*l, LanguageStemmer::new(l))).collect();
        let mut clauses: Vec<Clause> = Vec::new();
        let mut lower = String::new();
        let stems_of = |word: &str, lower: &mut String| -> Vec<String> {
            lower_into(word, lower);
            let mut out: Vec<String> = Vec::new();
            for (language, stemmer) in &stemmers {
                if is_stopword(language, lower) {
                    continue;
                }
                let s = stemmer.stem_lowercase(lower).into_owned();
                if !out.contains(&s) {
                    out.push(s);
                }
            }
            out
        };
        let push = |c: Clause, clauses: &mut Vec<Clause>| {
            if !clauses.contains(&c) {
                clauses.push(c);
            }
        };
        for (i, part) in text.split('"').enumerate() {
            if i % 2 == 1 {
                // A phrase: the stems per language, in order.
                let ws: Vec<Word<'_>> = words(part).collect();
                let mut per_language: Vec<Vec<String>> = Vec::new();
                for (language, stemmer) in &stemmers {
                    let seq: Vec<String> = ws
                        .iter()
                        .filter_map(|w| {
                            lower_into(w.text, &mut lower);
                            (!is_stopword(language, &lower))
                                .then(|| stemmer.stem_lowercase(&lower).into_owned())
                        })
                        .collect();
                    if !seq.is_empty() && !per_language.contains(&seq) {
                        per_language.push(seq);
                    }
                }
                if per_language.is_empty() {
                    continue;
                }
                if per_language.iter().all(|s| s.len() == 1) {
                    let stems: Vec<String> = per_language.into_iter().flatten().collect();
                    push(Clause::Word(stems), &mut clauses);
                } else {
                    push(Clause::Phrase(per_language), &mut clauses);
                }
                continue;
            }
            for chunk in part.split_whitespace() {
                let ws: Vec<Word<'_>> = words(chunk).collect();
                let prefix = chunk.ends_with('*');
                for (j, w) in ws.iter().enumerate() {
                    let last = j + 1 == ws.len();
                    if prefix && last && w.text.chars().count() >= MIN_PREFIX {
                        lower_into(w.text, &mut lower);
                        push(Clause::Prefix(lower.clone()), &mut clauses);
                        continue;
                    }
                    let stems = stems_of(w.text, &mut lower);
                    if !stems.is_empty() {
                        push(Clause::Word(stems), &mut clauses);
                    }
                }
            }
        }
        let matcher = Matcher::new(&clauses);
        Query { clauses, matcher }
    }

    /// Whether nothing searchable is left (no words, or only stopwords).
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// Finds the query's words again in text.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }
}

/// Recognises the words of a text that a query matched: words whose stem (in the text's
/// language) is one of the query's stems, or that start with one of its prefixes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matcher {
    stems: HashSet<String>,
    prefixes: Vec<String>,
    /// First characters of every stem and prefix: a word starting otherwise is not stemmed.
    firsts: HashSet<char>,
}

impl Matcher {
    /// A matcher for the stems and prefixes of these clauses.
    pub fn new(clauses: &[Clause]) -> Matcher {
        let mut m = Matcher::default();
        for c in clauses {
            match c {
                Clause::Word(stems) => m.stems.extend(stems.iter().cloned()),
                Clause::Prefix(p) => m.prefixes.push(p.clone()),
                Clause::Phrase(seqs) => m.stems.extend(seqs.iter().flatten().cloned()),
            }
        }
        m.firsts = m.stems.iter().chain(&m.prefixes).filter_map(|s| s.chars().next()).collect();
        m
    }

    /// Whether a word of a text in `language` matches.
    pub fn matches_word(&self, word: &str, language: &str) -> bool {
        let mut lower = String::new();
        self.matches(word, language, &LanguageStemmer::new(language), &mut lower)
    }

    fn matches(&self, word: &str, language: &str, stemmer: &LanguageStemmer, lower: &mut String) -> bool {
        // Stems keep a word's first letter (for words starting with ASCII), so most words can
        // be ruled out without stemming them.
        let first = word.chars().next().map(|c| c.to_ascii_lowercase());
        if first.is_some_and(|c| c.is_ascii() && !self.firsts.contains(&c)) {
            return false;
        }
        lower_into(word, lower);
        if is_stopword(language, lower) {
            return false;
        }
        if self.prefixes.iter().any(|p| lower.starts_with(p.as_str())) {
            return true;
        }
        let stem = stemmer.stem_lowercase(lower);
        self.stems.contains(stem.as_ref()) || self.prefixes.iter().any(|p| stem.starts_with(p.as_str()))
    }

    /// Byte ranges of the matching words of `text` (a text in `language`), looking at no more
    /// than its first `max_bytes`.
    pub fn find(&self, text: &str, language: &str, max_bytes: usize) -> Vec<(usize, usize)> {
        if self.stems.is_empty() && self.prefixes.is_empty() {
            return Vec::new();
        }
        let stemmer = LanguageStemmer::new(language);
        let mut lower = String::new();
        words(text)
            .take_while(|w| w.start < max_bytes)
            .filter(|w| self.matches(w.text, language, &stemmer, &mut lower))
            .map(|w| (w.start, w.end))
            .collect()
    }

    /// Character ranges of the matching words of a short text such as a title.
    pub fn highlight(&self, text: &str, language: &str) -> Vec<(usize, usize)> {
        to_char_ranges(text, 0, &self.find(text, language, text.len()))
    }

    /// A window of about `width` characters of `text` around its best matches, as plain text
    /// (line breaks as spaces, `…` where it was cut) with the matches as character ranges of
    /// the snippet. Without matches, the text's beginning.
    pub fn snippet(&self, text: &str, language: &str, width: usize) -> (String, Vec<(usize, usize)>) {
        const SCAN: usize = 64 * 1024;
        let found = self.find(text, language, SCAN);
        let width = width.max(40);
        // The window start: the match followed by the most matches within the width.
        let anchor = if found.is_empty() {
            0
        } else {
            let mut best = (0usize, 0usize);
            let mut j = 0;
            for i in 0..found.len() {
                j = j.max(i);
                while j < found.len() && found[j].1 - found[i].0 <= width {
                    j += 1;
                }
                if j - i > best.1 {
                    best = (i, j - i);
                }
            }
            found[best.0].0
        };
        // Start up to a fifth of the width before the anchor, at a word boundary.
        let lead = width / 5;
        let mut start = anchor;
        if anchor > 0 {
            let before: Vec<(usize, char)> = text[..anchor].char_indices().rev().take(lead).collect();
            start = before.last().map_or(anchor, |(i, _)| *i);
            if start > 0 {
                // Move forward to just after a space or line break, if there is one (which may
                // be more than one byte: a narrow no-break space).
                if let Some((p, c)) = text[start..anchor].char_indices().find(|(_, c)| c.is_whitespace()) {
                    start += p + c.len_utf8();
                }
            }
            // A sentence start close before the anchor is a better place to begin.
            if let Some(p) = text[start..anchor].rfind(['.', '\n']) {
                let s = start + p + 1;
                start = s + (text[s..anchor].len() - text[s..anchor].trim_start().len());
            }
        }
        let mut end = text[start..].char_indices().nth(width).map_or(text.len(), |(i, _)| start + i);
        if end < text.len() {
            if let Some(p) = text[start..end].rfind(char::is_whitespace) {
                if p > 0 {
                    end = start + p;
                }
            }
        }
        let mut out = String::with_capacity(end - start + 8);
        let mut shift = 0;
        if start > 0 {
            out.push('…');
            shift = 1;
        }
        out.extend(text[start..end].chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }));
        let inside: Vec<(usize, usize)> = found
            .iter()
            .filter(|(s, e)| *s >= start && *e <= end)
            .map(|(s, e)| (s - start, e - start))
            .collect();
        let ranges = to_char_ranges(&text[start..end], shift, &inside);
        if end < text.len() {
            out.push('…');
        }
        (out, ranges)
    }
}

/// Converts sorted byte ranges of `text` into character ranges, each shifted by `shift`.
fn to_char_ranges(text: &str, shift: usize, ranges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut chars = 0;
    let mut at = 0;
    for &(s, e) in ranges {
        chars += text[at..s].chars().count();
        let len = text[s..e].chars().count();
        out.push((shift + chars, shift + chars + len));
        chars += len;
        at = e;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(s: &str, (a, b): (usize, usize)) -> String {
        s.chars().skip(a).take(b - a).collect()
    }

    #[test]
    fn words_split_at_joiners_and_skip_single_letters() {
        let ws: Vec<&str> = words("IS-strijders, zo'n 3.500 man; één A4").map(|w| w.text).collect();
        assert_eq!(ws, ["IS", "strijders", "zo", "3", "500", "man", "één", "A4"]);
    }

    #[test]
    fn documents_are_stemmed_in_their_language_without_stopwords() {
        let mut out = String::new();
        assert_eq!(index_terms("De konvooien van de strijders vertrokken.", "nl", &mut out), 3);
        assert_eq!(out, format!("konvooi strijder {}", LanguageStemmer::new("nl").stem("vertrokken")));
        let mut en = String::new();
        index_terms("The fighters left the city", "en", &mut en);
        assert_eq!(en, "fighter left citi");
    }

    #[test]
    fn dutch_inflections_match_through_the_stem() {
        let q = Query::parse("konvooien", &["nl", "en"]);
        assert!(q.matcher().matches_word("konvooi", "nl"));
        assert!(q.matcher().matches_word("Konvooien", "nl"));
        assert!(!q.matcher().matches_word("konvent", "nl"));
        let q = Query::parse("strijder", &["nl"]);
        assert!(q.matcher().matches_word("strijders", "nl"));
    }

    #[test]
    fn queries_drop_stopwords_and_keep_phrases_and_prefixes() {
        let q = Query::parse("de konvooi \"van de strijders vertrokken\" raqq*", &["nl"]);
        let nl = LanguageStemmer::new("nl");
        assert_eq!(
            q.clauses,
            [
                Clause::Word(vec!["konvooi".into()]),
                Clause::Phrase(vec![vec![nl.stem("strijders"), nl.stem("vertrokken")]]),
                Clause::Prefix("raqq".into()),
            ]
        );
        assert!(Query::parse("de het een", &["nl"]).is_empty());
        // A stopword in one language is still a word in the other.
        assert_eq!(Query::parse("die", &["nl", "en"]).clauses, [Clause::Word(vec!["die".into()])]);
        // The same stem twice is one clause.
        assert_eq!(Query::parse("konvooi konvooien", &["nl"]).clauses.len(), 1);
    }

    #[test]
    fn titles_are_highlighted_by_character() {
        let q = Query::parse("strijders", &["nl"]);
        let title = "Één konvooi met IS-strijders";
        let h = q.matcher().highlight(title, "nl");
        assert_eq!(h.len(), 1);
        assert_eq!(slice(title, h[0]), "strijders");
    }

    /// Found by fuzzing: a snippet that starts after a space of more than one byte (a narrow
    /// no-break space, U+202F, in `1 000`) cut inside it.
    #[test]
    fn snippets_start_after_wide_spaces_on_a_character_boundary() {
        for space in ['\u{202f}', '\u{a0}', '\u{3000}', ' '] {
            let text =
                format!("Bijeenkomstenreeksverslag{space}gemeenteraad vergadert lang en breed over de brug.");
            let q = Query::parse("gemeenteraad", &["nl"]);
            let (snippet, marks) = q.matcher().snippet(&text, "nl", 40);
            assert!(snippet.contains("gemeenteraad"), "{snippet}");
            let chars: Vec<char> = snippet.chars().collect();
            let (a, b) = marks[0];
            assert_eq!(chars[a..b].iter().collect::<String>(), "gemeenteraad");
        }
    }

    #[test]
    fn snippets_centre_on_the_matches() {
        let filler = "Het weer was de hele week wisselvallig met buien en wind. ".repeat(20);
        let text =
            format!("{filler}Daarna vertrok een konvooi met honderden strijders uit de stad. {filler}");
        let q = Query::parse("konvooien strijder", &["nl", "en"]);
        let (snippet, ranges) = q.matcher().snippet(&text, "nl", 160);
        assert!(snippet.starts_with('…') && snippet.ends_with('…'), "{snippet}");
        assert!(snippet.chars().count() <= 163, "{snippet}");
        let marked: Vec<String> = ranges.iter().map(|r| slice(&snippet, *r)).collect();
        assert_eq!(marked, ["konvooi", "strijders"]);
        // No match: the beginning of the text.
        let (start, ranges) = Query::parse("fietspad", &["nl"]).matcher().snippet(&text, "nl", 80);
        assert!(start.starts_with("Het weer"));
        assert!(ranges.is_empty());
    }
}
