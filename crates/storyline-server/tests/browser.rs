//! The web interface in a real browser: headless Chromium loads pages from the router served on
//! loopback, the rendered DOM is checked (the discrepancy table and the timeline of a demo story;
//! a script planted in an article never runs), and screenshots are saved under
//! `target/screenshots/`. Without Chromium installed the tests say so and pass; `.ci/run`
//! installs it.

#[path = "browser/cdp.rs"]
mod cdp;

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use storyline_core::ingest::prepare::prepare_with_signature;
use storyline_core::ingest::{read_stream, PrepareOptions, RecordError, DEFAULT_MAX_RECORD_BYTES};
use storyline_core::RawArticle;
use storyline_server::{serve, AppState};
use storyline_store::dossier::story_dossier;
use storyline_store::sqlite::SqliteStore;
use storyline_store::{IngestOutcome, IngestSettings, Store, StoryFilter};

/// How long one Chromium run may take before it is killed.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(60);

/// The Chromium binary: Debian's `/usr/bin/chromium`, else `chromium` on the PATH.
fn chromium() -> Option<PathBuf> {
    let debian = PathBuf::from("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian);
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join("chromium"))
        .find(|p| p.is_file())
}

fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        eprintln!(
            "note: {test} skipped: no chromium at /usr/bin/chromium or on the PATH \
             (.ci/run installs Debian's `chromium`; `apt-get install chromium` to run it here)"
        );
    }
    found
}

/// What every headless Chromium of these tests runs with: no sandbox (tests may run as root), no
/// GPU, nothing fetched from elsewhere.
const CHROMIUM_FLAGS: [&str; 10] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
];

/// Runs headless Chromium with `args` and returns its standard output; kills it after
/// [`BROWSER_TIMEOUT`].
fn run_chromium(bin: &Path, args: &[String]) -> String {
    run_chromium_in(bin, args, None)
}

/// [`run_chromium`] with the browser in time zone `tz` (`TZ`), when given.
fn run_chromium_in(bin: &Path, args: &[String], tz: Option<&str>) -> String {
    let profile = tempfile::tempdir().expect("profile directory");
    let mut command = Command::new(bin);
    if let Some(tz) = tz {
        command.env("TZ", tz);
    }
    let mut child = command
        .args(CHROMIUM_FLAGS)
        .arg("--hide-scrollbars")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let deadline = Instant::now() + BROWSER_TIMEOUT;
    loop {
        match child.try_wait().expect("chromium status") {
            Some(_) => break,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within {}s: {args:?}", BROWSER_TIMEOUT.as_secs());
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    reader.join().expect("stdout reader")
}

/// The DOM of a page after it loaded and ran its scripts.
fn dump_dom(bin: &Path, url: &str) -> String {
    let dom = run_chromium(bin, &["--dump-dom".to_string(), url.to_string()]);
    assert!(dom.contains("</html>"), "chromium printed no document for {url}: {dom:?}");
    dom
}

/// Saves a screenshot of `url` at a window size and checks it is a real PNG.
fn screenshot(bin: &Path, url: &str, path: &Path, size: (u32, u32)) {
    let _ = std::fs::remove_file(path);
    run_chromium(
        bin,
        &[
            format!("--screenshot={}", path.display()),
            format!("--window-size={},{}", size.0, size.1),
            url.to_string(),
        ],
    );
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", path.display()));
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{} is not a PNG", path.display());
    assert!(bytes.len() > 20_000, "{} is nearly empty ({} bytes)", path.display(), bytes.len());
}

/// The router of a store, served on a free loopback port from a background runtime.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(store: Arc<SqliteStore>) -> Server {
        Server::start_with(AppState::new(store))
    }

    fn start_with(state: AppState) -> Server {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
                tx.send(listener.local_addr().expect("address")).expect("report address");
                let shutdown = async move {
                    while !flag.load(Ordering::SeqCst) {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                };
                serve(listener, state, shutdown).await.expect("serve");
            });
        });
        let addr = rx.recv_timeout(Duration::from_secs(30)).expect("server started");
        Server { addr, stop, thread: Some(thread) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn demo_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("demo directory").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            demo_files(&p, out);
        } else if p.extension().is_none_or(|e| e != "tsv") {
            out.push(p);
        }
    }
}

/// Reads every file of the demo corpus (as `storyline demo` does) into the store.
fn ingest_demo(store: &SqliteStore) -> usize {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo"));
    let mut files = Vec::new();
    demo_files(root, &mut files);
    let opts = PrepareOptions::default();
    let mut stored = 0;
    for file in files {
        let name = format!("demo/{}", file.strip_prefix(root).expect("inside demo").display());
        let mut batch = Vec::new();
        let mut emit = |record: Result<RawArticle, RecordError>| {
            if let Ok(raw) = record {
                batch.push(prepare_with_signature(raw, &opts, Some(name.clone())).expect("analysis"));
            }
        };
        let reader = std::fs::File::open(&file).expect("demo file");
        read_stream(&name, reader, None, DEFAULT_MAX_RECORD_BYTES, &mut emit)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let outcomes = store.ingest(&batch, &IngestSettings::default()).expect("ingest");
        stored += outcomes.iter().filter(|o| o.is_inserted()).count();
    }
    stored
}

fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target directory").join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    dir
}

/// The section of a DOM from the element with `id` to the end of its `</tag>`.
fn section<'a>(dom: &'a str, id: &str, tag: &str) -> &'a str {
    let start = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element with id {id}"));
    let close = format!("</{tag}>");
    let end = dom[start..]
        .find(&close)
        .map(|e| start + e + close.len())
        .unwrap_or_else(|| panic!("{id} is not closed"));
    &dom[start..end]
}

#[test]
fn demo_story_page_renders_discrepancies_and_timeline() {
    let Some(bin) = chromium_or_skip("demo_story_page_renders_discrepancies_and_timeline") else { return };
    let store = Arc::new(SqliteStore::open_in_memory().expect("store"));
    assert!(ingest_demo(&store) > 20, "the demo corpus went in");
    // A demo story whose reports disagree on a figure, the one with the most reports.
    let mut best = None;
    for s in store.stories(&StoryFilter::default()).expect("stories") {
        let d = story_dossier(store.as_ref(), s.id).expect("dossier").expect("story exists");
        if !d.discrepancies.is_empty()
            && best
                .as_ref()
                .is_none_or(|b: &storyline_core::dossier::Dossier| d.articles.len() > b.articles.len())
        {
            best = Some(d);
        }
    }
    let dossier = best.expect("a demo story with a discrepancy");
    let server = Server::start(store.clone());
    let url = server.url(&format!("/stories/{}", dossier.id));

    let dom = dump_dom(&bin, &url);
    // The discrepancy table, first and with its value rows.
    let table = section(&dom, "discrepancies", "section");
    assert!(table.contains("<table class=\"discrepancy-table"), "the discrepancy table is there");
    let values: usize = dossier.discrepancies.iter().map(|d| d.values.len()).sum();
    assert_eq!(table.matches("<tr class=\"value\">").count(), values, "one row per disagreeing value");
    let first_value = &dossier.discrepancies[0].values[0];
    let shown = first_value.display.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    assert!(table.contains(&shown), "the value {} is shown", first_value.display);
    assert!(
        dom.find("id=\"discrepancies\"") < dom.find("id=\"timeline\""),
        "discrepancies before the timeline"
    );
    // The timeline: one mark per report, the undated ones in their own lane.
    let timeline = section(&dom, "timeline", "svg");
    assert_eq!(
        timeline.matches("<circle class=\"mark").count(),
        dossier.articles.len(),
        "one mark per report"
    );
    let undated = dossier.articles.iter().filter(|r| r.published.is_none()).count();
    assert_eq!(timeline.matches("<circle class=\"mark undated").count(), undated);
    for report in &dossier.articles {
        assert!(dom.contains(&format!("href=\"/articles/{}\"", report.id)), "a link to {}", report.id);
    }
    // The stylesheet loaded under the page's security policy: the body is laid out by it.
    assert!(dom.contains("<link rel=\"stylesheet\" href=\"/assets/style.css\">"));

    let dir = screenshot_dir();
    screenshot(&bin, &url, &dir.join("story-desktop.png"), (1280, 1800));
    screenshot(&bin, &url, &dir.join("story-phone.png"), (390, 1600));
    screenshot(&bin, &server.url("/"), &dir.join("stories-desktop.png"), (1280, 1200));
    screenshot(&bin, &server.url("/"), &dir.join("stories-phone.png"), (390, 1400));
    let search = server.url("/search?q=konvooi");
    screenshot(&bin, &search, &dir.join("search-desktop.png"), (1280, 1000));
    let article = server.url(&format!("/articles/{}", dossier.articles[0].id));
    screenshot(&bin, &article, &dir.join("article-phone.png"), (390, 1600));
    eprintln!("screenshots in {}", dir.display());
}

/// Publication times are shown in the reader's time zone: with the browser three hours east of
/// UTC (no summer time there), every report time on a story page reads three hours later, and
/// the page's UTC time stays in the tooltip. The page links to the story's feed, which the
/// browser opens with every report in it.
#[test]
fn times_are_shown_in_the_browsers_time_zone_and_the_story_feed_opens() {
    let Some(bin) = chromium_or_skip("times_are_shown_in_the_browsers_time_zone_and_the_story_feed_opens")
    else {
        return;
    };
    let store = Arc::new(SqliteStore::open_in_memory().expect("store"));
    assert!(ingest_demo(&store) > 20, "the demo corpus went in");
    let story =
        store.stories(&StoryFilter::default()).expect("stories").into_iter().max_by_key(|s| s.articles);
    let story = story.expect("a demo story");
    let dossier = story_dossier(store.as_ref(), story.id).expect("dossier").expect("story exists");
    let server = Server::start(store.clone());
    let url = server.url(&format!("/stories/{}", story.id));
    // `Etc/GMT-3` is UTC+3 all year (the sign is POSIX's).
    let dom = run_chromium_in(&bin, &["--dump-dom".to_string(), url], Some("Etc/GMT-3"));
    assert!(dom.contains("</html>"), "chromium printed no document");
    let mut checked = 0;
    for r in dossier
        .articles
        .iter()
        .filter_map(|r| r.published)
        .filter(|p| p.precision == storyline_core::Precision::Second)
    {
        let local = r.unix + 3 * 3600;
        let (y, m, d) = storyline_core::date::civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400);
        let shown = format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", secs / 3600, secs / 60 % 60);
        assert!(dom.contains(&shown), "{} shown as {shown} in UTC+3", r);
        checked += 1;
    }
    assert!(checked > 0, "the story has reports dated to the second");
    assert!(dom.contains("class=\"local\""), "times were converted");
    assert!(dom.contains("UTC)"), "the UTC time stays in the tooltip");
    // The page links to the story's feed, and the browser reads the feed: every report is in it.
    let feed = format!("/stories/{}/feed.atom", story.id);
    assert!(dom.contains(&format!("href=\"{feed}\"")), "the page links to its feed");
    let xml = run_chromium(&bin, &["--dump-dom".to_string(), server.url(&feed)]);
    for r in &dossier.articles {
        // The words up to the first character markup escapes (its form in the dump varies).
        let words: String = r.title.chars().take_while(|c| !"&<>'\"".contains(*c)).collect();
        assert!(xml.contains(words.trim()), "the feed has {}", r.title);
    }
}

const SCRIPT: &str = "<script>document.title='owned';document.body.setAttribute('data-owned','1')</script>";
const IMG: &str =
    "<img src=x onerror=\"document.title='owned';document.body.setAttribute('data-owned','1')\">";

/// Checks a dumped DOM for any sign that planted markup ran or became elements.
fn assert_not_run(dom: &str, what: &str) {
    assert!(!dom.contains("data-owned=\""), "{what}: a planted script set an attribute");
    let title_start = dom.find("<title>").expect("a title") + "<title>".len();
    let title = &dom[title_start..title_start + dom[title_start..].find("</title>").expect("title closed")];
    assert_ne!(title.trim(), "owned", "{what}: a planted script set the title");
    assert!(title.contains("storyline"), "{what}: the title is the page's own: {title}");
    assert!(!dom.contains("<img"), "{what}: planted markup became an element");
    let body = &dom[dom.find("<body").expect("a body")..];
    assert_eq!(body.matches("<script").count(), 0, "{what}: no script element in the body");
}

#[test]
fn planted_scripts_are_shown_not_run() {
    let Some(bin) = chromium_or_skip("planted_scripts_are_shown_not_run") else { return };
    let store = Arc::new(SqliteStore::open_in_memory().expect("store"));
    let opts = PrepareOptions::default();
    // A JSON-style article with a script in its title and text.
    let mut raw = RawArticle::with_text(format!(
        "De gemeenteraad van Zwolle vergaderde dinsdag over de nieuwe brug. {SCRIPT}\n\nDe wethouder zei: „De brug kost 48 miljoen euro.” {SCRIPT}"
    ));
    raw.title = Some(format!("Raad Zwolle praat over brug {SCRIPT}"));
    raw.source = Some(format!("Het Morgenblad {SCRIPT}"));
    raw.url = Some("javascript:document.body.setAttribute('data-owned','1')".into());
    raw.published = storyline_core::Published::day(2025, 10, 14);
    let planted = prepare_with_signature(raw, &opts, Some("planted.jsonl".into())).expect("analysis");
    // A feed item whose escaped HTML carries an image with an event handler.
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Vlaamse Tijding</title><link>https://vt.example/</link><description>Nieuws</description>\
         <item><title>Stroomstoring treft Herentals {}</title><link>https://vt.example/stroom</link><pubDate>Tue, 14 Oct 2025 09:00:00 +0200</pubDate>\
         <description><![CDATA[<p>Een stroomstoring legde maandag het centrum van Herentals urenlang plat. &lt;img src=x onerror=&quot;document.title='owned';document.body.setAttribute('data-owned','1')&quot;&gt;</p><p>Netbeheerder Fluvia onderzoekt de oorzaak.</p>]]></description></item></channel></rss>",
        IMG.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
    );
    let mut from_feed = Vec::new();
    let mut emit = |r: Result<RawArticle, RecordError>| {
        from_feed.push(
            prepare_with_signature(r.expect("feed item"), &opts, Some("planted.rss".into()))
                .expect("analysis"),
        )
    };
    read_stream("planted.rss", feed.as_bytes(), None, DEFAULT_MAX_RECORD_BYTES, &mut emit)
        .expect("feed reads");
    assert_eq!(from_feed.len(), 1);
    assert!(
        from_feed[0].article.text.contains("<img src=x onerror="),
        "the feed item's text carries the payload as text: {}",
        from_feed[0].article.text
    );
    assert!(
        from_feed[0].article.title.contains("<img src=x onerror="),
        "the feed item's title carries the payload: {}",
        from_feed[0].article.title
    );
    let mut pages = Vec::new();
    for prepared in [planted].into_iter().chain(from_feed) {
        let id = prepared.article.id.clone();
        match &store.ingest(&[prepared], &IngestSettings::default()).expect("ingest")[0] {
            IngestOutcome::Inserted { story, .. } => pages.push((id, *story)),
            other => panic!("not stored: {other:?}"),
        }
    }
    let server = Server::start(store.clone());
    for (id, story) in &pages {
        let encoded: String = id
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let article = dump_dom(&bin, &server.url(&format!("/articles/{encoded}")));
        assert_not_run(&article, "article page");
        let story_dom = dump_dom(&bin, &server.url(&format!("/stories/{story}")));
        assert_not_run(&story_dom, "story page");
        assert!(
            story_dom.contains(&format!("href=\"/articles/{encoded}\"")),
            "the story page links the article"
        );
    }
    // The payloads are there, as text a reader can see.
    let first = dump_dom(&bin, &server.url(&format!("/articles/{}", pages[0].0)));
    assert!(first.contains("&lt;script&gt;document.title='owned';document.body.setAttribute('data-owned','1')&lt;/script&gt;"), "the script shows as text");
    assert!(!first.contains("href=\"javascript:"), "a javascript: address never becomes a link");
    let second = dump_dom(&bin, &server.url(&format!("/articles/{}", pages[1].0)));
    assert!(second.contains("&lt;img src=x onerror=\"document.title='owned'"), "the image tag shows as text");
    let listing = dump_dom(&bin, &server.url("/"));
    assert_not_run(&listing, "stories page");
    let search = dump_dom(&bin, &server.url("/search?q=stroomstoring"));
    assert_not_run(&search, "search page");
    assert!(search.contains("Stroomstoring"), "the search finds the feed item");
}

/// The feeds page in a browser: every followed source with its result and error, a failing one
/// marked; markup in a source's name or error (a page can put anything in the feed link it
/// names) is shown as text and never runs; a `javascript:` source is no link.
#[test]
fn the_feeds_page_shows_every_source_and_planted_markup_stays_text() {
    use storyline_store::watch::{save, Outcome, SourceEntry, SourceKind, WatchStatus};
    let Some(bin) = chromium_or_skip("the_feeds_page_shows_every_source_and_planted_markup_stays_text")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let status_file = dir.path().join("s.feeds.json");
    let entry = |source: &str, kind: SourceKind, result: Outcome| {
        let mut e = SourceEntry::default();
        e.status.source = source.into();
        e.status.kind = kind;
        e.status.result = result;
        e.status.interval_s = 900;
        e.status.last_fetch = storyline_core::Published::parse("2025-10-14T08:00:00Z").ok();
        e.status.next_due = storyline_core::Published::parse("2025-10-14T08:15:00Z").ok();
        e
    };
    let mut ok = entry("https://vechtdal.example/feed.xml", SourceKind::Feed, Outcome::Ok);
    ok.status.http_status = Some(200);
    ok.status.outlet = Some(format!("Omroep Vechtdal {SCRIPT}"));
    (ok.status.new, ok.status.duplicates, ok.status.total_new) = (2, 5, 14);
    let mut page = entry("https://vechtdal.example/", SourceKind::Feed, Outcome::Error);
    page.status.http_status = Some(200);
    page.status.failures = 1;
    page.status.error =
        Some(format!("https://vechtdal.example/ is an HTML page, not a feed (the page names a feed: {IMG})"));
    let mut planted =
        entry("javascript:document.body.setAttribute('data-owned','1')", SourceKind::Page, Outcome::Error);
    planted.status.error = Some(format!("not a usable address: {SCRIPT}"));
    planted.status.failures = 3;
    let mut folder = entry("/srv/persbureau", SourceKind::Folder, Outcome::NotModified);
    folder.status.files_seen = 12;
    let status = WatchStatus {
        list: Some("bronnen.txt".into()),
        updated: storyline_core::Published::parse("2025-10-14T08:00:01Z").ok(),
        sources: vec![ok, page, planted, folder],
        ..WatchStatus::default()
    };
    save(&status_file, &status).expect("status file");
    let mut state = AppState::new(Arc::new(SqliteStore::open_in_memory().expect("store")));
    state.feeds =
        storyline_server::Feeds { status_file: Some(status_file), watching: Some("bronnen.txt".into()) };
    let server = Server::start_with(state);
    let dom = dump_dom(&bin, &server.url("/feeds"));
    assert_not_run(&dom, "feeds page");
    assert!(dom.contains("https://vechtdal.example/feed.xml"), "the feed is listed");
    assert!(dom.contains("2 new, 5 duplicates, 0 revised"), "its last visit is told");
    assert!(
        dom.contains("is an HTML page, not a feed (the page names a feed: &lt;img src=x"),
        "the error shows as text"
    );
    assert!(!dom.contains("href=\"javascript:"), "a javascript: source never becomes a link");
    assert_eq!(dom.matches("class=\"failing\"").count(), 2, "the failing sources are marked");
    assert!(dom.contains("4 sources, 2 failing."));
    screenshot(&bin, &server.url("/feeds"), &screenshot_dir().join("feeds-desktop.png"), (1280, 900));
    screenshot(&bin, &server.url("/feeds"), &screenshot_dir().join("feeds-phone.png"), (390, 1400));
}

/// The write token of the correction tests' server.
const TOKEN: &str = "redactie-7d41";

/// Five reports of three events (the project's own text): a bridge closed (two), a fire in a
/// shed (two), a council vote (one).
fn three_events() -> Vec<storyline_core::ingest::prepare::Prepared> {
    let raw = |id: &str, source: &str, published: &str, title: &str, text: &str| RawArticle {
        id: Some(id.into()),
        title: Some(title.into()),
        text: text.into(),
        source: Some(source.into()),
        published: storyline_core::Published::parse(published).ok(),
        language: Some("nl".into()),
        ..RawArticle::default()
    };
    [
        raw("brug-1", "Dagblad Oost", "2025-11-03T07:00:00Z", "Brug over de IJssel bij Zwolle dicht",
            "De brug over de IJssel bij Zwolle is vanaf maandag drie weken dicht voor onderhoud. Rijkswaterstaat leidt het verkeer om via Kampen."),
        raw("brug-2", "Kampen Nu", "2025-11-03T09:00:00Z", "IJsselbrug Zwolle drie weken dicht",
            "Rijkswaterstaat sluit de IJsselbrug bij Zwolle maandag voor drie weken onderhoud. Het verkeer wordt omgeleid via Kampen."),
        raw("brand-1", "Dagblad Oost", "2025-11-02T23:30:00Z", "Brand in loods in Deventer",
            "In een loods aan de haven van Deventer is zondagnacht een grote brand uitgebroken. De brandweer zette vier wagens in; niemand raakte gewond."),
        raw("brand-2", "Kampen Nu", "2025-11-03T06:00:00Z", "Loods in Deventer afgebrand",
            "Een loods in de haven van Deventer is zondagnacht afgebrand. Volgens de brandweer raakte niemand gewond."),
        raw("raad-1", "Dagblad Oost", "2025-11-04T20:00:00Z", "Raad van Hardenberg kiest nieuwe wethouder",
            "De gemeenteraad van Hardenberg heeft dinsdag Ineke Vos gekozen tot wethouder van financien."),
    ]
    .into_iter()
    .map(|r| prepare_with_signature(r, &PrepareOptions::default(), Some("test".into())).expect("analysis"))
    .collect()
}

fn story_of(store: &SqliteStore, id: &str) -> i64 {
    store.article(id).expect("read").expect("stored").story.expect("a story")
}

/// Types the editor's name and token into the page's correction panel.
fn sign_in(browser: &mut cdp::Browser, name: &str, token: &str) {
    browser.eval(&format!(
        "document.querySelector('#correct details').open = true; \
         document.getElementById('c-author').value = {}; document.getElementById('c-token').value = {}; true",
        serde_json::json!(name),
        serde_json::json!(token)
    ));
}

/// Presses a button and waits for the page the correction leads to (a new address: each
/// correction's number is in it).
fn press_and_wait(browser: &mut cdp::Browser, button: &str, what: &str) {
    let before = browser.eval("location.href");
    browser.eval(&format!("document.querySelector({}).click(); true", serde_json::json!(button)));
    wait_for_correction(browser, &before, what);
}

/// Waits until the page left `before` for a page a correction led to, and has loaded.
fn wait_for_correction(browser: &mut cdp::Browser, before: &serde_json::Value, what: &str) {
    browser.wait_for(
        &format!(
            "location.href !== {before} && location.search.indexOf('corrected=') >= 0 \
             && document.readyState === 'complete' && !!document.getElementById('history')"
        ),
        what,
    );
}

#[test]
fn a_merge_and_a_split_done_in_the_web_interface_hold_and_undo() {
    let Some(bin) = chromium_or_skip("a_merge_and_a_split_done_in_the_web_interface_hold_and_undo") else {
        return;
    };
    let store = Arc::new(SqliteStore::open_in_memory().expect("store"));
    store.ingest(&three_events(), &IngestSettings::default()).expect("ingest");
    let (bridge, fire) = (story_of(&store, "brug-1@dagblad-oost"), story_of(&store, "brand-1@dagblad-oost"));
    assert_ne!(bridge, fire);
    let mut state = AppState::new(store.clone());
    state.token = Some(TOKEN.into());
    let server = Server::start_with(state);
    let mut browser = cdp::Browser::start(&bin);

    // Without a token, nothing is sent and the page says what is missing.
    browser.open(&server.url(&format!("/stories/{fire}")));
    browser.eval("document.querySelector('#correct details').open = true; document.getElementById('c-author').value = 'Anna'; true");
    browser.eval(&format!("document.getElementById('c-into').value = '{bridge}'; document.querySelector('[data-correct=merge]').click(); true"));
    browser.wait_for(
        "document.getElementById('c-status').textContent.indexOf('write token') >= 0",
        "the missing-token message",
    );
    assert_eq!(story_of(&store, "brand-1@dagblad-oost"), fire, "nothing was merged");

    // Merge the fire story into the bridge story: the browser lands on the bridge story.
    sign_in(&mut browser, "Anna", TOKEN);
    browser.eval(&format!("document.getElementById('c-into').value = '{bridge}'; true"));
    press_and_wait(&mut browser, "[data-correct=merge]", "the merged story's page");
    assert_eq!(browser.eval("location.pathname"), serde_json::json!(format!("/stories/{bridge}")));
    for id in ["brand-1@dagblad-oost", "brand-2@kampen-nu"] {
        assert_eq!(story_of(&store, id), bridge, "{id} merged into the bridge story");
    }
    let history = browser.eval("document.getElementById('history').textContent");
    assert!(history.as_str().unwrap().contains("Anna: merged story"), "{history}");
    assert_eq!(browser.eval("document.querySelectorAll('input.pick').length"), serde_json::json!(4));

    // Split the fire reports out again: tick them, press split. The token is remembered for
    // the session, so the new page needs no typing.
    browser.eval(
        "document.querySelectorAll('input.pick').forEach(function (el) { el.checked = el.value.indexOf('brand-') === 0; }); true",
    );
    press_and_wait(&mut browser, "[data-correct=split]", "the split story's page");
    let fire = story_of(&store, "brand-1@dagblad-oost");
    assert_eq!(story_of(&store, "brand-2@kampen-nu"), fire, "the fire reports went together");
    assert_ne!(fire, story_of(&store, "brug-1@dagblad-oost"), "apart from the bridge");
    assert_eq!(story_of(&store, "brug-2@kampen-nu"), story_of(&store, "brug-1@dagblad-oost"));
    let events = store.corrections(&Default::default()).expect("corrections");
    assert_eq!(
        events.iter().map(|e| (e.action(), e.author.as_str())).collect::<Vec<_>>(),
        [("split", "Anna"), ("merge", "Anna")]
    );

    // The split holds through a re-clustering.
    store.recluster(&IngestSettings::default()).expect("recluster");
    assert_ne!(story_of(&store, "brand-1@dagblad-oost"), story_of(&store, "brug-1@dagblad-oost"));

    // Undo the split from the history of the bridge story's page.
    let split = events[0].id;
    browser.open(&server.url(&format!("/stories/{}", story_of(&store, "brug-1@dagblad-oost"))));
    press_and_wait(
        &mut browser,
        &format!("[data-correct=undo][data-correction='{split}']"),
        "the page after the undo",
    );
    assert_eq!(
        story_of(&store, "brand-1@dagblad-oost"),
        story_of(&store, "brug-1@dagblad-oost"),
        "the split is undone"
    );
    let history = browser.eval("document.getElementById('history').textContent");
    assert!(history.as_str().unwrap().contains(&format!("undid correction {split}")), "{history}");
}

#[test]
fn an_article_s_date_and_outlet_are_set_in_the_web_interface() {
    let Some(bin) = chromium_or_skip("an_article_s_date_and_outlet_are_set_in_the_web_interface") else {
        return;
    };
    let store = Arc::new(SqliteStore::open_in_memory().expect("store"));
    store.ingest(&three_events(), &IngestSettings::default()).expect("ingest");
    let mut state = AppState::new(store.clone());
    state.token = Some(TOKEN.into());
    let server = Server::start_with(state);
    let mut browser = cdp::Browser::start(&bin);
    browser.open(&server.url("/articles/raad-1@dagblad-oost"));
    sign_in(&mut browser, "Cor", TOKEN);
    // Typed in, and sent with Enter from the keyboard.
    browser.eval("document.getElementById('c-published').value = '2025-11-05'; document.getElementById('c-source').value = 'Vechtdal Nieuws'; document.getElementById('c-source').focus(); true");
    let before = browser.eval("location.href");
    browser.press_enter();
    wait_for_correction(&mut browser, &before, "the article page after the correction");
    let a = store.article("raad-1@dagblad-oost").expect("read").expect("stored").article;
    assert_eq!(a.published.map(|p| p.to_string()).as_deref(), Some("2025-11-05"));
    assert_eq!(a.source.as_deref(), Some("Vechtdal Nieuws"));
    let facts = browser.eval("document.querySelector('dl.facts').textContent");
    assert!(facts.as_str().unwrap().contains("Vechtdal Nieuws"), "{facts}");
    // A wrong token is refused with the server's message, and nothing changes.
    browser.eval("document.getElementById('c-token').value = 'wrong'; document.getElementById('c-language').value = 'en'; document.querySelector('[data-correct=set]').click(); true");
    browser.wait_for(
        "document.getElementById('c-status').textContent.indexOf('wrong bearer token') >= 0",
        "the refusal",
    );
    assert_eq!(
        store.article("raad-1@dagblad-oost").expect("read").expect("stored").article.language.code,
        "nl"
    );
}
