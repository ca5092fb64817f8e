//! `POST /api/ingest`: JSON Lines or a feed in the body, stored like `storyline ingest` stores
//! a file. Needs the bearer token; the body size and content type are checked before anything
//! is read. A record that cannot be read or analysed is left out and the rest of the body is
//! stored; the answer is then 422, naming each failed record, with the whole report beside the
//! error (a 200 answer means every record went in). Records are prepared and stored a batch at
//! a time as the body is read. A gzip-compressed body is recognised by its first bytes and
//! decompressed as it is read, like a file, and stopped if it grows more than
//! `GZIP_MAX_RATIO` times its size (a decompression bomb).

use axum::body::Body;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use storyline_core::ingest::prepare::{prepare_with_signature, Prepared};
use storyline_core::ingest::{read_stream, Format, IngestError, PrepareOptions};
use storyline_core::model::Locator;
use storyline_store::IngestOutcome;

use crate::error::{ApiError, ErrorCode};
use crate::params::Params;
use crate::{blocking, AppState, Shared};

/// The content types accepted, and the format each means.
pub const CONTENT_TYPES: &[(&str, Format)] = &[
    ("application/x-ndjson", Format::JsonLines),
    ("application/jsonl", Format::JsonLines),
    ("application/rss+xml", Format::Feed),
    ("application/atom+xml", Format::Feed),
    ("application/xml", Format::Feed),
    ("text/xml", Format::Feed),
];

/// A record that could not be read or stored.
#[derive(Debug, Serialize)]
struct RecordFailure {
    /// Where in the body: `line 3`, `item 2`, or `body`.
    record: String,
    /// Why.
    reason: String,
}

/// Failures named in a 422 answer's message; `errors` lists all of them.
const NAMED_FAILURES: usize = 5;

/// What an ingest did.
#[derive(Debug, Default, Serialize)]
struct IngestReport {
    /// Records read from the body.
    records: u64,
    /// Articles stored as new.
    inserted: u64,
    /// Of those, linked to an earlier near-duplicate.
    near_duplicates: u64,
    /// Articles already stored.
    duplicates: u64,
    /// New versions of stored articles (same id or URL, changed text or title).
    revised: u64,
    /// Records that could not be read or analysed (and were not stored).
    failed: u64,
    /// Each failure.
    errors: Vec<RecordFailure>,
    /// What happened to each article, in body order.
    articles: Vec<IngestOutcome>,
}

/// Whether the given token is the server's, in time that tells nothing of the token: both
/// are hashed in full with a key drawn at start (SipHash), and the two hashes compared. Neither
/// a matching prefix nor the token's length shows in how long the answer takes; only a guess
/// whose hash matches (the right token) goes on to the exact comparison.
fn same(given: &[u8], token: &[u8]) -> bool {
    use std::hash::BuildHasher;
    static KEY: std::sync::OnceLock<std::collections::hash_map::RandomState> = std::sync::OnceLock::new();
    let key = KEY.get_or_init(Default::default);
    let (a, b) = (key.hash_one(given), key.hash_one(token));
    (a ^ b) == 0 && given == token
}

pub(crate) fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.token else {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "writes are disabled: this server was started without STORYLINE_TOKEN",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
    match given {
        None => Err(ApiError::new(ErrorCode::Unauthorized, "missing `Authorization: Bearer <token>` header")),
        Some(g) if same(g.trim().as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(ErrorCode::Unauthorized, "wrong bearer token")),
    }
}

fn format_of(headers: &HeaderMap) -> Result<Format, ApiError> {
    let accepted = || CONTENT_TYPES.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(", ");
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("no Content-Type; send one of {}", accepted()),
        ));
    };
    let raw = value.to_str().unwrap_or("");
    let mime = raw.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    CONTENT_TYPES.iter().find(|(t, _)| *t == mime).map(|(_, f)| *f).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("content type `{raw}` is not accepted; send one of {}", accepted()),
        )
    })
}

fn too_large(max: usize) -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("the body is larger than the {max} bytes this server accepts"),
    )
}

async fn read_body(body: Body, headers: &HeaderMap, max: usize) -> Result<axum::body::Bytes, ApiError> {
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large(max));
    }
    axum::body::to_bytes(body, max).await.map_err(|e| {
        let mut source: Option<&dyn std::error::Error> = Some(&e);
        while let Some(s) = source {
            if s.to_string().contains("length limit") {
                return too_large(max);
            }
            source = s.source();
        }
        ApiError::bad_request(format!("cannot read the request body: {e}"))
    })
}

/// `POST /api/ingest`.
pub(crate) async fn ingest(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
    req: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    authorize(&state, &parts.headers)?;
    let format = format_of(&parts.headers)?;
    let p = Params::parse(q.as_deref());
    let language =
        match p.text("language") {
            Some(l) => Some(storyline_core::analyze::lang::normalize_code(&l).ok_or_else(|| {
                ApiError::bad_request(format!("parameter `language`: unknown language `{l}`"))
            })?),
            None => None,
        };
    let prepare = PrepareOptions { source: p.text("source"), published: p.date("published")?, language };
    let bytes = read_body(body, &parts.headers, state.limits.max_body_bytes).await?;
    blocking(move || {
        let mut report = IngestReport::default();
        let batch_size = state.limits.batch_size.max(1);
        // Records are prepared and written a batch at a time as the body is read, so memory
        // holds one batch, not the whole body's analyses.
        let flush = |prepared: &mut Vec<Prepared>, report: &mut IngestReport| -> Result<(), ApiError> {
            if prepared.is_empty() {
                return Ok(());
            }
            let outcomes = state.store.ingest(prepared, &state.ingest)?;
            prepared.clear();
            for o in outcomes {
                match &o {
                    IngestOutcome::Inserted { near_duplicate_of, .. } => {
                        report.inserted += 1;
                        report.near_duplicates += u64::from(near_duplicate_of.is_some());
                    }
                    IngestOutcome::Duplicate { .. } => report.duplicates += 1,
                    IngestOutcome::Revised { .. } => report.revised += 1,
                }
                report.articles.push(o);
            }
            Ok(())
        };
        let mut prepared: Vec<Prepared> = Vec::with_capacity(batch_size.min(1024));
        let mut stopped: Option<ApiError> = None;
        let mut emit = |record: Result<storyline_core::RawArticle, storyline_core::ingest::RecordError>| {
            if stopped.is_some() {
                return;
            }
            report.records += 1;
            match record {
                Ok(raw) => {
                    let (origin, record) = match raw.locator {
                        Some(Locator::Whole) | None => ("api".to_string(), "body".to_string()),
                        Some(loc) => (format!("api: {loc}"), loc.to_string()),
                    };
                    match prepare_with_signature(raw, &prepare, Some(origin)) {
                        Ok(p) => prepared.push(p),
                        Err(e) => {
                            report.failed += 1;
                            report.errors.push(RecordFailure { record, reason: e.to_string() });
                        }
                    }
                    if prepared.len() >= batch_size {
                        if let Err(e) = flush(&mut prepared, &mut report) {
                            stopped = Some(e);
                        }
                    }
                }
                Err(e) => {
                    report.failed += 1;
                    report.errors.push(RecordFailure { record: e.locator.to_string(), reason: e.reason });
                }
            }
        };
        let read = read_stream(
            "request body",
            bytes.as_ref(),
            Some(format),
            state.limits.max_record_bytes,
            &mut emit,
        );
        if let Some(e) = stopped {
            return Err(e);
        }
        if let Err(e) = read {
            if matches!(e, IngestError::Empty) {
                return Err(ApiError::bad_request("the body is empty"));
            }
            if report.records == 0 {
                return Err(ApiError::bad_request(format!("cannot read the body as {}: {e}", format.name())));
            }
            report.failed += 1;
            report.errors.push(RecordFailure { record: "body".into(), reason: e.to_string() });
        }
        flush(&mut prepared, &mut report)?;
        tracing::info!(
            inserted = report.inserted,
            duplicates = report.duplicates,
            revised = report.revised,
            failed = report.failed,
            "ingest"
        );
        if report.failed == 0 {
            return Ok(Json(serde_json::json!(report)).into_response());
        }
        for f in &report.errors {
            tracing::warn!(record = %f.record, reason = %f.reason, "ingest record failed");
        }
        let message = failure_message(&report);
        Ok(ApiError::new(ErrorCode::UnprocessableEntity, message).with_details(serde_json::json!(report)))
    })
    .await
}

/// The message of a 422 answer: the failed records with their reasons, then what was stored.
fn failure_message(report: &IngestReport) -> String {
    let mut named: Vec<String> =
        report.errors.iter().take(NAMED_FAILURES).map(|f| format!("{}: {}", f.record, f.reason)).collect();
    if report.errors.len() > NAMED_FAILURES {
        named.push(format!("and {} more (see `errors`)", report.errors.len() - NAMED_FAILURES));
    }
    let stored = report.inserted + report.duplicates + report.revised;
    let revised = if report.revised > 0 { format!(", {} revised", report.revised) } else { String::new() };
    format!(
        "{}; {} record{} not stored, the other {stored} stored ({} new, {} already stored{revised})",
        named.join("; "),
        report.failed,
        if report.failed == 1 { " was" } else { "s were" },
        report.inserted,
        report.duplicates,
    )
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_exactly() {
        assert!(same(b"s3cret-token", b"s3cret-token"));
        for other in [&b""[..], b"s", b"s3cret-toke", b"s3cret-tokens", b"S3cret-token", b"x3cret-token"] {
            assert!(!same(other, b"s3cret-token"), "{other:?}");
        }
    }
}
