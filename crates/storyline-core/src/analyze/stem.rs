//! Stems and stopwords per language: the same stemmer the search index uses, so a word matches
//! its inflections (`strijders`/`strijder`, `regeringen`/`regering`).

use rust_stemmers::{Algorithm, Stemmer};

/// The Snowball algorithm for a language code, if there is one.
fn algorithm(language: &str) -> Option<Algorithm> {
    Some(match language {
        "nl" | "af" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "de" => Algorithm::German,
        "fr" => Algorithm::French,
        "es" => Algorithm::Spanish,
        "it" => Algorithm::Italian,
        "pt" => Algorithm::Portuguese,
        "da" => Algorithm::Danish,
        "sv" => Algorithm::Swedish,
        "no" => Algorithm::Norwegian,
        _ => return None,
    })
}

/// The languages with a Snowball stemmer, one code per algorithm.
const STEMMED: &[&str] = &["da", "de", "en", "es", "fr", "it", "nl", "no", "pt", "sv"];

/// Every stem a word has: its stem in each language with a stemmer, and the word itself
/// (lowercase) as a language without one keeps it; sorted, without repeats.
pub fn every_stem(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    let mut out: Vec<String> =
        STEMMED.iter().map(|l| LanguageStemmer::new(l).stem_lowercase(&lower).into_owned()).collect();
    out.push(lower);
    out.sort();
    out.dedup();
    out
}

/// A stemmer for one language; words are lowercased before stemming.
pub struct LanguageStemmer {
    inner: Option<Stemmer>,
}

impl LanguageStemmer {
    /// The stemmer for `language` (an ISO 639-1 code); unknown languages only lowercase.
    pub fn new(language: &str) -> Self {
        LanguageStemmer { inner: algorithm(language).map(Stemmer::create) }
    }

    /// The stem of a word.
    pub fn stem(&self, word: &str) -> String {
        self.stem_lowercase(&word.to_lowercase()).into_owned()
    }

    /// The stem of a word that is already lowercase (no copy when stemming changes nothing).
    pub fn stem_lowercase<'a>(&self, lower: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.inner {
            Some(s) => s.stem(lower),
            None => std::borrow::Cow::Borrowed(lower),
        }
    }
}

/// Dutch stopwords: function words that carry no topic. Sorted, for binary search.
const NL_STOP: &[&str] = &[
    "'s",
    "'t",
    "aan",
    "af",
    "al",
    "alle",
    "alleen",
    "als",
    "altijd",
    "ander",
    "andere",
    "anders",
    "ben",
    "bij",
    "bijna",
    "binnen",
    "bovendien",
    "daar",
    "daarbij",
    "daarom",
    "dan",
    "dat",
    "de",
    "deze",
    "die",
    "dit",
    "doch",
    "doen",
    "door",
    "dus",
    "een",
    "eens",
    "eigen",
    "en",
    "enige",
    "er",
    "even",
    "ge",
    "geen",
    "geweest",
    "haar",
    "had",
    "hadden",
    "heb",
    "hebben",
    "heeft",
    "heel",
    "hem",
    "hen",
    "het",
    "hier",
    "hierbij",
    "hij",
    "hoe",
    "hun",
    "ik",
    "in",
    "is",
    "ja",
    "je",
    "jullie",
    "kan",
    "kon",
    "konden",
    "kunnen",
    "maar",
    "me",
    "meer",
    "men",
    "met",
    "mij",
    "mijn",
    "moet",
    "moeten",
    "na",
    "naar",
    "nadat",
    "niet",
    "niets",
    "nog",
    "nu",
    "of",
    "om",
    "omdat",
    "onder",
    "ons",
    "onze",
    "ook",
    "op",
    "over",
    "per",
    "reeds",
    "sinds",
    "steeds",
    "te",
    "tegen",
    "terwijl",
    "toch",
    "toen",
    "tot",
    "tussen",
    "u",
    "uit",
    "uw",
    "van",
    "veel",
    "via",
    "volgens",
    "voor",
    "waar",
    "waarbij",
    "waarin",
    "wanneer",
    "want",
    "waren",
    "was",
    "wat",
    "we",
    "wel",
    "welke",
    "werd",
    "werden",
    "wie",
    "wij",
    "wil",
    "worden",
    "wordt",
    "zal",
    "ze",
    "zeer",
    "zei",
    "zelf",
    "zich",
    "zij",
    "zijn",
    "zo",
    "zoals",
    "zonder",
    "zou",
    "zouden",
];

/// English stopwords. Sorted, for binary search.
const EN_STOP: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "per",
    "said",
    "same",
    "say",
    "says",
    "she",
    "should",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
];

/// Whether a (lowercase) word is a stopword in `language`. Languages without a list have none.
pub fn is_stopword(language: &str, lower: &str) -> bool {
    match language {
        "nl" => NL_STOP.binary_search(&lower).is_ok(),
        "en" => EN_STOP.binary_search(&lower).is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_share_a_stem() {
        let nl = LanguageStemmer::new("nl");
        assert_eq!(nl.stem("strijders"), nl.stem("strijder"));
        assert_eq!(nl.stem("regeringen"), nl.stem("regering"));
        assert_eq!(nl.stem("Gevechten"), nl.stem("gevecht"));
        let en = LanguageStemmer::new("en");
        assert_eq!(en.stem("fighters"), en.stem("fighter"));
        assert_eq!(LanguageStemmer::new("xx").stem("Woord"), "woord");
    }

    #[test]
    fn every_stem_holds_the_stem_of_every_language() {
        for word in ["strijders", "Fighters", "voitures", "Häuser", "família"] {
            let all = every_stem(word);
            for code in ["nl", "af", "en", "de", "fr", "es", "it", "pt", "da", "sv", "no", "xx", ""] {
                let stem = LanguageStemmer::new(code).stem(word);
                assert!(all.contains(&stem), "{word} in {code}: {stem} not in {all:?}");
            }
            assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
        }
    }

    #[test]
    fn stopword_lists_are_sorted_for_binary_search() {
        for list in [NL_STOP, EN_STOP] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list.windows(2).find(|w| w[0] >= w[1]));
        }
    }

    #[test]
    fn stopwords() {
        assert!(is_stopword("nl", "het"));
        assert!(!is_stopword("nl", "konvooi"));
        assert!(is_stopword("en", "the"));
        assert!(!is_stopword("de", "der"));
    }
}
