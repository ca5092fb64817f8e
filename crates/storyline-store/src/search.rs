//! Full-text search in both stores, written in the article's own transaction. SQLite keeps an
//! FTS5 table of pre-stemmed terms ranked with FTS5's BM25; PostgreSQL a `tsvector` of the same
//! terms (title weighted above body) in a GIN index, ranked with `ts_rank` normalised by
//! length, and the entity keys as a text array.
//!
//! The terms come from [`storyline_core::search`], so stemming, stopwords and highlighting are
//! the core's, not the database's: the index only sees space-separated stems (and entity keys,
//! for the entity filter), and the query is the same parsed [`Query`] on both, so both find
//! the same articles. The work per search is capped: only the
//! [`MAX_RANKED`] most recently stored matches are ranked, and matches are counted up to
//! [`MAX_COUNTED`], so a query for a word in every article costs as much as one for a word in
//! a few thousand.

use rusqlite::types::Value;
use rusqlite::{params, ToSql, Transaction};
use serde::Deserialize;
use storyline_core::analyze::Analysis;
use storyline_core::ingest::prepare::SearchTerms;
use storyline_core::search::{Clause, Query};

use crate::sql::{Dialect, Lite, Sql};
use crate::{SearchHit, SearchQuery, SearchResults, StoreError};

/// Matches ranked per search: the most recently stored ones, when there are more.
pub const MAX_RANKED: usize = 2_000;

/// Matches counted per search ([`SearchResults::total`] stops here).
pub const MAX_COUNTED: u64 = 10_000;

/// Width of a hit's snippet in characters.
pub const SNIPPET_CHARS: usize = 220;

/// BM25 weights of the index columns: title, body, entity keys (a filter only).
const WEIGHTS: &str = "3.0, 1.0, 0.0";

/// `ts_rank`'s weights (D, C, B, A): body terms are D, title terms A, in the ratio of
/// [`WEIGHTS`].
const PG_WEIGHTS: &str = "{0.333, 0, 0, 1.0}";

/// The highest position `tsvector` keeps, and the most positions it keeps per term.
const PG_MAX_POSITION: usize = 16_383;
const PG_MAX_POSITIONS: usize = 256;

/// Schema migration 4: the search index, filled from the stored articles by [`backfill`], and
/// the indexes that keep listing a story's outlets and languages cheap for large stories (the
/// stories listings and the search page's story titles ask for them).
pub const MIGRATION: &str = "CREATE VIRTUAL TABLE search_index USING fts5(
        title, body, entities,
        content = '', contentless_delete = 1,
        tokenize = \"unicode61 remove_diacritics 0 tokenchars '-'\"
    );
    CREATE INDEX articles_language ON articles(language);
    CREATE INDEX articles_story_source ON articles(story, source);
    CREATE INDEX articles_story_language ON articles(story, language);";

/// The index term of an entity key: letters, digits and hyphens only (other characters become
/// hyphens), so the index tokenizer keeps it whole.
pub fn entity_term(key: &str) -> String {
    let mapped: String =
        key.chars().flat_map(char::to_lowercase).map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    mapped.trim_matches('-').to_string()
}

fn entity_terms<'a>(keys: impl Iterator<Item = &'a str>) -> String {
    let mut terms: Vec<String> = keys.map(entity_term).filter(|t| !t.is_empty()).collect();
    terms.sort();
    terms.dedup();
    terms.join(" ")
}

/// A term quoted for a `tsvector` or `tsquery` literal.
fn pg_quoted(term: &str) -> String {
    format!("'{}'", term.replace('\\', "\\\\").replace('\'', "''"))
}

/// The `tsvector` literal of an article's terms: each term with its positions (title first,
/// weight A; then the body, weight D, one position on), as PostgreSQL keeps them.
pub fn pg_document(terms: &SearchTerms) -> String {
    let title_len = terms.title.split_whitespace().count();
    let mut positions: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    // Title terms at 1.., the body's one position after them.
    let words = terms.title.split_whitespace().chain(terms.body.split_whitespace());
    for (i, term) in words.enumerate() {
        let at = (i + 1 + usize::from(i >= title_len)).min(PG_MAX_POSITION);
        let list = positions.entry(term).or_default();
        if list.len() < PG_MAX_POSITIONS && list.last() != Some(&at) {
            list.push(at);
        }
    }
    let mut out = String::new();
    for (term, at) in &positions {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&pg_quoted(term));
        out.push(':');
        let list: Vec<String> =
            at.iter().map(|&p| if p <= title_len { format!("{p}A") } else { p.to_string() }).collect();
        out.push_str(&list.join(","));
    }
    out
}

/// One article's row of the search index: its terms, and its entity keys as index terms.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    /// The title's and text's stemmed terms.
    pub terms: SearchTerms,
    /// The entity keys, space-separated.
    pub entities: String,
}

impl IndexRow {
    /// The row of an article with these terms and this analysis.
    pub fn of(terms: &SearchTerms, analysis: &Analysis) -> Self {
        IndexRow {
            terms: terms.clone(),
            entities: entity_terms(analysis.entities.iter().map(|e| e.key.as_str())),
        }
    }
}

/// Writes index rows `(seq, row)` in one statement.
pub fn insert_rows(tx: &mut dyn Sql, rows: &[(i64, IndexRow)]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    match tx.dialect() {
        Dialect::Sqlite => {
            let mut params: Vec<&dyn ToSql> = Vec::with_capacity(rows.len() * 4);
            for (seq, row) in rows {
                params.extend([seq as &dyn ToSql, &row.terms.title, &row.terms.body, &row.entities]);
            }
            let sql = format!(
                "INSERT INTO search_index (rowid, title, body, entities) VALUES {}",
                crate::write::values(rows.len(), 4, None)
            );
            tx.execute(&sql, &params)?;
        }
        Dialect::Postgres => {
            let docs: Vec<String> = rows.iter().map(|(_, row)| pg_document(&row.terms)).collect();
            let mut params: Vec<&dyn ToSql> = Vec::with_capacity(rows.len() * 3);
            for ((seq, row), doc) in rows.iter().zip(&docs) {
                params.extend([seq as &dyn ToSql, doc, &row.entities]);
            }
            let wrap = |column: usize, param: String| match column {
                1 => format!("CAST(CAST({param} AS text) AS tsvector)"),
                2 => format!("string_to_array(CAST({param} AS text), ' ')"),
                _ => param,
            };
            let sql = format!(
                "INSERT INTO search_index (seq, doc, entities) VALUES {}",
                crate::write::values(rows.len(), 3, Some(&wrap))
            );
            tx.execute(&sql, &params)?;
        }
    }
    Ok(())
}

fn insert(tx: &mut dyn Sql, seq: i64, terms: &SearchTerms, entities: &str) -> Result<(), StoreError> {
    insert_rows(tx, &[(seq, IndexRow { terms: terms.clone(), entities: entities.to_string() })])
}

/// Indexes a newly stored article (inside the ingest transaction) with the terms its
/// preparation stemmed.
pub fn index_article(
    tx: &mut dyn Sql,
    seq: i64,
    terms: &SearchTerms,
    analysis: &Analysis,
) -> Result<(), StoreError> {
    insert_rows(tx, &[(seq, IndexRow::of(terms, analysis))])
}

/// Takes an article out of the index (before it is indexed again as revised).
pub fn unindex_article(tx: &mut dyn Sql, seq: i64) -> Result<(), StoreError> {
    let sql = match tx.dialect() {
        Dialect::Sqlite => "DELETE FROM search_index WHERE rowid = ?1",
        Dialect::Postgres => "DELETE FROM search_index WHERE seq = ?1",
    };
    tx.execute(sql, params![seq])?;
    Ok(())
}

/// The entity keys of a stored analysis, without reading the rest of it.
#[derive(Deserialize)]
struct StoredKeys {
    #[serde(default)]
    entities: Vec<StoredKey>,
}

#[derive(Deserialize)]
struct StoredKey {
    key: String,
}

/// Indexes every stored article (when migration 4 creates the index in an older store).
pub fn backfill(tx: &Transaction<'_>) -> Result<u64, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT a.seq, a.title, a.text, a.language, n.analysis FROM articles a \
         LEFT JOIN analyses n ON n.article_seq = a.seq ORDER BY a.seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let title: String = r.get(1)?;
        let text: String = r.get(2)?;
        let language: String = r.get(3)?;
        let corrupt = |e: String| StoreError::Corrupt(format!("analysis of article {seq}: {e}"));
        let keys = match r.get_ref(4)? {
            rusqlite::types::ValueRef::Text(a) => {
                serde_json::from_slice::<StoredKeys>(a).map_err(|e| corrupt(e.to_string()))?.entities
            }
            other => crate::codec::read(other)
                .map_err(|e| corrupt(e.to_string()))?
                .map(|a| a.entities.into_iter().map(|e| StoredKey { key: e.key }).collect())
                .unwrap_or_default(),
        };
        let entities = entity_terms(keys.iter().map(|k| k.key.as_str()));
        insert(&mut Lite(tx), seq, &SearchTerms::from_text(&title, &text, &language), &entities)?;
        n += 1;
    }
    Ok(n)
}

/// The languages stored, by a skip scan of their index (a few seeks, whatever the store size).
fn stored_languages(conn: &mut dyn Sql) -> Result<Vec<String>, StoreError> {
    conn.query(
        "WITH RECURSIVE l(x) AS (SELECT MIN(language) FROM articles \
           UNION ALL SELECT (SELECT MIN(language) FROM articles WHERE language > l.x) FROM l WHERE l.x IS NOT NULL) \
         SELECT x FROM l WHERE x IS NOT NULL LIMIT 64",
        &[],
    )?
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn quoted(term: &str) -> String {
    // Terms are letters, digits and hyphens; quoting makes FTS5 take them literally.
    format!("\"{}\"", term.replace('"', ""))
}

/// The `tsquery` for a query's clauses, all of them (`&`) or any (`|`).
fn pg_expression(clauses: &[Clause], all: bool) -> String {
    let parts: Vec<String> = clauses
        .iter()
        .map(|c| match c {
            Clause::Word(stems) => {
                format!("({})", stems.iter().map(|s| pg_quoted(s)).collect::<Vec<_>>().join(" | "))
            }
            Clause::Prefix(p) => format!("{}:*", pg_quoted(p)),
            Clause::Phrase(seqs) => format!(
                "({})",
                seqs.iter()
                    .map(|seq| format!(
                        "({})",
                        seq.iter().map(|s| pg_quoted(s)).collect::<Vec<_>>().join(" <-> ")
                    ))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
        })
        .collect();
    parts.join(if all { " & " } else { " | " })
}

/// The FTS5 expression for a query's clauses, joined with `AND` or `OR`.
fn expression(clauses: &[Clause], join: &str) -> String {
    let parts: Vec<String> = clauses
        .iter()
        .map(|c| match c {
            Clause::Word(stems) => {
                format!("({})", stems.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(" OR "))
            }
            Clause::Prefix(p) => format!("{}*", quoted(p)),
            Clause::Phrase(seqs) => format!(
                "({})",
                seqs.iter().map(|seq| quoted(&seq.join(" "))).collect::<Vec<_>>().join(" OR ")
            ),
        })
        .collect();
    parts.join(join)
}

/// The SQL conditions on `articles a` for a query's filters, appending their values to `args`.
fn filters(dialect: Dialect, q: &SearchQuery, args: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    if let Some(source) = &q.source {
        args.push(source.clone().into());
        sql.push_str(&format!(" AND {}", dialect.same_text_nocase("a.source", &format!("?{}", args.len()))));
    }
    if let Some(language) = &q.language {
        args.push(language.to_ascii_lowercase().into());
        sql.push_str(&format!(" AND a.language = ?{}", args.len()));
    }
    if let Some(since) = &q.since {
        args.push(since.unix.into());
        sql.push_str(&format!(" AND a.published_unix >= ?{}", args.len()));
    }
    if let Some(until) = &q.until {
        args.push(until.end_unix().into());
        sql.push_str(&format!(" AND a.published_unix < ?{}", args.len()));
    }
    sql
}

/// What to match: the words of a query, an entity, or both.
struct Matching<'a> {
    query: &'a Query,
    entity: Option<&'a str>,
}

/// Ranks the most recent matches of a query's clauses (all of them, or any): `(seq, score)`,
/// best first, and the number of matches (counted up to [`MAX_COUNTED`]).
fn rank(
    conn: &mut dyn Sql,
    q: &SearchQuery,
    m: &Matching<'_>,
    all: bool,
) -> Result<(Vec<(i64, f64)>, u64), StoreError> {
    let dialect = conn.dialect();
    let mut args: Vec<Value> = Vec::new();
    let (from, score) = match dialect {
        Dialect::Sqlite => {
            let text = expression(&m.query.clauses, if all { " AND " } else { " OR " });
            let expr = match (m.entity, text.is_empty()) {
                (Some(e), true) => format!("{{entities}} : {}", quoted(e)),
                (Some(e), false) => format!("{{title body}} : ({text}) AND {{entities}} : {}", quoted(e)),
                (None, _) => format!("{{title body}} : ({text})"),
            };
            args.push(expr.into());
            let conditions = filters(dialect, q, &mut args);
            let from = if conditions.is_empty() {
                String::from("search_index WHERE search_index MATCH ?1")
            } else {
                format!(
                    "search_index JOIN articles a ON a.seq = search_index.rowid WHERE search_index MATCH ?1{conditions}"
                )
            };
            (from, format!("search_index.rowid, -bm25(search_index, {WEIGHTS})"))
        }
        Dialect::Postgres => {
            let mut matching = Vec::new();
            let mut score = String::from("CAST(0 AS double precision)");
            if !m.query.is_empty() {
                args.push(pg_expression(&m.query.clauses, all).into());
                let param = format!("CAST(CAST(?{} AS text) AS tsquery)", args.len());
                matching.push(format!("search_index.doc @@ {param}"));
                score = format!(
                    "CAST(ts_rank('{PG_WEIGHTS}', search_index.doc, {param}, 1) AS double precision)"
                );
            }
            if let Some(e) = m.entity {
                args.push(e.to_string().into());
                matching.push(format!("search_index.entities @> ARRAY[CAST(?{} AS text)]", args.len()));
            }
            let conditions = filters(dialect, q, &mut args);
            let from = format!(
                "search_index JOIN articles a ON a.seq = search_index.seq WHERE {}{conditions}",
                matching.join(" AND ")
            );
            (from, format!("search_index.seq, {score}"))
        }
    };
    let key = match dialect {
        Dialect::Sqlite => "search_index.rowid",
        Dialect::Postgres => "search_index.seq",
    };
    let params = crate::sql::params_of(&args);
    let sql = format!("SELECT {score} FROM {from} ORDER BY {key} DESC LIMIT {MAX_RANKED}");
    let mut ranked: Vec<(i64, f64)> = conn
        .query(&sql, &params)?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let total = if ranked.len() < MAX_RANKED {
        ranked.len() as u64
    } else {
        let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {from} LIMIT {MAX_COUNTED}) AS counted");
        conn.query_value::<i64>(&sql, &params)?.unwrap_or(0) as u64
    };
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    Ok((ranked, total))
}

/// Runs a search on a connection of either backend.
pub fn search(conn: &mut dyn Sql, q: &SearchQuery) -> Result<SearchResults, StoreError> {
    let languages = stored_languages(conn)?;
    let langs: Vec<&str> = languages.iter().map(String::as_str).collect();
    let query = Query::parse(&q.text, &langs);
    let entity = q.entity.as_deref().map(entity_term).filter(|t| !t.is_empty());
    if query.is_empty() && entity.is_none() {
        return Ok(SearchResults::default());
    }
    let m = Matching { query: &query, entity: entity.as_deref() };
    let (mut ranked, mut total) = rank(conn, q, &m, true)?;
    if total == 0 && query.clauses.len() > 1 {
        // No article has every word: rank those with any of them.
        (ranked, total) = rank(conn, q, &m, false)?;
    }
    let mut hits = Vec::new();
    for &(seq, score) in ranked.iter().skip(q.offset).take(q.limit) {
        let Some(crate::read::TextRow { id, title, text, source, published, language, story }) =
            crate::read::text_row(conn, seq)?
        else {
            continue;
        };
        let matcher = query.matcher();
        let (snippet, snippet_highlights) = matcher.snippet(&text, &language, SNIPPET_CHARS);
        let title_highlights = matcher.highlight(&title, &language);
        hits.push(SearchHit {
            id,
            title,
            source,
            published,
            language,
            story,
            score,
            snippet,
            snippet_highlights,
            title_highlights,
        });
    }
    Ok(SearchResults { total, hits })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_documents_keep_positions_and_weigh_the_title() {
        let terms = SearchTerms { title: "brug dicht".into(), body: "brug waal o'brien".into() };
        assert_eq!(pg_document(&terms), "'brug':1A,4 'dicht':2A 'o''brien':6 'waal':5");
        let long = SearchTerms { title: String::new(), body: "x ".repeat(20_000) };
        let doc = pg_document(&long);
        assert_eq!(doc.matches(',').count() + 1, PG_MAX_POSITIONS, "positions per term are capped");
        let query = pg_expression(
            &[
                Clause::Word(vec!["brug".into()]),
                Clause::Prefix("wa".into()),
                Clause::Phrase(vec![vec!["a".into(), "b".into()]]),
            ],
            true,
        );
        assert_eq!(query, "('brug') & 'wa':* & (('a' <-> 'b'))");
    }

    #[test]
    fn entity_keys_become_single_index_terms() {
        assert_eq!(entity_term("ryan-dillon"), "ryan-dillon");
        assert_eq!(entity_term("Sint Maarten's"), "sint-maarten-s");
        assert_eq!(entity_term("--"), "");
    }

    #[test]
    fn expressions_quote_every_term() {
        let q = Query::parse("konvooien \"strijders vertrokken\" raq*", &["nl"]);
        let e = expression(&q.clauses, " AND ");
        assert!(e.starts_with("(\"konvooi\") AND (\"strijder vertrok"), "{e}");
        assert!(e.ends_with(" AND \"raq\"*"), "{e}");
    }
}
