//! Metrics: how well predicted stories match gold stories, by pair counting and by B-cubed;
//! and how well an extracted main text matches a page's gold text ([`text_overlap`]).
//!
//! - **Pairwise** precision, recall and F1 count pairs of documents: a pair is predicted when
//!   both documents are in one predicted cluster, and true when both are in one gold cluster.
//!   Precision is the share of predicted pairs that are true, recall the share of true pairs
//!   that are predicted (the measure Miranda et al., EMNLP 2018, use for news stream
//!   clustering). Large clusters weigh quadratically.
//! - **B-cubed** precision and recall are averages over documents: for each document, the share
//!   of its predicted cluster that shares its gold cluster (precision) and the share of its
//!   gold cluster that shares its predicted cluster (recall). Every document weighs the same.
//!
//! Both are computed from the contingency table of (gold, predicted) label pairs, in time linear
//! in the number of documents. When there is nothing to count (no predicted pairs for pairwise
//! precision, no gold pairs for pairwise recall, no documents at all), the measure is 1: nothing
//! was joined wrongly, or nothing was kept apart wrongly.
//!
//! ```
//! use storyline_core::eval::score;
//!
//! let gold = ["a", "a", "b", "b"];
//! let pred = [1, 1, 1, 2];
//! let s = score(&gold, &pred);
//! assert_eq!(s.docs, 4);
//! assert!((s.pairwise_p - 1.0 / 3.0).abs() < 1e-12);
//! ```

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// The figures of one comparison of predicted clusters against gold clusters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    /// Pairwise precision: true pairs among predicted pairs.
    pub pairwise_p: f64,
    /// Pairwise recall: predicted pairs among true pairs.
    pub pairwise_r: f64,
    /// Harmonic mean of pairwise precision and recall.
    pub pairwise_f1: f64,
    /// B-cubed precision: per-document average purity of its predicted cluster.
    pub bcubed_p: f64,
    /// B-cubed recall: per-document average completeness of its gold cluster.
    pub bcubed_r: f64,
    /// Harmonic mean of B-cubed precision and recall.
    pub bcubed_f1: f64,
    /// Number of distinct gold labels.
    pub gold_clusters: usize,
    /// Number of distinct predicted labels.
    pub pred_clusters: usize,
    /// Number of documents scored.
    pub docs: usize,
}

/// Harmonic mean; 0 when both are 0.
fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// Pairs among `n` items.
fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Dense ids for labels, in order of first appearance.
fn dense<L: Eq + Hash>(labels: &[L]) -> (Vec<usize>, usize) {
    let mut ids: HashMap<&L, usize> = HashMap::with_capacity(labels.len());
    let out = labels
        .iter()
        .map(|l| {
            let next = ids.len();
            *ids.entry(l).or_insert(next)
        })
        .collect();
    (out, ids.len())
}

/// Scores predicted cluster labels against gold labels: `gold[i]` and `pred[i]` are the gold
/// and predicted labels of document `i`.
///
/// # Panics
/// When the two slices differ in length.
pub fn score<G: Eq + Hash, P: Eq + Hash>(gold: &[G], pred: &[P]) -> Scores {
    assert_eq!(gold.len(), pred.len(), "gold and predicted labels must cover the same documents");
    let docs = gold.len();
    let (g, gold_clusters) = dense(gold);
    let (p, pred_clusters) = dense(pred);
    let mut gold_size = vec![0u64; gold_clusters];
    let mut pred_size = vec![0u64; pred_clusters];
    let mut cells: HashMap<(usize, usize), u64> = HashMap::with_capacity(docs);
    for (&gi, &pi) in g.iter().zip(&p) {
        gold_size[gi] += 1;
        pred_size[pi] += 1;
        *cells.entry((gi, pi)).or_insert(0) += 1;
    }
    // Sum in a fixed order so the floating-point result never depends on hash order.
    let mut cells: Vec<((usize, usize), u64)> = cells.into_iter().collect();
    cells.sort_unstable();

    let true_pairs: u64 = cells.iter().map(|&(_, n)| pairs(n)).sum();
    let pred_pairs: u64 = pred_size.iter().map(|&n| pairs(n)).sum();
    let gold_pairs: u64 = gold_size.iter().map(|&n| pairs(n)).sum();
    let ratio = |num: u64, den: u64| if den == 0 { 1.0 } else { num as f64 / den as f64 };
    let pairwise_p = ratio(true_pairs, pred_pairs);
    let pairwise_r = ratio(true_pairs, gold_pairs);

    // Each of the n documents of cell (g, p) has precision n / |p| and recall n / |g|.
    let (mut bp, mut br) = (0.0f64, 0.0f64);
    for &((gi, pi), n) in &cells {
        let n = n as f64;
        bp += n * n / pred_size[pi] as f64;
        br += n * n / gold_size[gi] as f64;
    }
    let (bcubed_p, bcubed_r) = if docs == 0 { (1.0, 1.0) } else { (bp / docs as f64, br / docs as f64) };

    Scores {
        pairwise_p,
        pairwise_r,
        pairwise_f1: f1(pairwise_p, pairwise_r),
        bcubed_p,
        bcubed_r,
        bcubed_f1: f1(bcubed_p, bcubed_r),
        gold_clusters,
        pred_clusters,
        docs,
    }
}

/// One part of a confused cluster: a label on the other side and how many documents it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part<L> {
    /// The gold label (in a mixed predicted cluster) or the predicted label (in a split gold
    /// cluster).
    pub label: L,
    /// Documents of the cluster with that label.
    pub articles: usize,
}

/// A predicted cluster that holds documents of more than one gold cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mixed<G, P> {
    /// The predicted label.
    pub predicted: P,
    /// The gold clusters it holds documents of, the largest share first.
    pub gold: Vec<Part<G>>,
    /// Pairs of its documents that it joins but the gold keeps apart.
    pub wrong_pairs: u64,
}

/// A gold cluster whose documents went to more than one predicted cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Split<G, P> {
    /// The gold label.
    pub gold: G,
    /// The predicted clusters its documents went to, the largest share first.
    pub predicted: Vec<Part<P>>,
    /// Pairs of its documents that the prediction keeps apart.
    pub missed_pairs: u64,
}

/// The largest errors of a clustering: where it joined what the gold keeps apart, and where it
/// kept apart what the gold joins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confusions<G, P> {
    /// Mixed predicted clusters, the most wrong pairs first (ties: lower label).
    pub mixed: Vec<Mixed<G, P>>,
    /// Split gold clusters, the most missed pairs first (ties: lower label).
    pub split: Vec<Split<G, P>>,
}

/// The `limit` largest mixed predicted clusters and split gold clusters (by the pairs they cost
/// pairwise precision and recall). Deterministic: parts and entries are ordered by size, then by
/// label.
///
/// # Panics
/// When the two slices differ in length.
pub fn confusions<G: Ord + Clone, P: Ord + Clone>(gold: &[G], pred: &[P], limit: usize) -> Confusions<G, P> {
    use std::collections::BTreeMap;
    assert_eq!(gold.len(), pred.len(), "gold and predicted labels must cover the same documents");
    let mut cells: BTreeMap<(&G, &P), usize> = BTreeMap::new();
    for (g, p) in gold.iter().zip(pred) {
        *cells.entry((g, p)).or_insert(0) += 1;
    }
    let mut by_pred: BTreeMap<&P, Vec<Part<G>>> = BTreeMap::new();
    let mut by_gold: BTreeMap<&G, Vec<Part<P>>> = BTreeMap::new();
    for (&(g, p), &n) in &cells {
        by_pred.entry(p).or_default().push(Part { label: g.clone(), articles: n });
        by_gold.entry(g).or_default().push(Part { label: p.clone(), articles: n });
    }
    // Pairs across the parts: (sum² − Σ n²) / 2.
    fn across<L>(parts: &[Part<L>]) -> u64 {
        let total: u64 = parts.iter().map(|x| x.articles as u64).sum();
        let squares: u64 = parts.iter().map(|x| (x.articles as u64).pow(2)).sum();
        (total * total - squares) / 2
    }
    fn order<L: Ord>(parts: &mut [Part<L>]) {
        parts.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.label.cmp(&b.label)));
    }
    let mut mixed: Vec<Mixed<G, P>> = by_pred
        .into_iter()
        .filter(|(_, parts)| parts.len() > 1)
        .map(|(p, mut parts)| {
            order(&mut parts);
            Mixed { predicted: p.clone(), wrong_pairs: across(&parts), gold: parts }
        })
        .collect();
    mixed.sort_by(|a, b| b.wrong_pairs.cmp(&a.wrong_pairs).then_with(|| a.predicted.cmp(&b.predicted)));
    mixed.truncate(limit);
    let mut split: Vec<Split<G, P>> = by_gold
        .into_iter()
        .filter(|(_, parts)| parts.len() > 1)
        .map(|(g, mut parts)| {
            order(&mut parts);
            Split { gold: g.clone(), missed_pairs: across(&parts), predicted: parts }
        })
        .collect();
    split.sort_by(|a, b| b.missed_pairs.cmp(&a.missed_pairs).then_with(|| a.gold.cmp(&b.gold)));
    split.truncate(limit);
    Confusions { mixed, split }
}

/// Shuffles `v` in place, the same way for the same seed on every machine (Fisher–Yates driven
/// by xorshift64*): for measuring how much a clustering depends on the order documents arrive
/// in, as an undated archive has no order of its own.
pub fn shuffle<T>(v: &mut [T], seed: u64) {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..v.len()).rev() {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        v.swap(i, (r % (i as u64 + 1)) as usize);
    }
}

/// Words shared between a gold text and an extracted one, counted as overlapping runs of
/// [`SHINGLE_WORDS`] words (a text shorter than that is one run), each share of the page's runs:
/// true positives (in both), false positives (extracted only) and false negatives (gold only),
/// summing to 1 so that every page weighs the same. The measure of the public article-extraction
/// benchmark the project reports against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Overlap {
    /// Share of runs in both texts.
    pub tp: f64,
    /// Share of runs only in the extracted text.
    pub fp: f64,
    /// Share of runs only in the gold text.
    pub fn_: f64,
}

/// Words per run in [`text_overlap`].
pub const SHINGLE_WORDS: usize = 4;

/// Compares an extracted text with the gold one (see [`Overlap`]). Words are runs of letters,
/// digits and underscores; case counts.
///
/// ```
/// use storyline_core::eval::text_overlap;
///
/// let o = text_overlap("one two three four five", "one two three four");
/// assert!((o.tp - 0.5).abs() < 1e-12 && (o.fn_ - 0.5).abs() < 1e-12 && o.fp == 0.0);
/// ```
pub fn text_overlap(gold: &str, extracted: &str) -> Overlap {
    let runs = |text: &str| -> HashMap<Vec<String>, u32> {
        let words: Vec<String> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let mut out: HashMap<Vec<String>, u32> = HashMap::new();
        if words.is_empty() {
            return out;
        }
        let n = SHINGLE_WORDS.min(words.len());
        for w in words.windows(n) {
            *out.entry(w.to_vec()).or_insert(0) += 1;
        }
        out
    };
    let (g, e) = (runs(gold), runs(extracted));
    let (mut tp, mut fp, mut fn_) = (0.0f64, 0.0f64, 0.0f64);
    for (run, &n) in &g {
        let m = e.get(run).copied().unwrap_or(0);
        tp += f64::from(n.min(m));
        fn_ += f64::from(n.saturating_sub(m));
    }
    for (run, &m) in &e {
        let n = g.get(run).copied().unwrap_or(0);
        fp += f64::from(m.saturating_sub(n));
    }
    let sum = tp + fp + fn_;
    if sum > 0.0 {
        (tp, fp, fn_) = (tp / sum, fp / sum, fn_ / sum);
    }
    Overlap { tp, fp, fn_ }
}

/// Precision, recall and F1 of extraction over pages: precision is the mean over pages that
/// extracted something, recall the mean over pages with gold text, F1 their harmonic mean. A
/// page whose texts agree exactly (nothing extracted wrongly, nothing missed) scores 1 on both.
pub fn extraction_scores(pages: &[Overlap]) -> (f64, f64, f64) {
    // The mean over pages of the share of runs in both texts among those in both or in
    // `other` (the extracted ones only, or the gold ones only); a page with no such run is
    // left out, one whose texts agree exactly counts 1.
    let mean_share = |other: fn(&Overlap) -> f64| {
        let shares: Vec<f64> = pages
            .iter()
            .filter_map(|o| {
                if o.fp == 0.0 && o.fn_ == 0.0 {
                    return Some(1.0);
                }
                let all = o.tp + other(o);
                (all > 0.0).then(|| o.tp / all)
            })
            .collect();
        if shares.is_empty() {
            0.0
        } else {
            shares.iter().sum::<f64>() / shares.len() as f64
        }
    };
    let precision = mean_share(|o| o.fp);
    let recall = mean_share(|o| o.fn_);
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    (precision, recall, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffle_is_a_deterministic_permutation() {
        let start: Vec<u32> = (0..50).collect();
        let (mut a, mut b, mut c) = (start.clone(), start.clone(), start.clone());
        shuffle(&mut a, 7);
        shuffle(&mut b, 7);
        shuffle(&mut c, 8);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, start);
        a.sort_unstable();
        assert_eq!(a, start);
        // A fixed seed gives a fixed order (the order must not change between versions).
        let mut small = vec![1, 2, 3, 4, 5];
        shuffle(&mut small, 1);
        assert_eq!(small, [5, 3, 2, 4, 1]);
        let mut empty: Vec<u8> = Vec::new();
        shuffle(&mut empty, 3);
    }

    #[test]
    fn confusions_name_the_mixed_and_the_split_clusters() {
        // Gold a: 4 documents, b: 2, c: 1. Predicted 1 holds a×3 and b×2; 2 holds a×1; 3 holds c.
        let gold = ["a", "a", "a", "a", "b", "b", "c"];
        let pred = [1, 1, 1, 2, 1, 1, 3];
        let c = confusions(&gold, &pred, 10);
        assert_eq!(
            c.mixed,
            [Mixed {
                predicted: 1,
                gold: vec![Part { label: "a", articles: 3 }, Part { label: "b", articles: 2 }],
                wrong_pairs: 6,
            }]
        );
        assert_eq!(
            c.split,
            [Split {
                gold: "a",
                predicted: vec![Part { label: 1, articles: 3 }, Part { label: 2, articles: 1 }],
                missed_pairs: 3,
            }]
        );
        // The wrong and missed pairs are exactly what pairwise precision and recall lose.
        let s = score(&gold, &pred);
        let (pred_pairs, gold_pairs) = (10.0 + 0.0, 6.0 + 1.0);
        assert!(close(s.pairwise_p, (pred_pairs - 6.0) / pred_pairs));
        assert!(close(s.pairwise_r, (gold_pairs - 3.0) / gold_pairs));
        // Largest first, ties by label, and the limit holds.
        let gold = ["x", "x", "y", "y", "z", "z"];
        let pred = [1, 2, 3, 4, 5, 5];
        let c = confusions(&gold, &pred, 1);
        assert!(c.mixed.is_empty());
        assert_eq!(c.split.len(), 1);
        assert_eq!((c.split[0].gold, c.split[0].missed_pairs), ("x", 1));
        // A perfect clustering has nothing to show.
        let c = confusions(&["a", "b"], &[7, 8], 10);
        assert!(c.mixed.is_empty() && c.split.is_empty());
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn hand_computed_example() {
        // Gold: {0,1,2} as A, {3,4} as B. Predicted: {0,1} as x, {2,3,4} as y.
        let gold = ["A", "A", "A", "B", "B"];
        let pred = ["x", "x", "y", "y", "y"];
        let s = score(&gold, &pred);
        // Pairs. Gold pairs: C(3,2) + C(2,2) = 3 + 1 = 4. Predicted pairs: C(2,2) + C(3,2) =
        // 1 + 3 = 4. Cells: (A,x)=2, (A,y)=1, (B,y)=2, so true pairs = 1 + 0 + 1 = 2.
        // P = 2/4 = 0.5, R = 2/4 = 0.5, F1 = 0.5.
        assert!(close(s.pairwise_p, 0.5));
        assert!(close(s.pairwise_r, 0.5));
        assert!(close(s.pairwise_f1, 0.5));
        // B-cubed precision per document: docs 0,1 (x, both A): 2/2 = 1 each; doc 2 (y, A):
        // 1/3; docs 3,4 (y, B): 2/3 each. Sum = 1 + 1 + 1/3 + 2/3 + 2/3 = 11/3; P = 11/15.
        // Recall: docs 0,1 (A, both x): 2/3 each; doc 2 (A, y): 1/3; docs 3,4 (B, both y): 2/2
        // = 1 each. Sum = 2/3 + 2/3 + 1/3 + 1 + 1 = 11/3; R = 11/15. F1 = 11/15.
        assert!(close(s.bcubed_p, 11.0 / 15.0));
        assert!(close(s.bcubed_r, 11.0 / 15.0));
        assert!(close(s.bcubed_f1, 11.0 / 15.0));
        assert_eq!((s.gold_clusters, s.pred_clusters, s.docs), (2, 2, 5));
    }

    #[test]
    fn uneven_example() {
        // Gold: A = {0,1,2,3}, B = {4}. Predicted: one cluster of all five.
        let gold = [1, 1, 1, 1, 2];
        let pred = [7, 7, 7, 7, 7];
        let s = score(&gold, &pred);
        // Gold pairs: C(4,2) = 6. Predicted pairs: C(5,2) = 10. True pairs: 6.
        // P = 6/10 = 0.6, R = 1, F1 = 2 * 0.6 / 1.6 = 0.75.
        assert!(close(s.pairwise_p, 0.6));
        assert!(close(s.pairwise_r, 1.0));
        assert!(close(s.pairwise_f1, 0.75));
        // B-cubed precision: four A docs 4/5 each, the B doc 1/5: (16/5 + 1/5) / 5 = 17/25.
        // Recall: every document's gold cluster lies inside its predicted one: 1.
        // F1 = 2 * (17/25) / (17/25 + 1) = 34/42 = 17/21.
        assert!(close(s.bcubed_p, 17.0 / 25.0));
        assert!(close(s.bcubed_r, 1.0));
        assert!(close(s.bcubed_f1, 17.0 / 21.0));
    }

    #[test]
    fn perfect_and_relabelled() {
        let gold = ["a", "b", "a", "c", "b"];
        let pred = [3, 9, 3, 1, 9];
        let s = score(&gold, &pred);
        assert!(close(s.pairwise_f1, 1.0) && close(s.bcubed_f1, 1.0));
        assert_eq!((s.gold_clusters, s.pred_clusters), (3, 3));
    }

    #[test]
    fn all_singletons() {
        // Gold: {0,1}, {2}, {3}. Predicted: every document alone.
        let gold = ["a", "a", "b", "c"];
        let pred = [0, 1, 2, 3];
        let s = score(&gold, &pred);
        // No predicted pairs: precision 1 (nothing joined wrongly). One gold pair, none found:
        // recall 0, F1 0.
        assert!(close(s.pairwise_p, 1.0));
        assert!(close(s.pairwise_r, 0.0));
        assert!(close(s.pairwise_f1, 0.0));
        // B-cubed precision 1; recall: docs 0,1 get 1/2, docs 2,3 get 1: 3/4. F1 = 1.5/1.75 = 6/7.
        assert!(close(s.bcubed_p, 1.0));
        assert!(close(s.bcubed_r, 0.75));
        assert!(close(s.bcubed_f1, 6.0 / 7.0));
        // Both sides all singletons: perfect.
        let s = score(&[1, 2, 3], &[4, 5, 6]);
        assert!(close(s.pairwise_f1, 1.0) && close(s.bcubed_f1, 1.0));
    }

    #[test]
    fn one_cluster() {
        // Gold one story of three, predicted one story of three: perfect.
        let s = score(&["s", "s", "s"], &[0, 0, 0]);
        assert!(close(s.pairwise_f1, 1.0) && close(s.bcubed_f1, 1.0));
        // Gold three stories, predicted one: pairwise precision 0 of 3 pairs, recall vacuous.
        let s = score(&["a", "b", "c"], &[0, 0, 0]);
        assert!(close(s.pairwise_p, 0.0) && close(s.pairwise_r, 1.0) && close(s.pairwise_f1, 0.0));
        // B-cubed precision 1/3 for each document, recall 1: F1 = (2/3) / (4/3) = 1/2.
        assert!(close(s.bcubed_p, 1.0 / 3.0) && close(s.bcubed_f1, 0.5));
    }

    #[test]
    fn empty() {
        let s = score::<u8, u8>(&[], &[]);
        assert_eq!((s.docs, s.gold_clusters, s.pred_clusters), (0, 0, 0));
        assert!(close(s.pairwise_f1, 1.0) && close(s.bcubed_f1, 1.0));
    }

    #[test]
    #[should_panic]
    fn lengths_must_match() {
        score(&[1, 2], &[1]);
    }

    #[test]
    fn text_overlap_counts_runs_of_words_and_weighs_every_page_the_same() {
        // Identical texts: all in both.
        let same = text_overlap("De raad telde zondag 31 zetels.", "De raad telde zondag 31 zetels.");
        assert_eq!((same.tp, same.fp, same.fn_), (1.0, 0.0, 0.0));
        // Extra furniture after the article: precision falls, recall stays whole.
        let gold = "Bij Roermond is een dijk langs de Maas bezweken";
        let o = text_overlap(gold, &format!("{gold} Lees ook Meer nieuws Deel dit artikel"));
        assert!(o.fp > 0.0 && o.fn_ == 0.0);
        // Nothing extracted: no precision to count, recall 0.
        let none = text_overlap(gold, "");
        assert_eq!((none.tp, none.fp, none.fn_), (0.0, 0.0, 1.0));
        let (p, r, f1) = extraction_scores(&[same, none]);
        assert_eq!(p, 1.0);
        assert!((r - 0.5).abs() < 1e-12);
        assert!((f1 - 2.0 / 3.0).abs() < 1e-12);
        // A repeated run counts as often as it occurs.
        let twice = text_overlap("a b c d", "a b c d a b c d");
        assert!(twice.fp > 0.0);
    }
}
