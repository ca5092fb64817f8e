//! Dossiers and comparisons of stored articles: the store reads the articles and their stored
//! analyses, the core lays them out (see [`storyline_core::dossier`]). A report its outlet
//! revised shows its latest version and says what changed from the one before.

use storyline_core::analyze::Analysis;
use storyline_core::dossier::{self, Comparison, Dossier, Input, ReportTerms, Revision};
use storyline_core::model::Article;

use crate::{ArticleRecord, ClusterSettings, Store, StoreError, StoryFilter, StorySummary};

/// The dossier of one stored story, or `None` when there is no such story.
pub fn story_dossier(store: &dyn Store, story: i64) -> Result<Option<Dossier>, StoreError> {
    let summary = store.stories(&StoryFilter { id: Some(story), ..StoryFilter::default() })?;
    let Some(summary) = summary.into_iter().next() else { return Ok(None) };
    story_dossier_of(store, &summary)
}

/// The dossier of a story whose summary the caller already has.
pub fn story_dossier_of(store: &dyn Store, summary: &StorySummary) -> Result<Option<Dossier>, StoreError> {
    let reports = store.story_reports(summary.id)?;
    let revised: Vec<String> =
        reports.iter().filter(|r| r.version > 1).map(|r| r.article.id.clone()).collect();
    let loaded: Vec<(Article, Analysis, Option<ReportTerms>)> =
        reports.into_iter().map(|r| (r.article, r.analysis.unwrap_or_default(), r.terms)).collect();
    if loaded.is_empty() {
        return Ok(None);
    }
    let inputs: Vec<Input<'_>> = loaded
        .iter()
        .map(|(article, analysis, terms)| Input { article, analysis, terms: terms.as_ref() })
        .collect();
    let mut built = dossier::build(summary.id, Some(&summary.title), &inputs);
    built.reports_total = built.reports_total.max(summary.articles);
    for id in revised {
        let revision = store.article(&id)?.and_then(|r| revision_of(&r));
        if let Some(report) = built.articles.iter_mut().find(|a| a.id == id) {
            report.revision = revision;
        }
    }
    Ok(Some(built))
}

/// What the version of a revised article shown changed from the one before it.
pub fn revision_of(record: &ArticleRecord) -> Option<Revision> {
    let [.., previous, shown] = record.versions.as_slice() else { return None };
    Some(Revision {
        version: shown.version,
        previous_published: previous.published,
        previous_title: (previous.title != shown.title).then(|| previous.title.clone()),
        changes: shown.changes.clone(),
    })
}

/// Compares two stored articles (full ids or unique prefixes), or `None` when either is
/// unknown.
pub fn compare_stored(
    store: &dyn Store,
    a: &str,
    b: &str,
    settings: &ClusterSettings,
) -> Result<Option<Comparison>, StoreError> {
    let load = |id: &str| -> Result<Option<(Article, Analysis)>, StoreError> {
        let Some(full) = store.resolve(id)? else { return Ok(None) };
        Ok(store.article(&full)?.map(|r| (r.article, r.analysis.unwrap_or_default())))
    };
    let (Some(x), Some(y)) = (load(a)?, load(b)?) else { return Ok(None) };
    Ok(Some(dossier::compare(Input::new(&x.0, &x.1), Input::new(&y.0, &y.1), settings)))
}
