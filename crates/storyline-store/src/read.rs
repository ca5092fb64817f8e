//! The read side both backends share: articles, listings, stories and counts, read through
//! [`Sql`] with the same statements and the same tolerance of a damaged row.

use rusqlite::params;
use storyline_core::analyze::Analysis;
use storyline_core::dossier::ReportTerms;
use storyline_core::ingest::prepare::unscoped_id;
use storyline_core::model::{Article, Language, NearDuplicate, Sighting};
use storyline_core::Published;

use crate::codec::Stored;
use crate::sql::{params_of, placeholders, Dialect, Row, Sql};
use crate::write::hash_to_db;
use crate::{
    ArticleFilter, ArticleRecord, ArticleSummary, NearDuplicateOf, StoreError, StoreStats, StoredReport,
    StoryFilter, StorySummary,
};

/// A stored earlier version as read: number, title, text, date, digest, arrival, analysis.
type VersionRow = (i64, String, String, Option<String>, i64, i64, Result<Option<Analysis>, String>);

const ARTICLE_COLUMNS: &str = "id, title, text, source, url, published, language, language_confidence, \
     language_declared, author, metadata, extra, content_hash, near_dup_of, near_dup_similarity, origin, ingested_at, \
     (SELECT analysis FROM analyses WHERE analyses.article_seq = articles.seq), story, seq";

/// [`ARTICLE_COLUMNS`] read through a join with the analyses, and the key words after them.
const REPORT_COLUMNS: &str = "id, title, text, source, url, published, language, language_confidence, \
     language_declared, author, metadata, extra, content_hash, near_dup_of, near_dup_similarity, origin, ingested_at, \
     analyses.analysis, story, seq, analyses.terms, \
     (SELECT COUNT(*) FROM article_versions v WHERE v.article_seq = articles.seq)";

/// The text fields of one stored article: what a search hit and a corrected article's new
/// analysis read.
pub(crate) struct TextRow {
    pub id: String,
    pub title: String,
    pub text: String,
    pub source: Option<String>,
    pub published: Option<Published>,
    pub language: String,
    pub story: Option<i64>,
}

/// Reads [`TextRow`] of article `seq`, `None` when there is none (a date that does not read is
/// read as none, as [`published_from`] says).
pub(crate) fn text_row(conn: &mut dyn Sql, seq: i64) -> Result<Option<TextRow>, StoreError> {
    let Some(r) = conn.query_row(
        "SELECT id, title, text, source, published, language, story FROM articles WHERE seq = ?1",
        params![seq],
    )?
    else {
        return Ok(None);
    };
    let id: String = r.get(0)?;
    let published = published_from(r.get(4)?, &format!("article `{id}`"));
    Ok(Some(TextRow {
        title: r.get(1)?,
        text: r.get(2)?,
        source: r.get(3)?,
        published,
        language: r.get(5)?,
        story: r.get(6)?,
        id,
    }))
}

/// A stored date read back; one that does not read (written by an older version, or damaged)
/// is reported in the log and read as none, so one row never fails a listing (`storyline check
/// --repair` fixes the row).
pub fn published_from(s: Option<String>, whose: &str) -> Option<Published> {
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

fn row_to_article(row: &Row) -> Result<ArticleRow, StoreError> {
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
                confidence: row.get::<f64>(7)? as f32,
                declared: row.get::<bool>(8)?,
            },
            author: row.get(9)?,
            metadata: Default::default(),
            extra: Default::default(),
            content_hash: format!("{:016x}", row.get::<i64>(12)? as u64),
            near_duplicate_of: near_of
                .map(|of| NearDuplicate { of, similarity: near_sim.unwrap_or(0.0) as f32 }),
            origin: row.get(15)?,
        },
        ingested_at: row.get(16)?,
        published: row.get(5)?,
        metadata: row.get(10)?,
        extra: row.get(11)?,
        analysis: Stored::from_value(row.value(17)).map_err(|e| e.to_string()),
        story: row.get(18)?,
        seq: row.get(19)?,
    })
}

/// An article summary from a row of `id, title, source, published, language, near_dup_of,
/// story`, with the publication time still as text.
fn summary_row(r: &Row) -> Result<(ArticleSummary, Option<String>), StoreError> {
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
fn summaries(rows: Vec<Row>) -> Result<Vec<ArticleSummary>, StoreError> {
    rows.iter()
        .map(summary_row)
        .map(|row| {
            let (mut summary, published) = row?;
            summary.published = published_from(published, &format!("article `{}`", summary.id));
            Ok(summary)
        })
        .collect()
}

/// One article by exact id, with its sightings, copies and versions.
pub fn article(conn: &mut dyn Sql, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
    let Some(found) =
        conn.query_row(&format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1"), params![id])?
    else {
        return Ok(None);
    };
    let row = row_to_article(&found)?;
    let story = row.story;
    let seq = row.seq;
    let (article, ingested_at, analysis) = finish_article(row);
    let versions = versions_of(conn, seq, &article, ingested_at, analysis.as_ref())?;
    let version = versions.last().map_or(1, |v| v.version);
    let rows = conn.query(
        "SELECT source, url, published FROM sightings WHERE article_id = ?1 ORDER BY published, source, url",
        params![id],
    )?;
    let mut sightings = Vec::with_capacity(rows.len());
    for r in rows {
        let (source, url, published): (String, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        sightings.push(Sighting {
            source: (!source.is_empty()).then_some(source),
            url: (!url.is_empty()).then_some(url),
            published: published_from(published, &format!("a sighting of article `{id}`")),
        });
    }
    let near_duplicates = conn
        .query(
            "SELECT id, source, near_dup_similarity FROM articles WHERE near_dup_of = ?1 ORDER BY seq",
            params![id],
        )?
        .iter()
        .map(|r| {
            Ok(NearDuplicateOf {
                id: r.get(0)?,
                source: r.get(1)?,
                similarity: r.get::<Option<f64>>(2)?.unwrap_or(0.0) as f32,
            })
        })
        .collect::<Result<_, StoreError>>()?;
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

/// Whether this very article (or an earlier version of it) is stored; see
/// [`crate::Store::has_article`].
pub fn has_article(conn: &mut dyn Sql, article: &Article) -> Result<bool, StoreError> {
    let Ok(hash) = hash_to_db(&article.content_hash) else { return Ok(false) };
    // This very version, or an earlier one of the article (a file re-read after a revision),
    // under its id or, in a store written before ids were scoped, its unscoped id.
    let unscoped = unscoped_id(article).unwrap_or_else(|| article.id.clone());
    let null_safe = match conn.dialect() {
        Dialect::Sqlite => "IS",
        Dialect::Postgres => "IS NOT DISTINCT FROM",
    };
    let sql = format!(
        "SELECT 1 FROM articles a WHERE a.id IN (?1, ?6) AND a.source {null_safe} ?3 AND a.url {null_safe} ?4 AND \
         ((a.content_hash = ?2 AND a.title = ?5) OR EXISTS (SELECT 1 FROM article_versions v \
           WHERE v.article_seq = a.seq AND v.content_hash = ?2 AND v.title = ?5))"
    );
    let found = conn
        .query_row(&sql, params![article.id, hash, article.source, article.url, article.title, unscoped])?;
    Ok(found.is_some())
}

/// The ids that start with `prefix`, at most `limit`.
pub fn ids_with_prefix(conn: &mut dyn Sql, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
    // Range scan on the unique index: ids >= prefix that start with it.
    conn.query(
        "SELECT id FROM articles WHERE id >= ?1 AND substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT ?2",
        params![prefix, limit as i64],
    )?
    .iter()
    .map(|r| r.get(0))
    .collect()
}

/// ` LIMIT … OFFSET …` for a listing, its values appended to `args`.
fn page(
    dialect: Dialect,
    limit: Option<usize>,
    offset: usize,
    args: &mut Vec<rusqlite::types::Value>,
) -> String {
    let mut sql = String::new();
    match (limit, dialect) {
        (Some(limit), _) => {
            args.push(i64::try_from(limit).unwrap_or(i64::MAX).into());
            sql.push_str(&format!(" LIMIT ?{}", args.len()));
        }
        // SQLite wants a LIMIT before an OFFSET: -1 is none.
        (None, Dialect::Sqlite) if offset > 0 => sql.push_str(" LIMIT -1"),
        (None, _) => {}
    }
    if offset > 0 {
        args.push(i64::try_from(offset).unwrap_or(i64::MAX).into());
        sql.push_str(&format!(" OFFSET ?{}", args.len()));
    }
    sql
}

/// Articles matching a filter, newest first (undated last), ties by ingest order.
pub fn articles(conn: &mut dyn Sql, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>, StoreError> {
    let dialect = conn.dialect();
    let mut sql = String::from(
        "SELECT id, title, source, published, language, near_dup_of, story FROM articles WHERE 1 = 1",
    );
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(s) = &filter.source {
        args.push(s.clone().into());
        sql.push_str(&format!(" AND {}", dialect.same_text_nocase("source", &format!("?{}", args.len()))));
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
    sql.push_str(&page(dialect, filter.limit, filter.offset, &mut args));
    summaries(conn.query(&sql, &params_of(&args))?)
}

/// Counts over the whole store.
pub fn stats(conn: &mut dyn Sql) -> Result<StoreStats, StoreError> {
    let r = conn
        .query_row("SELECT COUNT(*), COUNT(near_dup_of), COUNT(DISTINCT source) FROM articles", &[])?
        .ok_or_else(|| StoreError::Database("no row from a count".into()))?;
    let (articles, near_duplicates, sources): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
    let sightings = conn.query_value::<i64>("SELECT COUNT(*) FROM sightings", &[])?.unwrap_or(0);
    let stories = conn.query_value::<i64>("SELECT COUNT(*) FROM stories", &[])?.unwrap_or(0);
    let schema_version =
        conn.query_value::<i64>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])?.unwrap_or(0);
    Ok(StoreStats {
        stories: stories as u64,
        articles: articles as u64,
        near_duplicates: near_duplicates as u64,
        sightings: sightings as u64,
        sources: sources as u64,
        schema_version,
    })
}

/// Stories matching a filter, newest activity first.
pub fn stories(conn: &mut dyn Sql, filter: &StoryFilter) -> Result<Vec<StorySummary>, StoreError> {
    let dialect = conn.dialect();
    let mut sql = String::from(
        "SELECT s.id, s.title, s.articles, s.first_published_text, s.last_published_text, s.discrepancies \
         FROM stories s WHERE s.articles >= ?1",
    );
    let mut args: Vec<rusqlite::types::Value> = vec![(filter.min_articles.max(1) as i64).into()];
    if let Some(id) = filter.id {
        args.push(id.into());
        sql.push_str(&format!(" AND s.id = ?{}", args.len()));
    }
    if let Some(source) = &filter.source {
        args.push(source.clone().into());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM articles a WHERE a.story = s.id AND {})",
            dialect.same_text_nocase("a.source", &format!("?{}", args.len()))
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
    match filter.discrepancies {
        Some(true) => sql.push_str(" AND s.discrepancies > 0"),
        Some(false) => sql.push_str(" AND s.discrepancies = 0"),
        None => {}
    }
    sql.push_str(" ORDER BY s.last_published IS NULL, s.last_published DESC, s.last_seq DESC");
    sql.push_str(&page(dialect, filter.limit, filter.offset, &mut args));
    let rows = conn.query(&sql, &params_of(&args))?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get(0)?;
        let (first, last): (Option<String>, Option<String>) = (r.get(3)?, r.get(4)?);
        let sources = distinct_in_story(conn, "source", id)?;
        let languages = distinct_in_story(conn, "language", id)?;
        // Known for every committed story (each write settles the stories it changed); read
        // from the reports should a row say otherwise (`storyline check --repair` stores it).
        let discrepancies = match r.get::<Option<i64>>(5)? {
            Some(code) => code > 0,
            None => {
                tracing::warn!("story {id}: its discrepancies are not stored; read from its reports (`storyline check --repair` stores them)");
                crate::stories::discrepancy_state_of(conn, id)?.any()
            }
        };
        let whose = format!("story {id}");
        out.push(StorySummary {
            id,
            title: r.get(1)?,
            articles: r.get::<i64>(2)? as u64,
            sources,
            languages,
            first_published: published_from(first, &whose),
            last_published: published_from(last, &whose),
            discrepancies,
        });
    }
    Ok(out)
}

/// The distinct values of `column` (`source` or `language`) among a story's reports, in order:
/// one index seek per value on `articles(story, column)`, however many reports the story has.
fn distinct_in_story(conn: &mut dyn Sql, column: &str, story: i64) -> Result<Vec<String>, StoreError> {
    let sql = format!(
        "WITH RECURSIVE v(x) AS ( \
           SELECT MIN({column}) FROM articles WHERE story = ?1 \
           UNION ALL SELECT (SELECT MIN({column}) FROM articles WHERE story = ?1 AND {column} > v.x) \
           FROM v WHERE v.x IS NOT NULL) \
         SELECT x FROM v WHERE x IS NOT NULL"
    );
    conn.query(&sql, params![story])?.iter().map(|r| r.get(0)).collect()
}

/// The reports of one story, in publication order (undated last, then ingest order).
pub fn story_articles(conn: &mut dyn Sql, story: i64) -> Result<Vec<ArticleSummary>, StoreError> {
    summaries(conn.query(
        "SELECT id, title, source, published, language, near_dup_of, story FROM articles WHERE story = ?1 \
         ORDER BY published_unix IS NULL, published_unix, seq",
        params![story],
    )?)
}

/// The reports of one story with their analyses.
pub fn story_records(conn: &mut dyn Sql, story: i64) -> Result<Vec<(Article, Option<Analysis>)>, StoreError> {
    let rows = conn.query(
        &format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE story = ?1 ORDER BY published_unix IS NULL, published_unix, seq"
        ),
        params![story],
    )?;
    rows.iter().map(|r| Ok(finish_article(row_to_article(r)?))).map(|r| r.map(|(a, _, x)| (a, x))).collect()
}

/// The publication times of a story's dated reports.
pub fn story_published(conn: &mut dyn Sql, story: i64) -> Result<Vec<i64>, StoreError> {
    conn.query(
        "SELECT published_unix FROM articles WHERE story = ?1 AND published_unix IS NOT NULL",
        params![story],
    )?
    .iter()
    .map(|r| r.get(0))
    .collect()
}

/// The reports of one story with their analyses and key words.
pub fn story_reports(conn: &mut dyn Sql, story: i64) -> Result<Vec<StoredReport>, StoreError> {
    let rows = match dossier_selection(conn, story)? {
        None => conn.query(
            &format!(
                "SELECT {REPORT_COLUMNS} FROM articles LEFT JOIN analyses ON analyses.article_seq = articles.seq \
                 WHERE story = ?1 ORDER BY published_unix IS NULL, published_unix, seq"
            ),
            params![story],
        )?,
        Some(selected) => {
            let mut rows = Vec::with_capacity(selected.len());
            for chunk in selected.chunks(500) {
                rows.extend(conn.query(
                    &format!(
                        "SELECT {REPORT_COLUMNS} FROM articles LEFT JOIN analyses ON analyses.article_seq = articles.seq \
                         WHERE articles.seq IN ({}) ORDER BY published_unix IS NULL, published_unix, seq",
                        placeholders(chunk.len())
                    ),
                    &params_of(chunk),
                )?);
            }
            rows
        }
    };
    rows.iter()
        .map(|r| {
            let row = row_to_article(r)?;
            // Key words that do not read are left out (the dossier works without them).
            let terms: Option<ReportTerms> = crate::codec::read_terms(r.value(20)).unwrap_or_else(|e| {
                tracing::warn!(
                    "article `{}`: the stored key words are unreadable ({e}); left out",
                    row.article.id
                );
                None
            });
            let earlier: i64 = r.get(21)?;
            let (article, _, analysis) = finish_article(row);
            Ok(StoredReport { article, analysis, terms, version: u32::try_from(earlier).unwrap_or(0) + 1 })
        })
        .collect()
}

/// The reports of a story too large for a dossier to read whole ([`crate::DOSSIER_REPORTS`]):
/// its first and its latest half of that many, in the dossier's order (publication order,
/// undated last, then ingest order); `None` for a story a dossier reads whole.
pub fn dossier_selection(conn: &mut dyn Sql, story: i64) -> Result<Option<Vec<i64>>, StoreError> {
    // The summary row's count, kept by every write in its transaction: one row read, not a scan
    // of a story that may hold hundreds of thousands of reports.
    let total: i64 = match conn.query_value("SELECT articles FROM stories WHERE id = ?1", params![story])? {
        Some(n) => n,
        None => {
            conn.query_value("SELECT COUNT(*) FROM articles WHERE story = ?1", params![story])?.unwrap_or(0)
        }
    };
    if total as usize <= crate::DOSSIER_REPORTS {
        return Ok(None);
    }
    let half = (crate::DOSSIER_REPORTS / 2) as i64;
    let seqs = |conn: &mut dyn Sql, order: &str| -> Result<Vec<i64>, StoreError> {
        conn.query(
            &format!("SELECT seq FROM articles WHERE story = ?1 ORDER BY {order} LIMIT ?2"),
            params![story, half],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    let mut selected = seqs(conn, "published_unix IS NULL, published_unix, seq")?;
    let mut latest = seqs(conn, "published_unix IS NULL DESC, published_unix DESC, seq DESC")?;
    latest.reverse();
    selected.extend(latest);
    Ok(Some(selected))
}

/// Every version of a revised article, oldest first, the shown one (`article`) last, each with
/// what it changed from the one before; empty for an article never revised. A version whose
/// stored analysis is missing or unreadable is analysed again from its text.
fn versions_of(
    conn: &mut dyn Sql,
    seq: i64,
    article: &Article,
    ingested_at: i64,
    analysis: Option<&Analysis>,
) -> Result<Vec<crate::ArticleVersion>, StoreError> {
    let rows: Vec<VersionRow> = conn
        .query(
            "SELECT version, title, text, published, content_hash, ingested_at, analysis FROM article_versions \
             WHERE article_seq = ?1 ORDER BY version",
            params![seq],
        )?
        .iter()
        .map(|r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                crate::codec::read(r.value(6)).map_err(|e| e.to_string()),
            ))
        })
        .collect::<Result<_, StoreError>>()?;
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
