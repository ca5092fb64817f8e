//! The write path both backends share: a batch of prepared articles stored inside the caller's
//! transaction — duplicates found by id, address and text, revisions kept as versions,
//! near-duplicates linked, stories assigned — through [`Sql`], so SQLite and PostgreSQL store
//! exactly the same thing.

use std::sync::Mutex;

use rusqlite::params;
use storyline_core::ingest::dedupe::{similarity, Signature};
use storyline_core::ingest::prepare::{unscoped_id, Prepared};
use storyline_core::model::Article;

use crate::bands::BandIndex;
use crate::sql::{params_of, placeholders, Sql};
use crate::stories::StoryState;
use crate::{DuplicateReason, IngestOutcome, IngestSettings, StoreError};

/// The most near-duplicate candidates checked for one new article.
const MAX_CANDIDATES: usize = 64;

/// Now, in seconds since the epoch.
pub fn now() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// The 64-bit content digest (16 hex characters) as the databases' signed integer.
pub fn hash_to_db(hex: &str) -> Result<i64, StoreError> {
    u64::from_str_radix(hex, 16)
        .map(|v| v as i64)
        .map_err(|_| StoreError::Corrupt(format!("content digest `{hex}` is not 16 hex digits")))
}

/// Adds to the band index what was committed since it last looked (by this or another writer),
/// starting no earlier than the window.
pub fn catch_up(tx: &mut dyn Sql, bands: &mut BandIndex) -> Result<(), StoreError> {
    let newest = crate::stories::newest_seq(tx)?;
    if newest <= bands.seen_up_to {
        return Ok(());
    }
    let from = bands.seen_up_to.max(bands.window_start(newest) - 1);
    let rows = tx.query(
        "SELECT article_seq, minhash FROM signatures WHERE article_seq > ?1 ORDER BY article_seq",
        params![from],
    )?;
    for row in rows {
        let seq: i64 = row.get(0)?;
        let blob: Vec<u8> = row.get(1)?;
        if let Some(sig) = Signature::from_bytes(&blob) {
            bands.add(seq, &sig.band_keys());
        }
    }
    bands.seen_up_to = bands.seen_up_to.max(newest);
    Ok(())
}

/// What a writing process keeps in memory between its batches: the near-duplicate index of
/// recent articles and the clusterer, both built on the first write and caught up at the start
/// of every later one on what other writers stored meanwhile.
#[derive(Default)]
pub struct WriterState {
    bands: Mutex<Option<BandIndex>>,
    stories: Mutex<Option<StoryState>>,
    timings: Mutex<crate::WriteTimings>,
}

impl WriterState {
    /// Runs one write (`run` opens, fills and commits its transaction) with the in-memory state;
    /// a write that fails forgets it, since it may hold what was rolled back.
    pub fn write<T>(
        &self,
        settings: &IngestSettings,
        run: impl FnOnce(
            &mut BandIndex,
            &mut Option<StoryState>,
            &mut crate::WriteTimings,
        ) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut bands = self.bands.lock().unwrap_or_else(|p| p.into_inner());
        if bands.as_ref().is_none_or(|b| b.horizon() != settings.near_duplicate_horizon) {
            *bands = Some(BandIndex::new(settings.near_duplicate_horizon));
        }
        let mut stories = self.stories.lock().unwrap_or_else(|p| p.into_inner());
        let mut times = crate::WriteTimings { batches: 1, ..Default::default() };
        let result = run(bands.as_mut().expect("set above"), &mut stories, &mut times);
        if result.is_err() {
            *bands = None;
            *stories = None;
        }
        self.timings.lock().unwrap_or_else(|p| p.into_inner()).add(&times);
        result
    }

    /// Runs `save` with the clusterer, when this process has one that is in step with what it
    /// stored (none after a failed write, a re-clustering or a repair).
    pub fn save(&self, save: impl FnOnce(&StoryState) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let stories = self.stories.lock().unwrap_or_else(|p| p.into_inner());
        match stories.as_ref() {
            Some(state) => save(state),
            None => Ok(()),
        }
    }

    /// Where the writes through this state spent their time so far.
    pub fn timings(&self) -> crate::WriteTimings {
        *self.timings.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets the clusterer (after a re-clustering or a repair changed what it read).
    pub fn forget_stories(&self) {
        *self.stories.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Stores a batch inside the caller's transaction: the near-duplicate index and the clusterer
/// are first caught up on what is stored (or the clusterer built, when `stories` is empty or
/// was built with other settings).
pub fn ingest(
    db: &mut dyn Sql,
    bands: &mut BandIndex,
    stories: &mut Option<StoryState>,
    batch: &[Prepared],
    settings: &IngestSettings,
    times: &mut crate::WriteTimings,
) -> Result<Vec<IngestOutcome>, StoreError> {
    let started = std::time::Instant::now();
    catch_up(db, bands)?;
    match stories.as_mut() {
        Some(state) if state.is_current(db, &settings.cluster)? => state.catch_up(db)?,
        _ => *stories = Some(StoryState::load(db, &settings.cluster)?),
    }
    times.catch_up += crate::ns_since(started);
    let outcomes = ingest_batch(db, bands, stories.as_mut().expect("set above"), batch, settings, times)?;
    // The discrepancies of the stories the batch changed, in its transaction.
    let started = std::time::Instant::now();
    stories.as_mut().expect("set above").settle(db)?;
    times.discrepancies += crate::ns_since(started);
    Ok(outcomes)
}

/// The same text stored under another article: a duplicate of it, recorded as a sighting when
/// another outlet or address ran it.
fn same_text(tx: &mut dyn Sql, a: &Article, hash: i64) -> Result<Option<IngestOutcome>, StoreError> {
    let Some(r) =
        tx.query_row("SELECT id, source, url FROM articles WHERE content_hash = ?1", params![hash])?
    else {
        return Ok(None);
    };
    let (id, source, url): (String, Option<String>, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
    let elsewhere = a.source != source || (a.url.is_some() && a.url != url);
    let added = elsewhere
        && tx.execute(
            "INSERT INTO sightings (article_id, source, url, published) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT DO NOTHING",
            params![
                id,
                a.source.as_deref().unwrap_or(""),
                a.url.as_deref().unwrap_or(""),
                a.published.map(|p| p.to_string())
            ],
        )? > 0;
    Ok(Some(IngestOutcome::Duplicate {
        id,
        reason: DuplicateReason::SameText,
        sighting_added: added,
        story: None,
    }))
}

/// Rows a batch writes and nothing in it reads before the batch ends (each new article's
/// analysis, search entry and signature), kept and written together: a few statements per
/// batch instead of three per article, which is most of a server's round trips.
#[derive(Default)]
struct Pending {
    analyses: Vec<(i64, Vec<u8>, Vec<u8>)>,
    search: Vec<(i64, crate::search::IndexRow)>,
    signatures: Vec<(i64, String, String, Vec<u8>)>,
    /// The signatures above by sequence number, for near-duplicate candidates in the batch.
    minhash: std::collections::HashMap<i64, usize>,
    /// Each new article's clustering features, for other writers to catch up on (PostgreSQL
    /// only: see [`crate::stories::keeps_features`]).
    features: Vec<(i64, Vec<u8>)>,
}

/// Rows per multi-row statement.
const ROWS_PER_STATEMENT: usize = 64;

impl Pending {
    /// Writes what is kept, emptying it.
    fn flush(&mut self, tx: &mut dyn Sql, times: &mut crate::WriteTimings) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        for chunk in self.analyses.chunks(ROWS_PER_STATEMENT) {
            let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 3);
            for (seq, analysis, terms) in chunk {
                params.extend([seq as &dyn rusqlite::ToSql, analysis, terms]);
            }
            tx.execute(
                &format!(
                    "INSERT INTO analyses (article_seq, analysis, terms) VALUES {}",
                    values(chunk.len(), 3, None)
                ),
                &params,
            )?;
        }
        times.analyses += crate::ns_since(started);
        let started = std::time::Instant::now();
        for chunk in self.search.chunks(ROWS_PER_STATEMENT) {
            crate::search::insert_rows(tx, chunk)?;
        }
        times.search_index += crate::ns_since(started);
        let started = std::time::Instant::now();
        for chunk in self.signatures.chunks(ROWS_PER_STATEMENT) {
            let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 4);
            for (seq, id, root, minhash) in chunk {
                params.extend([seq as &dyn rusqlite::ToSql, id, root, minhash]);
            }
            tx.execute(
                &format!(
                    "INSERT INTO signatures (article_seq, article_id, root_id, minhash) VALUES {}",
                    values(chunk.len(), 4, None)
                ),
                &params,
            )?;
        }
        times.signatures += crate::ns_since(started);
        let started = std::time::Instant::now();
        for chunk in self.features.chunks(ROWS_PER_STATEMENT) {
            let mut params: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 2);
            for (seq, bytes) in chunk {
                params.extend([seq as &dyn rusqlite::ToSql, bytes]);
            }
            tx.execute(
                &format!(
                    "INSERT INTO cluster_features (article_seq, features) VALUES {} ON CONFLICT DO NOTHING",
                    values(chunk.len(), 2, None)
                ),
                &params,
            )?;
        }
        times.stories += crate::ns_since(started);
        *self = Pending::default();
        Ok(())
    }
}

/// `(?1, ?2, ?3), (?4, ?5, ?6), …`: `rows` tuples of `width` parameters, each parameter
/// written through `wrap` (`CAST({} AS text)`) for the columns it names, by position.
pub(crate) fn values(rows: usize, width: usize, wrap: Option<&dyn Fn(usize, String) -> String>) -> String {
    let mut out = String::with_capacity(rows * width * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            let param = format!("?{}", r * width + c + 1);
            out.push_str(&match wrap {
                Some(w) => w(c, param),
                None => param,
            });
        }
        out.push(')');
    }
    out
}

/// The stored articles a batch names by id (or, for a store written before ids were scoped, by
/// the unscoped id): `id -> (seq, source)`, in one query.
fn stored_ids(
    tx: &mut dyn Sql,
    batch: &[Prepared],
) -> Result<std::collections::HashMap<String, (i64, Option<String>)>, StoreError> {
    let mut ids: Vec<String> = Vec::with_capacity(batch.len() * 2);
    for p in batch {
        ids.push(p.article.id.clone());
        if let Some(old) = unscoped_id(&p.article) {
            ids.push(old);
        }
    }
    ids.sort();
    ids.dedup();
    let mut found = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let list = placeholders(chunk.len());
        for r in tx
            .query(&format!("SELECT id, seq, source FROM articles WHERE id IN ({list})"), &params_of(chunk))?
        {
            found.insert(r.get::<String>(0)?, (r.get::<i64>(1)?, r.get::<Option<String>>(2)?));
        }
    }
    Ok(found)
}

/// The stored article an incoming one is by id: its own id, or its unscoped id under the same
/// outlet in a store written before ids were scoped.
fn by_id(
    found: &std::collections::HashMap<String, (i64, Option<String>)>,
    a: &Article,
) -> Option<(i64, String)> {
    if let Some((seq, _)) = found.get(&a.id) {
        return Some((*seq, a.id.clone()));
    }
    let old = unscoped_id(a)?;
    match found.get(&old) {
        Some((seq, source)) if *source == a.source => Some((*seq, old)),
        _ => None,
    }
}

/// Stores a batch inside the caller's transaction, with the near-duplicate index and the
/// clusterer caught up on what is stored: the one ingest both backends run.
fn ingest_batch(
    tx: &mut dyn Sql,
    bands: &mut BandIndex,
    stories: &mut StoryState,
    batch: &[Prepared],
    settings: &IngestSettings,
    times: &mut crate::WriteTimings,
) -> Result<Vec<IngestOutcome>, StoreError> {
    use std::time::Instant;
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut merged = false;
    let mut pending = Pending::default();
    let keeps_features = crate::stories::keeps_features(tx);
    // Re-ingesting is common: one query finds the batch's stored articles.
    let started = Instant::now();
    let stored = stored_ids(tx, batch)?;
    times.duplicates += crate::ns_since(started);
    let stamp = now();
    for p in batch {
        let a = &p.article;
        let hash = hash_to_db(&a.content_hash)?;
        if let Some((seq, id)) = by_id(&stored, a) {
            pending.flush(tx, times)?;
            stories.write_stories(tx)?;
            let started = Instant::now();
            outcomes.push(version_of(tx, bands, seq, id, p, hash, DuplicateReason::SameId, stamp)?);
            times.duplicates += crate::ns_since(started);
            continue;
        }
        let started = Instant::now();
        let mut near: Option<(String, f32)> = None;
        let keys = p.signature.as_ref().map(Signature::band_keys);
        if let (Some(sig), Some(keys)) = (&p.signature, &keys) {
            let candidates = bands.candidates(keys, MAX_CANDIDATES);
            // Candidates stored before the batch, in one query; the batch's own are at hand.
            let earlier: Vec<i64> =
                candidates.iter().copied().filter(|c| !pending.minhash.contains_key(c)).collect();
            let mut minhashes: std::collections::HashMap<i64, (Vec<u8>, String)> = Default::default();
            if !earlier.is_empty() {
                let params = params_of(&earlier);
                let list = placeholders(earlier.len());
                for r in tx.query(
                    &format!(
                        "SELECT article_seq, minhash, root_id FROM signatures WHERE article_seq IN ({list})"
                    ),
                    &params,
                )? {
                    minhashes.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
                }
            }
            for seq in candidates {
                let (blob, root) = match pending.minhash.get(&seq) {
                    Some(&i) => (&pending.signatures[i].3, &pending.signatures[i].2),
                    None => match minhashes.get(&seq) {
                        Some((blob, root)) => (blob, root),
                        None => continue,
                    },
                };
                let Some(other) = Signature::from_bytes(blob) else { continue };
                let s = similarity(sig, &other);
                if s >= settings.near_duplicate_threshold && near.as_ref().is_none_or(|(_, best)| s > *best) {
                    near = Some((root.clone(), s));
                }
            }
        }
        times.near_duplicates += crate::ns_since(started);
        let started = Instant::now();
        let metadata = serde_json::to_string(&a.metadata).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let extra = serde_json::to_string(&a.extra).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        // Insert first; the unique constraints on id, URL and content digest decide, and
        // only a refused insert pays for finding out which one.
        let inserted = tx.query_value::<i64>(
            "INSERT INTO articles (id, title, text, source, url, published, published_unix, language, \
             language_confidence, language_declared, author, metadata, extra, content_hash, \
             near_dup_of, near_dup_similarity, origin, ingested_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) \
             ON CONFLICT DO NOTHING RETURNING seq",
            params![
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
            ],
        )?;
        times.articles += crate::ns_since(started);
        let Some(seq) = inserted else {
            pending.flush(tx, times)?;
            stories.write_stories(tx)?;
            let started = Instant::now();
            let outcome = known_article(tx, bands, p, hash, stamp)?;
            times.duplicates += crate::ns_since(started);
            outcomes.push(outcome);
            continue;
        };
        // Sentences are stored as offsets only; their text is the article's.
        let mut compact = p.analysis.clone();
        compact.strip_sentence_text();
        pending.analyses.push((
            seq,
            crate::codec::encode(&compact),
            crate::codec::encode_terms(&p.dossier_terms),
        ));
        // Its story is settled at the batch's end: what the figures need of it is at hand.
        stories.remember_report(seq, hash, a, &compact);
        pending.search.push((seq, crate::search::IndexRow::of(&p.search_terms, &p.analysis)));
        if keeps_features {
            pending.features.push((seq, p.features.to_bytes()));
        }
        if let Some(sig) = &p.signature {
            let root = near.as_ref().map_or(a.id.as_str(), |(id, _)| id.as_str());
            pending.minhash.insert(seq, pending.signatures.len());
            pending.signatures.push((seq, a.id.clone(), root.to_string(), sig.to_bytes()));
        }
        if let Some(keys) = keys {
            bands.add(seq, &keys);
        }
        let started = Instant::now();
        let near_seq = match &near {
            Some((id, _)) => crate::stories::seq_of(tx, id)?,
            None => None,
        };
        let counting = storyline_core::dossier::counts(&p.analysis);
        let decision = stories.assign_in_batch(tx, seq, a, &p.features, near_seq, counting)?;
        times.stories += crate::ns_since(started);
        merged |= decision.merged.is_some();
        outcomes.push(IngestOutcome::Inserted {
            id: a.id.clone(),
            near_duplicate_of: near,
            story: decision.story,
        });
    }
    pending.flush(tx, times)?;
    let started = Instant::now();
    stories.write_stories(tx)?;
    times.stories += crate::ns_since(started);
    if keeps_features {
        let started = Instant::now();
        crate::stories::forget_old_features(tx)?;
        times.stories += crate::ns_since(started);
    }
    // Duplicates report the story of the article they duplicate; when stories merged, the
    // earlier articles of the batch report the story they are in now.
    const STORY_OF: &str = "SELECT story FROM articles WHERE id = ?1";
    for o in &mut outcomes {
        match o {
            IngestOutcome::Duplicate { id, story, .. } | IngestOutcome::Revised { id, story, .. } => {
                *story = tx.query_value(STORY_OF, params![id.as_str()])?;
            }
            IngestOutcome::Inserted { id, story, .. } if merged => {
                if let Some(now) = tx.query_value(STORY_OF, params![id.as_str()])? {
                    *story = now;
                }
            }
            IngestOutcome::Inserted { .. } => {}
        }
    }
    Ok(outcomes)
}

/// What a refused insert was: the same id stored earlier (a version of that article), the
/// same address (a version, or another outlet's duplicate), or the same text (a duplicate).
fn known_article(
    tx: &mut dyn Sql,
    bands: &mut BandIndex,
    p: &Prepared,
    hash: i64,
    stamp: i64,
) -> Result<IngestOutcome, StoreError> {
    let a = &p.article;
    // The same id stored earlier in this batch: a version of that article.
    if let Some((seq, id)) = by_id(&stored_ids(tx, std::slice::from_ref(p))?, a) {
        return version_of(tx, bands, seq, id, p, hash, DuplicateReason::SameId, stamp);
    }
    if let Some(url) = &a.url {
        if let Some(r) = tx.query_row("SELECT seq, id, source FROM articles WHERE url = ?1", params![url])? {
            let (seq, id, source): (i64, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
            // Only the outlet that ran an address revises what it holds; another outlet's
            // record with that address is a duplicate, as ever.
            let other_outlet =
                matches!((&source, &a.source), (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y));
            if other_outlet {
                return Ok(IngestOutcome::Duplicate {
                    id,
                    reason: DuplicateReason::SameUrl,
                    sighting_added: false,
                    story: None,
                });
            }
            return version_of(tx, bands, seq, id, p, hash, DuplicateReason::SameUrl, stamp);
        }
    }
    Ok(same_text(tx, a, hash)?.unwrap_or_else(|| {
        // Only the id can have collided (written by another writer meanwhile).
        IngestOutcome::Duplicate {
            id: a.id.clone(),
            reason: DuplicateReason::SameId,
            sighting_added: false,
            story: None,
        }
    }))
}

/// What an incoming article is to the stored article `seq` (`id`) that has its id or URL: the
/// same version (shown or earlier: a duplicate), or a new one, stored by [`revise`]; when its
/// text is another article's, a duplicate of that one instead.
#[allow(clippy::too_many_arguments)]
fn version_of(
    tx: &mut dyn Sql,
    bands: &mut BandIndex,
    seq: i64,
    id: String,
    p: &Prepared,
    hash: i64,
    reason: DuplicateReason,
    stamp: i64,
) -> Result<IngestOutcome, StoreError> {
    let known = tx
        .query_row(
            "SELECT 1 FROM articles WHERE seq = ?1 AND content_hash = ?2 AND title = ?3 \
             UNION ALL SELECT 1 FROM article_versions WHERE article_seq = ?1 AND content_hash = ?2 AND title = ?3 \
             LIMIT 1",
            params![seq, hash, p.article.title],
        )?
        .is_some();
    if known {
        return Ok(IngestOutcome::Duplicate { id, reason, sighting_added: false, story: None });
    }
    let elsewhere = tx
        .query_row("SELECT 1 FROM articles WHERE content_hash = ?1 AND seq <> ?2", params![hash, seq])?
        .is_some();
    if elsewhere {
        // Another article holds the digest: a duplicate of that one.
        return Ok(same_text(tx, &p.article, hash)?.unwrap_or(IngestOutcome::Duplicate {
            id,
            reason,
            sighting_added: false,
            story: None,
        }));
    }
    let (version, latest) = revise(tx, bands, seq, p, hash, stamp)?;
    Ok(IngestOutcome::Revised { id, reason, version, latest, story: None })
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
    tx: &mut dyn Sql,
    bands: &mut BandIndex,
    seq: i64,
    p: &Prepared,
    hash: i64,
    stamp: i64,
) -> Result<(u32, bool), StoreError> {
    let a = &p.article;
    let shown = tx
        .query_row("SELECT published_unix, story FROM articles WHERE seq = ?1", params![seq])?
        .ok_or_else(|| StoreError::Database(format!("article {seq} vanished during its revision")))?;
    let (published_unix, story): (Option<i64>, Option<i64>) = (shown.get(0)?, shown.get(1)?);
    let earlier: Vec<Option<i64>> = tx
        .query(
            "SELECT published_unix FROM article_versions WHERE article_seq = ?1 ORDER BY version",
            params![seq],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_, _>>()?;
    let new_unix = a.published.map(|p| p.unix);
    let before = |other: Option<i64>| matches!((new_unix, other), (Some(n), Some(o)) if n < o);
    let mut compact = p.analysis.clone();
    compact.strip_sentence_text();
    let encoded = crate::codec::encode(&compact);
    if before(published_unix) {
        // An older version arriving late: into the history, after the versions not newer.
        let mut at = earlier.len() + 1;
        while at > 1 && before(earlier[at - 2]) {
            at -= 1;
        }
        tx.execute(
            "UPDATE article_versions SET version = version + 1 WHERE article_seq = ?1 AND version >= ?2",
            params![seq, at as i64],
        )?;
        tx.execute(
            "INSERT INTO article_versions (article_seq, version, title, text, published, published_unix, \
             content_hash, ingested_at, analysis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                seq,
                at as i64,
                a.title,
                a.text,
                a.published.map(|p| p.to_string()),
                new_unix,
                hash,
                stamp,
                encoded
            ],
        )?;
        return Ok((at as u32, false));
    }
    // The shown version moves into the history as it is stored, analysis and all.
    let shown_was = earlier.len() as i64 + 1;
    tx.execute(
        "INSERT INTO article_versions (article_seq, version, title, text, published, published_unix, \
         content_hash, ingested_at, analysis) \
         SELECT a.seq, CAST(?2 AS BIGINT), a.title, a.text, a.published, a.published_unix, a.content_hash, \
         a.ingested_at, n.analysis FROM articles a LEFT JOIN analyses n ON n.article_seq = a.seq WHERE a.seq = ?1",
        params![seq, shown_was],
    )?;
    let metadata = serde_json::to_string(&a.metadata).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let extra = serde_json::to_string(&a.extra).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "UPDATE articles SET title = ?2, text = ?3, published = ?4, published_unix = ?5, language = ?6, \
         language_confidence = ?7, language_declared = ?8, author = ?9, metadata = ?10, extra = ?11, \
         content_hash = ?12, origin = ?13, ingested_at = ?14 WHERE seq = ?1",
        params![
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
        ],
    )?;
    tx.execute(
        "INSERT INTO analyses (article_seq, analysis, terms) VALUES (?1, ?2, ?3) \
         ON CONFLICT (article_seq) DO UPDATE SET analysis = excluded.analysis, terms = excluded.terms",
        params![seq, encoded, crate::codec::encode_terms(&p.dossier_terms)],
    )?;
    crate::search::unindex_article(tx, seq)?;
    crate::search::index_article(tx, seq, &p.search_terms, &p.analysis)?;
    match &p.signature {
        Some(sig) => {
            let updated = tx.execute(
                "UPDATE signatures SET minhash = ?2 WHERE article_seq = ?1",
                params![seq, sig.to_bytes()],
            )?;
            if updated == 0 {
                tx.execute(
                    "INSERT INTO signatures (article_seq, article_id, root_id, minhash) \
                     SELECT seq, id, id, ?2 FROM articles WHERE seq = ?1",
                    params![seq, sig.to_bytes()],
                )?;
            }
            bands.add(seq, &sig.band_keys());
        }
        None => {
            tx.execute("DELETE FROM signatures WHERE article_seq = ?1", params![seq])?;
        }
    }
    if let Some(story) = story {
        crate::stories::refresh(tx, story, seq)?;
    }
    // An editor's date, outlet or language outlasts the outlet's revision.
    let id = stored_id(tx, seq)?;
    crate::corrections::reapply_fields(tx, seq, &id)?;
    Ok((shown_was as u32 + 1, true))
}

/// The stored id of article `seq`.
fn stored_id(tx: &mut dyn Sql, seq: i64) -> Result<String, StoreError> {
    tx.query_value("SELECT id FROM articles WHERE seq = ?1", params![seq])?
        .ok_or_else(|| StoreError::Database(format!("article {seq} vanished during its revision")))
}
