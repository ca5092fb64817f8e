//! The HTTP layer driven through the router (no sockets), plus one real request over loopback:
//! every route's happy path on a small invented corpus, every 4xx, search, escaping, and the
//! OpenAPI document against the routes.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use storyline_core::ingest::prepare::prepare_with_signature;
use storyline_core::ingest::PrepareOptions;
use storyline_core::{Published, RawArticle};
use storyline_server::{app, AppState, Limits, ROUTES};
use storyline_store::sqlite::SqliteStore;
use storyline_store::{IngestSettings, Store};
use tower::ServiceExt;

const TOKEN: &str = "test-token-9f2c";

fn raw(id: &str, source: &str, published: &str, language: &str, title: &str, text: &str) -> RawArticle {
    RawArticle {
        id: Some(id.into()),
        title: Some(title.into()),
        text: text.into(),
        source: Some(source.into()),
        published: Published::parse(published).ok(),
        language: Some(language.into()),
        url: Some(format!("https://{}.example/{id}", source.to_lowercase().replace(' ', "-"))),
        ..RawArticle::default()
    }
}

/// A small invented corpus: two Dutch reports of one convoy story, an English report of it, and
/// an unrelated Dutch report.
fn corpus() -> Vec<RawArticle> {
    vec![
        raw(
            "hm-1",
            "Het Morgenblad",
            "2025-10-12T09:00:00Z",
            "nl",
            "Konvooi met strijders verlaat belegerd Marbeek",
            "Een konvooi met 180 strijders heeft zondag de belegerde stad Marbeek verlaten in het kader \
             van een lokaal akkoord. Dat zegt woordvoerder Pieter Landman van de coalitie. \"Het konvooi \
             is zonder incidenten vertrokken\", zei Landman. Buitenlandse strijders mochten niet mee.",
        ),
        raw(
            "dk-2",
            "De Dagkoerier",
            "2025-10-13T10:00:00Z",
            "nl",
            "Meer strijders in konvooien uit Marbeek dan gemeld",
            "In de konvooien die zondag Marbeek verlieten zaten ongeveer 220 strijders en 900 \
             familieleden, meldt De Dagkoerier op basis van ooggetuigen. Woordvoerder Pieter Landman \
             van de coalitie bevestigde dat er een akkoord was. Er reden 30 vrachtwagens mee.",
        ),
        raw(
            "nc-3",
            "Northern Courier",
            "2025-10-13T12:00:00Z",
            "en",
            "Convoy of fighters leaves Marbeek",
            "A convoy carrying about 200 fighters left the besieged town of Marbeek on Sunday under a \
             local deal, coalition spokesman Pieter Landman said.",
        ),
        raw(
            "hm-4",
            "Het Morgenblad",
            "2025-09-02",
            "nl",
            "Nieuwe brug in Zwolle een jaar later klaar",
            "De nieuwe brug over het Zwarte Water in Zwolle is een jaar later klaar dan beloofd, meldt \
             de gemeente. De raad wil opheldering over de extra kosten van negen miljoen euro.",
        ),
    ]
}

struct Fixture {
    store: Arc<SqliteStore>,
    app: Router,
}

fn fixture_with(token: Option<&str>, limits: Limits) -> Fixture {
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let batch: Vec<_> = corpus()
        .into_iter()
        .map(|r| {
            prepare_with_signature(r, &PrepareOptions::default(), Some("test".into())).expect("analysis")
        })
        .collect();
    store.ingest(&batch, &IngestSettings::default()).unwrap();
    let state = AppState {
        store: store.clone(),
        token: token.map(str::to_string),
        ingest: IngestSettings::default(),
        limits,
        dossiers: Default::default(),
        feeds: Default::default(),
    };
    Fixture { store, app: app(state) }
}

fn fixture() -> Fixture {
    fixture_with(Some(TOKEN), Limits::default())
}

struct Reply {
    status: StatusCode,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The error code and message of a JSON error body.
    fn error(&self) -> (String, String) {
        assert!(self.content_type.starts_with("application/json"), "{} {}", self.content_type, self.body);
        let v = self.json();
        (
            v["error"]["code"].as_str().unwrap().to_string(),
            v["error"]["message"].as_str().unwrap().to_string(),
        )
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let content_type =
        res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024 * 1024).await.unwrap();
    Reply { status, content_type, body: String::from_utf8(bytes.to_vec()).unwrap() }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

fn post(uri: &str, content_type: Option<&str>, token: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::post(uri);
    if let Some(t) = content_type {
        b = b.header(header::CONTENT_TYPE, t);
    }
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    b.body(body.into()).unwrap()
}

fn story_of(store: &SqliteStore, id: &str) -> i64 {
    store.articles(&Default::default()).unwrap().into_iter().find(|a| a.id == id).unwrap().story.unwrap()
}

#[tokio::test]
async fn health_counts_articles_and_stories() {
    let f = fixture();
    let r = get(&f.app, "/api/health").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["articles"], 4);
    assert_eq!(v["stories"].as_u64(), Some(f.store.stats().unwrap().stories));
}

#[tokio::test]
async fn stories_are_listed_filtered_and_paged() {
    let f = fixture();
    let v = get(&f.app, "/api/stories").await.json();
    let stories = v["stories"].as_array().unwrap();
    assert!(stories.len() >= 2, "{v}");
    let convoy = story_of(&f.store, "hm-1@het-morgenblad");
    assert_eq!(
        convoy,
        story_of(&f.store, "dk-2@de-dagkoerier"),
        "the two Dutch convoy reports are one story"
    );
    assert_eq!(stories[0]["id"], convoy, "newest activity first");
    assert_eq!(v["has_more"], false);
    let v = get(&f.app, "/api/stories?min_articles=2").await.json();
    assert!(v["stories"].as_array().unwrap().iter().all(|s| s["articles"].as_u64().unwrap() >= 2));
    let v = get(&f.app, "/api/stories?limit=1").await.json();
    assert_eq!(v["stories"].as_array().unwrap().len(), 1);
    assert_eq!(v["has_more"], true);
    assert_eq!(v["limit"], 1);
    let v = get(&f.app, "/api/stories?until=2025-09").await.json();
    let ids: Vec<i64> = v["stories"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [story_of(&f.store, "hm-4@het-morgenblad")]);
    let v = get(&f.app, "/api/stories?source=de+dagkoerier&language=nl").await.json();
    let ids: Vec<i64> = v["stories"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [convoy]);
}

/// Each story says whether its dossier lists discrepancies, as the dossier does; the list
/// filters on it both ways, in the API and on the page, and a bad value is a 400 naming it.
#[tokio::test]
async fn stories_say_whether_they_have_discrepancies_and_filter_on_it() {
    let f = fixture();
    let v = get(&f.app, "/api/stories").await.json();
    let listed: Vec<(i64, bool)> = v["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_i64().unwrap(), s["discrepancies"].as_bool().expect("a boolean")))
        .collect();
    for &(id, flag) in &listed {
        let dossier = get(&f.app, &format!("/api/stories/{id}")).await.json();
        assert_eq!(flag, !dossier["discrepancies"].as_array().unwrap().is_empty(), "story {id}: {dossier}");
    }
    let convoy = story_of(&f.store, "hm-1@het-morgenblad");
    let bridge = story_of(&f.store, "hm-4@het-morgenblad");
    assert!(listed.contains(&(convoy, true)), "180 against about 220 fighters: {listed:?}");
    assert!(listed.contains(&(bridge, false)), "{listed:?}");
    let ids = |v: Value| -> Vec<i64> {
        v["stories"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect()
    };
    let with: Vec<i64> = listed.iter().filter(|(_, d)| *d).map(|(id, _)| *id).collect();
    let without: Vec<i64> = listed.iter().filter(|(_, d)| !*d).map(|(id, _)| *id).collect();
    for (query, expected) in [
        ("discrepancies=true", &with),
        ("discrepancies=yes", &with),
        ("discrepancies=1", &with),
        ("discrepancies=false", &without),
        ("discrepancies=0", &without),
        ("discrepancies=", &listed.iter().map(|(id, _)| *id).collect()),
    ] {
        let r = get(&f.app, &format!("/api/stories?{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
        assert_eq!(&ids(r.json()), expected, "{query}");
    }
    let v = get(&f.app, "/api/stories?discrepancies=true&source=de+dagkoerier").await.json();
    assert_eq!(ids(v), [convoy]);
    let r = get(&f.app, "/api/stories?discrepancies=misschien").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let (code, message) = r.error();
    assert_eq!(code, "bad_request");
    assert!(message.contains("`discrepancies`") && message.contains("`misschien`"), "{message}");
    // The page marks the story and filters the same way.
    let page = get(&f.app, "/").await;
    assert!(page.body.contains(&format!("href=\"/stories/{convoy}#discrepancies\"")), "{}", page.body);
    assert!(!page.body.contains(&format!("href=\"/stories/{bridge}#discrepancies\"")));
    let page = get(&f.app, "/?discrepancies=true").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("<a href=\"/stories/{convoy}\">")));
    assert!(!page.body.contains(&format!("<a href=\"/stories/{bridge}\">")));
    assert!(page.body.contains("<option value=\"true\" selected>with discrepancies</option>"));
    let page = get(&f.app, "/?discrepancies=false").await;
    assert!(page.body.contains(&format!("<a href=\"/stories/{bridge}\">")));
    assert!(!page.body.contains(&format!("<a href=\"/stories/{convoy}\">")));
    let page = get(&f.app, "/?discrepancies=misschien").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.content_type.starts_with("text/html"));
}

#[tokio::test]
async fn a_story_gives_its_dossier_as_json_and_as_a_page() {
    let f = fixture();
    let convoy = story_of(&f.store, "hm-1@het-morgenblad");
    let r = get(&f.app, &format!("/api/stories/{convoy}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["id"], convoy);
    let ids: Vec<&str> =
        v["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(ids.starts_with(&["hm-1@het-morgenblad", "dk-2@de-dagkoerier"]), "{ids:?}");
    let page = get(&f.app, &format!("/stories/{convoy}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
    assert!(page.body.contains("Konvooi met strijders verlaat belegerd Marbeek"));
    assert!(page.body.contains("/articles/dk-2"));
    // The reports come in pages; the rest of the dossier whole.
    let total = ids.len();
    assert!(total >= 2);
    assert_eq!(v["articles_total"], total);
    assert_eq!(v["has_more"], false);
    let one = get(&f.app, &format!("/api/stories/{convoy}?limit=1&offset=1")).await.json();
    assert_eq!(one["articles"].as_array().unwrap().len(), 1);
    assert_eq!(one["articles"][0]["id"], ids[1]);
    assert_eq!((one["articles_total"].as_u64(), one["offset"].as_u64()), (Some(total as u64), Some(1)));
    assert_eq!(one["has_more"], total > 2);
    assert_eq!(one["quotes"], v["quotes"]);
    let past = get(&f.app, &format!("/api/stories/{convoy}?offset=999")).await.json();
    assert!(past["articles"].as_array().unwrap().is_empty() && past["has_more"] == false);
}

#[tokio::test]
async fn a_story_and_a_search_are_atom_feeds_a_reader_can_follow() {
    use storyline_core::ingest::feed::parse_feed;
    let f = fixture();
    let convoy = story_of(&f.store, "hm-1@het-morgenblad");
    let dossier = get(&f.app, &format!("/api/stories/{convoy}")).await.json();
    let r = get(&f.app, &format!("/stories/{convoy}/feed.atom")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.content_type.starts_with("application/atom+xml"), "{}", r.content_type);
    // The feed reads back as Atom: one entry per report, newest first, each linking to the
    // report's own address when it has one, else to its page here.
    let entries: Vec<_> = parse_feed(r.body.as_bytes()).unwrap().into_iter().map(Result::unwrap).collect();
    let reports = dossier["articles"].as_array().unwrap();
    assert_eq!(entries.len(), reports.len());
    let times: Vec<i64> = entries.iter().filter_map(|e| e.published.map(|p| p.unix)).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
    for report in reports {
        let title = report["title"].as_str().unwrap();
        let e = entries.iter().find(|e| e.title.as_deref() == Some(title)).expect("an entry per report");
        let expected = report["url"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("http://localhost/articles/{}", report["id"].as_str().unwrap()));
        assert_eq!(e.url.as_deref(), Some(expected.as_str()));
    }
    assert!(r
        .body
        .contains(&format!("<link rel=\"self\" href=\"http://localhost/stories/{convoy}/feed.atom\"/>")));
    // The host the request names is the feed's.
    let mut req = Request::get(format!("/stories/{convoy}/feed.atom")).body(Body::empty()).unwrap();
    req.headers_mut().insert(header::HOST, "nieuws.example:8080".parse().unwrap());
    assert!(send(&f.app, req).await.body.contains("http://nieuws.example:8080/stories/"));
    // A search as a feed: its hits, best first.
    let hits = get(&f.app, "/api/search?q=konvooi").await.json();
    let feed = get(&f.app, "/search/feed.atom?q=konvooi").await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    let entries = parse_feed(feed.body.as_bytes()).unwrap();
    assert_eq!(entries.len(), hits["hits"].as_array().unwrap().len());
    assert!(feed.body.contains("<title>Search: konvooi</title>"), "{}", feed.body);
    // No story, no words: errors, as pages.
    assert_eq!(get(&f.app, "/stories/999999/feed.atom").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&f.app, "/search/feed.atom").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn articles_are_listed_and_shown_by_id_or_prefix() {
    let f = fixture();
    let v = get(&f.app, "/api/articles?source=het+morgenblad").await.json();
    let ids: Vec<&str> =
        v["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["hm-1@het-morgenblad", "hm-4@het-morgenblad"]);
    let v = get(&f.app, "/api/articles?since=2025-10-13&limit=1&offset=1").await.json();
    assert_eq!(v["articles"][0]["id"], "dk-2@de-dagkoerier");
    let r = get(&f.app, "/api/articles/nc-3").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["title"], "Convoy of fighters leaves Marbeek");
    assert!(v["analysis"]["entities"].as_array().is_some_and(|e| !e.is_empty()), "{v}");
    assert_eq!(get(&f.app, "/api/articles/dk").await.json()["id"], "dk-2@de-dagkoerier", "a unique prefix");
    let (code, message) = get(&f.app, "/api/articles/h").await.error();
    assert_eq!(code, "bad_request");
    assert!(message.contains("ambiguous"), "{message}");
    let page = get(&f.app, "/articles/hm-1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Pieter Landman"));
    assert!(
        page.body.contains(&format!("/stories/{}", story_of(&f.store, "hm-1@het-morgenblad"))),
        "the article links its story"
    );
}

#[tokio::test]
async fn search_finds_dutch_inflections_ranks_and_filters() {
    let f = fixture();
    let v = get(&f.app, "/api/search?q=konvooien").await.json();
    assert_eq!(v["total"], 2, "{v}");
    let hits = v["hits"].as_array().unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.iter().copied().collect::<BTreeSet<_>>(),
        BTreeSet::from(["hm-1@het-morgenblad", "dk-2@de-dagkoerier"])
    );
    assert!(hits[0]["score"].as_f64().unwrap() >= hits[1]["score"].as_f64().unwrap());
    let hm1 = hits.iter().find(|h| h["id"] == "hm-1@het-morgenblad").unwrap();
    let title = hm1["title"].as_str().unwrap();
    let (a, b) =
        (hm1["title_highlights"][0][0].as_u64().unwrap(), hm1["title_highlights"][0][1].as_u64().unwrap());
    assert_eq!(title.chars().skip(a as usize).take((b - a) as usize).collect::<String>(), "Konvooi");
    // The singular finds the plural too; English stems for English text.
    assert_eq!(get(&f.app, "/api/search?q=konvooi").await.json()["total"], 2);
    assert_eq!(get(&f.app, "/api/search?q=convoys").await.json()["hits"][0]["id"], "nc-3@northern-courier");
    let v = get(&f.app, "/api/search?q=strijders&source=De%20Dagkoerier").await.json();
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["id"], "dk-2@de-dagkoerier");
    assert_eq!(get(&f.app, "/api/search?q=strijders&language=en").await.json()["total"], 0);
    let v = get(&f.app, "/api/search?q=marbeek&limit=1").await.json();
    assert_eq!(
        (v["total"].as_u64(), v["hits"].as_array().unwrap().len(), &v["has_more"]),
        (Some(3), 1, &Value::Bool(true))
    );
    // The page groups hits under their story and marks the matches.
    let page = get(&f.app, "/search?q=konvooien").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<mark"), "matches are marked");
    assert!(page.body.contains("/articles/dk-2"));
    let empty = get(&f.app, "/search").await;
    assert_eq!(empty.status, StatusCode::OK);
}

#[tokio::test]
async fn search_filters_by_entity() {
    let f = fixture();
    let record = f.store.article("hm-1@het-morgenblad").unwrap().unwrap();
    let key =
        record.analysis.unwrap().entities.into_iter().map(|e| e.key).find(|k| k.contains("landman")).unwrap();
    let v = get(&f.app, &format!("/api/search?q=marbeek&entity={key}")).await.json();
    let ids: BTreeSet<String> =
        v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().into()).collect();
    assert!(ids.contains("hm-1@het-morgenblad") && !ids.is_empty(), "{v}");
    let v = get(&f.app, &format!("/api/search?q=brug&entity={key}")).await.json();
    assert_eq!(v["total"], 0);
}

#[tokio::test]
async fn two_articles_are_compared() {
    let f = fixture();
    let r = get(&f.app, "/api/compare?a=hm-1&b=dk-2").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["a"]["id"], "hm-1@het-morgenblad");
    assert_eq!(v["b"]["id"], "dk-2@de-dagkoerier");
    let (code, message) = get(&f.app, "/api/compare?a=hm-1").await.error();
    assert_eq!(code, "bad_request");
    assert!(message.contains("`b`"), "{message}");
    let r = get(&f.app, "/api/compare?a=hm-1&b=nope-9").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.error().1.contains("nope-9"));
}

#[tokio::test]
async fn bad_requests_get_json_errors_with_the_right_status() {
    let f = fixture();
    for (uri, status, code, needle) in [
        ("/api/stories/999999", 404, "not_found", "999999"),
        ("/api/stories/abc", 400, "bad_request", "abc"),
        ("/api/articles/nope-1", 404, "not_found", "nope-1"),
        ("/api/stories?since=2017-13-45", 400, "bad_request", "`since`"),
        ("/api/articles?until=gisteren", 400, "bad_request", "gisteren"),
        ("/api/search?q=konvooi&since=12-10-2025", 400, "bad_request", "12-10-2025"),
        ("/api/stories?limit=veel", 400, "bad_request", "`limit`"),
        ("/api/stories?min_articles=-1", 400, "bad_request", "min_articles"),
        ("/api/nothing-here", 404, "not_found", "/api/nothing-here"),
        ("/api/articles/%FF%FE", 400, "bad_request", "UTF-8"),
        // A character that is no digit inside a zone; offsets that would wrap round.
        ("/api/articles?since=2017-11-14T13:00%2B0%CE%A60", 400, "bad_request", "`since`"),
        ("/api/stories?until=2017-11-14T13:00%2B0%CE%A60", 400, "bad_request", "`until`"),
        ("/api/search?q=konvooi&since=2017-11-14T13:00%2B0%CE%A60", 400, "bad_request", "`since`"),
        ("/api/articles?since=9999-12-31T23:30:00-01:00", 400, "bad_request", "9999"),
        ("/api/articles?offset=9223372036854775808", 400, "bad_request", "`offset`"),
        ("/api/stories?offset=18446744073709551615", 400, "bad_request", "`offset`"),
        ("/api/search?q=konvooi&offset=9223372036854775808", 400, "bad_request", "`offset`"),
    ] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.body);
        let (c, message) = r.error();
        assert_eq!(c, code, "{uri}");
        assert!(message.contains(needle), "{uri}: {message}");
    }
    let r = send(&f.app, Request::delete("/api/health").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error().0, "method_not_allowed");
    let r = get(&f.app, "/api/ingest").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.error().0, "method_not_allowed");
    // Pages answer with HTML error pages.
    for (uri, status) in [
        ("/stories/999999", 404),
        ("/articles/nope-1", 404),
        ("/?since=2017-13-45", 400),
        ("/?since=2017-11-14T13:00%2B0%CE%A60", 400),
        ("/search?q=konvooi&since=2017-11-14T13:00%2B0%CE%A60", 400),
        ("/?page=18446744073709551615", 400),
        ("/search?q=konvooi&page=922337203685477581", 400),
        ("/elsewhere", 404),
    ] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}");
        assert!(r.content_type.starts_with("text/html"), "{uri}: {}", r.content_type);
    }
}

#[tokio::test]
async fn ingest_needs_the_token_a_known_type_and_a_bounded_body() {
    let line = r#"{"id":"x-1","title":"Raad Zwolle","text":"De raad van Zwolle vergaderde over de brug."}"#;
    // No token configured: writes are refused, whatever is sent.
    let closed = fixture_with(None, Limits::default());
    let r = send(&closed.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), line)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.error().1.contains("STORYLINE_TOKEN"));
    let f = fixture_with(Some(TOKEN), Limits { max_body_bytes: 4096, ..Limits::default() });
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), None, line)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error().0, "unauthorized");
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some("guess"), line)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send(&f.app, post("/api/ingest", Some("text/plain"), Some(TOKEN), line)).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (code, message) = r.error();
    assert_eq!(code, "unsupported_media_type");
    assert!(message.contains("text/plain") && message.contains("application/x-ndjson"), "{message}");
    let r = send(&f.app, post("/api/ingest", None, Some(TOKEN), line)).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let big = format!("{line}\n").repeat(100);
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), big.clone())).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.error().0, "payload_too_large");
    let mut declared = post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), big);
    declared.headers_mut().insert(header::CONTENT_LENGTH, "4200".parse().unwrap());
    assert_eq!(send(&f.app, declared).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), "")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(f.store.article("x-1").unwrap().is_none(), "nothing was stored by refused requests");
}

#[tokio::test]
async fn ingest_stores_json_lines_and_feeds_and_reports_each_record() {
    let f = fixture();
    let body = concat!(
        r#"{"id":"x-1","title":"Raad Zwolle wil onderzoek","source":"Het Morgenblad","published":"2025-10-20","text":"De raad van Zwolle wil een onafhankelijk onderzoek naar de kosten van de nieuwe brug."}"#,
        "\n",
        r#"{"id":"x-2","title":"kapot"#,
        "\n",
        r#"{"id":"x-3","title":"Zwolle","text":"De wethouder van Zwolle reageert morgen op de vragen van de raad over de brug."}"#,
        "\n"
    );
    let r = send(
        &f.app,
        post("/api/ingest?source=Stadsblad", Some("application/x-ndjson; charset=utf-8"), Some(TOKEN), body),
    )
    .await;
    // A record failed: 422 naming it, with the report beside the error; the others are stored.
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let (code, message) = r.error();
    assert_eq!(code, "unprocessable_entity");
    assert!(message.starts_with("line 2: "), "{message}");
    assert!(
        message.contains("1 record was not stored, the other 2 stored (2 new, 0 already stored)"),
        "{message}"
    );
    let v = r.json();
    assert_eq!(
        (v["inserted"].as_u64(), v["duplicates"].as_u64(), v["failed"].as_u64()),
        (Some(2), Some(0), Some(1)),
        "{v}"
    );
    assert_eq!(v["errors"][0]["record"], "line 2");
    assert_eq!(
        f.store.article("x-3@stadsblad").unwrap().unwrap().article.source.as_deref(),
        Some("Stadsblad")
    );
    // The request's outlet wins over the record's own, as `--source` does.
    assert_eq!(
        f.store.article("x-1@stadsblad").unwrap().unwrap().article.source.as_deref(),
        Some("Stadsblad")
    );
    let again = send(&f.app, post("/api/ingest", Some("application/jsonl"), Some(TOKEN), body)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let again = again.json();
    assert_eq!((again["inserted"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(2)));
    let feed = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Stadsblad</title>
        <item><title>Brug Zwolle opnieuw vertraagd</title><link>https://stadsblad.example/brug</link>
        <description>De oplevering van de brug in Zwolle schuift opnieuw op, meldt de gemeente.</description>
        <pubDate>Tue, 21 Oct 2025 08:00:00 GMT</pubDate></item></channel></rss>"#;
    let r = send(&f.app, post("/api/ingest", Some("application/rss+xml"), Some(TOKEN), feed)).await;
    assert_eq!(r.status, StatusCode::OK, "every record stored: {}", r.body);
    let v = r.json();
    assert_eq!(v["inserted"], 1, "{v}");
    assert!(v.get("error").is_none(), "{v}");
    assert_eq!(get(&f.app, "/api/search?q=vertraagd").await.json()["total"], 1, "searchable at once");
}

/// Three JSON Lines records of the project's own writing; the middle one's text is `middle`.
fn three_lines(middle: &str) -> String {
    let line = |id: &str, title: &str, text: &str| {
        serde_json::json!({ "id": id, "title": title, "published": "2025-11-04", "language": "nl", "text": text })
            .to_string()
            + "\n"
    };
    [
        line(
            "api-1",
            "Raad Hattem kiest wethouder",
            "De raad van Hattem koos dinsdag Marieke Soeters als wethouder.",
        ),
        line("api-2", "Zetelverdeling omstreden", middle),
        line(
            "api-3",
            "Veerpont Olst vaart weer",
            "De veerpont tussen Olst en Welsum vaart sinds woensdag weer.",
        ),
    ]
    .concat()
}

#[tokio::test]
async fn ingest_answers_422_naming_a_record_whose_analysis_failed_and_stores_the_rest() {
    let f = fixture();
    // The test build's analysis panics on the marker (storyline-core's `test-panic` feature).
    let marker = storyline_core::analyze::TEST_PANIC_MARKER;
    let body = three_lines(&format!("Een tekst waarop de analyse faalt {marker}."));
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), body.clone())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let (code, message) = r.error();
    assert_eq!(code, "unprocessable_entity");
    assert!(message.starts_with("line 2: analysis failed: test panic"), "{message}");
    assert!(
        message.ends_with("1 record was not stored, the other 2 stored (2 new, 0 already stored)"),
        "{message}"
    );
    let v = r.json();
    assert_eq!(
        (v["records"].as_u64(), v["inserted"].as_u64(), v["failed"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(v["errors"][0]["record"], "line 2");
    assert!(v["errors"][0]["reason"].as_str().unwrap().starts_with("analysis failed: "), "{v}");
    assert_eq!(v["articles"].as_array().unwrap().len(), 2, "{v}");
    assert!(f.store.article("api-1").unwrap().is_some());
    assert!(f.store.article("api-2").unwrap().is_none(), "the failed record is not stored");
    assert!(f.store.article("api-3").unwrap().is_some());
    // The server goes on serving, and the same body again stores nothing new.
    assert_eq!(get(&f.app, "/api/health").await.status, StatusCode::OK);
    let again = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), body)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((again.json()["inserted"].as_u64(), again.json()["duplicates"].as_u64()), (Some(0), Some(2)));
    // Many failures: the message names the first few, `errors` has them all.
    let many: String = (1..=8)
        .map(|i| {
            serde_json::json!({ "id": format!("fail-{i}"), "text": format!("Tekst {i} {marker}") })
                .to_string()
                + "\n"
        })
        .collect();
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), many)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, message) = r.error();
    assert!(message.contains("line 5: analysis failed") && !message.contains("line 6:"), "{message}");
    assert!(message.contains("and 3 more (see `errors`)"), "{message}");
    assert!(
        message.ends_with("8 records were not stored, the other 0 stored (0 new, 0 already stored)"),
        "{message}"
    );
    assert_eq!(r.json()["errors"].as_array().unwrap().len(), 8);
}

/// A body is stored a batch at a time as it is read: with two records a batch, eleven records
/// (one failing, one a gzip-compressed copy) all go in, in body order, each batch its own write.
#[tokio::test]
async fn ingest_writes_a_batch_at_a_time_and_reads_gzip_bodies() {
    let f = fixture_with(Some(TOKEN), Limits { batch_size: 2, ..Limits::default() });
    let marker = storyline_core::analyze::TEST_PANIC_MARKER;
    let body: String = (1..=11)
        .map(|i| {
            let text = if i == 6 {
                format!("Tekst {i} {marker}")
            } else {
                format!("Bericht {i}: het veer naar Texel vaart weer vanaf dag {i}, meldt de rederij.")
            };
            serde_json::json!({ "id": format!("b-{i}"), "language": "nl", "text": text }).to_string() + "\n"
        })
        .collect();
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), body.clone())).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let v = r.json();
    assert_eq!(
        (v["records"].as_u64(), v["inserted"].as_u64(), v["failed"].as_u64()),
        (Some(11), Some(10), Some(1))
    );
    let ids: Vec<&str> =
        v["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    let want: Vec<String> = (1..=11).filter(|&i| i != 6).map(|i| format!("b-{i}")).collect();
    assert_eq!(ids, want.iter().map(String::as_str).collect::<Vec<_>>());
    // The same records gzip-compressed: read alike, all already stored.
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let packed = gz.finish().unwrap();
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), packed)).await;
    let v = r.json();
    assert_eq!((v["records"].as_u64(), v["duplicates"].as_u64()), (Some(11), Some(10)), "{v}");
    // A body of blank lines holds no record: a bad request that says so.
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), "\n\n\n")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.error().1.contains("no records"), "{}", r.body);
}

#[tokio::test]
async fn ingest_stores_names_joined_by_apostrophes_and_non_breaking_hyphens() {
    let f = fixture();
    let body = three_lines(
        "De zetelverdeling volgens de methode-d’Hondt blijft omstreden, zei oud-minister Hedy d’Ancona \
         dinsdag. Het ministero dell’Italia meldt dat de anti‑IS‑coalitie volgende week vergadert.",
    );
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["inserted"].as_u64(), r.json()["failed"].as_u64()), (Some(3), Some(0)));
    let stored = f.store.article("api-2").unwrap().unwrap();
    let analysis = stored.analysis.expect("stored with its analysis");
    let chars: Vec<char> = stored.article.text.chars().collect();
    for e in &analysis.entities {
        assert_eq!(chars[e.start..e.end].iter().collect::<String>(), e.text, "{e:?}");
    }
}

#[tokio::test]
async fn markup_in_an_article_is_shown_as_text_and_kept_raw_only_in_json() {
    let f = fixture();
    let evil = r#"{"id":"evil-1","title":"Raad <script>alert('titel')</script> Zwolle","source":"Stadsblad","published":"2025-10-22","text":"De raad <script>alert('tekst')</script> van Zwolle sprak over de brug. <img src=x onerror=alert(1)>"}"#;
    let r = send(&f.app, post("/api/ingest", Some("application/x-ndjson"), Some(TOKEN), evil)).await;
    assert_eq!(r.json()["inserted"], 1, "{}", r.body);
    let story = story_of(&f.store, "evil-1@stadsblad");
    for uri in [
        "/articles/evil-1".to_string(),
        format!("/stories/{story}"),
        "/search?q=raad+zwolle".into(),
        "/".into(),
    ] {
        let page = get(&f.app, &uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(!page.body.contains("<script>alert"), "{uri} runs the article's script");
        assert!(!page.body.contains("<img"), "{uri} carries the article's markup");
        if uri != "/" || page.body.contains("Raad") {
            assert!(page.body.contains("&lt;script&gt;"), "{uri} does not show the markup as text");
        }
    }
    let json = get(&f.app, "/api/articles/evil-1").await;
    assert!(json.content_type.starts_with("application/json"));
    assert!(json.json()["text"].as_str().unwrap().contains("<script>alert('tekst')</script>"));
    let hits = get(&f.app, "/api/search?q=raad+zwolle").await.json();
    let hit =
        hits["hits"].as_array().unwrap().iter().find(|h| h["id"] == "evil-1@stadsblad").unwrap().clone();
    assert!(hit["title"].as_str().unwrap().contains("<script>"), "JSON keeps the text as it is");
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes_served() {
    let f = fixture();
    let r = get(&f.app, "/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let served: BTreeSet<(String, String)> =
        ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, served);
    // The error codes the document lists are the table's.
    let codes: Vec<&str> = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
        ["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes, storyline_server::ErrorCode::ALL.map(|c| c.as_str()));
    // Every listed route is really routed (not the fallback), with an example id in the path.
    let hm1_story = story_of(&f.store, "hm-1@het-morgenblad");
    for (method, path) in ROUTES {
        let uri = path.replace("{id}", if path.contains("stories") { "0" } else { "hm-1@het-morgenblad" });
        let _ = hm1_story;
        let req = Request::builder().method(*method).uri(&uri).body(Body::empty()).unwrap();
        let r = send(&f.app, req).await;
        assert!(!r.body.contains("no route for"), "{method} {uri} is not routed");
        assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
    }
    let css = get(&f.app, "/assets/style.css").await;
    assert!(css.content_type.starts_with("text/css"));
}

/// A status file as the watcher writes it: a feed that answered, one that fails, a folder.
fn write_status(path: &std::path::Path) {
    use storyline_store::watch::{save, Outcome, SourceEntry, SourceKind, WatchStatus};
    let entry = |source: &str, kind: SourceKind, result: Outcome| {
        let mut e = SourceEntry::default();
        e.status.source = source.into();
        e.status.kind = kind;
        e.status.result = result;
        e.status.interval_s = 900;
        e.status.last_fetch = Published::parse("2025-10-14T08:00:00Z").ok();
        e.status.next_due = Published::parse("2025-10-14T08:15:00Z").ok();
        e
    };
    let mut ok = entry("http://127.0.0.1:9/morgenblad.xml", SourceKind::Feed, Outcome::Ok);
    ok.status.http_status = Some(200);
    ok.status.outlet = Some("Het Morgenblad".into());
    (ok.status.new, ok.status.duplicates, ok.status.total_new) = (2, 1, 2);
    ok.status.etag = Some("\"v2\"".into());
    let mut bad = entry("http://127.0.0.1:9/kapot.xml", SourceKind::Feed, Outcome::Error);
    bad.status.http_status = Some(500);
    bad.status.failures = 2;
    bad.status.error = Some("HTTP 500 Internal Server Error".into());
    let mut folder = entry("/srv/binnen", SourceKind::Folder, Outcome::NotModified);
    folder.files.insert("/srv/binnen/a.jsonl".into(), Default::default());
    folder.status.files_seen = 1;
    let status = WatchStatus {
        list: Some("/etc/storyline/bronnen.txt".into()),
        updated: Published::parse("2025-10-14T08:00:01Z").ok(),
        sources: vec![ok, bad, folder],
        ..WatchStatus::default()
    };
    save(path, &status).unwrap();
}

#[tokio::test]
async fn feeds_show_the_watcher_s_statuses_in_json_and_on_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let status_file = dir.path().join("s.feeds.json");
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let with = |watching: Option<&str>| {
        let mut state = AppState::new(store.clone());
        state.feeds = storyline_server::Feeds {
            status_file: Some(status_file.clone()),
            watching: watching.map(str::to_string),
        };
        app(state)
    };
    // No status file yet: nothing followed, said in both.
    let r = get(&with(None), "/api/feeds").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json(),
        serde_json::json!({ "watching": false, "list": null, "updated": null, "sources": [] })
    );
    let page = get(&with(None), "/feeds").await;
    assert!(page.body.contains("No watch list is running."), "{}", page.body);

    write_status(&status_file);
    let app_watching = with(Some("bronnen.txt"));
    let r = get(&app_watching, "/api/feeds").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["watching"], true);
    assert_eq!(v["list"], "bronnen.txt", "the list by name, not where it lives: {v}");
    assert_eq!(v["updated"], "2025-10-14T08:00:01Z");
    let sources = v["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 3);
    assert_eq!(sources[0]["result"], "ok");
    assert_eq!(sources[0]["new"], 2);
    assert_eq!(sources[0]["outlet"], "Het Morgenblad");
    assert_eq!(sources[1]["result"], "error");
    assert_eq!(sources[1]["http_status"], 500);
    assert_eq!(sources[1]["error"], "HTTP 500 Internal Server Error");
    assert_eq!(sources[1]["failures"], 2);
    assert_eq!(sources[2]["kind"], "folder");
    assert_eq!(sources[2]["files_seen"], 1);
    assert!(sources[2].get("files").is_none(), "the folder's file list stays in the status file");

    let page = get(&app_watching, "/feeds").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.content_type.starts_with("text/html"));
    assert!(
        page.body.contains("This server follows the sources of <code>bronnen.txt</code>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("http://127.0.0.1:9/morgenblad.xml"));
    assert!(page.body.contains("<p class=\"feed-error\">HTTP 500 Internal Server Error</p>"));
    assert!(page.body.contains("3 sources, 1 failing."));
    assert!(!page.body.contains("/etc/storyline"), "the page does not say where the list lives");
    // Without its own watcher the server shows what `storyline watch` wrote.
    let page = get(&with(None), "/feeds").await;
    assert!(page.body.contains("No watch list runs in this server."), "{}", page.body);
    assert!(page.body.contains("HTTP 500 Internal Server Error"));
    // Every page links the feeds page.
    assert!(get(&with(None), "/search").await.body.contains("<a href=\"/feeds\">Feeds</a>"));

    // A status file that does not read is a JSON error, its reason in the log only.
    std::fs::write(&status_file, "kapot").unwrap();
    let r = get(&with(None), "/api/feeds").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.json()["error"]["code"], "internal");
    assert!(!r.body.contains(dir.path().to_str().unwrap()), "{}", r.body);
    let r = get(&with(None), "/feeds").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(r.content_type.starts_with("text/html"));
}

/// One real request over loopback, then a graceful shutdown within a bound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_over_loopback_and_shuts_down_gracefully() {
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let server = tokio::spawn(storyline_server::serve(listener, AppState::new(store), async move {
        while !flag.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }));
    let reply = tokio::task::spawn_blocking(move || {
        let mut conn = std::net::TcpStream::connect(addr).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        conn.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        conn.read_to_string(&mut out).unwrap();
        out
    })
    .await
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains("\"status\":\"ok\""), "{reply}");
    stop.store(true, Ordering::SeqCst);
    let done = tokio::time::timeout(Duration::from_secs(15), server).await;
    assert!(matches!(done, Ok(Ok(Ok(())))), "the server did not stop cleanly: {done:?}");
}

/// Half-sent requests are cut off after the header timeout and never hold more than the
/// connection cap: a client that comes after a flood of them is still answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_time_out_and_connections_are_capped() {
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut state = AppState::new(store);
    state.limits.max_connections = 4;
    state.limits.header_timeout = Duration::from_millis(300);
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let server = tokio::spawn(storyline_server::serve(listener, state, async move {
        while !flag.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }));
    let (closed, reply) = tokio::task::spawn_blocking(move || {
        // Ten clients that start a request and never finish it: more than the cap.
        let mut flood: Vec<std::net::TcpStream> = (0..10)
            .map(|_| {
                let mut c = std::net::TcpStream::connect(addr).unwrap();
                c.write_all(b"GET /api/health HTTP/1.1\r\nHost: loc").unwrap();
                c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                c
            })
            .collect();
        // A real client behind them is answered once the timeouts free the slots.
        let mut conn = std::net::TcpStream::connect(addr).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        conn.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        conn.read_to_string(&mut reply).unwrap();
        // Every half-sent request was closed by the server (end of stream, perhaps after a
        // timeout status), not left open.
        let mut closed = 0;
        for c in &mut flood {
            let mut rest = Vec::new();
            if c.read_to_end(&mut rest).is_ok() {
                closed += 1;
            }
        }
        (closed, reply)
    })
    .await
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert_eq!(closed, 10, "every half-sent request is closed by the server");
    stop.store(true, Ordering::SeqCst);
    let done = tokio::time::timeout(Duration::from_secs(15), server).await;
    assert!(matches!(done, Ok(Ok(Ok(())))), "the server did not stop cleanly: {done:?}");
}

/// The acceptance case on the real seeds: `konvooi` finds both in one story whose page shows
/// the 275 vs about 250 discrepancy.
#[tokio::test]
async fn the_seeds_are_found_by_konvooi_in_one_story_with_the_discrepancy() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds"));
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("note: {} is absent; seed check skipped", dir.display());
        return;
    };
    let mut files: Vec<_> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    files.sort();
    let f = fixture();
    let batch: Vec<_> = files
        .iter()
        .map(|p| {
            let raw = storyline_core::ingest::text::parse_text_bytes(&std::fs::read(p).unwrap()).unwrap();
            prepare_with_signature(raw, &PrepareOptions::default(), Some(p.display().to_string()))
                .expect("analysis")
        })
        .collect();
    f.store.ingest(&batch, &IngestSettings::default()).unwrap();
    let ids: BTreeSet<String> = batch.iter().map(|p| p.article.id.clone()).collect();
    let v = get(&f.app, "/api/search?q=konvooi").await.json();
    let seed_hits: Vec<&Value> =
        v["hits"].as_array().unwrap().iter().filter(|h| ids.contains(h["id"].as_str().unwrap())).collect();
    assert_eq!(seed_hits.len(), 2, "{v}");
    assert_eq!(seed_hits[0]["story"], seed_hits[1]["story"], "one story");
    let story = seed_hits[0]["story"].as_i64().unwrap();
    let page = get(&f.app, &format!("/stories/{story}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("275") && page.body.contains("250"), "the discrepancy is on the page");
}

#[tokio::test]
async fn a_merged_story_redirects_to_the_story_it_joined() {
    let f = fixture();
    let ingest = |batch: Vec<RawArticle>| -> Vec<i64> {
        let batch: Vec<_> = batch
            .into_iter()
            .map(|r| {
                prepare_with_signature(r, &PrepareOptions::default(), Some("test".into())).expect("analysis")
            })
            .collect();
        // The merge is the store's to carry out and the server's to redirect; when the model
        // calls one is asked in the clustering's tests. A low merge probability reaches it.
        let mut settings = IngestSettings::default();
        settings.cluster.merge_probability = 0.15;
        f.store
            .ingest(&batch, &settings)
            .unwrap()
            .into_iter()
            .map(|o| match o {
                storyline_store::IngestOutcome::Inserted { story, .. } => story,
                other => panic!("{other:?}"),
            })
            .collect()
    };
    // Two first reports of one power cut, minutes apart and in other words: two stories.
    let first = ingest(vec![
        raw(
            "ac-1",
            "Arnhemse Courant",
            "2025-11-04T19:05:00Z",
            "nl",
            "Stroomstoring treft Arnhem-Noord",
            "Duizenden huishoudens in Arnhem-Noord en Velp zitten sinds het begin van de avond zonder \
             stroom. Verkeerslichten op de Apeldoornseweg zijn uitgevallen en de netbeheerder verwacht \
             pas rond middernacht herstel.",
        ),
        raw(
            "gk-2",
            "Gelderse Krant",
            "2025-11-04T19:12:00Z",
            "nl",
            "Graafmachine raakt hoogspanningskabel",
            "Bij werkzaamheden aan de riolering heeft een graafmachine een hoogspanningskabel geraakt. \
             De machinist bleef ongedeerd. Monteurs graven de beschadigde kabel op twee meter diepte vrij.",
        ),
    ]);
    assert_ne!(first[0], first[1], "{first:?}");
    // A report telling both: the younger story is merged into the older.
    let third = ingest(vec![raw(
        "ac-3",
        "Arnhemse Courant",
        "2025-11-04T19:40:00Z",
        "nl",
        "Graafmachine raakt kabel: stroomstoring in Arnhem-Noord en Velp",
        "Doordat een graafmachine bij werkzaamheden aan de riolering een hoogspanningskabel raakte, \
         zitten duizenden huishoudens in Arnhem-Noord en Velp zonder stroom. Verkeerslichten op de \
         Apeldoornseweg zijn uitgevallen. De netbeheerder verwacht rond middernacht herstel.",
    )]);
    assert_eq!(third, [first[0]]);
    let (kept, gone) = (first[0], first[1]);
    for (uri, to) in [
        (format!("/stories/{gone}"), format!("/stories/{kept}")),
        (format!("/api/stories/{gone}"), format!("/api/stories/{kept}")),
    ] {
        let res = f.app.clone().oneshot(Request::get(&uri).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::TEMPORARY_REDIRECT, "{uri}");
        assert_eq!(res.headers()[header::LOCATION], to.as_str(), "{uri}");
    }
    let dossier = get(&f.app, &format!("/api/stories/{kept}")).await.json();
    let ids: Vec<&str> =
        dossier["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ac-1@arnhemse-courant", "gk-2@gelderse-krant", "ac-3@arnhemse-courant"]);
    // A number no story ever had is still a 404.
    assert_eq!(get(&f.app, "/api/stories/987654").await.status, StatusCode::NOT_FOUND);
}

/// The process's peak resident memory in KiB (Linux), or `None` elsewhere.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// With the worst stored inputs (a story of 300 reports carrying one figure each, an article of
/// 300,000 characters without sentence punctuation) requested over and over on loopback, the
/// server keeps answering its health check, every page stays bounded, and memory stays under
/// a gigabyte. A bounded loop; no timings asserted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heaviest_pages_stay_bounded_and_health_keeps_answering() {
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let prepared = |id: String, text: String, day: &str| {
        let raw = RawArticle {
            id: Some(id),
            text,
            language: Some("nl".into()),
            source: Some("Dagblad".into()),
            published: Published::parse(day).ok(),
            ..RawArticle::default()
        };
        prepare_with_signature(raw, &PrepareOptions::default(), None).unwrap()
    };
    let mut batch: Vec<_> = (0..300)
        .map(|i| {
            prepared(
                format!("r{i}"),
                format!(
                    "De brug bij Zwolle blijft dicht tot de zomer, zegt het waterschap. Dagelijks rijden {} auto's om.",
                    1000 + i
                ),
                "2025-01-03",
            )
        })
        .collect();
    let words = ["de", "brug", "bij", "Zwolle", "blijft", "dicht", "250", "mensen", "moesten", "weg"];
    let long: String =
        (0..60_000).map(|i| words[(i * 7 + i / 3) % words.len()]).collect::<Vec<_>>().join(" ");
    batch.push(prepared("long".into(), long, "2025-01-04"));
    store.ingest(&batch, &IngestSettings::default()).unwrap();
    let story = store.article("r0@dagblad").unwrap().unwrap().story.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let server = tokio::spawn(storyline_server::serve(listener, AppState::new(store), async move {
        while !flag.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }));
    let fetch = move |path: String| {
        let mut conn = std::net::TcpStream::connect(addr).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        write!(conn, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = Vec::new();
        conn.read_to_end(&mut out).unwrap();
        out
    };
    let heavy = {
        tokio::task::spawn_blocking(move || {
            let mut sizes = Vec::new();
            for _ in 0..3 {
                for path in [
                    format!("/stories/{story}"),
                    format!("/stories/{story}?page=3"),
                    format!("/api/stories/{story}"),
                    "/articles/long".to_string(),
                ] {
                    let reply = fetch(path.clone());
                    assert!(reply.starts_with(b"HTTP/1.1 200"), "{path}");
                    sizes.push((path, reply.len()));
                }
            }
            sizes
        })
    };
    let health = tokio::task::spawn_blocking(move || {
        (0..20)
            .map(|_| {
                let reply = fetch("/api/health".into());
                std::thread::sleep(Duration::from_millis(50));
                reply.starts_with(b"HTTP/1.1 200")
            })
            .filter(|ok| *ok)
            .count()
    });
    let (sizes, answered) = (heavy.await.unwrap(), health.await.unwrap());
    assert_eq!(answered, 20, "every health check answered");
    for (path, size) in &sizes {
        // A page of 100 reports and 50 values a figure: well under 2 MB here.
        assert!(*size < 2_000_000, "{path}: {size} bytes");
    }
    if let Some(peak) = peak_kib() {
        assert!(peak < 1024 * 1024, "peak {peak} KiB");
    }
    stop.store(true, Ordering::SeqCst);
    let done = tokio::time::timeout(Duration::from_secs(15), server).await;
    assert!(matches!(done, Ok(Ok(Ok(())))), "the server did not stop cleanly: {done:?}");
}

/// A correction sent as the API takes it.
fn correction(token: Option<&str>, body: &str) -> Request<Body> {
    post("/api/corrections", Some("application/json"), token, body.to_string())
}

#[tokio::test]
async fn every_correction_works_through_the_api_and_shows_in_the_history() {
    let f = fixture();
    let convoy = story_of(&f.store, "hm-1@het-morgenblad");
    let bridge = story_of(&f.store, "hm-4@het-morgenblad");
    assert_ne!(convoy, bridge);
    // A page the dossier cache holds, so the correction must clear it.
    assert_eq!(
        get(&f.app, &format!("/api/stories/{convoy}")).await.json()["articles"].as_array().unwrap().len(),
        3
    );

    // Merge, with the author in a header.
    let mut req =
        correction(Some(TOKEN), &format!(r#"{{"action":"merge","story":{bridge},"into":{convoy}}}"#));
    req.headers_mut().insert("x-storyline-author", "Anna".parse().unwrap());
    let r = send(&f.app, req).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let merge = r.json();
    assert_eq!((merge["author"].as_str(), merge["detail"]["action"].as_str()), (Some("Anna"), Some("merge")));
    assert_eq!(
        get(&f.app, &format!("/api/stories/{convoy}")).await.json()["articles"].as_array().unwrap().len(),
        4
    );

    // Split the bridge report out again, by a prefix of its id.
    let r = send(
        &f.app,
        correction(
            Some(TOKEN),
            &format!(r#"{{"action":"split","story":{convoy},"articles":["hm-4"],"author":"Bram"}}"#),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let split = r.json();
    assert_eq!(split["detail"]["moved"], serde_json::json!(["hm-4@het-morgenblad"]));
    let bridge = story_of(&f.store, "hm-4@het-morgenblad");
    assert_ne!(bridge, story_of(&f.store, "hm-1@het-morgenblad"));

    // Move the English report to the bridge story, keep it out, pin another, set a date.
    for (body, action) in [
        (format!(r#"{{"action":"move","article":"nc-3@northern-courier","to":{bridge},"author":"Bram"}}"#), "move"),
        (r#"{"action":"keep_out","article":"nc-3@northern-courier","author":"Bram"}"#.to_string(), "keep_out"),
        (r#"{"action":"pin","article":"dk-2@de-dagkoerier","author":"Bram"}"#.to_string(), "pin"),
        (
            r#"{"action":"set","article":"hm-1@het-morgenblad","published":"2025-10-11","source":"Het Avondblad","language":"nl","author":"Cor"}"#
                .to_string(),
            "set",
        ),
    ] {
        let r = send(&f.app, correction(Some(TOKEN), &body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{action}: {}", r.body);
        assert_eq!(r.json()["detail"]["action"], action);
    }
    let nc = story_of(&f.store, "nc-3@northern-courier");
    assert_ne!(nc, bridge, "kept out of the story it was moved to");
    assert_ne!(nc, story_of(&f.store, "hm-1@het-morgenblad"));
    let hm1 = get(&f.app, "/api/articles/hm-1@het-morgenblad").await.json();
    assert_eq!(
        (hm1["published"].as_str(), hm1["source"].as_str()),
        (Some("2025-10-11"), Some("Het Avondblad"))
    );

    // The history: of a story, of an article; and on the story and article pages with undo buttons.
    let convoy = story_of(&f.store, "hm-1@het-morgenblad");
    let history = get(&f.app, &format!("/api/corrections?story={convoy}")).await.json();
    let actions: Vec<&str> = history["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["set", "pin", "move", "split", "merge"], "{history}");
    let of_nc = get(&f.app, "/api/corrections?article=nc-3").await.json();
    assert_eq!(of_nc["corrections"].as_array().unwrap().len(), 4, "merge, split, move, keep out: {of_nc}");
    let page = get(&f.app, &format!("/stories/{convoy}")).await;
    assert!(page.body.contains("id=\"history\""), "the story page shows its history");
    assert!(page.body.contains(&format!("data-correct=\"undo\" data-correction=\"{}\"", split["id"])));
    assert!(page.body.contains("data-correct=\"split\""));
    let page = get(&f.app, "/articles/hm-1@het-morgenblad").await;
    assert!(page.body.contains("id=\"c-published\"") && page.body.contains("Het Avondblad"));

    // Undo the split: the bridge report is back with the convoy.
    let r = send(
        &f.app,
        correction(
            Some(TOKEN),
            &format!(r#"{{"action":"undo","correction":{},"author":"Anna"}}"#, split["id"]),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(story_of(&f.store, "hm-4@het-morgenblad"), story_of(&f.store, "hm-1@het-morgenblad"));
    let again = send(
        &f.app,
        correction(
            Some(TOKEN),
            &format!(r#"{{"action":"undo","correction":{},"author":"Anna"}}"#, split["id"]),
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.error().1.contains("undone already"), "{}", again.body);

    // The labelled pairs, one JSON object a line.
    let pairs = get(&f.app, "/api/corrections/pairs").await;
    assert_eq!(pairs.content_type, "application/x-ndjson");
    let pairs: Vec<Value> = pairs.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(pairs.iter().any(|p| p["a"] == "nc-3@northern-courier" && p["same_story"] == false), "{pairs:?}");
    assert!(pairs.iter().all(|p| p["correction"] != split["id"]), "an undone split gives no pairs");
}

#[tokio::test]
async fn corrections_are_refused_without_the_token_an_author_or_a_sense() {
    let f = fixture();
    let convoy = story_of(&f.store, "hm-1@het-morgenblad");
    let before = f.store.stats().unwrap();
    let pin = r#"{"action":"pin","article":"hm-1@het-morgenblad","author":"Anna"}"#;
    let r = send(&f.app, correction(None, pin)).await;
    assert_eq!((r.status, r.error().0.as_str()), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let r = send(&f.app, correction(Some("not-the-token"), pin)).await;
    assert_eq!((r.status, r.error().0.as_str()), (StatusCode::UNAUTHORIZED, "unauthorized"));
    let read_only = fixture_with(None, Limits::default());
    let r = send(&read_only.app, correction(Some(TOKEN), pin)).await;
    assert_eq!((r.status, r.error().0.as_str()), (StatusCode::FORBIDDEN, "forbidden"));
    for (body, status, says) in [
        (
            r#"{"action":"pin","article":"hm-1@het-morgenblad"}"#.to_string(),
            StatusCode::BAD_REQUEST,
            "author",
        ),
        (
            r#"{"action":"pin","article":"hm-1@het-morgenblad","author":"  "}"#.to_string(),
            StatusCode::BAD_REQUEST,
            "author",
        ),
        (
            r#"{"action":"rename","article":"hm-1","author":"Anna"}"#.to_string(),
            StatusCode::BAD_REQUEST,
            "not a correction",
        ),
        (
            r#"{"action":"pin","article":"hm-1","colour":"red","author":"Anna"}"#.to_string(),
            StatusCode::BAD_REQUEST,
            "colour",
        ),
        ("[1, 2]".to_string(), StatusCode::BAD_REQUEST, "JSON object"),
        ("{not json".to_string(), StatusCode::BAD_REQUEST, "not a JSON object"),
        (
            r#"{"action":"pin","article":"nope","author":"Anna"}"#.to_string(),
            StatusCode::CONFLICT,
            "no article `nope`",
        ),
        (
            format!(r#"{{"action":"merge","story":987654,"into":{convoy},"author":"Anna"}}"#),
            StatusCode::CONFLICT,
            "no story 987654",
        ),
        (
            r#"{"action":"undo","correction":5,"author":"Anna"}"#.to_string(),
            StatusCode::CONFLICT,
            "no correction 5",
        ),
        (
            r#"{"action":"set","article":"hm-1","published":"gisteren","author":"Anna"}"#.to_string(),
            StatusCode::CONFLICT,
            "gisteren",
        ),
    ] {
        let r = send(&f.app, correction(Some(TOKEN), &body)).await;
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert!(r.error().1.contains(says), "{body}: {}", r.body);
    }
    assert_eq!(f.store.stats().unwrap(), before);
    assert_eq!(get(&f.app, "/api/corrections").await.json()["corrections"], serde_json::json!([]));
    let r = get(&f.app, "/api/corrections?story=1&article=hm-1").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
