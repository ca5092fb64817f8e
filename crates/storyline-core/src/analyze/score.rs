//! Scoring the annotators against hand-annotated articles: precision, recall and F1 per
//! annotation type.
//!
//! The gold format is JSON Lines, one article per line: `id`, `published`, `language`,
//! `title`, `text`, and the lists `entities` (`text`, `type`, `key`, `role`), `quotes` (`text`,
//! `speaker`, `kind`), `quantities` (`text`, `value`, `min`, `max`, `approx`, `noun`,
//! `modifiers`, `unit`) and `times` (`text`, `value`, `granularity`), one entry per mention in
//! text order. Matching is by content, not by offsets, so the gold needs no hand-counted
//! character positions:
//!
//! - entities: the same mention text and type (each gold mention matched at most once);
//! - entity keys: of all pairs of gold mentions, whether the predicted keys agree on "same
//!   entity or not" where the gold keys do (pairwise F1 over mentions that were found);
//! - quotes with speakers: the quoted words overlap (word Jaccard ≥ 0.5, or one contains the
//!   other) and the speakers agree (same last word of the name or phrase, case-insensitive);
//! - quantities with nouns: the same value and the same noun (case-insensitive);
//! - times: the same text (case-insensitive, trimmed) and the same resolved value.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{analyze, Analysis};
use crate::date::Published;

/// A gold entity mention.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    /// The mention as written.
    pub text: String,
    /// `person`, `organization`, `place` or `other`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The entity's key.
    pub key: String,
}

/// A gold quote.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuote {
    /// The quoted words.
    pub text: String,
    /// Who said them.
    pub speaker: String,
}

/// A gold quantity.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuantity {
    /// The expression.
    pub text: String,
    /// Its value.
    pub value: f64,
    /// The counted noun, singular.
    pub noun: Option<String>,
}

/// A gold time expression.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldTime {
    /// The expression.
    pub text: String,
    /// Its resolved value.
    pub value: Option<String>,
}

/// One hand-annotated article.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDoc {
    /// Its id.
    pub id: String,
    /// Publication date at its precision.
    pub published: Option<String>,
    /// Language code.
    pub language: String,
    /// The text.
    pub text: String,
    /// Entity mentions.
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    /// Quotes.
    #[serde(default)]
    pub quotes: Vec<GoldQuote>,
    /// Quantities.
    #[serde(default)]
    pub quantities: Vec<GoldQuantity>,
    /// Time expressions.
    #[serde(default)]
    pub times: Vec<GoldTime>,
}

/// Counts for one annotation type.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Counts {
    /// Predictions that match a gold annotation.
    pub true_positives: usize,
    /// All predictions.
    pub predicted: usize,
    /// All gold annotations.
    pub gold: usize,
}

impl Counts {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.true_positives as f64 / self.predicted as f64
        }
    }
    /// Recall (1 when there was nothing to find).
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.true_positives as f64 / self.gold as f64
        }
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: Counts) {
        self.true_positives += other.true_positives;
        self.predicted += other.predicted;
        self.gold += other.gold;
    }
}

/// Scores per annotation type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Entity mentions (text and type).
    pub entities: Counts,
    /// Entity keys: pairwise same-entity decisions among found mentions.
    pub entity_keys: Counts,
    /// Quotes with their speakers.
    pub quotes: Counts,
    /// Quantities with their nouns.
    pub quantities: Counts,
    /// Time expressions with their values.
    pub times: Counts,
    /// Articles scored.
    pub documents: usize,
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Greedy one-to-one matching: each prediction takes the first unmatched gold item it fits.
fn match_count<P, G>(pred: &[P], gold: &[G], fits: impl Fn(&P, &G) -> bool) -> (usize, Vec<Option<usize>>) {
    let mut used = vec![false; gold.len()];
    let mut pairs = Vec::with_capacity(pred.len());
    let mut tp = 0;
    for p in pred {
        let found = gold.iter().enumerate().position(|(i, g)| !used[i] && fits(p, g));
        if let Some(i) = found {
            used[i] = true;
            tp += 1;
        }
        pairs.push(found);
    }
    (tp, pairs)
}

fn last_word(s: &str) -> String {
    words(s).pop().unwrap_or_default()
}

fn quote_overlap(a: &str, b: &str) -> bool {
    let (na, nb) = (norm(a), norm(b));
    if na.contains(&nb) || nb.contains(&na) {
        return true;
    }
    let (wa, wb) = (words(a), words(b));
    let inter = wa.iter().filter(|w| wb.contains(w)).count();
    let union = wa.len() + wb.len() - inter;
    union > 0 && inter as f64 / union as f64 >= 0.5
}

/// Scores one analysis against its gold annotations.
pub fn score_doc(pred: &Analysis, gold: &GoldDoc) -> Scores {
    let mut s = Scores { documents: 1, ..Scores::default() };
    let kind_name = |k: super::EntityType| {
        serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    };
    // Nationality words are other names in the analysis (CoNLL's convention); the annotated
    // sets leave them out by theirs, so they are no error here.
    let named: Vec<super::Entity> = pred.entities.iter().filter(|e| !e.is_nationality()).cloned().collect();
    let (tp, pairs) = match_count(&named, &gold.entities, |p, g| {
        p.text.trim() == g.text.trim() && kind_name(p.kind) == g.kind
    });
    s.entities = Counts { true_positives: tp, predicted: named.len(), gold: gold.entities.len() };
    // Key agreement over matched mentions.
    let matched: Vec<(&str, &str)> = pairs
        .iter()
        .enumerate()
        .filter_map(|(pi, gi)| gi.map(|gi| (named[pi].key.as_str(), gold.entities[gi].key.as_str())))
        .collect();
    let mut keys = Counts::default();
    for i in 0..matched.len() {
        for j in i + 1..matched.len() {
            let same_pred = matched[i].0 == matched[j].0;
            let same_gold = matched[i].1 == matched[j].1;
            keys.predicted += usize::from(same_pred);
            keys.gold += usize::from(same_gold);
            keys.true_positives += usize::from(same_pred && same_gold);
        }
    }
    s.entity_keys = keys;
    let (tp, _) = match_count(&pred.quotes, &gold.quotes, |p, g| {
        quote_overlap(&p.text, &g.text)
            && p.speaker.as_deref().is_some_and(|sp| last_word(sp) == last_word(&g.speaker))
    });
    s.quotes = Counts { true_positives: tp, predicted: pred.quotes.len(), gold: gold.quotes.len() };
    let (tp, _) = match_count(&pred.quantities, &gold.quantities, |p, g| {
        (p.value - g.value).abs() <= 1e-6 * g.value.abs().max(1.0)
            && p.noun.as_deref().map(str::to_lowercase) == g.noun.as_deref().map(str::to_lowercase)
    });
    s.quantities =
        Counts { true_positives: tp, predicted: pred.quantities.len(), gold: gold.quantities.len() };
    let (tp, _) =
        match_count(&pred.times, &gold.times, |p, g| norm(&p.text) == norm(&g.text) && p.value == g.value);
    s.times = Counts { true_positives: tp, predicted: pred.times.len(), gold: gold.times.len() };
    s
}

/// Runs the default analysis over gold articles and adds up the scores.
pub fn score(gold: &[GoldDoc]) -> Scores {
    let mut total = Scores::default();
    for g in gold {
        let published = g.published.as_deref().and_then(|p| Published::parse(p).ok());
        let pred = analyze(&g.text, &g.language, published);
        let s = score_doc(&pred, g);
        total.entities.add(s.entities);
        total.entity_keys.add(s.entity_keys);
        total.quotes.add(s.quotes);
        total.quantities.add(s.quantities);
        total.times.add(s.times);
        total.documents += 1;
    }
    total
}

/// Reads gold articles from JSON Lines text.
pub fn read_gold(jsonl: &str) -> Result<Vec<GoldDoc>, String> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// A readable table of scores.
pub fn report(s: &Scores) -> String {
    let mut rows: BTreeMap<&str, Counts> = BTreeMap::new();
    rows.insert("1 entities", s.entities);
    rows.insert("2 entity keys", s.entity_keys);
    rows.insert("3 quotes+speakers", s.quotes);
    rows.insert("4 quantities+nouns", s.quantities);
    rows.insert("5 times", s.times);
    let mut out = format!(
        "{} articles\n{:<20} {:>6} {:>6} {:>6}   tp/pred/gold\n",
        s.documents, "type", "P", "R", "F1"
    );
    for (name, c) in rows {
        out.push_str(&format!(
            "{:<20} {:>6.3} {:>6.3} {:>6.3}   {}/{}/{}\n",
            &name[2..],
            c.precision(),
            c.recall(),
            c.f1(),
            c.true_positives,
            c.predicted,
            c.gold
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{Entity, EntityType, Granularity, Quantity, Quote, QuoteKind, TimeExpr};

    #[test]
    fn counts_and_matching_by_hand() {
        let gold: GoldDoc = serde_json::from_str(
            r#"{"id":"t","published":"2025-11-04","language":"nl","text":"x",
            "entities":[{"text":"Jan Smit","type":"person","key":"jan-smit","role":null},{"text":"Smit","type":"person","key":"jan-smit","role":null},{"text":"Zwolle","type":"place","key":"zwolle","role":null}],
            "quotes":[{"text":"We gaan door met het plan","speaker":"Jan Smit","kind":"direct"}],
            "quantities":[{"text":"250 inwoners","value":250,"min":null,"max":null,"approx":false,"noun":"inwoner","modifiers":[],"unit":null}],
            "times":[{"text":"zondag","value":"2025-11-02","granularity":"day"}]}"#,
        )
        .unwrap();
        let ent = |text: &str, kind, key: &str| Entity {
            text: text.into(),
            kind,
            key: key.into(),
            role: None,
            start: 0,
            end: 0,
        };
        let pred = Analysis {
            language: "nl".into(),
            entities: vec![
                ent("Jan Smit", EntityType::Person, "jan-smit"),
                ent("Smit", EntityType::Person, "smit"),
                ent("Zwolle", EntityType::Organization, "zwolle"),
                ent("Maar", EntityType::Other, "maar"),
            ],
            quotes: vec![Quote {
                text: "We gaan door met het plan.".into(),
                speaker: Some("Smit".into()),
                speaker_key: None,
                kind: QuoteKind::Direct,
                start: 0,
                end: 0,
            }],
            quantities: vec![Quantity {
                text: "250 inwoners".into(),
                value: 250.0,
                min: None,
                max: None,
                approx: false,
                noun: Some("inwoner".into()),
                modifiers: vec![],
                unit: None,
                start: 0,
                end: 0,
            }],
            times: vec![TimeExpr {
                text: "Zondag".into(),
                value: Some("2025-11-09".into()),
                granularity: Granularity::Day,
                start: 0,
                end: 0,
            }],
            ..Analysis::default()
        };
        let s = score_doc(&pred, &gold);
        // Entities: Jan Smit and Smit match; Zwolle has the wrong type; Maar is spurious.
        assert_eq!(s.entities, Counts { true_positives: 2, predicted: 4, gold: 3 });
        assert!((s.entities.precision() - 0.5).abs() < 1e-9);
        assert!((s.entities.recall() - 2.0 / 3.0).abs() < 1e-9);
        // Keys: the one pair (Jan Smit, Smit) is the same in gold, split in the prediction.
        assert_eq!(s.entity_keys, Counts { true_positives: 0, predicted: 0, gold: 1 });
        assert_eq!(s.quotes.true_positives, 1);
        assert_eq!(s.quantities.true_positives, 1);
        // The time has the right text but the wrong value.
        assert_eq!(s.times, Counts { true_positives: 0, predicted: 1, gold: 1 });
        assert_eq!(Counts { true_positives: 0, predicted: 0, gold: 0 }.f1(), 1.0);
    }

    /// The hand-annotated Dutch set: prints the figures and holds the floors.
    #[test]
    fn annotated_dutch_set() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
        let mut gold = Vec::new();
        for name in ["annotated-nl-a.jsonl", "annotated-nl-b.jsonl"] {
            if let Ok(text) = std::fs::read_to_string(format!("{dir}/{name}")) {
                gold.extend(read_gold(&text).unwrap_or_else(|e| panic!("{name}: {e}")));
            }
        }
        if gold.is_empty() {
            eprintln!("no annotated set found in {dir}; skipped");
            return;
        }
        let s = score(&gold);
        eprintln!("{}", report(&s));
        // Floors: where each annotator stands now (see the issue notes), minus a margin.
        for (name, c, floor) in [
            ("entities", s.entities, FLOORS[0]),
            ("quotes", s.quotes, FLOORS[1]),
            ("quantities", s.quantities, FLOORS[2]),
            ("times", s.times, FLOORS[3]),
        ] {
            assert!(c.f1() >= floor, "{name} F1 {:.3} is below its floor {floor}", c.f1());
        }
    }

    /// The held-out set (`tests/data/heldout-nl.jsonl`): written without looking at the
    /// annotators and never used to tune them, so its figures are the honest ones.
    #[test]
    fn held_out_dutch_set() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/heldout-nl.jsonl");
        let gold =
            read_gold(&std::fs::read_to_string(path).expect("held-out set")).expect("valid held-out set");
        let s = score(&gold);
        eprintln!("held-out\n{}", report(&s));
        for (name, c, floor) in [
            ("entities", s.entities, HELD_OUT_FLOORS[0]),
            ("quotes", s.quotes, HELD_OUT_FLOORS[1]),
            ("quantities", s.quantities, HELD_OUT_FLOORS[2]),
            ("times", s.times, HELD_OUT_FLOORS[3]),
        ] {
            assert!(c.f1() >= floor, "held-out {name} F1 {:.3} is below its floor {floor}", c.f1());
        }
    }

    /// Held-out F1 floors (entities, quotes, quantities, times): the measured figures less a
    /// margin.
    ///
    /// Names come from the trained tagger (CoNLL-2002 Dutch; its figures on real text are in
    /// `models/README.md`): on this set 0.859, where the hand-written rules, written beside
    /// the annotated sets, scored 0.90.
    const HELD_OUT_FLOORS: [f64; 4] = [0.84, 0.93, 0.87, 0.92];

    /// F1 floors for entities, quotes, quantities and times: the measured figures (0.995, 0.986,
    /// 1.000, 0.991 when set) less a margin. The annotators were tuned while this set existed,
    /// so held-out text will score lower; these floors guard against regressions.
    /// Names since the trained tagger: 0.899 (the rules scored 0.995 on the text they were
    /// written beside).
    const FLOORS: [f64; 4] = [0.88, 0.95, 0.96, 0.96];
}
