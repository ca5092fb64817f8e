//! Names and figures should agree across a translation pair: the MEANTIME development set pairs
//! English Wikinews articles with their Dutch translations (`../shared/data`, read in place).
//! For each pair this measures the overlap (Jaccard) of the entity keys and of the quantity
//! values the analysis finds on each side, prints the averages, and holds floors.

use std::collections::{BTreeMap, BTreeSet};

use storyline_core::analyze::analyze;
use storyline_core::Published;

fn load(name: &str) -> Option<BTreeMap<String, (String, Option<Published>)>> {
    let path = format!("{}/../../../shared/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).ok()?;
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let story = v["story"].as_str()?.to_string();
        let published = v["published"].as_str().and_then(|p| Published::parse(p).ok());
        out.insert(story, (v["text"].as_str()?.to_string(), published));
    }
    Some(out)
}

fn jaccard<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> Option<f64> {
    let union = a.union(b).count();
    (union > 0).then(|| a.intersection(b).count() as f64 / union as f64)
}

#[test]
fn translation_pairs_agree_on_names_and_figures() {
    let (Some(nl), Some(en)) = (load("meantime-nl-dev.jsonl"), load("meantime-en-dev.jsonl")) else {
        eprintln!("../shared/data not present; skipped");
        return;
    };
    let mut key_scores = Vec::new();
    let mut value_scores = Vec::new();
    for (story, (nl_text, published)) in &nl {
        let Some((en_text, en_published)) = en.get(story) else { continue };
        let a = analyze(nl_text, "nl", *published);
        let b = analyze(en_text, "en", en_published.or(*published));
        let keys = |x: &storyline_core::analyze::Analysis| -> BTreeSet<String> {
            // Nationality words are other names in Dutch (CoNLL's convention) and none in
            // English: they are left out on both sides.
            x.entities.iter().filter(|e| !e.is_nationality()).map(|e| e.key.clone()).collect()
        };
        let values = |x: &storyline_core::analyze::Analysis| -> BTreeSet<i64> {
            x.quantities.iter().map(|q| (q.value * 100.0).round() as i64).collect()
        };
        if let Some(j) = jaccard(&keys(&a), &keys(&b)) {
            key_scores.push(j);
        }
        if let Some(j) = jaccard(&values(&a), &values(&b)) {
            value_scores.push(j);
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (k, q) = (mean(&key_scores), mean(&value_scores));
    eprintln!(
        "translation pairs: entity-key agreement {k:.3} over {} pairs, quantity-value agreement {q:.3} over {} pairs",
        key_scores.len(),
        value_scores.len()
    );
    assert!(key_scores.len() >= 50 && value_scores.len() >= 40);
    assert!(k >= FLOORS.0, "entity-key agreement {k:.3} below {}", FLOORS.0);
    assert!(q >= FLOORS.1, "quantity-value agreement {q:.3} below {}", FLOORS.1);
}

/// Floors for (entity-key agreement, quantity-value agreement), set from the measured figures.
///
/// Key agreement was 0.797 when one set of rules read both languages. Dutch names then came
/// from the tagger trained on CoNLL-2002, whose spans follow CoNLL's conventions, with English
/// still on the rules: 0.709. English names now come from the same tagger architecture, trained
/// on the Dutch data with the transfer features (`models/README.md`): 0.750.
const FLOORS: (f64, f64) = (0.72, 0.72);
