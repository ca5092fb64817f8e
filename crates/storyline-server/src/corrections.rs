//! `POST /api/corrections` (an editor's correction, with the bearer token) and
//! `GET /api/corrections` (the corrections made, a story's or an article's history), and
//! `GET /api/corrections/pairs` (the labelled pairs they give, as JSON Lines).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use storyline_store::corrections::{labelled_pairs, Correction, CorrectionFilter};
use storyline_store::{Store, StoreError};

use crate::error::ApiError;
use crate::params::Params;
use crate::{blocking, Shared};

/// The header that may name the author instead of the body's `author`.
pub const AUTHOR_HEADER: &str = "x-storyline-author";

/// The longest author name kept.
const MAX_AUTHOR: usize = 100;

/// A full article id for an id or unique prefix, or a 409 naming it.
fn full_id(store: &dyn Store, given: &str) -> Result<String, ApiError> {
    match store.resolve(given) {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(StoreError::Refused(format!("no article `{given}`")).into()),
        Err(e) => Err(e.into()),
    }
}

/// The correction with every article id made full.
fn resolved(store: &dyn Store, c: Correction) -> Result<Correction, ApiError> {
    Ok(match c {
        Correction::Split { story, articles } => Correction::Split {
            story,
            articles: articles.iter().map(|a| full_id(store, a)).collect::<Result<_, _>>()?,
        },
        Correction::Move { article, to } => Correction::Move { article: full_id(store, &article)?, to },
        Correction::Pin { article } => Correction::Pin { article: full_id(store, &article)? },
        Correction::KeepOut { article } => Correction::KeepOut { article: full_id(store, &article)? },
        Correction::Set { article, published, source, language } => {
            Correction::Set { article: full_id(store, &article)?, published, source, language }
        }
        other => other,
    })
}

/// `POST /api/corrections`: a JSON object `{"action": …, …, "author": …}`; answers 201 with
/// the stored correction.
pub(crate) async fn create(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    crate::ingest::authorize(&state, &headers)?;
    let mut value: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("the body is not a JSON object: {e}")))?;
    let Some(object) = value.as_object_mut() else {
        return Err(ApiError::bad_request("the body must be a JSON object with an `action`"));
    };
    let from_header = headers.get(AUTHOR_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
    let author = match object.remove("author") {
        Some(Value::String(a)) => Some(a),
        Some(_) => return Err(ApiError::bad_request("`author` must be a string")),
        None => from_header,
    };
    let author = author.map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).ok_or_else(|| {
        ApiError::bad_request(format!(
            "a correction needs its author: give `author` in the body or the {AUTHOR_HEADER} header"
        ))
    })?;
    if author.chars().count() > MAX_AUTHOR || author.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "`author` must be a name of at most {MAX_AUTHOR} characters"
        )));
    }
    let correction: Correction = serde_json::from_value(value).map_err(|e| {
        ApiError::bad_request(format!(
            "not a correction: {e} (actions: merge {{story, into}}, split {{story, articles}}, move {{article, to}}, \
             pin {{article}}, keep_out {{article}}, set {{article, published?, source?, language?}}, undo {{correction}})"
        ))
    })?;
    let event = blocking(move || {
        let correction = resolved(state.store.as_ref(), correction)?;
        let event = state.store.correct(&correction, &author)?;
        // Reports moved between stories: no kept dossier can be trusted.
        state.dossiers.clear();
        Ok::<_, ApiError>(event)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(event)).into_response())
}

/// The filter of `GET /api/corrections` and `/api/corrections/pairs`.
fn filter(q: Option<&str>, store: &dyn Store) -> Result<CorrectionFilter, ApiError> {
    let p = Params::parse(q);
    let story = match p.number("story")? {
        Some(s) => {
            let s = s as i64;
            Some(store.resolve_story(s)?.unwrap_or(s))
        }
        None => None,
    };
    let article = match p.text("article") {
        Some(a) => Some(store.resolve(&a)?.ok_or_else(|| ApiError::not_found(format!("no article `{a}`")))?),
        None => None,
    };
    if story.is_some() && article.is_some() {
        return Err(ApiError::bad_request("give `story` or `article`, not both"));
    }
    Ok(CorrectionFilter { story, article, limit: p.number("limit")? })
}

/// `GET /api/corrections?story=&article=&limit=`: newest first.
pub(crate) async fn list(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let filter = filter(q.as_deref(), state.store.as_ref())?;
        let events = state.store.corrections(&filter)?;
        Ok(Json(json!({ "corrections": events })))
    })
    .await
}

/// `GET /api/corrections/pairs`: the labelled pairs of the corrections that stand, oldest
/// first, as JSON Lines.
pub(crate) async fn pairs(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    blocking(move || {
        let filter = filter(q.as_deref(), state.store.as_ref())?;
        let mut events = state.store.corrections(&filter)?;
        events.reverse();
        let mut out = String::new();
        for p in labelled_pairs(&events, 1000) {
            out.push_str(&serde_json::to_string(&p).map_err(ApiError::internal)?);
            out.push('\n');
        }
        Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response())
    })
    .await
}
