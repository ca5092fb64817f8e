//! Ingest benchmarks: preparing generated articles (language, digest, near-duplicate sketch)
//! and writing them to the embedded store in batches. Run with `cargo bench -p storyline-store`.

use divan::Bencher;
use storyline_core::ingest::jsonl::parse_record;
use storyline_core::ingest::prepare::{prepare_with_signature, Prepared};
use storyline_core::ingest::PrepareOptions;
use storyline_core::synth::{generate, SynthConfig};
use storyline_core::Locator;
use storyline_store::sqlite::SqliteStore;
use storyline_store::{IngestSettings, Store};

fn main() {
    divan::main();
}

fn lines(n: usize) -> Vec<String> {
    let cfg = SynthConfig { articles: n, stories: n / 10 + 1, ..SynthConfig::default() };
    generate(&cfg).map(|a| a.to_json_line()).collect()
}

fn prepared(n: usize) -> Vec<Prepared> {
    lines(n)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let raw =
                parse_record(l.as_bytes(), Locator::Line(i as u64 + 1)).expect("generated lines are valid");
            prepare_with_signature(raw, &PrepareOptions::default(), None).expect("analysis")
        })
        .collect()
}

/// Parse and prepare 1,000 JSON lines of ~3 KB (one core).
#[divan::bench]
fn parse_and_prepare_1000(bencher: Bencher) {
    let input = lines(1000);
    bencher.counter(divan::counter::ItemsCount::new(1000usize)).bench(|| {
        input
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let raw = parse_record(l.as_bytes(), Locator::Line(i as u64 + 1)).expect("valid");
                prepare_with_signature(raw, &PrepareOptions::default(), None).expect("analysis")
            })
            .count()
    });
}

/// Write 1,000 prepared articles as one batch into a fresh file store.
#[divan::bench(sample_count = 20)]
fn store_batch_of_1000(bencher: Bencher) {
    let batch = prepared(1000);
    bencher
        .counter(divan::counter::ItemsCount::new(1000usize))
        .with_inputs(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = SqliteStore::open(&dir.path().join("b.db")).expect("store");
            (dir, store)
        })
        .bench_values(|(dir, store)| {
            store.ingest(&batch, &IngestSettings::default()).expect("ingest");
            drop(store);
            drop(dir);
        });
}

/// Re-ingest of 1,000 articles already stored: the duplicate path.
#[divan::bench(sample_count = 20)]
fn reingest_batch_of_1000(bencher: Bencher) {
    let batch = prepared(1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("b.db")).expect("store");
    store.ingest(&batch, &IngestSettings::default()).expect("ingest");
    bencher
        .counter(divan::counter::ItemsCount::new(1000usize))
        .bench(|| store.ingest(&batch, &IngestSettings::default()).expect("ingest"));
}
