//! The learned join decision: a logistic regression over the features of one (article,
//! candidate story) pair, its file format, and its training.
//!
//! The features are computed by one function, [`Clusterer::pair_features`](super::Clusterer),
//! at training and at run time. A model file is JSON: the feature names in order (a file
//! written for another feature list is refused, never misread), one weight per feature and a
//! bias. The shipped model (`models/cluster.json`) is compiled in; `storyline train stories`
//! writes a new one.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

/// The names of the pair features, in the order of the vector.
pub const FEATURES: [&str; FEATURE_COUNT] = [
    "text",
    "title",
    "lead",
    "member",
    "keys",
    "person",
    "organization",
    "place",
    "other_name",
    "figure",
    "named_date",
    "published_day",
    "other_language",
    "keys_other_language",
    "both_dated",
    "one_dated",
    "hours_apart",
    "days_apart",
    "date_conflict",
    "event_days_apart",
    "event_days_known",
    "anchors_shared",
    "anchors_disjoint",
    "key_support",
    "headline",
    "headline_text",
    "dormant",
];

/// Number of pair features.
pub const FEATURE_COUNT: usize = 27;

/// The position of feature `name` in [`FEATURES`]; a name that is not there fails to compile
/// where it is used in a constant.
pub(crate) const fn feature_index(name: &str) -> usize {
    let mut i = 0;
    while i < FEATURE_COUNT {
        let (a, b) = (FEATURES[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such pair feature")
}

/// The features of one (article, story) pair.
pub type PairFeatures = [f32; FEATURE_COUNT];

/// The format tag of a model file.
const FORMAT: &str = "storyline-cluster-1";

/// The shipped model.
const BUILTIN: &str = include_str!("../../../../models/cluster.json");

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not JSON of the expected shape.
    #[error("not a clustering model: {0}")]
    Parse(#[from] serde_json::Error),
    /// Another format.
    #[error("model format `{0}` is not `{FORMAT}`")]
    Format(String),
    /// Written for another list of features.
    #[error("the model's features ({found}) are not this version's ({expected})")]
    Features {
        /// The features the file names.
        found: String,
        /// The features this version computes.
        expected: String,
    },
    /// A weight that is not a finite number.
    #[error("weight of `{0}` is not a finite number")]
    Weight(String),
}

/// A logistic regression deciding whether an article reports a candidate story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    format: String,
    /// The feature names, in order.
    features: Vec<String>,
    /// One weight per feature.
    weights: Vec<f32>,
    /// The intercept.
    bias: f32,
    /// The probability at or above which an article joins its most probable story: chosen at
    /// training for the best B-cubed F1 over the training sets' replays, not for the pairs'
    /// accuracy (a headline left out of an 80-report story costs more than a doubtful join).
    pub threshold: f32,
    /// What it was trained on (file names, orders, examples), for the record.
    #[serde(default)]
    pub trained_on: Vec<String>,
}

impl Model {
    /// The model shipped with storyline (`models/cluster.json`).
    pub fn builtin() -> Arc<Model> {
        static MODEL: OnceLock<Arc<Model>> = OnceLock::new();
        MODEL
            .get_or_init(|| match Model::from_json(BUILTIN) {
                Ok(m) => Arc::new(m),
                // The file is compiled in and checked by a test.
                Err(e) => unreachable!("models/cluster.json: {e}"),
            })
            .clone()
    }

    /// Reads a model file's text, checking that it was written for these features.
    pub fn from_json(text: &str) -> Result<Model, ModelError> {
        let m: Model = serde_json::from_str(text)?;
        if m.format != FORMAT {
            return Err(ModelError::Format(m.format));
        }
        if m.features.len() != FEATURE_COUNT || m.features.iter().zip(FEATURES).any(|(a, b)| a != b) {
            return Err(ModelError::Features { found: m.features.join(","), expected: FEATURES.join(",") });
        }
        if m.weights.len() != FEATURE_COUNT {
            return Err(ModelError::Features {
                found: format!("{} weights", m.weights.len()),
                expected: format!("{FEATURE_COUNT} weights"),
            });
        }
        for (w, name) in m.weights.iter().zip(FEATURES) {
            if !w.is_finite() {
                return Err(ModelError::Weight(name.to_string()));
            }
        }
        if !m.bias.is_finite() {
            return Err(ModelError::Weight("bias".into()));
        }
        if !(m.threshold > 0.0 && m.threshold < 1.0) {
            return Err(ModelError::Weight("threshold".into()));
        }
        Ok(m)
    }

    /// The model as a file's text (one weight a line, named).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\n");
        out.push_str(&format!("  \"format\": {:?},\n", self.format));
        let quoted: Vec<String> = self.trained_on.iter().map(|t| format!("    {}", json_string(t))).collect();
        out.push_str(&format!("  \"trained_on\": [\n{}\n  ],\n", quoted.join(",\n")));
        let names: Vec<String> = self.features.iter().map(|f| format!("    {f:?}")).collect();
        out.push_str(&format!("  \"features\": [\n{}\n  ],\n", names.join(",\n")));
        let weights: Vec<String> = self.weights.iter().map(|w| format!("    {w:.6}")).collect();
        out.push_str(&format!("  \"weights\": [\n{}\n  ],\n", weights.join(",\n")));
        out.push_str(&format!("  \"bias\": {:.6},\n", self.bias));
        out.push_str(&format!("  \"threshold\": {:.3}\n}}\n", self.threshold));
        out
    }

    /// A model from weights and a bias.
    pub fn new(weights: PairFeatures, bias: f32, trained_on: Vec<String>) -> Model {
        Model {
            format: FORMAT.into(),
            features: FEATURES.iter().map(|f| f.to_string()).collect(),
            weights: weights.to_vec(),
            bias,
            threshold: 0.5,
            trained_on,
        }
    }

    /// The weight of each feature, by name.
    pub fn weights(&self) -> impl Iterator<Item = (&str, f32)> {
        self.features.iter().map(String::as_str).zip(self.weights.iter().copied())
    }

    /// The probability that the pair reports one story.
    pub fn probability(&self, x: &PairFeatures) -> f32 {
        let mut z = self.bias;
        for (w, v) in self.weights.iter().zip(x) {
            z += w * v;
        }
        1.0 / (1.0 + (-z).exp())
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// One labelled pair for training.
#[derive(Debug, Clone)]
pub struct Example {
    /// The pair's features.
    pub x: PairFeatures,
    /// Whether the article reports the candidate story.
    pub joins: bool,
    /// The weight of the example in the loss (to give each data set an equal say).
    pub weight: f64,
}

/// Fits a logistic regression by Newton's method with an L2 penalty `l2` on the standardised
/// weights (not the bias). Deterministic: the same examples in the same order give the same
/// model.
#[allow(clippy::needless_range_loop)] // matrix arithmetic reads clearest by index
pub fn fit(examples: &[Example], l2: f64, trained_on: Vec<String>) -> Model {
    const N: usize = FEATURE_COUNT;
    let total: f64 = examples.iter().map(|e| e.weight).sum::<f64>().max(1e-12);
    // Standardise: mean and spread per feature (weighted).
    let mut mean = [0f64; N];
    for e in examples {
        for j in 0..N {
            mean[j] += e.weight * f64::from(e.x[j]);
        }
    }
    mean.iter_mut().for_each(|m| *m /= total);
    let mut sd = [0f64; N];
    for e in examples {
        for j in 0..N {
            let d = f64::from(e.x[j]) - mean[j];
            sd[j] += e.weight * d * d;
        }
    }
    sd.iter_mut().for_each(|s| *s = (*s / total).sqrt().max(1e-6));
    let z = |e: &Example, j: usize| (f64::from(e.x[j]) - mean[j]) / sd[j];

    // Parameters: N weights and the bias last.
    const M: usize = N + 1;
    let mut beta = [0f64; M];
    for _ in 0..50 {
        let mut grad = [0f64; M];
        let mut hess = vec![[0f64; M]; M];
        for e in examples {
            let mut row = [0f64; M];
            for (j, r) in row.iter_mut().enumerate().take(N) {
                *r = z(e, j);
            }
            row[N] = 1.0;
            let s: f64 = row.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-s).exp());
            let y = if e.joins { 1.0 } else { 0.0 };
            let w = e.weight / total;
            let h = w * (p * (1.0 - p)).max(1e-9);
            for a in 0..M {
                grad[a] += w * (p - y) * row[a];
                for b in 0..=a {
                    hess[a][b] += h * row[a] * row[b];
                }
            }
        }
        for a in 0..M {
            for b in 0..a {
                hess[b][a] = hess[a][b];
            }
        }
        for j in 0..N {
            grad[j] += l2 * beta[j];
            hess[j][j] += l2;
        }
        hess[N][N] += 1e-9;
        let Some(step) = solve(hess, grad) else { break };
        let mut change = 0f64;
        for j in 0..M {
            beta[j] -= step[j];
            change = change.max(step[j].abs());
        }
        if change < 1e-7 {
            break;
        }
    }
    // Back to the raw features: w_j = beta_j / sd_j, bias = beta_N - sum(w_j * mean_j).
    let mut weights = [0f32; N];
    let mut bias = beta[N];
    for j in 0..N {
        let w = beta[j] / sd[j];
        weights[j] = w as f32;
        bias -= w * mean[j];
    }
    Model::new(weights, bias as f32, trained_on)
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting (`None` when singular).
#[allow(clippy::needless_range_loop)] // matrix arithmetic reads clearest by index
fn solve(mut a: Vec<[f64; FEATURE_COUNT + 1]>, mut b: [f64; FEATURE_COUNT + 1]) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            if f != 0.0 {
                for k in col..n {
                    a[row][k] -= f * a[col][k];
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = vec![0f64; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_reads_and_round_trips() {
        let m = Model::builtin();
        assert_eq!(Model::from_json(&m.to_json()).unwrap(), *m);
    }

    #[test]
    fn a_model_for_other_features_is_refused() {
        let m = Model::builtin();
        let text = m.to_json().replacen("\"text\"", "\"words\"", 1);
        assert!(matches!(Model::from_json(&text), Err(ModelError::Features { .. })), "{text}");
        let text = m.to_json().replacen(FORMAT, "storyline-cluster-0", 1);
        assert!(matches!(Model::from_json(&text), Err(ModelError::Format(_))));
        assert!(Model::from_json("{}").is_err());
    }

    #[test]
    fn fitting_separates_what_the_features_separate() {
        // Joins when the text cosine is high, whatever the noise in another feature.
        let mut examples = Vec::new();
        for i in 0..400u32 {
            let mut x = [0f32; FEATURE_COUNT];
            x[0] = (i % 20) as f32 / 20.0;
            x[4] = ((i * 7) % 13) as f32 / 13.0;
            examples.push(Example { x, joins: x[0] > 0.5, weight: 1.0 });
        }
        let m = fit(&examples, 1e-3, vec![]);
        let at = |text: f32| {
            let mut x = [0f32; FEATURE_COUNT];
            x[0] = text;
            x[4] = 0.5;
            m.probability(&x)
        };
        assert!(at(0.9) > 0.9 && at(0.1) < 0.1, "{} {}", at(0.9), at(0.1));
        let w: Vec<(&str, f32)> = m.weights().collect();
        assert!(w[0].1 > 5.0 * w[4].1.abs(), "{w:?}");
    }
}
