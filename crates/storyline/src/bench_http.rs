//! `storyline bench --http`: serves a filled store on loopback and drives it with a few client
//! threads over keep-alive HTTP/1.1 connections, printing requests per second and latency
//! percentiles per endpoint.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use storyline_core::analyze::stem::is_stopword;
use storyline_core::search::words;
use storyline_store::{ArticleFilter, SearchQuery, Store, StoryFilter};

use crate::config::Config;

/// Stories larger than this are left out of the load test (the largest is timed on its own).
const MAX_REPORTS: u64 = 200;

/// How long the largest story may take before it is reported as unanswered.
const LARGEST_TIMEOUT: Duration = Duration::from_secs(60);

/// One keep-alive connection.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(addr: SocketAddr) -> Result<Client> {
        let stream = TcpStream::connect(addr).with_context(|| format!("cannot connect to {addr}"))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(600)))?;
        Ok(Client { reader: BufReader::new(stream) })
    }

    /// Sends a GET and reads the whole response; returns the status and body length.
    fn get(&mut self, path: &str) -> Result<(u16, usize)> {
        let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: storyline-bench\r\n\r\n");
        self.reader.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 =
            line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("no status line")?;
        let mut length: Option<usize> = None;
        let mut chunked = false;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                bail!("connection closed in the headers");
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                if k == "content-length" {
                    length = v.trim().parse().ok();
                } else if k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked") {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)?;
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            body.resize(length.unwrap_or(0), 0);
            self.reader.read_exact(&mut body)?;
        }
        Ok((status, body.len()))
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// What one endpoint did under load.
#[derive(Debug, Serialize)]
pub struct EndpointFigures {
    /// The endpoint.
    pub name: String,
    /// Requests sent.
    pub requests: usize,
    /// Responses that were not 200.
    pub errors: usize,
    /// Requests per second over all clients.
    pub requests_per_s: f64,
    /// Latency percentiles in milliseconds.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
    /// Mean response size in bytes.
    pub mean_bytes: usize,
}

/// How an endpoint is driven.
#[derive(Clone, Copy, PartialEq)]
enum Visits {
    /// Every path exactly once, none of them asked before: what a first visit costs (a story's
    /// dossier is built, nothing is cached).
    First,
    /// `requests` requests cycling over the paths after a warm-up over some of them.
    Repeated,
}

fn drive(
    addr: SocketAddr,
    name: &str,
    paths: &[String],
    visits: Visits,
    requests: usize,
    clients: usize,
) -> Result<EndpointFigures> {
    // Warm up connections (and, for repeated visits, caches) first.
    let mut warm = Client::connect(addr)?;
    warm.get("/api/health")?;
    if visits == Visits::Repeated {
        for p in paths.iter().cycle().take(paths.len().min(20)) {
            warm.get(p)?;
        }
    }
    let (requests, stride) = match visits {
        // Client `c` takes paths c, c + clients, ...: each path once over all clients.
        Visits::First => (paths.len(), clients),
        Visits::Repeated => (requests, 0),
    };
    let started = Instant::now();
    let per_client = requests.div_ceil(clients);
    let results: Vec<Result<Vec<(Duration, u16, usize)>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                s.spawn(move || -> Result<Vec<(Duration, u16, usize)>> {
                    let mut client = Client::connect(addr)?;
                    let mut out = Vec::with_capacity(per_client);
                    for i in 0..per_client {
                        let path = if stride > 0 {
                            match paths.get(c + i * stride) {
                                Some(p) => p,
                                None => break,
                            }
                        } else {
                            &paths[(c * 7919 + i) % paths.len()]
                        };
                        let t = Instant::now();
                        let (status, bytes) = client.get(path)?;
                        out.push((t.elapsed(), status, bytes));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("client panicked"))))
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    let errors = all.iter().filter(|(_, s, _)| *s != 200).count();
    let bytes: usize = all.iter().map(|(_, _, b)| b).sum();
    let mut lat: Vec<f64> = all.iter().map(|(d, _, _)| d.as_secs_f64() * 1000.0).collect();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| lat[((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1];
    Ok(EndpointFigures {
        name: name.to_string(),
        requests: all.len(),
        errors,
        requests_per_s: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p95_ms: pct(0.95),
        p99_ms: pct(0.99),
        max_ms: *lat.last().unwrap_or(&0.0),
        mean_bytes: bytes / all.len().max(1),
    })
}

/// Common and rare words of the store, from a sample of its articles: the words in most sampled
/// articles, and long words in only one of them.
fn pick_terms(store: &dyn Store) -> Result<(Vec<String>, Vec<String>)> {
    let sample = store.articles(&ArticleFilter { limit: Some(400), ..ArticleFilter::default() })?;
    let mut df: HashMap<String, usize> = HashMap::new();
    for a in &sample {
        let Some(record) = store.article(&a.id)? else { continue };
        let mut seen = std::collections::HashSet::new();
        for w in words(&record.article.text) {
            let lower = w.text.to_lowercase();
            if lower.chars().count() < 4 || lower.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            if is_stopword("nl", &lower) || is_stopword("en", &lower) {
                continue;
            }
            if seen.insert(lower.clone()) {
                *df.entry(lower).or_default() += 1;
            }
        }
    }
    let mut by_df: Vec<(String, usize)> = df.into_iter().collect();
    by_df.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let common: Vec<String> = by_df.iter().take(4).map(|(w, _)| w.clone()).collect();
    // The rarest long words of the sample (a generated corpus repeats its vocabulary, so a word
    // seen once in the sample may still be common in the store; the matches are printed).
    let mut rarest: Vec<&(String, usize)> = by_df.iter().filter(|(w, _)| w.chars().count() >= 6).collect();
    rarest.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let rare: Vec<String> = rarest.iter().take(8).map(|(w, _)| w.clone()).collect();
    Ok((common, rare))
}

/// Runs the load test against `store`.
pub fn run(
    store: Arc<dyn Store>,
    cfg: &Config,
    requests: usize,
    clients: usize,
    as_json: bool,
) -> Result<()> {
    // Stories of up to MAX_REPORTS reports are load-tested; the largest story is timed alone
    // (a generated stream can grow a story to thousands of reports).
    let listed =
        store.stories(&StoryFilter { min_articles: 2, limit: Some(1000), ..StoryFilter::default() })?;
    let largest = store.stories(&StoryFilter::default())?.into_iter().max_by_key(|s| s.articles);
    let stories: Vec<i64> = listed.iter().filter(|s| s.articles <= MAX_REPORTS).map(|s| s.id).collect();
    let mut sizes: Vec<u64> =
        listed.iter().filter(|s| s.articles <= MAX_REPORTS).map(|s| s.articles).collect();
    sizes.sort_unstable();
    let articles: Vec<String> = store
        .articles(&ArticleFilter { limit: Some(300), offset: 1000, ..ArticleFilter::default() })?
        .into_iter()
        .map(|a| a.id)
        .collect();
    if stories.is_empty() || articles.is_empty() {
        bail!("the store has too few stories or articles to load-test");
    }
    let (common, rare) = pick_terms(store.as_ref())?;
    let total = |w: &str| {
        store.search(&SearchQuery { text: w.into(), limit: 0, ..SearchQuery::default() }).map(|r| r.total)
    };
    let mut term_notes = Vec::new();
    for w in common.iter().chain(&rare) {
        term_notes.push(format!("{w} ({} matches)", total(w)?));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let state = crate::serve::state(store.clone(), cfg);
    let server = runtime.spawn(storyline_server::serve(listener, state, async move {
        while !flag.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }));
    // Half of the stories are first visited as pages, the other half through the API, so each
    // first visit builds its dossier; then both are visited again (cached).
    let story_pages: Vec<String> = stories.iter().step_by(2).map(|s| format!("/stories/{s}")).collect();
    let dossiers: Vec<String> =
        stories.iter().skip(1).step_by(2).map(|s| format!("/api/stories/{s}")).collect();
    let article_pages: Vec<String> = articles.iter().map(|a| format!("/articles/{}", encode(a))).collect();
    let search = |terms: &[String], page: bool| -> Vec<String> {
        terms
            .iter()
            .map(|t| {
                if page {
                    format!("/search?q={}", encode(t))
                } else {
                    format!("/api/search?q={}", encode(t))
                }
            })
            .collect()
    };
    let endpoints: Vec<(&str, Vec<String>, Visits)> = vec![
        ("GET /stories/{id} (story page, first visit)", story_pages.clone(), Visits::First),
        ("GET /api/stories/{id} (dossier, first visit)", dossiers.clone(), Visits::First),
        ("GET /stories/{id} (story page, again)", story_pages, Visits::Repeated),
        ("GET /api/stories/{id} (dossier, again)", dossiers, Visits::Repeated),
        ("GET /articles/{id} (article page)", article_pages, Visits::Repeated),
        ("GET /api/search?q= common words", search(&common, false), Visits::Repeated),
        ("GET /api/search?q= rare words", search(&rare, false), Visits::Repeated),
        ("GET /search?q= common words (page)", search(&common, true), Visits::Repeated),
        ("GET / (stories page)", vec!["/".to_string()], Visits::Repeated),
    ];
    let mut figures = Vec::new();
    for (name, paths, visits) in &endpoints {
        if paths.is_empty() {
            continue;
        }
        let f = drive(addr, name, paths, *visits, requests, clients)?;
        if !as_json {
            eprintln!("  {name}: p99 {:.1} ms", f.p99_ms);
        }
        figures.push(f);
    }
    // The largest story, once each way, timed alone with a bound.
    let mut single = Vec::new();
    if let Some(big) = &largest {
        let mut client = Client::connect(addr)?;
        client.reader.get_ref().set_read_timeout(Some(LARGEST_TIMEOUT))?;
        for path in [format!("/api/stories/{}", big.id), format!("/stories/{}", big.id)] {
            let t = Instant::now();
            match client.get(&path) {
                Ok((status, bytes)) => {
                    single.push((path, big.articles, status, t.elapsed().as_secs_f64() * 1000.0, bytes))
                }
                Err(_) => {
                    single.push((path, big.articles, 0, t.elapsed().as_secs_f64() * 1000.0, 0));
                    break;
                }
            }
        }
    }
    stop.store(true, Ordering::SeqCst);
    let _ = runtime.block_on(server);
    let stats = store.stats()?;
    if as_json {
        let v = serde_json::json!({
            "articles": stats.articles, "stories": stats.stories, "clients": clients,
            "story_sizes": { "tested": sizes.len(), "median": sizes.get(sizes.len() / 2), "max": sizes.last() },
            "terms": term_notes, "endpoints": figures,
            "largest_story": single.iter().map(|(p, n, s, ms, b)| serde_json::json!({"path": p, "reports": n, "status": s, "ms": ms, "bytes": b})).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!(
        "http bench: {} articles, {} stories; {} clients on keep-alive connections, {} requests per endpoint",
        stats.articles, stats.stories, clients, requests
    );
    println!(
        "  story pages: the {} most recently active stories with 2 to {MAX_REPORTS} reports (median {}, largest {}); search words: {}",
        sizes.len(),
        sizes.get(sizes.len() / 2).unwrap_or(&0),
        sizes.last().unwrap_or(&0),
        term_notes.join(", ")
    );
    println!(
        "  {:<38} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7}",
        "endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "bytes", "errors"
    );
    for f in &figures {
        println!(
            "  {:<38} {:>8.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8} {:>7}",
            f.name, f.requests_per_s, f.p50_ms, f.p95_ms, f.p99_ms, f.max_ms, f.mean_bytes, f.errors
        );
    }
    for (path, n, status, ms, bytes) in &single {
        if *status == 0 {
            println!(
                "  largest story ({n} reports), one request: GET {path} gave no answer within {} s",
                LARGEST_TIMEOUT.as_secs()
            );
        } else {
            println!("  largest story ({n} reports), one request: GET {path} -> {status} in {ms:.0} ms ({bytes} bytes)");
        }
    }
    Ok(())
}
