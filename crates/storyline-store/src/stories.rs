//! Stories in either backend: the clusterer's in-memory state, kept in step with what is
//! stored, and the `stories` table that summarises each story.
//!
//! Articles are assigned to stories inside the same transaction that stores them, so a story
//! assignment is never lost or half-written. The clusterer's state is rebuilt from the most
//! recent [`RESTORE_ARTICLES`] stored articles when a process first writes, and caught up at
//! the start of every write transaction on what other writers stored meanwhile.

use rusqlite::params;
use storyline_core::analyze::Analysis;
use storyline_core::cluster::{features, Assignment, Clusterer, Features, Settings};
use storyline_core::dossier::{counts, discrepancy_state, figures_only, DiscrepancyState, Input};
use storyline_core::model::Article;

use crate::sql::{params_of, placeholders, Sql};
use crate::StoreError;

/// How many of the most recent articles rebuild the clusterer's state in a new process.
pub const RESTORE_ARTICLES: i64 = 20_000;

/// The largest clusterer state saved for the next process; a larger one is not saved, and the
/// next process rebuilds its clusterer. Measured on real Dutch text of ~3.3 KB per report, the
/// state of 20,000 reports is 69 MB and takes about 0.8 s to read and write back, against 7 s to
/// rebuild; at this bound, saving would cost about what rebuilding saves.
pub const MAX_SAVED_BYTES: usize = 256 << 20;

/// The clusterer and how far it has seen the store.
pub struct StoryState {
    clusterer: Clusterer,
    settings: Settings,
    /// The highest article sequence number the clusterer knows.
    seen_up_to: i64,
    /// The newest correction when it was built (a later one rebuilds it).
    corrections: i64,
    /// The pinned group of every pinned article, by sequence number.
    pins: std::collections::HashMap<i64, i64>,
    /// What the figures of recently read reports need, so settling a story does not read them
    /// again.
    figures: FigureCache,
    /// The stories of the batch's new reports, not yet written ([`StoryState::write_stories`]).
    unwritten: Vec<Unwritten>,
    /// Stories known to have their summary row in this write (created by it, or found).
    present: std::collections::HashSet<i64>,
}

/// A new report's story, kept to be written with the others of its batch.
struct Unwritten {
    seq: i64,
    story: i64,
    /// Whether the report founded the story.
    founds: bool,
    counting: bool,
    title: String,
    /// Its date: seconds since the epoch, and as stored.
    published: Option<(i64, String)>,
}

/// Loads what the clusterer needs of one stored article: the article and its analysis.
pub fn load_for_features(tx: &mut dyn Sql, seq: i64) -> Result<Option<(Article, Analysis)>, StoreError> {
    let Some(r) = tx.query_row(
        "SELECT a.id, a.title, a.text, a.source, a.published, a.language, n.analysis \
         FROM articles a LEFT JOIN analyses n ON n.article_seq = a.seq WHERE a.seq = ?1",
        params![seq],
    )?
    else {
        return Ok(None);
    };
    let (id, title, text, source, published, language): (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
    ) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
    let analysis = crate::codec::read(r.value(6));
    // A damaged analysis or date (reported in the log) leaves the clusterer less to go on,
    // never a failed ingest.
    let analysis: Analysis = match analysis {
        Ok(Some(a)) => a,
        Ok(None) => Analysis { language: language.clone(), ..Analysis::default() },
        Err(e) => {
            tracing::warn!(
                "article `{id}`: the stored analysis is unreadable ({e}); clustered on its text alone"
            );
            Analysis { language: language.clone(), ..Analysis::default() }
        }
    };
    let published = crate::read::published_from(published, &format!("article `{id}`"));
    let article = stored_article(id, title, text, source, published, language);
    Ok(Some((article, analysis)))
}

/// An article rebuilt from the stored columns that analysis and clustering read (the rest left
/// empty).
pub(crate) fn stored_article(
    id: String,
    title: String,
    text: String,
    source: Option<String>,
    published: Option<storyline_core::Published>,
    language: String,
) -> Article {
    Article {
        id,
        title,
        text,
        source,
        url: None,
        published,
        language: storyline_core::model::Language { code: language, confidence: 1.0, declared: true },
        author: None,
        metadata: Default::default(),
        extra: Default::default(),
        content_hash: String::new(),
        near_duplicate_of: None,
        origin: None,
    }
}

/// An article's clustering features, and whether it counts something (a figure for the
/// dossier: see [`record`]).
fn features_of(tx: &mut dyn Sql, seq: i64) -> Result<Option<(Features, bool)>, StoreError> {
    Ok(load_for_features(tx, seq)?.map(|(a, n)| (features(&a, &n), counts(&n))))
}

/// Whether writers to this store keep the clustering features of the latest [`RESTORE_ARTICLES`]
/// articles in `cluster_features`, so a writer catching up on what the others stored reads
/// their features instead of computing them again from each article's text and analysis (a
/// third of a millisecond each, and every writer would do it for every article). PostgreSQL
/// stores, where many writers are the rule, do; an SQLite file, mostly written by one process,
/// does not spend the space.
pub fn keeps_features(tx: &mut dyn Sql) -> bool {
    tx.dialect() == crate::sql::Dialect::Postgres
}

/// Drops the kept features of articles older than the latest [`RESTORE_ARTICLES`] (no writer
/// catches up that far back: a new one rebuilds from the latest, see [`StoryState::load`]).
pub fn forget_old_features(tx: &mut dyn Sql) -> Result<(), StoreError> {
    let newest = newest_seq(tx)?;
    tx.execute("DELETE FROM cluster_features WHERE article_seq <= ?1", params![newest - RESTORE_ARTICLES])?;
    Ok(())
}

impl StoryState {
    /// The clusterer of a new writing process: the state a writer saved ([`StoryState::save`])
    /// when it is usable — the same settings and model, no correction since, and at most
    /// [`RESTORE_ARTICLES`] articles behind — else one rebuilt from the most recent stored
    /// articles; then caught up on what was stored since.
    pub fn load(tx: &mut dyn Sql, settings: &Settings) -> Result<Self, StoreError> {
        let corrections = crate::corrections::latest(tx)?;
        let newest = newest_seq(tx)?;
        let saved =
            tx.query_row("SELECT seen_up_to, corrections, state FROM cluster_state WHERE id = 1", &[])?;
        let saved = match saved {
            Some(r) => {
                let (seen, at_correction): (i64, i64) = (r.get(0)?, r.get(1)?);
                let usable =
                    at_correction == corrections && seen <= newest && newest - seen <= RESTORE_ARTICLES;
                let bytes: Vec<u8> = if usable { r.get(2)? } else { Vec::new() };
                usable
                    .then(|| Clusterer::restore_saved(&bytes, settings.clone()))
                    .flatten()
                    .map(|c| (c, seen))
            }
            None => None,
        };
        let (clusterer, seen_up_to) = match saved {
            Some(found) => found,
            None => (Clusterer::new(settings.clone()), (newest - RESTORE_ARTICLES).max(0)),
        };
        let mut state = StoryState {
            clusterer,
            settings: settings.clone(),
            seen_up_to,
            corrections,
            pins: crate::corrections::pins(tx)?,
            figures: FigureCache::default(),
            unwritten: Vec::new(),
            present: std::collections::HashSet::new(),
        };
        // Every story an editor fixed, however old, stays apart from every other.
        for (story, group) in crate::corrections::bound_stories(tx)? {
            state.clusterer.bind(story, group);
        }
        state.catch_up(tx)?;
        Ok(state)
    }

    /// Saves this state in the store for the next writing process (see [`StoryState::load`]).
    pub fn save(&self, tx: &mut dyn Sql) -> Result<(), StoreError> {
        let bytes = self.clusterer.save();
        if bytes.len() > MAX_SAVED_BYTES {
            // Writing it at every ingest's end would cost more than rebuilding saves.
            tracing::debug!("the clusterer's state ({} bytes) is too large to save", bytes.len());
            return Ok(());
        }
        tx.execute(
            "INSERT INTO cluster_state (id, seen_up_to, corrections, saved_at, state) VALUES (1, ?1, ?2, ?3, ?4) \
             ON CONFLICT (id) DO UPDATE SET seen_up_to = excluded.seen_up_to, corrections = excluded.corrections, \
             saved_at = excluded.saved_at, state = excluded.state",
            params![self.seen_up_to, self.corrections, crate::write::now(), bytes],
        )?;
        Ok(())
    }

    /// Whether this state was built with `settings` and knows every correction stored.
    pub fn is_current(&self, tx: &mut dyn Sql, settings: &Settings) -> Result<bool, StoreError> {
        Ok(&self.settings == settings && self.corrections == crate::corrections::latest(tx)?)
    }

    /// Restores articles stored since the clusterer last looked (by other writers), and assigns
    /// any stored article that has no story yet (stored before stories existed).
    pub fn catch_up(&mut self, tx: &mut dyn Sql) -> Result<(), StoreError> {
        // Another writer may have merged a story away since this one last wrote.
        self.present.clear();
        let rows = tx.query(
            "SELECT a.seq, a.story, a.near_dup_of, f.features FROM articles a \
             LEFT JOIN cluster_features f ON f.article_seq = a.seq WHERE a.seq > ?1 ORDER BY a.seq",
            params![self.seen_up_to],
        )?;
        for r in rows {
            let (seq, story, near_dup_of): (i64, Option<i64>, Option<String>) =
                (r.get(0)?, r.get(1)?, r.get(2)?);
            // The features the writer of an assigned article kept, when they read.
            let kept = match (story, r.get::<Option<Vec<u8>>>(3)?) {
                (Some(story), Some(bytes)) => Features::from_bytes(&bytes).map(|f| (f, story)),
                _ => None,
            };
            if let Some((f, story)) = kept {
                self.clusterer.restore(seq, &f, story);
                self.seen_up_to = seq;
                continue;
            }
            let Some((f, counting)) = features_of(tx, seq)? else { continue };
            match story {
                Some(story) => self.clusterer.restore(seq, &f, story),
                None => {
                    let near = match near_dup_of {
                        Some(id) => seq_of(tx, &id)?,
                        None => None,
                    };
                    self.assign(tx, seq, &f, near, counting)?;
                }
            }
            self.seen_up_to = seq;
        }
        Ok(())
    }

    /// Reads the discrepancies of every story whose are unknown, as [`settle`] does, with the
    /// reports this process read or stored recently at hand.
    pub fn settle(&mut self, tx: &mut dyn Sql) -> Result<u64, StoreError> {
        settle_with(tx, Some(&mut self.figures))
    }

    /// Keeps what the figures of the report just stored as `seq` (`article`, with `stored` the
    /// analysis as stored and `hash` its stored content digest) need, as [`settle`] would read
    /// it back, so settling its story does not read it.
    pub fn remember_report(&mut self, seq: i64, hash: i64, article: &Article, stored: &Analysis) {
        let published = article.published.map(|p| p.to_string());
        let report = figures_only(stored).map(|mut slim| {
            slim.restore_sentence_text(&article.text);
            let lite = stored_article(
                article.id.clone(),
                String::new(),
                String::new(),
                article.source.clone(),
                published.as_deref().and_then(|p| storyline_core::Published::parse(p).ok()),
                article.language.code.clone(),
            );
            (lite, slim)
        });
        self.figures.put(seq, version_key(hash, published.as_deref()), report);
    }

    /// Decides and records the story of a just-stored article (`counting`: whether it counts
    /// something, see [`record`]); returns the clusterer's decision (a story it merged into the
    /// joined one is merged in the store too).
    pub fn assign(
        &mut self,
        tx: &mut dyn Sql,
        seq: i64,
        f: &Features,
        near_dup_of: Option<i64>,
        counting: bool,
    ) -> Result<Assignment, StoreError> {
        let a = self.decide(tx, seq, f, near_dup_of)?;
        record(tx, seq, a.story, counting)?;
        self.seen_up_to = self.seen_up_to.max(seq);
        Ok(a)
    }

    /// [`StoryState::assign`] for a report of the batch being written (`article`, stored as
    /// `seq`): its story is written with the others of the batch by
    /// [`StoryState::write_stories`], a few statements for the batch instead of three for each
    /// report. Until then, its story is not in the store.
    pub fn assign_in_batch(
        &mut self,
        tx: &mut dyn Sql,
        seq: i64,
        article: &Article,
        f: &Features,
        near_dup_of: Option<i64>,
        counting: bool,
    ) -> Result<Assignment, StoreError> {
        let a = self.decide(tx, seq, f, near_dup_of)?;
        if a.new_story {
            self.present.insert(a.story);
        }
        self.unwritten.push(Unwritten {
            seq,
            story: a.story,
            founds: a.new_story,
            counting,
            title: article.title.clone(),
            published: article.published.map(|p| (p.unix, p.to_string())),
        });
        self.seen_up_to = self.seen_up_to.max(seq);
        Ok(a)
    }

    /// The clusterer's decision for report `seq` (an editor's pin first), with a merge it
    /// decided carried out and a story another writer merged meanwhile followed.
    fn decide(
        &mut self,
        tx: &mut dyn Sql,
        seq: i64,
        f: &Features,
        near_dup_of: Option<i64>,
    ) -> Result<Assignment, StoreError> {
        let mut a = match self.pins.get(&seq) {
            Some(&group) => self.clusterer.assign_pinned(seq, f, group),
            None => self.clusterer.assign(seq, f, near_dup_of),
        };
        self.follow(tx, &mut a)?;
        Ok(a)
    }

    /// Carries out a merge the clusterer decided, and follows a story another writer merged
    /// into another meanwhile.
    fn follow(&mut self, tx: &mut dyn Sql, a: &mut Assignment) -> Result<(), StoreError> {
        if let Some(from) = a.merged {
            // The merge moves stored reports: the batch's are stored first.
            self.write_stories(tx)?;
            merge(tx, from, a.story)?;
            self.present.remove(&from);
        }
        if !a.new_story && !self.present.contains(&a.story) {
            if story_exists(tx, a.story)? {
                self.present.insert(a.story);
            } else if let Some(into) = resolve_story(tx, a.story)?.filter(|&s| s != a.story) {
                // Another writer merged this story into another meanwhile: follow it there.
                self.clusterer.merge_stories(into, a.story);
                a.story = into;
            }
        }
        Ok(())
    }

    /// Writes the stories of the batch's reports assigned since the last call: each report's
    /// story, the summary rows of the stories they founded, and those of the stories they
    /// joined, as [`record`] would have one report after the other.
    pub fn write_stories(&mut self, tx: &mut dyn Sql) -> Result<(), StoreError> {
        if self.unwritten.is_empty() {
            return Ok(());
        }
        let unwritten = std::mem::take(&mut self.unwritten);
        write_unwritten(tx, &unwritten)
    }
}

/// Rows per multi-row statement of [`write_unwritten`].
const STORY_ROWS: usize = 64;

/// What [`StoryState::write_stories`] writes.
fn write_unwritten(tx: &mut dyn Sql, unwritten: &[Unwritten]) -> Result<(), StoreError> {
    use rusqlite::ToSql;
    // Each report's story.
    for chunk in unwritten.chunks(STORY_ROWS) {
        let mut values = String::new();
        let mut params: Vec<&dyn ToSql> = Vec::with_capacity(chunk.len() * 2);
        for (i, u) in chunk.iter().enumerate() {
            if i > 0 {
                values.push_str(", ");
            }
            values.push_str(&format!("(CAST(?{} AS BIGINT), CAST(?{} AS BIGINT))", 2 * i + 1, 2 * i + 2));
            params.extend([&u.seq as &dyn ToSql, &u.story]);
        }
        tx.execute(
            &format!(
                "WITH v(seq, story) AS (VALUES {values}) \
                 UPDATE articles SET story = v.story FROM v WHERE articles.seq = v.seq"
            ),
            &params,
        )?;
    }
    // Each story's summary: what its reports of the batch add, in the order they came.
    let mut order: Vec<i64> = Vec::new();
    let mut sums: std::collections::HashMap<i64, StorySum> = std::collections::HashMap::new();
    for u in unwritten {
        let sum = sums.entry(u.story).or_insert_with(|| {
            order.push(u.story);
            StorySum::default()
        });
        sum.add(u);
    }
    let founded: Vec<&StorySum> = order.iter().map(|s| &sums[s]).filter(|s| s.founder.is_some()).collect();
    let joined: Vec<(i64, &StorySum)> =
        order.iter().map(|&s| (s, &sums[&s])).filter(|(_, s)| s.founder.is_none()).collect();
    let limit = crate::DOSSIER_REPORTS as i64;
    for chunk in founded.chunks(STORY_ROWS) {
        let rows: Vec<[Box<dyn ToSql>; 9]> = chunk
            .iter()
            .map(|s| {
                let (id, title) = s.founder.clone().expect("founded");
                let first = s.first.clone().unzip();
                let last = s.last.clone().unzip();
                // One report: nothing to disagree with; more: the others count nothing, or the
                // story's discrepancies are unknown until settled.
                let discrepancies = (s.reports <= limit && !s.later_counting).then_some(0i64);
                [
                    Box::new(id) as Box<dyn ToSql>,
                    Box::new(title),
                    Box::new(s.reports),
                    Box::new(first.0),
                    Box::new(first.1),
                    Box::new(last.0),
                    Box::new(last.1),
                    Box::new(s.last_seq),
                    Box::new(discrepancies),
                ]
            })
            .collect();
        let params: Vec<&dyn ToSql> = rows.iter().flat_map(|r| r.iter().map(|b| b.as_ref())).collect();
        tx.execute(
            &format!(
                "INSERT INTO stories (id, title, articles, first_published, first_published_text, \
                 last_published, last_published_text, last_seq, discrepancies) VALUES {}",
                crate::write::values(chunk.len(), 9, None)
            ),
            &params,
        )?;
    }
    for chunk in joined.chunks(STORY_ROWS) {
        let rows: Vec<[Box<dyn ToSql>; 8]> = chunk
            .iter()
            .map(|(id, s)| {
                let first = s.first.clone().unzip();
                let last = s.last.clone().unzip();
                [
                    Box::new(*id) as Box<dyn ToSql>,
                    Box::new(s.reports),
                    Box::new(first.0),
                    Box::new(first.1),
                    Box::new(last.0),
                    Box::new(last.1),
                    Box::new(s.last_seq),
                    Box::new(i64::from(s.counting)),
                ]
            })
            .collect();
        let params: Vec<&dyn ToSql> = rows.iter().flat_map(|r| r.iter().map(|b| b.as_ref())).collect();
        let cast = |column: usize, param: String| match column {
            3 | 5 => format!("CAST({param} AS TEXT)"),
            _ => format!("CAST({param} AS BIGINT)"),
        };
        // As `record`, once for all of a story's reports: a report that counts something
        // makes the story's discrepancies unknown unless one lasts (or the story outgrows what
        // a dossier reads whole); dates widen the story's span; the latest report is noted.
        tx.execute(
            &format!(
                "WITH v(id, n, fp, fpt, lp, lpt, last_seq, counting) AS (VALUES {}) \
                 UPDATE stories SET \
                   discrepancies = CASE WHEN stories.articles + v.n <= {limit} AND \
                     (v.counting = 0 OR stories.discrepancies = 2) THEN stories.discrepancies ELSE NULL END, \
                   first_published_text = CASE WHEN v.fp IS NOT NULL AND \
                     (stories.first_published IS NULL OR v.fp < stories.first_published) \
                     THEN v.fpt ELSE stories.first_published_text END, \
                   first_published = CASE WHEN v.fp IS NOT NULL AND \
                     (stories.first_published IS NULL OR v.fp < stories.first_published) \
                     THEN v.fp ELSE stories.first_published END, \
                   last_published_text = CASE WHEN v.lp IS NOT NULL AND \
                     (stories.last_published IS NULL OR v.lp >= stories.last_published) \
                     THEN v.lpt ELSE stories.last_published_text END, \
                   last_published = CASE WHEN v.lp IS NOT NULL AND \
                     (stories.last_published IS NULL OR v.lp >= stories.last_published) \
                     THEN v.lp ELSE stories.last_published END, \
                   last_seq = CASE WHEN v.last_seq > stories.last_seq THEN v.last_seq ELSE stories.last_seq END, \
                   articles = stories.articles + v.n \
                 FROM v WHERE stories.id = v.id",
                crate::write::values(chunk.len(), 8, Some(&cast))
            ),
            &params,
        )?;
    }
    Ok(())
}

/// What the reports of one batch add to one story's summary row.
#[derive(Default)]
struct StorySum {
    /// The story's id and title, when a report of the batch founded it.
    founder: Option<(i64, String)>,
    reports: i64,
    /// The earliest date (the first given of equal ones) and the latest (the last given).
    first: Option<(i64, String)>,
    last: Option<(i64, String)>,
    last_seq: i64,
    /// Whether any report counts something; and any after the founding one.
    counting: bool,
    later_counting: bool,
}

impl StorySum {
    fn add(&mut self, u: &Unwritten) {
        if u.founds && self.reports == 0 {
            self.founder = Some((u.story, u.title.clone()));
        } else {
            self.later_counting |= u.counting;
        }
        self.reports += 1;
        self.counting |= u.counting;
        self.last_seq = self.last_seq.max(u.seq);
        if let Some((unix, text)) = &u.published {
            if self.first.as_ref().is_none_or(|(f, _)| unix < f) {
                self.first = Some((*unix, text.clone()));
            }
            if self.last.as_ref().is_none_or(|(l, _)| unix >= l) {
                self.last = Some((*unix, text.clone()));
            }
        }
    }
}

/// The sequence number of an article id.
pub fn seq_of(tx: &mut dyn Sql, id: &str) -> Result<Option<i64>, StoreError> {
    tx.query_value("SELECT seq FROM articles WHERE id = ?1", params![id])
}

/// The highest article sequence number stored (0 for an empty store).
pub fn newest_seq(tx: &mut dyn Sql) -> Result<i64, StoreError> {
    Ok(tx.query_value("SELECT COALESCE(MAX(seq), 0) FROM articles", &[])?.unwrap_or(0))
}

/// Writes an article's story and updates the story's summary row. `counting` says whether the
/// article counts something (a quantity with a noun or a unit: a figure for the dossier): a
/// story of one report has no discrepancy, a report that counts nothing leaves a story's as it
/// was, a lasting one stays, and otherwise the story's is unknown until [`settle`] reads it.
/// The rules are those a batch's stories are written by ([`StoryState::write_stories`]), for
/// one report.
pub fn record(tx: &mut dyn Sql, seq: i64, story: i64, counting: bool) -> Result<(), StoreError> {
    let Some(r) =
        tx.query_row("SELECT title, published_unix, published FROM articles WHERE seq = ?1", params![seq])?
    else {
        return Err(StoreError::Corrupt(format!("article {seq} is not stored")));
    };
    let (title, unix, text): (String, Option<i64>, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
    let report = Unwritten {
        seq,
        story,
        founds: !story_exists(tx, story)?,
        counting,
        title,
        published: unix.zip(text),
    };
    write_unwritten(tx, &[report])
}

/// Draws story `story`'s dates again from its reports after report `seq` was revised (its
/// date may have changed), and its title when that report is the one the story is named after
/// (its first); its discrepancies are unknown until [`settle`] reads them (the report's
/// figures may have changed).
pub fn refresh(tx: &mut dyn Sql, story: i64, seq: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE stories SET \
           first_published = (SELECT published_unix FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
             ORDER BY published_unix, seq LIMIT 1), \
           first_published_text = (SELECT published FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
             ORDER BY published_unix, seq LIMIT 1), \
           last_published = (SELECT published_unix FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
             ORDER BY published_unix DESC, seq DESC LIMIT 1), \
           last_published_text = (SELECT published FROM articles WHERE story = ?1 AND published_unix IS NOT NULL \
             ORDER BY published_unix DESC, seq DESC LIMIT 1), \
           title = CASE WHEN id = ?2 THEN (SELECT title FROM articles WHERE seq = ?2) ELSE title END, \
           discrepancies = NULL \
         WHERE id = ?1",
        params![story, seq],
    )?;
    Ok(())
}

/// Moves every report of story `from` into story `into` and folds `from`'s summary row into
/// `into`'s (a lasting discrepancy of either is the merged story's; otherwise its
/// discrepancies are unknown until [`settle`] reads them). The id `from` stays resolvable: it
/// is the sequence number of its first report, whose story is now `into` (see
/// [`resolve_story`]).
pub fn merge(tx: &mut dyn Sql, from: i64, into: i64) -> Result<(), StoreError> {
    if from == into {
        return Ok(());
    }
    tx.execute("UPDATE articles SET story = ?1 WHERE story = ?2", params![into, from])?;
    tx.execute(
        "UPDATE stories SET \
           articles = stories.articles + m.articles, \
           first_published_text = CASE WHEN m.first_published IS NOT NULL AND \
             (stories.first_published IS NULL OR m.first_published < stories.first_published) \
             THEN m.first_published_text ELSE stories.first_published_text END, \
           first_published = CASE WHEN m.first_published IS NOT NULL AND \
             (stories.first_published IS NULL OR m.first_published < stories.first_published) \
             THEN m.first_published ELSE stories.first_published END, \
           last_published_text = CASE WHEN m.last_published IS NOT NULL AND \
             (stories.last_published IS NULL OR m.last_published > stories.last_published) \
             THEN m.last_published_text ELSE stories.last_published_text END, \
           last_published = CASE WHEN m.last_published IS NOT NULL AND \
             (stories.last_published IS NULL OR m.last_published > stories.last_published) \
             THEN m.last_published ELSE stories.last_published END, \
           last_seq = CASE WHEN m.last_seq > stories.last_seq THEN m.last_seq ELSE stories.last_seq END, \
           discrepancies = CASE WHEN stories.articles + m.articles <= ?3 \
             AND (stories.discrepancies = 2 OR m.discrepancies = 2) THEN 2 ELSE NULL END \
         FROM (SELECT * FROM stories WHERE id = ?2) AS m WHERE stories.id = ?1",
        params![into, from, crate::DOSSIER_REPORTS as i64],
    )?;
    tx.execute("DELETE FROM stories WHERE id = ?1", params![from])?;
    Ok(())
}

/// Whether story `id` has a summary row (it was not merged away).
fn story_exists(tx: &mut dyn Sql, id: i64) -> Result<bool, StoreError> {
    Ok(tx.query_row("SELECT 1 FROM stories WHERE id = ?1", params![id])?.is_some())
}

/// The story that now holds the reports of story `id`: `id` itself, the story it was merged
/// into, or `None` when no story ever had that id.
pub fn resolve_story(conn: &mut dyn Sql, id: i64) -> Result<Option<i64>, StoreError> {
    conn.query_value("SELECT story FROM articles WHERE seq = ?1", params![id])
}

/// The order a re-clustering replays articles in: publication order, where an undated article
/// keeps its place in ingest order (it sorts with the dated article ingested just before it;
/// undated articles before any dated one come first). Returns `(seq, near_dup_of)` pairs.
pub fn replay_order(tx: &mut dyn Sql) -> Result<Vec<(i64, Option<String>)>, StoreError> {
    let rows: Vec<(i64, Option<i64>, Option<String>)> = tx
        .query("SELECT seq, published_unix, near_dup_of FROM articles ORDER BY seq", &[])?
        .into_iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .collect::<Result<_, StoreError>>()?;
    let mut last_dated = i64::MIN;
    let mut keyed: Vec<(i64, i64, Option<String>)> = rows
        .into_iter()
        .map(|(seq, published, near)| {
            if let Some(p) = published {
                last_dated = p;
            }
            (published.unwrap_or(last_dated), seq, near)
        })
        .collect();
    keyed.sort_by_key(|(key, seq, _)| (*key, *seq));
    Ok(keyed.into_iter().map(|(_, seq, near)| (seq, near)).collect())
}

/// Rebuilds every story in publication order; returns (articles, stories).
pub fn recluster(tx: &mut dyn Sql, settings: &Settings) -> Result<(u64, u64), StoreError> {
    // A saved clusterer knows the stories as they were.
    tx.execute("DELETE FROM cluster_state", &[])?;
    tx.execute("UPDATE articles SET story = NULL", &[])?;
    tx.execute("DELETE FROM stories", &[])?;
    let order = replay_order(tx)?;
    // The clusterer sees articles in publication order under ordinals 1, 2, ... (it wants
    // increasing numbers); story ids are mapped back to the real sequence numbers, so the result
    // is what ingesting in publication order would have given.
    let mut clusterer = Clusterer::new(settings.clone());
    // An editor's corrections hold: each pinned group is placed as one story.
    let pins = crate::corrections::pins(tx)?;
    let mut ordinal_of = std::collections::HashMap::with_capacity(order.len());
    let mut real_of: Vec<i64> = Vec::with_capacity(order.len() + 1);
    real_of.push(0);
    let mut stories = std::collections::BTreeSet::new();
    for (seq, near_dup_of) in &order {
        let Some((f, counting)) = features_of(tx, *seq)? else { continue };
        let ordinal = real_of.len() as i64;
        real_of.push(*seq);
        ordinal_of.insert(*seq, ordinal);
        // A copy published before its original joins it when the original comes.
        let near = match near_dup_of {
            Some(id) => seq_of(tx, id)?.and_then(|s| ordinal_of.get(&s).copied()),
            None => None,
        };
        let a = match pins.get(seq) {
            Some(&group) => clusterer.assign_pinned(ordinal, &f, group),
            None => clusterer.assign(ordinal, &f, near),
        };
        let story = real_of[a.story as usize];
        if let Some(from) = a.merged {
            let from = real_of[from as usize];
            merge(tx, from, story)?;
            stories.remove(&from);
        }
        record(tx, *seq, story, counting)?;
        stories.insert(story);
    }
    settle(tx)?;
    Ok((order.len() as u64, stories.len() as u64))
}

/// How a story's discrepancies are kept in `stories.discrepancies`: NULL while unknown (only
/// ever inside a write transaction: every write [`settle`]s before it commits), else one of
/// these.
pub fn state_code(state: DiscrepancyState) -> i64 {
    match state {
        DiscrepancyState::Absent => 0,
        DiscrepancyState::Present => 1,
        DiscrepancyState::Lasting => 2,
    }
}

/// Reports read per query while a story's discrepancies are read.
const SETTLE_CHUNK: usize = 500;

/// Reads the discrepancies of every story whose are unknown (see [`record`], [`merge`],
/// [`refresh`]) and stores them; returns how many stories it read.
pub fn settle(tx: &mut dyn Sql) -> Result<u64, StoreError> {
    settle_with(tx, None)
}

/// [`settle`], taking the reports found in `cache` (when their text is still the one stored)
/// from it instead of reading them, and keeping there the ones it reads.
fn settle_with(tx: &mut dyn Sql, mut cache: Option<&mut FigureCache>) -> Result<u64, StoreError> {
    let unknown: Vec<i64> = tx
        .query("SELECT id FROM stories WHERE discrepancies IS NULL", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_, _>>()?;
    for &story in &unknown {
        let state = state_of_story(tx, story, cache.as_deref_mut())?;
        tx.execute("UPDATE stories SET discrepancies = ?2 WHERE id = ?1", params![story, state_code(state)])?;
    }
    Ok(unknown.len() as u64)
}

/// A report as the figures read it: the article's id, outlet, date and language, and its
/// analysis cut to the figures ([`figures_only`]) with the text of the sentences they stand in.
type FigureReport = std::sync::Arc<(Article, Analysis)>;

/// The reports a writing process read or stored recently, as the figures read them (`None` for
/// one that counts nothing), each with the [`version_key`] of what it was read from: a report
/// revised since (by any writer) has another and is read again. Bounded by an
/// estimate of the memory it holds ([`FigureCache::BUDGET`]); the least recently used go
/// first.
#[derive(Default)]
pub struct FigureCache {
    entries: std::collections::HashMap<i64, Cached>,
    /// The stories too large to read whole whose earliest reports (half of what a dossier
    /// reads) hold a lasting discrepancy among themselves, each with the [`fingerprint`] of
    /// those reports when that was found.
    lasting_earliest: std::collections::HashMap<i64, u64>,
    /// The estimated bytes of the entries.
    bytes: usize,
    /// Counts the uses, to find the least recent.
    tick: u64,
}

struct Cached {
    hash: i64,
    report: Option<FigureReport>,
    bytes: usize,
    used: u64,
}

impl FigureCache {
    /// The most memory the entries may hold, estimated: at one to two kilobytes a report that
    /// counts something, the reports of a few stories of the largest size read whole (a
    /// thousand or two each) or of many smaller ones. Measured on 100,000 generated articles:
    /// settling took 25% less time, with 20 MiB more peak memory.
    pub const BUDGET: usize = 32 << 20;

    /// The report `seq` when it is kept and was read from the version `hash` ([`version_key`]).
    fn get(&mut self, seq: i64, hash: i64) -> Option<Option<FigureReport>> {
        self.tick += 1;
        let tick = self.tick;
        let entry = self.entries.get_mut(&seq).filter(|e| e.hash == hash)?;
        entry.used = tick;
        Some(entry.report.clone())
    }

    /// Keeps report `seq`, read from the version `hash` ([`version_key`]).
    fn put(&mut self, seq: i64, hash: i64, report: Option<(Article, Analysis)>) {
        self.tick += 1;
        let bytes = report.as_ref().map_or(0, |(a, n)| estimate(a, n)) + 64;
        let entry = Cached { hash, report: report.map(std::sync::Arc::new), bytes, used: self.tick };
        if let Some(old) = self.entries.insert(seq, entry) {
            self.bytes -= old.bytes;
        }
        self.bytes += bytes;
        self.trim();
    }

    /// Remembers that the earliest reports of story `story` (with this [`fingerprint`]) hold a
    /// lasting discrepancy.
    fn remember_lasting_earliest(&mut self, story: i64, fingerprint: u64) {
        // A handful of stories are this large; the bound only keeps a strange store in check.
        if self.lasting_earliest.len() >= 4096 {
            self.lasting_earliest.clear();
        }
        self.lasting_earliest.insert(story, fingerprint);
    }

    /// Drops the least recently used entries, when the budget is exceeded, until the rest fit
    /// three quarters of it (so the next entries do not trim again at once).
    fn trim(&mut self) {
        if self.bytes <= Self::BUDGET {
            return;
        }
        let mut by_use: Vec<(u64, i64, usize)> =
            self.entries.iter().map(|(&s, e)| (e.used, s, e.bytes)).collect();
        by_use.sort_unstable();
        for (_, seq, bytes) in by_use {
            if self.bytes <= Self::BUDGET / 4 * 3 {
                break;
            }
            self.entries.remove(&seq);
            self.bytes -= bytes;
        }
    }
}

/// About how many bytes a kept report holds.
fn estimate(article: &Article, analysis: &Analysis) -> usize {
    use std::mem::size_of;
    let strings = article.id.len()
        + article.source.as_ref().map_or(0, String::len)
        + analysis.sentences.iter().map(|s| s.text.len()).sum::<usize>()
        + analysis
            .entities
            .iter()
            .map(|e| e.text.len() + e.key.len() + e.role.as_ref().map_or(0, String::len))
            .sum::<usize>()
        + analysis
            .quantities
            .iter()
            .map(|q| {
                q.text.len()
                    + q.noun.as_ref().map_or(0, String::len)
                    + q.unit.as_ref().map_or(0, String::len)
                    + q.modifiers.iter().map(String::len).sum::<usize>()
            })
            .sum::<usize>();
    size_of::<Article>()
        + size_of::<Analysis>()
        + analysis.sentences.len() * size_of::<storyline_core::analyze::Sentence>()
        + analysis.entities.len() * size_of::<storyline_core::analyze::Entity>()
        + analysis.quantities.len() * size_of::<storyline_core::analyze::Quantity>()
        + strings
}

/// Whether the dossier of story `story` lists a discrepancy, and whether that lasts
/// ([`storyline_core::dossier::discrepancy_state`]), read from its reports as
/// [`crate::Store::story_reports`] gives them to a dossier: the shown version of each, its
/// stored analysis (none, or one that does not read, counts nothing) and its date (one that does
/// not read is undated).
///
/// Only the reports that count something are kept, and of each only what the figures read
/// ([`storyline_core::dossier::figures_only`]), a few hundred reports read at a time; in a story
/// of more than one such batch, a batch with a lasting discrepancy is enough (the story holds
/// those reports), so a large story with one is seldom read whole.
pub fn discrepancy_state_of(tx: &mut dyn Sql, story: i64) -> Result<DiscrepancyState, StoreError> {
    state_of_story(tx, story, None)
}

/// [`discrepancy_state_of`], with the reports kept in `cache` taken from it.
fn state_of_story(
    tx: &mut dyn Sql,
    story: i64,
    cache: Option<&mut FigureCache>,
) -> Result<DiscrepancyState, StoreError> {
    // A story too large to read whole has the discrepancies of the reports its dossier reads,
    // which change as later reports arrive: none lasts.
    if let Some(selected) = crate::read::dossier_selection(tx, story)? {
        // Its earliest reports change only when an earlier one arrives: when they were found to
        // hold a lasting discrepancy among themselves, every dossier of the story lists it.
        let earliest = &selected[..selected.len().min(crate::DOSSIER_REPORTS / 2)];
        let Some(cache) = cache else {
            let state = state_of_reports(tx, &selected, false, None, None)?;
            return Ok(match state {
                DiscrepancyState::Lasting => DiscrepancyState::Present,
                other => other,
            });
        };
        // What each selected report is read from now, read once for all that follows.
        let keys = digests(tx, &selected)?;
        let fingerprint = fingerprint(earliest, &keys);
        if cache.lasting_earliest.get(&story) == Some(&fingerprint) {
            return Ok(DiscrepancyState::Present);
        }
        let state = state_of_reports(tx, &selected, false, Some(&mut *cache), Some(&keys))?;
        if state.any()
            && state_of_reports(tx, earliest, false, Some(&mut *cache), Some(&keys))?
                == DiscrepancyState::Lasting
        {
            cache.remember_lasting_earliest(story, fingerprint);
        }
        return Ok(match state {
            DiscrepancyState::Lasting => DiscrepancyState::Present,
            other => other,
        });
    }
    let seqs: Vec<i64> = tx
        .query("SELECT seq FROM articles WHERE story = ?1 ORDER BY seq", params![story])?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_, _>>()?;
    state_of_reports(tx, &seqs, seqs.len() > SETTLE_CHUNK, cache, None)
}

/// What a report's figures are read from, as one number: its text's digest and its date (a
/// revision may change either alone, as a new headline with a new time does the date).
fn version_key(content_hash: i64, published: Option<&str>) -> i64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (content_hash, published).hash(&mut h);
    h.finish() as i64
}

/// The [`version_key`] of each of the reports `seqs` as they are stored now, by sequence
/// number.
fn digests(tx: &mut dyn Sql, seqs: &[i64]) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
    let mut found = std::collections::HashMap::with_capacity(seqs.len());
    for chunk in seqs.chunks(SETTLE_CHUNK) {
        let list = placeholders(chunk.len());
        for r in &tx.query(
            &format!("SELECT seq, content_hash, published FROM articles WHERE seq IN ({list})"),
            &params_of(chunk),
        )? {
            let published: Option<String> = r.get(2)?;
            found.insert(r.get::<i64>(0)?, version_key(r.get(1)?, published.as_deref()));
        }
    }
    Ok(found)
}

/// One number for the reports `seqs` in this order as they are stored now (`keys`, from
/// [`digests`]): another report, or a revised one, gives another.
fn fingerprint(seqs: &[i64], keys: &std::collections::HashMap<i64, i64>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for seq in seqs {
        (seq, keys.get(seq)).hash(&mut h);
    }
    h.finish()
}

/// The discrepancy state of the reports `seqs`, read [`SETTLE_CHUNK`] at a time; with
/// `chunked`, a chunk with a lasting discrepancy is enough. The reports kept in `cache` with
/// the [`version_key`] of what is stored (`keys` when the caller read them, else read here)
/// are not read; the others are, and kept there.
fn state_of_reports(
    tx: &mut dyn Sql,
    seqs: &[i64],
    chunked: bool,
    mut cache: Option<&mut FigureCache>,
    keys: Option<&std::collections::HashMap<i64, i64>>,
) -> Result<DiscrepancyState, StoreError> {
    let mut reports: Vec<FigureReport> = Vec::new();
    for chunk in seqs.chunks(SETTLE_CHUNK) {
        let from = reports.len();
        // The reports to read: all of them, or those not kept as their text is now.
        let mut unread: Vec<i64> = chunk.to_vec();
        let mut missed: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
        if let Some(cache) = cache.as_deref_mut() {
            unread.clear();
            let read_here;
            let keys = match keys {
                Some(keys) => keys,
                None => {
                    read_here = digests(tx, chunk)?;
                    &read_here
                }
            };
            // A report no longer stored has no key, and is passed over.
            for (seq, hash) in chunk.iter().filter_map(|s| keys.get(s).map(|&k| (*s, k))) {
                match cache.get(seq, hash) {
                    Some(kept) => reports.extend(kept),
                    None => {
                        unread.push(seq);
                        missed.insert(seq, hash);
                    }
                }
            }
        }
        if !unread.is_empty() {
            let list = placeholders(unread.len());
            let rows = tx.query(
                &format!(
                    "SELECT a.seq, a.id, a.text, a.source, a.published, a.language, n.analysis \
                     FROM articles a LEFT JOIN analyses n ON n.article_seq = a.seq WHERE a.seq IN ({list})"
                ),
                &params_of(&unread),
            )?;
            for r in &rows {
                let seq: i64 = r.get(0)?;
                // An unreadable analysis counts nothing here; it is not kept (a repair may
                // mend it under the same text).
                let Ok(analysis) = crate::codec::read(r.value(6)) else { continue };
                let report = match analysis.as_ref().and_then(figures_only) {
                    Some(mut slim) => {
                        let text: String = r.get(2)?;
                        slim.restore_sentence_text(&text);
                        let published = r
                            .get::<Option<String>>(4)?
                            .and_then(|p| storyline_core::Published::parse(&p).ok());
                        let article = stored_article(
                            r.get(1)?,
                            String::new(),
                            String::new(),
                            r.get(3)?,
                            published,
                            r.get(5)?,
                        );
                        Some((article, slim))
                    }
                    None => None,
                };
                match (cache.as_deref_mut(), missed.get(&seq)) {
                    (Some(cache), Some(&hash)) => {
                        cache.put(seq, hash, report);
                        if let Some(Some(kept)) = cache.get(seq, hash) {
                            reports.push(kept);
                        }
                    }
                    _ => reports.extend(report.map(std::sync::Arc::new)),
                }
            }
        }
        if chunked && inputs_state(&reports[from..]) == DiscrepancyState::Lasting {
            return Ok(DiscrepancyState::Lasting);
        }
    }
    Ok(inputs_state(&reports))
}

fn inputs_state(reports: &[FigureReport]) -> DiscrepancyState {
    let inputs: Vec<Input<'_>> = reports.iter().map(|r| Input::new(&r.0, &r.1)).collect();
    discrepancy_state(&inputs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Lite;

    /// The columns of `articles`, `analyses` and `stories` that story bookkeeping reads.
    const SCHEMA: &str = "CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT, title TEXT, text TEXT, \
        source TEXT, published TEXT, published_unix INTEGER, language TEXT, story INTEGER);
        CREATE TABLE analyses (article_seq INTEGER PRIMARY KEY, analysis BLOB);
        CREATE TABLE stories (id INTEGER PRIMARY KEY, title TEXT NOT NULL, articles INTEGER NOT NULL, \
        first_published INTEGER, first_published_text TEXT, last_published INTEGER, last_published_text TEXT, \
        last_seq INTEGER NOT NULL, discrepancies INTEGER);";

    /// Stores report `seq` (analysed as ingest does) and records it in `story`.
    fn report(db: &mut dyn Sql, seq: i64, story: i64, day: &str, text: &str) {
        let published = storyline_core::Published::parse(day).unwrap();
        let mut analysis = storyline_core::analyze::analyze(text, "nl", Some(published));
        let counting = counts(&analysis);
        analysis.strip_sentence_text();
        db.execute(
            "INSERT INTO articles VALUES (?1, ?2, 'Konvooi', ?3, 'NPB', ?4, ?5, 'nl', NULL)",
            params![seq, format!("r{seq}@npb"), text, day, published.unix],
        )
        .unwrap();
        db.execute("INSERT INTO analyses VALUES (?1, ?2)", params![seq, crate::codec::encode(&analysis)])
            .unwrap();
        record(db, seq, story, counting).unwrap();
    }

    fn flag(db: &mut dyn Sql, story: i64) -> Option<i64> {
        db.query_value("SELECT discrepancies FROM stories WHERE id = ?1", params![story]).unwrap()
    }

    #[test]
    fn the_figure_cache_keeps_the_recently_used_within_its_budget() {
        let mut cache = FigureCache::default();
        let big = |seq: i64| {
            let analysis = Analysis {
                sentences: vec![storyline_core::analyze::Sentence {
                    text: "x".repeat(1 << 20),
                    start: 0,
                    end: 1 << 20,
                }],
                ..Analysis::default()
            };
            let article =
                stored_article(format!("r{seq}"), String::new(), String::new(), None, None, "nl".into());
            Some((article, analysis))
        };
        // Twenty of a mebibyte each fit the budget.
        for seq in 1..=20 {
            cache.put(seq, seq * 10, big(seq));
        }
        assert_eq!(cache.entries.len(), 20);
        // Report 1 is used again: it is now more recent than the nineteen after it.
        assert!(cache.get(1, 10).is_some());
        // Another digest is another text: not taken from the cache.
        assert!(cache.get(2, 21).is_none());
        // Fifteen more overflow it: the least recently used go, down to three quarters.
        for seq in 21..=35 {
            cache.put(seq, seq * 10, big(seq));
            assert!(cache.bytes <= FigureCache::BUDGET, "{} bytes kept", cache.bytes);
        }
        assert_eq!(cache.bytes, cache.entries.values().map(|e| e.bytes).sum::<usize>());
        assert!(cache.entries.len() < 32, "{} kept", cache.entries.len());
        assert!(cache.get(35, 350).is_some(), "the newest stays");
        assert!(cache.get(1, 10).is_some(), "used after the others of its time: kept");
        assert!(cache.get(2, 20).is_none(), "the least recently used go first");
        // A report that counts nothing is kept as such, at next to no cost.
        cache.put(81, 810, None);
        assert!(matches!(cache.get(81, 810), Some(None)));
    }

    #[test]
    fn a_merge_reads_the_merged_story_again_unless_a_discrepancy_lasts() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        let db: &mut dyn Sql = &mut Lite(&conn);
        report(db, 1, 1, "2025-10-11", "Een konvooi met 275 IS-strijders heeft de stad Busayra verlaten.");
        report(db, 2, 2, "2025-10-12", "Zo'n 250 IS-strijders hebben de stad Busayra verlaten.");
        // One report each: nothing to disagree with, known without reading.
        assert_eq!((flag(db, 1), flag(db, 2)), (Some(0), Some(0)));
        // A report that counts nothing leaves a story's as it was.
        report(db, 3, 1, "2025-10-12", "De coalitie volgt het konvooi vanuit de lucht.");
        assert_eq!(flag(db, 1), Some(0));
        // The two stories are one: their reports disagree, which only reading them shows.
        merge(db, 2, 1).unwrap();
        assert_eq!(flag(db, 1), None, "unknown until settled");
        assert_eq!(settle(db).unwrap(), 1);
        assert_eq!(flag(db, 1), Some(state_code(DiscrepancyState::Lasting)));
        // A lasting discrepancy goes with the reports into the story they join, unread.
        report(db, 4, 4, "2025-10-13", "Het konvooi telde vijftig vrachtwagens.");
        merge(db, 1, 4).unwrap();
        assert_eq!(flag(db, 4), Some(2));
        report(db, 5, 4, "2025-10-14", "Volgens de coalitie reden er 60 vrachtwagens mee.");
        assert_eq!(flag(db, 4), Some(2), "a lasting discrepancy stays as reports join");
        assert_eq!(settle(db).unwrap(), 0, "nothing left to read");
        // A revised report's story is read again.
        refresh(db, 4, 5).unwrap();
        assert_eq!(flag(db, 4), None);
        settle(db).unwrap();
        assert_eq!(flag(db, 4), Some(2));
    }
}
