//! The JSON API handlers: parse the parameters, call the store and the dossier code, answer
//! JSON.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};
use storyline_store::dossier::compare_stored;
use storyline_store::{ArticleFilter, SearchQuery, Store, StoryFilter};

use crate::error::ApiError;
use crate::params::Params;
use crate::{blocking, Shared};

/// A page of a listing.
#[derive(Serialize)]
struct Page<T: Serialize> {
    #[serde(flatten)]
    items: T,
    limit: usize,
    offset: usize,
    /// Whether a further page exists.
    has_more: bool,
}

/// `limit` (default `default`, capped at the server's page size) and `offset`.
fn paging(p: &Params, default: usize, max: usize) -> Result<(usize, usize), ApiError> {
    let limit = p.number("limit")?.unwrap_or(default).min(max);
    let offset = p.number_at_most("offset", crate::params::MAX_OFFSET)?.unwrap_or(0);
    Ok((limit, offset))
}

/// A path parameter, or a 400 naming what was wrong with it.
pub(crate) fn path_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id).map_err(|e| ApiError::bad_request(format!("bad path: {}", e.body_text())))
}

/// A story id from the path.
pub(crate) fn story_id(path: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let raw = path_id(path)?;
    raw.parse::<i64>().map_err(|_| ApiError::bad_request(format!("story id `{raw}` is not a number")))
}

/// The stored article with this id or unique id prefix (looked up once when the id is whole),
/// or a 404 naming it.
pub(crate) fn load_article(store: &dyn Store, id: &str) -> Result<storyline_store::ArticleRecord, ApiError> {
    if let Some(record) = store.article(id)? {
        return Ok(record);
    }
    let full = resolve(store, id)?;
    store.article(&full)?.ok_or_else(|| ApiError::not_found(format!("no article with id `{id}`")))
}

/// Resolves an article id or unique prefix, or a 404 naming it.
pub(crate) fn resolve(store: &dyn Store, id: &str) -> Result<String, ApiError> {
    store.resolve(id)?.ok_or_else(|| ApiError::not_found(format!("no article with id `{id}`")))
}

pub(crate) fn story_filter(p: &Params) -> Result<StoryFilter, ApiError> {
    Ok(StoryFilter {
        id: None,
        source: p.text("source"),
        language: p.text("language"),
        since: p.date("since")?,
        until: p.date("until")?,
        min_articles: p.number("min_articles")?.unwrap_or(1),
        discrepancies: p.either("discrepancies")?,
        limit: None,
        offset: 0,
    })
}

/// `GET /api/health`.
pub(crate) async fn health(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let stats = state.store.stats()?;
        Ok(Json(json!({ "status": "ok", "articles": stats.articles, "stories": stats.stories })))
    })
    .await
}

/// `GET /api/stories`.
pub(crate) async fn stories(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref());
    let mut filter = story_filter(&p)?;
    let (limit, offset) = paging(&p, 50, state.limits.max_page)?;
    filter.limit = Some(limit + 1);
    filter.offset = offset;
    blocking(move || {
        let mut stories = state.store.stories(&filter)?;
        let has_more = stories.len() > limit;
        stories.truncate(limit);
        Ok(Json(json!(Page { items: json!({ "stories": stories }), limit, offset, has_more })))
    })
    .await
}

/// `GET /api/stories/{id}`: the story's dossier.
pub(crate) async fn story(
    State(state): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let id = story_id(path)?;
    let p = Params::parse(q.as_deref());
    // The reports come in pages (`limit`, at most the server's page size, and `offset`); the
    // rest of the dossier comes whole.
    let (limit, offset) = paging(&p, state.limits.max_page, state.limits.max_page)?;
    blocking(move || match state.dossiers.dossier(state.store.as_ref(), id)? {
        // Written straight from the dossier: a large story's JSON is megabytes.
        Some(d) => {
            let total = d.articles.len();
            let from = offset.min(total);
            let to = from.saturating_add(limit).min(total);
            let paged = PagedDossier {
                id: d.id,
                title: &d.title,
                first_published: d.first_published,
                last_published: d.last_published,
                sources: &d.sources,
                languages: &d.languages,
                articles: &d.articles[from..to],
                articles_total: total,
                reports_total: d.reports_total.max(total as u64),
                limit,
                offset,
                has_more: to < total,
                discrepancies: &d.discrepancies,
                contradictions: &d.contradictions,
                quotes: &d.quotes,
                figures: &d.figures,
            };
            let body = serde_json::to_vec(&paged)
                .map_err(|e| ApiError::internal(format!("dossier of story {id}: {e}")))?;
            Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
        }
        None => match state.store.resolve_story(id)? {
            // Merged into another story: its reports are there now.
            Some(into) if into != id => {
                Ok(Redirect::temporary(&format!("/api/stories/{into}")).into_response())
            }
            _ => Err(ApiError::not_found(format!("no story with id {id}"))),
        },
    })
    .await
}

/// A dossier with one page of its reports: the dossier's fields, `articles` cut to the page,
/// and the paging beside them.
#[derive(Serialize)]
struct PagedDossier<'a> {
    id: i64,
    title: &'a str,
    first_published: Option<storyline_core::Published>,
    last_published: Option<storyline_core::Published>,
    sources: &'a [String],
    languages: &'a [String],
    articles: &'a [storyline_core::dossier::Report],
    /// Reports the dossier reads (`articles` holds `limit` of them from `offset`).
    articles_total: usize,
    /// Reports in the story: more than `articles_total` when the story is too large to read
    /// whole and the dossier is of its first and latest reports.
    reports_total: u64,
    limit: usize,
    offset: usize,
    has_more: bool,
    discrepancies: &'a [storyline_core::dossier::Discrepancy],
    contradictions: &'a [storyline_core::dossier::Contradiction],
    quotes: &'a [storyline_core::dossier::QuoteEntry],
    figures: &'a [storyline_core::dossier::Figure],
}

/// `GET /api/articles`.
pub(crate) async fn articles(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref());
    let (limit, offset) = paging(&p, 50, state.limits.max_page)?;
    let filter = ArticleFilter {
        source: p.text("source"),
        language: p.text("language"),
        since: p.date("since")?,
        until: p.date("until")?,
        undated: p.flag("undated")?,
        limit: Some(limit + 1),
        offset,
    };
    blocking(move || {
        let mut articles = state.store.articles(&filter)?;
        let has_more = articles.len() > limit;
        articles.truncate(limit);
        Ok(Json(json!(Page { items: json!({ "articles": articles }), limit, offset, has_more })))
    })
    .await
}

/// `GET /api/articles/{id}`: everything stored about one article (a unique id prefix will do).
pub(crate) async fn article(
    State(state): State<Shared>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = path_id(path)?;
    blocking(move || Ok(Json(json!(load_article(state.store.as_ref(), &id)?)))).await
}

/// The search query of a request's parameters (`q`, filters, `limit`, `offset`).
pub(crate) fn search_query(p: &Params, limit: usize, offset: usize) -> Result<SearchQuery, ApiError> {
    Ok(SearchQuery {
        text: p.text("q").unwrap_or_default(),
        source: p.text("source"),
        language: p.text("language"),
        since: p.date("since")?,
        until: p.date("until")?,
        entity: p.text("entity"),
        limit,
        offset,
    })
}

/// `GET /api/search`.
pub(crate) async fn search(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref());
    let (limit, offset) = paging(&p, 20, state.limits.max_page)?;
    let query = search_query(&p, limit, offset)?;
    blocking(move || {
        let results = state.store.search(&query)?;
        let has_more = (offset + results.hits.len()) < results.total as usize;
        Ok(Json(json!(Page { items: json!(results), limit, offset, has_more })))
    })
    .await
}

/// `GET /api/compare?a=&b=`: two stored articles side by side.
pub(crate) async fn compare(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref());
    let a = p.required("a")?;
    let b = p.required("b")?;
    blocking(move || {
        let store = state.store.as_ref();
        let (a, b) = (resolve(store, &a)?, resolve(store, &b)?);
        match compare_stored(store, &a, &b, &state.ingest.cluster)? {
            Some(c) => Ok(Json(json!(c))),
            None => Err(ApiError::not_found(format!("article `{a}` or `{b}` vanished while reading"))),
        }
    })
    .await
}

/// The followed feeds' statuses as the status file holds them (read on the blocking pool), or
/// `None` when no status file is configured or written yet. An unreadable file is logged and
/// answered as an internal error.
pub(crate) async fn feed_statuses(
    feeds: &crate::Feeds,
) -> Result<Option<storyline_store::watch::WatchStatus>, ApiError> {
    let Some(path) = feeds.status_file.clone() else { return Ok(None) };
    blocking(move || {
        storyline_store::watch::load(&path).map_err(|e| {
            tracing::error!("{e}");
            ApiError::internal("the feed statuses cannot be read; the server log says why".to_string())
        })
    })
    .await
}

/// `GET /api/feeds`: every followed source's status.
pub(crate) async fn feeds(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    let status = feed_statuses(&state.feeds).await?;
    let sources: Vec<&storyline_store::watch::SourceStatus> =
        status.as_ref().map(|s| s.sources.iter().map(|e| &e.status).collect()).unwrap_or_default();
    Ok(Json(json!({
        "watching": state.feeds.watching.is_some(),
        "list": status.as_ref().and_then(|s| s.list.as_deref().map(file_name)).or(state.feeds.watching.clone()),
        "updated": status.as_ref().and_then(|s| s.updated),
        "sources": sources,
    })))
}

/// The last part of a path: the server names a watch list without saying where it lives.
pub(crate) fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}
