//! # storyline-store
//!
//! Where storyline keeps what it has read. [`Store`] is the one interface every backend
//! implements; [`sqlite::SqliteStore`] is the embedded default (one file, nothing to install).
//! The trait takes `&self` and batches, so a backend can serve many writers at once: duplicate
//! checks happen inside the backend's transaction, against its unique constraints, not in the
//! caller.
//!
//! ```
//! use storyline_core::ingest::{prepare::prepare_with_signature, text::parse_text, PrepareOptions};
//! use storyline_store::{sqlite::SqliteStore, ArticleFilter, IngestSettings, Store};
//!
//! let store = SqliteStore::open_in_memory().unwrap();
//! let raw = parse_text("Nieuwe brug in Zwolle geopend\n\nDe brug over het Zwarte Water is open.");
//! let prepared = prepare_with_signature(raw, &PrepareOptions::default(), None).unwrap();
//! let outcomes = store.ingest(&[prepared.clone()], &IngestSettings::default()).unwrap();
//! assert!(outcomes[0].is_inserted());
//! // Ingesting the same article again changes nothing.
//! assert!(!store.ingest(&[prepared], &IngestSettings::default()).unwrap()[0].is_inserted());
//! assert_eq!(store.articles(&ArticleFilter::default()).unwrap().len(), 1);
//! ```

#![warn(missing_docs)]

pub mod bands;
mod check;
pub mod codec;
pub mod corrections;
pub mod dossier;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod read;
pub mod search;
pub mod sql;
pub mod sqlite;
pub mod stories;
pub mod watch;
pub mod write;

use serde::Serialize;
use storyline_core::analyze::Analysis;
pub use storyline_core::cluster::Settings as ClusterSettings;
use storyline_core::dossier::revision::Change;
use storyline_core::dossier::ReportTerms;
use storyline_core::ingest::dedupe::DEFAULT_THRESHOLD;
use storyline_core::ingest::prepare::Prepared;
use storyline_core::model::{Article, Sighting};
use storyline_core::Published;

/// Reports a dossier reads at most: a story with more is laid out from its first and its latest
/// `DOSSIER_REPORTS / 2` reports in publication order (its page says so), so its page, its API
/// answer and its discrepancy mark cost the same however long the story runs.
pub const DOSSIER_REPORTS: usize = 2_000;

/// Whether a store address names a PostgreSQL server (`postgres://…` or `postgresql://…`)
/// rather than a SQLite file.
pub fn is_postgres(address: &str) -> bool {
    address.starts_with("postgres://") || address.starts_with("postgresql://")
}

/// A store address with its password left out, for messages.
pub fn redacted(address: &str) -> String {
    let Some((scheme, rest)) = address.split_once("://") else { return address.to_string() };
    let Some((userinfo, host)) = rest.split_once('@') else { return address.to_string() };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => address.to_string(),
    }
}

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database itself failed (I/O, corruption, locking).
    #[error("database error: {0}")]
    Database(String),
    /// The database was written by a newer storyline.
    #[error("database schema version {found} is newer than this storyline supports ({supported}); upgrade storyline")]
    TooNew {
        /// Version found in the database.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A stored value could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// A request the store cannot carry out as asked (a correction naming an unknown story, a
    /// split that would leave nothing): the message says why.
    #[error("{0}")]
    Refused(String),
    /// An id prefix matches more than one article.
    #[error("id prefix `{prefix}` is ambiguous: it matches {count} articles")]
    Ambiguous {
        /// The prefix given.
        prefix: String,
        /// How many ids start with it.
        count: usize,
    },
}

/// Settings that shape an ingest.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestSettings {
    /// Estimated Jaccard similarity at or above which a new article is linked to an earlier
    /// one as its near-duplicate.
    pub near_duplicate_threshold: f32,
    /// How far back, in articles ingested, a new article is compared for near-duplicates: at
    /// least this many of the most recent articles (and at most twice as many) are searched.
    /// Wire copies arrive close together; bounding the search keeps ingest speed and the
    /// index size flat however large the archive grows.
    pub near_duplicate_horizon: u64,
    /// How articles are grouped into stories.
    pub cluster: ClusterSettings,
}

/// The default [`IngestSettings::near_duplicate_horizon`].
pub const DEFAULT_NEAR_DUPLICATE_HORIZON: u64 = 50_000;

impl Default for IngestSettings {
    fn default() -> Self {
        IngestSettings {
            near_duplicate_threshold: DEFAULT_THRESHOLD,
            near_duplicate_horizon: DEFAULT_NEAR_DUPLICATE_HORIZON,
            cluster: ClusterSettings::default(),
        }
    }
}

/// Why an article was not stored again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// An article with the same id is stored.
    SameId,
    /// An article with the same URL is stored.
    SameUrl,
    /// An article with identical text is stored.
    SameText,
}

/// What happened to one article of a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum IngestOutcome {
    /// Stored as new.
    Inserted {
        /// Its id.
        id: String,
        /// The earlier article it nearly duplicates, with the estimated similarity.
        near_duplicate_of: Option<(String, f32)>,
        /// The story it joined or started.
        story: i64,
    },
    /// Already stored; nothing changed except, for the same text from another outlet or
    /// address, a new sighting.
    Duplicate {
        /// The stored article's id.
        id: String,
        /// Why it counts as the same article.
        reason: DuplicateReason,
        /// Whether a new sighting (another outlet or URL running the same text) was recorded.
        sighting_added: bool,
        /// The stored article's story.
        story: Option<i64>,
    },
    /// A new version of a stored article: the same (scoped) id or URL, with a changed text or
    /// title. The earlier version is kept in the article's history.
    Revised {
        /// The stored article's id.
        id: String,
        /// Why it counts as the same article ([`DuplicateReason::SameId`] or
        /// [`DuplicateReason::SameUrl`]).
        reason: DuplicateReason,
        /// The version number it was stored as (2 for the first revision).
        version: u32,
        /// Whether it is now the version the article shows. An older version (by publication
        /// date) that arrives after a newer one goes into the history only.
        latest: bool,
        /// The article's story.
        story: Option<i64>,
    },
}

impl IngestOutcome {
    /// Whether the article was stored as new.
    pub fn is_inserted(&self) -> bool {
        matches!(self, IngestOutcome::Inserted { .. })
    }

    /// Whether the article was stored as a new version of a stored one.
    pub fn is_revision(&self) -> bool {
        matches!(self, IngestOutcome::Revised { .. })
    }
}

/// Filters for listing articles. Dates compare with the start of an article's publication
/// period; undated articles are left out when a date bound is given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFilter {
    /// Only this outlet (case-insensitive).
    pub source: Option<String>,
    /// Only this language code.
    pub language: Option<String>,
    /// Published at or after.
    pub since: Option<Published>,
    /// Published before the end of this period.
    pub until: Option<Published>,
    /// Only articles without a publication date (the date filters then find none).
    pub undated: bool,
    /// At most this many, newest first.
    pub limit: Option<usize>,
    /// Skip this many first (for paging).
    pub offset: usize,
}

/// One line of an article listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleSummary {
    /// The id.
    pub id: String,
    /// The headline.
    pub title: String,
    /// The outlet.
    pub source: Option<String>,
    /// Publication time at its precision.
    pub published: Option<Published>,
    /// Language code.
    pub language: String,
    /// Id of the article this one nearly duplicates.
    pub near_duplicate_of: Option<String>,
    /// The story it belongs to.
    pub story: Option<i64>,
}

/// Filters for listing stories.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryFilter {
    /// Only the story with this id.
    pub id: Option<i64>,
    /// Only stories with a report from this outlet (case-insensitive).
    pub source: Option<String>,
    /// Only stories with a report in this language.
    pub language: Option<String>,
    /// Only stories active (last report published) on or after.
    pub since: Option<Published>,
    /// Only stories that started (first report published) before the end of this period.
    pub until: Option<Published>,
    /// Only stories with at least this many reports.
    pub min_articles: usize,
    /// Only stories whose dossier lists a discrepancy (`Some(true)`), or only those whose
    /// dossier lists none (`Some(false)`); see [`StorySummary::discrepancies`].
    pub discrepancies: Option<bool>,
    /// At most this many, newest activity first.
    pub limit: Option<usize>,
    /// Skip this many first (for paging).
    pub offset: usize,
}

/// One line of a story listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StorySummary {
    /// The story's id (the ingest sequence number of its first report).
    pub id: i64,
    /// A representative title.
    pub title: String,
    /// Number of reports.
    pub articles: u64,
    /// Outlets that reported it, alphabetically.
    pub sources: Vec<String>,
    /// Languages of its reports.
    pub languages: Vec<String>,
    /// Publication time of its earliest report.
    pub first_published: Option<Published>,
    /// Publication time of its latest report.
    pub last_published: Option<Published>,
    /// Whether its dossier lists a discrepancy: figures of one counted thing that disagree
    /// between its reports (exactly when `story_dossier(…).discrepancies` is not empty). Kept
    /// with the story by every write that changes its reports, so a listing reads it, not the
    /// reports.
    pub discrepancies: bool,
}

/// Where a writer's time went, summed over the batches it wrote (nanoseconds): what
/// `storyline bench` prints as its time per stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WriteTimings {
    /// Batches written.
    pub batches: u64,
    /// Catching the near-duplicate index and the clusterer up on what other writers stored
    /// (and building them in a new process).
    pub catch_up: u64,
    /// Finding stored articles: ids, addresses and texts already there, and revisions.
    pub duplicates: u64,
    /// Comparing signatures with recent articles'.
    pub near_duplicates: u64,
    /// Writing the articles' rows.
    pub articles: u64,
    /// Deciding and recording each article's story.
    pub stories: u64,
    /// Writing analyses and key words.
    pub analyses: u64,
    /// Writing the search index.
    pub search_index: u64,
    /// Writing signatures.
    pub signatures: u64,
    /// Reading again the figures of the stories a batch changed, for their discrepancies.
    pub discrepancies: u64,
    /// Committing (the transaction's end, the database's own work).
    pub commit: u64,
}

impl WriteTimings {
    /// Adds another's times to these.
    pub fn add(&mut self, o: &WriteTimings) {
        self.batches += o.batches;
        self.catch_up += o.catch_up;
        self.duplicates += o.duplicates;
        self.near_duplicates += o.near_duplicates;
        self.articles += o.articles;
        self.stories += o.stories;
        self.analyses += o.analyses;
        self.search_index += o.search_index;
        self.signatures += o.signatures;
        self.discrepancies += o.discrepancies;
        self.commit += o.commit;
    }

    /// What was spent since `earlier` (an earlier reading of the same writer).
    pub fn since(&self, earlier: &WriteTimings) -> WriteTimings {
        WriteTimings {
            batches: self.batches.saturating_sub(earlier.batches),
            catch_up: self.catch_up.saturating_sub(earlier.catch_up),
            duplicates: self.duplicates.saturating_sub(earlier.duplicates),
            near_duplicates: self.near_duplicates.saturating_sub(earlier.near_duplicates),
            articles: self.articles.saturating_sub(earlier.articles),
            stories: self.stories.saturating_sub(earlier.stories),
            analyses: self.analyses.saturating_sub(earlier.analyses),
            search_index: self.search_index.saturating_sub(earlier.search_index),
            signatures: self.signatures.saturating_sub(earlier.signatures),
            discrepancies: self.discrepancies.saturating_sub(earlier.discrepancies),
            commit: self.commit.saturating_sub(earlier.commit),
        }
    }

    /// The stages by name with their seconds, in order.
    pub fn stages(&self) -> [(&'static str, f64); 10] {
        let s = |ns: u64| ns as f64 / 1e9;
        [
            ("catch_up", s(self.catch_up)),
            ("duplicates", s(self.duplicates)),
            ("near_duplicates", s(self.near_duplicates)),
            ("articles", s(self.articles)),
            ("stories", s(self.stories)),
            ("analyses", s(self.analyses)),
            ("search_index", s(self.search_index)),
            ("signatures", s(self.signatures)),
            ("discrepancies", s(self.discrepancies)),
            ("commit", s(self.commit)),
        ]
    }
}

/// Nanoseconds since `since`, for [`WriteTimings`].
pub(crate) fn ns_since(since: std::time::Instant) -> u64 {
    since.elapsed().as_nanos() as u64
}

/// What a re-clustering did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReclusterReport {
    /// Articles assigned.
    pub articles: u64,
    /// Stories formed.
    pub stories: u64,
}

/// Everything stored about one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRecord {
    /// The article.
    #[serde(flatten)]
    pub article: Article,
    /// When it was stored (seconds since the epoch).
    pub ingested_at: i64,
    /// Other outlets or addresses that ran exactly this text.
    pub sightings: Vec<Sighting>,
    /// Later articles stored as near-duplicates of this one, with their similarity.
    pub near_duplicates: Vec<NearDuplicateOf>,
    /// What the analysis found in its text, stored at ingest.
    pub analysis: Option<Analysis>,
    /// The story it belongs to.
    pub story: Option<i64>,
    /// The version shown: 1 for an article never revised.
    pub version: u32,
    /// Every version, oldest first, the one shown last; empty for an article never revised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<ArticleVersion>,
}

/// One version of a revised article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleVersion {
    /// Its number: versions are ordered by publication date when both have one, else by
    /// arrival.
    pub version: u32,
    /// Its headline.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Its publication time.
    pub published: Option<Published>,
    /// Its content digest.
    pub content_hash: String,
    /// When it was stored (seconds since the epoch).
    pub ingested_at: i64,
    /// What changed in figures and quotes from the version before it (empty for the first).
    pub changes: Vec<Change>,
}

/// One report of a story as a dossier reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    /// The article.
    pub article: Article,
    /// Its analysis, when one is stored.
    pub analysis: Option<Analysis>,
    /// Its key words as read at ingest ([`Prepared::dossier_terms`]), when the backend keeps
    /// them; a dossier reads them from the article otherwise, with the same result.
    pub terms: Option<ReportTerms>,
    /// The version shown (1 for an article never revised).
    pub version: u32,
}

/// A later copy of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearDuplicateOf {
    /// The copy's id.
    pub id: String,
    /// Its outlet.
    pub source: Option<String>,
    /// Estimated similarity.
    pub similarity: f32,
}

/// Counts over the whole store.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StoreStats {
    /// Stories.
    pub stories: u64,
    /// Stored articles.
    pub articles: u64,
    /// Articles linked to an earlier near-duplicate.
    pub near_duplicates: u64,
    /// Extra sightings of identical texts.
    pub sightings: u64,
    /// Distinct outlets.
    pub sources: u64,
    /// Schema version.
    pub schema_version: i64,
}

/// A full-text search: words ranked by BM25 over title and text, with filters. Dates compare
/// with the start of an article's publication period, as in [`ArticleFilter`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchQuery {
    /// What was typed: words (matched through their stems in every language the store holds),
    /// `"quoted phrases"` and `prefix*` words; every word must match (when no article has them
    /// all, articles with any of them are ranked).
    pub text: String,
    /// Only this outlet (case-insensitive).
    pub source: Option<String>,
    /// Only this language code.
    pub language: Option<String>,
    /// Published at or after.
    pub since: Option<Published>,
    /// Published before the end of this period.
    pub until: Option<Published>,
    /// Only articles naming this entity, by its key (`ryan-dillon`).
    pub entity: Option<String>,
    /// At most this many hits.
    pub limit: usize,
    /// Skip this many first (for paging).
    pub offset: usize,
}

/// One article found by a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The article's id.
    pub id: String,
    /// Its headline.
    pub title: String,
    /// Its outlet.
    pub source: Option<String>,
    /// Publication time at its precision.
    pub published: Option<Published>,
    /// Language code.
    pub language: String,
    /// The story it belongs to.
    pub story: Option<i64>,
    /// BM25 relevance: higher is better; comparable only within one search.
    pub score: f64,
    /// Plain text: a window of the article around its best matches.
    pub snippet: String,
    /// Character ranges of the matched words in `snippet`.
    pub snippet_highlights: Vec<(usize, usize)>,
    /// Character ranges of the matched words in `title`.
    pub title_highlights: Vec<(usize, usize)>,
}

/// What a search found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// How many articles match (counted up to [`search::MAX_COUNTED`]).
    pub total: u64,
    /// The hits of the requested page, best first.
    pub hits: Vec<SearchHit>,
}

/// What [`Store::check`] found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CheckReport {
    /// Articles read.
    pub articles: u64,
    /// Stories read.
    pub stories: u64,
    /// The rows that do not read, one entry per field.
    pub problems: Vec<RowProblem>,
}

/// One stored field that does not read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    /// The row: ``article `ID` ``, `a sighting of article `ID``, `story N`.
    pub row: String,
    /// The field: `published`, `metadata`, `extra`, `analysis`, `terms`, or for a story
    /// `published` and `discrepancies`.
    pub field: &'static str,
    /// Why it does not read.
    pub message: String,
    /// Whether it was repaired.
    pub repaired: bool,
}

/// The storage interface. Every method takes `&self`: implementations are shared between
/// threads and may serve several writers at once.
pub trait Store: Send + Sync {
    /// Stores a batch in one transaction: all of it or, on error, none of it. Duplicates (same
    /// id, same URL, identical text) are not stored again; an article with a stored id or URL
    /// whose text or title changed is stored as a new version of it (see
    /// [`IngestOutcome::Revised`]); the outcome for each article is returned in order.
    /// Re-running the same batch changes nothing.
    fn ingest(&self, batch: &[Prepared], settings: &IngestSettings)
        -> Result<Vec<IngestOutcome>, StoreError>;

    /// One article by exact id.
    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError>;

    /// Whether this very article is stored: the same id, content digest and title (of its shown
    /// version or an earlier one), outlet and URL, so
    /// that storing it again would change nothing. What an ingest asks before analysing a
    /// record: a resumed or repeated ingest does not analyse again what it stored before.
    fn has_article(&self, article: &Article) -> Result<bool, StoreError> {
        Ok(self.article(&article.id)?.is_some_and(|r| {
            let same_version = (r.article.content_hash == article.content_hash
                && r.article.title == article.title)
                || r.versions
                    .iter()
                    .any(|v| v.content_hash == article.content_hash && v.title == article.title);
            same_version && r.article.source == article.source && r.article.url == article.url
        }))
    }

    /// The ids that start with `prefix` (at most `limit`), for resolving abbreviated ids.
    fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError>;

    /// Articles matching a filter, newest first (undated last), ties by ingest order.
    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>, StoreError>;

    /// Counts over the whole store.
    fn stats(&self) -> Result<StoreStats, StoreError>;

    /// Stories matching a filter, newest activity first.
    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>, StoreError>;

    /// The reports of one story, in publication order (undated last, then ingest order).
    fn story_articles(&self, story: i64) -> Result<Vec<ArticleSummary>, StoreError>;

    /// The reports of one story with their analyses, in the order of [`Store::story_articles`]:
    /// what a dossier is built from. Backends read them in one go where they can.
    fn story_records(&self, story: i64) -> Result<Vec<(Article, Option<Analysis>)>, StoreError> {
        let mut out = Vec::new();
        for m in self.story_articles(story)? {
            if let Some(r) = self.article(&m.id)? {
                out.push((r.article, r.analysis));
            }
        }
        Ok(out)
    }

    /// The publication times (seconds since the epoch) of a story's dated reports, in no
    /// particular order: what its activity is drawn from.
    fn story_published(&self, story: i64) -> Result<Vec<i64>, StoreError> {
        Ok(self.story_articles(story)?.into_iter().filter_map(|a| a.published.map(|p| p.unix)).collect())
    }

    /// [`Store::story_records`] with each report's key words where the backend keeps them.
    fn story_reports(&self, story: i64) -> Result<Vec<StoredReport>, StoreError> {
        Ok(self
            .story_records(story)?
            .into_iter()
            .map(|(article, analysis)| StoredReport { article, analysis, terms: None, version: 1 })
            .collect())
    }

    /// The story that now holds the reports of story `id`: `id` itself, or the story it was
    /// merged into when two stories turned out to be one (see
    /// [`ClusterSettings::merge_threshold`]); `None` when no story ever had that id.
    fn resolve_story(&self, id: i64) -> Result<Option<i64>, StoreError>;

    /// Rebuilds every story from the stored articles and analyses, as one transaction, in
    /// publication order; an undated article keeps its place in ingest order (it follows the
    /// dated article ingested just before it), and same-time articles go in ingest order.
    fn recluster(&self, settings: &IngestSettings) -> Result<ReclusterReport, StoreError>;

    /// Full-text search over titles and texts, ranked by BM25, with filters. A query with no
    /// searchable words (empty, or only stopwords) finds nothing unless an entity is given, in
    /// which case that entity's articles come most recently stored first.
    fn search(&self, query: &SearchQuery) -> Result<SearchResults, StoreError>;

    /// Reads every stored row as the listings read them and reports each field that does not
    /// read (a date, metadata, extra fields, an analysis or its key words). Listings never fail
    /// on such a row: they read the field as missing and say so in the log. With `repair`, in
    /// one transaction, each is fixed without losing what it held: an unreadable date or map is
    /// kept as text in the article's metadata (`published_raw`, `metadata_raw`, `extra_raw`) and
    /// the field cleared; an unreadable analysis is made again from the stored text; a story's
    /// dates are drawn again from its reports, and its discrepancies read again from them when
    /// they are not known or one of its analyses was made again.
    fn check(&self, repair: bool) -> Result<CheckReport, StoreError>;

    /// Carries out an editor's correction (see [`corrections`]) as one transaction, stored as
    /// an event with its time and `author`; a correction that cannot be carried out is
    /// [`StoreError::Refused`] and changes nothing.
    fn correct(
        &self,
        correction: &corrections::Correction,
        author: &str,
    ) -> Result<corrections::CorrectionEvent, StoreError>;

    /// Where this store's writes spent their time so far in this process (zeros for a backend
    /// that does not keep count).
    fn write_timings(&self) -> WriteTimings {
        WriteTimings::default()
    }

    /// Saves the clusterer's state of this process's writes in the store, so the next writing
    /// process goes on from it (in milliseconds) instead of rebuilding it from the latest
    /// articles; does nothing when this process has not written. What an ingest calls when it
    /// ends. A state saved by another version, with other settings, before a correction, or too
    /// far behind the store is not used.
    fn save_clusterer(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Stored corrections, newest first.
    fn corrections(
        &self,
        filter: &corrections::CorrectionFilter,
    ) -> Result<Vec<corrections::CorrectionEvent>, StoreError>;

    /// Resolves a full id or a unique prefix of one.
    fn resolve(&self, id_or_prefix: &str) -> Result<Option<String>, StoreError> {
        if self.article(id_or_prefix)?.is_some() {
            return Ok(Some(id_or_prefix.to_string()));
        }
        let ids = self.ids_with_prefix(id_or_prefix, 2)?;
        match ids.len() {
            0 => Ok(None),
            1 => Ok(ids.into_iter().next()),
            _ => Err(StoreError::Ambiguous {
                prefix: id_or_prefix.to_string(),
                count: self.ids_with_prefix(id_or_prefix, 1000)?.len(),
            }),
        }
    }
}
