//! `storyline bench`: ingest throughput and peak memory on a generated corpus.

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use storyline_core::ingest::PrepareOptions;
use storyline_core::synth::{generate, SynthConfig};
use storyline_store::sqlite::SqliteStore;

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
    let http = |dir: &std::path::Path| {
        crate::bench_http::run(&dir.join("bench.db"), cfg, args.requests.max(1), args.clients.max(1), as_json)
    };
    if args.reuse {
        http(dir)?;
        return Ok(ExitCode::SUCCESS);
    }
    let corpus = dir.join("corpus.jsonl");
    let _ = std::fs::remove_file(dir.join("bench.db"));
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
    let store = SqliteStore::open(&dir.join("bench.db"))?;
    let opts = Options::new(cfg, PrepareOptions::default(), None);
    reset_peak();
    let before = memory_kib();
    let mut progress = Progress::new("bench", !as_json);
    let report = pipeline::run(&store, vec![Input::File(corpus)], opts, &mut progress, false)?;
    let after = memory_kib();
    let db_bytes: u64 = std::fs::read_dir(dir)?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("bench.db"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    let mb_per_s = bytes as f64 / 1e6 / report.elapsed_s;
    let peak_mib = after.map(|(peak, _)| peak as f64 / 1024.0);
    let start_mib = before.map(|(_, rss)| rss as f64 / 1024.0);
    if as_json {
        let v = serde_json::json!({
            "articles": args.articles,
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
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "ingest bench: {} articles of ~{} bytes (JSON Lines, {:.1} MB)",
            group(args.articles as u64),
            args.text_bytes,
            bytes as f64 / 1e6
        );
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
        if let (Some(peak), Some(start)) = (peak_mib, start_mib) {
            println!("  memory      peak {peak:.1} MiB resident during ingest (started at {start:.1} MiB)");
        }
        println!("  store       {:.1} MB on disk", db_bytes as f64 / 1e6);
    }
    if args.http {
        http(dir)?;
    }
    Ok(if report.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
