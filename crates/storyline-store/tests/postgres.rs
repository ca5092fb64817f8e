//! The PostgreSQL backend against the shared conformance suite, plus what only a server shows:
//! migrations, many writers at once, search that finds what SQLite finds. Runs on the server
//! `STORYLINE_PG_URL` names or on a throwaway cluster (see `storyline_store::postgres::scratch`);
//! says loudly that it skipped when neither can be had, and fails instead under `CI`.
#![cfg(feature = "postgres")]

mod conformance;

use std::sync::Arc;

use storyline_store::postgres::{scratch, PgStore, SCHEMA_VERSION};
use storyline_store::sqlite::SqliteStore;
use storyline_store::{IngestOutcome, IngestSettings, SearchQuery, Store, StoreError};

fn fresh() -> Option<String> {
    scratch::server().map(scratch::Server::database)
}

#[test]
fn postgres_store_conforms() {
    let Some(server) = scratch::server() else { return };
    conformance::run_all(&|| Box::new(PgStore::open(&server.database()).unwrap()));
}

#[test]
fn a_report_revised_by_another_writer_is_read_again() {
    let Some(url) = fresh() else { return };
    let (first, second) = (PgStore::open(&url).unwrap(), PgStore::open(&url).unwrap());
    conformance::a_report_revised_by_another_writer_is_read_again(&first, &second);
}

#[test]
fn reopening_keeps_data_and_a_newer_schema_is_refused() {
    let Some(url) = fresh() else { return };
    {
        let store = PgStore::open(&url).unwrap();
        store
            .ingest(
                &[conformance::article("k1", "NPB", None, "2025-10-01", conformance::WIRE)],
                &IngestSettings::default(),
            )
            .unwrap();
    }
    let store = PgStore::open(&url).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.articles, 1);
    assert_eq!(stats.schema_version, SCHEMA_VERSION);
    drop(store);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)", &[]).unwrap();
    match PgStore::open(&url) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer schema must be refused"),
    }
}

/// A database from before each story's discrepancies were kept gets them at its migration.
#[test]
fn the_discrepancies_migration_fills_in_the_stories_already_stored() {
    let Some(url) = fresh() else { return };
    let before = {
        let store = PgStore::open(&url).unwrap();
        let (convoy, flood) = conformance::convoy_and_flood(&store);
        let flags: Vec<(i64, bool)> =
            store.stories(&Default::default()).unwrap().iter().map(|s| (s.id, s.discrepancies)).collect();
        assert!(flags.contains(&(convoy, true)) && flags.contains(&(flood, false)), "{flags:?}");
        flags
    };
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "DROP INDEX stories_discrepancies_unknown; ALTER TABLE stories DROP COLUMN discrepancies; \
             DELETE FROM schema_migrations WHERE version >= 10;",
        )
        .unwrap();
    drop(client);
    let store = PgStore::open(&url).unwrap();
    assert_eq!(store.stats().unwrap().schema_version, SCHEMA_VERSION);
    let listed = store.stories(&Default::default()).unwrap();
    let flags: Vec<(i64, bool)> = listed.iter().map(|s| (s.id, s.discrepancies)).collect();
    assert_eq!(flags, before);
    for s in &listed {
        let dossier = storyline_store::dossier::story_dossier(&store, s.id).unwrap().unwrap();
        assert_eq!(s.discrepancies, !dossier.discrepancies.is_empty(), "story {}", s.id);
    }
    assert!(store.check(false).unwrap().problems.is_empty());
}

/// A writer catches up on what others stored from the features they kept, and gives the
/// stories it would have given computing them; kept features that do not read are computed.
#[test]
fn a_writer_catches_up_from_the_features_others_kept() {
    for spoil in [false, true] {
        let Some(url) = fresh() else { return };
        let [d1, d2, d3] = conformance::derailment();
        let story = |out: &[IngestOutcome]| match out {
            [IngestOutcome::Inserted { story, .. }] => *story,
            other => panic!("{other:?}"),
        };
        // Each report through its own writer, as three processes would.
        let a = story(&PgStore::open(&url).unwrap().ingest(&[d1], &conformance::merging()).unwrap());
        let b = story(&PgStore::open(&url).unwrap().ingest(&[d2], &conformance::merging()).unwrap());
        assert_ne!(a, b, "the first two reports share too little to join");
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let kept: i64 = client.query_one("SELECT COUNT(*) FROM cluster_features", &[]).unwrap().get(0);
        assert_eq!(kept, 2, "each writer keeps its article's features");
        if spoil {
            client.execute("UPDATE cluster_features SET features = '\\x00'", &[]).unwrap();
        }
        // The third writer knows both stories (from kept or computed features): its report
        // joins both, in the older story.
        let third = PgStore::open(&url).unwrap();
        assert_eq!(story(&third.ingest(&[d3], &conformance::merging()).unwrap()), a, "spoilt: {spoil}");
        assert_eq!(third.stories(&Default::default()).unwrap().len(), 1);
    }
}

#[test]
fn a_bad_address_is_a_clear_error() {
    match PgStore::open("postgres://nobody@127.0.0.1:1/none") {
        Err(StoreError::Database(m)) => {
            assert!(m.contains("cannot connect to postgres://nobody@127.0.0.1:1/none"), "{m}")
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("port 1 has no server"),
    }
}

/// Several writers, each with its own connections (as separate processes would have), store
/// overlapping batches at once: every article once, each story whole.
#[test]
fn several_writers_store_each_article_once() {
    let Some(url) = fresh() else { return };
    let texts: Vec<String> = (0..24)
        .map(|i| {
            format!(
                "Bericht {i} over de gemeenteraad van Deventer. De raad besprak maandag agendapunt {i} \
                 over de begroting en het nieuwe zwembad aan de IJssel, dat volgens de wethouder {} euro kost.",
                1000 + i * 37
            )
        })
        .collect();
    let batches: Vec<Vec<_>> = (0..4)
        .map(|w| {
            // Every writer stores 12 of the 24, overlapping its neighbours.
            (0..12)
                .map(|k| {
                    let i = (w * 6 + k) % 24;
                    conformance::article(&format!("w{i}"), "NPB", None, "2025-10-01", &texts[i])
                })
                .collect()
        })
        .collect();
    let stores: Vec<Arc<PgStore>> = (0..4).map(|_| Arc::new(PgStore::open(&url).unwrap())).collect();
    std::thread::scope(|s| {
        for (store, batch) in stores.iter().zip(&batches) {
            s.spawn(move || {
                for chunk in batch.chunks(3) {
                    store.ingest(chunk, &IngestSettings::default()).unwrap();
                }
            });
        }
    });
    let store = &stores[0];
    assert_eq!(store.stats().unwrap().articles, 24);
    let listed = store.articles(&Default::default()).unwrap();
    let mut ids: Vec<&str> = listed.iter().map(|a| a.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 24, "no article twice");
    let in_stories: u64 = store.stories(&Default::default()).unwrap().iter().map(|s| s.articles).sum();
    assert_eq!(in_stories, 24, "every article in exactly one story");
    // Storing them all again, from another writer, changes nothing.
    let again: Vec<_> = batches.concat();
    let outcomes = stores[3].ingest(&again, &IngestSettings::default()).unwrap();
    assert!(outcomes.iter().all(|o| !matches!(o, IngestOutcome::Inserted { .. })));
    assert_eq!(store.stats().unwrap().articles, 24);
}

/// The same articles on both backends: a search finds the same articles, the best first on
/// both, with the same highlights.
#[test]
fn search_finds_what_sqlite_finds() {
    let Some(url) = fresh() else { return };
    let pg = PgStore::open(&url).unwrap();
    let lite = SqliteStore::open_in_memory().unwrap();
    let texts = [
        ("s1", "De brug over de Waal bij Nijmegen is dinsdag dicht voor onderhoud aan de brug."),
        ("s2", "Bij Nijmegen staat de Waal hoog; de veerpont vaart niet."),
        ("s3", "Onderhoud aan wegen in Arnhem duurt tot vrijdag."),
        ("s4", "Nieuwe bruggen in Zwolle: de gemeente bouwt twee fietsbruggen over het Zwarte Water."),
    ];
    let batch: Vec<_> =
        texts.iter().map(|(id, t)| conformance::article(id, "NPB", None, "2025-10-01", t)).collect();
    pg.ingest(&batch, &IngestSettings::default()).unwrap();
    lite.ingest(&batch, &IngestSettings::default()).unwrap();
    for text in ["brug", "Nijmegen Waal", "onderhoud", "brug*", "\"de Waal\"", "zwembad"] {
        let q = SearchQuery { text: text.into(), limit: 10, ..Default::default() };
        let (a, b) = (pg.search(&q).unwrap(), lite.search(&q).unwrap());
        let ids = |r: &storyline_store::SearchResults| {
            let mut v: Vec<String> = r.hits.iter().map(|h| h.id.clone()).collect();
            v.sort();
            v
        };
        assert_eq!(ids(&a), ids(&b), "{text}: the same articles");
        assert_eq!(a.total, b.total, "{text}");
        if let (Some(x), Some(y)) = (a.hits.first(), b.hits.first()) {
            assert_eq!(x.id, y.id, "{text}: the same best hit");
            assert_eq!(x.snippet_highlights, y.snippet_highlights, "{text}");
        }
    }
}
