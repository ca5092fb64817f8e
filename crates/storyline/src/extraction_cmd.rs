//! `storyline eval DIR --gold extraction`: scores the HTML extraction on a folder of real pages
//! with gold texts, laid out as the public article-extraction benchmark lays them out:
//! `ground-truth.json` (`{ID: {"articleBody": TEXT, ...}}`) and `html/ID.html.gz` (or
//! `html/ID.html`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use storyline_core::eval::{extraction_scores, text_overlap, Overlap};

/// One page's outcome.
#[derive(Debug, Serialize)]
struct Page {
    id: String,
    /// Words-run F1 of this page alone.
    f1: f64,
    /// Why no text came out (an error of the extractor, or a panic), if none did.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The whole run's figures.
#[derive(Debug, Serialize)]
struct Report {
    pages: usize,
    precision: f64,
    recall: f64,
    f1: f64,
    /// Pages whose gold text is not empty but whose extraction is.
    without_text: Vec<String>,
    panics: usize,
    pages_per_s: f64,
    megabytes_per_s: f64,
    /// The pages with the lowest F1, worst first.
    worst: Vec<Page>,
}

/// Reads one page's bytes (gzip-compressed or plain).
fn page_bytes(html_dir: &Path, id: &str) -> Result<Vec<u8>> {
    let gz = html_dir.join(format!("{id}.html.gz"));
    let plain = html_dir.join(format!("{id}.html"));
    let mut bytes = Vec::new();
    if gz.exists() {
        let file = std::fs::File::open(&gz).with_context(|| format!("{}: cannot open", gz.display()))?;
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .with_context(|| format!("{}: not a readable gzip file", gz.display()))?;
    } else {
        bytes = std::fs::read(&plain).with_context(|| format!("{}: cannot read", plain.display()))?;
    }
    Ok(bytes)
}

/// Runs the evaluation; `predictions` receives the extracted texts in the benchmark's format.
pub fn run(dir: &Path, predictions: Option<&PathBuf>, worst: usize, as_json: bool) -> Result<ExitCode> {
    let truth_path = dir.join("ground-truth.json");
    let truth: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(&truth_path).with_context(|| format!("{}: cannot read", truth_path.display()))?,
    )
    .with_context(|| format!("{}: not a JSON object of pages", truth_path.display()))?;
    if truth.is_empty() {
        bail!("{}: no pages", truth_path.display());
    }
    let html_dir = dir.join("html");
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let pages: Vec<(String, Vec<u8>)> =
        ids.iter().map(|id| Ok(((*id).clone(), page_bytes(&html_dir, id)?))).collect::<Result<_>>()?;
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();

    // Extraction alone is timed; a panic is caught, counted and reported as the page's error.
    let started = Instant::now();
    let extracted: Vec<std::result::Result<String, String>> = pages
        .iter()
        .map(|(_, b)| match std::panic::catch_unwind(|| storyline_core::ingest::html::parse_html(b)) {
            Ok(Ok(a)) => Ok(a.text),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("panicked".to_owned()),
        })
        .collect();
    let seconds = started.elapsed().as_secs_f64().max(1e-9);

    let mut overlaps: Vec<Overlap> = Vec::with_capacity(pages.len());
    let mut per_page: Vec<Page> = Vec::with_capacity(pages.len());
    let mut without_text = Vec::new();
    let mut panics = 0;
    let mut out = serde_json::Map::new();
    for ((id, _), result) in pages.iter().zip(&extracted) {
        let gold = truth[id].get("articleBody").and_then(|v| v.as_str()).unwrap_or("");
        let text = result.as_deref().unwrap_or("");
        let o = text_overlap(gold, text);
        let (_, _, f1) = extraction_scores(&[o]);
        if text.trim().is_empty() && !gold.trim().is_empty() {
            without_text.push(id.clone());
        }
        if matches!(result, Err(e) if e == "panicked") {
            panics += 1;
        }
        overlaps.push(o);
        per_page.push(Page { id: id.clone(), f1, error: result.as_ref().err().cloned() });
        out.insert(id.clone(), serde_json::json!({ "articleBody": text }));
    }
    let (precision, recall, f1) = extraction_scores(&overlaps);
    per_page.sort_by(|a, b| a.f1.total_cmp(&b.f1).then(a.id.cmp(&b.id)));
    per_page.truncate(worst);
    let report = Report {
        pages: pages.len(),
        precision,
        recall,
        f1,
        without_text,
        panics,
        pages_per_s: pages.len() as f64 / seconds,
        megabytes_per_s: bytes as f64 / 1e6 / seconds,
        worst: per_page,
    };
    if let Some(path) = predictions {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        );
        serde_json::to_writer(&mut w, &out)?;
        w.flush()?;
    }
    if as_json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{}: {} pages", dir.display(), report.pages);
        println!(
            "  P {:.3}  R {:.3}  F1 {:.3}  (runs of four words, every page weighing the same)",
            precision, recall, f1
        );
        println!(
            "  {} without text{}, {} panicked",
            report.without_text.len(),
            if report.without_text.is_empty() {
                String::new()
            } else {
                format!(" ({})", report.without_text.join(", "))
            },
            report.panics
        );
        println!(
            "  {:.0} pages/s, {:.1} MB/s (extraction alone)",
            report.pages_per_s, report.megabytes_per_s
        );
        if !report.worst.is_empty() {
            println!("  lowest F1:");
            for p in &report.worst {
                let why = p.error.as_deref().map(|e| format!("  ({e})")).unwrap_or_default();
                println!("    {:.3}  {}{why}", p.f1, p.id);
            }
        }
    }
    Ok(if report.without_text.is_empty() && report.panics == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
