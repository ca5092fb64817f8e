//! # storyline-server
//!
//! The thin HTTP layer of storyline: handlers parse a request, call the store and the dossier
//! code the command line uses, and render JSON or a server-rendered page. [`app`] builds the
//! router; [`serve`] runs it on a listener until a shutdown signal.
//!
//! ```
//! use std::sync::Arc;
//! use storyline_server::{app, AppState};
//! use storyline_store::sqlite::SqliteStore;
//!
//! let store = Arc::new(SqliteStore::open_in_memory().unwrap());
//! let router = app(AppState::new(store));
//! # drop(router);
//! ```
//!
//! Routes (see [`ROUTES`] and the OpenAPI document at `/api/openapi.json`): the pages `/`,
//! `/stories/{id}`, `/articles/{id}`, `/search`, `/feeds`; the assets under `/assets/`; the JSON
//! API under `/api/`. Writes (`POST /api/ingest`) need `Authorization: Bearer <token>`; a server started
//! without a token refuses them.

#![warn(missing_docs)]
#![recursion_limit = "512"]

mod api;
pub mod cache;
mod corrections;
pub mod error;
mod ingest;
pub mod openapi;
mod pages;
pub mod params;
pub mod ui;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::handler::Handler;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use storyline_store::{IngestSettings, Store};

pub use error::{ApiError, ErrorCode};

/// Limits on what one request may ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// The largest request body accepted by `POST /api/ingest`, in bytes.
    pub max_body_bytes: usize,
    /// The largest single record of an ingest body, in bytes.
    pub max_record_bytes: usize,
    /// Articles per store transaction when ingesting.
    pub batch_size: usize,
    /// The most items one API page returns (`limit` is capped here).
    pub max_page: usize,
    /// The most connections served at once; further clients wait in the listen queue until
    /// one closes.
    pub max_connections: usize,
    /// How long a client gets to send a request's headers (from connecting, or from the end of
    /// its previous request on a kept-alive connection) before the connection is closed.
    pub header_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 16 * 1024 * 1024,
            max_record_bytes: storyline_core::ingest::DEFAULT_MAX_RECORD_BYTES,
            batch_size: 1000,
            max_page: 200,
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// Where the statuses of followed feeds come from: the status file the watcher writes
/// (`storyline watch`, or this server's own watcher with `serve --watch`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feeds {
    /// The watcher's status file; `None`: no feeds are followed.
    pub status_file: Option<PathBuf>,
    /// The watch list this server follows itself (`serve --watch`), by the name to show.
    pub watching: Option<String>,
}

/// What the handlers share: the store, the write token, the ingest settings and the limits.
pub struct AppState {
    /// The store read and written.
    pub store: Arc<dyn Store>,
    /// The bearer token writes must carry; `None` refuses every write.
    pub token: Option<String>,
    /// Settings for ingesting (near-duplicates, clustering) and for comparing articles.
    pub ingest: IngestSettings,
    /// Request limits.
    pub limits: Limits,
    /// Recently built dossiers.
    pub dossiers: Arc<cache::DossierCache>,
    /// The followed feeds' statuses (`/feeds`, `/api/feeds`).
    pub feeds: Feeds,
}

impl AppState {
    /// A read-only state over a store, with default settings and limits.
    pub fn new(store: Arc<dyn Store>) -> Self {
        AppState {
            store,
            token: None,
            ingest: IngestSettings::default(),
            limits: Limits::default(),
            dossiers: Arc::default(),
            feeds: Feeds::default(),
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is never printed.
        f.debug_struct("AppState")
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("limits", &self.limits)
            .field("feeds", &self.feeds)
            .finish_non_exhaustive()
    }
}

type Shared = Arc<AppState>;

/// Every route the router serves: `(method, path)`, pages first, then the API. The OpenAPI
/// document lists exactly these.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/stories/{id}"),
    ("GET", "/stories/{id}/feed.atom"),
    ("GET", "/articles/{id}"),
    ("GET", "/search"),
    ("GET", "/search/feed.atom"),
    ("GET", "/feeds"),
    ("GET", "/assets/style.css"),
    ("GET", "/assets/app.js"),
    ("GET", "/api/health"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/stories"),
    ("GET", "/api/stories/{id}"),
    ("GET", "/api/articles"),
    ("GET", "/api/articles/{id}"),
    ("GET", "/api/search"),
    ("GET", "/api/compare"),
    ("GET", "/api/feeds"),
    ("POST", "/api/ingest"),
    ("GET", "/api/corrections"),
    ("POST", "/api/corrections"),
    ("GET", "/api/corrections/pairs"),
];

fn route<H, T>(method: &str, handler: H) -> MethodRouter<Shared>
where
    H: Handler<T, Shared>,
    T: 'static,
{
    let filter = match method {
        "POST" => MethodFilter::POST,
        _ => MethodFilter::GET,
    };
    on(filter, handler)
}

/// The handler of one entry of [`ROUTES`].
fn handler_for(method: &str, path: &str) -> MethodRouter<Shared> {
    match path {
        "/" => route(method, pages::stories),
        "/stories/{id}" => route(method, pages::story),
        "/articles/{id}" => route(method, pages::article),
        "/stories/{id}/feed.atom" => route(method, pages::story_feed),
        "/search" => route(method, pages::search),
        "/search/feed.atom" => route(method, pages::search_feed),
        "/feeds" => route(method, pages::feeds),
        "/assets/style.css" => route(method, || async { asset("text/css; charset=utf-8", ui::STYLE_CSS) }),
        "/assets/app.js" => route(method, || async { asset("text/javascript; charset=utf-8", ui::APP_JS) }),
        "/api/health" => route(method, api::health),
        "/api/openapi.json" => route(method, || async { axum::Json(openapi::document()) }),
        "/api/stories" => route(method, api::stories),
        "/api/stories/{id}" => route(method, api::story),
        "/api/articles" => route(method, api::articles),
        "/api/articles/{id}" => route(method, api::article),
        "/api/search" => route(method, api::search),
        "/api/compare" => route(method, api::compare),
        "/api/feeds" => route(method, api::feeds),
        "/api/ingest" => route(method, ingest::ingest),
        "/api/corrections" if method == "POST" => route(method, corrections::create),
        "/api/corrections" => route(method, corrections::list),
        "/api/corrections/pairs" => route(method, corrections::pairs),
        other => unreachable!("no handler for route {other}"),
    }
}

/// The router: every route of [`ROUTES`], JSON errors for unknown API routes and methods (HTML
/// error pages elsewhere), and a log line per request.
pub fn app(state: AppState) -> Router {
    let mut router: Router<Shared> = Router::new();
    for (method, path) in ROUTES {
        router = router.route(path, handler_for(method, path));
    }
    router
        .fallback(|req: Request| async move {
            let message = format!("no route for {} {}", req.method(), req.uri().path());
            error_for(req.uri().path(), ApiError::not_found(message))
        })
        .method_not_allowed_fallback(|req: Request| async move {
            let message = format!("{} is not allowed on {}", req.method(), req.uri().path());
            error_for(req.uri().path(), ApiError::new(ErrorCode::MethodNotAllowed, message))
        })
        .layer(middleware::from_fn(log_requests))
        .with_state(Arc::new(state))
}

/// JSON under `/api/`, an HTML page elsewhere.
fn error_for(path: &str, e: ApiError) -> Response {
    if path == "/api" || path.starts_with("/api/") {
        e.into_response()
    } else {
        e.page().into_response()
    }
}

/// The security policy of every page: nothing from elsewhere, no inline script or style.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// An HTML page response with the security headers.
pub(crate) fn html(body: String) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    res
}

/// Logs one line per request: method, path, status and duration, as key=value fields.
async fn log_requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method: Method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    res.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let micros = started.elapsed().as_micros() as u64;
    tracing::info!(
        method = %method,
        path = %path,
        status = res.status().as_u16(),
        duration_ms = micros as f64 / 1000.0,
        "request"
    );
    res
}

/// Runs a blocking store call off the async workers.
pub(crate) async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<ApiError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(ApiError::internal(format!("request task failed: {e}")).into()),
    }
}

/// How long open connections get to finish after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves the app on `listener` until `shutdown` completes, then lets open requests finish
/// (for at most [`SHUTDOWN_GRACE`]).
///
/// At most [`Limits::max_connections`] connections are served at once: the next is accepted
/// only when one closes, so a flood of idle or half-sent requests waits in the kernel's listen
/// queue instead of taking the server's file descriptors. A client that does not finish sending
/// a request's headers within [`Limits::header_timeout`] is disconnected (and so is a kept-alive
/// connection idle that long).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let (max_connections, header_timeout) =
        (state.limits.max_connections.max(1), state.limits.header_timeout);
    let router = app(state);
    let permits = Arc::new(tokio::sync::Semaphore::new(max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
    let shutdown = shutdown;
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment, keep serving.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("connections still open {}s after the shutdown signal; stopping anyway", SHUTDOWN_GRACE.as_secs());
        }
    }
    Ok(())
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("interrupt received; shutting down"),
        () = term => tracing::info!("terminate signal received; shutting down"),
    }
}
