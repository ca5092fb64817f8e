//! An editor's corrections: stories merged or split, a report moved, pinned to its story or
//! kept out of it, an article's date, outlet or language set, and any of these undone.
//!
//! Each correction is stored as an event (`corrections`: time, author, what was asked and what
//! it found, so it can be shown in a story's history and undone) and carried out in the same
//! transaction. What it fixes is kept as *pinned groups* (`pins`): the reports an editor put
//! together. The clusterer treats them as fixed (see
//! [`storyline_core::cluster::Clusterer::assign_pinned`]): a group's reports stay in one story
//! through `recluster`, no report of another group joins that story, and two stories holding
//! groups are never merged by the machine. The groups are drawn again from the events that
//! stand (not undone) after every correction, so an undo takes back exactly what it undoes.
//!
//! A story's id is the sequence number of one of its reports (the one it started with), which
//! is what lets an old story id lead to the story now holding that report. Corrections keep
//! this: a story that loses the report it is named after is renamed after its earliest
//! remaining one.

use std::collections::{BTreeSet, HashMap};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use storyline_core::analyze::analyze;
use storyline_core::dossier::ReportTerms;
use storyline_core::ingest::prepare::SearchTerms;
use storyline_core::Published;

use crate::sql::{params_of, placeholders, Sql};
use crate::StoreError;

/// What an editor asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Correction {
    /// Story `story` is the same story as `into`: all its reports move there.
    Merge {
        /// The story that goes.
        story: i64,
        /// The story that stays.
        into: i64,
    },
    /// Some reports of `story` are another story: they move into a new one.
    Split {
        /// The story split.
        story: i64,
        /// The ids of the reports that move (not all of them).
        articles: Vec<String>,
    },
    /// One report belongs to story `to`.
    Move {
        /// The report's article id.
        article: String,
        /// The story it moves to.
        to: i64,
    },
    /// A report belongs where it is: the machine never moves it.
    Pin {
        /// The report's article id.
        article: String,
    },
    /// A report does not belong to its story: it leaves it for a story of its own, and never
    /// rejoins it.
    KeepOut {
        /// The report's article id.
        article: String,
    },
    /// An article's date, outlet or language, as the editor knows them.
    Set {
        /// The article id.
        article: String,
        /// Its publication date at its precision (`2017-11-14`, `2017-11`, a full time).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        published: Option<String>,
        /// Its outlet.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        /// Its language code (`nl`, `en`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<String>,
    },
    /// Takes back correction `correction`.
    Undo {
        /// The correction's number.
        correction: i64,
    },
}

/// One field a [`Correction::Set`] changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// `published`, `source` or `language`.
    pub field: String,
    /// The value before.
    pub before: Option<String>,
    /// The value set.
    pub after: Option<String>,
}

/// What a correction did, with what an undo needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Detail {
    /// Story `story` merged into `into`.
    Merge {
        /// The story that went.
        story: i64,
        /// The story that stayed.
        into: i64,
        /// The reports of the story that went.
        moved: Vec<String>,
        /// The reports of the story that stayed.
        kept: Vec<String>,
    },
    /// Reports of `story` moved into `new_story`.
    Split {
        /// The story split (as numbered before).
        story: i64,
        /// The new story.
        new_story: i64,
        /// The reports that moved.
        moved: Vec<String>,
        /// The reports that stayed.
        kept: Vec<String>,
    },
    /// A report moved from one story to another.
    Move {
        /// The report.
        article: String,
        /// The story it left.
        from: i64,
        /// A report still in the story it left (none when it was alone there).
        left_with: Option<String>,
        /// The story it joined.
        to: i64,
        /// The report the story it joined is named after.
        to_anchor: String,
        /// The reports of the story it joined, before it came.
        joined: Vec<String>,
    },
    /// A report pinned to its story.
    Pin {
        /// The report.
        article: String,
        /// Its story.
        story: i64,
        /// The report its story is named after.
        anchor: String,
        /// The story's other reports.
        with: Vec<String>,
    },
    /// A report kept out of its story.
    KeepOut {
        /// The report.
        article: String,
        /// The story it left.
        from: i64,
        /// A report still in that story.
        left_with: String,
        /// Every report still in that story.
        rest: Vec<String>,
        /// The story of its own.
        new_story: i64,
    },
    /// An article's fields set.
    Set {
        /// The article.
        article: String,
        /// What changed.
        changes: Vec<FieldChange>,
    },
    /// A correction taken back.
    Undo {
        /// The correction's number.
        correction: i64,
    },
}

impl Detail {
    /// The action's name (`merge`, `split`, `move`, `pin`, `keep_out`, `set`, `undo`).
    pub fn action(&self) -> &'static str {
        match self {
            Detail::Merge { .. } => "merge",
            Detail::Split { .. } => "split",
            Detail::Move { .. } => "move",
            Detail::Pin { .. } => "pin",
            Detail::KeepOut { .. } => "keep_out",
            Detail::Set { .. } => "set",
            Detail::Undo { .. } => "undo",
        }
    }
}

/// One stored correction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrectionEvent {
    /// Its number.
    pub id: i64,
    /// When it was made (seconds since the epoch).
    pub at: i64,
    /// Who made it.
    pub author: String,
    /// One line saying what it did.
    pub summary: String,
    /// What it did.
    pub detail: Detail,
    /// The correction that took it back, if one did.
    pub undone_by: Option<i64>,
}

impl CorrectionEvent {
    /// The action's name (`merge`, `split`, `move`, `pin`, `keep_out`, `set`, `undo`).
    pub fn action(&self) -> &'static str {
        self.detail.action()
    }

    /// The articles the event concerns (what links it to a story's and an article's history).
    fn articles(&self) -> Vec<String> {
        let mut out: Vec<String> = match &self.detail {
            Detail::Merge { moved, kept, .. } | Detail::Split { moved, kept, .. } => {
                moved.iter().chain(kept).cloned().collect()
            }
            Detail::Move { article, left_with, to_anchor, .. } => {
                [Some(article.clone()), left_with.clone(), Some(to_anchor.clone())]
                    .into_iter()
                    .flatten()
                    .collect()
            }
            Detail::Pin { article, anchor, .. } => vec![article.clone(), anchor.clone()],
            Detail::KeepOut { article, left_with, .. } => vec![article.clone(), left_with.clone()],
            Detail::Set { article, .. } => vec![article.clone()],
            Detail::Undo { .. } => Vec::new(),
        };
        out.sort();
        out.dedup();
        out
    }
}

/// Which corrections to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CorrectionFilter {
    /// Only those concerning a report now in this story (its history).
    pub story: Option<i64>,
    /// Only those concerning this article.
    pub article: Option<String>,
    /// At most this many, newest first.
    pub limit: Option<usize>,
}

/// A correction that cannot be carried out, and why.
fn refused(message: impl Into<String>) -> StoreError {
    StoreError::Refused(message.into())
}

/// The newest correction's number (0 when there is none): a writer's clusterer rebuilds
/// itself when this moved since it was built.
pub fn latest(tx: &mut dyn Sql) -> Result<i64, StoreError> {
    Ok(tx.query_value("SELECT COALESCE(MAX(id), 0) FROM corrections", &[])?.unwrap_or(0))
}

/// The pinned group of every pinned article, by sequence number.
pub fn pins(tx: &mut dyn Sql) -> Result<HashMap<i64, i64>, StoreError> {
    tx.query("SELECT a.seq, p.grp FROM pins p JOIN articles a ON a.id = p.article_id", &[])?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect()
}

/// Every story holding pinned reports, with its group.
pub fn bound_stories(tx: &mut dyn Sql) -> Result<Vec<(i64, i64)>, StoreError> {
    tx.query(
        "SELECT DISTINCT a.story, p.grp FROM pins p JOIN articles a ON a.id = p.article_id \
         WHERE a.story IS NOT NULL ORDER BY a.story",
        &[],
    )?
    .iter()
    .map(|r| Ok((r.get(0)?, r.get(1)?)))
    .collect()
}

/// Carries out a correction inside the caller's transaction and stores it as an event.
pub fn apply(tx: &mut dyn Sql, correction: &Correction, author: &str) -> Result<CorrectionEvent, StoreError> {
    let author = author.trim();
    if author.is_empty() {
        return Err(refused("a correction needs an author's name"));
    }
    let (detail, summary) = match correction {
        Correction::Merge { story, into } => merge(tx, *story, *into)?,
        Correction::Split { story, articles } => split(tx, *story, articles)?,
        Correction::Move { article, to } => move_report(tx, article, *to)?,
        Correction::Pin { article } => pin(tx, article)?,
        Correction::KeepOut { article } => keep_out(tx, article)?,
        Correction::Set { article, published, source, language } => {
            set(tx, article, published.as_deref(), source.as_deref(), language.as_deref())?
        }
        Correction::Undo { correction } => return undo(tx, *correction, author),
    };
    let event = store_event(tx, author, detail, summary)?;
    derive_pins(tx)?;
    // The discrepancies of the stories it changed.
    crate::stories::settle(tx)?;
    Ok(event)
}

/// Stores an event and links it to the articles it concerns.
fn store_event(
    tx: &mut dyn Sql,
    author: &str,
    detail: Detail,
    summary: String,
) -> Result<CorrectionEvent, StoreError> {
    let at = crate::write::now();
    let json = serde_json::to_string(&detail).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id: i64 = tx
        .query_value(
            "INSERT INTO corrections (at, author, action, summary, detail) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            params![at, author, detail.action(), summary, json],
        )?
        .ok_or_else(|| StoreError::Database("a stored correction got no number".into()))?;
    let event = CorrectionEvent { id, at, author: author.to_string(), summary, detail, undone_by: None };
    let mut articles = event.articles();
    if let Detail::Undo { correction } = event.detail {
        if let Some(undone) = by_id(tx, correction)? {
            articles = undone.articles();
        }
    }
    for id in &articles {
        tx.execute(
            "INSERT INTO correction_articles (article_id, correction) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![id, event.id],
        )?;
    }
    Ok(event)
}

/// Reads an event row: `id, at, author, summary, detail, undone_by`.
fn event_of(r: &crate::sql::Row) -> Result<CorrectionEvent, StoreError> {
    let json: String = r.get(4)?;
    let detail: Detail = serde_json::from_str(&json)
        .map_err(|e| StoreError::Corrupt(format!("correction {}: {e}", r.get::<i64>(0).unwrap_or(0))))?;
    Ok(CorrectionEvent {
        id: r.get(0)?,
        at: r.get(1)?,
        author: r.get(2)?,
        summary: r.get(3)?,
        detail,
        undone_by: r.get(5)?,
    })
}

const EVENT_COLUMNS: &str = "c.id, c.at, c.author, c.summary, c.detail, c.undone_by";

fn by_id(tx: &mut dyn Sql, id: i64) -> Result<Option<CorrectionEvent>, StoreError> {
    tx.query_row(&format!("SELECT {EVENT_COLUMNS} FROM corrections c WHERE c.id = ?1"), params![id])?
        .map(|r| event_of(&r))
        .transpose()
}

/// The corrections a filter asks for, newest first.
pub fn list(tx: &mut dyn Sql, filter: &CorrectionFilter) -> Result<Vec<CorrectionEvent>, StoreError> {
    let limit = limit_value(tx, filter.limit.map_or(-1, |l| l as i64));
    let rows = match (&filter.story, &filter.article) {
        (Some(story), _) => tx.query(
            &format!(
                // Read from the (small) links, one article lookup each: a story of many reports
                // is not scanned.
                "SELECT {EVENT_COLUMNS} FROM corrections c WHERE c.id IN (SELECT ca.correction FROM correction_articles ca \
                 WHERE (SELECT a.story FROM articles a WHERE a.id = ca.article_id) = ?1) ORDER BY c.id DESC LIMIT ?2"
            ),
            params![story, limit],
        )?,
        (None, Some(article)) => tx.query(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM corrections c WHERE c.id IN (SELECT correction FROM correction_articles \
                 WHERE article_id = ?1) ORDER BY c.id DESC LIMIT ?2"
            ),
            params![article, limit],
        )?,
        (None, None) => tx.query(
            &format!("SELECT {EVENT_COLUMNS} FROM corrections c ORDER BY c.id DESC LIMIT ?1"),
            params![limit],
        )?,
    };
    rows.iter().map(event_of).collect()
}

/// A `LIMIT` value: SQLite reads -1 as no limit, PostgreSQL wants a large number.
fn limit_value(tx: &mut dyn Sql, limit: i64) -> i64 {
    match (tx.dialect(), limit) {
        (crate::sql::Dialect::Postgres, l) if l < 0 => i64::MAX,
        (_, l) => l,
    }
}

/// The article `id` (a full id): its sequence number and story.
fn report(tx: &mut dyn Sql, id: &str) -> Result<(i64, i64), StoreError> {
    let row = tx
        .query_row("SELECT seq, story FROM articles WHERE id = ?1", params![id])?
        .ok_or_else(|| refused(format!("no article `{id}`")))?;
    let story: Option<i64> = row.get(1)?;
    Ok((row.get(0)?, story.ok_or_else(|| refused(format!("article `{id}` has no story yet")))?))
}

/// The story `id` now is (following a merge), refused when there is none.
fn story(tx: &mut dyn Sql, id: i64) -> Result<i64, StoreError> {
    if tx.query_row("SELECT 1 FROM stories WHERE id = ?1", params![id])?.is_some() {
        return Ok(id);
    }
    crate::stories::resolve_story(tx, id)?.ok_or_else(|| refused(format!("no story {id}")))
}

/// A story's reports: (seq, id), in sequence order.
fn members(tx: &mut dyn Sql, story: i64) -> Result<Vec<(i64, String)>, StoreError> {
    tx.query("SELECT seq, id FROM articles WHERE story = ?1 ORDER BY seq", params![story])?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect()
}

/// The id of the article a story is named after.
fn anchor(tx: &mut dyn Sql, story: i64) -> Result<String, StoreError> {
    tx.query_value("SELECT id FROM articles WHERE seq = ?1", params![story])?
        .ok_or_else(|| StoreError::Database(format!("story {story} has no first report")))
}

/// Where [`place`] puts reports.
#[derive(Clone, Copy)]
enum Target {
    /// Into this story.
    Story(i64),
    /// Into a new story of their own.
    New,
}

/// Moves reports (`seqs`, none of them already in the target story) and brings every story it
/// touched up to date; returns the story they are now in.
fn place(tx: &mut dyn Sql, seqs: &[i64], target: Target) -> Result<i64, StoreError> {
    if seqs.is_empty() {
        return Err(refused("no report to move"));
    }
    let mut left: BTreeSet<i64> = BTreeSet::new();
    // In parts: a statement takes a bounded number of parameters.
    for part in seqs.chunks(500) {
        let list = placeholders(part.len());
        for r in tx.query(
            &format!("SELECT DISTINCT story FROM articles WHERE seq IN ({list}) AND story IS NOT NULL"),
            &params_of(part),
        )? {
            left.insert(r.get(0)?);
        }
        // Set apart first, so no story id is taken twice while the stories they left are
        // renamed.
        tx.execute(&format!("UPDATE articles SET story = -1 WHERE seq IN ({list})"), &params_of(part))?;
    }
    for s in left {
        settle(tx, s)?;
    }
    let into = match target {
        Target::Story(s) => s,
        Target::New => *seqs.iter().min().expect("not empty"),
    };
    tx.execute("UPDATE articles SET story = ?1 WHERE story = -1", params![into])?;
    recount(tx, into)?;
    Ok(into)
}

/// Brings story `s` up to date after reports left it: gone when empty, renamed after its
/// earliest remaining report when the one it was named after left, its summary drawn again.
fn settle(tx: &mut dyn Sql, s: i64) -> Result<(), StoreError> {
    let first: Option<i64> = tx.query_value("SELECT MIN(seq) FROM articles WHERE story = ?1", params![s])?;
    let Some(first) = first else {
        tx.execute("DELETE FROM stories WHERE id = ?1", params![s])?;
        return Ok(());
    };
    let named_after_member =
        tx.query_row("SELECT 1 FROM articles WHERE seq = ?1 AND story = ?1", params![s])?.is_some();
    if named_after_member {
        return recount(tx, s);
    }
    tx.execute("DELETE FROM stories WHERE id = ?1", params![s])?;
    tx.execute("UPDATE articles SET story = ?1 WHERE story = ?2", params![first, s])?;
    recount(tx, first)
}

/// Draws story `s`'s summary row again from its reports.
fn recount(tx: &mut dyn Sql, s: i64) -> Result<(), StoreError> {
    tx.execute("DELETE FROM stories WHERE id = ?1", params![s])?;
    tx.execute(
        "INSERT INTO stories (id, title, articles, first_published, first_published_text, \
         last_published, last_published_text, last_seq) \
         SELECT CAST(?1 AS BIGINT), (SELECT title FROM articles WHERE seq = ?1), COUNT(*), \
           (SELECT published_unix FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
             ORDER BY published_unix, seq LIMIT 1), \
           (SELECT published FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
             ORDER BY published_unix, seq LIMIT 1), \
           (SELECT published_unix FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
             ORDER BY published_unix DESC, seq DESC LIMIT 1), \
           (SELECT published FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
             ORDER BY published_unix DESC, seq DESC LIMIT 1), \
           MAX(seq) \
         FROM articles WHERE story = ?1 HAVING COUNT(*) > 0",
        params![s],
    )?;
    Ok(())
}

/// An article's title in quotes, shortened, for a summary line.
fn title(tx: &mut dyn Sql, seq: i64) -> Result<String, StoreError> {
    let t: String =
        tx.query_value("SELECT title FROM articles WHERE seq = ?1", params![seq])?.unwrap_or_default();
    let short: String = t.chars().take(60).collect();
    Ok(if short.len() < t.len() { format!("“{}…”", short.trim_end()) } else { format!("“{t}”") })
}

/// A field's name in a summary line.
fn label(field: &str) -> &str {
    match field {
        "published" => "date",
        "source" => "outlet",
        other => other,
    }
}

fn ids(list: &[(i64, String)]) -> Vec<String> {
    list.iter().map(|(_, id)| id.clone()).collect()
}

fn reports(n: usize) -> String {
    if n == 1 {
        "1 report".into()
    } else {
        format!("{n} reports")
    }
}

fn merge(tx: &mut dyn Sql, from: i64, into: i64) -> Result<(Detail, String), StoreError> {
    let (from, into) = (story(tx, from)?, story(tx, into)?);
    if from == into {
        return Err(refused(format!("story {from} and story {into} are one story already")));
    }
    let moved = members(tx, from)?;
    let kept = members(tx, into)?;
    crate::stories::merge(tx, from, into)?;
    let summary = format!("merged story {from} ({}) into story {into}", reports(moved.len()));
    Ok((Detail::Merge { story: from, into, moved: ids(&moved), kept: ids(&kept) }, summary))
}

fn split(tx: &mut dyn Sql, s: i64, articles: &[String]) -> Result<(Detail, String), StoreError> {
    let s = story(tx, s)?;
    let all = members(tx, s)?;
    let chosen: BTreeSet<&str> = articles.iter().map(String::as_str).collect();
    if chosen.is_empty() {
        return Err(refused("a split needs the reports that move"));
    }
    for id in &chosen {
        if !all.iter().any(|(_, m)| m == id) {
            return Err(refused(format!("article `{id}` is not a report of story {s}")));
        }
    }
    let (moved, kept): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, id)| chosen.contains(id.as_str()));
    if kept.is_empty() {
        return Err(refused(format!("a split must leave story {s} at least one report")));
    }
    let seqs: Vec<i64> = moved.iter().map(|(seq, _)| *seq).collect();
    let new_story = place(tx, &seqs, Target::New)?;
    let rest: i64 = tx
        .query_value("SELECT story FROM articles WHERE seq = ?1", params![kept[0].0])?
        .ok_or_else(|| StoreError::Database("a report lost its story".into()))?;
    let summary = if rest == s {
        format!("split {} out of story {s} into story {new_story}", reports(moved.len()))
    } else {
        // The report the story was named after moved: the rest take their earliest one's number.
        format!(
            "split story {s} in two: {} as story {new_story}, the other {} as story {rest}",
            reports(moved.len()),
            reports(kept.len())
        )
    };
    Ok((Detail::Split { story: s, new_story, moved: ids(&moved), kept: ids(&kept) }, summary))
}

fn move_report(tx: &mut dyn Sql, article: &str, to: i64) -> Result<(Detail, String), StoreError> {
    let (seq, from) = report(tx, article)?;
    let to = story(tx, to)?;
    if from == to {
        return Err(refused(format!("article `{article}` is in story {to} already")));
    }
    let to_anchor = anchor(tx, to)?;
    let joined = ids(&members(tx, to)?);
    // A report still in the story it leaves names that story for an undo (the story is renamed
    // when it was named after this report).
    let left_with = members(tx, from)?.into_iter().find(|(s, _)| *s != seq).map(|(_, id)| id);
    let to = place(tx, &[seq], Target::Story(to))?;
    let summary = format!("moved {} from story {from} to story {to}", title(tx, seq)?);
    Ok((Detail::Move { article: article.to_string(), from, left_with, to, to_anchor, joined }, summary))
}

fn pin(tx: &mut dyn Sql, article: &str) -> Result<(Detail, String), StoreError> {
    let (seq, s) = report(tx, article)?;
    let anchor = anchor(tx, s)?;
    let with: Vec<String> = ids(&members(tx, s)?).into_iter().filter(|id| id != article).collect();
    let summary = format!("pinned {} to story {s}", title(tx, seq)?);
    Ok((Detail::Pin { article: article.to_string(), story: s, anchor, with }, summary))
}

fn keep_out(tx: &mut dyn Sql, article: &str) -> Result<(Detail, String), StoreError> {
    let (seq, from) = report(tx, article)?;
    let others: Vec<(i64, String)> = members(tx, from)?.into_iter().filter(|(s, _)| *s != seq).collect();
    let Some((first_other, _)) = others.first().cloned() else {
        return Err(refused(format!("article `{article}` is the only report of story {from}")));
    };
    let new_story = place(tx, &[seq], Target::New)?;
    // The story it left is named by a report still in it (renamed if it was named after this one).
    let left: i64 = tx
        .query_value("SELECT story FROM articles WHERE seq = ?1", params![first_other])?
        .ok_or_else(|| StoreError::Database("a report lost its story".into()))?;
    let left_with = anchor(tx, left)?;
    let summary = format!("kept {} out of story {from} (now story {new_story})", title(tx, seq)?);
    Ok((
        Detail::KeepOut { article: article.to_string(), from, left_with, rest: ids(&others), new_story },
        summary,
    ))
}

/// Sets an article's fields; returns what changed. A new date or language analyses the text
/// again (dates in the text are read relative to the publication date), and every changed
/// field updates the search index and the story's dates.
fn set(
    tx: &mut dyn Sql,
    article: &str,
    published: Option<&str>,
    source: Option<&str>,
    language: Option<&str>,
) -> Result<(Detail, String), StoreError> {
    if published.is_none() && source.is_none() && language.is_none() {
        return Err(refused("nothing to set: give a date, an outlet or a language"));
    }
    let published = published
        .map(|p| Published::parse(p.trim()).map_err(|e| refused(format!("date `{p}`: {e}"))))
        .transpose()?;
    if let Some(source) = source {
        if source.trim().is_empty() {
            return Err(refused("an outlet's name cannot be empty"));
        }
    }
    if let Some(language) = language {
        let ok = (2..=3).contains(&language.len()) && language.chars().all(|c| c.is_ascii_lowercase());
        if !ok {
            return Err(refused(format!(
                "language `{language}` is not a two- or three-letter code such as `nl`"
            )));
        }
    }
    let row = tx
        .query_row("SELECT seq, published, source, language FROM articles WHERE id = ?1", params![article])?
        .ok_or_else(|| refused(format!("no article `{article}`")))?;
    let (seq, old_published, old_source, old_language): (i64, Option<String>, Option<String>, String) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
    let mut changes = Vec::new();
    if let Some(p) = published {
        let after = p.to_string();
        if old_published.as_deref() != Some(after.as_str()) {
            changes.push(FieldChange {
                field: "published".into(),
                before: old_published,
                after: Some(after),
            });
        }
    }
    if let Some(s) = source {
        let after = s.trim().to_string();
        if old_source.as_deref() != Some(after.as_str()) {
            changes.push(FieldChange { field: "source".into(), before: old_source, after: Some(after) });
        }
    }
    if let Some(l) = language {
        if old_language != l {
            changes.push(FieldChange {
                field: "language".into(),
                before: Some(old_language),
                after: Some(l.into()),
            });
        }
    }
    if changes.is_empty() {
        return Err(refused(format!("article `{article}` already has these values")));
    }
    write_fields(tx, seq, &changes)?;
    let fields: Vec<String> = changes
        .iter()
        .map(|c| format!("{} to {}", label(&c.field), c.after.as_deref().unwrap_or("none")))
        .collect();
    let summary = format!("set the {} of {}", fields.join(", "), title(tx, seq)?);
    Ok((Detail::Set { article: article.to_string(), changes }, summary))
}

/// Writes changed fields (their `after` values) to article `seq`, with what follows from them.
fn write_fields(tx: &mut dyn Sql, seq: i64, changes: &[FieldChange]) -> Result<(), StoreError> {
    let mut reanalyse = false;
    for c in changes {
        match c.field.as_str() {
            "published" => {
                let p = c
                    .after
                    .as_deref()
                    .map(Published::parse)
                    .transpose()
                    .map_err(|e| refused(e.to_string()))?;
                tx.execute(
                    "UPDATE articles SET published = ?2, published_unix = ?3 WHERE seq = ?1",
                    params![seq, p.map(|p| p.to_string()), p.map(|p| p.unix)],
                )?;
                reanalyse = true;
            }
            "source" => {
                tx.execute("UPDATE articles SET source = ?2 WHERE seq = ?1", params![seq, c.after])?;
            }
            "language" => {
                let language = c.after.clone().unwrap_or_default();
                tx.execute(
                    "UPDATE articles SET language = ?2, language_confidence = 1.0, language_declared = ?3 WHERE seq = ?1",
                    params![seq, language, true],
                )?;
                reanalyse = true;
            }
            other => {
                return Err(StoreError::Corrupt(format!("a correction names an unknown field `{other}`")))
            }
        }
    }
    let crate::read::TextRow { id, title, text, source, published, language, story } =
        crate::read::text_row(tx, seq)?
            .ok_or_else(|| StoreError::Database(format!("article {seq} vanished during a correction")))?;
    if reanalyse {
        let mut analysis = analyze(&text, &language, published);
        let article = crate::stories::stored_article(id, title, text, source, published, language);
        let terms = ReportTerms::of(&article, &analysis);
        let search = SearchTerms::of(&article);
        crate::search::unindex_article(tx, seq)?;
        crate::search::index_article(tx, seq, &search, &analysis)?;
        analysis.strip_sentence_text();
        tx.execute(
            "UPDATE analyses SET analysis = ?2, terms = ?3 WHERE article_seq = ?1",
            params![seq, crate::codec::encode(&analysis), crate::codec::encode_terms(&terms)],
        )?;
    }
    if let Some(story) = story {
        recount(tx, story)?;
    }
    Ok(())
}

/// Applies the stored article's standing [`Correction::Set`] values again (after a revision
/// replaced the row's date or language).
pub fn reapply_fields(tx: &mut dyn Sql, seq: i64, id: &str) -> Result<(), StoreError> {
    let events =
        list(tx, &CorrectionFilter { article: Some(id.to_string()), ..CorrectionFilter::default() })?;
    let mut latest: HashMap<String, FieldChange> = HashMap::new();
    // Oldest first, so the newest value of a field wins.
    for e in events.iter().rev().filter(|e| e.undone_by.is_none()) {
        if let Detail::Set { article, changes } = &e.detail {
            if article == id {
                for c in changes {
                    latest.insert(c.field.clone(), c.clone());
                }
            }
        }
    }
    if latest.is_empty() {
        return Ok(());
    }
    let mut changes: Vec<FieldChange> = latest.into_values().collect();
    changes.sort_by(|a, b| a.field.cmp(&b.field));
    write_fields(tx, seq, &changes)
}

fn undo(tx: &mut dyn Sql, id: i64, author: &str) -> Result<CorrectionEvent, StoreError> {
    let event = by_id(tx, id)?.ok_or_else(|| refused(format!("no correction {id}")))?;
    if let Some(by) = event.undone_by {
        return Err(refused(format!("correction {id} was undone already (by correction {by})")));
    }
    if matches!(event.detail, Detail::Undo { .. }) {
        return Err(refused(format!("correction {id} is an undo; make the correction again instead")));
    }
    let summary = format!("undid correction {id} ({})", event.summary);
    // The event stops counting first, so the groups drawn below no longer hold what it fixed.
    let stored = store_event(tx, author, Detail::Undo { correction: id }, summary)?;
    tx.execute("UPDATE corrections SET undone_by = ?2 WHERE id = ?1", params![id, stored.id])?;
    let seq_of = |tx: &mut dyn Sql, article: &str| crate::stories::seq_of(tx, article);
    match &event.detail {
        Detail::Merge { moved, .. } => {
            // The reports that came from the merged story, where they still are together with
            // the others, go back to a story of their own.
            let mut seqs = Vec::new();
            let mut stories = BTreeSet::new();
            for a in moved {
                if let Some(seq) = seq_of(tx, a)? {
                    seqs.push(seq);
                    stories.insert(report(tx, a)?.1);
                }
            }
            let whole =
                stories.len() == 1 && members(tx, *stories.iter().next().expect("one"))?.len() == seqs.len();
            if !seqs.is_empty() && !whole {
                place(tx, &seqs, Target::New)?;
            }
        }
        Detail::Split { moved, kept, .. } => {
            let mut back = None;
            for k in kept {
                if seq_of(tx, k)?.is_some() {
                    back = Some(report(tx, k)?.1);
                    break;
                }
            }
            if let Some(back) = back {
                let mut seqs = Vec::new();
                for a in moved {
                    if let Some(seq) = seq_of(tx, a)? {
                        if report(tx, a)?.1 != back {
                            seqs.push(seq);
                        }
                    }
                }
                if !seqs.is_empty() {
                    place(tx, &seqs, Target::Story(back))?;
                }
            }
        }
        Detail::Move { article, left_with, .. } => {
            if let Some(seq) = seq_of(tx, article)? {
                let (_, now) = report(tx, article)?;
                match left_with {
                    Some(other) if seq_of(tx, other)?.is_some() => {
                        let (_, back) = report(tx, other)?;
                        if back != now {
                            place(tx, &[seq], Target::Story(back))?;
                        }
                    }
                    _ => {
                        if members(tx, now)?.len() > 1 {
                            place(tx, &[seq], Target::New)?;
                        }
                    }
                }
            }
        }
        Detail::KeepOut { article, left_with, .. } => {
            if let (Some(seq), Some(_)) = (seq_of(tx, article)?, seq_of(tx, left_with)?) {
                let (_, now) = report(tx, article)?;
                let (_, back) = report(tx, left_with)?;
                if back != now {
                    place(tx, &[seq], Target::Story(back))?;
                }
            }
        }
        Detail::Pin { .. } => {}
        Detail::Set { article, changes } => {
            if let Some(seq) = seq_of(tx, article)? {
                let back: Vec<FieldChange> = changes
                    .iter()
                    .map(|c| FieldChange {
                        field: c.field.clone(),
                        before: c.after.clone(),
                        after: c.before.clone(),
                    })
                    .collect();
                write_fields(tx, seq, &back)?;
                // A standing later correction of the same field keeps its value.
                reapply_fields(tx, seq, article)?;
            }
        }
        Detail::Undo { .. } => unreachable!("refused above"),
    }
    derive_pins(tx)?;
    crate::stories::settle(tx)?;
    Ok(stored)
}

/// Draws the pinned groups again from the corrections that stand, in the order they were made.
pub fn derive_pins(tx: &mut dyn Sql) -> Result<(), StoreError> {
    let events: Vec<CorrectionEvent> = tx
        .query(
            &format!("SELECT {EVENT_COLUMNS} FROM corrections c WHERE c.undone_by IS NULL ORDER BY c.id"),
            &[],
        )?
        .iter()
        .map(event_of)
        .collect::<Result<_, _>>()?;
    let mut group: HashMap<String, i64> = HashMap::new();
    let mut next = 0i64;
    let mut fresh = || {
        next += 1;
        next
    };
    for e in &events {
        match &e.detail {
            Detail::Merge { moved, kept, .. } => {
                let g = fresh();
                for a in moved.iter().chain(kept) {
                    group.insert(a.clone(), g);
                }
            }
            Detail::Split { moved, kept, .. } => {
                let (a, b) = (fresh(), fresh());
                for m in moved {
                    group.insert(m.clone(), a);
                }
                for k in kept {
                    group.insert(k.clone(), b);
                }
            }
            // A correction fixes the stories it touches as they are after it.
            Detail::Move { article, joined: others, .. } | Detail::Pin { article, with: others, .. } => {
                let g = fresh();
                for a in others.iter().chain([article]) {
                    group.insert(a.clone(), g);
                }
            }
            Detail::KeepOut { article, rest, .. } => {
                let g = fresh();
                for a in rest {
                    group.insert(a.clone(), g);
                }
                let g = fresh();
                group.insert(article.clone(), g);
            }
            Detail::Set { .. } | Detail::Undo { .. } => {}
        }
    }
    tx.execute("DELETE FROM pins", &[])?;
    let mut rows: Vec<(String, i64)> = group.into_iter().collect();
    rows.sort();
    for chunk in rows.chunks(200) {
        let mut values = Vec::with_capacity(chunk.len());
        let mut args: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 2);
        for (i, (id, g)) in chunk.iter().enumerate() {
            values.push(format!("(?{}, ?{})", 2 * i + 1, 2 * i + 2));
            args.push(id);
            args.push(g);
        }
        tx.execute(&format!("INSERT INTO pins (article_id, grp) VALUES {}", values.join(", ")), &args)?;
    }
    Ok(())
}

/// One labelled pair drawn from the corrections that stand: two reports an editor said are, or
/// are not, one story. What a clustering model can be trained on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledPair {
    /// One report's article id.
    pub a: String,
    /// The other's.
    pub b: String,
    /// Whether they report one story.
    pub same_story: bool,
    /// The correction it comes from.
    pub correction: i64,
    /// Who made it.
    pub author: String,
}

/// The labelled pairs of the corrections that stand (at most `per_correction` from each, so a
/// merge of two large stories does not drown the rest).
pub fn labelled_pairs(events: &[CorrectionEvent], per_correction: usize) -> Vec<LabelledPair> {
    let mut out = Vec::new();
    for e in events.iter().filter(|e| e.undone_by.is_none()) {
        let mut pairs: Vec<(String, String, bool)> = Vec::new();
        match &e.detail {
            Detail::Merge { moved, kept, .. } => {
                for (m, k) in moved.iter().zip(kept.iter().cycle()) {
                    pairs.push((m.clone(), k.clone(), true));
                }
            }
            Detail::Split { moved, kept, .. } => {
                for (m, k) in moved.iter().zip(kept.iter().cycle()) {
                    pairs.push((m.clone(), k.clone(), false));
                }
                for w in moved.windows(2) {
                    pairs.push((w[0].clone(), w[1].clone(), true));
                }
            }
            Detail::Move { article, left_with, to_anchor, .. } => {
                pairs.push((article.clone(), to_anchor.clone(), true));
                if let Some(l) = left_with {
                    pairs.push((article.clone(), l.clone(), false));
                }
            }
            Detail::Pin { article, anchor, .. } if article != anchor => {
                pairs.push((article.clone(), anchor.clone(), true));
            }
            Detail::KeepOut { article, left_with, .. } => {
                pairs.push((article.clone(), left_with.clone(), false))
            }
            _ => {}
        }
        for (a, b, same_story) in pairs
            .into_iter()
            .filter(|(a, b, _)| a != b && !a.is_empty() && !b.is_empty())
            .take(per_correction)
        {
            out.push(LabelledPair { a, b, same_story, correction: e.id, author: e.author.clone() });
        }
    }
    out
}
