//! Fetching over HTTP: one blocking client with a timeout, a body size limit, a bound on
//! redirects and a User-Agent naming storyline; conditional requests from the validators of
//! the last answer (`ETag`, `Last-Modified`); and what an answer is (a feed, a page, something
//! storyline does not read), judged from its content and its `Content-Type`.

use std::io::Read;
use std::time::Duration;

use storyline_core::ingest::{detect_fetched, resolve_link, Format};
use ureq::ResponseExt;

use storyline_core::watchlist::format_duration;

/// The User-Agent every request carries.
pub const USER_AGENT: &str = concat!("storyline/", env!("CARGO_PKG_VERSION"), " (news-story tracker)");

/// What one fetch may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The whole exchange, from connecting to the last byte of the body (redirects included).
    pub timeout: Duration,
    /// The largest body read (after undoing gzip); a larger one is an error.
    pub max_body_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { timeout: Duration::from_secs(20), max_body_bytes: 10 * 1024 * 1024, max_redirects: 5 }
    }
}

/// The validators of an answer, sent back to ask whether it changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag`, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// `Last-Modified`, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// An answer with a body.
#[derive(Debug)]
pub struct Fetched {
    /// The address the body came from (after redirects).
    pub url: String,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// Its validators, for the next request.
    pub validators: Validators,
    /// The body, gzip transfer coding undone.
    pub body: Vec<u8>,
}

/// What a request gave.
#[derive(Debug)]
pub enum Answer {
    /// HTTP 304: nothing changed since the validators sent.
    NotModified,
    /// A body.
    Body(Fetched),
}

/// Why a fetch gave nothing to read. Each message is one line.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status.
    #[error("HTTP {status}{}", reason(*status))]
    Status {
        /// The status.
        status: u16,
        /// How long the server asked to wait (`Retry-After`, in seconds).
        retry_after: Option<Duration>,
    },
    /// No complete answer in time.
    #[error("timed out after {}", format_duration(*.0))]
    Timeout(Duration),
    /// The body is larger than the limit; reading stopped there.
    #[error("body larger than {}", size(*.0))]
    TooLarge(u64),
    /// Too many redirects.
    #[error("more than {0} redirects")]
    Redirects(u32),
    /// No connection.
    #[error("cannot connect: {0}")]
    Connect(String),
    /// A feed was asked for and a page came back.
    #[error("{url} is an HTML page, not a feed{}", hint.as_ref().map(|h| format!(" (the page names a feed: {h})")).unwrap_or_default())]
    NotAFeed {
        /// The address of the page.
        url: String,
        /// A feed the page links to, if it names one.
        hint: Option<String>,
    },
    /// Something storyline does not read, or not as this kind of source.
    #[error("{0}")]
    Unreadable(String),
    /// Anything else the connection did.
    #[error("{0}")]
    Other(String),
}

impl FetchError {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How long the server asked to be left alone.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// ` Not Found` for 404: the reason phrase, when the status has one.
fn reason(status: u16) -> String {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(|r| format!(" {r}"))
        .unwrap_or_default()
}

/// A byte count for people: `10 MB`, `1.5 MB`, `512 KB`, `300 bytes` (1 MB = 1024 × 1024).
pub fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        if bytes.is_multiple_of(MB) {
            return format!("{} MB", bytes / MB);
        }
        return format!("{:.1} MB", bytes as f64 / MB as f64);
    }
    if bytes >= 1024 && bytes.is_multiple_of(1024) {
        return format!("{} KB", bytes / 1024);
    }
    format!("{bytes} bytes")
}

/// The client.
pub struct Client {
    agent: ureq::Agent,
    limits: Limits,
}

impl Client {
    /// A client with these limits.
    pub fn new(limits: Limits) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(limits.timeout))
            .max_redirects(limits.max_redirects)
            .user_agent(USER_AGENT)
            .accept(
                "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, \
                 text/html;q=0.8, */*;q=0.5",
            )
            // Error statuses are answers to report, not transport failures.
            .http_status_as_error(false)
            .build();
        Client { agent: config.into(), limits }
    }

    /// Fetches `url`, asking with `validators` whether it changed since they were given.
    pub fn get(&self, url: &str, validators: &Validators) -> Result<Answer, FetchError> {
        let mut request = self.agent.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header("If-Modified-Since", date);
        }
        let mut response = request.call().map_err(|e| self.error(e))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| v.trim().to_string())
        };
        if status == 304 {
            return Ok(Answer::NotModified);
        }
        if !(200..300).contains(&status) {
            let retry_after = header("retry-after")
                .and_then(|v| v.parse::<u64>().ok())
                .map(|s| Duration::from_secs(s.min(86_400)));
            return Err(FetchError::Status { status, retry_after });
        }
        let content_type = header("content-type");
        let validators = Validators {
            etag: header("etag").filter(|v| !v.is_empty()),
            last_modified: header("last-modified").filter(|v| !v.is_empty()),
        };
        let url = response.get_uri().to_string();
        let body = response
            .body_mut()
            .with_config()
            .limit(self.limits.max_body_bytes)
            .read_to_vec()
            .map_err(|e| self.error(e))?;
        Ok(Answer::Body(Fetched { url, status, content_type, validators, body }))
    }

    fn error(&self, e: ureq::Error) -> FetchError {
        use std::io::ErrorKind;
        match e {
            ureq::Error::Timeout(_) => FetchError::Timeout(self.limits.timeout),
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(self.limits.max_body_bytes),
            ureq::Error::TooManyRedirects => FetchError::Redirects(self.limits.max_redirects),
            ureq::Error::HostNotFound => FetchError::Connect("host not found".into()),
            ureq::Error::ConnectionFailed => FetchError::Connect("connection failed".into()),
            ureq::Error::Io(io) => match io.kind() {
                ErrorKind::ConnectionRefused => FetchError::Connect("connection refused".into()),
                ErrorKind::TimedOut | ErrorKind::WouldBlock => FetchError::Timeout(self.limits.timeout),
                ErrorKind::UnexpectedEof => {
                    FetchError::Other("the server closed the connection early".into())
                }
                _ => FetchError::Other(format!("connection failed: {io}")),
            },
            ureq::Error::BadUri(u) => FetchError::Other(format!("not a usable address: {u}")),
            ureq::Error::Decompress(_, io) => {
                FetchError::Other(format!("the compressed body is corrupt: {io}"))
            }
            ureq::Error::Protocol(p) => FetchError::Other(format!("not a readable HTTP answer: {p}")),
            ureq::Error::Rustls(t) => FetchError::Other(format!("TLS: {t}")),
            ureq::Error::Tls(t) => FetchError::Other(format!("TLS: {t}")),
            other => FetchError::Other(other.to_string()),
        }
    }
}

/// What a source must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A feed: RSS/Atom, or JSON Lines; an HTML page is an error.
    Feed,
    /// Anything storyline reads.
    Any,
}

/// The first bytes of a body to judge it by, gzip undone.
fn head(body: &[u8]) -> Vec<u8> {
    const HEAD: usize = 64 * 1024;
    if body.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let _ = flate2::read::MultiGzDecoder::new(body).take(HEAD as u64).read_to_end(&mut out);
        return out;
    }
    body[..body.len().min(HEAD)].to_vec()
}

/// The format to read a fetched body as: `forced`, else what its content and `Content-Type`
/// say. With [`Expect::Feed`], only a feed or JSON Lines will do.
pub fn judge(f: &Fetched, expect: Expect, forced: Option<Format>) -> Result<Format, FetchError> {
    let head = head(&f.body);
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(FetchError::Unreadable("the answer is empty".into()));
    }
    let content_type = f.content_type.as_deref();
    let format = forced.or_else(|| detect_fetched(content_type, &f.url, &head)).ok_or_else(|| {
        FetchError::Unreadable(format!(
            "not a format storyline reads (content type {})",
            content_type.unwrap_or("not given")
        ))
    })?;
    match (expect, format) {
        (Expect::Any, _) | (Expect::Feed, Format::Feed | Format::JsonLines) => Ok(format),
        (Expect::Feed, Format::Html) => {
            Err(FetchError::NotAFeed { url: f.url.clone(), hint: feed_link(&head, &f.url) })
        }
        (Expect::Feed, other) => Err(FetchError::Unreadable(format!(
            "a {} document, not a feed (content type {})",
            other.name(),
            content_type.unwrap_or("not given")
        ))),
    }
}

/// The feed an HTML page names (`<link rel="alternate" type="application/rss+xml" href>`),
/// made absolute.
fn feed_link(head: &[u8], base: &str) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<link") {
        let start = from + i;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        from = end;
        if !tag.contains("alternate") || !(tag.contains("rss+xml") || tag.contains("atom+xml")) {
            continue;
        }
        let Some(at) = tag.find("href=").map(|i| i + 5) else { continue };
        let original = &text[start + at..end];
        let href = match original.chars().next() {
            Some(q @ ('"' | '\'')) => original[1..].split(q).next().unwrap_or(""),
            _ => original.split(char::is_whitespace).next().unwrap_or(""),
        };
        let href = href.trim().replace("&amp;", "&");
        if !href.is_empty() {
            return Some(resolve_link(base, &href));
        }
    }
    None
}

/// Whether a command-line argument is an http(s) address.
pub fn is_url(arg: &str) -> bool {
    let lower = arg.get(..8).unwrap_or(arg).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched(content_type: Option<&str>, body: &str) -> Fetched {
        Fetched {
            url: "https://nieuws.example/rss".into(),
            status: 200,
            content_type: content_type.map(str::to_string),
            validators: Validators::default(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_feed_source_takes_feeds_and_json_lines_and_names_a_page() {
        let feed = fetched(Some("text/html"), "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>");
        assert_eq!(judge(&feed, Expect::Feed, None).unwrap(), Format::Feed);
        let lines = fetched(Some("application/x-ndjson"), "{\"id\":\"1\",\"text\":\"x\"}\n");
        assert_eq!(judge(&lines, Expect::Feed, None).unwrap(), Format::JsonLines);
        let page = fetched(
            Some("text/html; charset=utf-8"),
            "<!DOCTYPE html><html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feeds/alles.xml\"></head><body>x</body></html>",
        );
        let e = judge(&page, Expect::Feed, None).unwrap_err().to_string();
        assert_eq!(
            e,
            "https://nieuws.example/rss is an HTML page, not a feed (the page names a feed: https://nieuws.example/feeds/alles.xml)"
        );
        assert_eq!(judge(&page, Expect::Any, None).unwrap(), Format::Html);
        let text = fetched(Some("text/plain"), "Een bericht zonder opmaak.");
        assert!(judge(&text, Expect::Feed, None)
            .unwrap_err()
            .to_string()
            .contains("a text document, not a feed"));
        let empty = fetched(Some("application/rss+xml"), "  \n");
        assert_eq!(judge(&empty, Expect::Feed, None).unwrap_err().to_string(), "the answer is empty");
        let blob = Fetched { body: vec![0, 1, 2, 3], ..fetched(Some("image/png"), "") };
        assert!(judge(&blob, Expect::Any, None).unwrap_err().to_string().contains("content type image/png"));
    }

    #[test]
    fn errors_are_one_clear_line() {
        assert_eq!(
            FetchError::Status { status: 500, retry_after: None }.to_string(),
            "HTTP 500 Internal Server Error"
        );
        assert_eq!(FetchError::Timeout(Duration::from_secs(20)).to_string(), "timed out after 20s");
        assert_eq!(FetchError::TooLarge(10 * 1024 * 1024).to_string(), "body larger than 10 MB");
        assert_eq!(size(1536 * 1024), "1.5 MB");
        assert_eq!(size(64 * 1024), "64 KB");
        assert!(is_url("HTTPS://a.example/") && is_url("http://127.0.0.1:8/x") && !is_url("map/http://"));
    }
}
