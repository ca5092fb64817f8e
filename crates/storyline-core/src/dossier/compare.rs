//! Two articles side by side: whether they report one story, how sure, why, what each adds to
//! the other, and where their figures disagree.

use std::collections::BTreeMap;

use super::{adds, compare_reports, figures, lay_out, quotes, report, Comparison, Input, ReportRole, Shared};
use crate::analyze::stem::{is_stopword, LanguageStemmer};
use crate::analyze::{Analysis, EntityType};
use crate::cluster::{features, Clusterer, Settings};

/// Compares two articles with the clustering `settings` a store would use.
pub fn compare(a: Input<'_>, b: Input<'_>, settings: &Settings) -> Comparison {
    let a_first = compare_reports(a.article, b.article).is_le();
    let (early, late) = if a_first { (a, b) } else { (b, a) };
    let mut clusterer = Clusterer::new(settings.clone());
    clusterer.assign(1, &features(early.article, early.analysis), None);
    let late_features = features(late.article, late.analysis);
    let decision = clusterer.assign(2, &late_features, None);
    let threshold = clusterer.join_probability();
    let same_story = !decision.new_story;
    // The model's probability that the later article reports the earlier one's story.
    let confidence = decision.score.clamp(0.0, 1.0);

    // Each side's additions relative to the other: the dossier of the pair read both ways.
    let forward = lay_out(&[early, late]);
    let backward_figs = figures::collect(&[late, early]);
    let backward = adds::compute(&[late, early], &backward_figs, &quotes::said(&[late, early]));
    let late_adds = forward.articles[1].adds.clone();
    let early_adds = backward[1].clone();
    let (a_adds, b_adds) = if a_first { (early_adds, late_adds) } else { (late_adds, early_adds) };
    let a_role = if a_first { ReportRole::First } else { forward.articles[1].role };
    let b_role = if a_first { forward.articles[1].role } else { ReportRole::First };

    Comparison {
        a: report(a.article, a_adds, a_role),
        b: report(b.article, b_adds, b_role),
        same_story,
        confidence,
        score: decision.score,
        threshold,
        shared: shared(a, b),
        discrepancies: forward.discrepancies,
        contradictions: forward.contradictions,
        quotes: forward.quotes,
    }
}

/// What the two articles share: names by kind, counted things, dates, speakers, words.
fn shared(a: Input<'_>, b: Input<'_>) -> Shared {
    let mut out = Shared::default();
    let names = |x: &Analysis, kind: EntityType| -> BTreeMap<String, String> {
        let mut m: BTreeMap<String, String> = BTreeMap::new();
        for e in x.entities.iter().filter(|e| e.kind == kind) {
            let cur = m.entry(e.key.clone()).or_default();
            if e.text.chars().count() > cur.chars().count() {
                *cur = e.text.clone();
            }
        }
        m
    };
    for (kind, list) in [
        (EntityType::Person, &mut out.people),
        (EntityType::Organization, &mut out.organizations),
        (EntityType::Place, &mut out.places),
    ] {
        let other = names(b.analysis, kind);
        *list = names(a.analysis, kind)
            .into_iter()
            .filter(|(k, _)| other.contains_key(k))
            .map(|(_, v)| v)
            .collect();
    }
    let figs_a = figures::collect(&[a]);
    let figs_b = figures::collect(&[b]);
    let mut counted: Vec<&str> = Vec::new();
    for f in &figs_a.all {
        if figs_b.all.iter().any(|g| g.subject_key == f.subject_key)
            && !counted.contains(&f.subject_key.as_str())
        {
            counted.push(&f.subject_key);
            out.figures.push(f.subject.clone());
        }
    }

    for t in a.analysis.times.iter().filter_map(|t| t.value.as_ref()) {
        if b.analysis.times.iter().any(|u| u.value.as_ref() == Some(t)) && !out.times.contains(t) {
            out.times.push(t.clone());
        }
    }
    for q in &a.analysis.quotes {
        let Some(key) = &q.speaker_key else { continue };
        if b.analysis.quotes.iter().any(|r| r.speaker_key.as_ref() == Some(key)) {
            let name = q.speaker.clone().unwrap_or_else(|| key.clone());
            if !out.speakers.contains(&name) {
                out.speakers.push(name);
            }
        }
    }
    let (wa, wb) = (content_words(a), content_words(b));
    let mut common: Vec<(usize, &str, &str)> = wa
        .iter()
        .filter_map(|(stem, (n, form))| {
            wb.get(stem).map(|(m, _)| ((*n).min(*m), stem.as_str(), form.as_str()))
        })
        .collect();
    let union = wa.len() + wb.len() - common.len();
    out.word_overlap = if union == 0 { 0.0 } else { common.len() as f32 / union as f32 };
    common.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(y.1)));
    out.words = common.iter().take(12).map(|&(_, _, form)| form.to_string()).collect();
    if let (Some(pa), Some(pb)) = (a.article.published, b.article.published) {
        out.days_apart = Some((pa.unix - pb.unix).abs() as f64 / 86_400.0);
    }
    out
}

/// Content words of title and text by stem: (count, first written form).
fn content_words(x: Input<'_>) -> BTreeMap<String, (usize, String)> {
    let lang = x.analysis.language.as_str();
    let stemmer = LanguageStemmer::new(lang);
    let mut out: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for text in [&x.article.title, &x.article.text] {
        for w in text.split(|c: char| !c.is_alphanumeric()) {
            if w.chars().count() < 4 || w.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let lower = w.to_lowercase();
            if is_stopword(lang, &lower) {
                continue;
            }
            let stem = stemmer.stem_lowercase(&lower).into_owned();
            out.entry(stem).or_insert_with(|| (0, lower)).0 += 1;
        }
    }
    out
}
