//! WARC 1.0 and 1.1 files, the format of web crawls such as Common Crawl's news crawl (CC-NEWS).
//!
//! A WARC file is a sequence of records: a version line (`WARC/1.1`), header fields, a blank
//! line, `Content-Length` bytes of content (the block) and a blank line. [`read_warc`] reads one
//! record at a time from an uncompressed stream (the caller undoes gzip; CC-NEWS compresses every
//! record as its own gzip member) and never holds more than one record in memory.
//!
//! Only `response` records that carry an HTTP message with a 2xx status and an HTML body become
//! articles. The other records of a crawl (`warcinfo`, `request`, `metadata`, `revisit`,
//! `resource`, redirects, errors, images) are skipped quietly. A record that cannot be read is
//! reported with its byte offset and the reader goes on with the next one.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use super::{classify_io, html, Emit, Format, IngestError, RecordError};
use crate::date::Published;
use crate::model::{Locator, RawArticle};

/// The longest single header line accepted, in bytes.
const MAX_HEADER_LINE: usize = 64 * 1024;
/// The most header bytes one record may have.
const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// Reads a WARC stream and hands every article it holds to `emit`.
///
/// `r` must be uncompressed WARC. Every HTML response becomes a [`RawArticle`] with
/// [`Locator::Offset`] set to the byte offset of its record in the stream, `url` set to the
/// page's canonical URL (else the record's `WARC-Target-URI`), `published` set to the page's own
/// date (else the crawl date `WARC-Date`), and the metadata keys `warc_target_uri`, `crawled`
/// and `warc_record_id`.
///
/// A record that is malformed, a response record larger than `max_record` bytes (its block is
/// read through, not kept), or an HTML response whose page yields no article is emitted as a
/// [`RecordError`], and reading goes on (after a malformed header, at the next line
/// that starts a record). A stream that ends inside a record ends with a [`RecordError`] and
/// `Ok(())`. An `Err` means the stream itself failed: it could not be read (a truncated or corrupt
/// gzip layer underneath) or it is not WARC at all.
pub fn read_warc<R: BufRead>(r: R, max_record: usize, emit: &mut Emit<'_>) -> Result<(), IngestError> {
    let mut input = Tracked::new(r);
    let mut line = Vec::new();
    let first = next_line(&mut input, &mut line).map_err(classify_io)?;
    let Some(first) = first else {
        return Err(IngestError::Empty);
    };
    if !line.starts_with(b"WARC/") {
        return Err(IngestError::Malformed(format!(
            "not a WARC file: it starts with `{}` where a version line such as `WARC/1.1` belongs",
            preview(trim_eol(&line))
        )));
    }
    let mut next = Some(first);
    while let Some(offset) = next {
        let step = read_record(&mut input, offset, &line, max_record, emit).map_err(classify_io)?;
        next = match step {
            Step::Next => next_line(&mut input, &mut line),
            Step::Resync => resync(&mut input, &mut line),
            Step::End => Ok(None),
        }
        .map_err(classify_io)?;
    }
    Ok(())
}

/// What to do after a record.
enum Step {
    /// Read the next record right after this one.
    Next,
    /// The record's framing cannot be trusted: look for the next version line.
    Resync,
    /// The stream is exhausted.
    End,
}

/// Reads the record whose first line (already read, at `offset`) is `first`.
fn read_record<R: BufRead>(
    input: &mut Tracked<R>,
    offset: u64,
    first: &[u8],
    max_record: usize,
    emit: &mut Emit<'_>,
) -> io::Result<Step> {
    let at = Locator::Offset(offset);
    let version = trim_eol(first);
    if !is_version_line(version) {
        let reason = if version.starts_with(b"WARC/") {
            format!("unsupported WARC version `{}` (expected 1.0 or 1.1)", preview(version))
        } else {
            format!("expected a WARC version line such as `WARC/1.1`, found `{}`", preview(version))
        };
        emit(Err(RecordError::new(at, reason)));
        return Ok(Step::Resync);
    }
    let headers = match read_headers(input)? {
        HeaderRead::Complete(h) => h,
        HeaderRead::Truncated => {
            emit(Err(RecordError::new(at, "record truncated: the stream ends inside its header")));
            return Ok(Step::End);
        }
        HeaderRead::Bad(reason) => {
            emit(Err(RecordError::new(at, format!("malformed WARC header: {reason}"))));
            return Ok(Step::Resync);
        }
    };
    let len = match field(&headers, "content-length") {
        None => {
            emit(Err(RecordError::new(at, "malformed WARC header: no Content-Length")));
            return Ok(Step::Resync);
        }
        Some(v) => match v.parse::<u64>() {
            Ok(n) => n,
            Err(_) => {
                let reason =
                    format!("malformed WARC header: invalid Content-Length `{}`", preview(v.as_bytes()));
                emit(Err(RecordError::new(at, reason)));
                return Ok(Step::Resync);
            }
        },
    };
    let kind = field(&headers, "warc-type").unwrap_or("");
    let http = field(&headers, "content-type").is_some_and(|ct| media_type(ct) == "application/http");
    let wanted = kind.eq_ignore_ascii_case("response") && http;
    if !wanted || len > max_record as u64 {
        let (got, kept) = input.skip_watching(len)?;
        // As below: a length that overstates the content, found by what follows the block.
        let followed_well = got == len && {
            let after = input.fill()?;
            after.is_empty() || after.starts_with(b"\r\n") || after.starts_with(b"\n")
        };
        if let Some((k, tail)) = kept.filter(|_| !followed_well) {
            let reason = format!(
                "its Content-Length of {len} bytes overstates its content: the next record starts \
                 {k} bytes into it; the records after it are read from there"
            );
            emit(Err(RecordError::new(at, reason)));
            input.unread(&tail);
            return Ok(Step::Next);
        }
        if got < len {
            emit(Err(truncated(at, len, got)));
            return Ok(Step::End);
        }
        if wanted {
            let reason = format!(
                "{}: response record of {len} bytes is over the {max_record}-byte limit for one record",
                target_uri(&headers).unwrap_or("record")
            );
            emit(Err(RecordError::new(at, reason)));
        }
        return Ok(Step::Next);
    }
    let mut block = Vec::with_capacity(len.min(1 << 20) as usize);
    let got = input.read_upto(len, &mut block)?;
    // A block should be followed by its blank line (or the end). When the stream ends early, or
    // something else follows, the Content-Length may overstate the content and have swallowed
    // the records after it: they are read again from where the next one starts in the block.
    let followed_well = got == len && {
        let after = input.fill()?;
        after.is_empty() || after.starts_with(b"\r\n") || after.starts_with(b"\n")
    };
    if !followed_well {
        if let Some(k) = embedded_record(&block) {
            let reason = format!(
                "its Content-Length of {len} bytes overstates its content: the next record starts \
                 {k} bytes into it; the records after it are read from there"
            );
            emit(Err(RecordError::new(at, reason)));
            input.unread(&block[k..]);
            return Ok(Step::Next);
        }
    }
    if got < len {
        emit(Err(truncated(at, len, got)));
        return Ok(Step::End);
    }
    if let Some(result) = article_from_response(&headers, &block, offset, max_record) {
        emit(result);
    }
    Ok(Step::Next)
}

/// Bytes of a skipped record kept from where a record seems to start inside it: that offset in
/// the record's content, and the bytes.
type Recovered = (u64, Vec<u8>);

/// The most bytes of a skipped record kept in case its length overstates its content.
const MAX_RECOVERED: usize = 64 * 1024 * 1024;

/// Where a record starts inside a block: a version line at the start of a line, after the blank
/// line that ends a record.
fn embedded_record(block: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = block[from..].windows(7).position(|w| w == b"WARC/1.") {
        let k = from + i;
        if block[..k].ends_with(b"\n\n") || block[..k].ends_with(b"\r\n\r\n") {
            let line_end = block[k..].iter().position(|&b| b == b'\n').map_or(block.len(), |e| k + e);
            if is_version_line(trim_eol(&block[k..line_end])) {
                return Some(k);
            }
        }
        from = k + 1;
    }
    None
}

fn truncated(at: Locator, expected: u64, got: u64) -> RecordError {
    RecordError::new(at, format!("record truncated: expected {expected} bytes of content, got {got}"))
}

/// `WARC/1.0`, `WARC/1.1` (any `WARC/1.<digits>`).
fn is_version_line(line: &[u8]) -> bool {
    let line = trim_ascii(line);
    match line.strip_prefix(b"WARC/1.") {
        Some(minor) => !minor.is_empty() && minor.iter().all(u8::is_ascii_digit),
        None => false,
    }
}

/// Skips the blank lines between records and reads the next line; `None` at the end.
fn next_line<R: BufRead>(input: &mut Tracked<R>, line: &mut Vec<u8>) -> io::Result<Option<u64>> {
    input.skip_blank()?;
    let at = input.pos;
    let n = input.read_line(line, MAX_HEADER_LINE)?;
    Ok((n > 0).then_some(at))
}

/// Scans forward to the next line that starts a WARC record; `None` if there is none.
fn resync<R: BufRead>(input: &mut Tracked<R>, line: &mut Vec<u8>) -> io::Result<Option<u64>> {
    loop {
        let at = input.pos;
        // Only the start of a line matters here, so long lines are not kept.
        if input.read_line(line, 64)? == 0 {
            return Ok(None);
        }
        if line.starts_with(b"WARC/1.") {
            return Ok(Some(at));
        }
    }
}

/// Header fields with lowercased names, in order.
type Fields = Vec<(String, String)>;

/// The result of reading a record header.
enum HeaderRead {
    Complete(Fields),
    Bad(String),
    Truncated,
}

fn read_headers<R: BufRead>(input: &mut Tracked<R>) -> io::Result<HeaderRead> {
    let mut fields = Fields::new();
    let mut line = Vec::new();
    let mut total = 0;
    loop {
        let n = input.read_line(&mut line, MAX_HEADER_LINE)?;
        if n == 0 {
            return Ok(HeaderRead::Truncated);
        }
        if n > line.len() {
            return Ok(HeaderRead::Bad(format!("a header line is longer than {MAX_HEADER_LINE} bytes")));
        }
        total += n;
        if total > MAX_HEADER_BYTES {
            return Ok(HeaderRead::Bad(format!("the header is longer than {MAX_HEADER_BYTES} bytes")));
        }
        if !line.ends_with(b"\n") {
            return Ok(HeaderRead::Truncated);
        }
        let text = trim_eol(&line);
        if text.is_empty() {
            return Ok(HeaderRead::Complete(fields));
        }
        if let Err(reason) = add_field(&mut fields, text) {
            return Ok(HeaderRead::Bad(reason));
        }
    }
}

/// Adds one header line (a `Name: value` field or a folded continuation) to `fields`.
fn add_field(fields: &mut Fields, line: &[u8]) -> Result<(), String> {
    if line[0] == b' ' || line[0] == b'\t' {
        let Some((_, value)) = fields.last_mut() else {
            return Err("a continuation line comes before any header field".into());
        };
        let more = String::from_utf8_lossy(trim_ascii(line));
        if !more.is_empty() {
            if !value.is_empty() {
                value.push(' ');
            }
            value.push_str(&more);
        }
        return Ok(());
    }
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(format!("header line without a colon: `{}`", preview(line)));
    };
    let name = String::from_utf8_lossy(trim_ascii(&line[..colon])).to_ascii_lowercase();
    if name.is_empty() {
        return Err(format!("header line without a field name: `{}`", preview(line)));
    }
    let value = String::from_utf8_lossy(trim_ascii(&line[colon + 1..])).into_owned();
    fields.push((name, value));
    Ok(())
}

/// The first value of a field, by its lowercase name.
fn field<'f>(fields: &'f Fields, name: &str) -> Option<&'f str> {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The record's `WARC-Target-URI`, without the angle brackets some WARC 1.0 writers put around it.
fn target_uri(fields: &Fields) -> Option<&str> {
    let v = field(fields, "warc-target-uri")?;
    let v = v.strip_prefix('<').and_then(|v| v.strip_suffix('>')).unwrap_or(v).trim();
    (!v.is_empty()).then_some(v)
}

/// The lowercased media type of a Content-Type value, without parameters.
pub(crate) fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The `charset` parameter of a Content-Type value.
pub(crate) fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// An HTTP response message: status, header fields and the payload that follows them.
struct HttpResponse<'a> {
    status: u16,
    fields: Fields,
    payload: &'a [u8],
}

fn parse_http(block: &[u8]) -> Result<HttpResponse<'_>, String> {
    let mut rest = block;
    let mut take_line = || -> Option<&[u8]> {
        if rest.is_empty() {
            return None;
        }
        let end = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(trim_eol(line))
    };
    let status_line = take_line().unwrap_or(b"");
    if !status_line.starts_with(b"HTTP/") {
        return Err(format!("expected an HTTP status line, found `{}`", preview(status_line)));
    }
    let code = status_line.split(|&b| b == b' ').filter(|t| !t.is_empty()).nth(1).unwrap_or(b"");
    let status = match std::str::from_utf8(code).ok().and_then(|c| c.parse::<u16>().ok()) {
        Some(s) if code.len() == 3 => s,
        _ => return Err(format!("invalid HTTP status line `{}`", preview(status_line))),
    };
    let mut fields = Fields::new();
    while let Some(line) = take_line() {
        if line.is_empty() {
            break;
        }
        // Servers send odd header lines; one that cannot be read is not worth losing the page.
        let _ = add_field(&mut fields, line);
    }
    Ok(HttpResponse { status, fields, payload: rest })
}

/// Turns a response record's block into an article; `None` for responses that are not pages.
fn article_from_response(
    headers: &Fields,
    block: &[u8],
    offset: u64,
    max_record: usize,
) -> Option<Result<RawArticle, RecordError>> {
    let at = Locator::Offset(offset);
    let target = target_uri(headers);
    let name = target.unwrap_or("response");
    let http = match parse_http(block) {
        Ok(h) => h,
        Err(reason) => return Some(Err(RecordError::new(at, format!("{name}: {reason}")))),
    };
    if !(200..300).contains(&http.status) {
        return None;
    }
    let content_type = field(&http.fields, "content-type");
    if let Some(ct) = content_type {
        let mime = media_type(ct);
        if mime != "text/html" && mime != "application/xhtml+xml" {
            return None;
        }
    }
    let body = match decode_payload(&http, max_record) {
        Ok(b) => b,
        Err(reason) => return Some(Err(RecordError::new(at, format!("{name}: {reason}")))),
    };
    if content_type.is_none() && Format::sniff(&body) != Some(Format::Html) {
        return None;
    }
    let charset = content_type.and_then(charset_param);
    let raw = match html::parse_html_at(&body, charset.as_deref(), target) {
        Ok(raw) => raw,
        Err(e) => return Some(Err(RecordError::new(at, format!("{name}: no article in the page: {e}")))),
    };
    let record = RecordFields {
        target,
        date: field(headers, "warc-date"),
        record_id: field(headers, "warc-record-id"),
        content_language: field(&http.fields, "content-language"),
    };
    Some(Ok(finish_article(raw, &record, offset)))
}

/// What the WARC and HTTP headers add to the page's own metadata.
struct RecordFields<'a> {
    target: Option<&'a str>,
    date: Option<&'a str>,
    record_id: Option<&'a str>,
    content_language: Option<&'a str>,
}

/// Fills in what the page itself did not say from the record, and records provenance.
fn finish_article(mut raw: RawArticle, record: &RecordFields<'_>, offset: u64) -> RawArticle {
    if let Some(target) = record.target {
        raw.metadata.insert("warc_target_uri".into(), target.to_string());
        raw.url = match raw.url.take().filter(|u| !u.trim().is_empty()) {
            Some(url) => Some(resolve_url(target, url.trim())),
            None => Some(target.to_string()),
        };
    }
    if let Some(date) = record.date.map(str::trim).filter(|d| !d.is_empty()) {
        raw.metadata.insert("crawled".into(), date.to_string());
        if raw.published.is_none() {
            raw.published = Published::parse(date).ok();
        }
    }
    if let Some(id) = record.record_id {
        let id = id.strip_prefix('<').and_then(|v| v.strip_suffix('>')).unwrap_or(id);
        raw.metadata.insert("warc_record_id".into(), id.to_string());
    }
    if raw.language.is_none() {
        // `Content-Language: nl-NL, en` -> `nl`.
        let primary = record
            .content_language
            .and_then(|l| l.split(',').next())
            .and_then(|l| l.trim().split(['-', '_']).next())
            .filter(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
        raw.language = primary.map(str::to_ascii_lowercase);
    }
    raw.locator = Some(Locator::Offset(offset));
    raw
}

/// Resolves a (possibly relative) link on the page at `base`.
pub(crate) fn resolve_url(base: &str, link: &str) -> String {
    if link.contains("://") {
        return link.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return link.to_string();
    };
    if let Some(net) = link.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if link.starts_with('/') {
        return format!("{scheme}://{host}{link}");
    }
    let path = &rest[host_end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let dir = if dir.is_empty() { "/" } else { dir };
    format!("{scheme}://{host}{dir}{link}")
}

/// Undoes the transfer and content encodings of an HTTP payload.
fn decode_payload<'a>(http: &HttpResponse<'a>, limit: usize) -> Result<Cow<'a, [u8]>, String> {
    let mut body = Cow::Borrowed(http.payload);
    let te = field(&http.fields, "transfer-encoding").unwrap_or("");
    if te.split(',').any(|t| t.trim().eq_ignore_ascii_case("chunked")) {
        match dechunk(&body) {
            Ok(plain) => body = Cow::Owned(plain),
            // Crawlers often store the payload already de-chunked but keep the header.
            Err(_) if !body.first().is_some_and(u8::is_ascii_hexdigit) => {}
            Err(reason) => return Err(format!("invalid chunked transfer encoding: {reason}")),
        }
    }
    let ce = field(&http.fields, "content-encoding").unwrap_or("");
    let codings: Vec<String> =
        ce.split(',').map(|c| c.trim().to_ascii_lowercase()).filter(|c| !c.is_empty()).collect();
    for coding in codings.iter().rev() {
        body = match coding.as_str() {
            "identity" => body,
            // A payload that is not gzip was stored decoded by the crawler.
            "gzip" | "x-gzip" if !body.starts_with(&[0x1f, 0x8b]) => body,
            "gzip" | "x-gzip" => Cow::Owned(inflate(MultiGzDecoder::new(&body[..]), limit, "gzip")?),
            "deflate" => match inflate(ZlibDecoder::new(&body[..]), limit, "deflate") {
                Ok(plain) => Cow::Owned(plain),
                // Some servers send raw deflate data without the zlib wrapper.
                Err(_) => Cow::Owned(inflate(DeflateDecoder::new(&body[..]), limit, "deflate")?),
            },
            other => return Err(format!("unsupported content-encoding `{}`", preview(other.as_bytes()))),
        };
    }
    Ok(body)
}

/// Reads a decoder to the end, refusing output over `limit` bytes.
fn inflate(decoder: impl Read, limit: usize, name: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decoder
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot undo {name} content-encoding: {e}"))?;
    if out.len() > limit {
        return Err(format!("the {name}-decoded page is over the {limit}-byte limit for one record"));
    }
    Ok(out)
}

/// Undoes HTTP/1.1 chunked transfer coding. A payload cut off inside a chunk (crawlers truncate
/// long responses) keeps what is there.
fn dechunk(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let end = data[i..].iter().position(|&b| b == b'\n').map_or(data.len(), |p| i + p + 1);
        let line = trim_ascii(trim_eol(&data[i..end]));
        let size_text = line.split(|&b| b == b';').next().unwrap_or(b"");
        let size_text = trim_ascii(size_text);
        let size = std::str::from_utf8(size_text)
            .ok()
            .filter(|s| !s.is_empty())
            .and_then(|s| usize::from_str_radix(s, 16).ok())
            .ok_or_else(|| format!("invalid chunk size `{}` at payload byte {i}", preview(line)))?;
        i = end;
        if size == 0 {
            break; // Trailer fields, if any, are not needed.
        }
        let stop = i.saturating_add(size).min(data.len());
        out.extend_from_slice(&data[i..stop]);
        i = stop;
        if data[i..].starts_with(b"\r\n") {
            i += 2;
        } else if data[i..].starts_with(b"\n") {
            i += 1;
        }
    }
    Ok(out)
}

/// A line without its `\n` or `\r\n`.
fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn trim_ascii(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !first.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !last.is_ascii_whitespace() {
            break;
        }
        s = rest;
    }
    s
}

/// A short, printable rendering of bytes for an error message.
fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    let mut out: String = text.chars().flat_map(char::escape_debug).collect();
    if bytes.len() > 60 {
        out.push_str("...");
    }
    out
}

/// A buffered reader that knows how many bytes it has consumed.
struct Tracked<R> {
    inner: R,
    pos: u64,
    /// Bytes handed back ([`Tracked::unread`]), read before `inner`, from `back_at` on.
    back: Vec<u8>,
    back_at: usize,
}

impl<R: BufRead> Tracked<R> {
    fn new(inner: R) -> Self {
        Tracked { inner, pos: 0, back: Vec::new(), back_at: 0 }
    }

    /// Hands bytes already read back to the stream: they are read again next, from where they
    /// stood (`pos` goes back by their length).
    fn unread(&mut self, bytes: &[u8]) {
        let mut back = Vec::with_capacity(bytes.len() + self.back.len() - self.back_at);
        back.extend_from_slice(bytes);
        back.extend_from_slice(&self.back[self.back_at..]);
        self.back = back;
        self.back_at = 0;
        self.pos -= bytes.len() as u64;
    }

    /// The buffered bytes (empty at the end of the stream), retrying interrupted reads.
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.back_at < self.back.len() {
            return Ok(&self.back[self.back_at..]);
        }
        loop {
            match self.inner.fill_buf() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                Ok(_) => break,
            }
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.back_at < self.back.len() {
            self.back_at += n;
            if self.back_at >= self.back.len() {
                self.back.clear();
                self.back_at = 0;
            }
        } else {
            self.inner.consume(n);
        }
        self.pos += n as u64;
    }

    /// Consumes a line (through `\n`, or to the end of the stream), keeping at most `cap` bytes of
    /// it in `out`. Returns the number of bytes consumed: 0 at the end of the stream.
    fn read_line(&mut self, out: &mut Vec<u8>, cap: usize) -> io::Result<usize> {
        out.clear();
        let mut total = 0;
        loop {
            let buf = self.fill()?;
            if buf.is_empty() {
                return Ok(total);
            }
            let (take, done) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = cap.saturating_sub(out.len());
            out.extend_from_slice(&buf[..take.min(room)]);
            self.consume(take);
            total += take;
            if done {
                return Ok(total);
            }
        }
    }

    /// Consumes the line breaks between records.
    fn skip_blank(&mut self) -> io::Result<()> {
        loop {
            let buf = self.fill()?;
            let n = buf.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
            let whole = n == buf.len();
            if n == 0 {
                return Ok(());
            }
            self.consume(n);
            if !whole {
                return Ok(());
            }
        }
    }

    /// Appends up to `n` bytes to `out`; returns how many there were.
    fn read_upto(&mut self, n: u64, out: &mut Vec<u8>) -> io::Result<u64> {
        let mut left = n;
        while left > 0 {
            let buf = self.fill()?;
            if buf.is_empty() {
                break;
            }
            let k = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            out.extend_from_slice(&buf[..k]);
            self.consume(k);
            left -= k as u64;
        }
        Ok(n - left)
    }

    /// [`Tracked::skip`], watching the skipped bytes for the start of a record after a blank
    /// line: from the first one on (at most [`MAX_RECOVERED`] bytes) they are kept, with where
    /// it starts, in case the length was a lie.
    fn skip_watching(&mut self, n: u64) -> io::Result<(u64, Option<Recovered>)> {
        let mut left = n;
        let mut kept: Option<Recovered> = None;
        let mut overflow = false;
        // The last bytes of the previous chunk, so a start split between chunks is seen.
        let mut tail: Vec<u8> = Vec::with_capacity(32);
        while left > 0 {
            let buf = self.fill()?;
            if buf.is_empty() {
                break;
            }
            let k = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let chunk = &buf[..k];
            match kept.as_mut() {
                Some((_, bytes)) if !overflow => {
                    if bytes.len() + k > MAX_RECOVERED {
                        overflow = true;
                    } else {
                        bytes.extend_from_slice(chunk);
                    }
                }
                Some(_) => {}
                None => {
                    let mut joined = Vec::with_capacity(tail.len() + k);
                    joined.extend_from_slice(&tail);
                    joined.extend_from_slice(chunk);
                    if let Some(at) = embedded_record(&joined) {
                        let offset = (n - left) + at as u64 - tail.len() as u64;
                        kept = Some((offset, joined[at..].to_vec()));
                    }
                    tail.clear();
                    tail.extend_from_slice(&joined[joined.len().saturating_sub(16)..]);
                }
            }
            self.consume(k);
            left -= k as u64;
        }
        Ok((n - left, if overflow { None } else { kept }))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::{GzEncoder, ZlibEncoder};
    use flate2::Compression;

    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Fietsbrug over de IJssel een jaar later klaar</title></head>
<body><nav><a href="/">Voorpagina</a> <a href="/regio">Regio</a></nav>
<article><h1>Fietsbrug over de IJssel een jaar later klaar</h1>
<p>De fietsbrug tussen Zutphen en De Hoven gaat pas in het voorjaar van 2026 open, een jaar
later dan de provincie had beloofd.</p>
<p>Volgens gedeputeerde Marleen Oosterhuis zijn de stalen liggers in de fabriek afgekeurd.
"We willen geen brug die over tien jaar al roest," zei ze dinsdag in Zwolle.</p>
<p>De kosten stijgen daardoor van 14 naar 17,5 miljoen euro.</p></article>
<footer>Stedendriehoek Dagblad</footer></body></html>"#;

    const DATE: &str = "2025-03-04T10:15:00Z";

    fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {DATE}\r\n\
             WARC-Record-ID: <urn:test:{kind}:{uri}>\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
        for (name, value) in headers {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(body);
        out
    }

    fn response(uri: &str, message: &[u8]) -> Vec<u8> {
        record("response", uri, "application/http; msgtype=response", message)
    }

    fn html_response(uri: &str) -> Vec<u8> {
        let message = http("200 OK", &[("Content-Type", "text/html; charset=UTF-8")], PAGE.as_bytes());
        response(uri, &message)
    }

    fn read_all(input: &[u8], max: usize) -> (Vec<Result<RawArticle, RecordError>>, Result<(), IngestError>) {
        let mut out = Vec::new();
        let res = read_warc(input, max, &mut |r| out.push(r));
        (out, res)
    }

    /// A record whose Content-Length overstates its content: by more than the rest of the
    /// file, or by part of the next record. The records after it are read all the same, and
    /// the liar is named.
    #[test]
    fn an_overstated_content_length_does_not_swallow_the_records_after_it() {
        let liar = |extra: usize| {
            let mut r = html_response("https://example.org/a");
            let s = String::from_utf8(r.clone()).unwrap();
            let at = s.find("Content-Length: ").unwrap() + "Content-Length: ".len();
            let end = at + s[at..].find('\r').unwrap();
            let len: usize = s[at..end].parse().unwrap();
            r.splice(at..end, (len + extra).to_string().into_bytes());
            r
        };
        // The same with a record that is skipped (a request), lying by more than the rest.
        let mut request = record(
            "request",
            "https://example.org/a",
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\n\r\n",
        );
        let s = String::from_utf8(request.clone()).unwrap();
        let at = s.find("Content-Length: ").unwrap() + "Content-Length: ".len();
        let end = at + s[at..].find('\r').unwrap();
        request.splice(at..end, b"900000".to_vec());
        request.extend(html_response("https://example.org/b"));
        request.extend(html_response("https://example.org/c"));
        let (out, res) = read_all(&request, 1 << 20);
        assert!(res.is_ok(), "{res:?}");
        assert_eq!(out.iter().filter(|r| r.is_err()).count(), 1, "{out:?}");
        assert_eq!(out.iter().filter(|r| r.is_ok()).count(), 2, "the two records after the lying request");
        for extra in [1_000_000, 300, 40] {
            let mut file = liar(extra);
            file.extend(html_response("https://example.org/b"));
            file.extend(html_response("https://example.org/c"));
            let (out, res) = read_all(&file, 1 << 20);
            assert!(res.is_ok(), "{res:?}");
            let errors: Vec<String> =
                out.iter().filter_map(|r| r.as_ref().err()).map(|e| e.to_string()).collect();
            assert_eq!(errors.len(), 1, "extra {extra}: {errors:?}");
            assert!(errors[0].contains("offset 0") && errors[0].contains("overstates"), "{}", errors[0]);
            let pages: Vec<_> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
            assert_eq!(pages.len(), 2, "extra {extra}: the two records after the liar");
            assert!(pages.iter().all(|p| p.url.as_deref() != Some("https://example.org/a")));
            assert_is_the_page(pages[0]);
        }
    }

    fn assert_is_the_page(article: &RawArticle) {
        assert!(article.title.as_deref().unwrap_or("").contains("Fietsbrug over de IJssel"));
        assert!(article.text.contains("tussen Zutphen en De Hoven"), "text: {}", article.text);
        assert!(article.text.contains("17,5 miljoen euro"));
        assert!(!article.text.contains("Voorpagina"));
    }

    #[test]
    fn a_crawl_yields_only_its_html_responses() {
        let mut warc = record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: storyline-test\r\nformat: WARC File Format 1.0\r\n",
        );
        warc.extend(record(
            "request",
            "https://nieuws.example.nl/regio/fietsbrug",
            "application/http; msgtype=request",
            b"GET /regio/fietsbrug HTTP/1.1\r\nHost: nieuws.example.nl\r\n\r\n",
        ));
        let offset = warc.len() as u64;
        warc.extend(html_response("https://nieuws.example.nl/regio/fietsbrug"));
        warc.extend(record(
            "metadata",
            "https://nieuws.example.nl/regio/fietsbrug",
            "application/warc-fields",
            b"fetchTimeMs: 212\r\n",
        ));
        let not_found = http(
            "404 Not Found",
            &[("Content-Type", "text/html")],
            b"<html><body><p>Pagina niet gevonden</p></body></html>",
        );
        warc.extend(response("https://nieuws.example.nl/weg", &not_found));
        let moved = http("301 Moved Permanently", &[("Location", "https://nieuws.example.nl/")], b"");
        warc.extend(response("http://nieuws.example.nl/", &moved));
        let image = http("200 OK", &[("Content-Type", "image/jpeg")], b"\xff\xd8\xff\xe0\x00\x10JFIF\x00");
        warc.extend(response("https://nieuws.example.nl/foto.jpg", &image));
        warc.extend(record("resource", "file:///tmp/x.html", "text/html", PAGE.as_bytes()));

        let (out, res) = read_all(&warc, 1 << 20);
        res.unwrap();
        assert_eq!(out.len(), 1, "{out:?}");
        let article = out[0].as_ref().unwrap();
        assert_is_the_page(article);
        assert_eq!(article.locator, Some(Locator::Offset(offset)));
        assert_eq!(article.url.as_deref(), Some("https://nieuws.example.nl/regio/fietsbrug"));
        assert_eq!(article.published, Some(Published::parse(DATE).unwrap()));
        assert_eq!(article.metadata["crawled"], DATE);
        assert_eq!(article.metadata["warc_target_uri"], "https://nieuws.example.nl/regio/fietsbrug");
        assert_eq!(
            article.metadata["warc_record_id"],
            "urn:test:response:https://nieuws.example.nl/regio/fietsbrug"
        );
    }

    #[test]
    fn chunked_transfer_encoding_is_undone() {
        let (a, b) = PAGE.as_bytes().split_at(200);
        let mut body = format!("{:x}\r\n", a.len()).into_bytes();
        body.extend_from_slice(a);
        body.extend_from_slice(format!("\r\n{:X};name=value\r\n", b.len()).as_bytes());
        body.extend_from_slice(b);
        body.extend_from_slice(b"\r\n0\r\nX-Trailer: yes\r\n\r\n");
        let message = http(
            "200 OK",
            &[("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")],
            &body,
        );
        let (out, res) = read_all(&response("https://nieuws.example.nl/a", &message), 1 << 20);
        res.unwrap();
        assert_eq!(out.len(), 1);
        assert_is_the_page(out[0].as_ref().unwrap());
    }

    #[test]
    fn the_http_charset_reaches_the_page() {
        let page = "<html><head><title>Terrasseizoen</title></head><body><article>\
            <p>Het caf\u{e9} aan de Grote Markt in Groningen mag zijn terras tot middernacht openhouden, \
            besliste de gemeente na een lange discussie in de raad.</p></article></body></html>";
        // Windows-1252: every character here is one byte, é is 0xE9.
        let body: Vec<u8> = page.chars().map(|c| c as u32 as u8).collect();
        let headers = [("Content-Type", "text/html; charset=windows-1252")];
        let warc = response("https://nieuws.example.nl/terras", &http("200 OK", &headers, &body));
        let (out, res) = read_all(&warc, 1 << 20);
        res.unwrap();
        let article = out[0].as_ref().unwrap();
        assert!(article.text.contains("Het café aan de Grote Markt"), "{}", article.text);
    }

    #[test]
    fn dechunking() {
        assert_eq!(dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n").unwrap(), b"Wikipedia");
        // Cut off inside a chunk, as crawlers truncate long responses: keep what is there.
        assert_eq!(dechunk(b"a\r\nabc").unwrap(), b"abc");
        assert!(dechunk(b"zz\r\nabc").unwrap_err().contains("`zz`"));
    }

    #[test]
    fn gzip_and_deflate_content_encodings_are_undone() {
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        gz.write_all(PAGE.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let mut zl = ZlibEncoder::new(Vec::new(), Compression::default());
        zl.write_all(PAGE.as_bytes()).unwrap();
        let zl = zl.finish().unwrap();
        let mut warc = response(
            "https://nieuws.example.nl/gz",
            &http("200 OK", &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")], &gz),
        );
        warc.extend(response(
            "https://nieuws.example.nl/zl",
            &http("200 OK", &[("content-type", "TEXT/HTML"), ("content-encoding", "deflate")], &zl),
        ));
        let (out, res) = read_all(&warc, 1 << 20);
        res.unwrap();
        assert_eq!(out.len(), 2, "{out:?}");
        for r in &out {
            assert_is_the_page(r.as_ref().unwrap());
        }
        // A bomb is stopped at the record limit.
        let mut bomb = GzEncoder::new(Vec::new(), Compression::best());
        bomb.write_all(PAGE.replace("<p>De kosten", &" ".repeat(200_000)).as_bytes()).unwrap();
        let bomb = bomb.finish().unwrap();
        let headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")];
        let warc = response("https://nieuws.example.nl/bom", &http("200 OK", &headers, &bomb));
        assert!(warc.len() < 10_000);
        let (out, res) = read_all(&warc, 10_000);
        res.unwrap();
        let err = out[0].as_ref().unwrap_err();
        assert!(err.reason.contains("gzip-decoded page is over the 10000-byte limit"), "{err}");
    }

    #[test]
    fn unsupported_content_encoding_is_a_record_error() {
        let message =
            http("200 OK", &[("Content-Type", "text/html"), ("Content-Encoding", "br")], b"\x1b\x00");
        let (out, res) = read_all(&response("https://nieuws.example.nl/br", &message), 1 << 20);
        res.unwrap();
        let err = out[0].as_ref().unwrap_err();
        assert_eq!(err.locator, Locator::Offset(0));
        assert!(err.reason.contains("unsupported content-encoding `br`"), "{err}");
        assert!(err.reason.contains("https://nieuws.example.nl/br"), "{err}");
    }

    #[test]
    fn bad_content_length_is_reported_and_the_next_record_read() {
        let mut bad = html_response("https://nieuws.example.nl/kapot");
        let text = String::from_utf8(bad.clone()).unwrap();
        let len_line = text.lines().find(|l| l.starts_with("Content-Length")).unwrap().to_string();
        bad = text.replacen(&len_line, "Content-Length: twaalf", 1).into_bytes();
        let mut warc = bad.clone();
        let second = warc.len() as u64;
        warc.extend(html_response("https://nieuws.example.nl/heel"));
        let missing = text.replacen(&format!("{len_line}\r\n"), "", 1).into_bytes();
        let third = warc.len() as u64;
        warc.extend(missing);
        let fourth = warc.len() as u64;
        warc.extend(html_response("https://nieuws.example.nl/ook-heel"));

        let (out, res) = read_all(&warc, 1 << 20);
        res.unwrap();
        assert_eq!(out.len(), 4, "{out:?}");
        let err = out[0].as_ref().unwrap_err();
        assert_eq!(err.locator, Locator::Offset(0));
        assert!(err.reason.contains("invalid Content-Length `twaalf`"), "{err}");
        assert_eq!(out[1].as_ref().unwrap().locator, Some(Locator::Offset(second)));
        let err = out[2].as_ref().unwrap_err();
        assert_eq!(err.locator, Locator::Offset(third));
        assert!(err.reason.contains("no Content-Length"), "{err}");
        assert_eq!(out[3].as_ref().unwrap().locator, Some(Locator::Offset(fourth)));
    }

    #[test]
    fn garbage_between_records_is_skipped_with_an_error() {
        let mut warc = html_response("https://nieuws.example.nl/1");
        let garbage = warc.len() as u64;
        warc.extend_from_slice(b"dit hoort hier niet\r\nWARC-achtig maar niet echt\r\n");
        let next = warc.len() as u64;
        warc.extend(html_response("https://nieuws.example.nl/2"));
        warc.extend_from_slice(b"WARC/2.0\r\nContent-Length: 0\r\n\r\n\r\n\r\n");
        let (out, res) = read_all(&warc, 1 << 20);
        res.unwrap();
        assert_eq!(out.len(), 4, "{out:?}");
        assert!(out[0].is_ok());
        let err = out[1].as_ref().unwrap_err();
        assert_eq!(err.locator, Locator::Offset(garbage));
        assert!(err.reason.contains("`dit hoort hier niet`"), "{err}");
        assert_eq!(out[2].as_ref().unwrap().locator, Some(Locator::Offset(next)));
        assert!(out[3].as_ref().unwrap_err().reason.contains("unsupported WARC version `WARC/2.0`"));
    }

    #[test]
    fn truncated_last_record_is_reported() {
        let mut warc = html_response("https://nieuws.example.nl/1");
        let last = html_response("https://nieuws.example.nl/2");
        let second = warc.len() as u64;
        let header_len = last.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        let block_len = last.len() - header_len - 4;
        warc.extend_from_slice(&last[..header_len + 100]);
        let (out, res) = read_all(&warc, 1 << 20);
        res.unwrap();
        assert_eq!(out.len(), 2);
        assert!(out[0].is_ok());
        let err = out[1].as_ref().unwrap_err();
        assert_eq!(err.locator, Locator::Offset(second));
        assert_eq!(err.reason, format!("record truncated: expected {block_len} bytes of content, got 100"));
        // Ending inside the header.
        let (out, res) = read_all(&last[..40], 1 << 20);
        res.unwrap();
        assert!(out[0].as_ref().unwrap_err().reason.contains("inside its header"));
    }

    #[test]
    fn records_over_the_limit_are_skipped_with_their_size() {
        let big_page = PAGE.replace("<p>De kosten", &"<p>Nog meer tekst over de brug.</p>".repeat(200));
        let big = response(
            "https://nieuws.example.nl/lang",
            &http("200 OK", &[("Content-Type", "text/html")], big_page.as_bytes()),
        );
        let size = big.len() - big.windows(4).position(|w| w == b"\r\n\r\n").unwrap() - 8;
        let mut warc = big;
        warc.extend(html_response("https://nieuws.example.nl/kort"));
        let (out, res) = read_all(&warc, 4000);
        res.unwrap();
        assert_eq!(out.len(), 2, "{out:?}");
        let err = out[0].as_ref().unwrap_err();
        assert!(err.reason.contains(&format!("record of {size} bytes is over the 4000-byte limit")), "{err}");
        assert!(err.reason.contains("https://nieuws.example.nl/lang"), "{err}");
        assert_is_the_page(out[1].as_ref().unwrap());
    }

    #[test]
    fn a_page_without_an_article_is_a_record_error() {
        let empty =
            http("200 OK", &[("Content-Type", "text/html")], b"<html><head></head><body></body></html>");
        let mut warc = response("https://nieuws.example.nl/leeg", &empty);
        warc.extend(html_response("https://nieuws.example.nl/vol"));
        let (out, res) = read_all(&warc, 1 << 20);
        res.unwrap();
        assert_eq!(out.len(), 2, "{out:?}");
        let err = out[0].as_ref().unwrap_err();
        assert_eq!(err.locator, Locator::Offset(0));
        assert!(err.reason.starts_with("https://nieuws.example.nl/leeg: no article"), "{err}");
        assert!(out[1].is_ok());
    }

    #[test]
    fn a_bad_http_status_line_is_a_record_error() {
        let (out, res) = read_all(&response("https://x.example/", b"HTTP/1.1 twee\r\n\r\n"), 1 << 20);
        res.unwrap();
        assert!(out[0].as_ref().unwrap_err().reason.contains("invalid HTTP status line"));
    }

    #[test]
    fn input_that_is_not_warc_is_refused() {
        let err = read_all(b"<html><body>hallo</body></html>", 1 << 20).1.unwrap_err();
        assert!(matches!(&err, IngestError::Malformed(m) if m.contains("not a WARC file")), "{err}");
        assert!(matches!(read_all(b"\r\n\r\n", 1 << 20).1, Err(IngestError::Empty)));
    }

    #[test]
    fn header_fields_fold_and_ignore_case() {
        let input: &[u8] =
            b"warc-type: response\r\nX-Note: een\r\n  lange\r\n\twaarde\r\nCONTENT-length:  12 \r\n\r\n";
        let mut t = Tracked::new(input);
        let HeaderRead::Complete(fields) = read_headers(&mut t).unwrap() else {
            panic!("header not read");
        };
        assert_eq!(field(&fields, "warc-type"), Some("response"));
        assert_eq!(field(&fields, "x-note"), Some("een lange waarde"));
        assert_eq!(field(&fields, "content-length"), Some("12"));
        assert_eq!(t.pos, input.len() as u64);
        assert_eq!(charset_param("text/html; Charset=\"ISO-8859-1\""), Some("ISO-8859-1".into()));
        assert_eq!(charset_param("text/html"), None);
    }

    #[test]
    fn the_page_s_own_url_and_date_win_over_the_crawl() {
        let record = RecordFields {
            target: Some("https://nieuws.example.nl/regio/fietsbrug?utm=x"),
            date: Some(DATE),
            record_id: Some("<urn:uuid:1>"),
            content_language: Some("nl-NL"),
        };
        let page = RawArticle {
            url: Some("/regio/fietsbrug".into()),
            published: Some(Published::day(2025, 3, 3).unwrap()),
            ..RawArticle::with_text("tekst")
        };
        let a = finish_article(page, &record, 7);
        assert_eq!(a.url.as_deref(), Some("https://nieuws.example.nl/regio/fietsbrug"));
        assert_eq!(a.published, Published::day(2025, 3, 3));
        assert_eq!(a.metadata["crawled"], DATE);
        assert_eq!(a.metadata["warc_record_id"], "urn:uuid:1");
        assert_eq!(a.language.as_deref(), Some("nl"));
        assert_eq!(a.locator, Some(Locator::Offset(7)));
        let b = finish_article(RawArticle::with_text("tekst"), &record, 0);
        assert_eq!(b.url.as_deref(), record.target);
        assert_eq!(b.published, Some(Published::parse(DATE).unwrap()));
    }

    #[test]
    fn relative_links_resolve() {
        let base = "https://a.example/x/y.html?q=1";
        assert_eq!(resolve_url(base, "https://b.example/z"), "https://b.example/z");
        assert_eq!(resolve_url(base, "//c.example/z"), "https://c.example/z");
        assert_eq!(resolve_url(base, "/z"), "https://a.example/z");
        assert_eq!(resolve_url(base, "z.html"), "https://a.example/x/z.html");
        assert_eq!(resolve_url("https://a.example", "z"), "https://a.example/z");
    }

    fn gzip_per_record(records: &[Vec<u8>]) -> Vec<u8> {
        let mut out = Vec::new();
        for r in records {
            let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
            gz.write_all(r).unwrap();
            out.extend(gz.finish().unwrap());
        }
        out
    }

    #[test]
    fn gzip_per_record_through_read_stream() {
        let info = record("warcinfo", "", "application/warc-fields", b"software: test\r\n");
        let page = html_response("https://nieuws.example.nl/regio/fietsbrug");
        let request = record(
            "request",
            "https://nieuws.example.nl/b",
            "application/http; msgtype=request",
            b"GET /b HTTP/1.1\r\n\r\n",
        );
        let second = (info.len() + page.len() + request.len()) as u64;
        let records = [info.clone(), page.clone(), request, html_response("https://nieuws.example.nl/b")];
        let gz = gzip_per_record(&records);
        let mut out = Vec::new();
        let format =
            super::super::read_stream("cc-news.warc.gz", &gz[..], None, 1 << 20, &mut |r| out.push(r))
                .unwrap();
        assert_eq!(format, Format::Warc);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].as_ref().unwrap().locator, Some(Locator::Offset(info.len() as u64)));
        assert_eq!(out[1].as_ref().unwrap().locator, Some(Locator::Offset(second)));
        assert_is_the_page(out[1].as_ref().unwrap());

        // A gzip stream cut short is an error of the whole stream, after what was read.
        let cut = &gz[..gz.len() - 30];
        let mut out = Vec::new();
        let err =
            super::super::read_stream("x.warc.gz", cut, None, 1 << 20, &mut |r| out.push(r)).unwrap_err();
        assert!(matches!(err, IngestError::Gzip { .. }), "{err}");
        assert_eq!(out.iter().filter(|r| r.is_ok()).count(), 1, "{out:?}");
    }
}
