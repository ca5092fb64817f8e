//! JSON Lines: one article per line, read as a stream so memory stays flat on huge files.
//!
//! Schema: `id` and `text` are required; `title`, `source`, `url`, `published` (RFC 3339 or a
//! date), `language` and `author` are optional; every other field is kept in
//! [`RawArticle::extra`] and returned on output unchanged.

use std::io::{self, BufRead};

use serde_json::{Map, Value};

use super::{classify_io, Emit, IngestError, RecordError};
use crate::date::Published;
use crate::model::{Locator, RawArticle};

/// The result of reading one line with a size bound.
enum Line {
    /// A complete line of this many bytes is in the buffer (newline removed).
    Complete,
    /// The line was longer than the bound; its full length, nothing kept.
    TooLong(u64),
    /// End of input.
    Eof,
}

/// Reads one line into `buf`, keeping at most `max` bytes; longer lines are skipped to their end.
fn read_line_bounded<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut overflow = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            if total == 0 {
                return Ok(Line::Eof);
            }
            break;
        }
        let (used, done) = match memchr_newline(chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let content = &chunk[..if done { used - 1 } else { used }];
        total += used as u64;
        if !overflow {
            if buf.len() + content.len() > max {
                overflow = true;
                buf.clear();
            } else {
                buf.extend_from_slice(content);
            }
        }
        r.consume(used);
        if done {
            break;
        }
    }
    if overflow {
        return Ok(Line::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Line::Complete)
}

fn memchr_newline(s: &[u8]) -> Option<usize> {
    s.iter().position(|&b| b == b'\n')
}

/// Human-readable size: `200.0 MB`.
pub fn human_bytes(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else if n >= 1_000 {
        format!("{:.1} KB", n as f64 / 1e3)
    } else {
        format!("{n} bytes")
    }
}

/// Reads JSON Lines from `r`, emitting one result per non-blank line. Lines over `max_record`
/// bytes are skipped with an error; I/O failures (a truncated gzip stream) end the file.
pub fn read_jsonl<R: BufRead>(mut r: R, max_record: usize, emit: &mut Emit<'_>) -> Result<(), IngestError> {
    let mut buf = Vec::with_capacity(8 * 1024);
    let mut line_no: u64 = 0;
    loop {
        let line = read_line_bounded(&mut r, &mut buf, max_record).map_err(classify_io)?;
        line_no += 1;
        let loc = Locator::Line(line_no);
        match line {
            Line::Eof => return Ok(()),
            Line::TooLong(n) => emit(Err(RecordError::new(
                loc,
                format!(
                    "record is {}, over the {} limit for one record",
                    human_bytes(n),
                    human_bytes(max_record as u64)
                ),
            ))),
            Line::Complete => {
                let bytes =
                    if line_no == 1 { buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf) } else { &buf[..] };
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                emit(parse_record(bytes, loc));
            }
        }
    }
}

/// Parses one JSON object into a raw article.
pub fn parse_record(bytes: &[u8], loc: Locator) -> Result<RawArticle, RecordError> {
    let err = |reason: String| RecordError::new(loc, reason);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| err(format!("invalid UTF-8 at byte {} of the line", e.valid_up_to())))?;
    let value: Value = serde_json::from_str(text).map_err(|e| err(format!("invalid JSON: {e}")))?;
    let Value::Object(mut obj) = value else {
        return Err(err(format!("expected a JSON object, found {}", kind(&value))));
    };
    let id = match obj.remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(_)) => return Err(err("field `id` is empty".into())),
        Some(other) => return Err(err(format!("field `id` must be a string, found {}", kind(&other)))),
        None => return Err(err("missing field `id`".into())),
    };
    let body = match obj.remove("text") {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => return Err(err("missing field `text`".into())),
        Some(other) => return Err(err(format!("field `text` must be a string, found {}", kind(&other)))),
    };
    let mut a = RawArticle { id: Some(id), locator: Some(loc), ..RawArticle::default() };
    a.text = body;
    a.title = opt_string(&mut obj, "title").map_err(&err)?;
    a.source = opt_string(&mut obj, "source").map_err(&err)?;
    a.url = opt_string(&mut obj, "url").map_err(&err)?;
    a.author = opt_string(&mut obj, "author").map_err(&err)?;
    a.language = opt_string(&mut obj, "language").map_err(&err)?;
    if let Some(p) = opt_string(&mut obj, "published").map_err(&err)? {
        a.published = Some(Published::parse(&p).map_err(|e| err(format!("field `published`: {e}")))?);
    }
    if a.text.trim().is_empty() && a.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(err("no title or text".into()));
    }
    a.extra = obj;
    Ok(a)
}

fn opt_string(obj: &mut Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match obj.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(format!("field `{field}` must be a string, found {}", kind(&other))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max: usize) -> Vec<Result<RawArticle, RecordError>> {
        let mut out = Vec::new();
        read_jsonl(input, max, &mut |r| out.push(r)).unwrap();
        out
    }

    #[test]
    fn good_records_keep_unknown_fields() {
        let out = read(
            br#"{"id":"a1","text":"De brug is dicht.","title":"Brug dicht","published":"2025-11-03","story":"brug","score":3}
{"id": 7, "text": "Second.", "language": "en", "published": "2025-11-03T10:00:00+01:00"}
"#,
            1 << 20,
        );
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.id.as_deref(), Some("a1"));
        assert_eq!(a.published.unwrap().to_string(), "2025-11-03");
        assert_eq!(a.extra["story"], "brug");
        assert_eq!(a.extra["score"], 3);
        let b = out[1].as_ref().unwrap();
        assert_eq!(b.id.as_deref(), Some("7"));
        assert_eq!(b.published.unwrap().to_string(), "2025-11-03T09:00:00Z");
        assert_eq!(b.locator, Some(Locator::Line(2)));
    }

    #[test]
    fn bad_records_are_reported_and_the_rest_goes_in() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"id\":\"1\",\"text\":\"goed\"}\n");
        input.extend_from_slice(b"{\"id\":\"2\",\"text\":\"kapot \xff\xfe\"}\n");
        input.extend_from_slice(b"not json\n\n");
        input.extend_from_slice(b"{\"text\":\"geen id\"}\n");
        input.extend_from_slice(b"{\"id\":\"5\",\"text\":\"x\",\"published\":\"gisteren\"}\n");
        input.extend_from_slice(b"[1,2]\n");
        input.extend_from_slice(b"{\"id\":\"7\",\"text\":\"\"}\n");
        input.extend_from_slice(b"{\"id\":\"8\",\"text\":\"laatste\"}");
        let out = read(&input, 1 << 20);
        let reasons: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(a) => format!("ok {}", a.id.as_deref().unwrap()),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(reasons[0], "ok 1");
        assert_eq!(reasons[1], "line 2: invalid UTF-8 at byte 24 of the line");
        assert!(reasons[2].starts_with("line 3: invalid JSON"), "{}", reasons[2]);
        assert_eq!(reasons[3], "line 5: missing field `id`");
        assert!(
            reasons[4].starts_with("line 6: field `published`: cannot read date `gisteren`"),
            "{}",
            reasons[4]
        );
        assert_eq!(reasons[5], "line 7: expected a JSON object, found an array");
        assert_eq!(reasons[6], "line 8: no title or text");
        assert_eq!(reasons[7], "ok 8");
    }

    #[test]
    fn an_oversized_line_is_skipped_without_buffering_it() {
        let mut input = b"{\"id\":\"1\",\"text\":\"".to_vec();
        input.extend(std::iter::repeat_n(b'a', 5_000));
        input.extend_from_slice(b"\"}\n{\"id\":\"2\",\"text\":\"kort\"}\n");
        let out = read(&input, 1_000);
        assert_eq!(
            out[0].as_ref().unwrap_err().to_string(),
            "line 1: record is 5.0 KB, over the 1.0 KB limit for one record"
        );
        assert_eq!(out[1].as_ref().unwrap().id.as_deref(), Some("2"));
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let out =
            read(b"\xEF\xBB\xBF{\"id\":\"1\",\"text\":\"a\"}\r\n{\"id\":\"2\",\"text\":\"b\"}\r\n", 1 << 20);
        assert!(out.iter().all(Result::is_ok));
        assert_eq!(out.len(), 2);
    }
}
