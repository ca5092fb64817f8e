//! The SQLite backend against the shared conformance suite, plus what only a file store shows:
//! migrations, several writers on one file.

mod conformance;

use std::sync::Arc;

use storyline_store::sqlite::{SqliteStore, SCHEMA_VERSION};
use storyline_store::{IngestOutcome, IngestSettings, Store, StoreError};

#[test]
fn in_memory_store_conforms() {
    conformance::run_all(&|| Box::new(SqliteStore::open_in_memory().unwrap()));
}

#[test]
fn file_store_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let counter = std::cell::Cell::new(0);
    conformance::run_all(&|| {
        counter.set(counter.get() + 1);
        Box::new(SqliteStore::open(&dir.path().join(format!("s{}.db", counter.get()))).unwrap())
    });
}

#[test]
fn a_report_revised_by_another_writer_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let (first, second) = (SqliteStore::open(&path).unwrap(), SqliteStore::open(&path).unwrap());
    conformance::a_report_revised_by_another_writer_is_read_again(&first, &second);
}

#[test]
fn reopening_keeps_data_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        store
            .ingest(
                &[conformance::article("k1", "NPB", None, "2025-10-01", conformance::WIRE)],
                &IngestSettings::default(),
            )
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.articles, 1);
    assert_eq!(stats.schema_version, SCHEMA_VERSION);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)", []).unwrap();
    drop(conn);
    match SqliteStore::open(&path) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer schema must be refused"),
    }
}

#[test]
fn several_writers_on_one_file_store_each_article_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(SqliteStore::open(&path).unwrap());
    let batches: Vec<_> = (0..4)
        .map(|w| {
            // Overlapping batches: every writer stores articles 0..60, in a different order.
            let mut batch: Vec<_> = (0..60)
                .map(|i| {
                    conformance::article(
                        &format!("w{i}"),
                        "NPB",
                        None,
                        "2025-10-01",
                        &format!("Bericht nummer {i} over de raad."),
                    )
                })
                .collect();
            batch.rotate_left(w * 15);
            batch
        })
        .collect();
    let batches = Arc::new(batches);
    let handles: Vec<_> = (0..4)
        .map(|w| {
            let path = path.clone();
            let batches = batches.clone();
            std::thread::spawn(move || {
                let store = SqliteStore::open(&path).unwrap();
                for chunk in batches[w].chunks(10) {
                    store.ingest(chunk, &IngestSettings::default()).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.stats().unwrap().articles, 60);
}

#[test]
fn the_search_migration_indexes_articles_stored_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        conformance::search_fixtures(&store);
    }
    // Make the file look as a store written before the search index existed.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE search_index; DROP INDEX articles_language; DROP INDEX articles_story_source; \
         DROP INDEX articles_story_language; ALTER TABLE analyses DROP COLUMN terms; \
         DROP TABLE article_versions; DROP TABLE pins; DROP TABLE correction_articles; DROP TABLE corrections; DROP TABLE cluster_state; \
         DELETE FROM schema_migrations WHERE version >= 4;",
    )
    .unwrap();
    conn.execute_batch(WITHOUT_DISCREPANCIES).unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.stats().unwrap().schema_version, SCHEMA_VERSION);
    let found = store
        .search(&storyline_store::SearchQuery { text: "konvooien".into(), limit: 10, ..Default::default() })
        .unwrap();
    assert_eq!(found.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["k1@npb", "k2@de-dagkoerier"]);
}

/// What makes a store look as one written before each story's discrepancies were kept.
const WITHOUT_DISCREPANCIES: &str = "DROP INDEX stories_discrepancies_unknown; \
    ALTER TABLE stories DROP COLUMN discrepancies; DELETE FROM schema_migrations WHERE version >= 10;";

/// Stories by id, each with whether it has discrepancies.
type Flags = Vec<(i64, bool)>;

/// Each story's id and whether it has discrepancies, and the same read from its dossier.
fn flags_and_dossiers(store: &SqliteStore) -> (Flags, Flags) {
    let listed = store.stories(&storyline_store::StoryFilter::default()).unwrap();
    let flags = listed.iter().map(|s| (s.id, s.discrepancies)).collect();
    let dossiers = listed
        .iter()
        .map(|s| {
            let d = storyline_store::dossier::story_dossier(store, s.id).unwrap().unwrap();
            (s.id, !d.discrepancies.is_empty())
        })
        .collect();
    (flags, dossiers)
}

#[test]
fn the_discrepancies_migration_fills_in_the_stories_already_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let before = {
        let store = SqliteStore::open(&path).unwrap();
        let (convoy, flood) = conformance::convoy_and_flood(&store);
        let (flags, dossiers) = flags_and_dossiers(&store);
        assert_eq!(flags, dossiers);
        assert!(flags.contains(&(convoy, true)) && flags.contains(&(flood, false)), "{flags:?}");
        flags
    };
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(WITHOUT_DISCREPANCIES).unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.stats().unwrap().schema_version, SCHEMA_VERSION);
    let (flags, dossiers) = flags_and_dossiers(&store);
    assert_eq!(flags, before);
    assert_eq!(flags, dossiers);
    let unknown: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM stories WHERE discrepancies IS NULL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(unknown, 0);
    assert!(store.check(false).unwrap().problems.is_empty());
}

/// A story whose discrepancies are not stored (a write settles them before it commits, so only
/// a hand-edited or damaged store has one) still lists right; `check` names it and `--repair`
/// stores them.
#[test]
fn a_story_without_its_discrepancies_lists_right_and_check_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = SqliteStore::open(&path).unwrap();
    let (convoy, _) = conformance::convoy_and_flood(&store);
    let before = flags_and_dossiers(&store).0;
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE stories SET discrepancies = NULL WHERE id = ?1", [convoy])
        .unwrap();
    assert_eq!(flags_and_dossiers(&store).0, before, "read from its reports");
    let report = store.check(false).unwrap();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let problem = &report.problems[0];
    assert_eq!(
        (problem.row.as_str(), problem.field, problem.repaired),
        (&*format!("story {convoy}"), "discrepancies", false)
    );
    let report = store.check(true).unwrap();
    assert!(report.problems[0].repaired);
    assert!(store.check(false).unwrap().problems.is_empty());
    let with = store
        .stories(&storyline_store::StoryFilter { discrepancies: Some(true), ..Default::default() })
        .unwrap();
    assert_eq!(with.iter().map(|s| s.id).collect::<Vec<_>>(), [convoy]);
}

/// Every article and every story's dossier of a store, to compare two states of one store.
fn everything(
    store: &SqliteStore,
) -> (Vec<storyline_store::ArticleRecord>, Vec<storyline_core::dossier::Dossier>) {
    let mut articles = Vec::new();
    for a in store.articles(&storyline_store::ArticleFilter::default()).unwrap() {
        articles.push(store.article(&a.id).unwrap().unwrap());
    }
    let mut dossiers = Vec::new();
    for s in store.stories(&storyline_store::StoryFilter::default()).unwrap() {
        dossiers.push(storyline_store::dossier::story_dossier(store, s.id).unwrap().unwrap());
    }
    (articles, dossiers)
}

/// Rewrites every stored analysis as the JSON that stores before schema migration 5 held.
fn store_analyses_as_json(conn: &rusqlite::Connection) {
    let rows: Vec<(i64, Vec<u8>)> = conn
        .prepare("SELECT article_seq, analysis FROM analyses")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!rows.is_empty());
    for (seq, blob) in rows {
        let json = serde_json::to_string(&storyline_store::codec::decode(&blob).unwrap()).unwrap();
        conn.execute(
            "UPDATE analyses SET analysis = ?2 WHERE article_seq = ?1",
            rusqlite::params![seq, json],
        )
        .unwrap();
    }
}

fn analysis_types(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare("SELECT DISTINCT typeof(analysis) FROM analyses ORDER BY 1").unwrap();
    let types = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    types
}

#[test]
fn a_store_with_analyses_in_json_reads_the_same_before_and_after_its_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let before = {
        let store = SqliteStore::open(&path).unwrap();
        conformance::search_fixtures(&store);
        store
            .ingest(
                &[
                    conformance::article("f1", "NPB", None, "2025-10-01", conformance::WIRE),
                    conformance::article(
                        "f2",
                        "De Dagkoerier",
                        None,
                        "2025-10-02",
                        "Bij de brand in Hengelo zijn 15 woningen verwoest, meldt de brandweer. \
                         \u{201e}We hebben alles gedaan wat we konden\u{201d}, zei commandant Els Bakker.",
                    ),
                ],
                &IngestSettings::default(),
            )
            .unwrap();
        everything(&store)
    };
    assert!(before.0.iter().any(|r| r.analysis.as_ref().is_some_and(|a| !a.quantities.is_empty())));
    assert_eq!(analysis_types(&path), ["blob"]);

    // Analyses in JSON, and reports without their key words, read the same: the dossier reads
    // the key words itself.
    let conn = rusqlite::Connection::open(&path).unwrap();
    store_analyses_as_json(&conn);
    conn.execute("UPDATE analyses SET terms = NULL", []).unwrap();
    drop(conn);
    assert_eq!(analysis_types(&path), ["text"]);
    assert_eq!(everything(&SqliteStore::open(&path).unwrap()), before);

    // A store from before migration 5: the migration converts its analyses and reads every
    // report's key words.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "ALTER TABLE analyses DROP COLUMN terms; DROP TABLE article_versions; \
         DROP TABLE pins; DROP TABLE correction_articles; DROP TABLE corrections; DROP TABLE cluster_state; \
         DELETE FROM schema_migrations WHERE version >= 5;",
    )
    .unwrap();
    conn.execute_batch(WITHOUT_DISCREPANCIES).unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.stats().unwrap().schema_version, SCHEMA_VERSION);
    assert_eq!(analysis_types(&path), ["blob"]);
    let kept: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM analyses WHERE typeof(terms) = 'blob'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept as usize, before.0.len());
    assert_eq!(everything(&store), before);
    for s in store.stories(&storyline_store::StoryFilter::default()).unwrap() {
        for r in store.story_reports(s.id).unwrap() {
            let analysis = r.analysis.clone().unwrap_or_default();
            assert_eq!(r.terms, Some(storyline_core::dossier::ReportTerms::of(&r.article, &analysis)));
        }
    }
}

#[test]
fn a_story_merged_by_another_writer_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let (one, two) = (SqliteStore::open(&path).unwrap(), SqliteStore::open(&path).unwrap());
    let settings = conformance::merging();
    let story = |o: &IngestOutcome| match o {
        IngestOutcome::Inserted { story, .. } => *story,
        other => panic!("{other:?}"),
    };
    let [d1, d2, d3] = conformance::derailment();
    let first = one.ingest(&[d1, d2.clone()], &settings).unwrap();
    assert!(d2.signature.is_some());
    let (kept, merged) = (story(&first[0]), story(&first[1]));
    assert_ne!(kept, merged);
    // The second writer learns both stories...
    two.ingest(
        &[conformance::article("z1", "NPB", None, "2025-09-18T06:30:00Z", conformance::WIRE)],
        &settings,
    )
    .unwrap();
    // ...the first merges them...
    assert_eq!(story(&one.ingest(&[d3], &settings).unwrap()[0]), kept);
    // ...and a copy of the second report, stored by the second writer, lands in the story that
    // holds its original now, not in the merged one.
    let copy = conformance::titled(
        "d2-copy",
        "Het Morgenblad",
        "2025-09-18T07:05:00Z",
        "nl",
        &d2.article.title,
        &d2.article.text.replace("vannacht", "afgelopen nacht"),
    );
    let out = two.ingest(&[copy], &settings).unwrap();
    assert_eq!(story(&out[0]), kept, "{out:?}");
    assert_eq!(two.stories(&Default::default()).unwrap().iter().filter(|s| s.id == merged).count(), 0);
    assert_eq!(two.story_articles(kept).unwrap().len(), 4);
}

#[test]
fn a_correction_made_by_another_process_holds_in_this_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let (writer, editor) = (SqliteStore::open(&path).unwrap(), SqliteStore::open(&path).unwrap());
    let settings = conformance::merging();
    let [d1, d2, d3] = conformance::derailment();
    // The writer's clusterer knows both stories...
    writer.ingest(&[d1, d2], &settings).unwrap();
    let story_of = |id: &str| writer.article(id).unwrap().unwrap().story.unwrap();
    assert_ne!(story_of("d1@npb"), story_of("d2@de-dagkoerier"));
    // ...another process pins each to its story...
    for id in ["d1@npb", "d2@de-dagkoerier"] {
        editor
            .correct(&storyline_store::corrections::Correction::Pin { article: id.into() }, "Anna")
            .unwrap();
    }
    // ...and the writer's next batch, with a report that fits both, keeps them apart.
    writer.ingest(&[d3], &settings).unwrap();
    assert_ne!(story_of("d1@npb"), story_of("d2@de-dagkoerier"), "the writer saw the other process's pins");
}

/// Rows an older version wrote with a date it could not read back (`20117-11-14`), or damaged
/// otherwise: every reader reads around them, `check` names each, `--repair` fixes them and
/// keeps what they held.
#[test]
fn a_damaged_row_never_fails_a_reader_and_check_repairs_it() {
    use storyline_store::{ArticleFilter, SearchQuery, StoryFilter};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = SqliteStore::open(&path).unwrap();
    store.ingest(&conformance::derailment(), &IngestSettings::default()).unwrap();
    let victim = "d2@de-dagkoerier";
    let story = store.article(victim).unwrap().unwrap().story.unwrap();
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE articles SET published = '20117-11-14', metadata = '{not json' WHERE id = ?1",
            [victim],
        )
        .unwrap();
        conn.execute(
            "UPDATE analyses SET analysis = x'00ff17', terms = x'ff' \
             WHERE article_seq = (SELECT seq FROM articles WHERE id = ?1)",
            [victim],
        )
        .unwrap();
        conn.execute("UPDATE stories SET last_published_text = '20117-11-14' WHERE id = ?1", [story])
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    // Every reader still answers, the damaged fields read as missing.
    let all = store.articles(&ArticleFilter::default()).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().find(|a| a.id == victim).unwrap().published.is_none());
    let record = store.article(victim).unwrap().expect("the article reads");
    assert!(record.analysis.is_none() && record.article.metadata.is_empty());
    assert_eq!(
        store.stories(&StoryFilter::default()).unwrap().len(),
        store.stats().unwrap().stories as usize
    );
    assert_eq!(store.story_reports(story).unwrap().len(), store.story_articles(story).unwrap().len());
    let hits = store.search(&SearchQuery { text: "trein".into(), ..SearchQuery::default() }).unwrap();
    assert!(hits.total >= 1);
    // A later ingest into the same store works too (the clusterer reads the damaged row).
    store
        .ingest(
            &[conformance::article("n1", "NPB", None, "2025-10-01", conformance::WIRE)],
            &IngestSettings::default(),
        )
        .unwrap();

    let found = store.check(false).unwrap();
    let fields: Vec<(&str, &str)> = found.problems.iter().map(|p| (p.row.as_str(), p.field)).collect();
    let row = format!("article `{victim}`");
    let story_row = format!("story {story}");
    for want in [
        (row.as_str(), "published"),
        (row.as_str(), "metadata"),
        (row.as_str(), "analysis"),
        (row.as_str(), "terms"),
        (story_row.as_str(), "published"),
    ] {
        assert!(fields.contains(&want), "{want:?} not in {fields:?}");
    }
    assert!(found.problems.iter().all(|p| !p.repaired));
    assert!(found.problems.iter().any(|p| p.message.contains("20117")), "{:?}", found.problems);
    // Checking changes nothing; repairing fixes everything and keeps the unreadable text.
    assert_eq!(store.check(false).unwrap(), found);
    let repaired = store.check(true).unwrap();
    assert_eq!(repaired.problems.len(), found.problems.len());
    assert!(repaired.problems.iter().all(|p| p.repaired));
    assert!(store.check(false).unwrap().problems.is_empty());
    let record = store.article(victim).unwrap().unwrap();
    assert_eq!(record.article.metadata.get("published_raw").map(String::as_str), Some("20117-11-14"));
    assert_eq!(record.article.metadata.get("metadata_raw").map(String::as_str), Some("{not json"));
    let analysis = record.analysis.expect("analysed again");
    assert!(!analysis.sentences.is_empty() && !analysis.entities.is_empty());
    let s = store.stories(&StoryFilter { id: Some(story), ..StoryFilter::default() }).unwrap();
    assert!(s[0].last_published.is_some());
}

/// The listings read a page from an index in their order: no scan of the whole table and no
/// sort of it (`EXPLAIN QUERY PLAN` of the queries `articles` and `stories` run).
#[test]
fn listings_read_their_order_from_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    for sql in [
        "SELECT id FROM articles WHERE 1 = 1 ORDER BY published_unix IS NULL, published_unix DESC, seq DESC LIMIT 50 OFFSET 0",
        "SELECT id FROM articles WHERE 1 = 1 AND published_unix >= 0 ORDER BY published_unix IS NULL, published_unix DESC, seq DESC LIMIT 50",
        "SELECT s.id FROM stories s WHERE s.articles >= 1 ORDER BY s.last_published IS NULL, s.last_published DESC, s.last_seq DESC LIMIT 50",
    ] {
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let plan = plan.join("; ");
        assert!(plan.contains("USING INDEX") && !plan.contains("TEMP B-TREE"), "{sql}: {plan}");
    }
    // And the store's own listing query is still the one checked here.
    let source = include_str!("../src/read.rs");
    assert!(source.contains("ORDER BY published_unix IS NULL, published_unix DESC, seq DESC"));
    assert!(source.contains("ORDER BY s.last_published IS NULL, s.last_published DESC, s.last_seq DESC"));
}

/// `recluster` gives the stories ingest gave when the articles came in publication order: the
/// same decisions, from the features rebuilt out of what is stored. Real reports from the
/// development sets in `../shared/data` (skipped when absent): look-alike undated events, and
/// dated headlines.
#[test]
fn recluster_gives_the_stories_ingest_gave_in_publication_order() {
    use storyline_core::ingest::jsonl::parse_record;
    use storyline_core::ingest::prepare::{prepare_with_signature, Prepared};
    use storyline_core::ingest::PrepareOptions;
    use storyline_core::Locator;
    use storyline_store::ArticleFilter;

    for (name, limit) in [("ecbplus-dev.jsonl", usize::MAX), ("uci-headlines-dev.jsonl", 1_000)] {
        let path = format!("{}/../../../shared/data/{name}", env!("CARGO_MANIFEST_DIR"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("{path} not present; skipped");
            continue;
        };
        let mut batch: Vec<Prepared> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(limit)
            .enumerate()
            .map(|(i, line)| {
                let raw =
                    parse_record(line.as_bytes(), Locator::Line(i as u64 + 1)).expect("dev data parses");
                prepare_with_signature(raw, &PrepareOptions::default(), None).expect("analysis")
            })
            .collect();
        // Publication order (a set is all dated or all undated; the undated keep file order).
        batch.sort_by_key(|p| p.article.published.map(|d| d.unix));
        let store = SqliteStore::open_in_memory().unwrap();
        for chunk in batch.chunks(64) {
            store.ingest(chunk, &IngestSettings::default()).unwrap();
        }
        let stories = |store: &SqliteStore| -> Vec<(String, Option<i64>)> {
            let mut v: Vec<_> = store
                .articles(&ArticleFilter::default())
                .unwrap()
                .into_iter()
                .map(|a| (a.id, a.story))
                .collect();
            v.sort();
            v
        };
        let ingested = stories(&store);
        let count = store.stats().unwrap().stories;
        assert!(count > 1 && (count as usize) < ingested.len(), "{name}: {count} stories");
        let report = store.recluster(&IngestSettings::default()).unwrap();
        assert_eq!(report.stories, count, "{name}");
        assert_eq!(stories(&store), ingested, "{name}");
    }
}

/// A store written before source ids were scoped by their outlet keeps its ids: the same
/// outlet's record finds its article under the unscoped id, as a duplicate or a revision.
#[test]
fn a_store_written_before_ids_were_scoped_keeps_its_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let v1 = conformance::article("4994612", "Omroep Noord", None, "2025-10-11T14:20:00Z", conformance::WIRE);
    {
        let store = SqliteStore::open(&path).unwrap();
        store.ingest(std::slice::from_ref(&v1), &IngestSettings::default()).unwrap();
    }
    // As the older version stored it: the source's id as it was.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE articles SET id = '4994612'; UPDATE signatures SET article_id = '4994612', root_id = '4994612';",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    assert!(store.has_article(&v1.article).unwrap(), "found before it is analysed again");
    let again = store.ingest(std::slice::from_ref(&v1), &IngestSettings::default()).unwrap();
    assert!(matches!(&again[0], IngestOutcome::Duplicate { id, .. } if id == "4994612"), "{again:?}");
    let v2 = conformance::article(
        "4994612",
        "Omroep Noord",
        None,
        "2025-10-12T08:00:00Z",
        &conformance::WIRE.replace("twaalfhonderd", "veertienhonderd"),
    );
    let out = store.ingest(std::slice::from_ref(&v2), &IngestSettings::default()).unwrap();
    assert!(matches!(&out[0], IngestOutcome::Revised { id, version: 2, .. } if id == "4994612"), "{out:?}");
    // Another outlet's item with that number is its own article, under its scoped id.
    let other = conformance::article(
        "4994612",
        "Dagblad Zuid",
        None,
        "2025-10-12",
        "De dijk bij Venlo wordt versterkt.",
    );
    assert!(store.ingest(&[other], &IngestSettings::default()).unwrap()[0].is_inserted());
    let ids: Vec<String> = store.articles(&Default::default()).unwrap().into_iter().map(|a| a.id).collect();
    assert_eq!(ids, ["4994612", "4994612@dagblad-zuid"]);
}

/// `count` generated articles (seed `seed`) as a store takes them.
fn generated(seed: u64, count: usize) -> Vec<storyline_core::ingest::prepare::Prepared> {
    use storyline_core::ingest::prepare::prepare_with_signature;
    use storyline_core::synth::{generate, SynthConfig};
    let cfg = SynthConfig {
        seed,
        articles: count,
        stories: count / 5,
        mean_text_bytes: 600,
        ..SynthConfig::default()
    };
    generate(&cfg)
        .map(|a| {
            let raw = storyline_core::RawArticle {
                id: Some(a.id),
                title: Some(a.title),
                text: a.text,
                source: Some(a.source),
                published: Some(a.published),
                language: Some(a.language.to_string()),
                ..Default::default()
            };
            prepare_with_signature(raw, &Default::default(), None).unwrap()
        })
        .collect()
}

fn stories_of(outcomes: &[IngestOutcome]) -> Vec<i64> {
    outcomes
        .iter()
        .map(|o| match o {
            IngestOutcome::Inserted { story, .. } => *story,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn a_saved_clusterer_goes_on_as_the_process_that_saved_it_would_have() {
    let settings = IngestSettings::default();
    let all = generated(7, 700);
    let (first, rest) = all.split_at(600);
    let dir = tempfile::tempdir().unwrap();
    // One process writes everything.
    let one = dir.path().join("one.db");
    let store = SqliteStore::open(&one).unwrap();
    store.ingest(first, &settings).unwrap();
    let expected = stories_of(&store.ingest(rest, &settings).unwrap());
    drop(store);
    // Another writes the first part and saves its clusterer; a new process writes the rest.
    let two = dir.path().join("two.db");
    let store = SqliteStore::open(&two).unwrap();
    store.ingest(first, &settings).unwrap();
    store.save_clusterer().unwrap();
    drop(store);
    let next = SqliteStore::open(&two).unwrap();
    assert_eq!(
        stories_of(&next.ingest(rest, &settings).unwrap()),
        expected,
        "the same decisions, story for story"
    );
    assert_eq!(next.write_timings().batches, 1);
}

#[test]
fn a_new_writer_starts_from_the_saved_clusterer_far_faster_than_it_rebuilds_one() {
    let settings = IngestSettings::default();
    let all = generated(11, 1_210);
    let (first, rest) = all.split_at(1_200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = SqliteStore::open(&path).unwrap();
    store.ingest(first, &settings).unwrap();
    store.save_clusterer().unwrap();
    drop(store);
    // The time a new process spends getting its clusterer ready, as a ratio (the same work
    // otherwise, on the same machine, back to back): the saved state against a rebuild from the
    // stored articles, which a deleted saved state forces.
    let catch_up = |forget: bool| {
        let copy = dir.path().join(format!("copy-{forget}.db"));
        std::fs::copy(&path, &copy).unwrap();
        if forget {
            rusqlite::Connection::open(&copy).unwrap().execute("DELETE FROM cluster_state", []).unwrap();
        }
        let store = SqliteStore::open(&copy).unwrap();
        store.ingest(rest, &settings).unwrap();
        store.write_timings().catch_up
    };
    let (saved, rebuilt) = (catch_up(false), catch_up(true));
    assert!(saved * 5 < rebuilt, "starting from the saved state took {saved} ns, rebuilding {rebuilt} ns");
}

#[test]
fn a_recluster_drops_the_saved_clusterer_and_a_later_writer_still_ingests_after_a_correction() {
    let settings = IngestSettings::default();
    let all = generated(3, 120);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = SqliteStore::open(&path).unwrap();
    store.ingest(&all[..100], &settings).unwrap();
    store.save_clusterer().unwrap();
    let saved = || -> i64 {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM cluster_state", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(saved(), 1);
    store.recluster(&settings).unwrap();
    assert_eq!(saved(), 0, "a re-clustering drops the saved state");
    store.ingest(&all[100..110], &settings).unwrap();
    store.save_clusterer().unwrap();
    assert_eq!(saved(), 1);
    // A correction after the save: the next process rebuilds (and keeps the correction).
    let id = store.articles(&Default::default()).unwrap()[0].id.clone();
    store.correct(&storyline_store::corrections::Correction::KeepOut { article: id.clone() }, "Anna").ok();
    drop(store);
    let next = SqliteStore::open(&path).unwrap();
    next.ingest(&all[110..], &settings).unwrap();
    assert!(next.write_timings().catch_up > 0);
    let stories = next.stories(&Default::default()).unwrap().len();
    assert!(stories > 1, "{stories}");
}

#[test]
fn a_story_too_large_to_read_whole_is_read_from_its_first_and_latest_reports() {
    use storyline_core::ingest::prepare::prepare_with_signature;
    use storyline_store::DOSSIER_REPORTS;
    let n = DOSSIER_REPORTS + 10;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let store = SqliteStore::open(&path).unwrap();
    // One report an hour; the first and the latest count 12 injured, one in the middle 30.
    let start = storyline_core::Published::parse("2025-01-01T00:00:00Z").unwrap();
    let batch: Vec<_> = (0..n)
        .map(|i| {
            let injured = if i == n / 2 { 30 } else { 12 };
            let raw = storyline_core::RawArticle {
                id: Some(format!("b{i}")),
                title: Some(format!("Brand in loods {i} in Deventer")),
                text: format!("Bij de brand in loods {i} in Deventer raakten {injured} mensen gewond."),
                source: Some("Dagblad Oost".into()),
                published: Some(storyline_core::Published { unix: start.unix + i as i64 * 3600, ..start }),
                language: Some("nl".into()),
                ..Default::default()
            };
            prepare_with_signature(raw, &Default::default(), None).unwrap()
        })
        .collect();
    store.ingest(&batch, &IngestSettings::default()).unwrap();
    drop(store);
    // All of them one story, as a long-running story would be.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "UPDATE articles SET story = (SELECT MIN(seq) FROM articles);
             DELETE FROM stories WHERE id <> (SELECT MIN(seq) FROM articles);
             UPDATE stories SET articles = (SELECT COUNT(*) FROM articles), discrepancies = NULL;",
        )
        .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    store.check(true).unwrap();
    let story = store.stories(&Default::default()).unwrap();
    assert_eq!((story.len(), story[0].articles), (1, n as u64));
    let reports = store.story_reports(story[0].id).unwrap();
    assert_eq!(reports.len(), DOSSIER_REPORTS);
    let ids: Vec<&str> = reports.iter().map(|r| r.article.id.as_str()).collect();
    assert_eq!(
        (ids[0], ids[DOSSIER_REPORTS / 2 - 1]),
        ("b0@dagblad-oost", &*format!("b{}@dagblad-oost", DOSSIER_REPORTS / 2 - 1))
    );
    assert_eq!(ids[DOSSIER_REPORTS / 2], format!("b{}@dagblad-oost", n - DOSSIER_REPORTS / 2));
    assert_eq!(*ids.last().unwrap(), format!("b{}@dagblad-oost", n - 1));
    // The dossier is of those reports and says how many the story has; the middle report's 30
    // is not among them, so neither the dossier nor the mark has a discrepancy.
    let d = storyline_store::dossier::story_dossier(&store, story[0].id).unwrap().unwrap();
    assert_eq!((d.articles.len(), d.reports_total), (DOSSIER_REPORTS, n as u64));
    assert!(d.discrepancies.is_empty(), "{:?}", d.discrepancies);
    assert!(!story[0].discrepancies);
    // Read whole, the story would disagree: the bound is what left the 30 out.
    let all = store.story_records(story[0].id).unwrap();
    assert_eq!(all.len(), n);
    let analyses: Vec<_> = all.iter().map(|(_, a)| a.clone().unwrap_or_default()).collect();
    let inputs: Vec<_> =
        all.iter().zip(&analyses).map(|((a, _), n)| storyline_core::dossier::Input::new(a, n)).collect();
    assert!(!storyline_core::dossier::build(1, None, &inputs).discrepancies.is_empty());
}
