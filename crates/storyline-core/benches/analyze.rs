//! Analysis throughput in MB/s of article text on one core, over the demo corpus's articles
//! (real news-style prose) and over generated text. Run with `cargo bench -p storyline-core`.

#[path = "../tests/common/mod.rs"]
mod common;

use divan::Bencher;
use storyline_core::analyze::analyze;
use storyline_core::ingest::{read_stream, DEFAULT_MAX_RECORD_BYTES};
use storyline_core::synth::{generate, SynthConfig};

fn main() {
    divan::main();
}

/// The texts of every article in the demo corpus.
fn demo_texts() -> Vec<String> {
    let mut texts = Vec::new();
    for (rel, path) in common::demo_files() {
        let bytes = std::fs::read(&path).expect("demo file");
        let _ = read_stream(&rel, bytes.as_slice(), None, DEFAULT_MAX_RECORD_BYTES, &mut |r| {
            if let Ok(a) = r {
                texts.push(a.text);
            }
        });
    }
    texts
}

#[divan::bench]
fn demo_corpus(bencher: Bencher) {
    let texts = demo_texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| texts.iter().map(|t| analyze(t, "nl", None).entities.len()).sum::<usize>());
}

#[divan::bench]
fn generated_dutch(bencher: Bencher) {
    let cfg = SynthConfig { articles: 200, english_share: 0.0, ..SynthConfig::default() };
    let texts: Vec<String> = generate(&cfg).map(|a| a.text).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| texts.iter().map(|t| analyze(t, "nl", None).quantities.len()).sum::<usize>());
}

#[divan::bench]
fn generated_english(bencher: Bencher) {
    let cfg = SynthConfig { articles: 200, english_share: 1.0, ..SynthConfig::default() };
    let texts: Vec<String> = generate(&cfg).map(|a| a.text).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| texts.iter().map(|t| analyze(t, "en", None).quantities.len()).sum::<usize>());
}

/// The Dutch articles of the demo corpus, segmented once.
fn dutch_demo_texts() -> Vec<String> {
    demo_texts().into_iter().filter(|t| storyline_core::analyze::lang::detect(t).code == "nl").collect()
}

/// The name tagger alone: features and decoding, over the demo corpus's Dutch articles.
#[divan::bench]
fn name_tagger(bencher: Bencher) {
    use storyline_core::analyze::{entities::model_for, Document};
    let texts = dutch_demo_texts();
    let docs: Vec<Document<'_>> = texts.iter().map(|t| Document::new(t, "nl", None)).collect();
    let model = model_for("nl").expect("the Dutch model");
    let bytes: usize = texts.iter().map(String::len).sum();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| docs.iter().map(|d| model.tag(d).len()).sum::<usize>());
}

/// The entity annotator (tagger, keys, roles), over the same articles.
#[divan::bench]
fn entities_dutch(bencher: Bencher) {
    use storyline_core::analyze::{entities::EntityAnnotator, Analysis, Annotator, Document};
    let texts = dutch_demo_texts();
    let docs: Vec<Document<'_>> = texts.iter().map(|t| Document::new(t, "nl", None)).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    bencher.counter(divan::counter::BytesCount::new(bytes)).bench(|| {
        docs.iter()
            .map(|d| {
                let mut out = Analysis::default();
                EntityAnnotator.annotate(d, &mut out);
                out.entities.len()
            })
            .sum::<usize>()
    });
}
