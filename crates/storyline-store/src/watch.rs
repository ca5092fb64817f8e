//! The watcher's status file: what `storyline watch` last did with each source of its watch
//! list (when, the HTTP status, what it stored, the last error, when the source is due again)
//! and what it needs to go on politely after a restart (the validators of conditional
//! requests, the files of a watched folder). One JSON document, written whole through a
//! temporary file renamed over the old one, so a reader (`storyline feeds`, the server's
//! `/feeds`) sees the file before or after a write, never half of it.
//!
//! ```
//! use storyline_store::watch::{self, SourceEntry, SourceKind, WatchStatus};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("storyline.feeds.json");
//! assert!(watch::load(&path).unwrap().is_none());
//! let mut status = WatchStatus::default();
//! let mut entry = SourceEntry::default();
//! entry.status.source = "https://nieuws.example/feed.xml".into();
//! entry.status.kind = SourceKind::Feed;
//! status.sources.push(entry);
//! watch::save(&path, &status).unwrap();
//! assert_eq!(watch::load(&path).unwrap(), Some(status));
//! ```

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use storyline_core::Published;

/// The `format` every status file carries.
pub const FORMAT: &str = "storyline-watch-status/1";

/// The whole status file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WatchStatus {
    /// [`FORMAT`].
    pub format: String,
    /// The watch list the sources come from, as it was given.
    pub list: Option<String>,
    /// When the file was last written.
    pub updated: Option<Published>,
    /// Every source of the list, in the list's order.
    pub sources: Vec<SourceEntry>,
}

impl Default for WatchStatus {
    fn default() -> Self {
        WatchStatus { format: FORMAT.to_string(), list: None, updated: None, sources: Vec::new() }
    }
}

/// One source: its public status and the files of a folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceEntry {
    /// What `storyline feeds` and `/api/feeds` show.
    #[serde(flatten)]
    pub status: SourceStatus,
    /// For a folder: every file seen, by path, with its size and modification time, so a file
    /// is read again only when it changes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, FileState>,
}

pub use storyline_core::watchlist::SourceKind;

/// How a source's last visit ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Not visited yet.
    #[default]
    Pending,
    /// Fetched (or scanned) and everything in it read.
    Ok,
    /// The server said nothing changed (HTTP 304), or no file in the folder changed.
    NotModified,
    /// Read, but some of its records could not be.
    Partial,
    /// Nothing could be read: the fetch, the format or the store failed.
    Error,
}

impl Outcome {
    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Ok => "ok",
            Outcome::NotModified => "not modified",
            Outcome::Partial => "partial",
            Outcome::Error => "error",
        }
    }
}

/// The public status of one source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceStatus {
    /// The URL, or the folder's path, as the watch list gives it.
    pub source: String,
    /// What it is.
    pub kind: SourceKind,
    /// The outlet its articles are stored under, when the list names one.
    pub outlet: Option<String>,
    /// The line of the watch list it is on.
    pub line: usize,
    /// Seconds between visits while it answers.
    pub interval_s: u64,
    /// When the last visit ended.
    pub last_fetch: Option<Published>,
    /// When a visit last succeeded (fully or partly).
    pub last_success: Option<Published>,
    /// How long the last visit took, in milliseconds.
    pub duration_ms: Option<u64>,
    /// How the last visit ended.
    pub result: Outcome,
    /// The HTTP status of the last answer, for a URL that answered.
    pub http_status: Option<u16>,
    /// Articles the last visit stored as new.
    pub new: u64,
    /// Articles the last visit found stored already.
    pub duplicates: u64,
    /// Articles the last visit stored as new versions of stored ones.
    pub revised: u64,
    /// Records (or files) the last visit could not read.
    pub failed: u64,
    /// What went wrong on the last visit, on one line.
    pub error: Option<String>,
    /// Visits in a row that failed (each doubles the wait before the next, up to a cap).
    pub failures: u32,
    /// When the next visit is due.
    pub next_due: Option<Published>,
    /// Articles stored as new since the source was first followed.
    pub total_new: u64,
    /// Articles stored as new versions since the source was first followed.
    pub total_revised: u64,
    /// The `ETag` of the last answer read, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` of the last answer read, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// For a folder: files seen.
    pub files_seen: u64,
}

impl SourceStatus {
    /// Whether the last visit failed.
    pub fn is_failing(&self) -> bool {
        self.result == Outcome::Error
    }
}

/// A file of a watched folder as last seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time: seconds since the epoch.
    pub modified_s: i64,
    /// And nanoseconds within that second.
    pub modified_ns: u32,
}

/// A status file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StatusFileError {
    /// The file could not be read.
    #[error("{}: cannot read the watch status: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a status file this storyline reads.
    #[error("{}: not a watch status file: {reason}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file could not be written.
    #[error("{}: cannot write the watch status: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Reads a status file; `None` when there is none.
pub fn load(path: &Path) -> Result<Option<WatchStatus>, StatusFileError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(StatusFileError::Read { path: path.to_path_buf(), source }),
    };
    let status: WatchStatus = serde_json::from_slice(&bytes)
        .map_err(|e| StatusFileError::Malformed { path: path.to_path_buf(), reason: e.to_string() })?;
    if status.format != FORMAT {
        return Err(StatusFileError::Malformed {
            path: path.to_path_buf(),
            reason: format!("format `{}`, expected `{FORMAT}`", status.format),
        });
    }
    Ok(Some(status))
}

/// Writes a status file whole: to a temporary file beside it, flushed to disk, then renamed
/// over it. A reader sees the old file or the new one.
pub fn save(path: &Path, status: &WatchStatus) -> Result<(), StatusFileError> {
    let err = |source| StatusFileError::Write { path: path.to_path_buf(), source };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let json = serde_json::to_vec_pretty(status).map_err(|e| err(std::io::Error::other(e)))?;
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&json)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_file_reads_back_and_a_foreign_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.feeds.json");
        let mut status = WatchStatus { list: Some("bronnen.txt".into()), ..WatchStatus::default() };
        let mut entry = SourceEntry::default();
        entry.status.source = "map/".into();
        entry.status.kind = SourceKind::Folder;
        entry.status.result = Outcome::Partial;
        entry.status.error = Some("b.jsonl: line 2: invalid JSON".into());
        entry
            .files
            .insert("map/a.txt".into(), FileState { size: 10, modified_s: 1_700_000_000, modified_ns: 5 });
        status.sources.push(entry);
        save(&path, &status).unwrap();
        assert_eq!(load(&path).unwrap().as_ref(), Some(&status));
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        // The public part carries no file list.
        let public = serde_json::to_value(&status.sources[0].status).unwrap();
        assert!(public.get("files").is_none() && public["result"] == "partial", "{public}");
        std::fs::write(&path, "{\"format\": \"iets anders\"}").unwrap();
        let e = load(&path).unwrap_err().to_string();
        assert!(e.contains("s.feeds.json") && e.contains("iets anders"), "{e}");
        std::fs::write(&path, "niet eens json").unwrap();
        let e = load(&path).unwrap_err().to_string();
        assert!(e.contains("not a watch status file"), "{e}");
    }
}
