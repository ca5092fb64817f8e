//! `storyline bench`: ingest throughput and peak memory on a generated corpus.

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use storyline_core::ingest::PrepareOptions;
use storyline_core::synth::{generate, SynthConfig};
use storyline_store::sqlite::SqliteStore;
use storyline_store::Store;

use crate::config::Config;
use crate::pipeline::{self, Input, Options};
use crate::progress::{group, Progress};

/// Options of `storyline bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// Articles to generate and ingest
    #[arg(long, default_value_t = 100_000)]
    articles: usize,
    /// Mean body size of a generated article, in bytes
    #[arg(long, default_value_t = 3_000)]
    text_bytes: usize,
    /// Seed of the generator
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Keep the generated corpus and the store in this directory instead of a temporary one
    #[arg(long, value_name = "DIR")]
    keep: Option<std::path::PathBuf>,
    /// Then serve the store on loopback and measure the pages and the API under load
    #[arg(long)]
    http: bool,
    /// With --http and --keep: load-test the store already in DIR instead of building a new one
    #[arg(long, requires_all = ["http", "keep"])]
    reuse: bool,
    /// Requests per endpoint (--http)
    #[arg(long, default_value_t = 2_000)]
    requests: usize,
    /// Client threads, each with one keep-alive connection (--http)
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Ingest with this many `storyline ingest` processes at once, each a share of the corpus
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    writers: u16,
    /// Time this JSON Lines file instead of a generated corpus (real text is what counts)
    #[arg(long, value_name = "FILE", conflicts_with = "reuse")]
    corpus: Option<std::path::PathBuf>,
}

/// The store a bench writes: the PostgreSQL database `--db` names (which must be empty), or a
/// SQLite file in the bench's directory. Returns it with a function that measures its size.
/// A bench's store, the address that opens it again, and how to measure its size in bytes.
type BenchStore = (Arc<dyn Store>, String, Box<dyn Fn() -> u64>);

fn bench_store(cfg: &Config, dir: &std::path::Path, fresh: bool) -> Result<BenchStore> {
    if let Some(address) = cfg.postgres() {
        #[cfg(feature = "postgres")]
        {
            let store = Arc::new(
                storyline_store::postgres::PgStore::open(address)
                    .with_context(|| format!("{}: cannot open store", cfg.store_name()))?,
            );
            let held = store.stats()?.articles;
            if fresh && held > 0 {
                anyhow::bail!(
                    "{}: the bench needs an empty database and this one holds {held} articles",
                    cfg.store_name()
                );
            }
            let sized = Arc::clone(&store);
            return Ok((store, address.to_string(), Box::new(move || sized.database_bytes().unwrap_or(0))));
        }
        #[cfg(not(feature = "postgres"))]
        anyhow::bail!("{address}: this storyline was built without PostgreSQL support");
    }
    let path = dir.join("bench.db");
    if fresh {
        let _ = std::fs::remove_file(&path);
    }
    let store = Arc::new(SqliteStore::open(&path)?);
    let dir = dir.to_path_buf();
    let size = move || {
        std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with("bench.db"))
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    };
    Ok((store, path.display().to_string(), Box::new(size)))
}

/// Ingests `corpus` with `writers` processes of this binary at once, each a share of its lines
/// (every `writers`-th line, so each share keeps the stream's order); returns their reports.
fn ingest_with_processes(
    db: &str,
    dir: &std::path::Path,
    corpus: &std::path::Path,
    writers: usize,
) -> Result<Vec<pipeline::Report>> {
    use std::io::BufRead;
    let mut parts: Vec<BufWriter<std::fs::File>> = Vec::new();
    let mut paths = Vec::new();
    for w in 0..writers {
        let p = dir.join(format!("share{w}.jsonl"));
        parts.push(BufWriter::new(std::fs::File::create(&p)?));
        paths.push(p);
    }
    let reader = std::io::BufReader::new(std::fs::File::open(corpus)?);
    for (i, line) in reader.lines().enumerate() {
        writeln!(parts[i % writers], "{}", line?)?;
    }
    for mut p in parts {
        p.flush()?;
    }
    let exe = std::env::current_exe().context("cannot find this program to start writers")?;
    let children = paths
        .iter()
        .map(|p| {
            std::process::Command::new(&exe)
                .args(["--db", db, "ingest", "--json", "--quiet"])
                .arg(p)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .context("cannot start a writer")
        })
        .collect::<Result<Vec<_>>>()?;
    let mut reports = Vec::new();
    for child in children {
        let out = child.wait_with_output()?;
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).context("a writer's report")?;
        reports.push(pipeline::Report {
            ingested: report["ingested"].as_u64().unwrap_or(0),
            near_duplicates: report["near_duplicates"].as_u64().unwrap_or(0),
            duplicates: report["duplicates"].as_u64().unwrap_or(0),
            failed: report["failed"].as_u64().unwrap_or(0),
            store_s: report["store_s"].as_f64().unwrap_or(0.0),
            peak_rss_kib: report["peak_rss_kib"].as_u64(),
            ..Default::default()
        });
    }
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
    Ok(reports)
}

/// Peak and current resident memory of this process in KiB, from /proc (Linux).
pub fn memory_kib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

/// Resets the peak-memory mark so a phase can be measured on its own (Linux; ignored elsewhere).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The time per stage, for the text report.
fn print_stages(report: &pipeline::Report) {
    let st = &report.stages;
    let secs = |v: Option<f64>| v.map_or("?".to_string(), |s| format!("{s:.2}s"));
    if let Some(cpu) = st.process_cpu_s {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        println!(
            "  cpu         {cpu:.2}s over {:.2}s: {:.2} of {cores} cores busy",
            report.elapsed_s,
            cpu / report.elapsed_s.max(1e-9)
        );
    }
    let steps = |m: &std::collections::BTreeMap<&'static str, f64>, order: &[&str]| {
        order
            .iter()
            .filter_map(|k| m.get(k).map(|v| format!("{} {v:.2}s", k.replace('_', " "))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("  reading     {} cpu (one thread)", secs(st.read_cpu_s));
    println!(
        "  preparing   {} cpu (the workers): {}",
        secs(st.prepare_cpu_s),
        steps(
            &st.prepare,
            &["article", "signature", "analysis", "features", "search_terms", "dossier_terms"]
        )
    );
    println!(
        "  writing     {} cpu (one thread): {}",
        secs(st.store_cpu_s),
        steps(
            &st.store,
            &[
                "catch_up",
                "duplicates",
                "near_duplicates",
                "articles",
                "stories",
                "analyses",
                "search_index",
                "signatures",
                "discrepancies",
                "commit"
            ]
        )
    );
}

/// Writes the generated corpus into `dir`; returns its path and size in bytes.
fn generate_corpus(
    dir: &std::path::Path,
    args: &BenchArgs,
    as_json: bool,
) -> Result<(std::path::PathBuf, u64)> {
    let corpus = dir.join("corpus.jsonl");
    let synth = SynthConfig {
        seed: args.seed,
        articles: args.articles,
        mean_text_bytes: args.text_bytes,
        ..SynthConfig::default()
    };
    let started = Instant::now();
    let mut bytes = 0u64;
    {
        let mut out = BufWriter::new(
            std::fs::File::create(&corpus).with_context(|| format!("{}: cannot create", corpus.display()))?,
        );
        for a in generate(&synth) {
            let line = a.to_json_line();
            bytes += line.len() as u64 + 1;
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    }
    let generate_s = started.elapsed().as_secs_f64();
    if !as_json {
        eprintln!(
            "generated {} articles ({:.1} MB) in {:.1}s; ingesting…",
            group(args.articles as u64),
            bytes as f64 / 1e6,
            generate_s
        );
    }
    Ok((corpus, bytes))
}

/// Runs the benchmark.
pub fn run(cfg: &Config, args: &BenchArgs, as_json: bool) -> Result<ExitCode> {
    let temp = tempfile::tempdir().context("cannot create a temporary directory")?;
    let dir_path = match &args.keep {
        Some(d) => {
            std::fs::create_dir_all(d).with_context(|| format!("{}: cannot create", d.display()))?;
            d.clone()
        }
        None => temp.path().to_path_buf(),
    };
    let dir = dir_path.as_path();
    let http = |store: Arc<dyn Store>| {
        crate::bench_http::run(store, cfg, args.requests.max(1), args.clients.max(1), as_json)
    };
    if args.reuse {
        http(bench_store(cfg, dir, false)?.0)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (corpus, bytes, what) = match &args.corpus {
        Some(file) => {
            let text = std::fs::read(file).with_context(|| format!("{}: cannot read", file.display()))?;
            let records =
                text.split(|&b| b == b'\n').filter(|l| l.iter().any(|b| !b.is_ascii_whitespace())).count();
            let what = format!("{} ({} records)", file.display(), group(records as u64));
            (file.clone(), text.len() as u64, what)
        }
        None => {
            let (corpus, bytes) = generate_corpus(dir, args, as_json)?;
            let what =
                format!("{} generated articles of ~{} bytes", group(args.articles as u64), args.text_bytes);
            (corpus, bytes, what)
        }
    };
    let (store, db_name, store_size) = bench_store(cfg, dir, true)?;
    let opts = Options::new(cfg, PrepareOptions::default(), None);
    reset_peak();
    let before = memory_kib();
    let mut store = Some(store);
    let report = if args.writers > 1 {
        // Several processes: the store opened here only measures (and is closed meanwhile, so a
        // SQLite file has no idle connection of ours).
        store = None;
        let started = Instant::now();
        let reports = ingest_with_processes(&db_name, dir, &corpus, usize::from(args.writers))?;
        let mut r = pipeline::Report::default();
        for x in &reports {
            r.ingested += x.ingested;
            r.near_duplicates += x.near_duplicates;
            r.duplicates += x.duplicates;
            r.failed += x.failed;
            r.store_s = r.store_s.max(x.store_s);
            r.peak_rss_kib = r.peak_rss_kib.max(x.peak_rss_kib);
        }
        r.elapsed_s = started.elapsed().as_secs_f64();
        r.articles_per_s = (r.ingested + r.duplicates) as f64 / r.elapsed_s.max(1e-9);
        r
    } else {
        let mut progress = Progress::new("bench", !as_json);
        let store = store.as_deref().expect("kept for one writer");
        pipeline::run(store, vec![Input::File(corpus.clone())], opts, &mut progress, false)?
    };
    let after = if args.writers > 1 { report.peak_rss_kib.map(|p| (p, p)) } else { memory_kib() };
    // Closed first, as `storyline ingest` leaves it: an SQLite store folds its write-ahead log
    // back when its last writer closes, so what is measured is the store, not the log.
    drop(store);
    let db_bytes = store_size();
    let mb_per_s = bytes as f64 / 1e6 / report.elapsed_s;
    let peak_mib = after.map(|(peak, _)| peak as f64 / 1024.0);
    let start_mib = before.map(|(_, rss)| rss as f64 / 1024.0);
    if as_json {
        let v = serde_json::json!({
            "articles": report.ingested + report.duplicates + report.revised + report.failed,
            "ingested": report.ingested,
            "near_duplicates": report.near_duplicates,
            "duplicates": report.duplicates,
            "failed": report.failed,
            "input_mb": bytes as f64 / 1e6,
            "elapsed_s": report.elapsed_s,
            "store_s": report.store_s,
            "articles_per_s": report.articles_per_s,
            "mb_per_s": mb_per_s,
            "peak_rss_mib": peak_mib,
            "rss_before_mib": start_mib,
            "store_mb": db_bytes as f64 / 1e6,
            "store_bytes_per_article": db_bytes as f64 / (report.ingested.max(1) as f64),
            "writers": args.writers,
            "corpus": what,
            "cpu_utilisation": report.stages.process_cpu_s.map(|c| c / report.elapsed_s.max(1e-9)),
            "stages": report.stages,
            "store": if cfg.postgres().is_some() { "postgres" } else { "sqlite" },
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("ingest bench: {what} (JSON Lines, {:.1} MB)", bytes as f64 / 1e6);
        println!(
            "  stored      {} ({} near-duplicates, {} duplicates, {} failed)",
            group(report.ingested),
            group(report.near_duplicates),
            group(report.duplicates),
            group(report.failed)
        );
        println!(
            "  time        {:.2}s ({:.2}s of it writing to the store)",
            report.elapsed_s, report.store_s
        );
        println!("  throughput  {} articles/s, {:.1} MB/s", group(report.articles_per_s as u64), mb_per_s);
        if args.writers == 1 {
            print_stages(&report);
        }
        if let (Some(peak), Some(start)) = (peak_mib, start_mib) {
            println!("  memory      peak {peak:.1} MiB resident during ingest (started at {start:.1} MiB)");
        }
        println!(
            "  store       {:.1} MB on disk, {:.1} KB per article ({}, {} writer process{})",
            db_bytes as f64 / 1e6,
            db_bytes as f64 / 1e3 / (report.ingested.max(1) as f64),
            if cfg.postgres().is_some() { "PostgreSQL" } else { "SQLite" },
            args.writers,
            if args.writers == 1 { "" } else { "es" }
        );
    }
    if args.http {
        http(bench_store(cfg, dir, false)?.0)?;
    }
    Ok(if report.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
