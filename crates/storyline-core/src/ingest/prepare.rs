//! From a raw record to an article: fill in what the command line knows, derive the title,
//! detect the language, normalise the text, and compute the stable id and content digest.
//!
//! The id is the source's own id scoped by its outlet ([`scoped_id`], [`id_scope`]: two outlets
//! may both number an item `4994612`), else a digest of the URL, else of the text.

use crate::analyze::words::Words;
use crate::analyze::{analyze, guarded, lang, Analysis, AnalysisError};
use crate::cluster::Features;
use crate::date::Published;
use crate::dossier::ReportTerms;
use crate::hash::hash64;
use crate::ingest::dedupe::{content_digest, digest_of_words, signature_of_words, word_hashes, Signature};
use crate::ingest::text::{collapse, first_sentence};
use crate::model::{Article, Language, RawArticle};

/// What the user says about articles whose files cannot say it themselves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrepareOptions {
    /// Outlet of every article (`--source`): wins over the outlet the file names.
    pub source: Option<String>,
    /// Publication date for articles without one (`--published`).
    pub published: Option<Published>,
    /// Language for articles that declare none (`--language`); detection is skipped.
    pub language: Option<String>,
}

/// An article ready to store, with its near-duplicate sketch and its analysis.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The article.
    pub article: Article,
    /// Its MinHash signature, when the text is long enough to have one.
    pub signature: Option<Signature>,
    /// What the analysis found in its text (character offsets).
    pub analysis: Analysis,
    /// What the article contributes to story clustering.
    pub features: Features,
    /// The search index terms of its title and text (see [`crate::search::index_terms`]),
    /// stemmed here, on the preparing thread, so the store's writer only inserts them.
    pub search_terms: SearchTerms,
    /// Its key words for a dossier's new terms, read here once so a dossier only compares
    /// reports (see [`crate::dossier::ReportTerms`]).
    pub dossier_terms: ReportTerms,
    /// How long each step of its preparing took (for benchmarks).
    pub timings: PrepareTimings,
}

/// Nanoseconds spent in each step of [`prepare_with_signature`] for one article: what
/// `storyline bench` adds up into its time per stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrepareTimings {
    /// Language, title, id and content digest (`prepare`).
    pub article: u64,
    /// The near-duplicate signature.
    pub signature: u64,
    /// The analysis: names, quotes, figures, times.
    pub analysis: u64,
    /// Reading the words of the headline and text, each form stemmed once (shared by the
    /// features, the search terms and the dossier's key words).
    pub words: u64,
    /// What clustering compares.
    pub features: u64,
    /// The search index's terms.
    pub search_terms: u64,
    /// A dossier's key words.
    pub dossier_terms: u64,
}

impl PrepareTimings {
    /// Adds another article's timings to these.
    pub fn add(&mut self, o: &PrepareTimings) {
        self.article += o.article;
        self.signature += o.signature;
        self.analysis += o.analysis;
        self.words += o.words;
        self.features += o.features;
        self.search_terms += o.search_terms;
        self.dossier_terms += o.dossier_terms;
    }

    /// The steps by name with their seconds, in order.
    pub fn steps(&self) -> [(&'static str, f64); 7] {
        let s = |ns: u64| ns as f64 / 1e9;
        [
            ("article", s(self.article)),
            ("signature", s(self.signature)),
            ("analysis", s(self.analysis)),
            ("words", s(self.words)),
            ("features", s(self.features)),
            ("search_terms", s(self.search_terms)),
            ("dossier_terms", s(self.dossier_terms)),
        ]
    }
}

/// The stemmed search terms of an article, as every store backend indexes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchTerms {
    /// Terms of the title.
    pub title: String,
    /// Terms of the text.
    pub body: String,
}

impl SearchTerms {
    /// The terms of an article's title and text in its language.
    pub fn of(article: &Article) -> Self {
        Self::from_text(&article.title, &article.text, &article.language.code)
    }

    /// The terms of a title and a text in `language`.
    pub fn from_text(title: &str, text: &str, language: &str) -> Self {
        Self::from_words(&Words::read(title, text, language))
    }

    /// The terms of words already read.
    pub(crate) fn from_words(words: &Words<'_>) -> Self {
        let mut title = String::with_capacity(words.title_text.len());
        crate::search::index_terms_of(words, &words.title, &mut title);
        let mut body = String::with_capacity(words.body_text.len());
        crate::search::index_terms_of(words, &words.text, &mut body);
        SearchTerms { title, body }
    }
}

/// Normalises body text: paragraphs separated by one blank line, whitespace inside a paragraph
/// collapsed to single spaces.
pub fn normalize_text(text: &str) -> String {
    if is_normalized(text) {
        return text.to_string();
    }
    let text = text.replace("\r\n", "\n");
    let mut paras: Vec<String> = Vec::new();
    for block in text.split("\n\n") {
        let p = collapse(block);
        if !p.is_empty() {
            paras.push(p);
        }
    }
    paras.join("\n\n")
}

/// Whether [`normalize_text`] would leave `text` as it is: no leading or trailing whitespace,
/// no whitespace but single spaces and single blank lines, no no-break spaces.
fn is_normalized(text: &str) -> bool {
    let b = text.as_bytes();
    if b.first().is_some_and(u8::is_ascii_whitespace) || b.last().is_some_and(u8::is_ascii_whitespace) {
        return false;
    }
    let mut prev = ' ';
    let mut newlines = 0;
    for c in text.chars() {
        match c {
            ' ' => {
                if prev == ' ' || prev == '\n' {
                    return false;
                }
                newlines = 0;
            }
            '\n' => {
                if prev == ' ' || newlines == 2 {
                    return false;
                }
                newlines += 1;
            }
            c if c.is_whitespace() || c == '\u{a0}' => return false,
            _ => {
                if newlines == 1 {
                    return false; // a single line break inside a paragraph
                }
                newlines = 0;
            }
        }
        prev = c;
    }
    true
}

#[cfg(test)]
#[test]
fn the_fast_path_agrees_with_normalisation() {
    for t in [
        "Een tekst.\n\nMet „alinea’s” — zo.",
        "a  b",
        "a\nb",
        "a\n\n\nb",
        " a",
        "a\u{a0}b",
        "a \n\nb",
        "a\n\n b",
        "a\tb",
        "",
    ] {
        assert_eq!(is_normalized(t), normalize_text(t) == t, "{t:?}");
    }
}

/// Canonical form of a URL for identity: scheme and host lowercased, fragment and a trailing
/// slash dropped.
pub fn normalize_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => return url.trim_end_matches('/').to_string(),
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = path.trim_end_matches('/');
    format!("{scheme}://{}{path}", host.to_ascii_lowercase())
}

/// Whether a source's id can serve as storyline's id as it is: short, and only letters, digits,
/// `.`, `_` and `-`.
pub fn is_simple_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The scope of the ids an outlet gives its articles: the outlet's name (which the readers
/// take from the page, the feed or their addresses), else the host of the article's address,
/// made into a short slug (`De Dagkoerier` → `de-dagkoerier`, `https://www.nos.nl/l/1` → `nos.nl`). `None` when
/// the record says nothing of where it comes from.
///
/// Two outlets may both number an item `4994612`; scoped, the two are different articles.
pub fn id_scope(source: Option<&str>, url: Option<&str>) -> Option<String> {
    let named = source.map(str::trim).filter(|s| !s.is_empty());
    let scope = match named {
        Some(s) => s.to_string(),
        None => url.and_then(super::outlet::host_of)?,
    };
    let mut slug = String::with_capacity(scope.len());
    for c in scope.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || c == '.' {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 32 {
            break;
        }
    }
    let slug = slug.trim_matches(|c| c == '-' || c == '.').to_string();
    if slug.is_empty() {
        // A name in another script: its digest, so that it still scopes.
        return Some(format!("{:08x}", hash64(17, scope.as_bytes()) >> 32));
    }
    Some(slug)
}

/// The stored id of a record whose source gives it `raw`, within `scope` (see [`id_scope`]):
/// `raw@scope` when `raw` is a simple id (`4994612@nos.nl`), a digest of both otherwise (the
/// source's id kept as `source_id` in `metadata`). Without a scope, `raw` itself or its digest.
pub fn scoped_id(
    raw: String,
    scope: Option<&str>,
    metadata: &mut std::collections::BTreeMap<String, String>,
) -> String {
    match scope {
        Some(scope) if is_simple_id(&raw) => format!("{raw}@{scope}"),
        None if is_simple_id(&raw) => raw,
        _ => {
            // URLs and tag URIs make unwieldy ids: keep them as metadata, use their digest.
            let hashed = match scope {
                Some(scope) => hash64(19, format!("{scope}\0{raw}").as_bytes()),
                None => hash64(13, raw.as_bytes()),
            };
            metadata.insert("source_id".into(), raw);
            format!("{hashed:016x}")
        }
    }
}

/// The id an article with a scoped id had before ids were scoped (the source's id as it is, or
/// its digest alone), so that a store written then still finds what it holds: `4994612` for
/// `4994612@omroep-noord`. `None` for ids that were never scoped (URL and text digests).
pub fn unscoped_id(article: &Article) -> Option<String> {
    if let Some((raw, _)) = article.id.split_once('@') {
        return Some(raw.to_string());
    }
    let raw = article.metadata.get("source_id")?;
    let legacy = format!("{:016x}", hash64(13, raw.as_bytes()));
    (legacy != article.id).then_some(legacy)
}

/// Preparing one record failed. The record is reported (by its file and place in it) and the
/// rest of its batch goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrepareError {
    /// The analysis of the article failed: an annotator panicked on its text or title
    /// (`analysis failed: <the panic's message>`).
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    /// The publication date lies outside the years 1 to 9999, which the store cannot keep.
    #[error("publication date outside the years 1 to 9999 (UTC), {0} seconds from 1970")]
    DateOutOfRange(i64),
}

/// Turns a raw record into an article (see the module docs), without analysing its text:
/// language, title, stable id and content digest.
pub fn prepare(raw: RawArticle, opts: &PrepareOptions) -> Article {
    article_of(raw, opts, None).0
}

/// [`prepare`], also computing the near-duplicate signature, the analysis and what clustering,
/// search and dossiers need of it. `origin` names where the record came from.
///
/// A panic anywhere in this (a bug in an annotator, tripped by this one text) is caught and
/// returned as [`PrepareError::Analysis`], so the caller reports the record and goes on.
pub fn prepare_with_signature(
    raw: RawArticle,
    opts: &PrepareOptions,
    origin: Option<String>,
) -> Result<Prepared, PrepareError> {
    // Dates come checked from every reader; one made some other way is refused here, before
    // the store would write what it cannot read back.
    if let Some(p) = raw.published.or(opts.published).filter(|p| !p.in_range()) {
        return Err(PrepareError::DateOutOfRange(p.unix));
    }
    let raw = without_nul(raw);
    let prepared = guarded(move || -> Result<Prepared, AnalysisError> {
        let mut clock = std::time::Instant::now();
        let mut lap = || {
            let now = std::time::Instant::now();
            let ns = now.duration_since(clock).as_nanos() as u64;
            clock = now;
            ns
        };
        let mut timings = PrepareTimings::default();
        let (article, words) = article_of(raw, opts, origin);
        timings.article = lap();
        let signature = signature_of_words(&words);
        timings.signature = lap();
        let analysis = analyze(&article.text, &article.language.code, article.published);
        timings.analysis = lap();
        // The words of the headline and text, each form stemmed once for all three below.
        let mut words = Words::read(&article.title, &article.text, &article.language.code);
        timings.words = lap();
        let features = crate::cluster::try_features_of(&article, &analysis, &mut words)?;
        timings.features = lap();
        let search_terms = SearchTerms::from_words(&words);
        timings.search_terms = lap();
        let dossier_terms = ReportTerms::of_words(&mut words, &analysis);
        drop(words);
        timings.dossier_terms = lap();
        Ok(Prepared { article, signature, analysis, features, search_terms, dossier_terms, timings })
    });
    Ok(prepared??)
}

/// A record with the NUL characters of its fields taken out: they carry nothing a reader sees,
/// and a PostgreSQL store cannot keep them in text, so every store keeps the same article.
fn without_nul(mut raw: RawArticle) -> RawArticle {
    fn clean(s: &mut String) {
        if s.contains('\0') {
            s.retain(|c| c != '\0');
        }
    }
    for s in [&mut raw.id, &mut raw.title, &mut raw.source, &mut raw.url, &mut raw.language, &mut raw.author]
        .into_iter()
        .flatten()
    {
        clean(s);
    }
    clean(&mut raw.text);
    let keys: Vec<String> = raw.metadata.keys().filter(|k| k.contains('\0')).cloned().collect();
    for key in keys {
        if let Some(value) = raw.metadata.remove(&key) {
            raw.metadata.insert(key.replace('\0', ""), value);
        }
    }
    for value in raw.metadata.values_mut() {
        clean(value);
    }
    raw
}

/// The article of a raw record, and the word hashes of its text (for the signature).
fn article_of(raw: RawArticle, opts: &PrepareOptions, origin: Option<String>) -> (Article, Vec<u64>) {
    let text = normalize_text(&raw.text);
    let title = raw
        .title
        .as_deref()
        .map(collapse)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| first_sentence(&text, 160));
    let mut metadata = raw.metadata;
    let declared = raw.language.as_deref().or(opts.language.as_deref()).and_then(|l| {
        let code = lang::normalize_code(l);
        if code.is_none() {
            metadata.insert("language_declared".into(), l.to_string());
        }
        code
    });
    let language = match declared {
        Some(code) => Language { code, confidence: 1.0, declared: true },
        None => {
            let mut sample = String::with_capacity(title.len() + 1 + text.len().min(4096));
            sample.push_str(&title);
            sample.push('\n');
            sample.push_str(crate::analyze::head(&text, 4096));
            lang::detect(&sample)
        }
    };
    let words = word_hashes(&text);
    let content_hash = if words.is_empty() { content_digest(&title) } else { digest_of_words(&words) };
    let url = raw.url.filter(|u| !u.trim().is_empty());
    // The user's `--source` wins over what the record says.
    let source = opts.source.clone().or(raw.source);
    let id = match (raw.id, &url) {
        (Some(id), _) => {
            let scope = id_scope(source.as_deref(), url.as_deref());
            scoped_id(id, scope.as_deref(), &mut metadata)
        }
        (None, Some(u)) => format!("{:016x}", hash64(11, normalize_url(u).as_bytes())),
        (None, None) => content_hash[..16].to_string(),
    };
    let article = Article {
        id,
        title,
        text,
        source,
        url,
        published: raw.published.or(opts.published),
        language,
        author: raw.author,
        metadata,
        extra: raw.extra,
        content_hash,
        near_duplicate_of: None,
        origin,
    };
    (article, words)
}

#[cfg(test)]
mod tests {

    #[test]
    fn nul_characters_are_taken_out_of_every_field() {
        let raw = RawArticle {
            id: Some("n\u{0}1".into()),
            title: Some("Nul\u{0}teken".into()),
            text: "Een tekst met een\u{0}nulteken over de gemeenteraad van Ede.".into(),
            source: Some("N\u{0}PB".into()),
            metadata: [("sec\u{0}tion".to_string(), "bin\u{0}nenland".to_string())].into_iter().collect(),
            ..RawArticle::default()
        };
        let p = prepare_with_signature(raw, &PrepareOptions::default(), None).unwrap();
        let a = &p.article;
        assert!(
            !format!("{}{}{}{:?}{:?}", a.id, a.title, a.text, a.source, a.metadata).contains('\0'),
            "{a:?}"
        );
        assert_eq!(a.title, "Nulteken");
        assert_eq!(a.text, "Een tekst met eennulteken over de gemeenteraad van Ede.");
        assert_eq!(a.metadata.get("section").map(String::as_str), Some("binnenland"));
    }

    use super::*;

    #[test]
    fn a_date_outside_what_the_store_keeps_is_refused_for_its_record() {
        let mut raw = RawArticle::with_text("Een tekst over de kade.");
        raw.published =
            Some(Published { unix: Published::MAX_UNIX + 3600, precision: crate::Precision::Second });
        let e = prepare_with_signature(raw.clone(), &PrepareOptions::default(), None).expect_err("refused");
        assert!(e.to_string().contains("outside the years 1 to 9999"), "{e}");
        raw.published = Published::parse("9999-12-31").ok();
        assert!(prepare_with_signature(raw, &PrepareOptions::default(), None).is_ok());
    }

    #[test]
    fn the_source_option_wins_and_the_date_fills_only_what_is_missing() {
        let opts = PrepareOptions {
            source: Some("Nieuwsdienst Noord".into()),
            published: Published::parse("2025-11-01").ok(),
            language: None,
        };
        let mut raw = RawArticle::with_text("Een   tekst\n\n\n\nmet  alinea's.");
        raw.source = Some("De Dagkoerier".into());
        let a = prepare(raw, &opts);
        assert_eq!(a.source.as_deref(), Some("Nieuwsdienst Noord"));
        assert_eq!(a.published.unwrap().to_string(), "2025-11-01");
        let mut dated = RawArticle::with_text("Een tekst.");
        dated.published = Published::parse("2024-02-03").ok();
        assert_eq!(prepare(dated, &opts).published.unwrap().to_string(), "2024-02-03");
        assert_eq!(a.text, "Een tekst\n\nmet alinea's.");
        assert_eq!(a.title, "Een tekst");
    }

    #[test]
    fn ids_are_stable_and_prefer_the_source_id_then_the_url() {
        let mut raw = RawArticle::with_text("Zelfde tekst.");
        let by_text = prepare(raw.clone(), &PrepareOptions::default()).id;
        assert_eq!(by_text, prepare(raw.clone(), &PrepareOptions::default()).id);
        raw.url = Some("HTTPS://Www.Example.org/nieuws/1/#reacties".into());
        let by_url = prepare(raw.clone(), &PrepareOptions::default()).id;
        raw.url = Some("https://www.example.org/nieuws/1".into());
        assert_eq!(by_url, prepare(raw.clone(), &PrepareOptions::default()).id);
        assert_ne!(by_url, by_text);
        raw.id = Some("npb-001".into());
        // The source's id, scoped by the host of the address when no outlet is named.
        assert_eq!(prepare(raw.clone(), &PrepareOptions::default()).id, "npb-001@example.org");
        raw.id = Some("tag:vlaamsetijding.example,2025:artikel/8812".into());
        let a = prepare(raw.clone(), &PrepareOptions::default());
        assert_eq!(a.id.len(), 16);
        assert_eq!(a.metadata["source_id"], "tag:vlaamsetijding.example,2025:artikel/8812");
        // Without anything that says where it comes from, the source's id as it is.
        raw.url = None;
        raw.id = Some("npb-001".into());
        assert_eq!(prepare(raw, &PrepareOptions::default()).id, "npb-001");
    }

    #[test]
    fn two_outlets_with_the_same_item_id_get_two_ids() {
        let mut raw = RawArticle::with_text("Zelfde nummer, ander blad.");
        raw.id = Some("4994612".into());
        raw.source = Some("Omroep West".into());
        let west = prepare(raw.clone(), &PrepareOptions::default());
        assert_eq!(west.id, "4994612@omroep-west");
        raw.source = None;
        let by_option = PrepareOptions { source: Some("De Dagkoerier".into()), ..PrepareOptions::default() };
        assert_eq!(prepare(raw.clone(), &by_option).id, "4994612@de-dagkoerier");
        raw.url = Some("https://WWW.Zuiderbode.example:8443/nieuws/4994612?utm=x".into());
        assert_eq!(prepare(raw.clone(), &PrepareOptions::default()).id, "4994612@zuiderbode.example");
        // A long id is hashed with its scope: the same tag URI from two outlets, two ids.
        raw.id = Some("tag:nieuws.example,2025:4994612".into());
        let a = prepare(raw.clone(), &PrepareOptions::default()).id;
        raw.source = Some("Omroep West".into());
        let b = prepare(raw, &PrepareOptions::default()).id;
        assert_ne!(a, b);
        assert_eq!((a.len(), b.len()), (16, 16));
    }

    #[test]
    fn the_unscoped_id_is_the_one_stores_written_before_scoping_hold() {
        let mut raw = RawArticle::with_text("Zelfde nummer.");
        raw.id = Some("4994612".into());
        raw.source = Some("Omroep West".into());
        assert_eq!(
            unscoped_id(&prepare(raw.clone(), &PrepareOptions::default())).as_deref(),
            Some("4994612")
        );
        raw.id = Some("tag:west.example,2025:4994612".into());
        let a = prepare(raw.clone(), &PrepareOptions::default());
        let mut alone = raw.clone();
        alone.source = None;
        let before = prepare(alone, &PrepareOptions::default());
        assert_eq!(unscoped_id(&a), Some(before.id.clone()));
        assert_eq!(unscoped_id(&before), None, "an id that was never scoped");
        raw.id = None;
        raw.url = Some("https://west.example/1".into());
        assert_eq!(unscoped_id(&prepare(raw, &PrepareOptions::default())), None);
    }

    #[test]
    fn scopes_are_short_slugs() {
        assert_eq!(id_scope(Some("  Het Morgenblad "), None).as_deref(), Some("het-morgenblad"));
        assert_eq!(id_scope(Some("NOS"), Some("https://nos.nl/x")).as_deref(), Some("nos"));
        assert_eq!(id_scope(None, Some("https://www.kanaal.example/")).as_deref(), Some("kanaal.example"));
        assert_eq!(id_scope(None, Some("geen adres")), None);
        let long = id_scope(Some(&"Regionaal Dagblad ".repeat(10)), None).unwrap();
        assert!(long.len() <= 32 && is_simple_id(&long), "{long}");
        let other_script = id_scope(Some("日本"), None).unwrap();
        assert_eq!(other_script.len(), 8);
    }

    /// The test build's analysis panics on the marker (the `test-panic` feature, which the
    /// workspace's test run turns on), as it would on a bug an article trips.
    #[cfg(feature = "test-panic")]
    #[test]
    fn a_record_the_analysis_fails_on_is_an_error_naming_the_panic() {
        let marker = crate::analyze::TEST_PANIC_MARKER;
        let raw = RawArticle::with_text(format!("De raad van Zwolle vergaderde {marker} dinsdag."));
        let err = prepare_with_signature(raw.clone(), &PrepareOptions::default(), None).unwrap_err();
        assert_eq!(err.to_string(), "analysis failed: test panic: the text asks the analysis to fail");
        assert!(matches!(err, PrepareError::Analysis(_)));
        // Without the analysis, the article itself is still made.
        assert!(prepare(raw, &PrepareOptions::default()).text.contains(marker));
        // A title the analysis fails on, over a text it reads well: the record fails too...
        let mut raw = RawArticle::with_text("De raad van Zwolle vergaderde dinsdag over de brug.");
        raw.title = Some(format!("Raad Zwolle {marker}"));
        let err = prepare_with_signature(raw.clone(), &PrepareOptions::default(), None).unwrap_err();
        assert!(err.to_string().starts_with("analysis failed: test panic"), "{err}");
        // ...while features of a stored article (re-clustering) leave the title's names out.
        let article = prepare(raw, &PrepareOptions::default());
        let analysis = crate::analyze::analyze(&article.text, "nl", None);
        assert!(crate::cluster::try_features(&article, &analysis).is_err());
        assert!(!crate::cluster::features(&article, &analysis).terms.is_empty());
    }

    #[test]
    fn declared_language_wins_and_garbage_is_kept_aside() {
        let mut raw = RawArticle::with_text("The council met on Monday.");
        raw.language = Some("nl-BE".into());
        let a = prepare(raw.clone(), &PrepareOptions::default());
        assert_eq!(a.language.code, "nl");
        assert!(a.language.declared);
        raw.language = Some("xx-yy".into());
        let b = prepare(raw, &PrepareOptions::default());
        assert!(!b.language.declared);
        assert_eq!(b.metadata["language_declared"], "xx-yy");
    }
}
