//! The behaviour every `Store` backend must show. Each backend's test file calls [`run_all`]
//! with a function that opens a fresh, empty store.

pub mod corrections;

use storyline_core::ingest::prepare::{prepare_with_signature, Prepared};
use storyline_core::ingest::PrepareOptions;
use storyline_core::{Published, RawArticle};
use storyline_store::{
    ArticleFilter, DuplicateReason, IngestOutcome, IngestSettings, SearchQuery, Store, StoreError,
    StoryFilter,
};

/// A wire report long enough to have a near-duplicate signature (the project's own text).
pub const WIRE: &str = "Het waterschap Limburg heeft zaterdagavond besloten de noodpompen bij Roermond \
    langer te laten draaien. Volgens een woordvoerder staat het water in de Maas nog altijd ruim een \
    meter boven het normale peil.\n\nBewoners van de lage delen van de stad mogen nog niet terug naar \
    hun huizen. De gemeente verwacht dat dit op zijn vroegst dinsdag kan. In totaal zijn sinds vrijdag \
    ongeveer twaalfhonderd mensen geëvacueerd uit de wijken langs de rivier.\n\nDe burgemeester \
    bedankte de hulpverleners voor hun inzet en vroeg inwoners de afzettingen te respecteren.";

pub fn article(id: &str, source: &str, url: Option<&str>, published: &str, text: &str) -> Prepared {
    let raw = RawArticle {
        id: Some(id.to_string()),
        title: Some(format!("Bericht {id}")),
        text: text.to_string(),
        source: Some(source.to_string()),
        url: url.map(str::to_string),
        published: Published::parse(published).ok(),
        language: Some("nl".into()),
        ..RawArticle::default()
    };
    prepare_with_signature(raw, &PrepareOptions::default(), Some(format!("test: {id}"))).expect("analysis")
}

fn settings() -> IngestSettings {
    IngestSettings::default()
}

/// Settings under which a report probable for two young stories merges them: the merge is the
/// store's to carry out (ids, summaries, redirects); when the model calls one is its own
/// question, asked of it in the clustering's tests.
pub fn merging() -> IngestSettings {
    let mut s = IngestSettings::default();
    s.cluster.merge_probability = 0.15;
    s
}

pub fn reingest_changes_nothing(store: &dyn Store) {
    let batch = vec![
        article("a1", "NPB", Some("https://npb.example/1"), "2025-10-12T09:00:00Z", WIRE),
        article(
            "a2",
            "De Dagkoerier",
            None,
            "2025-10-13",
            "De raad van Venlo vergaderde maandag urenlang over de dijken.",
        ),
    ];
    let first = store.ingest(&batch, &settings()).unwrap();
    assert!(first.iter().all(IngestOutcome::is_inserted));
    let before = store.stats().unwrap();
    let again = store.ingest(&batch, &settings()).unwrap();
    for o in &again {
        assert!(
            matches!(
                o,
                IngestOutcome::Duplicate { reason: DuplicateReason::SameId, sighting_added: false, .. }
            ),
            "{o:?}"
        );
    }
    assert_eq!(store.stats().unwrap(), before);
    let stored = store.article("a1@npb").unwrap().unwrap();
    assert_eq!(stored.article, batch[0].article);
    assert_eq!(stored.analysis.as_ref(), Some(&batch[0].analysis), "the analysis is stored with the article");
}

pub fn same_url_and_same_text_are_duplicates_with_sightings(store: &dyn Store) {
    store
        .ingest(&[article("b1", "NPB", Some("https://npb.example/b1"), "2025-10-12", WIRE)], &settings())
        .unwrap();
    let out = store
        .ingest(
            &[
                article(
                    "b2",
                    "Het Morgenblad",
                    Some("https://npb.example/b1"),
                    "2025-10-12",
                    "Andere tekst, zelfde adres.",
                ),
                article(
                    "b3",
                    "Het Morgenblad",
                    Some("https://morgenblad.example/b3"),
                    "2025-10-13",
                    &WIRE.replace("  ", " "),
                ),
            ],
            &settings(),
        )
        .unwrap();
    let b1_story = store
        .articles(&ArticleFilter::default())
        .unwrap()
        .into_iter()
        .find(|a| a.id == "b1@npb")
        .and_then(|a| a.story);
    assert!(b1_story.is_some());
    assert_eq!(
        out[0],
        IngestOutcome::Duplicate {
            id: "b1@npb".into(),
            reason: DuplicateReason::SameUrl,
            sighting_added: false,
            story: b1_story
        }
    );
    assert_eq!(
        out[1],
        IngestOutcome::Duplicate {
            id: "b1@npb".into(),
            reason: DuplicateReason::SameText,
            sighting_added: true,
            story: b1_story
        }
    );
    // The same re-run again adds no second sighting.
    let out = store
        .ingest(
            &[article("b4", "Het Morgenblad", Some("https://morgenblad.example/b3"), "2025-10-13", WIRE)],
            &settings(),
        )
        .unwrap();
    assert!(matches!(out[0], IngestOutcome::Duplicate { sighting_added: false, .. }), "{out:?}");
    let rec = store.article("b1@npb").unwrap().unwrap();
    assert_eq!(rec.sightings.len(), 1);
    assert_eq!(rec.sightings[0].source.as_deref(), Some("Het Morgenblad"));
    assert_eq!(rec.sightings[0].url.as_deref(), Some("https://morgenblad.example/b3"));
}

pub fn near_duplicates_link_to_the_original(store: &dyn Store) {
    let edited = WIRE
        .replace("zaterdagavond", "zaterdag")
        .replace(" en vroeg inwoners de afzettingen te respecteren", "");
    let edited_twice = edited.replace("Bewoners van de lage delen", "Inwoners van de lage delen");
    let other =
        "Bij Venlo is de Maas zondag opnieuw gestegen. Het waterschap houdt rekening met een piek op \
        maandagochtend en vraagt bewoners van de uiterwaarden hun spullen naar boven te brengen. Een \
        woordvoerder zegt dat de dijken het voorlopig houden, maar dat de situatie per uur wordt bekeken.";
    let out = store
        .ingest(
            &[
                article("c1", "NPB", None, "2025-10-12T09:00:00Z", WIRE),
                article("c2", "De Dagkoerier", None, "2025-10-12T11:00:00Z", &edited),
                article("c3", "Vlaamse Tijding", None, "2025-10-12T12:00:00Z", &edited_twice),
                article("c4", "Het Morgenblad", None, "2025-10-12T13:00:00Z", other),
            ],
            &settings(),
        )
        .unwrap();
    let link = |o: &IngestOutcome| match o {
        IngestOutcome::Inserted { near_duplicate_of, .. } => {
            near_duplicate_of.as_ref().map(|(id, _)| id.clone())
        }
        other => panic!("not inserted: {other:?}"),
    };
    assert_eq!(link(&out[0]), None);
    assert_eq!(link(&out[1]).as_deref(), Some("c1@npb"));
    assert_eq!(link(&out[2]).as_deref(), Some("c1@npb"), "a copy of a copy links to the original");
    assert_eq!(link(&out[3]), None);
    let original = store.article("c1@npb").unwrap().unwrap();
    let copies: Vec<&str> = original.near_duplicates.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(copies, ["c2@de-dagkoerier", "c3@vlaamse-tijding"]);
    let copy = store.article("c2@de-dagkoerier").unwrap().unwrap();
    assert_eq!(copy.article.near_duplicate_of.as_ref().map(|n| n.of.as_str()), Some("c1@npb"));
    assert_eq!(store.stats().unwrap().near_duplicates, 2);
}

pub fn near_duplicates_are_searched_within_the_horizon(store: &dyn Store) {
    let narrow = IngestSettings { near_duplicate_horizon: 2, ..IngestSettings::default() };
    let copy = WIRE.replace("zaterdagavond", "zaterdag");
    let filler = |i: usize| {
        format!(
            "Bericht {i} gaat over iets heel anders: de gemeente Hengelo opent een nieuwe bibliotheek \
             in het oude postkantoor, met ruimte voor studenten, een leescafé en een kleine zaal voor \
             lezingen over de geschiedenis van de textielindustrie in Twente en in de regio {i}."
        )
    };
    store.ingest(&[article("h1", "NPB", None, "2025-10-01", WIRE)], &narrow).unwrap();
    // Within the horizon the copy is found.
    let out = store.ingest(&[article("h2", "De Dagkoerier", None, "2025-10-01", &copy)], &narrow).unwrap();
    assert!(
        matches!(&out[0], IngestOutcome::Inserted { near_duplicate_of: Some((id, _)), .. } if id == "h1@npb"),
        "{out:?}"
    );
    // Five articles later, both have left the window (it holds two to four articles).
    let fillers: Vec<_> =
        (0..5).map(|i| article(&format!("f{i}"), "NPB", None, "2025-10-02", &filler(i))).collect();
    store.ingest(&fillers, &narrow).unwrap();
    let late = copy.replace("Bewoners", "Inwoners");
    let out = store.ingest(&[article("h3", "Het Morgenblad", None, "2025-10-03", &late)], &narrow).unwrap();
    assert!(matches!(&out[0], IngestOutcome::Inserted { near_duplicate_of: None, .. }), "{out:?}");
}

pub fn stories_are_assigned_listed_and_rebuilt(store: &dyn Store) {
    let copy = WIRE.replace("zaterdagavond", "zaterdag");
    let other = "De gemeenteraad van Zwolle heeft dinsdagavond ingestemd met een extra krediet van \
        negen miljoen euro voor de nieuwe brug over het Zwarte Water. Wethouder Joris Hellendoorn \
        sprak van een tegenvaller. De oppositie wil een onafhankelijk onderzoek naar de kosten.";
    let out = store
        .ingest(
            &[
                article("s1", "NPB", None, "2025-10-12T09:00:00Z", WIRE),
                article("s2", "De Dagkoerier", None, "2025-10-12T11:00:00Z", &copy),
                article("s3", "Het Morgenblad", None, "2025-10-14T08:00:00Z", other),
            ],
            &settings(),
        )
        .unwrap();
    let story = |o: &IngestOutcome| match o {
        IngestOutcome::Inserted { story, .. } => *story,
        other => panic!("{other:?}"),
    };
    let (a, b, c) = (story(&out[0]), story(&out[1]), story(&out[2]));
    assert_eq!(a, b, "a near-duplicate joins its original's story");
    assert_ne!(a, c, "an unrelated report starts its own story");
    // A duplicate reports the story of what it duplicates.
    let again =
        store.ingest(&[article("s1", "NPB", None, "2025-10-12T09:00:00Z", WIRE)], &settings()).unwrap();
    assert!(matches!(again[0], IngestOutcome::Duplicate { story: Some(s), .. } if s == a));
    let listed = store.stories(&StoryFilter::default()).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].id, c, "newest activity first");
    let flood = listed.iter().find(|s| s.id == a).unwrap();
    assert_eq!(flood.articles, 2);
    assert_eq!(flood.sources, ["De Dagkoerier", "NPB"]);
    assert_eq!(flood.languages, ["nl"]);
    assert_eq!(flood.first_published.unwrap().to_string(), "2025-10-12T09:00:00Z");
    assert_eq!(flood.last_published.unwrap().to_string(), "2025-10-12T11:00:00Z");
    let two_or_more = store.stories(&StoryFilter { min_articles: 2, ..Default::default() }).unwrap();
    assert_eq!(two_or_more.len(), 1);
    let morgenblad =
        store.stories(&StoryFilter { source: Some("het morgenblad".into()), ..Default::default() }).unwrap();
    assert_eq!(morgenblad.iter().map(|s| s.id).collect::<Vec<_>>(), [c]);
    let members: Vec<String> = store.story_articles(a).unwrap().into_iter().map(|x| x.id).collect();
    assert_eq!(members, ["s1@npb", "s2@de-dagkoerier"]);
    // The reports with their analyses, in the same order, as stored one by one.
    let records = store.story_records(a).unwrap();
    assert_eq!(
        records.iter().map(|(x, _)| x.id.as_str()).collect::<Vec<_>>(),
        ["s1@npb", "s2@de-dagkoerier"]
    );
    for (x, analysis) in &records {
        let one = store.article(&x.id).unwrap().unwrap();
        assert_eq!(&one.article, x);
        assert_eq!(&one.analysis, analysis);
        assert_eq!(one.story, Some(a), "a stored article knows its story");
        assert!(analysis.as_ref().is_some_and(|an| an.sentences.iter().all(|s| !s.text.is_empty())));
    }
    assert!(store.story_records(987_654).unwrap().is_empty());
    // The same reports as a dossier reads them; key words, when kept, are those read at ingest.
    let reports = store.story_reports(a).unwrap();
    assert_eq!(
        reports.iter().map(|r| (&r.article, &r.analysis)).collect::<Vec<_>>(),
        records.iter().map(|(x, an)| (x, an)).collect::<Vec<_>>()
    );
    for r in &reports {
        if let Some(terms) = &r.terms {
            let analysis = r.analysis.clone().unwrap_or_default();
            assert_eq!(terms, &storyline_core::dossier::ReportTerms::of(&r.article, &analysis));
        }
    }
    // The publication times of its dated reports, for its activity.
    let mut times = store.story_published(a).unwrap();
    times.sort_unstable();
    let dated: Vec<i64> = records.iter().filter_map(|(x, _)| x.published.map(|p| p.unix)).collect();
    assert_eq!(times, dated);
    assert!(store.story_published(987_654).unwrap().is_empty());
    // A filter by id gives that story alone.
    let only = store.stories(&StoryFilter { id: Some(c), ..Default::default() }).unwrap();
    assert_eq!(only.iter().map(|s| s.id).collect::<Vec<_>>(), [c]);
    // Rebuilding gives the same stories.
    let before: Vec<_> =
        store.articles(&ArticleFilter::default()).unwrap().into_iter().map(|x| (x.id, x.story)).collect();
    let report = store.recluster(&settings()).unwrap();
    assert_eq!((report.articles, report.stories), (3, 2));
    let after: Vec<_> =
        store.articles(&ArticleFilter::default()).unwrap().into_iter().map(|x| (x.id, x.story)).collect();
    assert_eq!(before, after);
    assert_eq!(store.stats().unwrap().stories, 2);
}

pub fn listing_filters_and_orders(store: &dyn Store) {
    store
        .ingest(
            &[
                article("d1", "NPB", None, "2025-10-01", "Eerste bericht over de brug in Zwolle."),
                article("d2", "De Dagkoerier", None, "2025-10", "Tweede bericht over de kosten van de brug."),
                article(
                    "d3",
                    "de dagkoerier",
                    None,
                    "2025-11-02T08:00:00Z",
                    "Derde bericht: de raad praat verder.",
                ),
                article("d4", "NPB", None, "", "Een bericht zonder datum over de brug."),
            ],
            &settings(),
        )
        .unwrap();
    let ids = |f: ArticleFilter| store.articles(&f).unwrap().into_iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(
        ids(ArticleFilter::default()),
        ["d3@de-dagkoerier", "d2@de-dagkoerier", "d1@npb", "d4@npb"],
        "newest first (ties: latest ingested first), undated last"
    );
    assert_eq!(
        ids(ArticleFilter { source: Some("DE DAGKOERIER".into()), ..Default::default() }),
        ["d3@de-dagkoerier", "d2@de-dagkoerier"]
    );
    let oct = Published::parse("2025-10").ok();
    assert_eq!(
        ids(ArticleFilter { since: oct, until: oct, ..Default::default() }),
        ["d2@de-dagkoerier", "d1@npb"]
    );
    assert_eq!(
        ids(ArticleFilter { since: Published::parse("2025-10-02").ok(), ..Default::default() }),
        ["d3@de-dagkoerier"]
    );
    assert_eq!(
        ids(ArticleFilter { limit: Some(2), offset: 1, ..Default::default() }),
        ["d2@de-dagkoerier", "d1@npb"]
    );
    assert_eq!(
        ids(ArticleFilter { language: Some("en".into()), ..Default::default() }),
        Vec::<String>::new()
    );
    // The undated are reachable by a filter of their own, and no date range finds them.
    assert_eq!(ids(ArticleFilter { undated: true, ..Default::default() }), ["d4@npb"]);
    assert_eq!(
        ids(ArticleFilter { undated: true, source: Some("de dagkoerier".into()), ..Default::default() }),
        Vec::<String>::new()
    );
    let d2 = store.article("d2@de-dagkoerier").unwrap().unwrap();
    assert_eq!(d2.article.published.unwrap().to_string(), "2025-10", "month precision survives storage");
}

pub fn ids_resolve_by_unique_prefix(store: &dyn Store) {
    store
        .ingest(
            &[
                article("npb-a-001", "NPB", None, "2025-10-01", "Een."),
                article("npb-a-002", "NPB", None, "2025-10-01", "Twee."),
                article("zz-9", "NPB", None, "2025-10-01", "Drie."),
            ],
            &settings(),
        )
        .unwrap();
    assert_eq!(store.resolve("zz").unwrap().as_deref(), Some("zz-9@npb"));
    assert_eq!(store.resolve("npb-a-002@npb").unwrap().as_deref(), Some("npb-a-002@npb"));
    // The source's own id is a unique prefix of its scoped id.
    assert_eq!(store.resolve("npb-a-002").unwrap().as_deref(), Some("npb-a-002@npb"));
    assert!(matches!(store.resolve("npb-a"), Err(StoreError::Ambiguous { count: 2, .. })));
    assert_eq!(store.resolve("nothing").unwrap(), None);
}

/// An article with its own title and language.
pub fn titled(id: &str, source: &str, published: &str, language: &str, title: &str, text: &str) -> Prepared {
    let raw = RawArticle {
        id: Some(id.to_string()),
        title: Some(title.to_string()),
        text: text.to_string(),
        source: Some(source.to_string()),
        published: Published::parse(published).ok(),
        language: Some(language.into()),
        ..RawArticle::default()
    };
    prepare_with_signature(raw, &PrepareOptions::default(), Some(format!("test: {id}"))).expect("analysis")
}

/// The search fixtures: two Dutch reports of a convoy, an English one, an unrelated Dutch one.
pub fn search_fixtures(store: &dyn Store) {
    let batch = vec![
        titled(
            "k1",
            "NPB",
            "2025-10-12T09:00:00Z",
            "nl",
            "Konvooi met strijders verlaat Marbeek",
            "Een konvooi met tweehonderd strijders heeft zondag de belegerde stad Marbeek verlaten. \
             Het konvooi werd begeleid door waarnemers. Woordvoerder Pieter Landman van de \
             coalitie zei dat het konvooi zonder incidenten vertrok.",
        ),
        titled(
            "k2",
            "De Dagkoerier",
            "2025-11-02",
            "nl",
            "Nieuwe details over de afspraak in Marbeek",
            "Een maand na de evacuatie van Marbeek komen nieuwe details naar buiten. Volgens \
             ingewijden reden er meerdere konvooien, met in totaal ruim driehonderd mensen. De \
             gemeente wil een onderzoek naar de gang van zaken.",
        ),
        titled(
            "k3",
            "Northern Courier",
            "2025-10-13",
            "en",
            "Fighters leave Marbeek in a convoy",
            "A convoy carrying about two hundred fighters left the besieged town of Marbeek on \
             Sunday, a coalition spokesman said. Observers travelled with the vehicles.",
        ),
        titled(
            "k4",
            "NPB",
            "2025-10-14",
            "nl",
            "Brug in Zwolle later klaar",
            "De nieuwe brug over het Zwarte Water is een jaar later klaar dan beloofd, meldt de \
             gemeente. De raad wil opheldering over de kosten.",
        ),
    ];
    store.ingest(&batch, &settings()).unwrap();
}

pub fn search_stems_ranks_filters_and_highlights(store: &dyn Store) {
    search_fixtures(store);
    let find = |q: SearchQuery| store.search(&SearchQuery { limit: 20, ..q }).unwrap();
    let ids = |q: SearchQuery| find(q).hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    let text = |t: &str| SearchQuery { text: t.into(), ..Default::default() };
    // Inflections match through the stem; more and title matches rank higher.
    let found = find(text("konvooien"));
    assert_eq!(found.total, 2);
    assert_eq!(found.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["k1@npb", "k2@de-dagkoerier"]);
    assert!(found.hits[0].score > found.hits[1].score);
    let k1 = &found.hits[0];
    let marked = |s: &str, r: &[(usize, usize)]| {
        r.iter().map(|(a, b)| s.chars().skip(*a).take(b - a).collect::<String>()).collect::<Vec<_>>()
    };
    assert_eq!(marked(&k1.title, &k1.title_highlights), ["Konvooi"]);
    assert_eq!(k1.source.as_deref(), Some("NPB"));
    assert_eq!(k1.language, "nl");
    assert!(k1.story.is_some());
    assert_eq!(k1.published.unwrap().to_string(), "2025-10-12T09:00:00Z");
    let k2 = &found.hits[1];
    assert_eq!(marked(&k2.snippet, &k2.snippet_highlights), ["konvooien"]);
    assert!(k2.title_highlights.is_empty());
    // English stems for English text.
    assert_eq!(ids(text("convoys")), ["k3@northern-courier"]);
    // Filters.
    let konvooi = |q: SearchQuery| ids(SearchQuery { text: "konvooi".into(), ..q });
    assert_eq!(
        konvooi(SearchQuery { source: Some("de dagkoerier".into()), ..Default::default() }),
        ["k2@de-dagkoerier"]
    );
    assert_eq!(
        konvooi(SearchQuery { language: Some("en".into()), ..Default::default() }),
        Vec::<String>::new()
    );
    assert_eq!(
        konvooi(SearchQuery { since: Published::parse("2025-11-01").ok(), ..Default::default() }),
        ["k2@de-dagkoerier"]
    );
    assert_eq!(
        konvooi(SearchQuery { until: Published::parse("2025-10").ok(), ..Default::default() }),
        ["k1@npb"]
    );
    // Every word must match; when no article has all of them, any will do.
    assert_eq!(ids(text("marbeek konvooi")), ["k1@npb", "k2@de-dagkoerier"]);
    let either = ids(text("brug konvooi"));
    assert_eq!(either.len(), 3, "{either:?}");
    // Stopwords alone find nothing; query syntax in the text is not an error.
    assert_eq!(find(text("de het een")).total, 0);
    assert_eq!(find(text("")).total, 0);
    for odd in ["konvooi) OR \"", "NEAR(konvooi", "*", "-konvooi", "{title}: x", "\"\""] {
        store.search(&text(odd)).unwrap_or_else(|e| panic!("`{odd}`: {e}"));
    }
    // Paging.
    let second = store
        .search(&SearchQuery { text: "marbeek".into(), limit: 1, offset: 1, ..Default::default() })
        .unwrap();
    assert_eq!(second.total, 3);
    assert_eq!(second.hits.len(), 1);
    assert_eq!(second.hits[0].id, ids(text("marbeek"))[1]);
    // The entity filter: articles whose analysis names the entity.
    let record = store.article("k1@npb").unwrap().unwrap();
    let analysis = record.analysis.expect("analysis stored");
    let key = analysis.entities.iter().map(|e| e.key.clone()).find(|k| k.contains("landman"));
    let key = key.expect("the spokesman is recognised");
    assert_eq!(ids(SearchQuery { entity: Some(key.clone()), ..text("konvooi") }), ["k1@npb"]);
    assert_eq!(ids(SearchQuery { entity: Some(key.clone()), ..text("") }), ["k1@npb"], "entity alone");
    assert_eq!(ids(SearchQuery { entity: Some(key), ..text("brug") }), Vec::<String>::new());
}

/// The first reports of one derailment, minutes apart, in words that hardly overlap, and a
/// third that tells both halves: (id, source, published, title, text).
const DERAILMENT: [(&str, &str, &str, &str, &str); 3] = [
    (
        "d1",
        "NPB",
        "2025-09-18T06:12:00Z",
        "Geen treinen tussen Zwolle en Meppel",
        "Reizigers tussen Zwolle en Meppel moeten rekening houden met een lange storing. \
         De vervoerder zet bussen in vanaf station Zwolle; de reistijd wordt ruim een uur langer. \
         Ook de nachttreinen naar Groningen rijden om.",
    ),
    (
        "d2",
        "De Dagkoerier",
        "2025-09-18T06:20:00Z",
        "Goederentrein ontspoord bij Staphorst",
        "Bij Staphorst zijn vannacht zeven wagons van een goederentrein ontspoord. Volgens \
         de machinist sloeg een wiel vast vlak voor de overweg. Een kraan moet de wagons van \
         het spoor tillen; er raakte niemand gewond.",
    ),
    (
        "d3",
        "Het Morgenblad",
        "2025-09-18T06:55:00Z",
        "Ontspoorde goederentrein bij Staphorst legt treinverkeer Zwolle-Meppel stil",
        "Doordat bij Staphorst zeven wagons van een goederentrein ontspoorden, rijden er geen \
         treinen tussen Zwolle en Meppel. De vervoerder zet bussen in vanaf station Zwolle. \
         Een kraan moet de wagons van het spoor tillen; er raakte niemand gewond.",
    ),
];

/// The derailment reports as published, minutes apart.
pub fn derailment() -> [Prepared; 3] {
    DERAILMENT.map(|(id, source, published, title, text)| titled(id, source, published, "nl", title, text))
}

/// The derailment reports from an archive without publication dates, each text naming the day.
fn undated_derailment() -> [Prepared; 3] {
    DERAILMENT.map(|(id, source, _, title, text)| {
        titled(id, source, "", "nl", title, &format!("{text} Dat was op 18 september 2025."))
    })
}

pub fn stories_merge_when_a_report_joins_two(store: &dyn Store) {
    let [d1, d2, d3] = derailment();
    let story = |o: &IngestOutcome| match o {
        IngestOutcome::Inserted { story, .. } => *story,
        other => panic!("{other:?}"),
    };
    let first = store.ingest(&[d1, d2], &merging()).unwrap();
    let (a, b) = (story(&first[0]), story(&first[1]));
    assert_ne!(a, b, "the first two reports share too little to join");
    assert_eq!(store.stats().unwrap().stories, 2);
    let third = store.ingest(&[d3], &merging()).unwrap();
    assert_eq!(story(&third[0]), a, "the third report joins the older story");
    // The younger story is folded into the older one, its summary row included.
    let listed = store.stories(&StoryFilter::default()).unwrap();
    assert_eq!(listed.iter().map(|s| s.id).collect::<Vec<_>>(), [a]);
    assert_eq!(listed[0].articles, 3);
    assert_eq!(listed[0].sources, ["De Dagkoerier", "Het Morgenblad", "NPB"]);
    assert_eq!(listed[0].first_published.unwrap().to_string(), "2025-09-18T06:12:00Z");
    assert_eq!(listed[0].last_published.unwrap().to_string(), "2025-09-18T06:55:00Z");
    let members: Vec<String> = store.story_articles(a).unwrap().into_iter().map(|x| x.id).collect();
    assert_eq!(members, ["d1@npb", "d2@de-dagkoerier", "d3@het-morgenblad"]);
    assert!(store.story_articles(b).unwrap().is_empty());
    assert_eq!(store.article("d2@de-dagkoerier").unwrap().unwrap().story, Some(a));
    // The merged id still leads to its reports; an id no story had leads nowhere.
    assert_eq!(store.resolve_story(b).unwrap(), Some(a));
    assert_eq!(store.resolve_story(a).unwrap(), Some(a));
    assert_eq!(store.resolve_story(987_654).unwrap(), None);
    assert_eq!(store.stats().unwrap().stories, 1);
    // Rebuilding merges the same way.
    let report = store.recluster(&merging()).unwrap();
    assert_eq!((report.articles, report.stories), (3, 1));
    let stories: Vec<_> =
        store.articles(&ArticleFilter::default()).unwrap().into_iter().map(|x| x.story).collect();
    assert_eq!(stories, [Some(a); 3]);
    assert_eq!(store.stories(&StoryFilter::default()).unwrap()[0].articles, 3);
}

/// Stories without publication dates merge too when the report that joins both names the day
/// they name, and the store keeps what it holds consistent.
pub fn undated_stories_merge_through_the_days_they_name(store: &dyn Store) {
    let [d1, d2, d3] = undated_derailment();
    let first = store.ingest(&[d1, d2], &merging()).unwrap();
    let (a, b) = (inserted_story(&first[0]), inserted_story(&first[1]));
    assert_ne!(a, b, "the first two reports share too little to join");
    let third = store.ingest(&[d3], &merging()).unwrap();
    assert_eq!(inserted_story(&third[0]), a);
    let listed = store.stories(&StoryFilter::default()).unwrap();
    assert_eq!(listed.iter().map(|s| (s.id, s.articles)).collect::<Vec<_>>(), [(a, 3)]);
    assert_eq!((listed[0].first_published, listed[0].last_published), (None, None));
    assert_eq!(store.resolve_story(b).unwrap(), Some(a));
    let report = store.recluster(&merging()).unwrap();
    assert_eq!((report.articles, report.stories), (3, 1));
}

fn inserted_story(o: &IngestOutcome) -> i64 {
    match o {
        IngestOutcome::Inserted { story, .. } => *story,
        other => panic!("{other:?}"),
    }
}

/// Within one batch, the reports stored before a merge report the story they ended in.
pub fn a_merge_within_a_batch_reports_the_final_story(store: &dyn Store) {
    let out = store.ingest(&derailment(), &merging()).unwrap();
    let stories: Vec<i64> = out
        .iter()
        .map(|o| match o {
            IngestOutcome::Inserted { story, .. } => *story,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(stories[0], stories[1]);
    assert_eq!(stories[1], stories[2]);
    assert_eq!(store.stats().unwrap().stories, 1);
}

/// A store written only through its own interface reads back whole: `check` finds nothing,
/// with or without repair, and counts every article and story.
pub fn a_clean_store_checks_clean(store: &dyn Store) {
    store.ingest(&derailment(), &settings()).unwrap();
    store.ingest(&[article("c1", "NPB", None, "", WIRE)], &settings()).unwrap();
    let stats = store.stats().unwrap();
    for repair in [false, true] {
        let report = store.check(repair).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert_eq!(report.articles, stats.articles);
        assert_eq!(report.stories, stats.stories);
    }
}

/// `has_article` is true for the very article stored (id, text, outlet and URL), false for any
/// other.
pub fn has_article_knows_the_very_article(store: &dyn Store) {
    let a = article("h1", "NPB", Some("https://npb.example/h1"), "2025-10-12T09:00:00Z", WIRE);
    assert!(!store.has_article(&a.article).unwrap());
    store.ingest(std::slice::from_ref(&a), &settings()).unwrap();
    assert!(store.has_article(&a.article).unwrap());
    let mut other = a.article.clone();
    other.source = Some("Elders".into());
    assert!(!store.has_article(&other).unwrap());
    let mut other = a.article.clone();
    other.url = None;
    assert!(!store.has_article(&other).unwrap());
    let mut other = a.article.clone();
    other.content_hash = "0123456789abcdef".into();
    assert!(!store.has_article(&other).unwrap());
    let mut other = a.article.clone();
    other.id = "h2@de-dagkoerier".into();
    assert!(!store.has_article(&other).unwrap());
}

/// The first version of a convoy report (the project's own text).
const CONVOY_V1: &str = "Volgens de coalitie hebben zo'n 250 IS-strijders en 3500 familieleden de stad \
    Busayra verlaten in een konvooi van vijftig vrachtwagens. Woordvoerder Ryan Dillon zei: \"Het \
    konvooi wordt gevolgd vanuit de lucht.\"";

/// Its revision: other figures, one quote added.
const CONVOY_V2: &str = "Volgens de coalitie hebben zo'n 300 IS-strijders en 4000 familieleden de stad \
    Busayra verlaten in een konvooi van vijftig vrachtwagens. Woordvoerder Ryan Dillon zei: \"Het \
    konvooi wordt gevolgd vanuit de lucht.\" Later voegde hij toe: \"Buitenlandse strijders \
    mochten niet mee.\"";

pub fn a_revised_report_becomes_a_new_version(store: &dyn Store) {
    let v1 = titled("4994612", "NPB", "2025-10-11T14:20:00Z", "nl", "Strijders verlaten Busayra", CONVOY_V1);
    let v2 =
        titled("4994612", "NPB", "2025-10-12T08:00:00Z", "nl", "Meer strijders verlaten Busayra", CONVOY_V2);
    assert!(store.ingest(std::slice::from_ref(&v1), &settings()).unwrap()[0].is_inserted());
    let story = store.article("4994612@npb").unwrap().unwrap().story;
    let out = store.ingest(std::slice::from_ref(&v2), &settings()).unwrap();
    assert_eq!(
        out[0],
        IngestOutcome::Revised {
            id: "4994612@npb".into(),
            reason: DuplicateReason::SameId,
            version: 2,
            latest: true,
            story,
        }
    );
    let rec = store.article("4994612@npb").unwrap().unwrap();
    // The article shows its latest version: text, title, date and analysis.
    assert_eq!(
        (rec.article.title.as_str(), rec.article.text.as_str()),
        (v2.article.title.as_str(), v2.article.text.as_str())
    );
    assert_eq!(rec.article.published, v2.article.published);
    assert_eq!(rec.analysis.as_ref(), Some(&v2.analysis));
    assert_eq!(rec.version, 2);
    let history: Vec<(u32, &str)> = rec.versions.iter().map(|v| (v.version, v.title.as_str())).collect();
    assert_eq!(history, [(1, "Strijders verlaten Busayra"), (2, "Meer strijders verlaten Busayra")]);
    assert_eq!(rec.versions[0].text, v1.article.text);
    assert_eq!(rec.versions[0].published, v1.article.published);
    let changes: Vec<String> = rec.versions[1].changes.iter().map(ToString::to_string).collect();
    assert!(changes.iter().any(|c| c.contains("250") && c.contains("300")), "{changes:?}");
    assert!(changes.iter().any(|c| c.contains("3500") && c.contains("4000")), "{changes:?}");
    assert!(
        changes.iter().any(|c| c.starts_with("quote added") && c.contains("Buitenlandse")),
        "{changes:?}"
    );
    // The search index and the story summary read the latest text and date.
    let search = |q: &str| {
        store.search(&SearchQuery { text: q.into(), limit: 5, ..Default::default() }).unwrap().total
    };
    assert_eq!((search("buitenlandse"), search("busayra")), (1, 1));
    let summary = store.stories(&StoryFilter { id: story, ..Default::default() }).unwrap();
    assert_eq!(summary[0].last_published, v2.article.published);
    assert_eq!(summary[0].articles, 1, "a revision is no new report");
    // Its dossier uses the latest version and says what changed and when.
    let dossier = storyline_store::dossier::story_dossier(store, story.unwrap()).unwrap().unwrap();
    let revision = dossier.articles[0].revision.as_ref().expect("the report is marked revised");
    assert_eq!((revision.version, revision.previous_published), (2, v1.article.published));
    assert_eq!(revision.previous_title.as_deref(), Some("Strijders verlaten Busayra"));
    assert!(revision.describe().contains("zo'n 250 → zo'n 300 IS-strijders"), "{}", revision.describe());

    // Both versions again, in either order: nothing changes.
    let before = (store.stats().unwrap(), store.article("4994612@npb").unwrap());
    for batch in [vec![v1.clone(), v2.clone()], vec![v2.clone(), v1.clone()]] {
        let out = store.ingest(&batch, &settings()).unwrap();
        assert!(out.iter().all(|o| matches!(o, IngestOutcome::Duplicate { .. })), "{out:?}");
        assert!(store.has_article(&v1.article).unwrap() && store.has_article(&v2.article).unwrap());
    }
    assert_eq!((store.stats().unwrap(), store.article("4994612@npb").unwrap()), before);
}

pub fn another_outlets_item_with_the_same_id_is_its_own_article(store: &dyn Store) {
    let npb = titled("4994612", "NPB", "2025-10-11T14:20:00Z", "nl", "Strijders verlaten Busayra", CONVOY_V1);
    let other = titled(
        "4994612",
        "Omroep Oost",
        "2025-10-11T15:00:00Z",
        "nl",
        "Dijk bij Deventer versterkt",
        "Het waterschap heeft de dijk langs de IJssel bij Deventer over een lengte van twee kilometer versterkt.",
    );
    let out = store.ingest(&[npb, other.clone()], &settings()).unwrap();
    assert!(out.iter().all(IngestOutcome::is_inserted), "{out:?}");
    assert_eq!(store.article("4994612@omroep-oost").unwrap().unwrap().article.title, other.article.title);
    assert_eq!(store.article("4994612@npb").unwrap().unwrap().version, 1);
    assert_eq!(store.stats().unwrap().articles, 2);
}

pub fn an_older_version_arriving_late_goes_into_the_history(store: &dyn Store) {
    let at = |day: &str, text: &str| {
        titled("brug-7", "De Dagkoerier", day, "nl", &format!("Brug Zwolle ({day})"), text)
    };
    let v1 = at("2025-10-01", "De nieuwe brug in Zwolle kost 14 miljoen euro.");
    let v2 = at("2025-10-02", "De nieuwe brug in Zwolle kost 16 miljoen euro.");
    let v3 = at("2025-10-03", "De nieuwe brug in Zwolle kost 18 miljoen euro.");
    store.ingest(std::slice::from_ref(&v1), &settings()).unwrap();
    store.ingest(std::slice::from_ref(&v3), &settings()).unwrap();
    // The middle version arrives last: it takes its place by date, the newest stays shown.
    let out = store.ingest(std::slice::from_ref(&v2), &settings()).unwrap();
    assert!(matches!(out[0], IngestOutcome::Revised { version: 2, latest: false, .. }), "{out:?}");
    let rec = store.article("brug-7@de-dagkoerier").unwrap().unwrap();
    assert_eq!(rec.article.text, v3.article.text);
    assert_eq!(rec.version, 3);
    let days: Vec<String> = rec.versions.iter().map(|v| v.published.unwrap().to_string()).collect();
    assert_eq!(days, ["2025-10-01", "2025-10-02", "2025-10-03"]);
    // Each version says what changed from the one before it.
    let changes: Vec<String> =
        rec.versions.iter().map(|v| v.changes.iter().map(ToString::to_string).collect()).collect();
    assert_eq!(changes, ["", "14 → 16 miljoen euro", "16 → 18 miljoen euro"]);
    // A new headline over the same text is a revision too.
    let retitled =
        titled("brug-7", "De Dagkoerier", "2025-10-04", "nl", "Brug Zwolle nog duurder", &v3.article.text);
    let out = store.ingest(std::slice::from_ref(&retitled), &settings()).unwrap();
    assert!(matches!(out[0], IngestOutcome::Revised { version: 4, latest: true, .. }), "{out:?}");
    assert_eq!(
        store.article("brug-7@de-dagkoerier").unwrap().unwrap().article.title,
        "Brug Zwolle nog duurder"
    );
    assert!(store.has_article(&v3.article).unwrap() && store.has_article(&retitled.article).unwrap());
    // An undated version is ordered by arrival: it is the newest.
    let undated = at("", "De nieuwe brug in Zwolle kost 19 miljoen euro.");
    let out = store.ingest(std::slice::from_ref(&undated), &settings()).unwrap();
    assert!(matches!(out[0], IngestOutcome::Revised { version: 5, latest: true, .. }), "{out:?}");
}

/// Two reports of a convoy (the project's own text) that disagree on the number of fighters:
/// 275 against about 250.
const CONVOY_275: &str = "Een konvooi met 275 IS-strijders heeft zaterdag de stad Busayra verlaten, \
    meldt de coalitie. Volgens woordvoerder Ryan Dillon gaat het om een lokale afspraak tussen \
    stamleiders en de strijders. Het konvooi wordt vanuit de lucht gevolgd.";
const CONVOY_ABOUT_250: &str = "Zo'n 250 IS-strijders hebben de stad Busayra verlaten in een konvooi \
    van vijftig vrachtwagens, bevestigt de coalitie. Woordvoerder Ryan Dillon spreekt van een \
    lokale afspraak. Het konvooi wordt vanuit de lucht gevolgd.";

/// Every story's flag as the listing gives it, by id.
fn flags(store: &dyn Store) -> Vec<(i64, bool)> {
    let mut flags: Vec<(i64, bool)> =
        store.stories(&StoryFilter::default()).unwrap().iter().map(|s| (s.id, s.discrepancies)).collect();
    flags.sort_unstable();
    flags
}

/// Flags by id.
fn by_id<const N: usize>(mut flags: [(i64, bool); N]) -> Vec<(i64, bool)> {
    flags.sort_unstable();
    flags.to_vec()
}

/// Each listed story says it has discrepancies exactly when its dossier lists one; the filter
/// finds each story on its side; no story's flag is left unknown.
fn flags_agree_with_dossiers(store: &dyn Store, when: &str) {
    // In the listing's order, which the filter keeps.
    let listed: Vec<(i64, bool)> =
        store.stories(&StoryFilter::default()).unwrap().iter().map(|s| (s.id, s.discrepancies)).collect();
    for &(id, flag) in &listed {
        let dossier = storyline_store::dossier::story_dossier(store, id).unwrap().unwrap();
        assert_eq!(
            flag,
            !dossier.discrepancies.is_empty(),
            "{when}: story {id}: {:#?}",
            dossier.discrepancies
        );
    }
    for side in [true, false] {
        let filtered: Vec<i64> = store
            .stories(&StoryFilter { discrepancies: Some(side), ..Default::default() })
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        let expected: Vec<i64> = listed.iter().filter(|(_, f)| *f == side).map(|(id, _)| *id).collect();
        assert_eq!(filtered, expected, "{when}: discrepancies = {side}");
    }
    let report = store.check(false).unwrap();
    assert!(report.problems.is_empty(), "{when}: {:?}", report.problems);
}

/// Stores two stories of two reports each: a convoy whose reports disagree on the number of
/// fighters, and a flood whose copy agrees with its original; returns their ids.
pub fn convoy_and_flood(store: &dyn Store) -> (i64, i64) {
    let [convoy, flood] = discrepancy_fixtures();
    let batch = [convoy[0].clone(), flood[0].clone(), convoy[1].clone(), flood[1].clone()];
    let out = store.ingest(&batch, &settings()).unwrap();
    assert_eq!(inserted_story(&out[0]), inserted_story(&out[2]));
    assert_eq!(inserted_story(&out[1]), inserted_story(&out[3]));
    (inserted_story(&out[0]), inserted_story(&out[1]))
}

/// The convoy's two reports and the flood's two.
fn discrepancy_fixtures() -> [[Prepared; 2]; 2] {
    let convoy = [
        titled(
            "k1",
            "NPB",
            "2025-10-11T14:20:00Z",
            "nl",
            "Konvooi met strijders verlaat Busayra",
            CONVOY_275,
        ),
        titled(
            "k2",
            "De Dagkoerier",
            "2025-10-12T08:00:00Z",
            "nl",
            "Konvooi met strijders uit Busayra vertrokken",
            CONVOY_ABOUT_250,
        ),
    ];
    let flood = [
        article("f1", "NPB", None, "2025-10-12T09:00:00Z", WIRE),
        article(
            "f2",
            "De Dagkoerier",
            None,
            "2025-10-12T11:00:00Z",
            &WIRE.replace("zaterdagavond", "zaterdag"),
        ),
    ];
    [convoy, flood]
}

/// The convoy's second report revised to give the same number of fighters as the first.
fn agreeing_revision() -> Prepared {
    titled(
        "k2",
        "De Dagkoerier",
        "2025-10-12T10:00:00Z",
        "nl",
        "Konvooi met strijders uit Busayra vertrokken",
        &CONVOY_ABOUT_250.replace("Zo'n 250", "In totaal 275"),
    )
}

/// The stories list says which stories have discrepancies, through ingest, revision and
/// re-clustering, and filters on it both ways.
pub fn stories_say_which_have_discrepancies(store: &dyn Store) {
    let [convoy, flood] = discrepancy_fixtures();
    // The first report of each story alone: one report disagrees with nothing.
    let out = store.ingest(&[convoy[0].clone(), flood[0].clone()], &settings()).unwrap();
    let (k, f) = (inserted_story(&out[0]), inserted_story(&out[1]));
    assert_ne!(k, f);
    assert_eq!(flags(store), by_id([(f, false), (k, false)]));
    flags_agree_with_dossiers(store, "one report each");
    // The second reports: the convoy's disagree on the fighters, the flood's copy agrees.
    let out = store.ingest(&[convoy[1].clone(), flood[1].clone()], &settings()).unwrap();
    assert_eq!((inserted_story(&out[0]), inserted_story(&out[1])), (k, f), "each joins its story");
    assert_eq!(flags(store), by_id([(f, false), (k, true)]));
    let with = store.stories(&StoryFilter { discrepancies: Some(true), ..Default::default() }).unwrap();
    assert_eq!(with.iter().map(|s| s.id).collect::<Vec<_>>(), [k]);
    let without = store.stories(&StoryFilter { discrepancies: Some(false), ..Default::default() }).unwrap();
    assert_eq!(without.iter().map(|s| s.id).collect::<Vec<_>>(), [f]);
    // The filter goes with the others.
    let npb_with =
        StoryFilter { discrepancies: Some(true), source: Some("npb".into()), ..Default::default() };
    assert_eq!(store.stories(&npb_with).unwrap().len(), 1);
    let two_without = StoryFilter { discrepancies: Some(false), min_articles: 3, ..Default::default() };
    assert!(store.stories(&two_without).unwrap().is_empty());
    flags_agree_with_dossiers(store, "after ingest");
    // Ingesting the same again changes nothing.
    store.ingest(&[convoy[1].clone(), flood[1].clone()], &settings()).unwrap();
    assert_eq!(flags(store), by_id([(f, false), (k, true)]));
    // A revision that gives the same figure as the first report: no disagreement left.
    let agreeing = agreeing_revision();
    let out = store.ingest(&[agreeing], &settings()).unwrap();
    assert!(matches!(out[0], IngestOutcome::Revised { latest: true, .. }), "{out:?}");
    assert_eq!(flags(store), by_id([(f, false), (k, false)]));
    flags_agree_with_dossiers(store, "after the revision");
    // And one that disagrees again.
    let again = titled(
        "k2",
        "De Dagkoerier",
        "2025-10-12T12:00:00Z",
        "nl",
        "Konvooi met strijders uit Busayra vertrokken",
        &CONVOY_ABOUT_250.replace("Zo'n 250", "Zo'n 240"),
    );
    store.ingest(&[again], &settings()).unwrap();
    assert_eq!(flags(store), by_id([(f, false), (k, true)]));
    // Rebuilding the stories keeps each one's flag.
    store.recluster(&settings()).unwrap();
    assert_eq!(flags(store), by_id([(f, false), (k, true)]));
    flags_agree_with_dossiers(store, "after the re-clustering");
    // So does a repair.
    store.check(true).unwrap();
    assert_eq!(flags(store), by_id([(f, false), (k, true)]));
}

/// When a report joins two stories that had no discrepancies and disagrees with one of them,
/// the merged story has a discrepancy, and a re-clustering says the same.
pub fn a_merged_story_says_whether_it_has_discrepancies(store: &dyn Store) {
    let [d1, d2, _] = derailment();
    // The joining report counts eleven wagons where the second counts seven.
    let (id, source, published, title, text) = DERAILMENT[2];
    let d3 = titled(id, source, published, "nl", title, &text.replace("zeven wagons", "elf wagons"));
    let first = store.ingest(&[d1, d2], &merging()).unwrap();
    let (a, b) = (inserted_story(&first[0]), inserted_story(&first[1]));
    assert_ne!(a, b, "the first two reports share too little to join");
    assert_eq!(flags(store), by_id([(b, false), (a, false)]));
    let third = store.ingest(&[d3], &merging()).unwrap();
    assert_eq!(inserted_story(&third[0]), a, "the third report joins both, in the older story");
    assert_eq!(flags(store), by_id([(a, true)]));
    flags_agree_with_dossiers(store, "after the merge");
    store.recluster(&merging()).unwrap();
    assert_eq!(flags(store), by_id([(a, true)]));
    flags_agree_with_dossiers(store, "after the re-clustering");
}

/// Two writers on one store: a report one of them revises is read again when the other next
/// settles its story (the other keeps what the figures of the reports it read need, and must
/// not take the old version from there).
pub fn a_report_revised_by_another_writer_is_read_again(first: &dyn Store, second: &dyn Store) {
    let [convoy, _] = discrepancy_fixtures();
    let out = first.ingest(&convoy, &settings()).unwrap();
    let k = inserted_story(&out[0]);
    assert_eq!(flags(first), by_id([(k, true)]), "275 against about 250 fighters");
    // The other writer revises the second report to agree with the first.
    let agreeing = agreeing_revision();
    let out = second.ingest(&[agreeing], &settings()).unwrap();
    assert!(matches!(out[0], IngestOutcome::Revised { latest: true, .. }), "{out:?}");
    assert_eq!(flags(first), by_id([(k, false)]));
    // The first writer adds a third report that agrees too: its story is settled again, from
    // the revised report.
    let third = titled(
        "k3",
        "Het Avondblad",
        "2025-10-12T16:00:00Z",
        "nl",
        "Konvooi met strijders uit Busayra vertrokken",
        &CONVOY_275.replace("heeft", "had"),
    );
    let out = first.ingest(&[third], &settings()).unwrap();
    assert_eq!(inserted_story(&out[0]), k, "{out:?}");
    assert_eq!(flags(first), by_id([(k, false)]));
    flags_agree_with_dossiers(first, "after another writer's revision");
}

pub fn run_all(open: &dyn Fn() -> Box<dyn Store>) {
    stories_say_which_have_discrepancies(open().as_ref());
    a_merged_story_says_whether_it_has_discrepancies(open().as_ref());
    a_revised_report_becomes_a_new_version(open().as_ref());
    another_outlets_item_with_the_same_id_is_its_own_article(open().as_ref());
    an_older_version_arriving_late_goes_into_the_history(open().as_ref());
    has_article_knows_the_very_article(open().as_ref());
    a_clean_store_checks_clean(open().as_ref());
    stories_merge_when_a_report_joins_two(open().as_ref());
    a_merge_within_a_batch_reports_the_final_story(open().as_ref());
    undated_stories_merge_through_the_days_they_name(open().as_ref());
    search_stems_ranks_filters_and_highlights(open().as_ref());
    reingest_changes_nothing(open().as_ref());
    same_url_and_same_text_are_duplicates_with_sightings(open().as_ref());
    near_duplicates_link_to_the_original(open().as_ref());
    near_duplicates_are_searched_within_the_horizon(open().as_ref());
    stories_are_assigned_listed_and_rebuilt(open().as_ref());
    listing_filters_and_orders(open().as_ref());
    ids_resolve_by_unique_prefix(open().as_ref());
    corrections::run_all(open);
}
