//! The key words of one report, read once: every stem of its names, headline and text with how
//! often and where it occurs. A dossier lists as a report's new terms the stems no earlier
//! report had; what it needs of each report does not depend on the other reports, so a store
//! can compute it when the article arrives ([`ReportTerms::of`]) and keep it, and a dossier
//! only compares.

use std::collections::HashMap;

use super::alnum_words;
use crate::analyze::stem::{is_stopword, LanguageStemmer};
pub(super) use crate::analyze::words::Fast;
use crate::analyze::words::Words;
use crate::analyze::Analysis;
use crate::model::Article;

/// One stem of a report's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermStem<'t> {
    /// The stem, in the language of the report's analysis.
    pub stem: &'t str,
    /// The lowercase written form the stem was first read in (names first, then the headline,
    /// then the text), shown for it.
    pub form: &'t str,
    /// Whether a word of a name has this stem: such a stem is never a new term of the report.
    pub named: bool,
    /// Whether it occurs in the headline (outside names).
    pub in_title: bool,
    /// How often it occurs in the headline and the text.
    pub count: u32,
    /// Where it first occurs, counting the words of the headline and text that have a stem and
    /// are not names, from 1 (0 for a stem only names have).
    pub first: u32,
}

/// Where a stem's text and form are in [`ReportTerms`]'s buffer, and its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    stem_end: u32,
    form_end: u32,
    named: bool,
    in_title: bool,
    count: u32,
    first: u32,
}

/// The stems of one report, in the order they are first read: the words of its names, then its
/// headline, then its text. Words shorter than four characters, with digits, or stopwords of
/// the analysis's language have no stem. The texts are kept in one buffer, so reading stored
/// terms costs two allocations, not two per stem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportTerms {
    text: String,
    entries: Vec<Entry>,
}

impl ReportTerms {
    /// The terms of an article, from its headline, its text and the names its analysis found.
    pub fn of(article: &Article, analysis: &Analysis) -> Self {
        ReportTerms::read(&article.title, &article.text, analysis)
    }

    /// The terms of an article given by its headline and text.
    pub fn read(title: &str, text: &str, analysis: &Analysis) -> Self {
        ReportTerms::of_words(&mut Words::read(title, text, &analysis.language), analysis)
    }

    /// The terms of an article whose headline and text were read into `words` (in the language
    /// of its analysis; in another, they are read again in that one). The same as
    /// [`TermReader::terms`], with the words' stems shared with the search terms and the
    /// clustering features.
    pub(crate) fn of_words<'a>(words: &mut Words<'a>, analysis: &'a Analysis) -> Self {
        if words.language() != analysis.language {
            let (title, text) = (words.title_text, words.body_text);
            return ReportTerms::of_words(&mut Words::read(title, text, &analysis.language), analysis);
        }
        // The key words' rule: four characters or more, no digit, not a stopword.
        fn stem_of<'a>(words: &mut Words<'a>, form: u32, written: &'a str) -> Option<u32> {
            let f = words.form(form);
            if written.len() < 4 || f.chars < 4 || f.digit {
                return None;
            }
            if f.sigma {
                // Lowercased as a word, as the terms of stored reports were.
                return words.stem_lowercase(&written.to_lowercase());
            }
            words.stem_id(form)
        }
        let mut reading = Reading::default();
        for e in &analysis.entities {
            for w in alnum_words(&e.text) {
                let form = words.form_of(w);
                if let Some(id) = stem_of(words, form, w) {
                    reading.slot(id, w).named = true;
                }
            }
        }
        let mut position = 0;
        let (title, text) = (std::mem::take(&mut words.title), std::mem::take(&mut words.text));
        for (in_title, tokens, of) in [(true, &title, words.title_text), (false, &text, words.body_text)] {
            for t in tokens {
                let w = &of[t.start as usize..t.end as usize];
                let Some(id) = stem_of(words, t.form, w) else { continue };
                let r = reading.slot(id, w);
                if r.named {
                    continue;
                }
                position += 1;
                if r.count == 0 {
                    r.first = position;
                }
                r.in_title |= in_title;
                r.count += 1;
            }
        }
        (words.title, words.text) = (title, text);
        collect(reading.stems, |id| words.stem(id))
    }

    /// Room for `stems` stems of `bytes` bytes of text in all.
    pub fn with_capacity(stems: usize, bytes: usize) -> Self {
        ReportTerms { text: String::with_capacity(bytes), entries: Vec::with_capacity(stems) }
    }

    /// Adds a stem after the others.
    pub fn push(&mut self, t: TermStem<'_>) {
        self.push_parts(t.stem, &[t.form], t.named, t.in_title, t.count, t.first);
    }

    /// Adds a stem whose form is the concatenation of `form`.
    pub fn push_parts(
        &mut self,
        stem: &str,
        form: &[&str],
        named: bool,
        in_title: bool,
        count: u32,
        first: u32,
    ) {
        self.text.push_str(stem);
        let stem_end = self.text.len() as u32;
        for part in form {
            self.text.push_str(part);
        }
        let form_end = self.text.len() as u32;
        self.entries.push(Entry { stem_end, form_end, named, in_title, count, first });
    }

    /// How many stems.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The stems in reading order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = TermStem<'_>> + '_ {
        let mut start = 0usize;
        self.entries.iter().map(move |e| {
            let (stem_end, form_end) = (e.stem_end as usize, e.form_end as usize);
            let t = TermStem {
                stem: &self.text[start..stem_end],
                form: &self.text[stem_end..form_end],
                named: e.named,
                in_title: e.in_title,
                count: e.count,
                first: e.first,
            };
            start = form_end;
            t
        })
    }
}

/// Written forms of one language to the index of their stem (none for words without one).
type Forms<'a> = HashMap<&'a str, Option<u32>, Fast>;

/// Reads the key words of several reports, each written form of a language stemmed once: for
/// reading many articles (a story, a batch) faster than [`ReportTerms::of`] one by one, with
/// the same result.
#[derive(Default)]
pub struct TermReader<'a> {
    /// Per language: written form -> index of its stem in `stems`, and the stemmer.
    languages: HashMap<&'a str, (Forms<'a>, LanguageStemmer), Fast>,
    stems: Vec<String>,
    stem_index: HashMap<String, u32, Fast>,
}

/// The words of one language, for reading one report.
struct LanguageWords<'r, 'a> {
    lang: &'a str,
    forms: &'r mut Forms<'a>,
    stemmer: &'r LanguageStemmer,
    stems: &'r mut Vec<String>,
    stem_index: &'r mut HashMap<String, u32, Fast>,
}

impl<'a> LanguageWords<'_, 'a> {
    /// The stem of a written form, as an index into the reader's stems.
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
                let stem = self.stemmer.stem_lowercase(&lower);
                Some(match self.stem_index.get(stem.as_ref()) {
                    Some(&id) => id,
                    None => {
                        let id = self.stems.len() as u32;
                        self.stems.push(stem.clone().into_owned());
                        self.stem_index.insert(stem.into_owned(), id);
                        id
                    }
                })
            }
        };
        self.forms.insert(word, id);
        id
    }
}

/// One stem of a report as it is read: the stem as an index into the reader's stems, and the
/// form as written (lowercased when it is kept or shown).
#[derive(Debug, Clone, Copy)]
pub(super) struct ReadStem<'a> {
    pub id: u32,
    pub written: &'a str,
    pub named: bool,
    pub in_title: bool,
    pub count: u32,
    pub first: u32,
}

/// The stems of one report as they are read.
#[derive(Default)]
struct Reading<'a> {
    stems: Vec<ReadStem<'a>>,
    at: HashMap<u32, usize, Fast>,
}

impl<'a> Reading<'a> {
    /// The entry of stem `id`, made with the written form `word` when it is new.
    fn slot(&mut self, id: u32, word: &'a str) -> &mut ReadStem<'a> {
        let i = *self.at.entry(id).or_insert_with(|| {
            self.stems.push(ReadStem {
                id,
                written: word,
                named: false,
                in_title: false,
                count: 0,
                first: 0,
            });
            self.stems.len() - 1
        });
        &mut self.stems[i]
    }
}

impl<'a> TermReader<'a> {
    /// The stems of one report, in reading order.
    pub(super) fn read(
        &mut self,
        title: &'a str,
        text: &'a str,
        analysis: &'a Analysis,
    ) -> Vec<ReadStem<'a>> {
        let lang = analysis.language.as_str();
        let (forms, stemmer) =
            self.languages.entry(lang).or_insert_with(|| (HashMap::default(), LanguageStemmer::new(lang)));
        let mut words =
            LanguageWords { lang, forms, stemmer, stems: &mut self.stems, stem_index: &mut self.stem_index };
        let mut reading = Reading::default();
        for e in &analysis.entities {
            for w in alnum_words(&e.text) {
                if let Some(id) = words.id(w) {
                    reading.slot(id, w).named = true;
                }
            }
        }
        let mut position = 0;
        for (in_title, words_of) in [(true, title), (false, text)] {
            for w in alnum_words(words_of) {
                let Some(id) = words.id(w) else { continue };
                let t = reading.slot(id, w);
                if t.named {
                    continue;
                }
                position += 1;
                if t.count == 0 {
                    t.first = position;
                }
                t.in_title |= in_title;
                t.count += 1;
            }
        }
        reading.stems
    }

    /// The stems read, by index.
    pub(super) fn into_stems(self) -> Vec<String> {
        self.stems
    }

    /// The key words of an article given by its headline and text.
    pub fn terms(&mut self, title: &'a str, text: &'a str, analysis: &'a Analysis) -> ReportTerms {
        let read = self.read(title, text, analysis);
        collect(read, |id| &self.stems[id as usize])
    }
}

/// The key words of stems read, each shown in the form first read, lowercased.
fn collect<'s>(read: Vec<ReadStem<'_>>, stem: impl Fn(u32) -> &'s str) -> ReportTerms {
    let mut out = ReportTerms::with_capacity(read.len(), 16 * read.len());
    for r in read {
        let lower = r.written.to_lowercase();
        out.push(TermStem {
            stem: stem(r.id),
            form: &lower,
            named: r.named,
            in_title: r.in_title,
            count: r.count,
            first: r.first,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_come_in_reading_order_with_their_counts() {
        let text = "Woningen verwoest bij brand in Hengelo. De brandweer van Hengelo zegt dat 12 woningen \
                    verwoest zijn; de woning van Pieter Landman bleef staan.";
        let article = Article {
            title: "Brand verwoest woningen".into(),
            text: text.into(),
            ..crate::ingest::prepare::prepare(crate::ingest::text::parse_text(text), &Default::default())
        };
        let analysis = crate::analyze::analyze(&article.text, "nl", None);
        let terms = ReportTerms::of(&article, &analysis);
        let all: Vec<TermStem<'_>> = terms.iter().collect();
        let find =
            |stem: &str| *all.iter().find(|t| t.stem == stem).unwrap_or_else(|| panic!("{stem}: {all:?}"));
        let brand = find("brand");
        assert!(brand.in_title && !brand.named);
        assert_eq!((brand.count, brand.first), (2, 1));
        let woning = find("woning");
        assert_eq!(woning.form, "woningen");
        assert_eq!(woning.count, 4);
        assert!(find("hengelo").named);
        assert!(all.iter().all(|t| t.stem != "zijn" && t.stem != "12"), "stopwords and numbers: {all:?}");
        // Names are read first.
        assert!(all[0].named);
        let mut again = ReportTerms::default();
        for t in &all {
            again.push(*t);
        }
        assert_eq!(again, terms);
        assert_eq!(again.len(), all.len());
    }
}
