//! The watcher: follows the sources of a watch list (feeds and pages over HTTP, folders on
//! disk), visits each when it is due, ingests what is new through the ingest pipeline, and
//! keeps every source's status in the status file. `storyline watch` runs it in the
//! foreground; `storyline serve --watch` on a thread of its own beside the server.
//!
//! A source is visited every `every=` (the settings' interval when the line does not say), a
//! URL never more often than the minimum interval. A failed visit doubles the wait before the
//! next (up to a cap; a server's `Retry-After` is honoured); a visit that succeeds resets it.
//! A fetch asks whether the document changed since the last answer read (`If-None-Match`,
//! `If-Modified-Since`); a folder's files are read again only when their size or modification
//! time changed. The status file keeps both, so a restart goes on where the last run stopped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Result;
use storyline_core::ingest::PrepareOptions;
use storyline_core::{Precision, Published};
use storyline_store::watch::{self as status_file, FileState, Outcome, SourceEntry, SourceKind, WatchStatus};
use storyline_store::Store;

use crate::config::Config;
use crate::fetch::{self, Answer, Client, Expect, Validators};
use crate::pipeline::{self, Failure, Input, Report};
use crate::progress::Progress;
use storyline_core::watchlist::{self, Source, Target};

/// How the watcher runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The watch list.
    pub list: PathBuf,
    /// The status file.
    pub status_file: PathBuf,
    /// How often a source is visited when its line does not say.
    pub interval: Duration,
    /// A URL is never visited more often than this.
    pub min_interval: Duration,
    /// The longest wait after failed visits.
    pub max_backoff: Duration,
    /// What one fetch may take.
    pub fetch: fetch::Limits,
    /// One round of every source, then return.
    pub once: bool,
}

impl Settings {
    /// The settings `cfg` gives for following `list`.
    pub fn new(cfg: &Config, list: PathBuf) -> Self {
        Settings {
            list,
            status_file: cfg.watch_status_file(),
            interval: cfg.watch_interval,
            min_interval: cfg.watch_min_interval,
            max_backoff: cfg.watch_max_backoff,
            fetch: cfg.fetch_limits(),
            once: false,
        }
    }
}

/// A stop signal the watcher waits on between visits: set once, it ends the run after the
/// visit in progress.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<(Mutex<bool>, Condvar)>);

impl Stop {
    /// Asks the watcher to stop.
    pub fn stop(&self) {
        let (flag, wake) = &*self.0;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        wake.notify_all();
    }

    /// Whether a stop was asked for.
    pub fn is_stopped(&self) -> bool {
        *self.0 .0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits `d` or until a stop is asked for; true when stopped.
    pub fn sleep(&self, d: Duration) -> bool {
        let (flag, wake) = &*self.0;
        let deadline = Instant::now() + d;
        let mut stopped = flag.lock().unwrap_or_else(|p| p.into_inner());
        while !*stopped {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            stopped = wake.wait_timeout(stopped, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        true
    }
}

/// What the watcher reports as it goes.
pub enum Event<'a> {
    /// A source was visited: its new status and the records (or files) that failed.
    Visited(&'a storyline_store::watch::SourceStatus, &'a [Failure]),
    /// Something worth saying that is not a visit (the list changed, the status file was
    /// unreadable).
    Note(String),
}

/// What a run did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// Visits made.
    pub visits: u64,
    /// Of those, visits that failed or read only part of their source.
    pub failed: u64,
}

/// The moment as a time at the second.
fn now() -> Published {
    let unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Published { unix, precision: Precision::Second }
}

fn after(at: Published, d: Duration) -> Published {
    // Sub-second intervals (tests) round up to the next second.
    let secs = d.as_secs() as i64 + i64::from(d.subsec_nanos() > 0);
    Published { unix: at.unix.saturating_add(secs), precision: Precision::Second }
}

/// How long to wait after a visit: the interval, doubled for every failed visit in a row, at
/// most `max_backoff` (but never less than the interval).
pub fn backoff(interval: Duration, failures: u32, max_backoff: Duration) -> Duration {
    if failures == 0 {
        return interval;
    }
    let factor = 1u32 << failures.min(16);
    interval.saturating_mul(factor).min(max_backoff.max(interval))
}

/// The interval of a source under the settings.
fn interval_of(source: &Source, settings: &Settings) -> Duration {
    let every = source.every.unwrap_or(settings.interval);
    match source.target {
        Target::Url(_) => every.max(settings.min_interval),
        Target::Path(_) => every,
    }
}

/// The watcher over one store.
pub struct Watcher<'a> {
    store: &'a dyn Store,
    cfg: &'a Config,
    settings: Settings,
    client: Client,
    sources: Vec<Source>,
    status: WatchStatus,
    /// The list's modification time when it was read, to notice edits.
    list_modified: Option<SystemTime>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl<'a> Watcher<'a> {
    /// Reads the watch list and the status file (an unreadable status file is set aside, named
    /// in a note, and the run starts without it). A watch list that does not read is an error
    /// naming its file and line.
    pub fn new(
        store: &'a dyn Store,
        cfg: &'a Config,
        settings: Settings,
        log: &mut dyn FnMut(Event<'_>),
    ) -> Result<Self> {
        let list_modified = modified(&settings.list);
        let sources = watchlist::read(&settings.list)?;
        let old = match status_file::load(&settings.status_file) {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                let aside = settings.status_file.with_extension("json.unreadable");
                let moved = std::fs::rename(&settings.status_file, &aside).is_ok();
                log(Event::Note(format!(
                    "{e}; starting without it (every source is fetched in full once){}",
                    if moved {
                        format!("; the old file is kept as {}", aside.display())
                    } else {
                        String::new()
                    }
                )));
                WatchStatus::default()
            }
        };
        let client = Client::new(settings.fetch.clone());
        let mut watcher =
            Watcher { store, cfg, settings, client, sources: Vec::new(), status: old, list_modified };
        watcher.adopt(sources, log);
        watcher.save(log);
        Ok(watcher)
    }

    /// Takes a (new) list: each source keeps its status from before (validators, files seen,
    /// when it is due), new sources are due now, and sources no longer listed are dropped.
    fn adopt(&mut self, sources: Vec<Source>, log: &mut dyn FnMut(Event<'_>)) {
        let mut old: BTreeMap<String, SourceEntry> = std::mem::take(&mut self.status.sources)
            .into_iter()
            .map(|e| (e.status.source.clone(), e))
            .collect();
        let at = now();
        for source in &sources {
            let interval = interval_of(source, &self.settings);
            if let (Target::Url(_), Some(every)) = (&source.target, source.every) {
                if every < self.settings.min_interval {
                    log(Event::Note(format!(
                        "{}: line {}: every={} is more often than the minimum interval; visiting every {}",
                        self.settings.list.display(),
                        source.line,
                        watchlist::format_duration(every),
                        watchlist::format_duration(self.settings.min_interval)
                    )));
                }
            }
            let mut entry =
                old.remove(&source.name).filter(|e| e.status.kind == source.kind).unwrap_or_default();
            let s = &mut entry.status;
            s.source = source.name.clone();
            s.kind = source.kind;
            s.outlet = source.outlet.clone();
            s.line = source.line;
            s.interval_s = interval.as_secs();
            // Due now when new; never later than one (backed-off) wait from now.
            let wait = backoff(interval, s.failures, self.settings.max_backoff);
            let latest = after(at, wait);
            s.next_due = Some(match s.next_due {
                Some(due) if due.unix <= latest.unix => due,
                Some(_) => latest,
                None => at,
            });
            self.status.sources.push(entry);
        }
        self.status.list = Some(self.settings.list.display().to_string());
        self.sources = sources;
    }

    /// Writes the status file; a failure is a note, and the next write tries again.
    fn save(&mut self, log: &mut dyn FnMut(Event<'_>)) {
        self.status.updated = Some(now());
        if let Err(e) = status_file::save(&self.settings.status_file, &self.status) {
            log(Event::Note(e.to_string()));
        }
    }

    /// The current status of every source.
    pub fn status(&self) -> &WatchStatus {
        &self.status
    }

    /// Reads the list again when it changed on disk; a list that no longer reads is named in
    /// a note and the sources before stay.
    fn reload(&mut self, log: &mut dyn FnMut(Event<'_>)) {
        let now_modified = modified(&self.settings.list);
        if now_modified.is_none() || now_modified == self.list_modified {
            return;
        }
        self.list_modified = now_modified;
        match watchlist::read(&self.settings.list) {
            Ok(sources) => {
                log(Event::Note(format!(
                    "{}: read again: {} source{}",
                    self.settings.list.display(),
                    sources.len(),
                    if sources.len() == 1 { "" } else { "s" }
                )));
                self.adopt(sources, log);
                self.save(log);
            }
            Err(e) => log(Event::Note(format!("{e}; following the sources read before"))),
        }
    }

    /// Runs until `stop` (or, with `once`, for one round of every source).
    pub fn run(&mut self, stop: &Stop, log: &mut dyn FnMut(Event<'_>)) -> Summary {
        let mut summary = Summary::default();
        loop {
            if stop.is_stopped() {
                break;
            }
            let at = now();
            for i in 0..self.sources.len() {
                if stop.is_stopped() {
                    break;
                }
                let due = self.status.sources[i].status.next_due.is_none_or(|d| d.unix <= at.unix);
                if !(self.settings.once || due) {
                    continue;
                }
                let failures = self.visit(i, log);
                summary.visits += 1;
                summary.failed += u64::from(failures);
            }
            if self.settings.once {
                break;
            }
            // Sleep until the next source is due, looking at the list now and then.
            let next = self.status.sources.iter().filter_map(|e| e.status.next_due).map(|d| d.unix).min();
            let wait = next.map_or(Duration::from_secs(5), |unix| {
                let left = unix - now().unix;
                Duration::from_secs(left.max(0) as u64)
            });
            if !wait.is_zero() && stop.sleep(wait.min(Duration::from_secs(5))) {
                break;
            }
            self.reload(log);
        }
        summary
    }

    /// Visits source `i`, stores what it brought, updates and writes its status; true when the
    /// visit failed or read only part of the source.
    fn visit(&mut self, i: usize, log: &mut dyn FnMut(Event<'_>)) -> bool {
        let started = Instant::now();
        let source = self.sources[i].clone();
        let entry = &self.status.sources[i];
        let prepare = PrepareOptions {
            source: source.outlet.clone(),
            published: None,
            language: source.language.clone(),
        };
        let opts = pipeline::Options::new(self.cfg, prepare, None);
        let visit = match &source.target {
            Target::Url(url) => {
                let validators = Validators {
                    etag: entry.status.etag.clone(),
                    last_modified: entry.status.last_modified.clone(),
                };
                let expect = if source.kind == SourceKind::Page { Expect::Any } else { Expect::Feed };
                fetch_and_ingest(self.store, &self.client, url, &validators, expect, opts)
            }
            Target::Path(path) => scan_and_ingest(self.store, path, &entry.files, opts),
        };
        let interval = interval_of(&source, &self.settings);
        let max_backoff = self.settings.max_backoff;
        let entry = &mut self.status.sources[i];
        apply(entry, &visit, interval, max_backoff, started.elapsed());
        let failing = matches!(entry.status.result, Outcome::Error | Outcome::Partial);
        log(Event::Visited(&entry.status, &visit.failures));
        self.save(log);
        failing
    }
}

/// What one visit found.
#[derive(Debug, Default)]
struct Visit {
    outcome: Outcome,
    http_status: Option<u16>,
    report: Option<Report>,
    error: Option<String>,
    /// New validators to keep (only when the answer was read).
    validators: Option<Validators>,
    /// The folder's files as now seen (only when the scan was read).
    files: Option<BTreeMap<String, FileState>>,
    retry_after: Option<Duration>,
    failures: Vec<Failure>,
}

impl Visit {
    fn error(message: String, http_status: Option<u16>) -> Visit {
        Visit { outcome: Outcome::Error, http_status, error: Some(one_line(&message)), ..Visit::default() }
    }

    /// A visit that ran the pipeline: ok, partial (some records failed), or an error when
    /// nothing could be read.
    fn from_report(report: Report, http_status: Option<u16>) -> Visit {
        let read = report.ingested + report.duplicates + report.revised;
        let (outcome, error) = match report.errors.len() {
            0 => (Outcome::Ok, None),
            n => {
                let first = &report.errors[0];
                let what = match &first.record {
                    Some(r) => format!("{r}: {}", first.reason),
                    None => first.reason.clone(),
                };
                let message =
                    if n == 1 { what } else { format!("{n} records could not be read; the first: {what}") };
                (if read == 0 { Outcome::Error } else { Outcome::Partial }, Some(one_line(&message)))
            }
        };
        let failures = report.errors.clone();
        Visit { outcome, http_status, report: Some(report), error, failures, ..Visit::default() }
    }
}

/// A message on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fetches a URL and ingests what came back.
fn fetch_and_ingest(
    store: &dyn Store,
    client: &Client,
    url: &str,
    validators: &Validators,
    expect: Expect,
    opts: pipeline::Options,
) -> Visit {
    let fetched = match client.get(url, validators) {
        Ok(Answer::NotModified) => {
            return Visit { outcome: Outcome::NotModified, http_status: Some(304), ..Visit::default() };
        }
        Ok(Answer::Body(f)) => f,
        Err(e) => {
            let mut v = Visit::error(e.to_string(), e.status());
            v.retry_after = e.retry_after();
            return v;
        }
    };
    let status = Some(fetched.status);
    let format = match fetch::judge(&fetched, expect, None) {
        Ok(f) => f,
        Err(e) => return Visit::error(e.to_string(), status),
    };
    let kept = fetched.validators.clone();
    let input = Input::Fetched {
        address: fetched.url,
        content_type: fetched.content_type,
        bytes: fetched.body,
        format,
    };
    match pipeline::run(store, vec![input], opts, &mut Progress::new("watch", false), true) {
        Ok(report) => {
            let mut v = Visit::from_report(report, status);
            // The answer was read: the next request asks whether it changed since. A document
            // that could not be read at all is fetched in full again.
            if v.outcome != Outcome::Error {
                v.validators = Some(kept);
            }
            v
        }
        Err(e) => Visit::error(format!("store failed: {e}"), status),
    }
}

/// The state of a file, to tell whether it changed.
fn file_state(path: &Path) -> Option<FileState> {
    let meta = std::fs::metadata(path).ok()?;
    let since = meta.modified().ok()?.duration_since(UNIX_EPOCH).unwrap_or_default();
    Some(FileState {
        size: meta.len(),
        modified_s: since.as_secs() as i64,
        modified_ns: since.subsec_nanos(),
    })
}

/// Scans a folder (or one file) and ingests the files that are new or changed since `seen`.
fn scan_and_ingest(
    store: &dyn Store,
    path: &Path,
    seen: &BTreeMap<String, FileState>,
    opts: pipeline::Options,
) -> Visit {
    if !path.exists() {
        return Visit::error(format!("{}: no such folder or file", path.display()), None);
    }
    let (inputs, walk_failures) = pipeline::expand(&[path.to_path_buf()]);
    let mut files = BTreeMap::new();
    let mut changed = Vec::new();
    for input in inputs {
        let Input::File(file) = input else { continue };
        let key = file.display().to_string();
        let Some(state) = file_state(&file) else { continue };
        if seen.get(&key) != Some(&state) {
            changed.push(Input::File(file));
        }
        files.insert(key, state);
    }
    if changed.is_empty() && walk_failures.is_empty() {
        return Visit { outcome: Outcome::NotModified, files: Some(files), ..Visit::default() };
    }
    match pipeline::run(store, changed, opts, &mut Progress::new("watch", false), true) {
        Ok(mut report) => {
            report.failed += walk_failures.len() as u64;
            report.errors.splice(0..0, walk_failures);
            // A file is read once whether or not it read well: it is read again when it changes.
            let mut v = Visit::from_report(report, None);
            v.files = Some(files);
            v
        }
        Err(e) => Visit::error(format!("store failed: {e}"), None),
    }
}

/// Records a visit in a source's status.
fn apply(entry: &mut SourceEntry, visit: &Visit, interval: Duration, max_backoff: Duration, took: Duration) {
    let at = now();
    let s = &mut entry.status;
    s.last_fetch = Some(at);
    s.duration_ms = Some(took.as_millis() as u64);
    s.result = visit.outcome;
    s.http_status = visit.http_status;
    let r = visit.report.clone().unwrap_or_default();
    (s.new, s.duplicates, s.revised, s.failed) = (r.ingested, r.duplicates, r.revised, r.failed);
    s.total_new += r.ingested;
    s.total_revised += r.revised;
    s.error = visit.error.clone();
    if visit.outcome == Outcome::Error {
        s.failures = s.failures.saturating_add(1);
    } else {
        s.failures = 0;
        s.last_success = Some(at);
    }
    if let Some(v) = &visit.validators {
        s.etag = v.etag.clone();
        s.last_modified = v.last_modified.clone();
    }
    if let Some(files) = &visit.files {
        entry.files = files.clone();
        entry.status.files_seen = files.len() as u64;
    }
    let s = &mut entry.status;
    let wait = backoff(interval, s.failures, max_backoff).max(visit.retry_after.unwrap_or_default());
    s.next_due = Some(after(at, wait));
}

/// One line about a visit, for the log: `HTTP 200: 2 new, 5 duplicates, 0 revised`,
/// `not modified (HTTP 304)`, `error: HTTP 500 Internal Server Error; next visit in 30m`.
pub fn visit_line(s: &storyline_store::watch::SourceStatus) -> String {
    let http = s.http_status.map(|c| format!("HTTP {c}")).unwrap_or_default();
    let counts = format!(
        "{} new, {} duplicate{}, {} revised",
        s.new,
        s.duplicates,
        if s.duplicates == 1 { "" } else { "s" },
        s.revised
    );
    let next = s
        .next_due
        .zip(s.last_fetch)
        .map(|(due, at)| watchlist::format_duration(Duration::from_secs((due.unix - at.unix).max(0) as u64)))
        .unwrap_or_default();
    let body = match s.result {
        Outcome::Pending => "not visited yet".to_string(),
        Outcome::NotModified if s.kind == SourceKind::Folder => "no new or changed files".to_string(),
        Outcome::NotModified => "not modified (HTTP 304)".to_string(),
        Outcome::Ok if http.is_empty() => counts,
        Outcome::Ok => format!("{http}: {counts}"),
        Outcome::Partial => format!(
            "{}{counts}, {} failed: {}",
            if http.is_empty() { String::new() } else { format!("{http}: ") },
            s.failed,
            s.error.as_deref().unwrap_or("")
        ),
        Outcome::Error => format!(
            "error: {}; next visit in {next} ({} failed visit{} in a row)",
            s.error.as_deref().unwrap_or("unknown"),
            s.failures,
            if s.failures == 1 { "" } else { "s" }
        ),
    };
    format!("{}: {body}", s.source)
}

/// Stops `stop` on Ctrl-C or SIGTERM; a second Ctrl-C ends the process at once.
pub fn stop_on_signals(stop: Stop) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot listen for Ctrl-C: {e}"))?;
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        // Registered here, before the watcher starts, so an early Ctrl-C stops it cleanly.
        let (mut interrupt, mut terminate) = runtime
            .block_on(async {
                Ok::<_, std::io::Error>((signal(SignalKind::interrupt())?, signal(SignalKind::terminate())?))
            })
            .map_err(|e| anyhow::anyhow!("cannot listen for Ctrl-C: {e}"))?;
        std::thread::spawn(move || {
            runtime.block_on(async {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
                eprintln!("storyline: stopping after the visit in progress (Ctrl-C again stops at once)");
                stop.stop();
                interrupt.recv().await;
                std::process::exit(130);
            });
        });
    }
    #[cfg(not(unix))]
    std::thread::spawn(move || {
        runtime.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
            stop.stop();
        })
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restart_keeps_what_each_source_needs_and_an_edited_list_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("bronnen.txt");
        std::fs::write(&list, "https://a.example/rss.xml\nhttps://b.example/rss.xml every=2h\n").unwrap();
        let cfg = Config { db: dir.path().join("s.db"), ..Config::default() };
        let store = storyline_store::sqlite::SqliteStore::open_in_memory().unwrap();
        // What an earlier run left: a's validators and its next visit, and a source since dropped.
        let later = after(now(), Duration::from_secs(600));
        let mut old = WatchStatus::default();
        for (source, etag) in
            [("https://a.example/rss.xml", "\"a1\""), ("https://weg.example/rss.xml", "\"w\"")]
        {
            let mut e = SourceEntry::default();
            e.status.source = source.into();
            e.status.etag = Some(etag.into());
            e.status.total_new = 7;
            e.status.next_due = Some(later);
            old.sources.push(e);
        }
        status_file::save(&cfg.watch_status_file(), &old).unwrap();
        let mut notes = Vec::new();
        let mut log = |e: Event<'_>| {
            if let Event::Note(n) = e {
                notes.push(n)
            }
        };
        let mut w = Watcher::new(&store, &cfg, Settings::new(&cfg, list.clone()), &mut log).unwrap();
        let names: Vec<&str> = w.status().sources.iter().map(|e| e.status.source.as_str()).collect();
        assert_eq!(names, ["https://a.example/rss.xml", "https://b.example/rss.xml"]);
        let a = &w.status().sources[0].status;
        assert_eq!((a.etag.as_deref(), a.total_new, a.next_due), (Some("\"a1\""), 7, Some(later)));
        let b = &w.status().sources[1].status;
        assert_eq!(b.interval_s, 7200);
        assert!(b.next_due.unwrap().unix <= now().unix, "a new source is due at once");
        // The status file says so at once.
        let written = status_file::load(&cfg.watch_status_file()).unwrap().unwrap();
        assert_eq!(written.sources.len(), 2);
        // An edit that does not read is named and changes nothing; one that reads is taken.
        let touch = |text: &str, secs: u64| {
            std::fs::write(&list, text).unwrap();
            let f = std::fs::File::options().write(true).open(&list).unwrap();
            f.set_modified(UNIX_EPOCH + Duration::from_secs(secs)).unwrap();
        };
        touch("https://a.example/rss.xml every=soms\n", 1_000_000);
        w.reload(&mut log);
        assert_eq!(w.status().sources.len(), 2);
        touch("https://b.example/rss.xml every=2h\nhttps://a.example/rss.xml outlet=Aa\n", 2_000_000);
        w.reload(&mut log);
        let a = &w.status().sources[1].status;
        assert_eq!(
            (a.source.as_str(), a.outlet.as_deref(), a.etag.as_deref()),
            ("https://a.example/rss.xml", Some("Aa"), Some("\"a1\""))
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("line 1: every=soms") && n.contains("following the sources read before")),
            "{notes:?}"
        );
        assert!(notes.iter().any(|n| n.contains("read again: 2 sources")), "{notes:?}");
    }

    #[test]
    fn failures_double_the_wait_up_to_the_cap() {
        let m = Duration::from_secs(60);
        let cap = Duration::from_secs(3600);
        assert_eq!(backoff(m, 0, cap), m);
        assert_eq!(backoff(m, 1, cap), m * 2);
        assert_eq!(backoff(m, 3, cap), m * 8);
        assert_eq!(backoff(m, 10, cap), cap);
        assert_eq!(backoff(m, u32::MAX, cap), cap);
        // A cap below the interval never shortens it.
        assert_eq!(backoff(Duration::from_secs(7200), 2, cap), Duration::from_secs(7200));
    }

    #[test]
    fn a_stop_ends_a_sleep() {
        let stop = Stop::default();
        assert!(!stop.sleep(Duration::from_millis(1)));
        let other = stop.clone();
        let t = std::thread::spawn(move || other.sleep(Duration::from_secs(600)));
        stop.stop();
        assert!(t.join().unwrap());
        assert!(stop.is_stopped());
    }

    #[test]
    fn a_report_with_failures_is_partial_or_an_error_in_one_line() {
        let failure = |r: &str| Failure { file: "u".into(), record: Some("item 2".into()), reason: r.into() };
        let report = Report {
            ingested: 2,
            failed: 1,
            errors: vec![failure("no title\nor text")],
            ..Report::default()
        };
        let v = Visit::from_report(report, Some(200));
        assert_eq!((v.outcome, v.error.as_deref()), (Outcome::Partial, Some("item 2: no title or text")));
        let report = Report { failed: 2, errors: vec![failure("a"), failure("b")], ..Report::default() };
        let v = Visit::from_report(report, Some(200));
        assert_eq!(v.outcome, Outcome::Error);
        assert_eq!(v.error.as_deref(), Some("2 records could not be read; the first: item 2: a"));
    }
}
