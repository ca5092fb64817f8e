//! `Store::check` for both backends: every stored row read the way the listings read it,
//! the rows that do not read reported and, on request, repaired without losing what they held.

use rusqlite::params;
use storyline_core::analyze::analyze;
use storyline_core::dossier::ReportTerms;
use storyline_core::Published;

use crate::codec::{read_terms, Stored};
use crate::sql::Sql;
use crate::{CheckReport, RowProblem, StoreError};

/// What is wrong with one article row.
#[derive(Default)]
struct Damage {
    published: Option<String>,
    metadata: Option<String>,
    extra: Option<String>,
    analysis: Option<String>,
    terms: Option<String>,
}

impl Damage {
    fn any(&self) -> bool {
        self.published.is_some()
            || self.metadata.is_some()
            || self.extra.is_some()
            || self.analysis.is_some()
            || self.terms.is_some()
    }
}

fn json_map(s: Option<&str>) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    serde_json::from_str(s.unwrap_or("{}")).map_err(|e| e.to_string())
}

/// Checks (and with `repair`, fixes) every article, sighting and story row, inside the caller's
/// transaction.
pub fn check(tx: &mut dyn Sql, repair: bool) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    if repair {
        // What a repair rewrites (dates, analyses) the saved clusterer read before.
        tx.execute("DELETE FROM cluster_state", &[])?;
    }
    // Stories whose discrepancies are not known (a write always settles them before it
    // commits, so only a damaged or hand-edited store has one).
    let unknown: Vec<i64> = tx
        .query("SELECT id FROM stories WHERE discrepancies IS NULL ORDER BY id", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_, StoreError>>()?;
    for story in unknown {
        report.problems.push(RowProblem {
            row: format!("story {story}"),
            field: "discrepancies",
            message: "not known".into(),
            repaired: repair,
        });
    }
    // Articles: one pass reading the columns that are parsed after the read.
    type Row = (i64, String, String, String, String, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = tx
        .query(
            "SELECT seq, id, title, text, language, published, metadata, extra FROM articles ORDER BY seq",
            &[],
        )?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
        .collect::<Result<_, StoreError>>()?;
    for (seq, id, title, text, language, published, metadata, extra) in rows {
        report.articles += 1;
        let mut damage = Damage::default();
        let date = match published.as_deref().map(Published::parse) {
            Some(Err(e)) => {
                damage.published = Some(e.to_string());
                None
            }
            Some(Ok(p)) => Some(p),
            None => None,
        };
        let mut meta = match json_map(metadata.as_deref()) {
            Ok(m) => m,
            Err(e) => {
                damage.metadata = Some(e);
                serde_json::Map::new()
            }
        };
        let mut ext = match json_map(extra.as_deref()) {
            Ok(m) => m,
            Err(e) => {
                damage.extra = Some(e);
                serde_json::Map::new()
            }
        };
        let (analysis, terms) = tx
            .query_row("SELECT analysis, terms FROM analyses WHERE article_seq = ?1", params![seq])?
            .map(|r| {
                let a = Stored::from_value(r.value(0))
                    .map_err(|e| e.to_string())
                    .and_then(|s| s.map(|s| s.decode().map(|_| ()).map_err(|e| e.to_string())).transpose());
                let t = read_terms(r.value(1)).map(|_| ()).map_err(|e| e.to_string());
                (a.err(), t.err())
            })
            .unwrap_or((None, None));
        damage.analysis = analysis;
        damage.terms = terms;
        if !damage.any() {
            continue;
        }
        let row = format!("article `{id}`");
        let mut note = |field: &'static str, message: &Option<String>| {
            if let Some(m) = message {
                report.problems.push(RowProblem {
                    row: row.clone(),
                    field,
                    message: m.clone(),
                    repaired: repair,
                });
            }
        };
        note("published", &damage.published);
        note("metadata", &damage.metadata);
        note("extra", &damage.extra);
        note("analysis", &damage.analysis);
        note("terms", &damage.terms);
        if !repair {
            continue;
        }
        // Nothing the row held is thrown away: what does not read is kept as text beside it.
        if let Some(raw) = damage.published.is_some().then_some(published).flatten() {
            meta.insert("published_raw".into(), raw.into());
        }
        if let Some(raw) = damage.metadata.is_some().then_some(metadata).flatten() {
            meta.insert("metadata_raw".into(), raw.into());
        }
        if let Some(raw) = damage.extra.is_some().then_some(extra).flatten() {
            ext.insert("extra_raw".into(), raw.into());
        }
        let meta_json = serde_json::to_string(&meta).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let ext_json = serde_json::to_string(&ext).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.execute(
            "UPDATE articles SET published = ?2, published_unix = ?3, metadata = ?4, extra = ?5 WHERE seq = ?1",
            params![seq, date.map(|p| p.to_string()), date.map(|p| p.unix), meta_json, ext_json],
        )?;
        if damage.analysis.is_some() || damage.terms.is_some() {
            // Analysed again from the stored text, as an ingest would.
            let mut analysis = analyze(&text, &language, date);
            let article = crate::stories::stored_article(id.clone(), title, text, None, date, language);
            let terms = ReportTerms::of(&article, &analysis);
            analysis.strip_sentence_text();
            tx.execute(
                "UPDATE analyses SET analysis = ?2, terms = ?3 WHERE article_seq = ?1",
                params![seq, crate::codec::encode(&analysis), crate::codec::encode_terms(&terms)],
            )?;
            // Its figures are read again with its story's.
            tx.execute(
                "UPDATE stories SET discrepancies = NULL WHERE id = (SELECT story FROM articles WHERE seq = ?1)",
                params![seq],
            )?;
        }
    }
    // Sightings' dates.
    type Sighting = (String, String, String, String);
    let bad: Vec<Sighting> = tx
        .query("SELECT article_id, source, url, published FROM sightings WHERE published IS NOT NULL", &[])?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .collect::<Result<Vec<Sighting>, StoreError>>()?
        .into_iter()
        .filter(|(_, _, _, p)| Published::parse(p).is_err())
        .collect();
    for (id, source, url, published) in bad {
        let message = Published::parse(&published).err().map(|e| e.to_string()).unwrap_or_default();
        report.problems.push(RowProblem {
            row: format!("a sighting of article `{id}`"),
            field: "published",
            message,
            repaired: repair,
        });
        if repair {
            tx.execute(
                "UPDATE sightings SET published = NULL WHERE article_id = ?1 AND source = ?2 AND url = ?3",
                params![id, source, url],
            )?;
        }
    }
    // Stories: their first and last dates are drawn again from their reports.
    let stories: Vec<(i64, Option<String>, Option<String>)> = tx
        .query("SELECT id, first_published_text, last_published_text FROM stories", &[])?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .collect::<Result<_, StoreError>>()?;
    for (story, first, last) in stories {
        report.stories += 1;
        let bad: Vec<String> = [first, last]
            .into_iter()
            .flatten()
            .filter_map(|p| Published::parse(&p).err().map(|e| e.to_string()))
            .collect();
        if bad.is_empty() {
            continue;
        }
        report.problems.push(RowProblem {
            row: format!("story {story}"),
            field: "published",
            message: bad.join("; "),
            repaired: repair,
        });
        if repair {
            tx.execute(
                "UPDATE stories SET \
                   first_published = (SELECT MIN(published_unix) FROM articles WHERE story = ?1), \
                   first_published_text = (SELECT published FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
                     ORDER BY published_unix, seq LIMIT 1), \
                   last_published = (SELECT MAX(published_unix) FROM articles WHERE story = ?1), \
                   last_published_text = (SELECT published FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
                     ORDER BY published_unix DESC, seq DESC LIMIT 1) \
                 WHERE id = ?1",
                params![story],
            )?;
        }
    }
    if repair {
        crate::stories::settle(tx)?;
    }
    Ok(report)
}
