//! Building a story's dossier from stored articles and analyses: a story of 50, 200 and 500
//! reports (the demo corpus's articles, repeated with new ids and later dates, so figures,
//! quotes and names repeat and disagree as in a long-running story), with each report's key
//! words read in advance as a store keeps them, and without. Run with
//! `cargo bench -p storyline-core --bench dossier`.

#[path = "../tests/common/mod.rs"]
mod common;

use divan::Bencher;
use storyline_core::analyze::Analysis;
use storyline_core::dossier::{build, Input, ReportTerms};
use storyline_core::ingest::prepare::prepare_with_signature;
use storyline_core::ingest::{read_stream, PrepareOptions, DEFAULT_MAX_RECORD_BYTES};
use storyline_core::model::Article;

fn main() {
    divan::main();
}

/// The demo corpus, prepared and analysed once.
fn demo() -> Vec<(Article, Analysis)> {
    let mut out = Vec::new();
    for (rel, path) in common::demo_files() {
        let bytes = std::fs::read(&path).expect("demo file");
        let _ = read_stream(&rel, bytes.as_slice(), None, DEFAULT_MAX_RECORD_BYTES, &mut |r| {
            if let Ok(raw) = r {
                let p = prepare_with_signature(raw, &PrepareOptions::default(), None).expect("analysis");
                out.push((p.article, p.analysis));
            }
        });
    }
    out
}

/// `n` reports: the demo articles again and again, each copy a day later with its own id.
fn story(n: usize) -> Vec<(Article, Analysis)> {
    let base = demo();
    (0..n)
        .map(|i| {
            let (mut a, x) = base[i % base.len()].clone();
            let round = (i / base.len()) as i64;
            a.id = format!("{}-{i}", a.id);
            if let Some(p) = a.published.as_mut() {
                p.unix += round * 86_400;
            }
            (a, x)
        })
        .collect()
}

/// As a store gives the reports: with the key words read when each article arrived.
#[divan::bench(args = [50, 200, 500])]
fn build_dossier(bencher: Bencher, n: usize) {
    let docs = story(n);
    let terms: Vec<ReportTerms> = docs.iter().map(|(a, x)| ReportTerms::of(a, x)).collect();
    let inputs: Vec<Input<'_>> = docs
        .iter()
        .zip(&terms)
        .map(|((article, analysis), terms)| Input { article, analysis, terms: Some(terms) })
        .collect();
    bencher.bench(|| build(1, None, divan::black_box(&inputs)));
}

/// Reports without their key words: the build reads them too.
#[divan::bench(args = [50, 200, 500])]
fn build_dossier_reading_key_words(bencher: Bencher, n: usize) {
    let docs = story(n);
    let inputs: Vec<Input<'_>> =
        docs.iter().map(|(article, analysis)| Input::new(article, analysis)).collect();
    bencher.bench(|| build(1, None, divan::black_box(&inputs)));
}
