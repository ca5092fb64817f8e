//! `storyline eval`: cluster a labelled JSON Lines file in stream order (or a shuffled one) in a
//! private in-memory store, score the stories against the gold labels and show the largest
//! errors.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;
use storyline_core::eval::{confusions, score, shuffle, Mixed, Scores, Split};
use storyline_core::ingest::prepare::{prepare_with_signature, Prepared};
use storyline_core::ingest::{read_stream, Format, PrepareOptions};
use storyline_store::sqlite::SqliteStore;
use storyline_store::{IngestOutcome, Store};

use crate::config::Config;

#[derive(Serialize)]
struct Report {
    #[serde(flatten)]
    scores: Scores,
    docs_per_s: f64,
    failed: u64,
    /// The seed of the order the records were clustered in; `None`: the file's order.
    shuffle_seed: Option<u64>,
    /// B-cubed F1 over other arrival orders (`--shuffles N`).
    #[serde(skip_serializing_if = "Option::is_none")]
    orders: Option<Orders>,
    /// Predicted stories that hold several gold stories, the most wrong pairs first.
    mixed: Vec<Mixed<String, i64>>,
    /// Gold stories spread over several predicted ones, the most missed pairs first.
    split: Vec<Split<String, i64>>,
}

/// B-cubed F1 over shuffled arrival orders (seeds 1..=N).
#[derive(Serialize)]
struct Orders {
    shuffled: u64,
    mean_bcubed_f1: f64,
    worst_bcubed_f1: f64,
    best_bcubed_f1: f64,
}

/// What `storyline eval` does besides scoring.
pub struct Options<'a> {
    /// Where to write one `{"id", "story"}` line per article.
    pub assignments: Option<&'a Path>,
    /// Cluster in the order drawn from this seed instead of the file's.
    pub shuffle: Option<u64>,
    /// Also cluster in this many shuffled orders (seeds 1..=N) and report their mean and worst.
    pub shuffles: Option<u64>,
    /// How many of the largest mixed and split stories to report.
    pub errors: usize,
}

/// Reads a labelled JSON Lines file: each record with its gold label (taken out of the record
/// before anything else sees it), and how many records were unusable (each reported on
/// standard error).
pub fn read_labelled(
    cfg: &Config,
    file: &Path,
    gold_field: &str,
) -> Result<(Vec<(storyline_core::RawArticle, String)>, u64)> {
    let name = file.display().to_string();
    let reader = std::fs::File::open(file).with_context(|| format!("{name}: cannot open"))?;
    let mut records: Vec<(storyline_core::RawArticle, String)> = Vec::new();
    let mut failed = 0u64;
    read_stream(&name, reader, Some(Format::JsonLines), cfg.max_record_bytes, &mut |r| match r {
        Ok(mut raw) => match raw.extra.remove(gold_field) {
            Some(label) => {
                let label = label.as_str().map(str::to_string).unwrap_or_else(|| label.to_string());
                records.push((raw, label));
            }
            None => {
                failed += 1;
                eprintln!(
                    "{name}: {}: no `{gold_field}` field",
                    raw.locator.map(|l| l.to_string()).unwrap_or_default()
                );
            }
        },
        Err(e) => {
            failed += 1;
            eprintln!("{name}: {e}");
        }
    })
    .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    Ok((records, failed))
}

/// A record ready to cluster: its own id, its gold label and the prepared article.
type Ready = (String, String, Prepared);

/// Prepares (analyses) every record once, whatever the number of orders it is clustered in; a
/// record whose analysis fails is reported, counted and left out.
fn prepare_records(name: &str, records: Vec<(storyline_core::RawArticle, String)>) -> (Vec<Ready>, u64) {
    let mut failed = 0u64;
    let mut out = Vec::with_capacity(records.len());
    for (raw, label) in records {
        let locator = raw.locator.map(|l| l.to_string()).unwrap_or_default();
        // The record's own id, whatever characters it holds (the stored id is made safe).
        let record_id = raw.id.clone();
        match prepare_with_signature(raw, &PrepareOptions::default(), None) {
            Ok(p) => out.push((record_id.unwrap_or_else(|| p.article.id.clone()), label, p)),
            Err(e) => {
                failed += 1;
                eprintln!("{name}: {locator}: {e}");
            }
        }
    }
    (out, failed)
}

/// Clusters the prepared records in the order given, in a private in-memory store; returns
/// each one's story where it stands at the end.
fn cluster_records(cfg: &Config, records: &[&Ready]) -> Result<Vec<i64>> {
    let store = SqliteStore::open_in_memory()?;
    let settings = cfg.ingest_settings();
    let mut stories: Vec<i64> = Vec::with_capacity(records.len());
    for chunk in records.chunks(cfg.batch_size.max(1)) {
        let batch: Vec<Prepared> = chunk.iter().map(|(_, _, p)| p.clone()).collect();
        for o in store.ingest(&batch, &settings)? {
            stories.push(match o {
                IngestOutcome::Inserted { story, .. } => story,
                IngestOutcome::Duplicate { story, .. } | IngestOutcome::Revised { story, .. } => {
                    story.unwrap_or(-1)
                }
            });
        }
    }
    // A story merged into another after its articles were stored: count them where they are now.
    let mut now: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for s in stories.iter_mut().filter(|s| **s >= 0) {
        let at = match now.get(s) {
            Some(&at) => at,
            None => {
                let at = store.resolve_story(*s)?.unwrap_or(*s);
                now.insert(*s, at);
                at
            }
        };
        *s = at;
    }
    Ok(stories)
}

/// Runs the evaluation.
pub fn run(
    cfg: &Config,
    file: &Path,
    gold_field: &str,
    options: &Options<'_>,
    as_json: bool,
) -> Result<ExitCode> {
    let name = file.display().to_string();
    let (records, read_failed) = read_labelled(cfg, file, gold_field)?;
    let started = Instant::now();
    let (ready, prepare_failed) = prepare_records(&name, records);
    let failed = read_failed + prepare_failed;
    let in_order = |seed: Option<u64>| {
        let mut order: Vec<&Ready> = ready.iter().collect();
        if let Some(seed) = seed {
            shuffle(&mut order, seed);
        }
        order
    };
    let order = in_order(options.shuffle);
    let stories = cluster_records(cfg, &order)?;
    let elapsed = started.elapsed().as_secs_f64();
    let ids: Vec<&str> = order.iter().map(|(id, _, _)| id.as_str()).collect();
    let gold: Vec<String> = order.iter().map(|(_, g, _)| g.clone()).collect();
    // Other orders (each a fresh store): the mean, worst and best B-cubed F1 over them.
    let orders = match options.shuffles {
        Some(n) if n > 0 => {
            let mut f1 = Vec::with_capacity(n as usize);
            for seed in 1..=n {
                let order = in_order(Some(seed));
                let gold: Vec<&str> = order.iter().map(|(_, g, _)| g.as_str()).collect();
                f1.push(score(&gold, &cluster_records(cfg, &order)?).bcubed_f1);
            }
            let mean = f1.iter().sum::<f64>() / f1.len() as f64;
            let worst = f1.iter().copied().fold(f64::MAX, f64::min);
            let best = f1.iter().copied().fold(f64::MIN, f64::max);
            Some(Orders { shuffled: n, mean_bcubed_f1: mean, worst_bcubed_f1: worst, best_bcubed_f1: best })
        }
        _ => None,
    };
    let scores = score(&gold, &stories);
    let errors = confusions(&gold, &stories, options.errors);
    let report = Report {
        docs_per_s: if elapsed > 0.0 { stories.len() as f64 / elapsed } else { 0.0 },
        scores,
        failed,
        shuffle_seed: options.shuffle,
        orders,
        mixed: errors.mixed,
        split: errors.split,
    };
    if let Some(path) = options.assignments {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        );
        for (id, story) in ids.iter().zip(&stories) {
            writeln!(out, "{}", serde_json::json!({ "id": id, "story": story }))?;
        }
        out.flush()?;
    }
    if as_json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let s = &report.scores;
        println!(
            "{name}: {} documents, {} gold stories, {} predicted",
            s.docs, s.gold_clusters, s.pred_clusters
        );
        println!("  pairwise  P {:.3}  R {:.3}  F1 {:.3}", s.pairwise_p, s.pairwise_r, s.pairwise_f1);
        println!("  B-cubed   P {:.3}  R {:.3}  F1 {:.3}", s.bcubed_p, s.bcubed_r, s.bcubed_f1);
        println!("  {:.0} documents/s (analysis, storage and clustering)", report.docs_per_s);
        if let Some(seed) = report.shuffle_seed {
            println!("  order: shuffled with seed {seed}");
        }
        if let Some(o) = &report.orders {
            println!(
                "  B-cubed F1 over {} shuffled orders: mean {:.3}  worst {:.3}  best {:.3}",
                o.shuffled, o.mean_bcubed_f1, o.worst_bcubed_f1, o.best_bcubed_f1
            );
        }
        let parts = |parts: Vec<String>| parts.join(", ");
        if !report.mixed.is_empty() {
            println!("  predicted stories that mix gold stories (wrong pairs):");
            for m in &report.mixed {
                let gold = parts(m.gold.iter().map(|p| format!("{} ×{}", p.label, p.articles)).collect());
                println!("    story {}: {gold} ({})", m.predicted, m.wrong_pairs);
            }
        }
        if !report.split.is_empty() {
            println!("  gold stories split over predicted stories (missed pairs):");
            for x in &report.split {
                let pred =
                    parts(x.predicted.iter().map(|p| format!("story {} ×{}", p.label, p.articles)).collect());
                println!("    {}: {pred} ({})", x.gold, x.missed_pairs);
            }
        }
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
