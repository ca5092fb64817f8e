//! Story clustering throughput on one core over a generated news stream (`synth`), excluding the
//! analysis: features come from each article's text and title with an empty analysis.
//!
//! `cargo bench -p storyline-core --bench cluster` runs the divan benches (20 000 and 100 000
//! articles). `STORYLINE_BENCH_ARTICLES=1000000 cargo bench -p storyline-core --bench cluster --
//! long_stream` streams that many articles over a simulated year instead, in chunks (features
//! are not kept), and prints articles/second for the assignment and for feature extraction, the
//! active and follow-up stories, peak memory and a digest of every decision so far (story,
//! score, flags) as the stream grows: a change meant to be faster, not different, keeps the
//! digests.

use std::time::{Duration, Instant};

use divan::Bencher;
use storyline_core::analyze::Analysis;
use storyline_core::cluster::{features, Clusterer, Features, Settings};
use storyline_core::synth::{generate, SynthArticle, SynthConfig};
use storyline_core::{Article, Language};

fn main() {
    divan::main();
}

/// A stream of `articles` articles over a year, one story per ten articles.
fn config(articles: usize) -> SynthConfig {
    SynthConfig { articles, stories: (articles / 10).max(1), ..SynthConfig::default() }
}

/// Features of a generated article as ingest would store it, without its analysis.
fn featurize(a: SynthArticle) -> Features {
    let article = Article {
        id: a.id,
        title: a.title,
        text: a.text,
        source: Some(a.source),
        url: None,
        published: Some(a.published),
        language: Language { code: a.language.to_string(), confidence: 1.0, declared: true },
        author: None,
        metadata: Default::default(),
        extra: Default::default(),
        content_hash: String::new(),
        near_duplicate_of: None,
        origin: None,
    };
    features(&article, &Analysis::default())
}

#[divan::bench(args = [20_000, 100_000], sample_count = 3, sample_size = 1)]
fn assign(bencher: Bencher, articles: usize) {
    let feats: Vec<Features> = generate(&config(articles)).map(featurize).collect();
    bencher
        .counter(divan::counter::ItemsCount::new(articles))
        .with_inputs(|| Clusterer::new(Settings::default()))
        .bench_local_values(|mut c| {
            for (i, f) in feats.iter().enumerate() {
                divan::black_box(c.assign(i as i64 + 1, f, None));
            }
            c.active_stories()
        });
}

/// Peak resident memory of this process in kB (Linux), if known.
fn peak_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Folds a value into a running digest (a multiply-xorshift mix: order-sensitive).
fn fold(digest: u64, v: u64) -> u64 {
    let x = (digest ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 29)
}

#[divan::bench(sample_count = 1, sample_size = 1)]
fn long_stream() {
    let Some(articles) = std::env::var("STORYLINE_BENCH_ARTICLES").ok().and_then(|v| v.parse::<usize>().ok())
    else {
        return;
    };
    let mut c = Clusterer::new(Settings::default());
    let (mut assign_time, mut feature_time) = (Duration::ZERO, Duration::ZERO);
    let (mut done, mut new_stories) = (0usize, 0usize);
    let mut digest = 0u64;
    let mut stream = generate(&config(articles));
    let report_every = (articles / 10).max(1);
    loop {
        let start = Instant::now();
        let chunk: Vec<Features> = stream.by_ref().take(10_000).map(featurize).collect();
        feature_time += start.elapsed();
        if chunk.is_empty() {
            break;
        }
        let start = Instant::now();
        for f in &chunk {
            done += 1;
            let a = c.assign(done as i64, f, None);
            new_stories += usize::from(a.new_story);
            digest = fold(digest, a.story as u64);
            digest = fold(
                digest,
                u64::from(a.score.to_bits()) << 2 | u64::from(a.new_story) << 1 | u64::from(a.follow_up),
            );
        }
        assign_time += start.elapsed();
        if done % report_every < chunk.len() || done == articles {
            eprintln!(
                "{done:>9} articles | assign {:>8.0}/s | features {:>6.0}/s | stories {new_stories} | active {} | follow-up {} | vocabulary {} | peak {} MB | decisions {digest:016x}",
                done as f64 / assign_time.as_secs_f64(),
                done as f64 / feature_time.as_secs_f64(),
                c.active_stories(),
                c.follow_up_stories(),
                c.vocabulary(),
                peak_kb().map_or(0, |k| k / 1024),
            );
        }
    }
}
