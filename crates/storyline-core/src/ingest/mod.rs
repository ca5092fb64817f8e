//! Reading news articles from the formats newsrooms and researchers have.
//!
//! One file per format turns bytes (or a stream, for the formats that can be huge) into
//! [`RawArticle`]s: [`text`], [`jsonl`], [`feed`] (RSS 2.0 and Atom), [`html`] and [`warc`].
//! [`read_stream`] detects the format (extension first, then content), undoes gzip, and hands
//! every record to a callback as it is read, so a bad record is reported and the rest still goes
//! in. [`prepare`] then turns a raw record into an [`Article`](crate::model::Article): language,
//! title, stable id and content hash.

pub mod dedupe;
pub mod encoding;
pub mod feed;
pub mod html;
pub mod jsonl;
pub mod outlet;
pub mod prepare;
pub mod text;
pub mod warc;

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::str::FromStr;

use crate::model::{Locator, RawArticle};

pub use prepare::{prepare, PrepareError, PrepareOptions};

/// The largest single record (a JSON line, a WARC record, a whole text or HTML file) read into
/// memory. Larger records are skipped with an error naming their size.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 32 * 1024 * 1024;

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text, one article per file.
    Text,
    /// JSON Lines, one article per line.
    JsonLines,
    /// An RSS 2.0 or Atom feed, one article per item.
    Feed,
    /// An HTML page, one article.
    Html,
    /// A WARC file, one article per HTML response record.
    Warc,
}

impl Format {
    /// Every format, in the order `--format` lists them.
    pub const ALL: [Format; 5] = [Format::Text, Format::JsonLines, Format::Feed, Format::Html, Format::Warc];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::JsonLines => "jsonl",
            Format::Feed => "feed",
            Format::Html => "html",
            Format::Warc => "warc",
        }
    }

    /// The format a file name's extension implies (`.gz` is looked through), if any.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        let stem = lower.strip_suffix(".gz").unwrap_or(&lower);
        let ext = stem.rsplit_once('.').map(|(_, e)| e)?;
        if ext.contains('/') {
            return None;
        }
        Some(match ext {
            "txt" | "text" => Format::Text,
            "jsonl" | "ndjson" | "json" => Format::JsonLines,
            "rss" | "atom" | "xml" | "rdf" => Format::Feed,
            "html" | "htm" | "xhtml" => Format::Html,
            "warc" => Format::Warc,
            _ => return None,
        })
    }

    /// The format the first bytes of a (decompressed) stream suggest.
    pub fn sniff(head: &[u8]) -> Option<Format> {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
        let head = &head[start..];
        if head.starts_with(b"WARC/") {
            return Some(Format::Warc);
        }
        if head.starts_with(b"{") {
            return Some(Format::JsonLines);
        }
        let lower: Vec<u8> = head.iter().take(2048).map(u8::to_ascii_lowercase).collect();
        let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
        if lower.starts_with(b"<") {
            if has(b"<rss") || has(b"<feed") || has(b"<rdf:rdf") {
                return Some(Format::Feed);
            }
            if has(b"<html") || has(b"<!doctype html") || has(b"<body") || has(b"<head") {
                return Some(Format::Html);
            }
            if lower.starts_with(b"<?xml") {
                return Some(Format::Feed);
            }
        }
        None
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "jsonl" | "ndjson" | "json" => Ok(Format::JsonLines),
            "feed" | "rss" | "atom" => Ok(Format::Feed),
            "html" | "htm" => Ok(Format::Html),
            "warc" => Ok(Format::Warc),
            other => Err(format!("unknown format `{other}` (expected text, jsonl, feed, html or warc)")),
        }
    }
}

/// A problem with the file as a whole: nothing more can be read from it.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The operating system could not read it.
    #[error("cannot read: {0}")]
    Io(#[from] io::Error),
    /// The gzip stream ends early or is corrupt.
    #[error("compressed data is truncated or corrupt after {after} decompressed bytes: {source}")]
    Gzip {
        /// How many decompressed bytes were read before the failure.
        after: u64,
        /// The decoder's error.
        source: io::Error,
    },
    /// There is nothing in it.
    #[error("file is empty")]
    Empty,
    /// It holds no record: nothing but blank lines.
    #[error("no records in it (nothing but blank lines)")]
    NoRecords,
    /// It is not text.
    #[error("binary data, not text (byte {offset} is {byte:#04x})")]
    Binary {
        /// Offset of the first byte that gave it away.
        offset: usize,
        /// That byte.
        byte: u8,
    },
    /// It is larger than one record may be.
    #[error("document is over the {limit}-byte limit for one record")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Its content does not fit the format.
    #[error("{0}")]
    Malformed(String),
}

/// A problem with one record; the rest of the file still goes in.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{locator}: {reason}")]
pub struct RecordError {
    /// Where the record is.
    pub locator: Locator,
    /// What is wrong with it.
    pub reason: String,
}

impl RecordError {
    /// A record error at `locator`.
    pub fn new(locator: Locator, reason: impl Into<String>) -> Self {
        RecordError { locator, reason: reason.into() }
    }
}

/// The callback every reader hands its records to.
pub type Emit<'a> = dyn FnMut(Result<RawArticle, RecordError>) + 'a;

/// A reader that counts the bytes it passes on, so gzip failures can say where they happened.
struct Counting<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// A reader that counts the bytes read through it into a shared tally (the compressed bytes
/// under a decoder).
struct Tally<R> {
    inner: R,
    count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// How many times its compressed size a gzip stream may grow, beyond [`GZIP_SLACK`]: news
/// text and HTML compress 3 to 20 times; a stream that grows far more is a decompression bomb
/// (a file of nothing but one repeated byte) and is not read further.
pub const GZIP_MAX_RATIO: u64 = 200;

/// Decompressed bytes always allowed, whatever the ratio.
pub const GZIP_SLACK: u64 = 64 * 1024 * 1024;

/// Wraps decoder errors so the caller can tell a broken compressed stream from a broken disk,
/// and stops a stream that decompresses to more than [`GZIP_MAX_RATIO`] times its size.
struct GzipGuard<R> {
    inner: Counting<R>,
    compressed: std::rc::Rc<std::cell::Cell<u64>>,
    /// [`GZIP_MAX_RATIO`] and [`GZIP_SLACK`] (smaller in tests).
    ratio: u64,
    slack: u64,
}

impl<R: Read> Read for GzipGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidData, GzipFailure { after: self.inner.count, source: e })
        })?;
        let (out, from) = (self.inner.count, self.compressed.get());
        if out > self.slack && out / self.ratio > from {
            let source = io::Error::other(format!(
                "{out} bytes from {from} compressed ones, more than {} times as many: \
                 not read further (a decompression bomb?)",
                self.ratio
            ));
            return Err(io::Error::new(io::ErrorKind::InvalidData, GzipFailure { after: out, source }));
        }
        Ok(n)
    }
}

#[derive(Debug)]
struct GzipFailure {
    after: u64,
    source: io::Error,
}

impl fmt::Display for GzipFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gzip failure after {} bytes: {}", self.after, self.source)
    }
}

impl std::error::Error for GzipFailure {}

/// Turns an I/O error from a (possibly decompressing) reader into an [`IngestError`].
pub fn classify_io(e: io::Error) -> IngestError {
    if e.get_ref().is_some_and(|inner| inner.is::<GzipFailure>()) {
        let inner = e.into_inner().expect("checked above");
        let failure = inner.downcast::<GzipFailure>().expect("checked above");
        return IngestError::Gzip { after: failure.after, source: failure.source };
    }
    IngestError::Io(e)
}

/// Reads at most `limit` bytes of a whole document; more is an error.
pub fn read_document<R: Read>(mut r: R, limit: usize) -> Result<Vec<u8>, IngestError> {
    let mut buf = Vec::new();
    (&mut r).take(limit as u64 + 1).read_to_end(&mut buf).map_err(classify_io)?;
    if buf.len() > limit {
        return Err(IngestError::TooLarge { limit });
    }
    Ok(buf)
}

/// Reads one source: undoes gzip (by its magic bytes, whatever the name), picks the format
/// (`forced`, else the name's extension, else the content), and hands every record to `emit`.
/// Returns the format used. An `Err` means the rest of the file could not be read; records
/// emitted before it stand.
pub fn read_stream(
    name: &str,
    reader: impl Read,
    forced: Option<Format>,
    max_record: usize,
    emit: &mut Emit<'_>,
) -> Result<Format, IngestError> {
    let compressed = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let mut raw = BufReader::with_capacity(256 * 1024, Tally { inner: reader, count: compressed.clone() });
    let head = raw.fill_buf().map_err(IngestError::Io)?;
    if head.is_empty() {
        return Err(IngestError::Empty);
    }
    let gz = head.starts_with(&[0x1f, 0x8b]);
    let mut input: Box<dyn BufRead + '_> = if gz {
        let dec = flate2::read::MultiGzDecoder::new(raw);
        let guard = GzipGuard {
            inner: Counting { inner: dec, count: 0 },
            compressed,
            ratio: GZIP_MAX_RATIO,
            slack: GZIP_SLACK,
        };
        Box::new(BufReader::with_capacity(256 * 1024, guard))
    } else {
        Box::new(raw)
    };
    let head = input.fill_buf().map_err(classify_io)?;
    if head.is_empty() {
        return Err(IngestError::Empty);
    }
    let format = match forced.or_else(|| Format::from_path(name)) {
        Some(f) => f,
        None => match Format::sniff(head) {
            Some(f) => f,
            None => {
                encoding::check_text(head)?;
                Format::Text
            }
        },
    };
    match format {
        Format::JsonLines => {
            // A file of blank lines holds nothing: said, not passed over in silence.
            let mut records = 0u64;
            jsonl::read_jsonl(input, max_record, &mut |r| {
                records += 1;
                emit(r)
            })?;
            if records == 0 {
                return Err(IngestError::NoRecords);
            }
        }
        Format::Warc => warc::read_warc(input, max_record, emit)?,
        Format::Text => {
            let bytes = read_document(input, max_record)?;
            emit(Ok(text::parse_text_bytes(&bytes)?));
        }
        Format::Html => {
            let bytes = read_document(input, max_record)?;
            emit(Ok(html::parse_html(&bytes)?));
        }
        Format::Feed => {
            let bytes = read_document(input, max_record)?;
            for record in feed::parse_feed(&bytes)? {
                emit(record);
            }
        }
    }
    Ok(format)
}

/// The format of a document fetched from `address` (an http(s) URL) whose answer carried
/// `content_type`, judged by its first (decompressed) bytes `head`: what the content shows
/// first (servers label feeds `text/html` and pages `text/plain`), then the media type, then the
/// address's extension. `None` when nothing tells.
pub fn detect_fetched(content_type: Option<&str>, address: &str, head: &[u8]) -> Option<Format> {
    if let Some(f) = Format::sniff(head) {
        return Some(f);
    }
    let by_type = match content_type.map(warc::media_type).as_deref() {
        Some(
            "application/rss+xml"
            | "application/atom+xml"
            | "application/rdf+xml"
            | "application/xml"
            | "text/xml",
        ) => Some(Format::Feed),
        Some("text/html" | "application/xhtml+xml") => Some(Format::Html),
        Some(
            "application/x-ndjson" | "application/ndjson" | "application/jsonl" | "application/json-lines",
        ) => Some(Format::JsonLines),
        Some("application/warc") => Some(Format::Warc),
        Some("text/plain") => Some(Format::Text),
        _ => None,
    };
    by_type.or_else(|| {
        // The path of the address: no scheme, host, query or fragment.
        let rest = address.split_once("://").map_or(address, |(_, r)| r);
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
        Format::from_path(path)
    })
}

/// The `charset` parameter of a `Content-Type` value (`text/html; charset=ISO-8859-1`).
pub fn content_type_charset(content_type: &str) -> Option<String> {
    warc::charset_param(content_type)
}

/// A (possibly relative) link on the page at `base`, made absolute (`/rss.xml` on
/// `https://a.example/x/` is `https://a.example/rss.xml`).
pub fn resolve_link(base: &str, link: &str) -> String {
    warc::resolve_url(base, link)
}

/// Reads a document fetched from `address` in a known `format` (see [`detect_fetched`]), as
/// [`read_stream`] reads a file, with what the fetch adds: a page is decoded with the charset
/// its `content_type` declares, its outlet may come from the address, and its address is the
/// one fetched when the page names none (a relative canonical address is resolved against it).
pub fn read_fetched(
    address: &str,
    content_type: Option<&str>,
    bytes: &[u8],
    format: Format,
    max_record: usize,
    emit: &mut Emit<'_>,
) -> Result<Format, IngestError> {
    let gz = bytes.starts_with(&[0x1f, 0x8b]);
    let charset = content_type.and_then(warc::charset_param);
    if format == Format::Feed && !gz && charset.is_some() {
        // The header's charset decodes the feed (a feed in ISO-8859-15 without an encoding in
        // its XML declaration would otherwise be read as Windows-1252).
        if bytes.len() > max_record {
            return Err(IngestError::TooLarge { limit: max_record });
        }
        for record in feed::parse_feed_declared(bytes, charset.as_deref())? {
            emit(record);
        }
        return Ok(Format::Feed);
    }
    if format != Format::Html || gz {
        return read_stream(address, bytes, Some(format), max_record, emit);
    }
    if bytes.len() > max_record {
        return Err(IngestError::TooLarge { limit: max_record });
    }
    let mut raw = html::parse_html_at(bytes, charset.as_deref(), Some(address))?;
    raw.url = match raw.url.take().filter(|u| !u.trim().is_empty()) {
        Some(url) => Some(warc::resolve_url(address, url.trim())),
        None => Some(address.to_string()),
    };
    emit(Ok(raw));
    Ok(Format::Html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fetched_feed_is_decoded_with_the_charset_its_header_declares() {
        // ISO-8859-15, whose euro sign (0xA4) is a currency sign in Windows-1252, and no
        // encoding in the XML declaration.
        let mut feed = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Dagblad Oost</title><item><title>Kaartje kost 5 ".to_vec();
        feed.push(0xA4);
        feed.extend_from_slice(b"</title><description>De prijs van een kaartje stijgt naar 5 ");
        feed.push(0xA4);
        feed.extend_from_slice(b" per rit.</description></item></channel></rss>");
        let read = |content_type: Option<&str>| {
            let mut titles = Vec::new();
            read_fetched("https://oost.example/rss", content_type, &feed, Format::Feed, 1 << 20, &mut |r| {
                titles.push(r.expect("an item").title.unwrap_or_default())
            })
            .expect("read");
            titles
        };
        assert_eq!(read(Some("application/rss+xml; charset=ISO-8859-15")), ["Kaartje kost 5 \u{20ac}"]);
        assert_eq!(
            read(None),
            ["Kaartje kost 5 \u{a4}"],
            "without the header, the fallback reads it otherwise"
        );
    }

    #[test]
    fn a_decompression_bomb_is_stopped_and_named() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&vec![b'\n'; 8 << 20]).unwrap();
        let bomb = gz.finish().unwrap();
        let compressed = std::rc::Rc::new(std::cell::Cell::new(0u64));
        let raw = BufReader::new(Tally { inner: &bomb[..], count: compressed.clone() });
        let mut guard = GzipGuard {
            inner: Counting { inner: flate2::read::MultiGzDecoder::new(raw), count: 0 },
            compressed,
            ratio: GZIP_MAX_RATIO,
            slack: 1 << 20,
        };
        let e = classify_io(io::copy(&mut guard, &mut io::sink()).unwrap_err());
        assert!(matches!(e, IngestError::Gzip { .. }), "{e}");
        assert!(e.to_string().contains("decompression bomb"), "{e}");
        // Ordinary text at an ordinary ratio goes through.
        let text: String =
            (0..20_000).map(|i| format!("Regel {i} van een gewoon bericht over de brug.\n")).collect();
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        let packed = gz.finish().unwrap();
        let compressed = std::rc::Rc::new(std::cell::Cell::new(0u64));
        let raw = BufReader::new(Tally { inner: &packed[..], count: compressed.clone() });
        let mut guard = GzipGuard {
            inner: Counting { inner: flate2::read::MultiGzDecoder::new(raw), count: 0 },
            compressed,
            ratio: GZIP_MAX_RATIO,
            slack: 1 << 10,
        };
        assert_eq!(io::copy(&mut guard, &mut io::sink()).unwrap(), text.len() as u64);
    }

    #[test]
    fn a_file_of_blank_lines_says_it_holds_no_records() {
        let mut n = 0;
        let e = read_stream("blank.jsonl", &b"\n\n  \n\n"[..], None, 1 << 20, &mut |_| n += 1).unwrap_err();
        assert!(matches!(e, IngestError::NoRecords), "{e}");
        assert_eq!(n, 0);
    }

    #[test]
    fn formats_from_extensions() {
        assert_eq!(Format::from_path("a/b/nos.xml"), Some(Format::Feed));
        assert_eq!(Format::from_path("crawl.warc.gz"), Some(Format::Warc));
        assert_eq!(Format::from_path("x.JSONL"), Some(Format::JsonLines));
        assert_eq!(Format::from_path("seed.txt.gz"), Some(Format::Text));
        assert_eq!(Format::from_path("README"), None);
        assert_eq!(Format::from_path("dir.d/README"), None);
    }

    #[test]
    fn formats_from_content() {
        assert_eq!(Format::sniff(b"WARC/1.0\r\n"), Some(Format::Warc));
        assert_eq!(Format::sniff(b"\xEF\xBB\xBF{\"id\":1}"), Some(Format::JsonLines));
        assert_eq!(Format::sniff(b"<?xml version=\"1.0\"?><rss>"), Some(Format::Feed));
        assert_eq!(Format::sniff(b"  <!DOCTYPE html><html>"), Some(Format::Html));
        assert_eq!(Format::sniff(b"Gewoon een tekst."), None);
    }

    #[test]
    fn fetched_documents_are_told_by_content_then_type_then_address() {
        let feed = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>";
        let page = b"<!DOCTYPE html><html><head><title>x</title></head></html>";
        // The content wins over a wrong label.
        assert_eq!(
            detect_fetched(Some("text/html; charset=utf-8"), "https://a.example/", feed),
            Some(Format::Feed)
        );
        assert_eq!(
            detect_fetched(Some("application/rss+xml"), "https://a.example/rss", page),
            Some(Format::Html)
        );
        // Without telling content: the media type, then the extension of the path alone.
        assert_eq!(
            detect_fetched(Some("text/plain"), "https://a.example/x", b"Een bericht."),
            Some(Format::Text)
        );
        assert_eq!(
            detect_fetched(None, "https://a.example/d/nieuws.jsonl?x=1.html", b"  "),
            Some(Format::JsonLines)
        );
        assert_eq!(
            detect_fetched(Some("application/octet-stream"), "https://a.example.nl", b"\x00\x01"),
            None
        );
        assert_eq!(content_type_charset("text/html; charset=\"ISO-8859-1\""), Some("ISO-8859-1".into()));
    }

    #[test]
    fn a_fetched_page_keeps_the_address_it_came_from() {
        let page = "<!DOCTYPE html><html><head><title>Brug dicht</title></head><body><article>\
                    <h1>Brug dicht</h1><p>De brug over de Vecht bij Dalfsen is vanaf maandag drie weken \
                    dicht voor onderhoud, meldt de provincie. Fietsers kunnen een pont nemen.</p>\
                    </article></body></html>";
        let mut got = Vec::new();
        let f = read_fetched(
            "https://nieuws.example.nl/regio/brug?utm=x",
            Some("text/html; charset=utf-8"),
            page.as_bytes(),
            Format::Html,
            1 << 20,
            &mut |r| got.push(r),
        )
        .unwrap();
        assert_eq!(f, Format::Html);
        let raw = got.pop().unwrap().unwrap();
        assert_eq!(raw.url.as_deref(), Some("https://nieuws.example.nl/regio/brug?utm=x"));
        assert!(raw.text.contains("Vecht"), "{}", raw.text);
        let e = read_fetched("https://a.example/", None, page.as_bytes(), Format::Html, 10, &mut |_| {})
            .unwrap_err();
        assert!(matches!(e, IngestError::TooLarge { limit: 10 }), "{e}");
    }
}
