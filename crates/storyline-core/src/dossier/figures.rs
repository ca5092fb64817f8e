//! Figures by what they count, the discrepancies between reports, and claims one report denies
//! that another affirms.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::terms::Fast;
use super::{
    alnum_words, carrier, day_label, sentence_around, Contradiction, Discrepancy, DiscrepancyKind, Evidence,
    Figure, FigureValue, Input,
};
use crate::analyze::stem::LanguageStemmer;
use crate::analyze::{Analysis, EntityType, Quantity};

/// Relative tolerance when comparing two values (rounding in the text).
const TOLERANCE: f64 = 0.005;

/// A value whose interval is wider than this share of its top counts as vague: `honderden`,
/// `tientallen`, `hooguit duizend` agree with almost anything and never make a discrepancy.
const VAGUE_WIDTH: f64 = 0.3;

/// One quantity of one report, with what it counts.
#[derive(Debug, Clone)]
pub(super) struct Fig {
    /// Index of the report in timeline order.
    pub report: usize,
    /// Index of the quantity in the report's analysis.
    pub quantity: usize,
    pub subject_key: String,
    pub subject: String,
    /// Stems of the noun and of its word modifiers (not the entity ones), for matching claims.
    pub noun_stem: Option<String>,
    pub word_modifiers: Vec<String>,
    /// Whether the subject is narrowed by a modifier (`IS-strijders`, `buitenlandse strijders`).
    pub specific: bool,
    pub lo: f64,
    pub hi: f64,
    /// Whether the text denies the value (`niet veertien maar tweeëntwintig bussen`).
    pub denied: bool,
    pub value: FigureValue,
}

impl Fig {
    pub fn vague(&self) -> bool {
        !self.hi.is_finite() || self.hi <= 0.0 || (self.hi - self.lo) > VAGUE_WIDTH * self.hi.abs()
    }

    fn width(&self) -> f64 {
        if self.hi.is_finite() {
            self.hi - self.lo
        } else {
            f64::MAX
        }
    }

    pub fn compatible(&self, other: &Fig) -> bool {
        compatible((self.lo, self.hi), (other.lo, other.hi))
    }

    /// Whether this value says nothing beyond `earlier` (same interval or narrower earlier).
    pub fn covered_by(&self, earlier: &Fig) -> bool {
        self.compatible(earlier) && earlier.width() <= (2.0 * self.width()).max(self.hi.abs() * 0.02)
    }
}

fn compatible(a: (f64, f64), b: (f64, f64)) -> bool {
    let slack = |x: f64| x.abs() * TOLERANCE;
    a.0 <= b.1 + slack(b.1) && b.0 <= a.1 + slack(a.1)
}

/// Every figure of a story, in timeline order.
#[derive(Debug, Default)]
pub(super) struct Figures {
    pub all: Vec<Fig>,
}

impl Figures {
    /// Figures grouped by subject, subjects in order of first appearance.
    pub fn figures(&self) -> Vec<Figure> {
        let mut order: Vec<&str> = Vec::new();
        let mut groups: BTreeMap<&str, Figure> = BTreeMap::new();
        for f in &self.all {
            let g = groups.entry(&f.subject_key).or_insert_with(|| {
                order.push(&f.subject_key);
                Figure { subject: f.subject.clone(), subject_key: f.subject_key.clone(), values: Vec::new() }
            });
            g.values.push(f.value.clone());
        }
        order.iter().filter_map(|k| groups.remove(k)).collect()
    }
}

/// Reads the figures of every report: quantities that count something (a noun or a unit).
pub(super) fn collect(ordered: &[Input<'_>]) -> Figures {
    let mut all = Vec::new();
    for (r, input) in ordered.iter().enumerate() {
        let stemmer = LanguageStemmer::new(&input.analysis.language);
        // Read only when a quantity has modifiers.
        let names = std::cell::OnceCell::new();
        for (qi, q) in input.analysis.quantities.iter().enumerate() {
            if q.noun.is_none() && q.unit.is_none() {
                continue;
            }
            let (subject_key, subject, word_modifiers) = subject_of(q, input.analysis, &names, &stemmer);
            let (lo, hi) = interval(q);
            let a = input.article;
            let sentence = sentence_around(input.analysis, q.start, q.end);
            let denied = denied_value(&sentence, &q.text);
            all.push(Fig {
                report: r,
                quantity: qi,
                specific: !q.modifiers.is_empty(),
                noun_stem: q.noun.as_ref().map(|n| stemmer.stem(n)),
                word_modifiers,
                subject_key,
                subject,
                lo,
                hi,
                denied,
                value: FigureValue {
                    value: q.value,
                    min: q.min,
                    max: q.max,
                    approx: q.approx,
                    display: display(q),
                    text: q.text.clone(),
                    article: a.id.clone(),
                    source: a.source.clone(),
                    published: a.published,
                    sentence,
                },
            });
        }
    }
    merge_bare_nouns(&mut all);
    Figures { all }
}

/// A bare noun (`410 strijders`) counts the same thing as the story's one narrowed form of it
/// (`driehonderd strijders van IS`) when there is exactly one; with several (`IS-strijders`
/// and `buitenlandse strijders`) it stays apart.
fn merge_bare_nouns(all: &mut [Fig]) {
    let mut narrowed: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for f in all.iter().filter(|f| f.specific) {
        let Some(noun) = &f.noun_stem else { continue };
        let lang = f.subject_key.rsplit_once("|@").map_or("", |(_, u)| u).to_string();
        let forms = narrowed.entry((noun.clone(), lang)).or_default();
        if !forms.iter().any(|(k, _)| k == &f.subject_key) {
            forms.push((f.subject_key.clone(), f.subject.clone()));
        }
    }
    for f in all.iter_mut().filter(|f| !f.specific) {
        let Some(noun) = &f.noun_stem else { continue };
        let unit = f.subject_key.rsplit_once("|@").map_or("", |(_, u)| u).to_string();
        if let Some([(key, subject)]) = narrowed.get(&(noun.clone(), unit)).map(Vec::as_slice) {
            f.subject_key = key.clone();
            f.subject = subject.clone();
        }
    }
}

/// Words that, right before a number, deny it.
const NEGATIONS: &[&str] = &["geen", "nicht", "niet", "non", "not", "pas"];

/// Whether the words right before `expression` in `sentence` deny it.
fn denied_value(sentence: &str, expression: &str) -> bool {
    let Some(at) = sentence.find(expression) else { return false };
    let before = sentence[..at].trim_end();
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    NEGATIONS.binary_search(&word.as_str()).is_ok()
}

/// A report's names by their lowercase written form and by key, for reading modifiers.
struct Names<'a> {
    by_text: HashMap<String, &'a str, Fast>,
    keys: HashSet<&'a str, Fast>,
}

impl<'a> Names<'a> {
    fn new(analysis: &'a Analysis) -> Self {
        let mut by_text = HashMap::default();
        let mut keys = HashSet::default();
        // A nationality word modifies as the word it is (`Nederlandse militairen`), not as a name.
        for e in analysis.entities.iter().filter(|e| !e.is_nationality()) {
            by_text.entry(e.text.to_lowercase()).or_insert(e.key.as_str());
            keys.insert(e.key.as_str());
        }
        Names { by_text, keys }
    }

    /// The key of the name written `lower` (lowercase), or whose key it spells.
    fn key_of(&self, lower: &str) -> Option<&'a str> {
        if let Some(k) = self.by_text.get(lower) {
            return Some(k);
        }
        let as_key = lower.replace(' ', "-");
        self.keys.get(as_key.as_str()).copied()
    }
}

/// The subject's key, its readable form, and the stems of its word (non-name) modifiers.
fn subject_of<'a>(
    q: &Quantity,
    analysis: &'a Analysis,
    names: &std::cell::OnceCell<Names<'a>>,
    stemmer: &LanguageStemmer,
) -> (String, String, Vec<String>) {
    let mut keyed: Vec<(String, String)> = Vec::new();
    let mut words = Vec::new();
    for m in &q.modifiers {
        let lower = m.to_lowercase();
        match names.get_or_init(|| Names::new(analysis)).key_of(&lower) {
            Some(key) => keyed.push((key.to_string(), m.clone())),
            None => {
                let stem = stemmer.stem_lowercase(&lower).into_owned();
                words.push(stem.clone());
                keyed.push((stem, m.clone()));
            }
        }
    }
    keyed.sort();
    keyed.dedup_by(|a, b| a.0 == b.0);
    let noun = q.noun.as_deref().unwrap_or("").to_lowercase();
    let unit = q.unit.as_deref().unwrap_or("");
    let mut key = noun.clone();
    for (k, _) in &keyed {
        key.push('|');
        key.push_str(k);
    }
    if !unit.is_empty() {
        key.push_str("|@");
        key.push_str(unit);
    }
    let mut readable = if noun.is_empty() { unit.to_string() } else { noun };
    if !keyed.is_empty() {
        let mods: Vec<&str> = keyed.iter().map(|(_, m)| m.as_str()).collect();
        readable = format!("{readable} ({})", mods.join(", "));
    }
    if q.noun.is_some() && !unit.is_empty() {
        readable = format!("{readable}, {unit}");
    }
    words.sort();
    words.dedup();
    (key, readable, words)
}

/// The interval a quantity allows: a point, a range, a bound, or about ±5 % when approximate.
fn interval(q: &Quantity) -> (f64, f64) {
    bounds(q.value, q.min, q.max, q.approx)
}

fn bounds(value: f64, min: Option<f64>, max: Option<f64>, approx: bool) -> (f64, f64) {
    match (min, max) {
        (Some(lo), Some(hi)) => (lo, hi),
        (Some(lo), None) => (lo, f64::INFINITY),
        (None, Some(hi)) => (0.0_f64.min(hi), hi),
        (None, None) if approx => (value * 0.95, value * 1.05),
        (None, None) => (value, value),
    }
}

/// Whether a value of an update gives the new figure: it disagrees with the first (earliest)
/// value of the discrepancy.
pub(super) fn is_new_value(first: &FigureValue, v: &FigureValue) -> bool {
    !compatible(
        bounds(first.value, first.min, first.max, first.approx),
        bounds(v.value, v.min, v.max, v.approx),
    )
}

/// A number for reading: `3,500`, `2.5`, `-4`.
pub(super) fn number(v: f64) -> String {
    if v.fract().abs() < 1e-9 && v.abs() < 1e15 {
        let digits = format!("{}", v.abs() as u64);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if v < 0.0 {
            out.insert(0, '-');
        }
        out
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The value as a reader would say it: `about 250`, `more than 100`, `at most 999`, `6–7`.
fn display(q: &Quantity) -> String {
    let v = match (q.min, q.max) {
        (Some(lo), Some(hi)) if q.approx && lo < q.value && q.value < hi => {
            format!("about {}", number(q.value))
        }
        (Some(lo), Some(hi)) if q.approx => format!("about {}–{}", number(lo), number(hi)),
        (Some(lo), Some(hi)) => format!("{}–{}", number(lo), number(hi)),
        (Some(lo), None) => format!("more than {}", number(lo)),
        (None, Some(hi)) => format!("at most {}", number(hi)),
        (None, None) if q.approx => format!("about {}", number(q.value)),
        (None, None) => number(q.value),
    };
    match (&q.unit, &q.noun) {
        (Some(u), None) if u == "%" => format!("{v}%"),
        (Some(u), None) => format!("{v} {u}"),
        _ => v,
    }
}

/// Nouns whose count only grows while a story runs: a higher later value is an update.
const CUMULATIVE: &[&str] = &[
    "arrestant",
    "arrestatie",
    "besmetting",
    "casualty",
    "dead",
    "death",
    "dode",
    "evacuee",
    "gewonde",
    "injured",
    "injury",
    "missing",
    "slachtoffer",
    "vermiste",
    "victim",
];

/// Words that say a figure is new, changed since an earlier report.
const UPDATE_CUES: &[&str] = &[
    "bijgesteld",
    "climbed",
    "gedaald",
    "gestegen",
    "inmiddels",
    "intussen",
    "juiste",
    "now",
    "ondertussen",
    "opgelopen",
    "revised",
    "risen",
    "rose",
    "updated",
];

/// Words that mark a figure as the earlier, superseded one (`eerder meldde NPB zeven`).
const EARLIER_CUES: &[&str] = &["aanvankelijk", "earlier", "eerder", "eerst", "initially", "originally"];

/// Whether a sentence holds one of `cues` (sorted, lowercase), without allocating for
/// ASCII words.
fn has_cue(sentence: &str, cues: &[&str]) -> bool {
    // An ASCII word can only be a cue of its length and first letter: most words are passed
    // over on these two without a search.
    let mut lengths = 0u64;
    let mut firsts = [false; 128];
    for c in cues {
        lengths |= 1 << c.len().min(63);
        if let Some(&b) = c.as_bytes().first().filter(|b| b.is_ascii()) {
            firsts[b as usize] = true;
        }
    }
    alnum_words(sentence).any(|w| {
        let mut buf = [0u8; 24];
        if w.is_ascii() && w.len() <= buf.len() {
            if lengths & (1 << w.len().min(63)) == 0 || !firsts[w.as_bytes()[0].to_ascii_lowercase() as usize]
            {
                return false;
            }
            for (i, b) in w.bytes().enumerate() {
                buf[i] = b.to_ascii_lowercase();
            }
            std::str::from_utf8(&buf[..w.len()]).is_ok_and(|lower| cues.binary_search(&lower).is_ok())
        } else {
            cues.binary_search(&w.to_lowercase().as_str()).is_ok()
        }
    })
}

/// Words of the sentences that say what else they are about (numbers and stopwords left out).
fn context(sentence: &str, language: &str, stemmer: &LanguageStemmer) -> Vec<String> {
    let mut out: Vec<String> = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3 && !w.chars().any(|c| c.is_ascii_digit()))
        .map(|w| w.to_lowercase())
        .filter(|w| !crate::analyze::stem::is_stopword(language, w))
        .map(|w| stemmer.stem_lowercase(&w).into_owned())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Units (and unit-like nouns) of subjects that need more shared context before two values
/// count as one thing: money, shares and spans of time turn up everywhere in a story. Sorted.
const COMMON_UNITS: &[&str] = &[
    "%", "CHF", "EUR", "GBP", "JPY", "USD", "dag", "day", "hour", "jaar", "keer", "maand", "minute",
    "minuut", "month", "second", "seconde", "time", "uur", "week", "year",
];

/// How many words on each side of a figure say what it is about.
const WINDOW_WORDS: usize = 6;

/// The words within [`WINDOW_WORDS`] of `expression` in `sentence`, the expression itself left
/// out (the whole sentence when the expression is not found in it).
fn around(sentence: &str, expression: &str) -> String {
    let whole = window(sentence, expression);
    match whole.find(expression) {
        Some(at) => format!("{} {}", &whole[..at], &whole[at + expression.len()..]),
        None => whole.to_string(),
    }
}

/// The part of `sentence` within [`WINDOW_WORDS`] words of `expression` (the whole sentence
/// when the expression is not found in it).
fn window<'a>(sentence: &'a str, expression: &str) -> &'a str {
    let Some(at) = sentence.find(expression) else { return sentence };
    let end = at + expression.len();
    let is_space = |c: char| c.is_whitespace();
    let mut start = at;
    for _ in 0..WINDOW_WORDS {
        let before = sentence[..start].trim_end_matches(is_space);
        start = before.rfind(is_space).map_or(0, |i| i + 1);
    }
    let mut stop = end;
    for _ in 0..WINDOW_WORDS {
        let rest = &sentence[stop..];
        let skipped = rest.len() - rest.trim_start_matches(is_space).len();
        let word = rest[skipped..].find(is_space).unwrap_or(rest.len() - skipped);
        stop += skipped + word;
    }
    &sentence[start..stop]
}

fn words_of(sentence: &str) -> impl Iterator<Item = String> + '_ {
    sentence.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Different values for the same counted thing in different reports. Within one report the
/// values of a subject must agree with each other (else the report counts several things by
/// that name and is left out); vague values never conflict; a subject without a modifier
/// must also be said in sentences about the same thing (two shared content words).
pub(super) fn discrepancies(ordered: &[Input<'_>], figs: &Figures) -> Vec<Discrepancy> {
    scan(ordered, figs, false)
}

/// Whether [`discrepancies`] finds any: the same reading, stopped at the first.
pub(super) fn any_discrepancy(ordered: &[Input<'_>], figs: &Figures) -> bool {
    !scan(ordered, figs, true).is_empty()
}

/// The discrepancies of [`discrepancies`], or with `first_only` at most the first of them.
fn scan(ordered: &[Input<'_>], figs: &Figures, first_only: bool) -> Vec<Discrepancy> {
    let mut by_subject: BTreeMap<&str, Vec<&Fig>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for f in &figs.all {
        by_subject
            .entry(&f.subject_key)
            .or_insert_with(|| {
                order.push(&f.subject_key);
                Vec::new()
            })
            .push(f);
    }
    let mut out = Vec::new();
    for key in order {
        if first_only && !out.is_empty() {
            break;
        }
        let values = &by_subject[key];
        // One representative per report whose values agree (its most precise value); a report
        // giving several different values counts several things by that name, or tells how a
        // figure changed: it is kept apart.
        let mut reps: Vec<&Fig> = Vec::new();
        let mut several: Vec<Vec<&Fig>> = Vec::new();
        let mut r = 0;
        while r < values.len() {
            let report = values[r].report;
            let mut end = r;
            while end < values.len() && values[end].report == report {
                end += 1;
            }
            let precise: Vec<&Fig> =
                values[r..end].iter().copied().filter(|f| !f.vague() && !f.denied).collect();
            if precise.iter().all(|a| precise.iter().all(|b| a.compatible(b))) {
                if let Some(best) = precise
                    .iter()
                    .min_by(|a, b| a.width().total_cmp(&b.width()).then(a.quantity.cmp(&b.quantity)))
                {
                    reps.push(best);
                }
            } else {
                several.push(precise);
            }
            r = end;
        }
        // Groups of mutually agreeing values, in order of first appearance.
        let mut groups: Vec<Vec<&Fig>> = Vec::new();
        for f in reps {
            match groups.iter_mut().find(|g| g.iter().all(|m| m.compatible(f))) {
                Some(g) => g.push(f),
                None => groups.push(vec![f]),
            }
        }
        // A later report that names an earlier value and a new one, saying it changed.
        if let Some(d) = groups.iter().find_map(|g| told_update(ordered, g, &several)) {
            out.push(d);
        }
        if groups.len() < 2 {
            continue;
        }
        if !related(ordered, &groups) {
            continue;
        }
        let first = groups[0][0];
        let kind =
            if is_update(ordered, &groups) { DiscrepancyKind::Update } else { DiscrepancyKind::Conflict };
        let explanation = explain(&first.subject, kind, &groups);
        out.push(discrepancy(first, kind, &groups, explanation));
    }
    out
}

fn discrepancy(first: &Fig, kind: DiscrepancyKind, groups: &[Vec<&Fig>], explanation: String) -> Discrepancy {
    let mut members: Vec<&Fig> = groups.iter().flatten().copied().collect();
    members.sort_by_key(|f| (f.report, f.quantity));
    let values = members.iter().map(|f| f.value.clone()).collect();
    Discrepancy {
        subject: first.subject.clone(),
        subject_key: first.subject_key.clone(),
        kind,
        values,
        explanation,
    }
}

/// Whether the disagreeing values are about the same thing: always when the subject is
/// narrowed by a modifier; for a bare noun (`jaar`, `mens`), when two values from different
/// groups share a content word (besides the noun) within a few words of the figure: `twaalf
/// mensen gewond` and `vier mensen gewond geraakt` are about the same thing, `twaalf mensen
/// gewond` and `driehonderd mensen moesten hun woning verlaten` are not.
fn related(ordered: &[Input<'_>], groups: &[Vec<&Fig>]) -> bool {
    if groups.iter().flatten().all(|f| f.specific) {
        return true;
    }
    let mut stemmers = Stemmers::default();
    let contexts: Vec<Vec<Vec<String>>> =
        groups.iter().map(|g| g.iter().map(|f| stemmers.about(ordered, f)).collect()).collect();
    let first = groups[0][0];
    let said_changed = groups[1..]
        .iter()
        .flatten()
        .any(|f| has_cue(&f.value.sentence, UPDATE_CUES) || corrects(&f.value.sentence));
    let needed = if common_unit(&first.subject_key) && !said_changed { 2 } else { 1 };
    for (i, gi) in contexts.iter().enumerate() {
        for gj in &contexts[i + 1..] {
            for a in gi {
                for b in gj {
                    if shared_words(a, b) >= needed {
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// Whether a subject's key ends in a unit that turns up everywhere in a story (sums of money,
/// percentages, spans of time): two values of it need two shared words to be about one thing.
fn common_unit(key: &str) -> bool {
    let last = key.rsplit('|').next().unwrap_or(key).trim_start_matches('@');
    COMMON_UNITS.binary_search(&last).is_ok()
}

/// How many words two contexts (sorted, as [`context`] gives them) share.
fn shared_words(a: &[String], b: &[String]) -> usize {
    a.iter().filter(|w| b.binary_search(w).is_ok()).count()
}

/// One stemmer per language, made when first asked for.
#[derive(Default)]
struct Stemmers<'s>(HashMap<&'s str, LanguageStemmer, Fast>);

impl<'s> Stemmers<'s> {
    /// The words a figure's sentence says around it (its noun left out): what [`related`]
    /// compares.
    fn about(&mut self, ordered: &[Input<'s>], f: &Fig) -> Vec<String> {
        let language = ordered[f.report].analysis.language.as_str();
        let stemmer = self.0.entry(language).or_insert_with(|| LanguageStemmer::new(language));
        let mut c = context(&around(&f.value.sentence, &f.value.text), language, stemmer);
        c.retain(|w| Some(w) != f.noun_stem.as_ref());
        c
    }
}

/// How many distinct values of one subject [`lasting`] looks at, and how many reports giving
/// each value, and how many pairs of reports it compares in all: enough for a story that
/// repeats its figures, and a bound on a story of thousands of reports (past it the answer is
/// no, which only costs a store a later reading).
const LASTING_VALUES: usize = 64;
const LASTING_PER_VALUE: usize = 8;
const LASTING_PAIRS: usize = 4_096;

/// Whether two reports give, for one subject narrowed by a modifier or counting a unit alone,
/// values that every story holding both reports lists as a discrepancy, whatever other reports
/// it holds: a lasting discrepancy. Those of [`discrepancies`] can come and go as reports
/// arrive (a second narrowed form takes the bare nouns away from the first, a new value
/// regroups the others), but not one between two reports A and B of subject K when
///
/// - K is narrowed (`strijder|is`) or counts a unit alone (`|@EUR`), so its figures keep K
///   whatever else the story holds, and no bare noun is ever read as a unit alone;
/// - neither report has a bare noun that could ever be read as K (same unit, and a noun stem
///   K's noun has in some language): each report's values of K are then its own figures of K,
///   whatever else the story holds;
/// - each report's precise values of K agree with each other, so each gives one value, and
///   the two values do not agree: they fall into different groups in every story;
/// - the words around the two values share as many words as [`related`] ever asks for K (two
///   for a common unit, else one), so the groups are always related.
pub(super) fn lasting(ordered: &[Input<'_>], figs: &Figures) -> bool {
    let mut by_key: BTreeMap<&str, Vec<&Fig>> = BTreeMap::new();
    // Keys no reading of the bare nouns changes: narrowed ones, and those of a unit alone.
    for f in figs.all.iter().filter(|f| f.specific || f.noun_stem.is_none()) {
        by_key.entry(&f.subject_key).or_default().push(f);
    }
    // Each report's bare nouns: (report, unit, noun stem).
    let bare: HashSet<(usize, &str, &str), Fast> = figs
        .all
        .iter()
        .filter(|f| !f.specific)
        .filter_map(|f| Some((f.report, unit_of(&f.subject_key), f.noun_stem.as_deref()?)))
        .collect();
    let mut stemmers = Stemmers::default();
    for (key, values) in by_key {
        let noun = key.split('|').next().unwrap_or("");
        let unit = unit_of(key);
        let stems = if noun.is_empty() { Vec::new() } else { crate::analyze::stem::every_stem(noun) };
        // One value per report that gives one, grouped by value (reports that agree exactly
        // fall together): (interval, reports giving it, their contexts once read).
        type Value<'f> = ((f64, f64), Vec<(&'f Fig, std::cell::OnceCell<Vec<String>>)>);
        let mut by_value: Vec<Value<'_>> = Vec::new();
        // Figures are in report order: one run of values per report.
        for run in values.chunk_by(|a, b| a.report == b.report) {
            let report = run[0].report;
            if stems.iter().any(|s| bare.contains(&(report, unit, s.as_str()))) {
                continue;
            }
            let precise: Vec<&Fig> = run.iter().copied().filter(|f| !f.vague() && !f.denied).collect();
            if !precise.iter().all(|a| precise.iter().all(|b| a.compatible(b))) {
                continue;
            }
            let Some(best) = precise
                .iter()
                .min_by(|a, b| a.width().total_cmp(&b.width()).then(a.quantity.cmp(&b.quantity)))
            else {
                continue;
            };
            let entry = (*best, std::cell::OnceCell::new());
            match by_value.iter().position(|(v, _)| *v == (best.lo, best.hi)) {
                Some(i) if by_value[i].1.len() < LASTING_PER_VALUE => by_value[i].1.push(entry),
                Some(_) => {}
                None if by_value.len() < LASTING_VALUES => by_value.push(((best.lo, best.hi), vec![entry])),
                None => {}
            }
        }
        let needed = if common_unit(key) { 2 } else { 1 };
        let mut pairs = 0;
        for (i, (_, xs)) in by_value.iter().enumerate() {
            for (_, ys) in &by_value[i + 1..] {
                if xs[0].0.compatible(ys[0].0) {
                    continue;
                }
                for (a, a_words) in xs {
                    for (b, b_words) in ys {
                        pairs += 1;
                        if pairs > LASTING_PAIRS {
                            return false;
                        }
                        let a_words = a_words.get_or_init(|| stemmers.about(ordered, a));
                        let b_words = b_words.get_or_init(|| stemmers.about(ordered, b));
                        if shared_words(a_words, b_words) >= needed {
                            return true;
                        }
                    }
                }
            }
        }
    }
    false
}

/// The unit part of a subject's key (`EUR` of `|@EUR`), empty when it has none.
fn unit_of(key: &str) -> &str {
    key.rsplit_once("|@").map_or("", |(_, u)| u)
}

/// A later report giving an earlier value and a new one for the same thing, with words that
/// say it changed (`392.000 klanten, meer dan de 380.000 die het bedrijf aanvankelijk
/// noemde`): an update from the earlier reports' value.
fn told_update(ordered: &[Input<'_>], earlier: &[&Fig], several: &[Vec<&Fig>]) -> Option<Discrepancy> {
    let old = earlier[0];
    let time = |f: &Fig| ordered[f.report].article.published.map(|p| p.unix);
    let last_early = earlier.iter().map(|f| time(f)).try_fold(i64::MIN, |m, t| t.map(|t| m.max(t)))?;
    let old_words = number_words(&old.value.text);
    for values in several {
        let Some(t) = time(values[0]) else { continue };
        if t <= last_early {
            continue;
        }
        let names_old = |f: &Fig| {
            !old_words.is_empty() && {
                let words: Vec<String> = words_of(&f.value.sentence).collect();
                old_words.iter().all(|w| words.contains(w))
            }
        };
        let mentions_old = values.iter().any(|f| f.compatible(old));
        // The old value, said again in this report, marked as the earlier one.
        let old_marked = values.iter().any(|f| f.compatible(old) && has_cue(&f.value.sentence, EARLIER_CUES));
        let changed = values.iter().copied().filter(|f| !f.compatible(old)).find(|f| {
            let s = &f.value.sentence;
            let marked_new = has_cue(s, UPDATE_CUES) || corrects(s);
            let marked_old_elsewhere = old_marked && !has_cue(s, EARLIER_CUES);
            (mentions_old || names_old(f)) && (marked_new || names_old(f) || marked_old_elsewhere)
        });
        if let Some(new) = changed {
            let groups = vec![earlier.to_vec(), vec![new]];
            let explanation = explain(&old.subject, DiscrepancyKind::Update, &groups);
            return Some(discrepancy(old, DiscrepancyKind::Update, &groups, explanation));
        }
    }
    None
}

/// The words of a figure's expression that give its number (`380.000`, `veertien`): digits
/// and number words, without approximations or the noun.
fn number_words(expression: &str) -> Vec<String> {
    let w: Vec<String> = words_of(expression).collect();
    let keep = if w.len() > 1 { w.len() - 1 } else { w.len() };
    w.into_iter()
        .take(keep)
        .filter(|x| {
            x.chars().any(|c| c.is_ascii_digit()) || crate::analyze::quantities::number_word(x).is_some()
        })
        .collect()
}

/// Whether a sentence corrects something: a negation followed by `maar`/`but`/`sondern`
/// (`niet veertien maar tweeëntwintig bussen`).
fn corrects(sentence: &str) -> bool {
    let words: Vec<String> = words_of(sentence).collect();
    words.iter().position(|w| NEGATIONS.binary_search(&w.as_str()).is_ok()).is_some_and(|i| {
        words[i + 1..].iter().take(6).any(|w| matches!(w.as_str(), "maar" | "but" | "sondern" | "mais"))
    })
}

/// Two groups, every value of the second published after every value of the first, and the
/// later ones say the figure changed (or it is a toll that only grows, and it grew).
fn is_update(ordered: &[Input<'_>], groups: &[Vec<&Fig>]) -> bool {
    if groups.len() != 2 {
        return false;
    }
    let time = |f: &Fig| ordered[f.report].article.published.map(|p| p.unix);
    let (Some(early_last), Some(late_first)) = (
        groups[0].iter().map(|f| time(f)).try_fold(i64::MIN, |m, t| t.map(|t| m.max(t))),
        groups[1].iter().map(|f| time(f)).try_fold(i64::MAX, |m, t| t.map(|t| m.min(t))),
    ) else {
        return false;
    };
    if late_first <= early_last {
        return false;
    }
    let old_words = number_words(&groups[0][0].value.text);
    let cue = groups[1].iter().any(|f| {
        let s = &f.value.sentence;
        has_cue(s, UPDATE_CUES) || corrects(s) || {
            // The later sentence names the earlier value (`210 woningen, meer dan de 180 die
            // zondag werden gemeld`).
            let words: Vec<String> = words_of(s).collect();
            !old_words.is_empty() && old_words.iter().all(|w| words.contains(w))
        }
    });
    let noun = groups[0][0].subject_key.split('|').next().unwrap_or("");
    let grew = groups[1][0].lo > groups[0][0].hi;
    cue || (grew && CUMULATIVE.binary_search(&noun).is_ok())
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn explain(subject: &str, kind: DiscrepancyKind, groups: &[Vec<&Fig>]) -> String {
    let parts: Vec<String> =
        groups.iter().map(|g| format!("{} ({})", g[0].value.display, g_who(g))).collect();
    match kind {
        DiscrepancyKind::Conflict => format!("{subject}: {}", parts.join(" vs ")),
        DiscrepancyKind::Update => format!("{subject}: {}, updated to {}", parts[0], parts[1..].join(", ")),
    }
}

fn g_who(g: &[&Fig]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for f in g {
        let name = f.value.source.clone().unwrap_or_else(|| format!("article {}", short(&f.value.article)));
        let part = format!("{name}, {}", day_label(f.value.published));
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts.join("; ")
}

/// Words that deny or exclude what follows or precedes them.
const DENIALS: &[&str] = &["excluded", "geen", "none", "nul", "uitgesloten", "uitgezonderd", "zero"];

/// A report that says a counted thing was excluded or absent (`Buitenlandse IS-strijders
/// zouden van de overeenkomst zijn uitgesloten`) while a later or earlier report counts it
/// (`tientallen buitenlandse strijders`). Only subjects narrowed by a word modifier are checked:
/// the modifier and the noun must stand close together in the denying sentence.
pub(super) fn contradictions(ordered: &[Input<'_>], figs: &Figures) -> Vec<Contradiction> {
    // Per report, the stemmed words of its sentences that hold a denial word (few sentences),
    // read only when a figure asks.
    let denying: Vec<std::cell::OnceCell<Vec<Denial>>> =
        ordered.iter().map(|_| std::cell::OnceCell::new()).collect();
    let denying_in = |r: usize| {
        denying[r].get_or_init(|| {
            let input = &ordered[r];
            let stemmer = LanguageStemmer::new(&input.analysis.language);
            input
                .analysis
                .sentences
                .iter()
                .enumerate()
                .filter(|(_, s)| has_cue(&s.text, DENIALS))
                .map(|(i, s)| {
                    (i, words_of(&s.text).map(|w| stemmer.stem_lowercase(&w).into_owned()).collect())
                })
                .collect()
        })
    };
    // Subjects each report counts (at least one).
    let mut counted: HashSet<(usize, &str), Fast> = HashSet::default();
    for g in figs.all.iter().filter(|g| g.lo >= 1.0) {
        counted.insert((g.report, g.subject_key.as_str()));
    }
    let mut checked: HashSet<&str, Fast> = HashSet::default();
    let mut out: Vec<Contradiction> = Vec::new();
    for f in &figs.all {
        let Some(noun) = &f.noun_stem else { continue };
        // A subject already checked is skipped either way: its sentence need not be read.
        if f.word_modifiers.is_empty()
            || f.lo < 1.0
            || checked.contains(f.subject_key.as_str())
            || has_cue(&f.value.sentence, DENIALS)
        {
            continue;
        }
        if !checked.insert(f.subject_key.as_str()) {
            continue;
        }
        let affirming = &ordered[f.report];
        let hit = (0..ordered.len()).find_map(|r| {
            if r == f.report || counted.contains(&(r, f.subject_key.as_str())) {
                return None;
            }
            denying_in(r)
                .iter()
                .find(|(_, stems)| denies(stems, noun, &f.word_modifiers))
                .map(|&(i, _)| (r, i))
        });
        let Some((r, i)) = hit else { continue };
        let other = &ordered[r];
        let denied =
            Evidence { carrier: carrier(other.article), sentence: other.analysis.sentences[i].text.clone() };
        let affirmed = Evidence { carrier: carrier(affirming.article), sentence: f.value.sentence.clone() };
        let name = |e: &Evidence| {
            e.carrier.source.clone().unwrap_or_else(|| format!("article {}", short(&e.carrier.id)))
        };
        let explanation = format!(
            "{}: excluded or absent according to {} ({}), but {} counts {} ({})",
            f.subject,
            name(&denied),
            day_label(denied.carrier.published),
            name(&affirmed),
            f.value.text,
            day_label(affirmed.carrier.published),
        );
        out.push(Contradiction { subject: f.subject.clone(), explanation, denied, affirmed });
    }
    out
}

/// A sentence with a denial word: its index and its stemmed words.
type Denial = (usize, Vec<String>);

/// Whether a denying sentence (its stemmed words) names the noun with all the modifiers
/// close before it.
fn denies(stems: &[String], noun: &str, modifiers: &[String]) -> bool {
    // `IS-strijders` splits into `is` and `strijders`: the noun is the compound's last part.
    stems.iter().enumerate().any(|(i, s)| {
        s == noun && modifiers.iter().all(|m| stems[i.saturating_sub(3)..i].iter().any(|x| x == m))
    })
}

/// Whether an entity with this key in the analysis is a person (for speakers and adds).
pub(super) fn is_person(analysis: &Analysis, key: &str) -> bool {
    analysis.entities.iter().any(|e| e.key == key && e.kind == EntityType::Person)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Article;

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(3500.0), "3,500");
        assert_eq!(number(275.0), "275");
        assert_eq!(number(1_250_000.0), "1,250,000");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(-4.0), "-4");
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [CUMULATIVE, UPDATE_CUES, EARLIER_CUES, DENIALS, NEGATIONS, COMMON_UNITS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn the_window_keeps_a_few_words_around_the_figure() {
        let s = "Bij de brand in de flat aan de Rembrandtkade raakten vorige week twaalf mensen gewond, onder wie twee kinderen en een agent.";
        assert_eq!(
            window(s, "twaalf mensen"),
            "aan de Rembrandtkade raakten vorige week twaalf mensen gewond, onder wie twee kinderen en"
        );
        assert_eq!(window("Twaalf gewonden.", "Twaalf gewonden"), "Twaalf gewonden.");
        assert_eq!(window("geen getal hier", "elf"), "geen getal hier");
    }

    #[test]
    fn a_denied_value_is_recognised() {
        assert!(denied_value("Niet veertien maar tweeëntwintig bussen reden weg.", "veertien"));
        assert!(!denied_value("Niet veertien maar tweeëntwintig bussen reden weg.", "tweeëntwintig bussen"));
        assert!(corrects("Niet veertien maar tweeëntwintig bussen reden weg."));
        assert!(!corrects("Er reden veertien bussen weg, niet meer."));
    }

    #[test]
    fn intervals_overlap_within_rounding() {
        assert!(compatible((275.0, 275.0), (266.0, 294.0)));
        assert!(!compatible((275.0, 275.0), (237.5, 262.5)));
        assert!(compatible((100.0, f64::INFINITY), (120.0, 120.0)));
        assert!(compatible((1000.0, 1000.0), (1004.0, 1004.0)));
    }
    /// A report of one sentence per entry, with its quantities given by hand: (the words of
    /// the quantity in the text, value, noun, modifiers, unit).
    type Q<'q> = (&'q str, f64, Option<&'q str>, &'q [&'q str], Option<&'q str>);

    fn report(id: &str, day: &str, sentences: &[&str], quantities: &[Q<'_>]) -> (Article, Analysis) {
        use crate::analyze::{Quantity, Sentence};
        let text = sentences.join(" ");
        let article = crate::ingest::prepare(
            crate::RawArticle {
                id: Some(id.into()),
                title: Some(format!("Bericht {id}")),
                text: text.clone(),
                source: Some("NPB".into()),
                published: crate::Published::parse(day).ok(),
                language: Some("nl".into()),
                ..Default::default()
            },
            &Default::default(),
        );
        let mut sentence_list = Vec::new();
        let mut at = 0;
        for s in sentences {
            let n = s.chars().count();
            sentence_list.push(Sentence { text: s.to_string(), start: at, end: at + n });
            at += n + 1;
        }
        let quantities = quantities
            .iter()
            .map(|&(words, value, noun, modifiers, unit)| {
                let start = text[..text.find(words).expect("quantity in the text")].chars().count();
                Quantity {
                    text: words.into(),
                    value,
                    min: None,
                    max: None,
                    approx: false,
                    noun: noun.map(Into::into),
                    modifiers: modifiers.iter().map(|m| m.to_string()).collect(),
                    unit: unit.map(Into::into),
                    start,
                    end: start + words.chars().count(),
                }
            })
            .collect();
        let analysis =
            Analysis { language: "nl".into(), sentences: sentence_list, quantities, ..Analysis::default() };
        (article, analysis)
    }

    fn state(reports: &[(Article, Analysis)]) -> super::super::DiscrepancyState {
        let inputs: Vec<Input<'_>> = reports.iter().map(|(a, x)| Input::new(a, x)).collect();
        super::super::discrepancy_state(&inputs)
    }

    const IS: &[&str] = &["IS"];

    #[test]
    fn a_narrowed_disagreement_lasts_unless_a_bare_noun_could_join_it() {
        use super::super::DiscrepancyState::*;
        let a = report(
            "a",
            "2025-10-11",
            &["Volgens de coalitie verlieten 275 IS-strijders de stad Busayra."],
            &[("275 IS-strijders", 275.0, Some("strijder"), IS, None)],
        );
        let b = report(
            "b",
            "2025-10-12",
            &["Volgens de coalitie verlieten 250 IS-strijders de stad Busayra."],
            &[("250 IS-strijders", 250.0, Some("strijder"), IS, None)],
        );
        assert_eq!(state(&[a.clone(), b.clone()]), Lasting);
        // The same disagreement, with a bare noun in the first report that a story could read
        // as the same subject (or not): present, not lasting.
        let a_bare = report(
            "a",
            "2025-10-11",
            &[
                "Volgens de coalitie verlieten 275 IS-strijders de stad Busayra.",
                "Het konvooi telde 275 strijders in totaal.",
            ],
            &[
                ("275 IS-strijders", 275.0, Some("strijder"), IS, None),
                ("275 strijders", 275.0, Some("strijder"), &[], None),
            ],
        );
        assert_eq!(state(&[a_bare.clone(), b.clone()]), Present);
        // Values that agree within rounding never last, whatever else disagrees.
        let b_close = report(
            "b",
            "2025-10-12",
            &["Volgens de coalitie verlieten 276 IS-strijders de stad Busayra.", "Er reden 22 bussen mee."],
            &[
                ("276 IS-strijders", 276.0, Some("strijder"), IS, None),
                ("22 bussen", 22.0, Some("bus"), &[], None),
            ],
        );
        let a_buses = report(
            "a",
            "2025-10-11",
            &["Volgens de coalitie verlieten 275 IS-strijders de stad Busayra.", "Er reden 14 bussen mee."],
            &[
                ("275 IS-strijders", 275.0, Some("strijder"), IS, None),
                ("14 bussen", 14.0, Some("bus"), &[], None),
            ],
        );
        assert_eq!(state(&[a_buses, b_close]), Present, "a bare noun's disagreement can come and go");
        // A second narrowed form reads the bare noun apart again: the first pair still disagrees.
        let c = report(
            "c",
            "2025-10-13",
            &["Onder hen waren 40 buitenlandse strijders."],
            &[("40 buitenlandse strijders", 40.0, Some("strijder"), &["buitenlandse"], None)],
        );
        assert!(state(&[a_bare, b, c]).any());
    }

    #[test]
    fn a_sum_of_money_lasts_only_with_two_shared_words() {
        use super::super::DiscrepancyState::*;
        let eur = Some("EUR");
        let a = report(
            "a",
            "2025-10-01",
            &["De nieuwe brug in Zwolle kost volgens de gemeente 14 miljoen euro."],
            &[("14 miljoen euro", 14e6, None, &[], eur)],
        );
        let b = report(
            "b",
            "2025-10-02",
            &["De nieuwe brug in Zwolle kost volgens de provincie 18 miljoen euro."],
            &[("18 miljoen euro", 18e6, None, &[], eur)],
        );
        assert_eq!(state(&[a.clone(), b]), Lasting);
        let elsewhere = report(
            "b",
            "2025-10-02",
            &["Het geld komt volgens de gemeente uit een potje van 18 miljoen euro."],
            &[("18 miljoen euro", 18e6, None, &[], eur)],
        );
        assert_eq!(
            state(&[a.clone(), elsewhere]),
            Absent,
            "one shared word is not enough for a sum of money"
        );
        // With another disagreement (of a bare noun, which can come and go), the sums still do
        // not make it last.
        let with_buses = |(article, mut analysis): (Article, Analysis), n: f64| {
            let mut article = article;
            let extra = format!("Er reden {n} bussen.");
            let at = article.text.chars().count() + 1;
            article.text = format!("{} {extra}", article.text);
            analysis.sentences.push(crate::analyze::Sentence {
                text: extra.clone(),
                start: at,
                end: at + extra.chars().count(),
            });
            let q = format!("{n} bussen");
            analysis.quantities.push(crate::analyze::Quantity {
                text: q.clone(),
                value: n,
                min: None,
                max: None,
                approx: false,
                noun: Some("bus".into()),
                modifiers: Vec::new(),
                unit: None,
                start: at + 9,
                end: at + 9 + q.chars().count(),
            });
            (article, analysis)
        };
        let elsewhere = report(
            "b",
            "2025-10-02",
            &["Het geld komt volgens de gemeente uit een potje van 18 miljoen euro."],
            &[("18 miljoen euro", 18e6, None, &[], eur)],
        );
        assert_eq!(state(&[with_buses(a, 14.0), with_buses(elsewhere, 22.0)]), Present);
    }
}
