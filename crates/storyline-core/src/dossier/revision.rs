//! What changed between two versions of one report: figures whose value changed, figures and
//! quotes added or removed. A pure comparison of the two versions' analyses, which the store
//! runs when an outlet revises a report it ran before.
//!
//! ```
//! use storyline_core::analyze::analyze;
//! use storyline_core::dossier::revision::{changes, Change};
//!
//! let before = analyze("Er vertrokken zo'n 250 IS-strijders uit de stad.", "nl", None);
//! let after = analyze("Er vertrokken zo'n 300 IS-strijders uit de stad.", "nl", None);
//! let found = changes(&before, &after);
//! assert!(matches!(&found[..], [Change::Figure { before: 250.0, after: 300.0, .. }]));
//! assert_eq!(found[0].to_string(), "zo'n 250 → zo'n 300 IS-strijders");
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::analyze::{Analysis, Quantity, Quote};

/// One difference between two versions of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A figure for the same thing has another value.
    Figure {
        /// What is counted (`strijder (IS)`).
        subject: String,
        /// The earlier value.
        before: f64,
        /// The later value.
        after: f64,
        /// The earlier expression as written (`zo'n 250 IS-strijders`).
        before_text: String,
        /// The later expression as written.
        after_text: String,
    },
    /// A figure only the later version gives.
    FigureAdded {
        /// What is counted.
        subject: String,
        /// The expression as written.
        text: String,
    },
    /// A figure only the earlier version gave.
    FigureRemoved {
        /// What is counted.
        subject: String,
        /// The expression as written.
        text: String,
    },
    /// A quote only the later version has.
    QuoteAdded {
        /// Who said it, when known.
        speaker: Option<String>,
        /// The quoted words.
        text: String,
    },
    /// A quote only the earlier version had.
    QuoteRemoved {
        /// Who said it, when known.
        speaker: Option<String>,
        /// The quoted words.
        text: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let said = |speaker: &Option<String>| speaker.as_ref().map(|s| format!("{s}: ")).unwrap_or_default();
        match self {
            Change::Figure { before_text, after_text, .. } => {
                let shared = shared_tail(before_text, after_text);
                let head = before_text[..before_text.len() - shared.len()].trim_end();
                write!(f, "{head} → {after_text}")
            }
            Change::FigureAdded { text, .. } => write!(f, "figure added: {text}"),
            Change::FigureRemoved { text, .. } => write!(f, "figure removed: {text}"),
            Change::QuoteAdded { speaker, text } => write!(f, "quote added: {}“{text}”", said(speaker)),
            Change::QuoteRemoved { speaker, text } => write!(f, "quote removed: {}“{text}”", said(speaker)),
        }
    }
}

/// The words two expressions end with in common (`IS-strijders` of `zo'n 250 IS-strijders` and
/// `zo'n 300 IS-strijders`), with the space before them; empty when they share none or when one
/// is all shared.
fn shared_tail<'a>(a: &'a str, b: &str) -> &'a str {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let n = wa.iter().rev().zip(wb.iter().rev()).take_while(|(x, y)| x == y).count();
    if n == 0 || n >= wa.len() || n >= wb.len() {
        return "";
    }
    let words: usize = wa[wa.len() - n..].iter().map(|w| w.len() + 1).sum();
    &a[a.len() - words..]
}

/// What counts as the same thing counted: the noun, its modifiers and its unit.
fn subject_key(q: &Quantity) -> Option<(String, String)> {
    if q.noun.is_none() && q.unit.is_none() {
        // A bare number (a count of nothing named) is too vague to follow across versions.
        return None;
    }
    let mut mods: Vec<String> = q.modifiers.iter().map(|m| m.to_lowercase()).collect();
    mods.sort();
    mods.dedup();
    let noun = q.noun.as_deref().unwrap_or("").to_lowercase();
    let unit = q.unit.as_deref().unwrap_or("");
    let key = format!("{noun}|{}|{unit}", mods.join(","));
    let mut readable = if noun.is_empty() { unit.to_string() } else { noun };
    if !q.modifiers.is_empty() {
        readable = format!("{readable} ({})", q.modifiers.join(", "));
    }
    Some((key, readable))
}

/// A quote's words reduced for comparison: lowercase words, single spaces, without the numbers
/// (a quote whose only change is a figure is the same quote; the figure is reported itself).
fn quote_key(q: &Quote) -> String {
    let lower = q.text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().any(|c| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What changed from the version analysed as `before` to the one analysed as `after`: figures
/// first (changed values, then added, then removed, each in the later or earlier text's order),
/// then quotes added and removed. Two versions that give the same figures and quotes have no
/// changes, whatever else differs.
///
/// Figures are matched by what they count: values both versions give are left alone; of the
/// rest, the earlier and later values of one subject are paired in text order as changed
/// values, and what remains on one side is added or removed.
pub fn changes(before: &Analysis, after: &Analysis) -> Vec<Change> {
    let mut figures: Vec<Change> = Vec::new();
    let mut added: Vec<Change> = Vec::new();
    let mut removed: Vec<Change> = Vec::new();
    // Subject key -> (readable subject, earlier quantities, later quantities), in first-seen order.
    let mut order: Vec<String> = Vec::new();
    let mut by_subject: BTreeMap<String, (String, Vec<&Quantity>, Vec<&Quantity>)> = BTreeMap::new();
    for (side, analysis) in [(0, before), (1, after)] {
        for q in &analysis.quantities {
            let Some((key, readable)) = subject_key(q) else { continue };
            let entry = by_subject.entry(key.clone()).or_insert_with(|| {
                order.push(key);
                (readable, Vec::new(), Vec::new())
            });
            if side == 0 {
                entry.1.push(q);
            } else {
                entry.2.push(q);
            }
        }
    }
    for key in &order {
        let (subject, was, now) = &by_subject[key];
        let same = |a: &Quantity, b: &Quantity| a.value == b.value && a.min == b.min && a.max == b.max;
        let mut was: Vec<&Quantity> = was.clone();
        let mut now_left: Vec<&Quantity> = Vec::new();
        for q in now {
            match was.iter().position(|w| same(w, q)) {
                Some(i) => {
                    was.remove(i);
                }
                None => now_left.push(q),
            }
        }
        let mut was = was.into_iter();
        for q in now_left {
            match was.next() {
                Some(w) => figures.push(Change::Figure {
                    subject: subject.clone(),
                    before: w.value,
                    after: q.value,
                    before_text: w.text.clone(),
                    after_text: q.text.clone(),
                }),
                None => added.push(Change::FigureAdded { subject: subject.clone(), text: q.text.clone() }),
            }
        }
        for w in was {
            removed.push(Change::FigureRemoved { subject: subject.clone(), text: w.text.clone() });
        }
    }
    let mut out = figures;
    out.append(&mut added);
    out.append(&mut removed);
    let keys = |a: &Analysis| a.quotes.iter().map(quote_key).collect::<Vec<_>>();
    let (was, now) = (keys(before), keys(after));
    let mut seen = std::collections::HashSet::new();
    for (q, k) in after.quotes.iter().zip(&now) {
        if !was.contains(k) && seen.insert(k.clone()) {
            out.push(Change::QuoteAdded { speaker: q.speaker.clone(), text: q.text.clone() });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (q, k) in before.quotes.iter().zip(&was) {
        if !now.contains(k) && seen.insert(k.clone()) {
            out.push(Change::QuoteRemoved { speaker: q.speaker.clone(), text: q.text.clone() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::analyze;

    fn figures_of(changes: &[Change]) -> Vec<(f64, f64)> {
        changes
            .iter()
            .filter_map(|c| match c {
                Change::Figure { before, after, .. } => Some((*before, *after)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn changed_figures_are_paired_by_what_they_count() {
        let before = analyze(
            "Volgens de coalitie vertrokken zo'n 250 strijders en 3500 familieleden in een konvooi van \
             vijftig vrachtwagens.",
            "nl",
            None,
        );
        let after = analyze(
            "Volgens de coalitie vertrokken zo'n 300 strijders en 4000 familieleden in een konvooi van \
             vijftig vrachtwagens.",
            "nl",
            None,
        );
        let found = changes(&before, &after);
        assert_eq!(figures_of(&found), [(250.0, 300.0), (3500.0, 4000.0)], "{found:?}");
        // The fifty lorries did not change, so they are not mentioned.
        assert!(!found.iter().any(|c| c.to_string().contains("vrachtwagens")), "{found:?}");
        assert_eq!(found[0].to_string(), "zo'n 250 → zo'n 300 strijders");
        assert_eq!(found[1].to_string(), "3500 → 4000 familieleden");
        // The reported speech that carries the figures is the same quote: only its figures changed.
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn the_same_figures_and_quotes_are_no_change() {
        let text = "De wethouder sprak van „een tegenvaller van formaat”. De brug kost 14 miljoen euro.";
        let a = analyze(text, "nl", None);
        let b = analyze(&format!("{text} De raad vergadert donderdag."), "nl", None);
        assert_eq!(changes(&a, &b), []);
        assert_eq!(changes(&a, &a), []);
    }

    #[test]
    fn figures_and_quotes_added_and_removed() {
        let before = analyze(
            "Bij de brand raakten 3 brandweerlieden gewond. „We hadden het snel onder controle”, zei \
             commandant Ineke Vos.",
            "nl",
            None,
        );
        let after = analyze(
            "Bij de brand raakten 3 brandweerlieden gewond en werden 40 woningen ontruimd. „Het vuur \
             laaide 's nachts weer op”, zei commandant Ineke Vos.",
            "nl",
            None,
        );
        let found = changes(&before, &after);
        let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert!(shown.iter().any(|s| s.starts_with("figure added: 40 woningen")), "{shown:?}");
        assert!(shown.iter().any(|s| s.starts_with("quote added:") && s.contains("laaide")), "{shown:?}");
        assert!(
            shown.iter().any(|s| s.starts_with("quote removed:") && s.contains("onder controle")),
            "{shown:?}"
        );
        assert!(figures_of(&found).is_empty(), "{shown:?}");
        // And the other way round, the same differences mirrored.
        let back: Vec<String> = changes(&after, &before).iter().map(ToString::to_string).collect();
        assert!(back.iter().any(|s| s.starts_with("figure removed: 40 woningen")), "{back:?}");
    }

    #[test]
    fn shared_tails_are_whole_words() {
        assert_eq!(shared_tail("zo'n 250 IS-strijders", "zo'n 300 IS-strijders"), " IS-strijders");
        assert_eq!(shared_tail("250", "300"), "");
        assert_eq!(shared_tail("12 woningen", "woningen"), "");
    }
}
