//! Story clustering on the development sets in `../shared/data` (read in place, skipped when
//! absent): ECB+ (look-alike stories), UCI headlines (titles with times and outlets) and the
//! MEANTIME Dutch–English translation pairs. Each file is prepared and analysed as ingest does,
//! clustered in file order, and only then scored against its `story` field with
//! `eval::score`. Prints the figures and the clustering speed, and holds floors.
//!
//! The bundled demo corpus (`demo/`, every input format, reports of one story days or weeks
//! apart) is a fourth set: its records are read as ingest reads them, put in publication order
//! (as a user's feeds would deliver them), and scored against `demo/gold-{a,b}.tsv`.
//!
//! For tuning, `STORYLINE_CLUSTER_SETTINGS` may hold a JSON object of settings (or an array of
//! them, each run in turn); floors are only checked with the defaults.

mod common;

use std::collections::HashMap;
use std::time::Instant;

use storyline_core::cluster::train::{self, Labelled};
use storyline_core::cluster::{features, Settings};
use storyline_core::eval::{score, shuffle, Scores};
use storyline_core::ingest::jsonl::parse_record;
use storyline_core::ingest::prepare::prepare_with_signature;
use storyline_core::ingest::PrepareOptions;
use storyline_core::Locator;

/// One prepared article: what the clusterer sees and the gold label kept aside for scoring
/// (the training replay's `Labelled`), and a title to print.
struct Doc {
    labelled: Labelled,
    title: String,
}

impl std::ops::Deref for Doc {
    type Target = Labelled;
    fn deref(&self) -> &Labelled {
        &self.labelled
    }
}

fn load(name: &str) -> Option<Vec<Doc>> {
    let path = format!("{}/../../../shared/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).ok()?;
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let raw = parse_record(line.as_bytes(), Locator::Line(i as u64 + 1)).expect("dev data parses");
        // The gold label is an uninterpreted field: taken out before anything is clustered.
        let gold = match raw.extra.get("story") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => panic!("{name}: line {} has no story", i + 1),
        };
        let prepared = prepare_with_signature(raw, &PrepareOptions::default(), None).expect("analysis");
        let features = features(&prepared.article, &prepared.analysis);
        let title = prepared.article.title.clone();
        docs.push(Doc { labelled: Labelled { features, signature: prepared.signature, gold }, title });
    }
    Some(docs)
}

/// Clusters the documents in order as the training replays do (near-duplicate links, merges
/// followed); returns the predicted labels and articles per second.
fn cluster(docs: &[&Doc], settings: &Settings) -> (Vec<i64>, f64) {
    let labelled: Vec<&Labelled> = docs.iter().map(|d| &d.labelled).collect();
    let start = Instant::now();
    let pred = train::cluster(&labelled, settings);
    let rate = docs.len() as f64 / start.elapsed().as_secs_f64().max(1e-9);
    (pred, rate)
}

fn report(name: &str, s: &Scores, rate: f64) {
    eprintln!(
        "{name:<28} B3 P {:.3} R {:.3} F1 {:.3} | pairwise P {:.3} R {:.3} F1 {:.3} | gold {} pred {} docs {} | {:.0} articles/s",
        s.bcubed_p, s.bcubed_r, s.bcubed_f1, s.pairwise_p, s.pairwise_r, s.pairwise_f1, s.gold_clusters,
        s.pred_clusters, s.docs, rate
    );
}

/// Prints each gold story with the predicted stories its documents went to (for tuning).
fn dump(docs: &[&Doc], pred: &[i64]) {
    let mut golds: Vec<&str> = Vec::new();
    for d in docs {
        if !golds.contains(&d.gold.as_str()) {
            golds.push(&d.gold);
        }
    }
    for g in golds {
        eprintln!("== gold {g}");
        for (d, p) in docs.iter().zip(pred).filter(|(d, _)| d.gold == g) {
            let title: String = d.title.chars().take(90).collect();
            eprintln!("   {p:>5} {title}");
        }
    }
}

fn settings_to_try() -> Vec<(Settings, bool)> {
    match std::env::var("STORYLINE_CLUSTER_SETTINGS") {
        Ok(json) if !json.trim().is_empty() => {
            let v: serde_json::Value = serde_json::from_str(&json).expect("settings JSON");
            let list = match v {
                serde_json::Value::Array(a) => a,
                other => vec![other],
            };
            list.into_iter()
                .map(|o| (serde_json::from_value::<Settings>(o).expect("valid settings"), false))
                .collect()
        }
        _ => vec![(Settings::default(), true)],
    }
}

/// Clusters one set under every settings variant; checks the floor with the defaults.
fn run_set(name: &str, docs: &[&Doc], floor: f64) -> Vec<Scores> {
    let gold: Vec<&str> = docs.iter().map(|d| d.gold.as_str()).collect();
    let mut out = Vec::new();
    for (i, (settings, defaults)) in settings_to_try().into_iter().enumerate() {
        let (pred, rate) = cluster(docs, &settings);
        let s = score(&gold, &pred);
        report(&format!("{name} [{i}]"), &s, rate);
        if std::env::var("STORYLINE_CLUSTER_DUMP").is_ok_and(|v| name.starts_with(&v)) {
            dump(docs, &pred);
        }
        if defaults {
            assert!(s.bcubed_f1 >= floor, "{name}: B-cubed F1 {:.3} fell below {floor}", s.bcubed_f1);
        }
        out.push(s);
    }
    out
}

#[test]
fn ecbplus_lookalike_stories() {
    let Some(docs) = load("ecbplus-dev.jsonl") else {
        eprintln!("../shared/data/ecbplus-dev.jsonl not present; skipped");
        return;
    };
    let ordered: Vec<&Doc> = docs.iter().collect();
    // The learned decision, trained on this file among others: 0.887 in file order, 0.881 as
    // the mean of ten shuffled orders (`storyline eval --shuffles 10`). A floor against
    // regressions, below both.
    run_set("ecbplus-dev", &ordered, 0.85);
    // The same documents in other orders: an undated archive has no order of its own, and
    // which report of two look-alike events comes first decides much. Reported, with a floor
    // well below the file order's.
    for seed in 1..=3u64 {
        let mut shuffled = ordered.clone();
        shuffle(&mut shuffled, seed);
        run_set(&format!("ecbplus-shuffled-{seed}"), &shuffled, 0.84);
    }
}

#[test]
fn uci_headlines() {
    let Some(docs) = load("uci-headlines-dev.jsonl") else {
        eprintln!("../shared/data/uci-headlines-dev.jsonl not present; skipped");
        return;
    };
    let docs: Vec<&Doc> = docs.iter().collect();
    // The file now gives each headline its day only: the aggregator's crawl times, which came
    // in one burst per story and which the earlier 0.96 leaned on, are gone. 0.801 measured
    // with the learned decision.
    run_set("uci-headlines-dev", &docs, 0.76);
}

#[test]
fn meantime_translation_pairs() {
    let (Some(nl), Some(en)) = (load("meantime-nl-dev.jsonl"), load("meantime-en-dev.jsonl")) else {
        eprintln!("../shared/data/meantime-*-dev.jsonl not present; skipped");
        return;
    };
    let concatenated: Vec<&Doc> = nl.iter().chain(en.iter()).collect();
    let english_first: Vec<&Doc> = en.iter().chain(nl.iter()).collect();
    let interleaved: Vec<&Doc> = nl.iter().zip(en.iter()).flat_map(|(a, b)| [a, b]).collect();
    for (name, docs, floor, pair_floor) in [
        ("meantime nl+en", &concatenated, 0.95, 95),
        ("meantime en+nl", &english_first, 0.95, 95),
        ("meantime interleaved", &interleaved, 0.95, 95),
    ] {
        run_set(name, docs, floor);
        // Share of translation pairs placed in one story, with the defaults.
        let (pred, _) = cluster(docs, &Settings::default());
        let mut by_gold: HashMap<&str, Vec<i64>> = HashMap::new();
        for (d, p) in docs.iter().zip(&pred) {
            by_gold.entry(d.gold.as_str()).or_default().push(*p);
        }
        let pairs = by_gold.values().filter(|v| v.len() == 2).count();
        let joined = by_gold.values().filter(|v| v.len() == 2 && v[0] == v[1]).count();
        eprintln!("{name:<28} translation pairs in one story: {joined} of {pairs}");
        assert!(
            joined * 100 >= pairs * pair_floor,
            "{name}: only {joined} of {pairs} translation pairs joined"
        );
        // No story mixes the two topics (the gold story is `topic/article`).
        let mut topic_of: HashMap<i64, &str> = HashMap::new();
        for (d, p) in docs.iter().zip(&pred) {
            let topic = d.gold.split('/').next().unwrap_or_default();
            let first = *topic_of.entry(*p).or_insert(topic);
            assert_eq!(first, topic, "{name}: story {p} mixes {first} and {topic}");
        }
    }
}

/// The demo corpus in publication order (undated last, then file order), with exact re-runs of
/// an article (same content hash) left out: `Some(i)` in the second list sends the record to the
/// story of kept document `i`.
fn load_demo() -> Option<(Vec<Doc>, Vec<Option<usize>>)> {
    // (published, file order, prepared document, content hash)
    let mut records = Vec::new();
    for (label, raw) in common::demo_labelled() {
        let prepared = prepare_with_signature(raw, &PrepareOptions::default(), None).expect("analysis");
        let published = prepared.article.published.map(|p| p.unix);
        let hash = prepared.article.content_hash.clone();
        let features = features(&prepared.article, &prepared.analysis);
        let day = prepared.article.published.map_or("undated   ".to_string(), |p| {
            let (y, m, d) = p.ymd();
            format!("{y:04}-{m:02}-{d:02}")
        });
        let title = format!("{day} {}", prepared.article.title);
        let doc = Doc { labelled: Labelled { features, signature: prepared.signature, gold: label }, title };
        records.push((published, records.len(), doc, hash));
    }
    records.sort_by_key(|r| (r.0.is_none(), r.0, r.1));
    let mut docs = Vec::new();
    let mut copies = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (_, _, doc, hash) in records {
        match seen.get(&hash) {
            Some(&i) => copies.push((i, doc)),
            None => {
                seen.insert(hash, docs.len());
                docs.push(doc);
            }
        }
    }
    let mut links = vec![None; docs.len()];
    for (i, doc) in copies {
        links.push(Some(i));
        docs.push(doc);
    }
    Some((docs, links))
}

#[test]
fn demo_corpus_stories_over_weeks() {
    let Some((docs, copies)) = load_demo() else {
        eprintln!("demo/ not present; skipped");
        return;
    };
    let kept = copies.iter().filter(|c| c.is_none()).count();
    let clustered: Vec<&Doc> = docs[..kept].iter().collect();
    let gold: Vec<&str> = docs.iter().map(|d| d.gold.as_str()).collect();
    eprintln!("demo: {} records, {} exact re-runs", docs.len(), docs.len() - kept);
    for (i, (settings, defaults)) in settings_to_try().into_iter().enumerate() {
        let (mut pred, rate) = cluster(&clustered, &settings);
        // An exact re-run is stored once: it belongs to the story of its first copy.
        for c in copies[kept..].iter().flatten() {
            pred.push(pred[*c]);
        }
        let s = score(&gold, &pred);
        report(&format!("demo [{i}]"), &s, rate);
        if std::env::var("STORYLINE_CLUSTER_DUMP").is_ok_and(|v| "demo".starts_with(&v)) {
            dump(&docs.iter().collect::<Vec<_>>(), &pred);
        }
        if defaults {
            // 0.899 measured with the learned decision (which never saw the demo).
            assert!(s.bcubed_f1 >= 0.85, "demo: B-cubed F1 {:.3} fell below 0.85", s.bcubed_f1);
        }
    }
}
