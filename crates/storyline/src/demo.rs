//! `storyline demo`: the bundled demo corpus, ingested into a demo store and summarised.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use storyline_core::ingest::PrepareOptions;
use storyline_store::sqlite::SqliteStore;
use storyline_store::{ArticleFilter, Store, StoryFilter};

use crate::config::Config;
use crate::pipeline::{self, Input, Options};
use crate::progress::Progress;
use crate::serve::Busy;
use crate::show;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// The demo store, unless `--db` (or the settings) name another.
pub const DEMO_DB: &str = "storyline-demo.db";

/// The bundled corpus as pipeline inputs, named `demo/<path>`.
pub fn inputs() -> Vec<Input> {
    DEMO_FILES.iter().map(|(path, bytes)| Input::Memory(format!("demo/{path}"), bytes)).collect()
}

/// Options of `storyline demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Print the stories and exit instead of serving them
    #[arg(long)]
    no_serve: bool,
    /// Address to serve on [default: 127.0.0.1:8080, or a free port when that is taken]
    #[arg(long, value_name = "ADDR")]
    addr: Option<String>,
}

/// Runs the demo.
pub fn run(cfg: &Config, args: &DemoArgs, as_json: bool, quiet: bool) -> Result<ExitCode> {
    let code = show_demo(cfg, as_json, quiet)?;
    if args.no_serve {
        return Ok(code);
    }
    let db = if cfg.db_explicit { cfg.db.clone() } else { PathBuf::from(DEMO_DB) };
    let store = SqliteStore::open(&db).with_context(|| format!("{}: cannot open store", db.display()))?;
    crate::serve::init_logging(quiet);
    // An address given explicitly must be free; the default falls back to any free port.
    let (addr, busy) = match &args.addr {
        Some(a) => (a.clone(), Busy::Fail),
        None => (cfg.serve_addr.clone(), Busy::AnyPort),
    };
    // The feeds page reads the demo store's status file, not the default store's.
    let cfg = Config { db: db.clone(), ..cfg.clone() };
    crate::serve::serve(std::sync::Arc::new(store), &cfg, &addr, busy, None, |url, _| {
        println!();
        println!("storyline is serving the demo at {url}");
        println!("Open it in a browser; Ctrl-C stops it.");
    })?;
    Ok(code)
}

/// Ingests the demo corpus and prints what is in it.
fn show_demo(cfg: &Config, as_json: bool, quiet: bool) -> Result<ExitCode> {
    let db = if cfg.db_explicit { cfg.db.clone() } else { PathBuf::from(DEMO_DB) };
    let store = SqliteStore::open(&db).with_context(|| format!("{}: cannot open store", db.display()))?;
    let opts = Options::new(cfg, PrepareOptions::default(), None);
    let mut progress = Progress::new("demo", !quiet && !as_json);
    let report = pipeline::run(&store, inputs(), opts, &mut progress, quiet)?;
    let all = store.articles(&ArticleFilter::default())?;
    if as_json {
        let stories = store.stories(&StoryFilter::default())?;
        let value = serde_json::json!({ "db": db.display().to_string(), "ingest": report, "articles": all, "stories": stories });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(if report.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS });
    }
    println!(
        "storyline demo — {} files of invented Dutch and English news, in every supported format",
        DEMO_FILES.len()
    );
    show::ingest_report(&report, false)?;
    let stats = store.stats()?;
    let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_lang: BTreeMap<String, usize> = BTreeMap::new();
    for a in &all {
        *by_source.entry(a.source.clone().unwrap_or_else(|| "(no outlet)".into())).or_default() += 1;
        *by_lang.entry(a.language.clone()).or_default() += 1;
    }
    println!();
    println!(
        "The store {} now holds {} articles from {} outlets:",
        db.display(),
        stats.articles,
        stats.sources
    );
    for (source, n) in &by_source {
        println!("  {n:>3}  {source}");
    }
    let langs: Vec<String> = by_lang.iter().map(|(l, n)| format!("{l} {n}")).collect();
    println!(
        "Languages: {}. Near-duplicate copies linked: {}; identical re-runs recorded: {}.",
        langs.join(", "),
        stats.near_duplicates,
        stats.sightings
    );
    println!();
    let stories = store.stories(&StoryFilter::default())?;
    println!("{} stories, newest activity first:", stories.len());
    show::story_list(&stories, false)?;
    println!();
    let db_arg = db.display();
    println!("Next: storyline --db {db_arg} articles   ·   storyline --db {db_arg} article <ID>   ·   storyline --db {db_arg} stories --min-articles 2");
    Ok(if report.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
