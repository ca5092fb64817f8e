//! The story dossier: a story's reports side by side — the timeline with what each report adds,
//! who is quoted saying what, every figure by what it counts, and where the figures disagree.
//!
//! [`build`] reads the articles of one story with their analyses (nothing is re-parsed) and
//! returns a [`Dossier`]; [`compare`] lays two articles side by side. Both are deterministic:
//! the reports are put in publication order (undated after dated, ties by article id), so the
//! result does not depend on the order the articles were stored in.
//!
//! ```
//! use storyline_core::analyze::analyze;
//! use storyline_core::dossier::{build, Input};
//! use storyline_core::ingest::{prepare, text::parse_text, PrepareOptions};
//!
//! let a = prepare(parse_text("date 2025-03-02\nsource De Dagkrant\nBrand in Hengelo\n\nBij een \
//!     brand in Hengelo zijn 12 woningen verwoest."), &PrepareOptions::default());
//! let b = prepare(parse_text("date 2025-03-02\nsource Twentsch Nieuws\nWoningen verwoest bij brand\n\n\
//!     Bij de brand in Hengelo zijn 15 woningen verwoest, meldt de brandweer."),
//!     &PrepareOptions::default());
//! let (xa, xb) = (analyze(&a.text, "nl", a.published), analyze(&b.text, "nl", b.published));
//! let dossier = build(7, None, &[Input::new(&a, &xa), Input::new(&b, &xb)]);
//! assert_eq!(dossier.articles.len(), 2);
//! assert_eq!(dossier.discrepancies.len(), 1);
//! assert_eq!(dossier.discrepancies[0].subject, "woning");
//! ```

mod adds;
mod compare;
mod figures;
pub mod model;
mod quotes;
pub mod revision;
pub mod terms;

pub use compare::compare;
pub use model::*;
pub use terms::{ReportTerms, TermReader, TermStem};

use std::cmp::Ordering;

use crate::analyze::Analysis;
use crate::model::Article;

/// One article of a story with its analysis.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The article.
    pub article: &'a Article,
    /// What the analysis found in it (character offsets, as stored).
    pub analysis: &'a Analysis,
    /// Its key words, when they were read before (as a store does when the article arrives);
    /// read from the article and its analysis otherwise, with the same result.
    pub terms: Option<&'a ReportTerms>,
}

impl<'a> Input<'a> {
    /// An article with its analysis, its key words to be read when the dossier is built.
    pub fn new(article: &'a Article, analysis: &'a Analysis) -> Self {
        Input { article, analysis, terms: None }
    }
}

/// Days after the latest earlier report from which a report with new facts counts as a
/// follow-up rather than part of the first wave.
pub const FOLLOW_UP_DAYS: i64 = 3;

/// Builds the dossier of story `id` from its articles, in any order. `title` is the story's
/// representative title; without one, the first report's headline is used.
pub fn build(id: i64, title: Option<&str>, inputs: &[Input<'_>]) -> Dossier {
    let ordered = timeline_order(inputs);
    let mut dossier = lay_out(&ordered);
    dossier.id = id;
    if let Some(t) = title {
        dossier.title = t.to_string();
    }
    dossier
}

/// Whether a story's dossier lists a discrepancy, as a store keeps it per story
/// ([`discrepancy_state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiscrepancyState {
    /// The dossier lists none.
    Absent,
    /// The dossier lists at least one; a report added to the story may change that.
    Present,
    /// The dossier lists at least one, and so does the dossier of every story that holds these
    /// reports and any others: two of them give for one narrowed subject (`strijder|is`)
    /// values that disagree whatever else the story holds (see the conditions on the lasting
    /// discrepancy in `figures.rs`). A story that only gains reports keeps it without being read
    /// again.
    Lasting,
}

impl DiscrepancyState {
    /// Whether the dossier lists a discrepancy.
    pub fn any(self) -> bool {
        self != DiscrepancyState::Absent
    }
}

/// Whether the dossier of these reports lists a discrepancy: the same answer as
/// `!build(id, title, inputs).discrepancies.is_empty()`, read from the figures alone (no
/// timeline, quotes or key words), stopping at the first. Reports that count nothing (no
/// quantity with a noun or a unit) give no figure and are passed over.
pub fn has_discrepancies(inputs: &[Input<'_>]) -> bool {
    match counting(inputs) {
        Some(ordered) => figures::any_discrepancy(&ordered, &figures::collect(&ordered)),
        None => false,
    }
}

/// [`has_discrepancies`], and when there is one, whether it is lasting: what a store keeps per
/// story, so its stories list says which stories have discrepancies without building their
/// dossiers, and a story that only gains reports is not read again once it has a lasting one.
pub fn discrepancy_state(inputs: &[Input<'_>]) -> DiscrepancyState {
    let Some(ordered) = counting(inputs) else { return DiscrepancyState::Absent };
    let figs = figures::collect(&ordered);
    // A lasting discrepancy is one the dossier lists: looked for only when there is one.
    if !figures::any_discrepancy(&ordered, &figs) {
        DiscrepancyState::Absent
    } else if figures::lasting(&ordered, &figs) {
        DiscrepancyState::Lasting
    } else {
        DiscrepancyState::Present
    }
}

/// The reports that count something, in timeline order; `None` when fewer than two do (a
/// discrepancy compares the values of two reports).
fn counting<'a>(inputs: &[Input<'a>]) -> Option<Vec<Input<'a>>> {
    let counting: Vec<Input<'a>> = inputs.iter().copied().filter(|i| counts(i.analysis)).collect();
    (counting.len() >= 2).then(|| timeline_order(&counting))
}

/// Whether an analysis counts something: a quantity with a noun or a unit, which is what a
/// figure is.
pub fn counts(analysis: &Analysis) -> bool {
    analysis.quantities.iter().any(|q| q.noun.is_some() || q.unit.is_some())
}

/// What the figures of a report read of its analysis, and nothing else: its language, names
/// (one mention of each), quantities and the sentences its quantities stand in (with their text, when the analysis
/// has it); `None` when it counts nothing. [`has_discrepancies`] and [`discrepancy_state`]
/// give the same answer on it as on the whole analysis, and the dossier the same figures and
/// discrepancies; a store keeps only this much of each report in memory while it reads a story.
pub fn figures_only(analysis: &Analysis) -> Option<Analysis> {
    if !counts(analysis) {
        return None;
    }
    // The sentence each quantity's evidence is read from, found as the evidence finds it.
    let mut keep = vec![false; analysis.sentences.len()];
    for q in &analysis.quantities {
        let i = analysis.sentences.partition_point(|s| s.end <= q.start);
        if analysis.sentences.get(i).is_some_and(|s| s.start <= q.start) {
            keep[i] = true;
        }
    }
    Some(Analysis {
        language: analysis.language.clone(),
        sentences: analysis.sentences.iter().zip(keep).filter(|(_, k)| *k).map(|(s, _)| s.clone()).collect(),
        // The figures read a name by its written form, key and kind: one mention of each is
        // enough (the first, which is the one they read), and its role is not read.
        entities: {
            let mut seen = std::collections::HashSet::new();
            analysis
                .entities
                .iter()
                .filter(|e| seen.insert((e.text.as_str(), e.key.as_str(), e.kind)))
                .map(|e| crate::analyze::Entity { role: None, ..e.clone() })
                .collect()
        },
        quotes: Vec::new(),
        quantities: analysis.quantities.clone(),
        times: Vec::new(),
    })
}

/// Inputs in timeline order: dated reports by publication time, then undated ones; ties by id.
fn timeline_order<'a>(inputs: &[Input<'a>]) -> Vec<Input<'a>> {
    let mut ordered = inputs.to_vec();
    ordered.sort_by(|x, y| compare_reports(x.article, y.article));
    ordered
}

fn compare_reports(x: &Article, y: &Article) -> Ordering {
    match (&x.published, &y.published) {
        (Some(a), Some(b)) => a.unix.cmp(&b.unix).then(a.precision.cmp(&b.precision)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| x.id.cmp(&y.id))
}

/// The dossier of reports already in the order they are to be read.
fn lay_out(ordered: &[Input<'_>]) -> Dossier {
    let figs = figures::collect(ordered);
    let discrepancies = figures::discrepancies(ordered, &figs);
    let contradictions = figures::contradictions(ordered, &figs);
    let said = quotes::said(ordered);
    let added = adds::compute(ordered, &figs, &said);
    let mut articles: Vec<Report> = ordered
        .iter()
        .zip(added)
        .map(|(input, adds)| report(input.article, adds, ReportRole::NewFacts))
        .collect();
    assign_roles(ordered, &mut articles, &discrepancies);
    let mut sources: Vec<String> = ordered.iter().filter_map(|i| i.article.source.clone()).collect();
    sources.sort();
    sources.dedup();
    let mut languages: Vec<String> = ordered.iter().map(|i| i.article.language.code.clone()).collect();
    languages.sort();
    languages.dedup();
    let dated = || ordered.iter().filter_map(|i| i.article.published);
    Dossier {
        id: 0,
        title: ordered.first().map(|i| i.article.title.clone()).unwrap_or_default(),
        first_published: dated().min_by_key(|p| p.unix),
        last_published: dated().max_by_key(|p| p.unix),
        sources,
        languages,
        articles,
        discrepancies,
        contradictions,
        quotes: quotes::group(ordered, &said),
        figures: figs.figures(),
        reports_total: ordered.len() as u64,
    }
}

fn report(a: &Article, adds: Adds, role: ReportRole) -> Report {
    Report {
        id: a.id.clone(),
        title: a.title.clone(),
        source: a.source.clone(),
        published: a.published,
        language: a.language.code.clone(),
        url: a.url.clone(),
        near_duplicate_of: a.near_duplicate_of.as_ref().map(|n| n.of.clone()),
        role,
        adds,
        revision: None,
    }
}

/// Labels each report: the first, follow-ups after a gap, updates of a figure, repeats.
fn assign_roles(ordered: &[Input<'_>], reports: &mut [Report], discrepancies: &[Discrepancy]) {
    let mut latest_dated: Option<i64> = None;
    let mut any_dated = false;
    for (i, r) in reports.iter_mut().enumerate() {
        let published = ordered[i].article.published;
        let substantial = substantial(&r.adds);
        r.role = if i == 0 {
            ReportRole::First
        } else if discrepancies.iter().any(|d| {
            d.kind == DiscrepancyKind::Update
                && d.values.iter().any(|v| v.article == r.id && figures::is_new_value(&d.values[0], v))
        }) {
            ReportRole::Update
        } else if r.adds.is_empty() || (r.near_duplicate_of.is_some() && r.adds.count() <= 2) {
            ReportRole::Repeat
        } else if substantial
            && match (published, latest_dated) {
                (Some(p), Some(last)) => p.unix - last >= FOLLOW_UP_DAYS * 86_400,
                // An undated report read after dated ones, bringing news of its own.
                (None, _) => any_dated,
                (Some(_), None) => false,
            }
        {
            ReportRole::FollowUp
        } else {
            ReportRole::NewFacts
        };
        if let Some(p) = published {
            any_dated = true;
            latest_dated = Some(latest_dated.map_or(p.unix, |l| l.max(p.unix)));
        }
    }
}

/// Whether what a report adds is news, not detail: new figures or quotes and at least three
/// new items in all.
fn substantial(adds: &Adds) -> bool {
    (!adds.figures.is_empty() || !adds.quotes.is_empty()) && adds.count() >= 3
}

/// A publication time for text output: `2017-10`, or `undated`.
pub fn date_label(p: Option<crate::Published>) -> String {
    p.map_or_else(|| "undated".to_string(), |p| p.to_string())
}

/// A publication date for one-line explanations: to the day at most (`2017-10`, `2025-10-22`).
pub fn day_label(p: Option<crate::Published>) -> String {
    match p {
        Some(p) if p.precision > crate::Precision::Day => {
            let (y, m, d) = p.ymd();
            format!("{y:04}-{m:02}-{d:02}")
        }
        other => date_label(other),
    }
}

use crate::analyze::words::alnum_words;

fn carrier(a: &Article) -> Carrier {
    Carrier { id: a.id.clone(), source: a.source.clone(), published: a.published }
}

/// The text of the sentence holding character offset `at`, from the analysis.
/// The longest sentence a figure keeps as its evidence, in characters: a longer one (a text
/// without sentence punctuation) is cut to this much around the figure, so what a dossier holds
/// grows with the number of figures, not with figures times sentence length.
pub const MAX_EVIDENCE_CHARS: usize = 600;

/// The sentence the span `start..end` (characters) stands in, cut to [`MAX_EVIDENCE_CHARS`]
/// around the span at word boundaries when it is longer, with `…` where it was cut.
fn sentence_around(analysis: &Analysis, start: usize, end: usize) -> String {
    let i = analysis.sentences.partition_point(|s| s.end <= start);
    let Some(s) = analysis.sentences.get(i).filter(|s| s.start <= start) else { return String::new() };
    let n = s.end.saturating_sub(s.start);
    if n <= MAX_EVIDENCE_CHARS {
        return s.text.clone();
    }
    let (rel_start, rel_end) = (start - s.start, end.saturating_sub(s.start).clamp(start - s.start, n));
    let room = MAX_EVIDENCE_CHARS.saturating_sub(rel_end - rel_start) / 2;
    let (from, to) = (rel_start.saturating_sub(room), (rel_end + room).min(n));
    let byte = |c: usize| s.text.char_indices().nth(c).map_or(s.text.len(), |(b, _)| b);
    let (mut b_from, mut b_to) = (byte(from), byte(to));
    let text = s.text.as_str();
    if from > 0 {
        // Start after the first space, so no word is cut in half.
        if let Some(sp) = text[b_from..].find(char::is_whitespace).filter(|&k| b_from + k < byte(rel_start)) {
            b_from += sp;
        }
    }
    if to < n {
        if let Some(sp) = text[..b_to].rfind(char::is_whitespace).filter(|&k| k >= byte(rel_end)) {
            b_to = sp;
        }
    }
    let mut out = String::with_capacity(b_to - b_from + 8);
    if from > 0 {
        out.push_str("… ");
    }
    out.push_str(text[b_from..b_to].trim());
    if to < n {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_the_sentence_or_a_window_of_a_long_one() {
        use crate::analyze::{Quantity, Sentence};
        let short = "Er vertrokken 250 strijders.";
        let a = Analysis {
            sentences: vec![Sentence { text: short.into(), start: 0, end: short.chars().count() }],
            ..Analysis::default()
        };
        assert_eq!(sentence_around(&a, 14, 17), short);
        // A text without sentence punctuation: one sentence of 20,000 words.
        let long: String = (0..20_000).map(|i| format!("wöord{i} ")).collect();
        let at = long.find("wöord10000 ").unwrap();
        let chars_at = long[..at].chars().count();
        let a = Analysis {
            sentences: vec![Sentence { text: long.clone(), start: 0, end: long.chars().count() }],
            quantities: Vec::<Quantity>::new(),
            ..Analysis::default()
        };
        let w = sentence_around(&a, chars_at, chars_at + 10);
        assert!(w.contains("wöord10000"), "{w}");
        assert!(w.starts_with("… wöord") && w.ends_with(" …"), "{w}");
        assert!(w.chars().count() <= MAX_EVIDENCE_CHARS + 4, "{}", w.chars().count());
        // The start and the end of the sentence.
        assert!(sentence_around(&a, 0, 5).starts_with("wöord0 "));
        let end = long.chars().count();
        assert!(sentence_around(&a, end - 11, end - 1).ends_with("wöord19999"));
    }
}
