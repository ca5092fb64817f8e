//! An editor's corrections, the same on every backend: each one does what it says, is kept as
//! an event with its author, holds through `recluster`, a re-ingest and later ingests, and can
//! be undone; a correction that cannot be carried out changes nothing.

use std::collections::BTreeSet;

use storyline_core::ingest::prepare::Prepared;
use storyline_store::corrections::{Correction, CorrectionFilter, Detail};
use storyline_store::{IngestOutcome, IngestSettings, Store, StoreError, StoryFilter};

use super::{article, derailment, merging, titled, WIRE};

/// Every story as the set of its reports' ids.
fn stories(store: &dyn Store) -> BTreeSet<BTreeSet<String>> {
    store
        .stories(&StoryFilter::default())
        .unwrap()
        .iter()
        .map(|s| store.story_articles(s.id).unwrap().into_iter().map(|a| a.id).collect())
        .collect()
}

/// The reports of the story article `id` is in.
fn story_of(store: &dyn Store, id: &str) -> BTreeSet<String> {
    let story = store.article(id).unwrap().unwrap().story.expect("a story");
    store.story_articles(story).unwrap().into_iter().map(|a| a.id).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn story_number(store: &dyn Store, id: &str) -> i64 {
    store.article(id).unwrap().unwrap().story.unwrap()
}

/// Every story's summary agrees with its reports.
fn summaries_agree(store: &dyn Store) {
    for s in store.stories(&StoryFilter::default()).unwrap() {
        let reports = store.story_articles(s.id).unwrap();
        assert_eq!(s.articles as usize, reports.len(), "story {}", s.id);
        assert!(reports.iter().any(|a| store.article(&a.id).unwrap().unwrap().story == Some(s.id)));
        let first = reports.iter().filter_map(|a| a.published).min();
        assert_eq!(s.first_published, first, "story {}", s.id);
        assert_eq!(
            store.resolve_story(s.id).unwrap(),
            Some(s.id),
            "story {} is named after one of its reports",
            s.id
        );
        let dossier = storyline_store::dossier::story_dossier(store, s.id).unwrap().unwrap();
        assert_eq!(s.discrepancies, !dossier.discrepancies.is_empty(), "story {}'s discrepancy mark", s.id);
    }
}

/// Eight reports of five events, the project's own text.
fn batch() -> Vec<Prepared> {
    let mut b: Vec<Prepared> = derailment().into();
    b.push(article("w1", "NPB", None, "2025-10-12T09:00:00Z", WIRE));
    b.push(titled(
        "k1",
        "NPB",
        "2025-10-12T09:00:00Z",
        "nl",
        "Konvooi met strijders verlaat Marbeek",
        "Een konvooi met tweehonderd strijders heeft zondag de belegerde stad Marbeek verlaten. \
         Woordvoerder Pieter Landman van de coalitie zei dat het konvooi zonder incidenten vertrok.",
    ));
    b.push(titled(
        "k2",
        "De Dagkoerier",
        "2025-10-12T15:00:00Z",
        "nl",
        "Strijders vertrokken uit Marbeek",
        "Tweehonderd strijders hebben zondag Marbeek verlaten in een konvooi, bevestigt woordvoerder \
         Pieter Landman van de coalitie. Het vertrek verliep zonder incidenten.",
    ));
    b.push(titled(
        "b1",
        "NPB",
        "2025-10-14",
        "nl",
        "Brug in Zwolle later klaar",
        "De nieuwe brug over het Zwarte Water is een jaar later klaar dan beloofd, meldt de gemeente. \
         De raad wil opheldering over de kosten.",
    ));
    b.push(titled(
        "r1",
        "Het Morgenblad",
        "2025-10-15",
        "nl",
        "Raad van Venlo praat over dijken",
        "De gemeenteraad van Venlo heeft dinsdagavond urenlang gesproken over de versterking van de \
         dijken langs de Maas.",
    ));
    b
}

fn settings() -> IngestSettings {
    IngestSettings::default()
}

pub fn corrections_do_what_they_say_hold_and_undo(store: &dyn Store) {
    let batch = batch();
    store.ingest(&batch, &settings()).unwrap();
    assert_eq!(
        story_of(store, "k1@npb"),
        set(&["k1@npb", "k2@de-dagkoerier"]),
        "the convoy reports form one story"
    );

    // Merge: the bridge story into the council story.
    let (bridge, council) = (story_number(store, "b1@npb"), story_number(store, "r1@het-morgenblad"));
    let merged = store.correct(&Correction::Merge { story: bridge, into: council }, "Anna").unwrap();
    assert_eq!(merged.author, "Anna");
    assert!(matches!(merged.detail, Detail::Merge { .. }), "{merged:?}");
    assert_eq!(story_of(store, "b1@npb"), set(&["b1@npb", "r1@het-morgenblad"]));
    assert_eq!(
        store.resolve_story(bridge).unwrap(),
        Some(council),
        "the merged-away number leads to the story"
    );
    summaries_agree(store);

    // Split: one convoy report out into a story of its own.
    let convoy = story_number(store, "k1@npb");
    let split = store
        .correct(&Correction::Split { story: convoy, articles: vec!["k2@de-dagkoerier".into()] }, "Anna")
        .unwrap();
    assert_eq!(story_of(store, "k1@npb"), set(&["k1@npb"]));
    assert_eq!(story_of(store, "k2@de-dagkoerier"), set(&["k2@de-dagkoerier"]));
    summaries_agree(store);

    // Move: the wire report into the merged story.
    let moved = store
        .correct(&Correction::Move { article: "w1@npb".into(), to: story_number(store, "b1@npb") }, "Bram")
        .unwrap();
    assert_eq!(story_of(store, "w1@npb"), set(&["b1@npb", "r1@het-morgenblad", "w1@npb"]));
    summaries_agree(store);

    // Set: a date, an outlet and a language, read everywhere the article is.
    let set_event = store
        .correct(
            &Correction::Set {
                article: "r1@het-morgenblad".into(),
                published: Some("2025-09-01".into()),
                source: Some("Limburgs Avondblad".into()),
                language: None,
            },
            "Bram",
        )
        .unwrap();
    let r1 = store.article("r1@het-morgenblad").unwrap().unwrap();
    assert_eq!(r1.article.published.map(|p| p.to_string()).as_deref(), Some("2025-09-01"));
    assert_eq!(r1.article.source.as_deref(), Some("Limburgs Avondblad"));
    let merged_story = store.stories(&StoryFilter { id: r1.story, ..StoryFilter::default() }).unwrap();
    assert_eq!(merged_story[0].first_published.map(|p| p.to_string()).as_deref(), Some("2025-09-01"));
    assert!(merged_story[0].sources.contains(&"Limburgs Avondblad".to_string()), "{merged_story:?}");
    summaries_agree(store);

    // The history: a story's corrections and an article's, newest first.
    let history =
        store.corrections(&CorrectionFilter { story: r1.story, ..CorrectionFilter::default() }).unwrap();
    let numbers: Vec<i64> = history.iter().map(|e| e.id).collect();
    assert_eq!(numbers, [set_event.id, moved.id, merged.id], "{history:#?}");
    let of_k2 = store
        .corrections(&CorrectionFilter {
            article: Some("k2@de-dagkoerier".into()),
            ..CorrectionFilter::default()
        })
        .unwrap();
    assert_eq!(of_k2.iter().map(|e| e.id).collect::<Vec<_>>(), [split.id]);

    // Recluster and a re-ingest of everything keep every correction.
    let corrected = stories(store);
    store.recluster(&settings()).unwrap();
    let after = stories(store);
    for group in
        [set(&["b1@npb", "r1@het-morgenblad", "w1@npb"]), set(&["k1@npb"]), set(&["k2@de-dagkoerier"])]
    {
        assert!(after.contains(&group), "{group:?} after recluster: {after:#?}");
    }
    summaries_agree(store);
    let again = store.ingest(&batch, &settings()).unwrap();
    assert!(again.iter().all(|o| matches!(o, IngestOutcome::Duplicate { .. })), "{again:?}");
    assert_eq!(stories(store), after, "a re-ingest moves nothing");
    let r1 = store.article("r1@het-morgenblad").unwrap().unwrap();
    assert_eq!(
        r1.article.source.as_deref(),
        Some("Limburgs Avondblad"),
        "the outlet set holds through a re-ingest"
    );
    assert_eq!(r1.article.published.map(|p| p.to_string()).as_deref(), Some("2025-09-01"));
    let _ = corrected;

    // A revision of the article keeps the editor's values.
    let mut revised = batch.iter().find(|p| p.article.id == "r1@het-morgenblad").unwrap().clone();
    revised.article.title = "Raad van Venlo praat opnieuw over dijken".into();
    store.ingest(&[revised], &settings()).unwrap();
    let r1 = store.article("r1@het-morgenblad").unwrap().unwrap();
    assert_eq!(r1.version, 2);
    assert_eq!(
        r1.article.source.as_deref(),
        Some("Limburgs Avondblad"),
        "the outlet set holds through a revision"
    );
    assert_eq!(r1.article.published.map(|p| p.to_string()).as_deref(), Some("2025-09-01"));

    // Undo, newest first: each takes back exactly what it did.
    store.correct(&Correction::Undo { correction: set_event.id }, "Cor").unwrap();
    let r1 = store.article("r1@het-morgenblad").unwrap().unwrap();
    assert_eq!(r1.article.source.as_deref(), Some("Het Morgenblad"));
    assert_eq!(r1.article.published.map(|p| p.to_string()).as_deref(), Some("2025-10-15"));
    store.correct(&Correction::Undo { correction: moved.id }, "Cor").unwrap();
    assert!(!story_of(store, "w1@npb").contains("b1@npb"), "the moved report went back");
    store.correct(&Correction::Undo { correction: split.id }, "Cor").unwrap();
    assert_eq!(story_of(store, "k1@npb"), set(&["k1@npb", "k2@de-dagkoerier"]), "the split is undone");
    store.correct(&Correction::Undo { correction: merged.id }, "Cor").unwrap();
    assert_eq!(story_of(store, "b1@npb"), set(&["b1@npb"]), "the merge is undone");
    summaries_agree(store);
    let all = store.corrections(&CorrectionFilter::default()).unwrap();
    assert_eq!(all.len(), 8);
    assert!(all.iter().filter(|e| e.action() != "undo").all(|e| e.undone_by.is_some()), "{all:#?}");
}

pub fn refused_corrections_change_nothing(store: &dyn Store) {
    store.ingest(&batch(), &settings()).unwrap();
    let before = (stories(store), store.stats().unwrap());
    let convoy = story_number(store, "k1@npb");
    let refused = |c: Correction, author: &str| match store.correct(&c, author) {
        Err(StoreError::Refused(why)) => why,
        other => panic!("{c:?} was not refused: {other:?}"),
    };
    assert!(refused(Correction::Merge { story: 999_999, into: convoy }, "Anna").contains("no story 999999"));
    assert!(refused(Correction::Merge { story: convoy, into: convoy }, "Anna").contains("one story already"));
    let everything = vec!["k1@npb".to_string(), "k2@de-dagkoerier".to_string()];
    assert!(
        refused(Correction::Split { story: convoy, articles: everything }, "Anna").contains("at least one")
    );
    assert!(refused(Correction::Split { story: convoy, articles: vec!["b1@npb".into()] }, "Anna")
        .contains("not a report of story"));
    assert!(refused(Correction::Move { article: "k1@npb".into(), to: convoy }, "Anna").contains("already"));
    assert!(refused(Correction::KeepOut { article: "b1@npb".into() }, "Anna").contains("only report"));
    assert!(refused(Correction::Pin { article: "nope".into() }, "Anna").contains("no article"));
    let set = |published: Option<&str>, language: Option<&str>| Correction::Set {
        article: "k1@npb".into(),
        published: published.map(str::to_string),
        source: None,
        language: language.map(str::to_string),
    };
    assert!(refused(set(Some("gisteren"), None), "Anna").contains("gisteren"));
    assert!(refused(set(None, Some("Dutch")), "Anna").contains("Dutch"));
    assert!(refused(set(None, None), "Anna").contains("nothing to set"));
    assert!(refused(Correction::Pin { article: "k1@npb".into() }, "  ").contains("author"));
    assert!(refused(Correction::Undo { correction: 42 }, "Anna").contains("no correction 42"));
    assert_eq!((stories(store), store.stats().unwrap()), before);
    assert!(store.corrections(&CorrectionFilter::default()).unwrap().is_empty());
    // An undo is not undone, and nothing is undone twice.
    let pin = store.correct(&Correction::Pin { article: "k1@npb".into() }, "Anna").unwrap();
    let undo = store.correct(&Correction::Undo { correction: pin.id }, "Anna").unwrap();
    assert!(refused(Correction::Undo { correction: pin.id }, "Anna").contains("undone already"));
    assert!(refused(Correction::Undo { correction: undo.id }, "Anna").contains("is an undo"));
}

/// Two stories an editor fixed apart are not merged by a later report that fits both, which
/// merges them when nobody corrected them.
pub fn later_ingests_keep_stories_an_editor_fixed(store: &dyn Store) {
    let [d1, d2, d3] = derailment();
    store.ingest(&[d1, d2], &merging()).unwrap();
    let (a, b) = (story_number(store, "d1@npb"), story_number(store, "d2@de-dagkoerier"));
    assert_ne!(a, b);
    store.correct(&Correction::Pin { article: "d1@npb".into() }, "Anna").unwrap();
    store.correct(&Correction::Pin { article: "d2@de-dagkoerier".into() }, "Anna").unwrap();
    store.ingest(&[d3], &merging()).unwrap();
    assert_ne!(
        story_number(store, "d1@npb"),
        story_number(store, "d2@de-dagkoerier"),
        "two pinned stories stay apart: {:?}",
        stories(store)
    );
    let joined = story_of(store, "d3@het-morgenblad");
    assert!(
        joined.contains("d1@npb") || joined.contains("d2@de-dagkoerier"),
        "the new report still joins one: {joined:?}"
    );
    summaries_agree(store);
    // Undone, the pins no longer hold, and a re-clustering merges the stories again.
    for e in store.corrections(&CorrectionFilter::default()).unwrap() {
        store.correct(&Correction::Undo { correction: e.id }, "Anna").unwrap();
    }
    store.recluster(&merging()).unwrap();
    assert_eq!(
        story_number(store, "d1@npb"),
        story_number(store, "d2@de-dagkoerier"),
        "without the pins the report that fits both merges them"
    );
}

/// Runs every test above on fresh stores.
pub fn run_all(open: &dyn Fn() -> Box<dyn Store>) {
    corrections_do_what_they_say_hold_and_undo(open().as_ref());
    refused_corrections_change_nothing(open().as_ref());
    later_ingests_keep_stories_an_editor_fixed(open().as_ref());
}
