//! The words of one article, read once: the runs of letters and digits of its headline and
//! text, each written form lowercased and stemmed in the article's language once, and shared by
//! what is made of them at ingest: the search index's terms ([`crate::search`]), the clustering
//! features ([`crate::cluster::features`]) and a dossier's key words
//! ([`crate::dossier::ReportTerms`]). Each of those keeps its own rule for which words count
//! (lengths, digits, stopwords); the reading and the stemming are done here, for all three.

use std::collections::HashMap;

use super::stem::{is_stopword, LanguageStemmer};

/// The stem of a form that has none (a stopword of the language).
const NO_STEM: u32 = u32::MAX;

/// What is known of one distinct written form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Form {
    /// Index of its stem in [`Words::stem`], or [`NO_STEM`] for a stopword.
    stem: u32,
    /// Characters as written.
    pub chars: u32,
    /// Characters once lowercased (a few letters lowercase to two).
    pub lower_chars: u32,
    /// Whether it holds an ASCII digit.
    pub digit: bool,
    /// Whether its first character is a letter.
    pub alphabetic: bool,
    /// Whether it holds a capital sigma, which [`str::to_lowercase`] lowercases by its place in
    /// the word (`ς` at the end) and lowercasing character by character does not.
    pub sigma: bool,
}

/// One word of the headline or the text: its byte range and its form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    /// Start byte offset.
    pub start: u32,
    /// End byte offset.
    pub end: u32,
    /// Index of its written form.
    pub form: u32,
}

/// The words of one article's headline and text with their stems.
pub(crate) struct Words<'a> {
    language: &'a str,
    stemmer: LanguageStemmer,
    /// Written form to its index in `forms`.
    index: HashMap<&'a str, u32, Fast>,
    forms: Vec<Form>,
    /// The distinct stems, and each one's index.
    stems: Vec<String>,
    stem_index: HashMap<String, u32, Fast>,
    /// The headline's words, in order.
    pub title: Vec<Token>,
    /// The text's words, in order.
    pub text: Vec<Token>,
    /// The headline read.
    pub title_text: &'a str,
    /// The text read.
    pub body_text: &'a str,
    lower: String,
}

impl<'a> Words<'a> {
    /// Reads the words of a headline and a text in `language`.
    pub fn read(title: &'a str, text: &'a str, language: &'a str) -> Self {
        let mut w = Words {
            language,
            stemmer: LanguageStemmer::new(language),
            index: HashMap::with_capacity_and_hasher(text.len() / 10 + 16, Fast::default()),
            forms: Vec::with_capacity(text.len() / 10 + 16),
            stems: Vec::with_capacity(text.len() / 12 + 16),
            stem_index: HashMap::with_capacity_and_hasher(text.len() / 12 + 16, Fast::default()),
            title: Vec::new(),
            text: Vec::new(),
            title_text: title,
            body_text: text,
            lower: String::new(),
        };
        w.title = w.tokens(title);
        w.text = w.tokens(text);
        w
    }

    /// The language the words are stemmed in.
    pub fn language(&self) -> &'a str {
        self.language
    }

    fn tokens(&mut self, text: &'a str) -> Vec<Token> {
        let base = text.as_ptr() as usize;
        let mut out = Vec::with_capacity(text.len() / 6 + 1);
        for word in alnum_words(text) {
            let start = word.as_ptr() as usize - base;
            let form = self.form_of(word);
            out.push(Token { start: start as u32, end: (start + word.len()) as u32, form });
        }
        out
    }

    /// The index of a written form, read (lowercased and stemmed) the first time it is seen.
    pub fn form_of(&mut self, word: &'a str) -> u32 {
        if let Some(&i) = self.index.get(word) {
            return i;
        }
        let mut lower = std::mem::take(&mut self.lower);
        lower_into(word, &mut lower);
        let stem = self.stem_lowercase(&lower).unwrap_or(NO_STEM);
        let (chars, lower_chars) = if word.is_ascii() {
            (word.len(), word.len())
        } else {
            (word.chars().count(), lower.chars().count())
        };
        self.lower = lower;
        let form = Form {
            stem,
            chars: chars as u32,
            lower_chars: lower_chars as u32,
            digit: word.bytes().any(|b| b.is_ascii_digit()),
            alphabetic: word.chars().next().is_some_and(char::is_alphabetic),
            sigma: !word.is_ascii() && word.contains('Σ'),
        };
        let i = self.forms.len() as u32;
        self.forms.push(form);
        self.index.insert(word, i);
        i
    }

    /// What is known of a form.
    pub fn form(&self, form: u32) -> Form {
        self.forms[form as usize]
    }

    /// The stem of a form (an index into [`Words::stem`]), none for a stopword.
    pub fn stem_id(&self, form: u32) -> Option<u32> {
        let s = self.forms[form as usize].stem;
        (s != NO_STEM).then_some(s)
    }

    /// A stem by its index.
    pub fn stem(&self, id: u32) -> &str {
        &self.stems[id as usize]
    }

    /// How many distinct stems there are.
    pub fn stem_count(&self) -> usize {
        self.stems.len()
    }

    /// The stem of a lowercase word as an index into [`Words::stem`] (added when new), none for
    /// a stopword.
    pub fn stem_lowercase(&mut self, lower: &str) -> Option<u32> {
        if is_stopword(self.language, lower) {
            return None;
        }
        let stem = self.stemmer.stem_lowercase(lower);
        if let Some(&id) = self.stem_index.get(stem.as_ref()) {
            return Some(id);
        }
        let id = self.stems.len() as u32;
        self.stems.push(stem.clone().into_owned());
        self.stem_index.insert(stem.into_owned(), id);
        Some(id)
    }
}

/// Lowercases `word` into `buf` (cleared first).
pub(crate) fn lower_into(word: &str, buf: &mut String) {
    buf.clear();
    if word.is_ascii() {
        buf.push_str(word);
        buf.make_ascii_lowercase();
    } else {
        buf.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// A fast hash for short strings, eight bytes at a time; the keys are words of the story, not
/// attacker-chosen in any way that matters for one article or one dossier.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

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

/// A hash map builder for word keys.
pub(crate) type Fast = std::hash::BuildHasherDefault<WordHasher>;

/// The words of a text: its longest runs of alphanumeric characters (as
/// [`char::is_alphanumeric`] reads them), the same as splitting at every other character and
/// leaving out the empty pieces, but reading ASCII a byte at a time.
pub(crate) fn alnum_words(text: &str) -> AlnumWords<'_> {
    AlnumWords { text, at: 0 }
}

/// The iterator of [`alnum_words`].
pub(crate) struct AlnumWords<'a> {
    text: &'a str,
    at: usize,
}

/// Whether the character starting at byte `i` of `text` is alphanumeric, and its length.
#[inline(always)]
fn alnum_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (b.is_ascii_alphanumeric(), 1)
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c.is_alphanumeric(), c.len_utf8())
    }
}

impl<'a> Iterator for AlnumWords<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let text = self.text;
        let bytes = text.as_bytes();
        let len = bytes.len();
        let mut i = self.at;
        loop {
            // ASCII separators a byte at a time; anything else through its character.
            while i < len && bytes[i] < 0x80 && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i >= len {
                self.at = len;
                return None;
            }
            let (alnum, n) = alnum_at(text, i);
            if alnum {
                break;
            }
            i += n;
        }
        let start = i;
        loop {
            while i < len && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i >= len || bytes[i] < 0x80 {
                break;
            }
            let (alnum, n) = alnum_at(text, i);
            if !alnum {
                break;
            }
            i += n;
        }
        self.at = i;
        Some(&text[start..i])
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn words_are_the_alphanumeric_runs() {
        for text in [
            "",
            "  ",
            "Bij de brand in Hengelo zijn 12 woningen verwoest.",
            "„Tweeëntwintig bussen”, zei de woordvoerder — niet veertien!",
            "IS-strijders; 3.500 familieleden; Zürich, Ελλάδα, 東京 ½ x²",
            "één",
            "end…",
        ] {
            let expected: Vec<&str> =
                text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            assert_eq!(alnum_words(text).collect::<Vec<_>>(), expected, "{text}");
        }
    }

    #[test]
    fn each_form_is_stemmed_once_and_stems_are_shared() {
        let mut w = Words::read(
            "Strijders vertrokken",
            "De strijders vertrokken; een strijder bleef. STRIJDERS!",
            "nl",
        );
        assert_eq!(w.title.len(), 2);
        assert_eq!(w.text.len(), 7);
        let ids: Vec<Option<u32>> = w.text.iter().map(|t| w.stem_id(t.form)).collect();
        // "De" and "een" are stopwords; every form of "strijder" has one stem.
        assert_eq!((ids[0], ids[3]), (None, None));
        assert_eq!(ids[1], ids[4]);
        assert_eq!(ids[1], ids[6]);
        assert_ne!(w.text[1].form, w.text[6].form, "STRIJDERS is another written form");
        assert_eq!(w.stem(ids[1].unwrap()), LanguageStemmer::new("nl").stem("strijders"));
        assert_eq!(w.title[1].form, w.text[2].form, "one form, read once");
        assert_eq!(w.stem_id(w.title[0].form), ids[1]);
        let before = w.stem_count();
        let partial = &w.body_text[3..9];
        let f = w.form_of(partial);
        assert_eq!(w.form(f).chars, 6);
        assert!(w.stem_count() >= before);
        assert_eq!(w.stem_lowercase("strijders"), ids[1]);
        assert_eq!(w.stem_lowercase("de"), None);
        let first = w.text[0];
        assert_eq!(&w.body_text[first.start as usize..first.end as usize], "De");
    }

    /// Texts that try every rule: stopwords, digits, single letters, letters that lowercase to
    /// two, a capital sigma, and a word cut by the lead's bound.
    pub(crate) fn tricky_texts() -> Vec<(String, String, &'static str)> {
        let long = format!(
            "{}Onderhandelaars bereikten gisteren een akkoord.",
            "De gemeenteraad van Zwolle vergaderde tot diep in de nacht over de begroting. ".repeat(6)
        );
        vec![
            ("Brand verwoest woningen".into(), "Bij de brand in Hengelo zijn 12 woningen verwoest; de woning van Pieter Landman bleef staan.".into(), "nl"),
            ("".into(), "IS-strijders; 3.500 familieleden, 2e konvooi. a b c 7 x² — „Zo'n 250”, zei Ryan Dillon.".into(), "nl"),
            ("Fighters left Raqqa".into(), "About 250 fighters and 3,500 relatives left in a convoy of fifty lorries. The deal was secret.".into(), "en"),
            ("ΟΔΟΣ Σ".into(), "Η ΟΔΟΣ ΑΘΗΝΑΣ και η οδός Σταδίου; İstanbul, Straße, ĲSSELMEER, ǅemal.".into(), "nl"),
            ("Zürich".into(), "Die Verhandlungen in Zürich endeten ohne Einigung über die Gebühren.".into(), "de"),
            ("Akkoord".into(), long, "nl"),
            ("http://example.nl/artikel".into(), "Alleen tekst, geen kop.".into(), "xx"),
        ]
    }

    #[test]
    fn search_terms_are_what_stemming_each_word_gives() {
        for (title, text, lang) in tricky_texts() {
            // Each word on its own, as the index always read them.
            let alone = |t: &str| {
                let stemmer = LanguageStemmer::new(lang);
                let mut out: Vec<String> = Vec::new();
                for w in crate::search::words(t) {
                    let lower: String = w.text.chars().flat_map(char::to_lowercase).collect();
                    if !is_stopword(lang, &lower) {
                        out.push(stemmer.stem_lowercase(&lower).into_owned());
                    }
                }
                out.join(" ")
            };
            let shared = crate::ingest::prepare::SearchTerms::from_text(&title, &text, lang);
            assert_eq!(shared.title, alone(&title), "{title}");
            assert_eq!(shared.body, alone(&text), "{text}");
        }
    }

    #[test]
    fn key_words_are_what_the_dossier_reader_gives() {
        for (title, text, lang) in tricky_texts() {
            let analysis = crate::analyze::analyze(&text, lang, None);
            let shared = crate::dossier::ReportTerms::read(&title, &text, &analysis);
            let alone = crate::dossier::TermReader::default().terms(&title, &text, &analysis);
            assert_eq!(shared, alone, "{text}");
            // Read in another language than the analysis's: read again in the analysis's.
            let mut other = Words::read(&title, &text, if lang == "en" { "nl" } else { "en" });
            assert_eq!(crate::dossier::ReportTerms::of_words(&mut other, &analysis), alone);
        }
    }
}
