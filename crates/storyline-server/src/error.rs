//! The one table of error codes: every failed request gets a status and a JSON body
//! `{ "error": { "code", "message" } }` (an HTML page for the pages), never a stack trace.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use storyline_store::StoreError;

/// What went wrong, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// Malformed input: a bad date, number or id, a missing parameter, an unreadable body.
    BadRequest,
    /// A write without the right bearer token.
    Unauthorized,
    /// A write to a server that accepts none (started without a token).
    Forbidden,
    /// No such story, article or route.
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// The body is larger than the server accepts.
    PayloadTooLarge,
    /// The body's content type is not one the route reads.
    UnsupportedMediaType,
    /// A correction that cannot be carried out on the store as it is (a story or article that
    /// is not there, a split that would leave nothing, an undo of what was undone).
    Conflict,
    /// Records of an ingest body could not be stored (unreadable, or their analysis failed);
    /// the body's other records were stored.
    UnprocessableEntity,
    /// The server failed; the details are in its log.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the table.
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Conflict,
        ErrorCode::UnprocessableEntity,
        ErrorCode::Internal,
    ];

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::UnprocessableEntity => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The name in the JSON body.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::Conflict => "conflict",
            ErrorCode::UnprocessableEntity => "unprocessable_entity",
            ErrorCode::Internal => "internal",
        }
    }
}

/// A failed API request: its code and a message for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
pub struct ApiError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// What to tell the caller (never internals).
    pub message: String,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into() }
    }

    /// 400.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::BadRequest, message)
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::NotFound, message)
    }

    /// 500, with the detail logged and not shown.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "request failed");
        ApiError::new(ErrorCode::Internal, "internal error; the server log has the details")
    }

    /// The same error rendered as an HTML page instead of JSON.
    pub fn page(self) -> PageError {
        PageError(self)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Ambiguous { .. } => ApiError::bad_request(e.to_string()),
            StoreError::Refused(why) => ApiError::new(ErrorCode::Conflict, why),
            other => ApiError::internal(other),
        }
    }
}

impl ApiError {
    /// The error's JSON body `{ "error": { "code", "message" } }`, with the fields of `details`
    /// (an object) beside `error`: what a client needs beyond the message, such as an ingest's
    /// per-record report.
    pub fn with_details(self, details: serde_json::Value) -> Response {
        let mut body =
            serde_json::json!({ "error": { "code": self.code.as_str(), "message": self.message } });
        if let (Some(body), serde_json::Value::Object(details)) = (body.as_object_mut(), details) {
            for (k, v) in details {
                body.entry(k).or_insert(v);
            }
        }
        (self.code.status(), axum::Json(body)).into_response()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": { "code": self.code.as_str(), "message": self.message } });
        let mut res = (self.code.status(), axum::Json(body)).into_response();
        if self.code == ErrorCode::Unauthorized {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// An [`ApiError`] on a page route: answered with an HTML error page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.code.status();
        let mut res = crate::html(crate::ui::error_page(status.as_u16(), &self.0.message));
        *res.status_mut() = status;
        res
    }
}
