//! Full-text search in the SQLite store: an FTS5 table of pre-stemmed terms, written in the
//! article's own transaction, ranked with FTS5's BM25.
//!
//! The terms come from [`storyline_core::search`], so stemming, stopwords and highlighting are
//! the core's, not SQLite's: FTS5 only sees space-separated stems (and entity keys in a third
//! column, for the entity filter). The work per search is capped: only the
//! [`MAX_RANKED`] most recently stored matches are ranked, and matches are counted up to
//! [`MAX_COUNTED`], so a query for a word in every article costs as much as one for a word in
//! a few thousand.

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Transaction};
use serde::Deserialize;
use storyline_core::analyze::Analysis;
use storyline_core::ingest::prepare::SearchTerms;
use storyline_core::search::{Clause, Query};

use crate::{SearchHit, SearchQuery, SearchResults, StoreError};

/// Matches ranked per search: the most recently stored ones, when there are more.
pub const MAX_RANKED: usize = 2_000;

/// Matches counted per search ([`SearchResults::total`] stops here).
pub const MAX_COUNTED: u64 = 10_000;

/// Width of a hit's snippet in characters.
pub const SNIPPET_CHARS: usize = 220;

/// BM25 weights of the index columns: title, body, entity keys (a filter only).
const WEIGHTS: &str = "3.0, 1.0, 0.0";

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

fn insert(tx: &Transaction<'_>, seq: i64, terms: &SearchTerms, entities: &str) -> Result<(), StoreError> {
    tx.prepare_cached("INSERT INTO search_index (rowid, title, body, entities) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![seq, terms.title, terms.body, entities])?;
    Ok(())
}

/// Indexes a newly stored article (inside the ingest transaction) with the terms its
/// preparation stemmed.
pub fn index_article(
    tx: &Transaction<'_>,
    seq: i64,
    terms: &SearchTerms,
    analysis: &Analysis,
) -> Result<(), StoreError> {
    let entities = entity_terms(analysis.entities.iter().map(|e| e.key.as_str()));
    insert(tx, seq, terms, &entities)
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
        insert(tx, seq, &SearchTerms::from_text(&title, &text, &language), &entities)?;
        n += 1;
    }
    Ok(n)
}

/// The languages stored, by a skip scan of their index (a few seeks, whatever the store size).
fn stored_languages(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE l(x) AS (SELECT MIN(language) FROM articles \
           UNION ALL SELECT (SELECT MIN(language) FROM articles WHERE language > l.x) FROM l WHERE l.x IS NOT NULL) \
         SELECT x FROM l WHERE x IS NOT NULL LIMIT 64",
    )?;
    let langs = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(langs)
}

fn quoted(term: &str) -> String {
    // Terms are letters, digits and hyphens; quoting makes FTS5 take them literally.
    format!("\"{}\"", term.replace('"', ""))
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
fn filters(q: &SearchQuery, args: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    if let Some(source) = &q.source {
        args.push(source.clone().into());
        sql.push_str(&format!(" AND a.source = ?{} COLLATE NOCASE", args.len()));
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

/// Ranks the most recent matches of an FTS5 expression: `(seq, score)`, best first, and the
/// number of matches (counted up to [`MAX_COUNTED`]).
fn rank(conn: &Connection, q: &SearchQuery, expr: &str) -> Result<(Vec<(i64, f64)>, u64), StoreError> {
    let mut args: Vec<Value> = vec![expr.to_string().into()];
    let conditions = filters(q, &mut args);
    let from = if conditions.is_empty() {
        String::from("search_index WHERE search_index MATCH ?1")
    } else {
        format!("search_index JOIN articles a ON a.seq = search_index.rowid WHERE search_index MATCH ?1{conditions}")
    };
    let sql = format!(
        "SELECT search_index.rowid, -bm25(search_index, {WEIGHTS}) FROM {from} \
         ORDER BY search_index.rowid DESC LIMIT {MAX_RANKED}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut ranked: Vec<(i64, f64)> = stmt
        .query_map(params_from_iter(args.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let total = if ranked.len() < MAX_RANKED {
        ranked.len() as u64
    } else {
        let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {from} LIMIT {MAX_COUNTED})");
        let n: i64 = conn.prepare_cached(&sql)?.query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        n as u64
    };
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    Ok((ranked, total))
}

/// Runs a search on a connection holding the search index.
pub fn search(conn: &Connection, q: &SearchQuery) -> Result<SearchResults, StoreError> {
    let languages = stored_languages(conn)?;
    let langs: Vec<&str> = languages.iter().map(String::as_str).collect();
    let query = Query::parse(&q.text, &langs);
    let entity = q.entity.as_deref().map(entity_term).filter(|t| !t.is_empty());
    if query.is_empty() && entity.is_none() {
        return Ok(SearchResults::default());
    }
    let with_entity = |text: String| match (&entity, text.is_empty()) {
        (Some(e), true) => format!("{{entities}} : {}", quoted(e)),
        (Some(e), false) => format!("{{title body}} : ({text}) AND {{entities}} : {}", quoted(e)),
        (None, _) => format!("{{title body}} : ({text})"),
    };
    let (mut ranked, mut total) = rank(conn, q, &with_entity(expression(&query.clauses, " AND ")))?;
    if total == 0 && query.clauses.len() > 1 {
        // No article has every word: rank those with any of them.
        (ranked, total) = rank(conn, q, &with_entity(expression(&query.clauses, " OR ")))?;
    }
    let mut hits = Vec::new();
    let mut row = conn.prepare_cached(
        "SELECT id, title, text, source, published, language, story FROM articles WHERE seq = ?1",
    )?;
    for &(seq, score) in ranked.iter().skip(q.offset).take(q.limit) {
        type Row = (String, String, String, Option<String>, Option<String>, String, Option<i64>);
        let found: Option<Row> = row
            .query_row([seq], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
            })
            .optional()?;
        let Some((id, title, text, source, published, language, story)) = found else { continue };
        let published = crate::sqlite::published_from(published, &format!("article `{id}`"));
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
