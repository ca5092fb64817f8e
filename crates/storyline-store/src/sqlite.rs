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

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use storyline_core::analyze::Analysis;
use storyline_core::dossier::TermReader;
use storyline_core::ingest::prepare::Prepared;
use storyline_core::model::Article;

use crate::sql::Lite;
use crate::write::{now, WriterState};
use crate::CheckReport;
use crate::{
    ArticleFilter, ArticleRecord, ArticleSummary, IngestOutcome, IngestSettings, ReclusterReport,
    SearchQuery, SearchResults, Store, StoreError, StoreStats, StoredReport, StoryFilter, StorySummary,
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
    // Corrections: an editor's events, the articles each concerns, and the pinned groups
    // drawn from the events that stand.
    (
        8,
        "CREATE TABLE corrections (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            author TEXT NOT NULL,
            action TEXT NOT NULL,
            summary TEXT NOT NULL,
            detail TEXT NOT NULL,
            undone_by INTEGER
        );
        CREATE TABLE correction_articles (
            article_id TEXT NOT NULL,
            correction INTEGER NOT NULL REFERENCES corrections(id),
            PRIMARY KEY (article_id, correction)
        );
        CREATE TABLE pins (
            article_id TEXT PRIMARY KEY,
            grp INTEGER NOT NULL
        );",
    ),
    // The clusterer's saved state, so a new writing process goes on from it instead of
    // rebuilding it from the latest articles.
    (
        9,
        "CREATE TABLE cluster_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seen_up_to INTEGER NOT NULL,
            corrections INTEGER NOT NULL,
            saved_at INTEGER NOT NULL,
            state BLOB NOT NULL
        );",
    ),
    // Whether each story's dossier lists a discrepancy (NULL while unknown inside a write;
    // 0 none, 1 some, 2 some that lasts), filled for the stories already stored.
    (
        DISCREPANCIES,
        "ALTER TABLE stories ADD COLUMN discrepancies INTEGER;
        CREATE INDEX stories_discrepancies_unknown ON stories(id) WHERE discrepancies IS NULL;",
    ),
    // The clustering features of the latest articles, so a writer catching up on what others
    // stored reads them instead of computing them again. Only PostgreSQL writers fill it (many
    // writers are the rule there); on SQLite it stays empty (see `crate::stories`).
    (
        11,
        "CREATE TABLE IF NOT EXISTS cluster_features (
            article_seq INTEGER PRIMARY KEY,
            features BLOB NOT NULL
        );",
    ),
];

/// The migration that keeps each story's discrepancies (`crate::stories::settle` fills them).
const DISCREPANCIES: i64 = 10;

/// How much of the file a reader maps into memory (SQLite's largest by default, 2 GiB): a
/// page not in the connection's cache is read from the operating system's page cache in place
/// instead of copied by a read call, which is most of the cost of a dossier's first reading.
const READER_MMAP: i64 = 0x7fff_0000;

/// Reader connections of a file store.
const READERS: usize = 4;

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 11;

/// A store in one SQLite file (or in memory, for tests and evaluation).
pub struct SqliteStore {
    /// Connections for reads, so reading does not wait for a long ingest batch, nor for one
    /// another (empty for an in-memory store, which reads through the writer). Declared before
    /// the writer so they close first: the writer, closing last, folds the write-ahead log back
    /// into the file and removes it (a read-only connection closing last cannot).
    readers: Vec<Mutex<Connection>>,
    writer: Mutex<Connection>,
    /// Where the next reader search starts when all are busy.
    next_reader: AtomicUsize,
    /// The near-duplicate index and the clusterer, built on the first ingest.
    state: WriterState,
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

/// Opens a connection the store's way. A new store gets 32 KiB pages: an article's row (about
/// 3.5 KB of text and fields) and its analysis row (about 2.5 KB deflated) pack eight to twelve
/// to a page. Measured on 5,000 real Dutch reports against 8 KiB pages, that leaves 1.2 KB less
/// empty space per article, at the same ingest speed and the same page and search latencies
/// (`storyline bench --corpus … --http`). The write-ahead log is folded back every 128 MiB.
fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch(
        "PRAGMA page_size = 32768;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -131072;
         PRAGMA wal_autocheckpoint = 4096;",
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
            if *version == DISCREPANCIES {
                crate::stories::settle(&mut Lite(&tx))?;
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
            state: WriterState::default(),
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
            state: WriterState::default(),
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

impl Store for SqliteStore {
    fn ingest(
        &self,
        batch: &[Prepared],
        settings: &IngestSettings,
    ) -> Result<Vec<IngestOutcome>, StoreError> {
        self.state.write(settings, |bands, stories, times| {
            let mut conn = lock(&self.writer);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcomes = crate::write::ingest(&mut Lite(&tx), bands, stories, batch, settings, times)?;
            let started = std::time::Instant::now();
            tx.commit()?;
            times.commit += crate::ns_since(started);
            Ok(outcomes)
        })
    }

    fn write_timings(&self) -> crate::WriteTimings {
        self.state.timings()
    }

    fn save_clusterer(&self) -> Result<(), StoreError> {
        self.state.save(|state| {
            let mut conn = lock(&self.writer);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            state.save(&mut Lite(&tx))?;
            tx.commit()?;
            Ok(())
        })
    }

    fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
        crate::read::article(&mut Lite(&self.read()), id)
    }

    fn has_article(&self, article: &Article) -> Result<bool, StoreError> {
        crate::read::has_article(&mut Lite(&self.read()), article)
    }

    fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        crate::read::ids_with_prefix(&mut Lite(&self.read()), prefix, limit)
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>, StoreError> {
        crate::read::articles(&mut Lite(&self.read()), filter)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        crate::read::stats(&mut Lite(&self.read()))
    }

    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>, StoreError> {
        crate::read::stories(&mut Lite(&self.read()), filter)
    }

    fn story_articles(&self, story: i64) -> Result<Vec<ArticleSummary>, StoreError> {
        crate::read::story_articles(&mut Lite(&self.read()), story)
    }

    fn story_records(&self, story: i64) -> Result<Vec<(Article, Option<Analysis>)>, StoreError> {
        crate::read::story_records(&mut Lite(&self.read()), story)
    }

    fn story_published(&self, story: i64) -> Result<Vec<i64>, StoreError> {
        crate::read::story_published(&mut Lite(&self.read()), story)
    }

    fn story_reports(&self, story: i64) -> Result<Vec<StoredReport>, StoreError> {
        crate::read::story_reports(&mut Lite(&self.read()), story)
    }

    fn check(&self, repair: bool) -> Result<CheckReport, StoreError> {
        let result = (|| {
            let mut conn = lock(&self.writer);
            let tx = conn.transaction_with_behavior(if repair {
                TransactionBehavior::Immediate
            } else {
                TransactionBehavior::Deferred
            })?;
            let report = crate::check::check(&mut Lite(&tx), repair)?;
            tx.commit()?;
            Ok(report)
        })();
        if repair {
            // What the in-memory clusterer read may have changed.
            self.state.forget_stories();
        }
        result
    }

    fn resolve_story(&self, id: i64) -> Result<Option<i64>, StoreError> {
        crate::stories::resolve_story(&mut Lite(&self.read()), id)
    }

    fn search(&self, query: &SearchQuery) -> Result<SearchResults, StoreError> {
        crate::search::search(&mut Lite(&self.read()), query)
    }

    fn correct(
        &self,
        correction: &crate::corrections::Correction,
        author: &str,
    ) -> Result<crate::corrections::CorrectionEvent, StoreError> {
        let result = (|| {
            let mut conn = lock(&self.writer);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let event = crate::corrections::apply(&mut Lite(&tx), correction, author)?;
            tx.commit()?;
            Ok(event)
        })();
        // The in-memory clusterer no longer matches what is stored.
        self.state.forget_stories();
        result
    }

    fn corrections(
        &self,
        filter: &crate::corrections::CorrectionFilter,
    ) -> Result<Vec<crate::corrections::CorrectionEvent>, StoreError> {
        crate::corrections::list(&mut Lite(&self.read()), filter)
    }

    fn recluster(&self, settings: &IngestSettings) -> Result<ReclusterReport, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (articles, stories) = crate::stories::recluster(&mut Lite(&tx), &settings.cluster)?;
        tx.commit()?;
        // The in-memory clusterer no longer matches what is stored.
        self.state.forget_stories();
        Ok(ReclusterReport { articles, stories })
    }
}
