//! Watch lists: the file `storyline watch` follows, one source a line, and the durations its
//! options and the settings are written in (`90s`, `15m`, `1h30m`).
//!
//! ```text
//! # comments and blank lines are skipped
//! https://nieuws.example/feed.xml        outlet="De Dagkoerier"  every=15m
//! https://nieuws.example/live/brug.html  kind=page  every=5m
//! inbox/                                 outlet=Persbureau  language=nl
//! ```
//!
//! A line is a source — an http(s) URL, or a folder (or one file) on disk, relative to the
//! list's own folder — then options as `key=value`: `outlet` (the outlet its articles are stored
//! under, like `ingest --source`), `every` (how often to visit it), `kind` (`feed`, the default
//! for a URL: an RSS/Atom feed or JSON Lines, where an HTML page is an error; or `page`: a page
//! or any document storyline reads, stored again as a new version when it changes) and
//! `language`. A value with spaces is written in double quotes; a source with spaces too.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a watch-list line follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An RSS/Atom feed (or JSON Lines) at a URL; an HTML page there is an error.
    #[default]
    Feed,
    /// A page (or any document storyline reads) at a URL, read again when it changes.
    Page,
    /// A folder (or one file) on disk, polled for new and changed files.
    Folder,
}

impl SourceKind {
    /// The name used in watch lists and output.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Page => "page",
            SourceKind::Folder => "folder",
        }
    }
}

/// One line of a watch list.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The line it is on, counting from 1.
    pub line: usize,
    /// The source as written (the key of its status).
    pub name: String,
    /// What it points at.
    pub target: Target,
    /// A feed, a page or a folder.
    pub kind: SourceKind,
    /// `outlet=`: the outlet its articles are stored under.
    pub outlet: Option<String>,
    /// `language=`: the language of articles that declare none.
    pub language: Option<String>,
    /// `every=`: how often to visit it (the settings' interval when not given).
    pub every: Option<Duration>,
}

/// Where a source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An http(s) URL.
    Url(String),
    /// A folder or a file, resolved against the list's folder.
    Path(PathBuf),
}

/// A watch list that cannot be used: the file, the line and why.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The file could not be read.
    #[error("{file}: cannot read the watch list: {source}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line does not read.
    #[error("{file}: line {line}: {reason}")]
    Line {
        /// The file.
        file: String,
        /// The line, counting from 1.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// There is no source in it.
    #[error("{file}: no sources in the watch list (one URL or folder a line)")]
    Empty {
        /// The file.
        file: String,
    },
}

/// The options a line may carry, for error messages.
const OPTIONS: &str = "outlet=, every=, kind=, language=";

/// Reads and checks a watch list file.
pub fn read(path: &Path) -> Result<Vec<Source>, ListError> {
    let file = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|source| ListError::Read { file: file.clone(), source })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let sources = parse(&file, &text, base)?;
    if sources.is_empty() {
        return Err(ListError::Empty { file });
    }
    Ok(sources)
}

/// Parses a watch list's text; `file` names it in errors, `base` is the folder relative paths
/// start from.
pub fn parse(file: &str, text: &str, base: &Path) -> Result<Vec<Source>, ListError> {
    let mut out: Vec<Source> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let err = |reason: String| ListError::Line { file: file.to_string(), line: n, reason };
        let tokens = tokens(line).map_err(err)?;
        let Some((first, options)) = tokens.split_first() else { continue };
        let mut source = parse_source(first, base).map_err(err)?;
        source.line = n;
        let mut seen: Vec<&str> = Vec::new();
        for option in options {
            let Some((key, value)) = option.split_once('=') else {
                return Err(err(format!(
                    "`{option}` is not an option: options are key=value ({OPTIONS}), and a value with spaces is quoted: outlet=\"De Dagkoerier\""
                )));
            };
            let key = key.trim();
            if seen.contains(&key) {
                return Err(err(format!("`{key}=` is given twice")));
            }
            seen.push(key);
            apply(&mut source, key, value).map_err(err)?;
        }
        if let Some(first) = out.iter().find(|s| s.target == source.target) {
            return Err(err(format!("`{}` is listed twice (first on line {})", source.name, first.line)));
        }
        out.push(source);
    }
    Ok(out)
}

/// The source of a line: a URL or a path.
fn parse_source(token: &str, base: &Path) -> Result<Source, String> {
    if token.trim().is_empty() {
        // `""` would otherwise be the list's own folder.
        return Err("the source is empty: a line starts with a URL or a folder".into());
    }
    if let Some((key, _)) = token.split_once('=') {
        if ["outlet", "every", "kind", "language"].contains(&key) {
            return Err(format!("a line starts with its source (a URL or a folder), not `{token}`"));
        }
    }
    let lower = token.to_ascii_lowercase();
    let (target, kind) = if lower.starts_with("http://") || lower.starts_with("https://") {
        let rest = &token[token.find("://").map_or(0, |i| i + 3)..];
        if rest.is_empty() || rest.starts_with('/') {
            return Err(format!("`{token}` has no host"));
        }
        (Target::Url(token.to_string()), SourceKind::Feed)
    } else if let Some((scheme, _)) = token.split_once("://") {
        return Err(format!("`{scheme}://` addresses are not followed (http and https are)"));
    } else {
        let path = match token.strip_prefix("~/") {
            Some(rest) => match std::env::var_os("HOME") {
                Some(home) => PathBuf::from(home).join(rest),
                None => PathBuf::from(token),
            },
            None => PathBuf::from(token),
        };
        let path = if path.is_relative() { base.join(path) } else { path };
        (Target::Path(path), SourceKind::Folder)
    };
    Ok(Source { line: 0, name: token.to_string(), target, kind, outlet: None, language: None, every: None })
}

/// Applies one `key=value` option.
fn apply(source: &mut Source, key: &str, value: &str) -> Result<(), String> {
    let value = value.trim();
    match key {
        "outlet" => {
            if value.is_empty() {
                return Err("`outlet=` needs a name: outlet=\"De Dagkoerier\"".into());
            }
            source.outlet = Some(value.to_string());
        }
        "every" => {
            let d = parse_duration(value).map_err(|e| format!("every={value}: {e}"))?;
            if d.is_zero() {
                return Err(format!("every={value}: a source is visited every so often, more than 0"));
            }
            source.every = Some(d);
        }
        "kind" => {
            let kind = match value {
                "feed" => SourceKind::Feed,
                "page" => SourceKind::Page,
                other => return Err(format!("kind={other}: a URL is a `feed` or a `page`")),
            };
            if matches!(source.target, Target::Path(_)) {
                return Err(format!("kind={value}: only a URL has a kind; a folder is read as files"));
            }
            source.kind = kind;
        }
        "language" => {
            if crate::analyze::lang::normalize_code(value).is_none() {
                return Err(format!("language={value}: unknown language"));
            }
            source.language = Some(value.to_string());
        }
        other => return Err(format!("unknown option `{other}=` (the options are {OPTIONS})")),
    }
    Ok(())
}

/// Splits a line into tokens at whitespace, keeping double-quoted runs together (without their
/// quotes; `\"` and `\\` inside them stand for `"` and `\`). A `#` that starts a token starts a
/// comment; inside a token (`https://a.example/#top`) it is part of it.
fn tokens(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.peek() {
            None | Some('#') => return Ok(out),
            _ => {}
        }
        let mut token = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c != '"' {
                token.push(c);
                continue;
            }
            loop {
                match chars.next() {
                    None => return Err(format!("a quote is not closed: `{}`", line.trim())),
                    Some('"') => break,
                    Some('\\') if matches!(chars.peek(), Some('"' | '\\')) => {
                        token.push(chars.next().unwrap_or('\\'));
                    }
                    Some(c) => token.push(c),
                }
            }
        }
        out.push(token);
    }
}

/// Reads a duration: a number and a unit (`ms`, `s`, `m`, `h`, `d`), or several (`1h30m`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("no duration given (like 90s, 15m, 2h or 1h30m)".into());
    }
    let mut total = Duration::ZERO;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        let unit_len = after.find(|c: char| c.is_ascii_digit()).unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let value: f64 = number
            .parse()
            .map_err(|_| format!("`{t}` is not a duration (a number and a unit: 90s, 15m, 2h, 1h30m)"))?;
        let seconds = match unit {
            "ms" => value / 1000.0,
            "s" => value,
            "m" => value * 60.0,
            "h" => value * 3600.0,
            "d" => value * 86_400.0,
            "" => return Err(format!("`{t}` has no unit (s, m, h or d: 90s, 15m)")),
            other => return Err(format!("unknown unit `{other}` in `{t}` (ms, s, m, h or d)")),
        };
        if !seconds.is_finite() || seconds > 365.0 * 86_400.0 {
            return Err(format!("`{t}` is longer than a year"));
        }
        total += Duration::from_secs_f64(seconds);
        if total.as_secs() > 365 * 86_400 {
            return Err(format!("`{t}` is longer than a year"));
        }
        rest = next;
    }
    Ok(total)
}

/// A duration as the watch list writes it: `15m`, `1h30m`, `20s`, `250ms`.
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 && ms > 0 && d.as_secs() == 0 {
        return format!("{ms}ms");
    }
    let mut secs = d.as_secs();
    if secs == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> Result<Source, String> {
        parse("w.txt", line, Path::new("/lijsten")).map(|mut v| v.remove(0)).map_err(|e| e.to_string())
    }

    #[test]
    fn a_line_is_a_source_and_options() {
        let s = one("https://nieuws.example/feed.xml  outlet=\"De Dagkoerier\"  every=15m  # de hoofdfeed")
            .unwrap();
        assert_eq!(s.target, Target::Url("https://nieuws.example/feed.xml".into()));
        assert_eq!(s.kind, SourceKind::Feed);
        assert_eq!(s.outlet.as_deref(), Some("De Dagkoerier"));
        assert_eq!(s.every, Some(Duration::from_secs(900)));
        let s = one("https://nieuws.example/live.html#laatste kind=page language=nl").unwrap();
        assert_eq!(s.name, "https://nieuws.example/live.html#laatste");
        assert_eq!((s.kind, s.language.as_deref()), (SourceKind::Page, Some("nl")));
        let s = one("\"map met spaties/\" outlet=Persbureau").unwrap();
        assert_eq!(s.target, Target::Path(PathBuf::from("/lijsten/map met spaties/")));
        assert_eq!(s.kind, SourceKind::Folder);
        let s = one("/srv/binnen").unwrap();
        assert_eq!(s.target, Target::Path(PathBuf::from("/srv/binnen")));
        assert_eq!(
            one("outlet=\"Zeg \\\"hoi\\\"\"").unwrap_err(),
            "w.txt: line 1: a line starts with its source (a URL or a folder), not `outlet=Zeg \"hoi\"`"
        );
    }

    #[test]
    fn comments_and_blank_lines_are_skipped_and_lines_are_counted() {
        let list = "# bronnen\n\n   \nhttps://a.example/rss  # eerste\n  # inspringend commentaar\nmap/\n";
        let got = parse("w.txt", list, Path::new("")).unwrap();
        assert_eq!(got.iter().map(|s| s.line).collect::<Vec<_>>(), [4, 6]);
    }

    #[test]
    fn a_bad_line_names_the_file_the_line_and_the_reason() {
        let cases = [
            ("https://a.example/rss every=vaak", "line 1: every=vaak: `vaak` is not a duration"),
            ("https://a.example/rss every=15", "line 1: every=15: `15` has no unit"),
            ("map/ every=0s", "line 1: every=0s: a source is visited every so often, more than 0"),
            ("https://a.example/rss NOS", "line 1: `NOS` is not an option"),
            ("https://a.example/rss tempo=5m", "line 1: unknown option `tempo=`"),
            ("https://a.example/rss kind=podcast", "line 1: kind=podcast: a URL is a `feed` or a `page`"),
            ("map/ kind=page", "line 1: kind=page: only a URL has a kind"),
            ("ftp://a.example/rss", "line 1: `ftp://` addresses are not followed"),
            ("https:///rss", "line 1: `https:///rss` has no host"),
            ("https://a.example/rss outlet=\"NOS", "line 1: a quote is not closed"),
            ("https://a.example/rss outlet=", "line 1: `outlet=` needs a name"),
            ("https://a.example/rss every=1m every=2m", "line 1: `every=` is given twice"),
            ("https://a.example/rss language=klingon", "line 1: language=klingon: unknown language"),
            ("\"\" every=5m", "line 1: the source is empty"),
            (
                "https://a.example/rss every=300d300d",
                "line 1: every=300d300d: `300d300d` is longer than a year",
            ),
            (
                "https://a.example/rss\n\nhttps://a.example/rss",
                "line 3: `https://a.example/rss` is listed twice (first on line 1)",
            ),
        ];
        for (text, want) in cases {
            let e = parse("bronnen.txt", text, Path::new("")).unwrap_err().to_string();
            assert!(e.starts_with("bronnen.txt: ") && e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn durations_read_and_print_back() {
        for (text, secs) in [
            ("90s", 90.0),
            ("15m", 900.0),
            ("2h", 7200.0),
            ("1h30m", 5400.0),
            ("1d", 86_400.0),
            ("250ms", 0.25),
            ("0.5s", 0.5),
        ] {
            assert_eq!(parse_duration(text).unwrap().as_secs_f64(), secs, "{text}");
        }
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5 minuten").is_err());
        assert!(parse_duration("400d").unwrap_err().contains("longer than a year"));
        assert_eq!(format_duration(Duration::from_secs(5400)), "1h30m");
        assert_eq!(format_duration(Duration::from_secs(900)), "15m");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(format_duration(Duration::ZERO), "0s");
    }
}
