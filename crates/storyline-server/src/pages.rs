//! The page handlers: the same parameters and store calls as the API, rendered by [`crate::ui`].

use std::collections::BTreeSet;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use storyline_store::corrections::CorrectionFilter;
use storyline_store::{Store, StoryFilter};

use crate::api::{load_article, path_id, search_query, story_filter, story_id};
use crate::error::{ApiError, PageError};
use crate::params::Params;
use crate::ui::{self, SearchForm, StoriesForm, SEARCH_PAGE_SIZE, STORIES_PAGE_SIZE};
use crate::{blocking, html, Shared};

/// Most bars of a story's activity sparkline.
const ACTIVITY_BARS: usize = 30;

/// Stories with more reports than this get no sparkline: reading every report's date would
/// cost more than the rest of the page.
const MAX_ACTIVITY_REPORTS: u64 = 1_000;

const DAY: i64 = 86_400;

/// Reports per period of a story, from its first dated report to its last: one bar per day, or
/// per several days when that would be more than [`ACTIVITY_BARS`] bars. Undated reports are
/// not counted: `times` are the publication times (seconds since the epoch) of the dated ones.
pub fn activity_of(times: &[i64]) -> Vec<u32> {
    let days: Vec<i64> = times.iter().map(|t| t.div_euclid(DAY)).collect();
    let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else { return Vec::new() };
    let span = (last - first + 1) as usize;
    let per_bar = span.div_ceil(ACTIVITY_BARS);
    let mut bars = vec![0u32; span.div_ceil(per_bar)];
    for d in &days {
        bars[(d - first) as usize / per_bar] += 1;
    }
    bars
}

fn form_value(p: &Params, key: &str) -> Option<String> {
    p.text(key)
}

/// `GET /`: the stories.
pub(crate) async fn stories(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let p = Params::parse(q.as_deref());
    let form = StoriesForm {
        since: form_value(&p, "since"),
        until: form_value(&p, "until"),
        source: form_value(&p, "source"),
        language: form_value(&p, "language"),
        min_articles: form_value(&p, "min_articles"),
        discrepancies: p.either("discrepancies")?,
        page: p.number_at_most("page", crate::params::MAX_OFFSET / STORIES_PAGE_SIZE)?.unwrap_or(1).max(1),
    };
    let mut filter = story_filter(&p)?;
    filter.limit = Some(STORIES_PAGE_SIZE + 1);
    filter.offset = form.offset();
    blocking(move || {
        let store = state.store.as_ref();
        let mut list = store.stories(&filter)?;
        let has_next = list.len() > STORIES_PAGE_SIZE;
        list.truncate(STORIES_PAGE_SIZE);
        let mut bars = Vec::with_capacity(list.len());
        for s in list.iter().filter(|s| s.articles <= MAX_ACTIVITY_REPORTS) {
            bars.push((s.id, activity_of(&store.story_published(s.id)?)));
        }
        Ok(html(ui::stories_page(&list, &bars, &form, has_next)))
    })
    .await
}

/// `GET /stories/{id}`: a story's dossier.
pub(crate) async fn story(
    State(state): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let id = story_id(path)?;
    let p = Params::parse(q.as_deref());
    let page =
        p.number_at_most("page", crate::params::MAX_OFFSET / ui::STORY_PAGE_REPORTS)?.unwrap_or(1).max(1);
    blocking(move || match state.dossiers.dossier(state.store.as_ref(), id)? {
        Some(d) => {
            let history =
                state.store.corrections(&CorrectionFilter { story: Some(d.id), ..Default::default() })?;
            Ok(html(ui::story_page_with(&d, page, &history)))
        }
        None => match state.store.resolve_story(id)? {
            // Merged into another story: its reports are there now.
            Some(into) if into != id => Ok(Redirect::temporary(&format!("/stories/{into}")).into_response()),
            _ => Err(ApiError::not_found(format!("There is no story {id}.")).page()),
        },
    })
    .await
}

/// `http://HOST` of a request, for the absolute addresses a feed needs (`localhost` when the
/// request names no host).
fn base_of(headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// An Atom feed response.
fn atom(body: String) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], body).into_response()
}

/// `GET /stories/{id}/feed.atom`: the story's reports as an Atom feed.
pub(crate) async fn story_feed(
    State(state): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    let id = story_id(path)?;
    let base = base_of(&headers);
    blocking(move || match state.dossiers.dossier(state.store.as_ref(), id)? {
        Some(d) => Ok(atom(ui::story_feed(&d, &base))),
        None => match state.store.resolve_story(id)? {
            Some(into) if into != id => {
                Ok(Redirect::temporary(&format!("/stories/{into}/feed.atom")).into_response())
            }
            _ => Err(ApiError::not_found(format!("There is no story {id}.")).page()),
        },
    })
    .await
}

/// `GET /search/feed.atom`: a search's first page of hits as an Atom feed.
pub(crate) async fn search_feed(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    let raw = q.unwrap_or_default();
    let p = Params::parse(Some(&raw));
    let text = p.text("q").filter(|t| !t.trim().is_empty());
    let Some(text) = text else {
        return Err(ApiError::bad_request("a search feed needs its words: `q=`".to_string()).page());
    };
    let query = search_query(&p, SEARCH_PAGE_SIZE, 0)?;
    let base = base_of(&headers);
    blocking(move || {
        let results = state.store.search(&query)?;
        Ok(atom(ui::search_feed(&text, &raw, &results, &base)))
    })
    .await
}

/// The summary of one story.
fn story_summary(store: &dyn Store, id: i64) -> Result<Option<storyline_store::StorySummary>, PageError> {
    Ok(store.stories(&StoryFilter { id: Some(id), ..StoryFilter::default() })?.into_iter().next())
}

/// `GET /articles/{id}`: one article with its highlights and its story.
pub(crate) async fn article(
    State(state): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, PageError> {
    let id = path_id(path)?;
    blocking(move || {
        let store = state.store.as_ref();
        let record = load_article(store, &id).map_err(|e| match e.code {
            crate::error::ErrorCode::NotFound => ApiError::not_found(format!("There is no article `{id}`.")),
            _ => e,
        })?;
        let story = match record.story {
            Some(s) => story_summary(store, s)?,
            None => None,
        };
        let history = store.corrections(&CorrectionFilter {
            article: Some(record.article.id.clone()),
            ..Default::default()
        })?;
        Ok(html(ui::article_page_with(&record, story.as_ref(), &history)))
    })
    .await
}

/// `GET /search`: the search form and, with a query, its hits grouped by story.
pub(crate) async fn search(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Response, PageError> {
    let p = Params::parse(q.as_deref());
    let form = SearchForm {
        q: form_value(&p, "q"),
        source: form_value(&p, "source"),
        language: form_value(&p, "language"),
        since: form_value(&p, "since"),
        until: form_value(&p, "until"),
        entity: form_value(&p, "entity"),
        page: p.number_at_most("page", crate::params::MAX_OFFSET / SEARCH_PAGE_SIZE)?.unwrap_or(1).max(1),
    };
    if !form.has_query() {
        return Ok(html(ui::search_page(&form, None, &[])));
    }
    let query = search_query(&p, SEARCH_PAGE_SIZE, form.offset())?;
    blocking(move || {
        let store = state.store.as_ref();
        let results = store.search(&query)?;
        let ids: BTreeSet<i64> = results.hits.iter().filter_map(|h| h.story).collect();
        let mut titles = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(s) = story_summary(store, id)? {
                titles.push((id, s.title));
            }
        }
        Ok(html(ui::search_page(&form, Some(&results), &titles)))
    })
    .await
}

/// `GET /feeds`: every followed source's status.
pub(crate) async fn feeds(State(state): State<Shared>) -> Result<Response, PageError> {
    let status = crate::api::feed_statuses(&state.feeds).await?;
    let list = status.as_ref().and_then(|s| s.list.as_deref()).map(crate::api::file_name);
    let view = ui::FeedsView {
        watching: state.feeds.watching.as_deref(),
        list: list.as_deref(),
        status: status.as_ref(),
    };
    Ok(html(ui::feeds_page(&view)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_core::Published;
    use storyline_store::ArticleSummary;

    fn activity(articles: &[ArticleSummary]) -> Vec<u32> {
        let times: Vec<i64> = articles.iter().filter_map(|a| a.published.map(|p| p.unix)).collect();
        activity_of(&times)
    }

    fn at(day: &str) -> ArticleSummary {
        ArticleSummary {
            id: day.into(),
            title: String::new(),
            source: None,
            published: Published::parse(day).ok(),
            language: "nl".into(),
            near_duplicate_of: None,
            story: Some(1),
        }
    }

    #[test]
    fn activity_counts_reports_per_day_or_per_few_days() {
        let days = [at("2025-10-01"), at("2025-10-01T18:00:00Z"), at("2025-10-03"), at("")];
        assert_eq!(activity(&days), [2, 0, 1]);
        let long = [at("2025-01-01"), at("2025-03-01"), at("2025-03-02")];
        let bars = activity(&long);
        assert!(bars.len() <= ACTIVITY_BARS && bars.len() >= ACTIVITY_BARS / 2, "{bars:?}");
        assert_eq!(bars.iter().sum::<u32>(), 3);
        assert_eq!(bars[0], 1);
        assert!(activity(&[at("")]).is_empty());
    }
}
