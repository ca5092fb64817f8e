//! Learning the join decision from labelled articles, and scoring a clustering against them.
//!
//! Labelled pairs come from replaying labelled articles in an arrival order: each article's
//! candidate stories, described by [`Clusterer::candidates`] exactly as a decision would see
//! them, are labelled by whether the story holds the article's gold story. In a *teacher-forced*
//! replay every article then joins its gold story, so the stories are the true ones; in an
//! *own-decisions* replay the clusterer decides with its current model and each candidate is
//! labelled by the gold story most of its reports belong to, which shows the model the impure
//! stories its own mistakes make. Several orders of each file give several views of one set.

use std::collections::HashMap;

use super::{Clusterer, Features, PairFeatures, Settings};
use crate::ingest::dedupe::{self, Signature};

/// One labelled article, prepared once and replayed in many orders.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// What the clusterer sees.
    pub features: Features,
    /// Its near-duplicate signature, when it has one.
    pub signature: Option<Signature>,
    /// The gold story.
    pub gold: String,
}

/// Near-duplicate links among the articles in this order, as ingest finds them: the earliest
/// earlier article whose signature shares a band and reaches the default threshold.
pub fn near_duplicates(docs: &[&Labelled]) -> Vec<Option<usize>> {
    let mut bands: HashMap<i64, Vec<usize>> = HashMap::new();
    let mut out = Vec::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        let Some(sig) = &d.signature else {
            out.push(None);
            continue;
        };
        let keys = sig.band_keys();
        let mut cands: Vec<usize> =
            keys.iter().flat_map(|k| bands.get(k).into_iter().flatten().copied()).collect();
        cands.sort_unstable();
        cands.dedup();
        let found = cands.into_iter().find(|&j| {
            docs[j]
                .signature
                .as_ref()
                .is_some_and(|o| dedupe::similarity(sig, o) >= dedupe::DEFAULT_THRESHOLD)
        });
        out.push(found);
        for k in keys {
            bands.entry(k).or_default().push(i);
        }
    }
    out
}

/// Clusters the articles in this order; returns each one's story as it stands at the end (a
/// story merged into another counts as the one it went to).
pub fn cluster(docs: &[&Labelled], settings: &Settings) -> Vec<i64> {
    let dups = near_duplicates(docs);
    let mut c = Clusterer::new(settings.clone());
    let mut merged_into: HashMap<i64, i64> = HashMap::new();
    let pred: Vec<i64> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let a = c.assign(i as i64 + 1, &d.features, dups[i].map(|j| j as i64 + 1));
            if let Some(m) = a.merged {
                merged_into.insert(m, a.story);
            }
            a.story
        })
        .collect();
    pred.into_iter().map(|id| resolve(&merged_into, id)).collect()
}

fn resolve(merged_into: &HashMap<i64, i64>, mut id: i64) -> i64 {
    while let Some(&next) = merged_into.get(&id) {
        id = next;
    }
    id
}

/// Labelled pairs from a teacher-forced replay: every article joins its gold story.
pub fn teacher_forced(docs: &[&Labelled], settings: &Settings) -> Vec<(PairFeatures, bool)> {
    let dups = near_duplicates(docs);
    let mut c = Clusterer::new(settings.clone());
    let mut story_of: HashMap<&str, i64> = HashMap::new();
    let mut gold_of: HashMap<i64, &str> = HashMap::new();
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let seq = i as i64 + 1;
        let story = *story_of.entry(d.gold.as_str()).or_insert(seq);
        gold_of.insert(story, d.gold.as_str());
        if dups[i].is_none() {
            for cand in c.candidates(seq, &d.features) {
                out.push((cand.features, gold_of.get(&cand.story) == Some(&d.gold.as_str())));
            }
        }
        c.restore(seq, &d.features, story);
    }
    out
}

/// Labelled pairs from a replay in which the clusterer decides with its own model: a candidate
/// story counts as the article's when most of its reports so far are of the article's gold
/// story.
pub fn own_decisions(docs: &[&Labelled], settings: &Settings) -> Vec<(PairFeatures, bool)> {
    let dups = near_duplicates(docs);
    let mut c = Clusterer::new(settings.clone());
    // Story → gold story → reports.
    let mut members: HashMap<i64, HashMap<&str, u32>> = HashMap::new();
    let majority = |m: &HashMap<&str, u32>| -> Option<String> {
        let mut v: Vec<(&&str, &u32)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.first().map(|(g, _)| g.to_string())
    };
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let seq = i as i64 + 1;
        if dups[i].is_none() {
            for cand in c.candidates(seq, &d.features) {
                let label = members.get(&cand.story).and_then(&majority).is_some_and(|g| g == d.gold);
                out.push((cand.features, label));
            }
        }
        let a = c.assign(seq, &d.features, dups[i].map(|j| j as i64 + 1));
        if let Some(from) = a.merged {
            if let Some(m) = members.remove(&from) {
                let into = members.entry(a.story).or_default();
                for (g, n) in m {
                    *into.entry(g).or_insert(0) += n;
                }
            }
        }
        *members.entry(a.story).or_default().entry(d.gold.as_str()).or_insert(0) += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::features;
    use crate::ingest::{prepare, PrepareOptions};
    use crate::model::RawArticle;

    fn doc(title: &str, text: &str, gold: &str) -> Labelled {
        let raw = RawArticle {
            title: Some(title.into()),
            text: text.into(),
            language: Some("nl".into()),
            ..RawArticle::default()
        };
        let article = prepare(raw, &PrepareOptions::default());
        let analysis = crate::analyze::analyze(&article.text, &article.language.code, article.published);
        Labelled { features: features(&article, &analysis), signature: None, gold: gold.into() }
    }

    #[test]
    fn teacher_forced_pairs_are_labelled_by_the_gold_stories() {
        let docs = [
            doc("Dijk bij Roermond bezwijkt", "Bij Roermond is een dijk langs de Maas bezweken. Het waterschap Limburg evacueerde 1.200 bewoners.", "flood"),
            doc("Brand in Zwolle", "In Zwolle is een supermarkt door brand verwoest. De brandweer rukte met acht wagens uit.", "fire"),
            doc("Evacuatie in Roermond", "Na de doorbraak van de Maasdijk bij Roermond moesten 1.200 bewoners van het waterschap Limburg weg.", "flood"),
        ];
        let refs: Vec<&Labelled> = docs.iter().collect();
        let pairs = teacher_forced(&refs, &Settings::default());
        // The third report has the flood story among its candidates, labelled as its own; the
        // fire, if a candidate at all, is labelled as another story.
        assert!(pairs.iter().any(|(x, joins)| *joins && x[0] > 0.0), "{pairs:?}");
        let positives = pairs.iter().filter(|(_, j)| *j).count();
        assert_eq!(positives, 1, "{pairs:?}");
        // Clustering the same order gives one story id per article.
        assert_eq!(cluster(&refs, &Settings::default()).len(), 3);
    }
}
