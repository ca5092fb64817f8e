//! The embedded SQLite backend: one file, write-ahead logging, one transaction per batch.
//!
//! Crash safety comes from SQLite's WAL: a batch is visible entirely or not at all, and a
//! process killed at any point leaves the file as it was after the last committed batch.
//! Schema changes are numbered migrations recorded in `schema_migrations`, each applied in its
//! own transaction.
//!
//! A revised article (a stored id or URL with a changed text or title) is updated in place, in
//! the batch's transaction, with its analysis, search index entry and signature; the version it
//! replaces moves to `article_versions` (see [`revise`]).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use storyline_core::analyze::Analysis;
use storyline_core::dossier::{ReportTerms, TermReader};
use storyline_core::ingest::dedupe::{similarity, Signature};
use storyline_core::ingest::prepare::{unscoped_id, Prepared};
use storyline_core::model::{Article, Language, NearDuplicate, Sighting};
use storyline_core::Published;

use crate::bands::BandIndex;
use crate::codec::Stored;
use crate::stories::StoryState;
use crate::CheckReport;
use crate::{
    ArticleFilter, ArticleRecord, ArticleSummary, DuplicateReason, IngestOutcome, IngestSettings,
    NearDuplicateOf, ReclusterReport, SearchQuery, SearchResults, Store, StoreError, StoreStats,
    StoredReport, StoryFilter, StorySummary,
};

/// The numbered schema migrations, applied in order.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT,
        url TEXT,
        published TEXT,
        published_unix INTEGER,
        language TEXT NOT NULL,
        language_confidence REAL NOT NULL,
        language_declared INTEGER NOT NULL,
        author TEXT,
        metadata TEXT NOT NULL,
        extra TEXT NOT NULL,
        content_hash INTEGER NOT NULL UNIQUE,
        near_dup_of TEXT REFERENCES articles(id),
        near_dup_similarity REAL,
        origin TEXT,
        ingested_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
    CREATE INDEX articles_published ON articles(published_unix);
    CREATE INDEX articles_source ON articles(source COLLATE NOCASE);
    CREATE INDEX articles_near_dup ON articles(near_dup_of) WHERE near_dup_of IS NOT NULL;
    CREATE TABLE sightings (
        article_id TEXT NOT NULL REFERENCES articles(id),
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        published TEXT,
        PRIMARY KEY (article_id, source, url)
    ) WITHOUT ROWID;
    CREATE TABLE signatures (
        article_seq INTEGER PRIMARY KEY REFERENCES articles(seq),
        article_id TEXT NOT NULL,
        root_id TEXT NOT NULL,
        minhash BLOB NOT NULL
    );",
    ),
    (
        2,
        "CREATE TABLE analyses (
            article_seq INTEGER PRIMARY KEY REFERENCES articles(seq),
            analysis TEXT NOT NULL
        );",
    ),
    (
        3,
        "ALTER TABLE articles ADD COLUMN story INTEGER;
        CREATE INDEX articles_story ON articles(story);
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            articles INTEGER NOT NULL,
            first_published INTEGER,
            first_published_text TEXT,
            last_published INTEGER,
            last_published_text TEXT,
            last_seq INTEGER NOT NULL
        );
        CREATE INDEX stories_activity ON stories(last_published, last_seq);",
    ),
    (4, crate::search::MIGRATION),
    // Analyses in the binary stored form (`crate::codec`) and each report's key words for
    // dossiers beside them (older rows are converted and read after it);
    // and, for a story's activity, its reports' publication times read from an index alone.
    (
        5,
        "ALTER TABLE analyses ADD COLUMN terms BLOB;
        CREATE INDEX IF NOT EXISTS articles_story_published ON articles(story, published_unix);",
    ),
    // The listings' order (newest first, undated last, ties by arrival) read from an index, so
    // a page of articles or stories reads that page, not the whole table and a sort of it.
    (
        6,
        "CREATE INDEX IF NOT EXISTS articles_listing ON articles(published_unix IS NULL, published_unix DESC, seq DESC);
        CREATE INDEX IF NOT EXISTS stories_listing ON stories(last_published IS NULL, last_published DESC, last_seq DESC);",
    ),
    // Revisions: the earlier versions of an article that its outlet revised (the article row
    // holds the latest), each with its analysis in the binary stored form.
    (
        7,
        "CREATE TABLE article_versions (
            article_seq INTEGER NOT NULL REFERENCES articles(seq),
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            published TEXT,
            published_unix INTEGER,
            content_hash INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL,
            analysis BLOB
        );
        CREATE INDEX article_versions_article ON article_versions(article_seq, version);",
    ),
];

/// How much of the file a reader maps into memory (SQLite's largest by default, 2 GiB): a
/// page not in the connection's cache is read from the operating system's page cache in place
/// instead of copied by a read call, which is most of the cost of a dossier's first reading.
const READER_MMAP: i64 = 0x7fff_0000;

/// Reader connections of a file store.
const READERS: usize = 4;

/// The most near-duplicate candidates checked for one new article.
const MAX_CANDIDATES: usize = 64;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 7;

/// A store in one SQLite file (or in memory, for tests and evaluation).
pub struct SqliteStore {
    writer: Mutex<Connection>,
    /// Connections for reads, so reading does not wait for a long ingest batch, nor for one
    /// another (empty for an in-memory store, which reads through the writer).
    readers: Vec<Mutex<Connection>>,
    /// Where the next reader search starts when all are busy.
    next_reader: AtomicUsize,
    /// Near-duplicate candidates among recent articles; built on the first ingest.
    bands: Mutex<Option<BandIndex>>,
    /// The clusterer's state; built on the first ingest.
    stories: Mutex<Option<StoryState>>,
}

fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        db_err(e)
    }
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock cannot leave SQLite inconsistent (the transaction rolls
    // back when dropped), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch(
        "PRAGMA page_size = 8192;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -131072;
         PRAGMA wal_autocheckpoint = 16384;",
    )?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<i64, StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        )",
    )?;
    let current: i64 =
        conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found: current, supported: SCHEMA_VERSION });
    }
    let mut rewrote = false;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        rewrote |= (4..=6).contains(version) && current > 0;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let done: bool = tx
            .query_row("SELECT 1 FROM schema_migrations WHERE version = ?1", [version], |_| Ok(true))
            .optional()?
            .unwrap_or(false);
        if !done {
            tx.execute_batch(sql)?;
            if *version == 4 {
                // The search index of the articles stored before it existed.
                crate::search::backfill(&tx)?;
            }
            if *version == 5 {
                convert_analyses(&tx)?;
            }
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                params![version, now()],
            )?;
        }
        tx.commit()?;
    }
    if rewrote {
        // A migration that rewrote every article leaves a write-ahead log as large as the
        // store: fold it in now rather than at some later write. Readers elsewhere only make
        // this partial, which is harmless.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    Ok(SCHEMA_VERSION)
}

/// Rewrites the analyses stored as JSON (before migration 5) in the binary form and stores
/// every article's key words, a batch of rows at a time.
fn convert_analyses(tx: &rusqlite::Transaction<'_>) -> Result<u64, StoreError> {
    let mut select = tx.prepare(
        "SELECT n.article_seq, n.analysis, a.title, a.text FROM analyses n JOIN articles a ON a.seq = n.article_seq \
         WHERE n.article_seq > ?1 AND n.terms IS NULL ORDER BY n.article_seq LIMIT 1000",
    )?;
    let mut update = tx.prepare("UPDATE analyses SET analysis = ?2, terms = ?3 WHERE article_seq = ?1")?;
    let mut after = i64::MIN;
    let mut converted = 0;
    loop {
        let batch: Vec<(i64, Option<Analysis>, String, String)> = select
            .query_map([after], |r| {
                let analysis = crate::codec::read(r.get_ref(1)?).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
                })?;
                Ok((r.get(0)?, analysis, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        let Some(&(last, ..)) = batch.last() else { break };
        let batch: Vec<(i64, Analysis, String, String)> = batch
            .into_iter()
            .map(|(seq, a, title, text)| (seq, a.unwrap_or_default(), title, text))
            .collect();
        // One reader for the batch: a written form is stemmed once.
        let mut reader = TermReader::default();
        for (seq, analysis, title, text) in &batch {
            let terms = reader.terms(title, text, analysis);
            update.execute(params![
                seq,
                crate::codec::encode(analysis),
                crate::codec::encode_terms(&terms)
            ])?;
            converted += 1;
        }
        after = last;
    }
    Ok(converted)
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut writer = Connection::open(path)?;
        configure(&writer)?;
        migrate(&mut writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )?;
            reader.busy_timeout(std::time::Duration::from_secs(30))?;
            reader
                .execute_batch(&format!("PRAGMA cache_size = -32768; PRAGMA mmap_size = {READER_MMAP};"))?;
            readers.push(Mutex::new(reader));
        }
        Ok(SqliteStore {
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
            bands: Mutex::new(None),
            stories: Mutex::new(None),
        })
    }

    /// A private in-memory store.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let mut conn = Connection::open_in_memory()?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            writer: Mutex::new(conn),
            readers: Vec::new(),
            next_reader: AtomicUsize::new(0),
            bands: Mutex::new(None),
            stories: Mutex::new(None),
        })
    }

    /// A free reader connection, or, when all are busy, the next one in turn.
    fn read(&self) -> MutexGuard<'_, Connection> {
        if self.readers.is_empty() {
            return lock(&self.writer);
        }
        for r in &self.readers {
            match r.try_lock() {
                Ok(g) => return g,
                Err(TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        lock(&self.readers[i])
    }
}

const ARTICLE_COLUMNS: &str = "id, title, text, source, url, published, language, language_confidence, \
     language_declared, author, metadata, extra, content_hash, near_dup_of, near_dup_similarity, origin, ingested_at, \
     (SELECT analysis FROM analyses WHERE analyses.article_seq = articles.seq), story, seq";

/// [`ARTICLE_COLUMNS`] read through a join with the analyses, and the key words after them.
const REPORT_COLUMNS: &str = "id, title, text, source, url, published, language, language_confidence, \
     language_declared, author, metadata, extra, content_hash, near_dup_of, near_dup_similarity, origin, ingested_at, \
     analyses.analysis, story, seq, analyses.terms, \
     (SELECT COUNT(*) FROM article_versions v WHERE v.article_seq = articles.seq)";

/// A stored date read back; one that does not read (written by an older version, or damaged)
/// is reported in the log and read as none, so one row never fails a listing (`storyline check
/// --repair` fixes the row).
pub(crate) fn published_from(s: Option<String>, whose: &str) -> Option<Published> {
    let s = s?;
    match Published::parse(&s) {
        Ok(p) => Some(p),
        Err(e) => {
            tracing::warn!("{whose}: the stored date is unreadable ({e}); read as undated (`storyline check --repair` fixes it)");
            None
        }
    }
}

/// A stored JSON map read back, or empty (reported in the log) when it does not read.
fn map_from<T: serde::de::DeserializeOwned + Default>(s: Option<String>, whose: &str, what: &str) -> T {
    match serde_json::from_str(s.as_deref().unwrap_or("{}")) {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!("{whose}: the stored {what} is unreadable ({e}); read as empty (`storyline check --repair` fixes it)");
            T::default()
        }
    }
}

/// An article row with the columns that still need parsing kept as text.
struct ArticleRow {
    article: Article,
    ingested_at: i64,
    published: Option<String>,
    metadata: Option<String>,
    extra: Option<String>,
    /// The stored analysis, or why it does not read.
    analysis: Result<Option<Stored>, String>,
    story: Option<i64>,
    seq: i64,
}

/// Completes an article read from a row: its date, metadata and extra fields parsed, and its
/// analysis with the sentences' text restored.
///
/// A field that does not read is reported in the log and read as missing: one damaged row never
/// fails a listing, a story or a page (`storyline check` finds such rows, `--repair` fixes them).
fn finish_article(row: ArticleRow) -> (Article, i64, Option<Analysis>) {
    let ArticleRow { mut article, ingested_at, published, metadata, extra, analysis, story: _, seq: _ } = row;
    let whose = format!("article `{}`", article.id);
    article.published = published_from(published, &whose);
    article.metadata = map_from(metadata, &whose, "metadata");
    article.extra = map_from(extra, &whose, "extra fields");
    let analysis = match analysis.and_then(|a| a.map(|a| a.decode().map_err(|e| e.to_string())).transpose()) {
        Ok(Some(mut parsed)) => {
            parsed.restore_sentence_text(&article.text);
            Some(parsed)
        }
        Ok(None) => None,
        Err(e) => {
            tracing::warn!("{whose}: the stored analysis is unreadable ({e}); shown without it (`storyline check --repair` fixes it)");
            None
        }
    };
    (article, ingested_at, analysis)
}

fn row_to_article(row: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleRow> {
    let near_of: Option<String> = row.get(13)?;
    let near_sim: Option<f64> = row.get(14)?;
    Ok(ArticleRow {
        article: Article {
            id: row.get(0)?,
            title: row.get(1)?,
            text: row.get(2)?,
            source: row.get(3)?,
            url: row.get(4)?,
            published: None,
            language: Language {
                code: row.get(6)?,
                confidence: row.get::<_, f64>(7)? as f32,
                declared: row.get::<_, i64>(8)? != 0,
            },
            author: row.get(9)?,
            metadata: Default::default(),
            extra: Default::default(),
            content_hash: format!("{:016x}", row.get::<_, i64>(12)? as u64),
            near_duplicate_of: near_of
                .map(|of| NearDuplicate { of, similarity: near_sim.unwrap_or(0.0) as f32 }),
            origin: row.get(15)?,
        },
        ingested_at: row.get(16)?,
        published: row.get(5)?,
        metadata: row.get(10)?,
        extra: row.get(11)?,
        analysis: Stored::from_value(row.get_ref(17)?).map_err(|e| e.to_string()),
        story: row.get(18)?,
        seq: row.get(19)?,
    })
}

/// An article summary from a row of `id, title, source, published, language, near_dup_of,
/// story`, with the publication time still as text.
fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ArticleSummary, Option<String>)> {
    let summary = ArticleSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        source: r.get(2)?,
        published: None,
        language: r.get(4)?,
        near_duplicate_of: r.get(5)?,
        story: r.get(6)?,
    };
    Ok((summary, r.get(3)?))
}

/// Parses the publication times of [`summary_row`] rows.
fn finish_summaries(
    rows: rusqlite::Result<Vec<(ArticleSummary, Option<String>)>>,
) -> Result<Vec<ArticleSummary>, StoreError> {
    Ok(rows?
        .into_iter()
        .map(|(mut summary, published)| {
            summary.published = published_from(published, &format!("article `{}`", summary.id));
            summary
        })
        .collect())
}

/// The 64-bit content digest (16 hex characters) as SQLite's signed integer.
fn hash_to_db(hex: &str) -> Result<i64, StoreError> {
    u64::from_str_radix(hex, 16)
        .map(|v| v as i64)
        .map_err(|_| StoreError::Corrupt(format!("content digest `{hex}` is not 16 hex digits")))
}

impl Store for SqliteStore {
    fn ingest(
        &self,
        batch: &[Prepared],
        settings: &IngestSettings,
    ) -> Result<Vec<IngestOutcome>, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut guard = self.bands.lock().unwrap_or_else(|p| p.into_inner());
        if guard.as_ref().is_none_or(|b| b.horizon() != settings.near_duplicate_horizon) {
            *guard = Some(BandIndex::new(settings.near_duplicate_horizon));
        }
        let bands = guard.as_mut().expect("set above");
        let mut story_guard = self.stories.lock().unwrap_or_else(|p| p.into_inner());
        let result = (|| {
            catch_up(&tx, bands)?;
            match story_guard.as_mut() {
                Some(state) if state.matches(&settings.cluster) => state.catch_up(&tx)?,
                _ => *story_guard = Some(StoryState::load(&tx, &settings.cluster)?),
            }
            let state = story_guard.as_mut().expect("set above");
            ingest_batch(&tx, bands, state, batch, settings)
        })();
        let outcomes = match result.and_then(|o| tx.commit().map(|()| o).map_err(db_err)) {
            Ok(o) => o,
            Err(e) => {
                // The batch was rolled back: the in-memory state may hold its articles.
                *guard = None;
                *story_guard = None;
                return Err(e);
            }
        };
        Ok(outcomes)
    }

    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        let conn = self.read();
        let found = conn
            .query_row(&format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1"), [id], row_to_article)
            .optional()?;
        let Some(row) = found else {
            return Ok(None);
        };
        let story = row.story;
        let seq = row.seq;
        let (article, ingested_at, analysis) = finish_article(row);
        let versions = versions_of(&conn, seq, &article, ingested_at, analysis.as_ref())?;
        let version = versions.last().map_or(1, |v| v.version);
        let mut stmt = conn.prepare_cached("SELECT source, url, published FROM sightings WHERE article_id = ?1 ORDER BY published, source, url")?;
        let raw: Vec<(String, String, Option<String>)> =
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        let mut sightings = Vec::with_capacity(raw.len());
        for (source, url, published) in raw {
            sightings.push(Sighting {
                source: (!source.is_empty()).then_some(source),
                url: (!url.is_empty()).then_some(url),
                published: published_from(published, &format!("a sighting of article `{id}`")),
            });
        }
        let mut stmt = conn.prepare_cached(
            "SELECT id, source, near_dup_similarity FROM articles WHERE near_dup_of = ?1 ORDER BY seq",
        )?;
        let near_duplicates = stmt
            .query_map([id], |r| {
                Ok(NearDuplicateOf {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    similarity: r.get::<_, Option<f64>>(2)?.unwrap_or(0.0) as f32,
                })
            })?
            .collect::<Result<_, _>>()?;

        Ok(Some(ArticleRecord {
            article,
            ingested_at,
            sightings,
            near_duplicates,
            analysis,
            story,
            version,
            versions,
        }))
    }

    fn has_article(&self, article: &Article) -> Result<bool, StoreError> {
        let Ok(hash) = hash_to_db(&article.content_hash) else { return Ok(false) };
        let conn = self.read();
        // This very version, or an earlier one of the article (a file re-read after a revision),
        // under its id or, in a store written before ids were scoped, its unscoped id.
        let unscoped = unscoped_id(article).unwrap_or_else(|| article.id.clone());
        let found = conn
            .prepare_cached(
                "SELECT 1 FROM articles a WHERE a.id IN (?1, ?6) AND a.source IS ?3 AND a.url IS ?4 AND \
                 ((a.content_hash = ?2 AND a.title = ?5) OR EXISTS (SELECT 1 FROM article_versions v \
                   WHERE v.article_seq = a.seq AND v.content_hash = ?2 AND v.title = ?5))",
            )?
            .query_row(
                params![article.id, hash, article.source, article.url, article.title, unscoped],
                |_| Ok(()),
            )
            .optional()?;
        Ok(found.is_some())
    }

    fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        let conn = self.read();
        // Range scan on the unique index: ids >= prefix and < prefix with its last char bumped.
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM articles WHERE id >= ?1 AND substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT ?2",
        )?;
        let ids = stmt.query_map(params![prefix, limit as i64], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>, StoreError> {
        let conn = self.read();
        let mut sql = String::from(
            "SELECT id, title, source, published, language, near_dup_of, story FROM articles WHERE 1 = 1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(s) = &filter.source {
            args.push(s.clone().into());
            sql.push_str(&format!(" AND source = ?{} COLLATE NOCASE", args.len()));
        }
        if let Some(l) = &filter.language {
            args.push(l.to_ascii_lowercase().into());
            sql.push_str(&format!(" AND language = ?{}", args.len()));
        }
        if let Some(since) = &filter.since {
            args.push(since.unix.into());
            sql.push_str(&format!(" AND published_unix >= ?{}", args.len()));
        }
        if let Some(until) = &filter.until {
            args.push(until.end_unix().into());
            sql.push_str(&format!(" AND published_unix < ?{}", args.len()));
        }
        if filter.undated {
            sql.push_str(" AND published_unix IS NULL");
        }
        sql.push_str(" ORDER BY published_unix IS NULL, published_unix DESC, seq DESC");
        args.push(filter.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX)).into());
        sql.push_str(&format!(" LIMIT ?{}", args.len()));
        args.push(i64::try_from(filter.offset).unwrap_or(i64::MAX).into());
        sql.push_str(&format!(" OFFSET ?{}", args.len()));
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), summary_row)?.collect();
        finish_summaries(rows)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let conn = self.read();
        let (articles, near_duplicates, sources): (i64, i64, i64) = conn.query_row(
            "SELECT COUNT(*), COUNT(near_dup_of), COUNT(DISTINCT source) FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let sightings: i64 = conn.query_row("SELECT COUNT(*) FROM sightings", [], |r| r.get(0))?;
        let stories: i64 = conn.query_row("SELECT COUNT(*) FROM stories", [], |r| r.get(0))?;
        let schema_version: i64 =
            conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
        Ok(StoreStats {
            stories: stories as u64,
            articles: articles as u64,
            near_duplicates: near_duplicates as u64,
            sightings: sightings as u64,
            sources: sources as u64,
            schema_version,
        })
    }

    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>, StoreError> {
        let conn = self.read();
        let mut sql = String::from(
            "SELECT s.id, s.title, s.articles, s.first_published_text, s.last_published_text FROM stories s WHERE s.articles >= ?1",
        );
        let mut args: Vec<rusqlite::types::Value> = vec![(filter.min_articles.max(1) as i64).into()];
        if let Some(id) = filter.id {
            args.push(id.into());
            sql.push_str(&format!(" AND s.id = ?{}", args.len()));
        }
        if let Some(source) = &filter.source {
            args.push(source.clone().into());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM articles a WHERE a.story = s.id AND a.source = ?{} COLLATE NOCASE)",
                args.len()
            ));
        }
        if let Some(language) = &filter.language {
            args.push(language.to_ascii_lowercase().into());
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM articles a WHERE a.story = s.id AND a.language = ?{})",
                args.len()
            ));
        }
        if let Some(since) = &filter.since {
            args.push(since.unix.into());
            sql.push_str(&format!(" AND s.last_published >= ?{}", args.len()));
        }
        if let Some(until) = &filter.until {
            args.push(until.end_unix().into());
            sql.push_str(&format!(" AND s.first_published < ?{}", args.len()));
        }
        sql.push_str(" ORDER BY s.last_published IS NULL, s.last_published DESC, s.last_seq DESC");
        args.push(filter.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX)).into());
        sql.push_str(&format!(" LIMIT ?{}", args.len()));
        args.push(i64::try_from(filter.offset).unwrap_or(i64::MAX).into());
        sql.push_str(&format!(" OFFSET ?{}", args.len()));
        // Rows come back as summaries with their dates still as text.
        type Row = (StorySummary, Option<String>, Option<String>);
        let rows: Vec<Row> = {
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
                let summary = StorySummary {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    articles: r.get::<_, i64>(2)? as u64,
                    sources: Vec::new(),
                    languages: Vec::new(),
                    first_published: None,
                    last_published: None,
                };
                Ok((summary, r.get(3)?, r.get(4)?))
            })?;
            rows.collect::<Result<_, _>>()?
        };
        let mut sources_of = conn.prepare_cached(
            "SELECT DISTINCT source FROM articles WHERE story = ?1 AND source IS NOT NULL ORDER BY source",
        )?;
        let mut languages_of =
            conn.prepare_cached("SELECT DISTINCT language FROM articles WHERE story = ?1 ORDER BY language")?;
        let mut out = Vec::with_capacity(rows.len());
        for (mut summary, first, last) in rows {
            summary.sources = sources_of.query_map([summary.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
            summary.languages =
                languages_of.query_map([summary.id], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let whose = format!("story {}", summary.id);
            summary.first_published = published_from(first, &whose);
            summary.last_published = published_from(last, &whose);
            out.push(summary);
        }
        Ok(out)
    }

    fn story_articles(&self, story: i64) -> Result<Vec<ArticleSummary>, StoreError> {
        let conn = self.read();
        let mut stmt = conn.prepare_cached(
            "SELECT id, title, source, published, language, near_dup_of, story FROM articles WHERE story = ?1 \
             ORDER BY published_unix IS NULL, published_unix, seq",
        )?;
        let rows = stmt.query_map([story], summary_row)?.collect();
        finish_summaries(rows)
    }

    fn story_records(&self, story: i64) -> Result<Vec<(Article, Option<Analysis>)>, StoreError> {
        let conn = self.read();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE story = ?1 ORDER BY published_unix IS NULL, published_unix, seq"
        ))?;
        let rows: Vec<ArticleRow> = stmt.query_map([story], row_to_article)?.collect::<Result<_, _>>()?;
        Ok(rows.into_iter().map(finish_article).map(|(a, _, x)| (a, x)).collect())
    }

    fn story_published(&self, story: i64) -> Result<Vec<i64>, StoreError> {
        let conn = self.read();
        let mut stmt = conn.prepare_cached(
            "SELECT published_unix FROM articles WHERE story = ?1 AND published_unix IS NOT NULL",
        )?;
        let times = stmt.query_map([story], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(times)
    }

    fn story_reports(&self, story: i64) -> Result<Vec<StoredReport>, StoreError> {
        let conn = self.read();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {REPORT_COLUMNS} FROM articles LEFT JOIN analyses ON analyses.article_seq = articles.seq \
             WHERE story = ?1 ORDER BY published_unix IS NULL, published_unix, seq"
        ))?;
        let rows: Vec<(ArticleRow, Option<ReportTerms>, i64)> = stmt
            .query_map([story], |r| {
                let row = row_to_article(r)?;
                // Key words that do not read are left out (the dossier works without them).
                let terms = crate::codec::read_terms(r.get_ref(20)?).unwrap_or_else(|e| {
                    tracing::warn!(
                        "article `{}`: the stored key words are unreadable ({e}); left out",
                        row.article.id
                    );
                    None
                });
                let earlier: i64 = r.get(21)?;
                Ok((row, terms, earlier))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows
            .into_iter()
            .map(|(row, terms, earlier)| {
                let (article, _, analysis) = finish_article(row);
                StoredReport { article, analysis, terms, version: u32::try_from(earlier).unwrap_or(0) + 1 }
            })
            .collect())
    }

    fn check(&self, repair: bool) -> Result<CheckReport, StoreError> {
        let result = crate::check::check(&mut lock(&self.writer), repair);
        if repair {
            // What the in-memory clusterer read may have changed.
            *self.stories.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
        result
    }

    fn resolve_story(&self, id: i64) -> Result<Option<i64>, StoreError> {
        crate::stories::resolve_story(&self.read(), id)
    }

    fn search(&self, query: &SearchQuery) -> Result<SearchResults, StoreError> {
        crate::search::search(&self.read(), query)
    }

    fn recluster(&self, settings: &IngestSettings) -> Result<ReclusterReport, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (articles, stories) = crate::stories::recluster(&tx, &settings.cluster)?;
        tx.commit()?;
        // The in-memory clusterer no longer matches what is stored.
        *self.stories.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(ReclusterReport { articles, stories })
    }
}

/// Adds to the band index what was committed since it last looked (by this or another writer),
/// starting no earlier than the window.
fn catch_up(tx: &rusqlite::Transaction<'_>, bands: &mut BandIndex) -> Result<(), StoreError> {
    let newest: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| r.get(0))?;
    if newest <= bands.seen_up_to {
        return Ok(());
    }
    let from = bands.seen_up_to.max(bands.window_start(newest) - 1);
    let mut stmt = tx.prepare_cached(
        "SELECT article_seq, minhash FROM signatures WHERE article_seq > ?1 ORDER BY article_seq",
    )?;
    let mut rows = stmt.query([from])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let blob: Vec<u8> = row.get(1)?;
        if let Some(sig) = Signature::from_bytes(&blob) {
            bands.add(seq, &sig.band_keys());
        }
    }
    bands.seen_up_to = bands.seen_up_to.max(newest);
    Ok(())
}

fn ingest_batch(
    tx: &rusqlite::Transaction<'_>,
    bands: &mut BandIndex,
    stories: &mut StoryState,
    batch: &[Prepared],
    settings: &IngestSettings,
) -> Result<Vec<IngestOutcome>, StoreError> {
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut merged = false;
    {
        let mut by_id = tx.prepare_cached("SELECT seq FROM articles WHERE id = ?1")?;
        let mut by_legacy_id =
            tx.prepare_cached("SELECT seq FROM articles WHERE id = ?1 AND source IS ?2")?;
        let mut by_url = tx.prepare_cached("SELECT seq, id, source FROM articles WHERE url = ?1")?;
        let mut by_hash =
            tx.prepare_cached("SELECT id, source, url FROM articles WHERE content_hash = ?1")?;
        let mut add_sighting = tx.prepare_cached(
            "INSERT OR IGNORE INTO sightings (article_id, source, url, published) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut candidate =
            tx.prepare_cached("SELECT minhash, root_id FROM signatures WHERE article_seq = ?1")?;
        let mut insert_signature = tx.prepare_cached(
            "INSERT INTO signatures (article_seq, article_id, root_id, minhash) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut insert_analysis =
            tx.prepare_cached("INSERT INTO analyses (article_seq, analysis, terms) VALUES (?1, ?2, ?3)")?;
        let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO articles (id, title, text, source, url, published, published_unix, language, \
                 language_confidence, language_declared, author, metadata, extra, content_hash, \
                 near_dup_of, near_dup_similarity, origin, ingested_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?;
        let stamp = now();
        for p in batch {
            let a = &p.article;
            let hash = hash_to_db(&a.content_hash)?;
            // The same text elsewhere: a duplicate of that article, recorded as a sighting when
            // another outlet or address ran it.
            let mut same_text = |hash: i64| -> Result<Option<IngestOutcome>, StoreError> {
                let found = by_hash
                    .query_row([hash], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, Option<String>>(1)?,
                            r.get::<_, Option<String>>(2)?,
                        ))
                    })
                    .optional()?;
                let Some((id, source, url)) = found else { return Ok(None) };
                let elsewhere = a.source != source || (a.url.is_some() && a.url != url);
                let added = elsewhere
                    && add_sighting.execute(params![
                        id,
                        a.source.as_deref().unwrap_or(""),
                        a.url.as_deref().unwrap_or(""),
                        a.published.map(|p| p.to_string())
                    ])? > 0;
                Ok(Some(IngestOutcome::Duplicate {
                    id,
                    reason: DuplicateReason::SameText,
                    sighting_added: added,
                    story: None,
                }))
            };
            // Re-ingesting is common: the id probe keeps it cheap. A store written before ids
            // were scoped holds the same outlet's article under its unscoped id.
            let mut stored =
                by_id.query_row([&a.id], |r| Ok((r.get::<_, i64>(0)?, a.id.clone()))).optional()?;
            if stored.is_none() {
                if let Some(old) = unscoped_id(a) {
                    stored = by_legacy_id
                        .query_row(params![old, a.source], |r| Ok((r.get::<_, i64>(0)?, old.clone())))
                        .optional()?;
                }
            }
            if let Some((seq, id)) = stored {
                let outcome =
                    match version_of(tx, bands, seq, id.clone(), p, hash, DuplicateReason::SameId, stamp)? {
                        Some(o) => o,
                        // Another article holds the digest (it was just found there).
                        None => same_text(hash)?.unwrap_or(IngestOutcome::Duplicate {
                            id,
                            reason: DuplicateReason::SameId,
                            sighting_added: false,
                            story: None,
                        }),
                    };
                outcomes.push(outcome);
                continue;
            }
            let mut near: Option<(String, f32)> = None;
            let keys = p.signature.as_ref().map(Signature::band_keys);
            if let (Some(sig), Some(keys)) = (&p.signature, &keys) {
                for seq in bands.candidates(keys, MAX_CANDIDATES) {
                    let Some((blob, root)) = candidate
                        .query_row([seq], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?)))
                        .optional()?
                    else {
                        continue;
                    };
                    let Some(other) = Signature::from_bytes(&blob) else { continue };
                    let s = similarity(sig, &other);
                    if s >= settings.near_duplicate_threshold
                        && near.as_ref().is_none_or(|(_, best)| s > *best)
                    {
                        near = Some((root, s));
                    }
                }
            }
            let metadata =
                serde_json::to_string(&a.metadata).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let extra = serde_json::to_string(&a.extra).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            // Insert first; the unique constraints on id, URL and content digest decide, and
            // only a refused insert pays for finding out which one.
            let inserted = insert.execute(params![
                a.id,
                a.title,
                a.text,
                a.source,
                a.url,
                a.published.map(|p| p.to_string()),
                a.published.map(|p| p.unix),
                a.language.code,
                f64::from(a.language.confidence),
                a.language.declared,
                a.author,
                metadata,
                extra,
                hash,
                near.as_ref().map(|(id, _)| id.as_str()),
                near.as_ref().map(|(_, s)| f64::from(*s)),
                a.origin,
                stamp,
            ])?;
            if inserted == 0 {
                if let Some(url) = &a.url {
                    let stored = by_url
                        .query_row([url], |r| {
                            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
                        })
                        .optional()?;
                    if let Some((seq, id, source)) = stored {
                        // Only the outlet that ran an address revises what it holds; another
                        // outlet's record with that address is a duplicate, as ever.
                        let other_outlet = matches!((&source, &a.source),
                            (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y));
                        if other_outlet {
                            outcomes.push(IngestOutcome::Duplicate {
                                id,
                                reason: DuplicateReason::SameUrl,
                                sighting_added: false,
                                story: None,
                            });
                            continue;
                        }
                        let outcome = match version_of(
                            tx,
                            bands,
                            seq,
                            id.clone(),
                            p,
                            hash,
                            DuplicateReason::SameUrl,
                            stamp,
                        )? {
                            Some(o) => o,
                            // Another article holds the digest (it was just found there).
                            None => same_text(hash)?.unwrap_or(IngestOutcome::Duplicate {
                                id,
                                reason: DuplicateReason::SameUrl,
                                sighting_added: false,
                                story: None,
                            }),
                        };
                        outcomes.push(outcome);
                        continue;
                    }
                }
                let outcome = same_text(hash)?.unwrap_or_else(|| {
                    // Only the id can have collided (written by another writer meanwhile).
                    IngestOutcome::Duplicate {
                        id: a.id.clone(),
                        reason: DuplicateReason::SameId,
                        sighting_added: false,
                        story: None,
                    }
                });
                outcomes.push(outcome);
                continue;
            }
            let seq = tx.last_insert_rowid();
            // Sentences are stored as offsets only; their text is the article's.
            let mut compact = p.analysis.clone();
            compact.strip_sentence_text();
            insert_analysis.execute(params![
                seq,
                crate::codec::encode(&compact),
                crate::codec::encode_terms(&p.dossier_terms)
            ])?;
            crate::search::index_article(tx, seq, &p.search_terms, &p.analysis)?;
            if let Some(sig) = &p.signature {
                let root = near.as_ref().map_or(a.id.as_str(), |(id, _)| id.as_str());
                insert_signature.execute(params![seq, a.id, root, sig.to_bytes()])?;
            }
            if let Some(keys) = keys {
                bands.add(seq, &keys);
            }
            let near_seq = match &near {
                Some((id, _)) => crate::stories::seq_of(tx, id)?,
                None => None,
            };
            let decision = stories.assign(tx, seq, &p.features, near_seq)?;
            merged |= decision.merged.is_some();
            outcomes.push(IngestOutcome::Inserted {
                id: a.id.clone(),
                near_duplicate_of: near,
                story: decision.story,
            });
        }
    }
    // Duplicates report the story of the article they duplicate; when stories merged, the
    // earlier articles of the batch report the story they are in now.
    let mut story_of = tx.prepare_cached("SELECT story FROM articles WHERE id = ?1")?;
    for o in &mut outcomes {
        match o {
            IngestOutcome::Duplicate { id, story, .. } | IngestOutcome::Revised { id, story, .. } => {
                *story = story_of.query_row([id.as_str()], |r| r.get(0)).optional()?.flatten();
            }
            IngestOutcome::Inserted { id, story, .. } if merged => {
                if let Some(now) = story_of.query_row([id.as_str()], |r| r.get(0)).optional()?.flatten() {
                    *story = now;
                }
            }
            IngestOutcome::Inserted { .. } => {}
        }
    }
    Ok(outcomes)
}

/// What an incoming article is to the stored article `seq` (`id`) that has its id or URL: the
/// same version (shown or earlier: a duplicate), or a new one, stored by [`revise`]. `None`
/// when its text is another article's, which makes it a duplicate of that one instead.
#[allow(clippy::too_many_arguments)]
fn version_of(
    tx: &rusqlite::Transaction<'_>,
    bands: &mut BandIndex,
    seq: i64,
    id: String,
    p: &Prepared,
    hash: i64,
    reason: DuplicateReason,
    stamp: i64,
) -> Result<Option<IngestOutcome>, StoreError> {
    let known = tx
        .prepare_cached(
            "SELECT 1 FROM articles WHERE seq = ?1 AND content_hash = ?2 AND title = ?3 \
             UNION ALL SELECT 1 FROM article_versions WHERE article_seq = ?1 AND content_hash = ?2 AND title = ?3 \
             LIMIT 1",
        )?
        .query_row(params![seq, hash, p.article.title], |_| Ok(()))
        .optional()?
        .is_some();
    if known {
        return Ok(Some(IngestOutcome::Duplicate { id, reason, sighting_added: false, story: None }));
    }
    let elsewhere = tx
        .prepare_cached("SELECT 1 FROM articles WHERE content_hash = ?1 AND seq <> ?2")?
        .query_row(params![hash, seq], |_| Ok(()))
        .optional()?
        .is_some();
    if elsewhere {
        return Ok(None);
    }
    let (version, latest) = revise(tx, bands, seq, p, hash, stamp)?;
    Ok(Some(IngestOutcome::Revised { id, reason, version, latest, story: None }))
}

/// Stores `p` as a new version of the stored article `seq`; returns its version number and
/// whether it is now the version shown.
///
/// Versions are ordered by publication date when both have one, else by arrival. A version
/// newer than the shown one replaces it in the article row, with its analysis, key words,
/// search index entry and signature (the article keeps its id, address, outlet, story and
/// near-duplicate link), and the replaced version moves to `article_versions`. An older one
/// (published before the shown version) goes into the history only, at its place by date.
fn revise(
    tx: &rusqlite::Transaction<'_>,
    bands: &mut BandIndex,
    seq: i64,
    p: &Prepared,
    hash: i64,
    stamp: i64,
) -> Result<(u32, bool), StoreError> {
    use rusqlite::types::Value;
    let a = &p.article;
    type Current = (String, String, Option<String>, Option<i64>, i64, i64, Value, Option<i64>);
    let (title, text, published, published_unix, content_hash, ingested_at, analysis, story): Current = tx
        .prepare_cached(
            "SELECT a.title, a.text, a.published, a.published_unix, a.content_hash, a.ingested_at, n.analysis, a.story \
             FROM articles a LEFT JOIN analyses n ON n.article_seq = a.seq WHERE a.seq = ?1",
        )?
        .query_row([seq], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
        })?;
    let earlier: Vec<Option<i64>> = tx
        .prepare_cached(
            "SELECT published_unix FROM article_versions WHERE article_seq = ?1 ORDER BY version",
        )?
        .query_map([seq], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let new_unix = a.published.map(|p| p.unix);
    let before = |other: Option<i64>| matches!((new_unix, other), (Some(n), Some(o)) if n < o);
    let mut compact = p.analysis.clone();
    compact.strip_sentence_text();
    let encoded = crate::codec::encode(&compact);
    let mut insert_version = tx.prepare_cached(
        "INSERT INTO article_versions (article_seq, version, title, text, published, published_unix, \
         content_hash, ingested_at, analysis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    if before(published_unix) {
        // An older version arriving late: into the history, after the versions not newer.
        let mut at = earlier.len() + 1;
        while at > 1 && before(earlier[at - 2]) {
            at -= 1;
        }
        tx.prepare_cached(
            "UPDATE article_versions SET version = version + 1 WHERE article_seq = ?1 AND version >= ?2",
        )?
        .execute(params![seq, at as i64])?;
        insert_version.execute(params![
            seq,
            at as i64,
            a.title,
            a.text,
            a.published.map(|p| p.to_string()),
            new_unix,
            hash,
            stamp,
            encoded
        ])?;
        return Ok((at as u32, false));
    }
    let shown_was = earlier.len() as i64 + 1;
    insert_version.execute(params![
        seq,
        shown_was,
        title,
        text,
        published,
        published_unix,
        content_hash,
        ingested_at,
        analysis
    ])?;
    let metadata = serde_json::to_string(&a.metadata).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let extra = serde_json::to_string(&a.extra).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.prepare_cached(
        "UPDATE articles SET title = ?2, text = ?3, published = ?4, published_unix = ?5, language = ?6, \
         language_confidence = ?7, language_declared = ?8, author = ?9, metadata = ?10, extra = ?11, \
         content_hash = ?12, origin = ?13, ingested_at = ?14 WHERE seq = ?1",
    )?
    .execute(params![
        seq,
        a.title,
        a.text,
        a.published.map(|p| p.to_string()),
        new_unix,
        a.language.code,
        f64::from(a.language.confidence),
        a.language.declared,
        a.author,
        metadata,
        extra,
        hash,
        a.origin,
        stamp
    ])?;
    tx.prepare_cached("INSERT OR REPLACE INTO analyses (article_seq, analysis, terms) VALUES (?1, ?2, ?3)")?
        .execute(params![seq, encoded, crate::codec::encode_terms(&p.dossier_terms)])?;
    tx.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?.execute([seq])?;
    crate::search::index_article(tx, seq, &p.search_terms, &p.analysis)?;
    match &p.signature {
        Some(sig) => {
            let updated = tx
                .prepare_cached("UPDATE signatures SET minhash = ?2 WHERE article_seq = ?1")?
                .execute(params![seq, sig.to_bytes()])?;
            if updated == 0 {
                let id: String =
                    tx.query_row("SELECT id FROM articles WHERE seq = ?1", [seq], |r| r.get(0))?;
                tx.prepare_cached(
                    "INSERT INTO signatures (article_seq, article_id, root_id, minhash) VALUES (?1, ?2, ?2, ?3)",
                )?
                .execute(params![seq, id, sig.to_bytes()])?;
            }
            bands.add(seq, &sig.band_keys());
        }
        None => {
            tx.prepare_cached("DELETE FROM signatures WHERE article_seq = ?1")?.execute([seq])?;
        }
    }
    if let Some(story) = story {
        crate::stories::refresh(tx, story, seq)?;
    }
    Ok((shown_was as u32 + 1, true))
}

/// Every version of a revised article, oldest first, the shown one (`article`) last, each with
/// what it changed from the one before; empty for an article never revised. A version whose
/// stored analysis is missing or unreadable is analysed again from its text.
fn versions_of(
    conn: &Connection,
    seq: i64,
    article: &Article,
    ingested_at: i64,
    analysis: Option<&Analysis>,
) -> Result<Vec<crate::ArticleVersion>, StoreError> {
    type Row = (i64, String, String, Option<String>, i64, i64, Result<Option<Analysis>, String>);
    let rows: Vec<Row> = conn
        .prepare_cached(
            "SELECT version, title, text, published, content_hash, ingested_at, analysis FROM article_versions \
             WHERE article_seq = ?1 ORDER BY version",
        )?
        .query_map([seq], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                crate::codec::read(r.get_ref(6)?).map_err(|e| e.to_string()),
            ))
        })?
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let whose = format!("an earlier version of article `{}`", article.id);
    let language = article.language.code.as_str();
    let mut versions = Vec::with_capacity(rows.len() + 1);
    let mut analyses = Vec::with_capacity(rows.len() + 1);
    for (version, title, text, published, content_hash, ingested, stored) in rows {
        let published = published_from(published, &whose);
        let analysis = match stored {
            Ok(Some(mut a)) => {
                a.restore_sentence_text(&text);
                a
            }
            Ok(None) => storyline_core::analyze::analyze(&text, language, published),
            Err(e) => {
                tracing::warn!("{whose}: the stored analysis is unreadable ({e}); analysed again");
                storyline_core::analyze::analyze(&text, language, published)
            }
        };
        analyses.push(analysis);
        versions.push(crate::ArticleVersion {
            version: u32::try_from(version).unwrap_or(0),
            title,
            text,
            published,
            content_hash: format!("{:016x}", content_hash as u64),
            ingested_at: ingested,
            changes: Vec::new(),
        });
    }
    analyses.push(match analysis {
        Some(a) => a.clone(),
        None => storyline_core::analyze::analyze(&article.text, language, article.published),
    });
    versions.push(crate::ArticleVersion {
        version: versions.len() as u32 + 1,
        title: article.title.clone(),
        text: article.text.clone(),
        published: article.published,
        content_hash: article.content_hash.clone(),
        ingested_at,
        changes: Vec::new(),
    });
    for i in 1..versions.len() {
        versions[i].changes = storyline_core::dossier::revision::changes(&analyses[i - 1], &analyses[i]);
    }
    Ok(versions)
}
