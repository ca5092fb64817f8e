//! The ingest pipeline: walk the inputs, read and prepare articles on a worker thread, write
//! them to the store in batches on this one, and report every failure by file and record.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use storyline_core::ingest::prepare::{prepare_with_signature, Prepared};
use storyline_core::ingest::{read_fetched, read_stream, Format, IngestError, PrepareOptions, RecordError};
use storyline_store::{IngestOutcome, IngestSettings, Store, StoreError};

use crate::progress::Progress;

/// One thing to read.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file on disk.
    File(PathBuf),
    /// Standard input (JSON Lines unless `--format` says otherwise).
    Stdin,
    /// Bytes in memory under a display name (the bundled demo corpus).
    Memory(String, &'static [u8]),
    /// A document fetched over HTTP, in the format judged from it.
    Fetched {
        /// The address it came from (after redirects), its name in reports.
        address: String,
        /// The answer's `Content-Type` (its charset decodes a page).
        content_type: Option<String>,
        /// The body.
        bytes: Vec<u8>,
        /// The format to read it as.
        format: Format,
    },
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".into(),
            Input::Memory(name, _) => name.clone(),
            Input::Fetched { address, .. } => address.clone(),
        }
    }

    fn size(&self) -> u64 {
        match self {
            Input::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Input::Stdin => 0,
            Input::Memory(_, b) => b.len() as u64,
            Input::Fetched { bytes, .. } => bytes.len() as u64,
        }
    }
}

/// Expands paths: files as given, directories walked recursively (sorted, hidden entries
/// skipped, only files whose extension names a known format), `-` for standard input.
/// Paths that do not exist are returned as failures.
pub fn expand(paths: &[PathBuf]) -> (Vec<Input>, Vec<Failure>) {
    let mut inputs = Vec::new();
    let mut failures = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, &mut failures, &mut Visited::default());
            found.sort();
            inputs.extend(found.into_iter().map(Input::File));
        } else if p.exists() {
            inputs.push(Input::File(p.clone()));
        } else {
            failures.push(Failure {
                file: p.display().to_string(),
                record: None,
                reason: "no such file or directory".into(),
            });
        }
    }
    (inputs, failures)
}

/// The directories and files a walk has been through, by their canonical paths.
#[derive(Default)]
struct Visited {
    dirs: std::collections::HashSet<PathBuf>,
    files: std::collections::HashSet<PathBuf>,
}

/// Walks a directory, following symbolic links: each directory and file is read once however
/// many links lead to it, so a link back up the tree (a cycle) ends the walk there.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, failures: &mut Vec<Failure>, visited: &mut Visited) {
    match std::fs::canonicalize(dir) {
        Ok(real) => {
            if !visited.dirs.insert(real) {
                return;
            }
        }
        Err(e) => {
            failures.push(Failure {
                file: dir.display().to_string(),
                record: None,
                reason: format!("cannot resolve directory: {e}"),
            });
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            failures.push(Failure {
                file: dir.display().to_string(),
                record: None,
                reason: format!("cannot list directory: {e}"),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, out, failures, visited);
        } else if Format::from_path(&path.to_string_lossy()).is_some() {
            // A file two links lead to is read once (a dangling link is read, and reported).
            if std::fs::canonicalize(&path).map_or(true, |real| visited.files.insert(real)) {
                out.push(path);
            }
        }
    }
}

/// A failed file or record.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The file.
    pub file: String,
    /// The record in it (`line 3`, `item 2`, `offset 1024`), when one record failed.
    pub record: Option<String>,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.record {
            Some(r) => write!(f, "{}: {}: {}", self.file, r, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// The counts an ingest reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Files (or streams) read.
    pub files: u64,
    /// Articles stored as new.
    pub ingested: u64,
    /// Of those, linked to an earlier near-duplicate.
    pub near_duplicates: u64,
    /// Articles already stored (same id, URL or text).
    pub duplicates: u64,
    /// New versions of stored articles (same id or URL, changed text or title), kept in their
    /// history; counted apart from duplicates.
    pub revised: u64,
    /// Of those, records found stored before they were analysed (a resumed or repeated
    /// ingest), which cost a look-up instead of an analysis.
    pub already_stored: u64,
    /// Of those, another outlet or URL running the same text, recorded as a sighting.
    pub sightings_added: u64,
    /// Files and records that could not be read.
    pub failed: u64,
    /// Each failure.
    pub errors: Vec<Failure>,
    /// Seconds taken.
    pub elapsed_s: f64,
    /// Articles read per second (stored, revised and duplicates).
    pub articles_per_s: f64,
    /// Seconds spent writing to the store (the rest is reading, parsing and preparing, which
    /// overlaps with writing on another thread).
    pub store_s: f64,
    /// The process's peak resident memory in KiB at the end of the run (Linux).
    pub peak_rss_kib: Option<u64>,
    /// Where the time went, stage by stage.
    pub stages: Stages,
}

/// The time of an ingest by stage: CPU seconds of the threads of each stage (Linux; `None`
/// elsewhere), and wall seconds of the steps within preparing (summed over the workers) and
/// within writing.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stages {
    /// CPU seconds (user and system) of the whole process over the run.
    pub process_cpu_s: Option<f64>,
    /// CPU seconds of the reading thread: files opened, decompressed and parsed into records.
    pub read_cpu_s: Option<f64>,
    /// CPU seconds of the preparing threads: ids, signatures, analysis, features, terms.
    pub prepare_cpu_s: Option<f64>,
    /// CPU seconds of the writing thread: the store's transaction.
    pub store_cpu_s: Option<f64>,
    /// Seconds of each step of preparing, summed over the articles.
    pub prepare: BTreeMap<&'static str, f64>,
    /// Seconds of each stage of writing, summed over the batches.
    pub store: BTreeMap<&'static str, f64>,
}

/// CPU nanoseconds the calling thread has run (Linux: `/proc/thread-self/schedstat`).
pub fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

/// CPU seconds (user and system) the process has used (Linux: `/proc/self/stat`, in clock
/// ticks of 1/100 s).
pub fn process_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok());
    // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after it.
    Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
}

/// How to run an ingest.
pub struct Options {
    /// What to fill in for articles that lack it.
    pub prepare: PrepareOptions,
    /// `--format`.
    pub format: Option<Format>,
    /// Articles per transaction.
    pub batch_size: usize,
    /// Largest record.
    pub max_record_bytes: usize,
    /// Store settings.
    pub settings: IngestSettings,
}

impl Options {
    /// The options the settings give, with what to fill in and an optional forced format.
    pub fn new(cfg: &crate::config::Config, prepare: PrepareOptions, format: Option<Format>) -> Self {
        Options {
            prepare,
            format,
            batch_size: cfg.batch_size,
            max_record_bytes: cfg.max_record_bytes,
            settings: cfg.ingest_settings(),
        }
    }
}

enum Msg {
    /// Prepared articles of chunk `n`, in input order within the chunk.
    Prepared(u64, Vec<Prepared>),
    /// A record already stored (same id, same text), found before analysing it.
    Known,
    Failed(Failure),
    FileDone,
    /// A worker's CPU nanoseconds and its articles' preparing steps, when it stops.
    PrepareDone(Option<u64>, storyline_core::ingest::prepare::PrepareTimings),
    /// The reader's CPU nanoseconds, when it stops.
    ReadDone(Option<u64>),
}

/// A raw record read but not yet prepared, with the file it came from and its place there
/// (`line 3`; `None` for a file that is one record).
struct Pending {
    raw: storyline_core::RawArticle,
    file: String,
    record: Option<String>,
}

/// Raw records read but not yet prepared: chunk number and records.
type RawChunk = (u64, Vec<Pending>);

/// Records per unit of work handed to a prepare worker.
const CHUNK: usize = 32;

struct CountingReader<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A reader of a file, standard input or bytes in memory.
fn open(input: &Input) -> io::Result<Box<dyn Read + '_>> {
    Ok(match input {
        Input::File(p) => Box::new(File::open(p)?),
        Input::Stdin => Box::new(io::stdin().lock()),
        Input::Memory(_, bytes) => Box::new(*bytes),
        Input::Fetched { bytes, .. } => Box::new(&bytes[..]),
    })
}

/// Reads every input and hands raw records, in chunks, to the prepare workers.
fn read_inputs(
    inputs: Vec<Input>,
    opts: &Options,
    bytes_read: Arc<AtomicU64>,
    tx: SyncSender<Msg>,
    work: SyncSender<RawChunk>,
) {
    let cpu = thread_cpu_ns();
    read_all(inputs, opts, bytes_read, tx.clone(), work);
    let _ = tx.send(Msg::ReadDone(cpu.zip(thread_cpu_ns()).map(|(a, b)| b.saturating_sub(a))));
}

/// The reading itself (see [`read_inputs`]).
fn read_all(
    inputs: Vec<Input>,
    opts: &Options,
    bytes_read: Arc<AtomicU64>,
    tx: SyncSender<Msg>,
    work: SyncSender<RawChunk>,
) {
    let mut chunk: Vec<Pending> = Vec::with_capacity(CHUNK);
    let mut chunk_no = 0u64;
    // Set when a send finds nobody receiving: the run stopped, reading stops too.
    let mut stopped = false;
    for input in inputs {
        let name = input.name();
        let format = match (&input, opts.format) {
            (_, Some(f)) => Some(f),
            (Input::Stdin, None) => Some(Format::JsonLines),
            _ => None,
        };
        let mut emit = |record: Result<storyline_core::RawArticle, RecordError>| match record {
            Ok(raw) => {
                let record = match raw.locator {
                    Some(storyline_core::Locator::Whole) | None => None,
                    Some(loc) => Some(loc.to_string()),
                };
                if stopped {
                    return;
                }
                chunk.push(Pending { raw, file: name.clone(), record });
                if chunk.len() >= CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                    // The workers are gone only when the run stopped (a store error).
                    stopped |= work.send((chunk_no, full)).is_err();
                    chunk_no += 1;
                }
            }
            Err(e) => {
                stopped |= tx
                    .send(Msg::Failed(Failure {
                        file: name.clone(),
                        record: Some(e.locator.to_string()),
                        reason: e.reason,
                    }))
                    .is_err();
            }
        };
        let result = match &input {
            Input::Fetched { address, content_type, bytes, format: judged } => {
                bytes_read.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                let format = opts.format.unwrap_or(*judged);
                read_fetched(
                    address,
                    content_type.as_deref(),
                    bytes,
                    format,
                    opts.max_record_bytes,
                    &mut emit,
                )
            }
            _ => match open(&input) {
                Ok(reader) => {
                    let reader = CountingReader { inner: reader, counter: bytes_read.clone() };
                    read_stream(&name, reader, format, opts.max_record_bytes, &mut emit)
                }
                Err(e) => {
                    let reason = format!("cannot open: {e}");
                    if tx.send(Msg::Failed(Failure { file: name.clone(), record: None, reason })).is_err() {
                        return;
                    }
                    continue;
                }
            },
        };
        if stopped {
            return;
        }
        if let Err(e) = result {
            let reason = match &e {
                IngestError::Io(io) if io.kind() == io::ErrorKind::InvalidData => {
                    format!("cannot read: {io}")
                }
                _ => e.to_string(),
            };
            if tx.send(Msg::Failed(Failure { file: name.clone(), record: None, reason })).is_err() {
                return;
            }
        }
        if tx.send(Msg::FileDone).is_err() {
            return;
        }
    }
    if !chunk.is_empty() {
        let _ = work.send((chunk_no, chunk));
    }
}

/// Prepares (and analyses) chunks of raw records until the reader is done. A record whose
/// analysis fails is reported by file and record; the rest of its chunk goes on.
///
/// With `known` (the store held articles when the run began), a record whose id and text are
/// stored already is counted as a duplicate without being analysed: resuming an interrupted
/// ingest costs a look-up per stored record, not an analysis.
fn prepare_chunks(
    work: Arc<Mutex<Receiver<RawChunk>>>,
    opts: &Options,
    known: Option<&dyn Store>,
    tx: SyncSender<Msg>,
) {
    let cpu = thread_cpu_ns();
    let mut steps = storyline_core::ingest::prepare::PrepareTimings::default();
    prepare_all(work, opts, known, tx.clone(), &mut steps);
    let _ = tx.send(Msg::PrepareDone(cpu.zip(thread_cpu_ns()).map(|(a, b)| b.saturating_sub(a)), steps));
}

/// The preparing itself (see [`prepare_chunks`]), adding each article's steps to `steps`.
fn prepare_all(
    work: Arc<Mutex<Receiver<RawChunk>>>,
    opts: &Options,
    known: Option<&dyn Store>,
    tx: SyncSender<Msg>,
    steps: &mut storyline_core::ingest::prepare::PrepareTimings,
) {
    loop {
        let next = work.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok((n, raws)) = next else { return };
        let mut prepared = Vec::with_capacity(raws.len());
        for Pending { raw, file, record } in raws {
            if let Some(store) = known {
                let probe = storyline_core::ingest::prepare(raw.clone(), &opts.prepare);
                // A failed look-up only means the record is analysed as usual.
                if store.has_article(&probe).unwrap_or(false) {
                    if tx.send(Msg::Known).is_err() {
                        return;
                    }
                    continue;
                }
            }
            let origin = match &record {
                Some(r) => format!("{file}: {r}"),
                None => file.clone(),
            };
            match prepare_with_signature(raw, &opts.prepare, Some(origin)) {
                Ok(p) => {
                    steps.add(&p.timings);
                    prepared.push(p);
                }
                Err(e) => {
                    if tx.send(Msg::Failed(Failure { file, record, reason: e.to_string() })).is_err() {
                        return;
                    }
                }
            }
        }
        if tx.send(Msg::Prepared(n, prepared)).is_err() {
            return;
        }
    }
}

/// Writes one batch and counts what happened; returns how many articles it held.
fn write(
    store: &dyn Store,
    opts: &Options,
    batch: Vec<Prepared>,
    report: &mut Report,
) -> Result<u64, StoreError> {
    let write_started = Instant::now();
    let outcomes = store.ingest(&batch, &opts.settings)?;
    report.store_s += write_started.elapsed().as_secs_f64();
    for o in &outcomes {
        match o {
            IngestOutcome::Inserted { near_duplicate_of, .. } => {
                report.ingested += 1;
                report.near_duplicates += u64::from(near_duplicate_of.is_some());
            }
            IngestOutcome::Duplicate { sighting_added, .. } => {
                report.duplicates += 1;
                report.sightings_added += u64::from(*sighting_added);
            }
            IngestOutcome::Revised { .. } => report.revised += 1,
        }
    }
    Ok(outcomes.len() as u64)
}

/// Runs an ingest. Failures are printed to standard error as they happen unless `quiet`;
/// a store failure stops the run (the batch in progress is rolled back, earlier ones stand).
pub fn run(
    store: &dyn Store,
    inputs: Vec<Input>,
    opts: Options,
    progress: &mut Progress,
    quiet: bool,
) -> Result<Report, StoreError> {
    let started = Instant::now();
    let total_bytes: u64 = inputs.iter().map(Input::size).sum();
    let bytes_read = Arc::new(AtomicU64::new(0));
    let mut report = Report::default();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).max(1);
    // Room for a whole batch of prepared chunks: while one batch is written, the workers
    // prepare the next instead of waiting for the writer (memory: one batch more).
    let (tx, rx): (SyncSender<Msg>, Receiver<Msg>) =
        sync_channel((opts.batch_size.div_ceil(CHUNK) + workers).max(4));
    let (work_tx, work_rx) = sync_channel::<RawChunk>(workers * 2);
    // The workers share the work queue; when the last of them stops, the queue closes and the
    // reader, finding nobody to hand work to, stops too.
    let work_rx = Arc::new(Mutex::new(work_rx));
    // Whether the store holds anything: one row of the newest-first listing (an index read).
    let one = storyline_store::ArticleFilter { limit: Some(1), ..Default::default() };
    let known = store.articles(&one).map(|a| !a.is_empty()).unwrap_or(true).then_some(store);
    let (cpu_before, writes_before) = (process_cpu_s(), store.write_timings());
    let writer_cpu = thread_cpu_ns();
    let mut prepare_cpu: Option<u64> = Some(0);
    let mut steps = storyline_core::ingest::prepare::PrepareTimings::default();
    let result = std::thread::scope(|scope| {
        let counter = bytes_read.clone();
        let opts_ref = &opts;
        for _ in 0..workers {
            let tx = tx.clone();
            let work_rx = Arc::clone(&work_rx);
            scope.spawn(move || prepare_chunks(work_rx, opts_ref, known, tx));
        }
        drop(work_rx);
        scope.spawn(move || read_inputs(inputs, opts_ref, counter, tx, work_tx));
        // This thread owns the receiving end: leaving on a store error drops it, every send
        // after that fails, and the other threads stop (the scope waits for them).
        let rx = rx;
        let mut seen: u64 = 0;
        // Chunks come back from the workers in any order; they are stored in input order.
        let mut pending: BTreeMap<u64, Vec<Prepared>> = BTreeMap::new();
        let mut next_chunk = 0u64;
        let mut batch: Vec<Prepared> = Vec::with_capacity(opts.batch_size);
        loop {
            let msg = match rx.recv_timeout(Duration::from_millis(150)) {
                Ok(m) => m,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    progress.update(seen, bytes_read.load(Ordering::Relaxed), total_bytes);
                    continue;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    if !batch.is_empty() {
                        write(store, &opts, std::mem::take(&mut batch), &mut report)?;
                    }
                    break;
                }
            };
            match msg {
                Msg::Prepared(n, prepared) => {
                    pending.insert(n, prepared);
                    while let Some(ready) = pending.remove(&next_chunk) {
                        next_chunk += 1;
                        batch.extend(ready);
                        // Batches of exactly `batch_size`: one transaction each.
                        while batch.len() >= opts.batch_size {
                            let rest = batch.split_off(opts.batch_size);
                            seen += write(store, &opts, std::mem::replace(&mut batch, rest), &mut report)?;
                        }
                    }
                }
                Msg::Failed(f) => {
                    if !quiet {
                        progress.clear();
                        eprintln!("{f}");
                    }
                    report.failed += 1;
                    report.errors.push(f);
                }
                Msg::FileDone => report.files += 1,
                Msg::ReadDone(cpu) => report.stages.read_cpu_s = cpu.map(|ns| ns as f64 / 1e9),
                Msg::PrepareDone(cpu, worker) => {
                    prepare_cpu = prepare_cpu.zip(cpu).map(|(a, b)| a + b);
                    steps.add(&worker);
                }
                Msg::Known => {
                    report.duplicates += 1;
                    report.already_stored += 1;
                    seen += 1;
                }
            }
            progress.update(seen, bytes_read.load(Ordering::Relaxed), total_bytes);
        }
        Ok::<(), StoreError>(())
    });
    progress.clear();
    result?;
    if report.ingested > 0 {
        // The next writing process goes on from this one's clusterer; without it, it rebuilds
        // one (slower, never wrong).
        if let Err(e) = store.save_clusterer() {
            tracing::warn!("the clusterer's state was not saved for the next ingest: {e}");
        }
    }
    report.elapsed_s = started.elapsed().as_secs_f64();
    report.peak_rss_kib = crate::bench::memory_kib().map(|(peak, _)| peak);
    let stages = &mut report.stages;
    stages.process_cpu_s = cpu_before.zip(process_cpu_s()).map(|(a, b)| b - a);
    stages.store_cpu_s = writer_cpu.zip(thread_cpu_ns()).map(|(a, b)| b.saturating_sub(a) as f64 / 1e9);
    stages.prepare_cpu_s = prepare_cpu.map(|ns| ns as f64 / 1e9);
    stages.prepare = steps.steps().into_iter().collect();
    // This run's share: the store may have written before.
    let writes = store.write_timings().since(&writes_before);
    stages.store = writes.stages().into_iter().collect();
    let n = report.ingested + report.duplicates + report.revised;
    report.articles_per_s = if report.elapsed_s > 0.0 { n as f64 / report.elapsed_s } else { 0.0 };
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_core::analyze::Analysis;
    use storyline_core::Article;
    use storyline_store::sqlite::SqliteStore;
    use storyline_store::*;

    /// A store whose writes fail from the `fail_from`-th on (a locked database, a full disk).
    struct Failing {
        inner: SqliteStore,
        writes: std::sync::atomic::AtomicUsize,
        fail_from: usize,
    }

    impl Store for Failing {
        fn ingest(&self, batch: &[Prepared], s: &IngestSettings) -> Result<Vec<IngestOutcome>, StoreError> {
            if self.writes.fetch_add(1, Ordering::SeqCst) + 1 >= self.fail_from {
                return Err(StoreError::Corrupt("database is locked".into()));
            }
            self.inner.ingest(batch, s)
        }
        fn article(&self, id: &str) -> Result<Option<ArticleRecord>, StoreError> {
            self.inner.article(id)
        }
        fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
            self.inner.ids_with_prefix(prefix, limit)
        }
        fn articles(&self, f: &ArticleFilter) -> Result<Vec<ArticleSummary>, StoreError> {
            self.inner.articles(f)
        }
        fn stats(&self) -> Result<StoreStats, StoreError> {
            self.inner.stats()
        }
        fn stories(&self, f: &StoryFilter) -> Result<Vec<StorySummary>, StoreError> {
            self.inner.stories(f)
        }
        fn story_articles(&self, story: i64) -> Result<Vec<ArticleSummary>, StoreError> {
            self.inner.story_articles(story)
        }
        fn story_records(&self, story: i64) -> Result<Vec<(Article, Option<Analysis>)>, StoreError> {
            self.inner.story_records(story)
        }
        fn resolve_story(&self, id: i64) -> Result<Option<i64>, StoreError> {
            self.inner.resolve_story(id)
        }
        fn recluster(&self, s: &IngestSettings) -> Result<ReclusterReport, StoreError> {
            self.inner.recluster(s)
        }
        fn search(&self, q: &SearchQuery) -> Result<SearchResults, StoreError> {
            self.inner.search(q)
        }
        fn check(&self, repair: bool) -> Result<CheckReport, StoreError> {
            self.inner.check(repair)
        }
        fn correct(
            &self,
            c: &corrections::Correction,
            author: &str,
        ) -> Result<corrections::CorrectionEvent, StoreError> {
            self.inner.correct(c, author)
        }
        fn corrections(
            &self,
            f: &corrections::CorrectionFilter,
        ) -> Result<Vec<corrections::CorrectionEvent>, StoreError> {
            self.inner.corrections(f)
        }
    }

    /// Many more records than the queues between the threads hold, so every thread is
    /// blocked on a full queue when the store fails.
    fn many_records(n: usize) -> &'static [u8] {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(&format!(
                "{{\"id\":\"r{i}\",\"language\":\"nl\",\"text\":\"Bericht {i}: de brug bij Zwolle blijft dicht tot week {i}.\"}}\n"
            ));
        }
        Box::leak(s.into_bytes().into_boxed_slice())
    }

    #[test]
    fn a_store_error_stops_the_run_and_is_returned_instead_of_hanging() {
        for fail_from in [1, 2, 5] {
            let (done_tx, done_rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let store = Failing {
                    inner: SqliteStore::open_in_memory().unwrap(),
                    writes: Default::default(),
                    fail_from,
                };
                let opts = Options {
                    prepare: PrepareOptions::default(),
                    format: None,
                    batch_size: 4,
                    max_record_bytes: 1 << 20,
                    settings: IngestSettings::default(),
                };
                let inputs = vec![Input::Memory("many.jsonl".into(), many_records(3000))];
                let result = run(&store, inputs, opts, &mut Progress::new("test", false), true);
                let stored = store.inner.stats().unwrap().articles;
                let _ = done_tx.send((result.map(|r| r.ingested).map_err(|e| e.to_string()), stored));
            });
            // A bound on waiting, so a hang fails the test instead of stalling it.
            let (result, stored) = done_rx.recv_timeout(Duration::from_secs(120)).unwrap_or_else(|_| {
                panic!("the run did not stop after the store failed (write {fail_from})")
            });
            let e = result.expect_err("the store error is the run's result");
            assert!(e.contains("database is locked"), "{e}");
            // The batches before the failing one stand.
            assert_eq!(stored, 4 * (fail_from as u64 - 1));
        }
    }

    #[test]
    fn a_repeated_ingest_finds_what_is_stored_before_analysing_it() {
        let store = SqliteStore::open_in_memory().unwrap();
        let opts = || Options {
            prepare: PrepareOptions::default(),
            format: None,
            batch_size: 16,
            max_record_bytes: 1 << 20,
            settings: IngestSettings::default(),
        };
        let records = many_records(100);
        let first = run(
            &store,
            vec![Input::Memory("r.jsonl".into(), records)],
            opts(),
            &mut Progress::new("t", false),
            true,
        )
        .unwrap();
        assert_eq!((first.ingested, first.already_stored), (100, 0));
        let again = run(
            &store,
            vec![Input::Memory("r.jsonl".into(), records)],
            opts(),
            &mut Progress::new("t", false),
            true,
        )
        .unwrap();
        assert_eq!((again.ingested, again.duplicates, again.already_stored), (0, 100, 100));
        // The same texts from another outlet are analysed and stored as sightings, not skipped.
        let mut other = opts();
        other.prepare.source = Some("Ander Blad".into());
        let elsewhere = run(
            &store,
            vec![Input::Memory("r.jsonl".into(), records)],
            other,
            &mut Progress::new("t", false),
            true,
        )
        .unwrap();
        assert_eq!((elsewhere.duplicates, elsewhere.already_stored), (100, 0));
    }

    #[test]
    fn a_walk_follows_links_once_and_ends_at_a_cycle() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("one.txt"), "Een.").unwrap();
        std::fs::write(b.join("two.txt"), "Twee.").unwrap();
        // a/to-b -> b and b/to-a -> a: a loop; a/two.txt -> b/two.txt: a file two ways.
        std::os::unix::fs::symlink(&b, a.join("to-b")).unwrap();
        std::os::unix::fs::symlink(&a, b.join("to-a")).unwrap();
        std::os::unix::fs::symlink(b.join("two.txt"), a.join("two.txt")).unwrap();
        std::os::unix::fs::symlink(&a, a.join("self")).unwrap();
        let (inputs, failures) = expand(std::slice::from_ref(&a));
        assert!(failures.is_empty(), "{failures:?}");
        let mut names: Vec<String> = inputs
            .iter()
            .map(|i| std::fs::canonicalize(PathBuf::from(i.name())).unwrap().display().to_string())
            .collect();
        names.sort();
        let want = {
            let mut w = vec![
                std::fs::canonicalize(a.join("one.txt")).unwrap().display().to_string(),
                std::fs::canonicalize(b.join("two.txt")).unwrap().display().to_string(),
            ];
            w.sort();
            w
        };
        assert_eq!(names, want);
    }
}
