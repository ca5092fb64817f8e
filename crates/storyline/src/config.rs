//! Settings: defaults < `storyline.toml` < `STORYLINE_*` environment < command-line flags.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// The file read when `--config` is not given and it exists in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "storyline.toml";
/// The store used when nothing else is said.
pub const DEFAULT_DB: &str = "storyline.db";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    db: Option<PathBuf>,
    #[serde(default)]
    ingest: IngestSection,
    /// Story clustering: every key of `storyline_core::cluster::Settings`.
    cluster: Option<storyline_core::cluster::Settings>,
    #[serde(default)]
    models: ModelsSection,
    #[serde(default)]
    serve: ServeSection,
    #[serde(default)]
    fetch: FetchSection,
    #[serde(default)]
    watch: WatchSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FetchSection {
    timeout: Option<String>,
    max_body_mb: Option<u64>,
    max_redirects: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WatchSection {
    interval: Option<String>,
    min_interval: Option<String>,
    max_backoff: Option<String>,
    status_file: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelsSection {
    /// The clustering's decision model file; empty: the shipped one.
    cluster: Option<PathBuf>,
}

/// Reads a clustering model file.
fn cluster_model(path: &Path) -> Result<std::sync::Arc<storyline_core::cluster::Model>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("{}: cannot read model", path.display()))?;
    let model =
        storyline_core::cluster::Model::from_json(&text).with_context(|| format!("{}", path.display()))?;
    Ok(std::sync::Arc::new(model))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServeSection {
    addr: Option<String>,
    max_body_mb: Option<usize>,
    max_connections: Option<usize>,
    header_timeout_s: Option<u64>,
}

/// The address `storyline serve` listens on when nothing else is said.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct IngestSection {
    batch_size: Option<usize>,
    max_record_mb: Option<usize>,
    near_duplicate_threshold: Option<f32>,
    near_duplicate_horizon: Option<u64>,
}

/// The resolved settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The store: a SQLite file's path, or a PostgreSQL server's address
    /// (`postgres://user@host/dbname`).
    pub db: PathBuf,
    /// Whether the db path was chosen explicitly (flag, environment or file).
    pub db_explicit: bool,
    /// Articles per store transaction.
    pub batch_size: usize,
    /// The largest single record read, in bytes.
    pub max_record_bytes: usize,
    /// Near-duplicate similarity threshold.
    pub near_duplicate_threshold: f32,
    /// How many recent articles a new one is compared with for near-duplicates.
    pub near_duplicate_horizon: u64,
    /// Story clustering settings.
    pub cluster: storyline_core::cluster::Settings,
    /// Where `storyline serve` listens.
    pub serve_addr: String,
    /// The largest request body the server accepts, in bytes.
    pub max_body_bytes: usize,
    /// `serve.max_connections`: connections served at once.
    pub max_connections: usize,
    /// `serve.header_timeout_s`: seconds a client gets to send a request's headers.
    pub header_timeout_s: u64,
    /// `fetch.timeout`: the longest one fetch over HTTP may take.
    pub fetch_timeout: Duration,
    /// `fetch.max_body_mb`: the largest body a fetch reads, in bytes.
    pub fetch_max_body_bytes: u64,
    /// `fetch.max_redirects`: redirects a fetch follows.
    pub fetch_max_redirects: u32,
    /// `watch.interval`: how often a source is visited when its line does not say.
    pub watch_interval: Duration,
    /// `watch.min_interval`: a URL is never visited more often than this.
    pub watch_min_interval: Duration,
    /// `watch.max_backoff`: the longest wait after failed visits.
    pub watch_max_backoff: Duration,
    /// `watch.status_file`: where the watcher keeps its status; `None`: beside the store.
    pub watch_status: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            db: PathBuf::from(DEFAULT_DB),
            db_explicit: false,
            batch_size: 1000,
            max_record_bytes: storyline_core::ingest::DEFAULT_MAX_RECORD_BYTES,
            near_duplicate_threshold: storyline_core::ingest::dedupe::DEFAULT_THRESHOLD,
            near_duplicate_horizon: storyline_store::DEFAULT_NEAR_DUPLICATE_HORIZON,
            cluster: storyline_core::cluster::Settings::default(),
            serve_addr: DEFAULT_ADDR.to_string(),
            max_body_bytes: 16 * 1024 * 1024,
            max_connections: 256,
            header_timeout_s: 10,
            fetch_timeout: Duration::from_secs(20),
            fetch_max_body_bytes: 10 * 1024 * 1024,
            fetch_max_redirects: 5,
            watch_interval: Duration::from_secs(15 * 60),
            watch_min_interval: Duration::from_secs(60),
            watch_max_backoff: Duration::from_secs(6 * 3600),
            watch_status: None,
        }
    }
}

/// A duration setting (`15m`), or an error naming where it came from.
fn duration(text: &str, origin: &str) -> Result<Duration> {
    storyline_core::watchlist::parse_duration(text).map_err(|e| anyhow::anyhow!("{origin} = `{text}`: {e}"))
}

fn env_parse<T: std::str::FromStr>(env: &dyn Fn(&str) -> Option<String>, key: &str) -> Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    match env(key) {
        None => Ok(None),
        Some(v) => {
            v.trim().parse().map(Some).map_err(|e| anyhow::anyhow!("environment variable {key}=`{v}`: {e}"))
        }
    }
}

impl Config {
    /// The PostgreSQL address `db` holds, when it is one.
    pub fn postgres(&self) -> Option<&str> {
        self.db.to_str().filter(|d| storyline_store::is_postgres(d))
    }

    /// The store as messages name it: the file's path, or the server's address without its
    /// password.
    pub fn store_name(&self) -> String {
        match self.postgres() {
            Some(address) => storyline_store::redacted(address),
            None => self.db.display().to_string(),
        }
    }

    /// Loads the settings: `config` names a file that must exist; otherwise `storyline.toml` in
    /// the working directory is read when present. `db_flag` is `--db` (or `STORYLINE_DB`).
    pub fn load(
        config: Option<&Path>,
        db_flag: Option<PathBuf>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config> {
        let mut cfg = Config::default();
        let path = match config {
            Some(p) => Some(p.to_path_buf()),
            None => Some(PathBuf::from(DEFAULT_CONFIG_FILE)).filter(|p| p.is_file()),
        };
        if let Some(path) = path {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("{}: cannot read config", path.display()))?;
            let file: FileConfig = toml::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.to_string().trim_end()))?;
            if let Some(db) = file.db {
                cfg.db = db;
                cfg.db_explicit = true;
            }
            if let Some(n) = file.ingest.batch_size {
                cfg.batch_size = n;
            }
            if let Some(n) = file.ingest.max_record_mb {
                cfg.max_record_bytes = n.saturating_mul(1024 * 1024);
            }
            if let Some(t) = file.ingest.near_duplicate_threshold {
                cfg.near_duplicate_threshold = t;
            }
            if let Some(h) = file.ingest.near_duplicate_horizon {
                cfg.near_duplicate_horizon = h;
            }
            if let Some(c) = file.cluster {
                cfg.cluster = c;
            }
            if let Some(m) = file.models.cluster.filter(|m| !m.as_os_str().is_empty()) {
                // Relative to the configuration file.
                let m = if m.is_relative() { path.parent().unwrap_or(Path::new("")).join(m) } else { m };
                cfg.cluster.model = Some(cluster_model(&m)?);
            }
            if let Some(a) = file.serve.addr {
                cfg.serve_addr = a;
            }
            if let Some(n) = file.serve.max_body_mb {
                cfg.max_body_bytes = n.saturating_mul(1024 * 1024);
            }
            if let Some(n) = file.serve.max_connections {
                cfg.max_connections = n;
            }
            if let Some(n) = file.serve.header_timeout_s {
                cfg.header_timeout_s = n;
            }
            let at = |key: &str| format!("{}: {key}", path.display());
            if let Some(t) = &file.fetch.timeout {
                cfg.fetch_timeout = duration(t, &at("[fetch] timeout"))?;
            }
            if let Some(n) = file.fetch.max_body_mb {
                cfg.fetch_max_body_bytes = n.saturating_mul(1024 * 1024);
            }
            if let Some(n) = file.fetch.max_redirects {
                cfg.fetch_max_redirects = n;
            }
            if let Some(t) = &file.watch.interval {
                cfg.watch_interval = duration(t, &at("[watch] interval"))?;
            }
            if let Some(t) = &file.watch.min_interval {
                cfg.watch_min_interval = duration(t, &at("[watch] min_interval"))?;
            }
            if let Some(t) = &file.watch.max_backoff {
                cfg.watch_max_backoff = duration(t, &at("[watch] max_backoff"))?;
            }
            if let Some(p) = file.watch.status_file.filter(|p| !p.as_os_str().is_empty()) {
                cfg.watch_status = Some(p);
            }
        }
        if let Some(n) = env_parse::<usize>(env, "STORYLINE_BATCH_SIZE")? {
            cfg.batch_size = n;
        }
        if let Some(n) = env_parse::<usize>(env, "STORYLINE_MAX_RECORD_MB")? {
            cfg.max_record_bytes = n.saturating_mul(1024 * 1024);
        }
        if let Some(t) = env_parse::<f32>(env, "STORYLINE_NEAR_DUPLICATE_THRESHOLD")? {
            cfg.near_duplicate_threshold = t;
        }
        if let Some(h) = env_parse::<u64>(env, "STORYLINE_NEAR_DUPLICATE_HORIZON")? {
            cfg.near_duplicate_horizon = h;
        }
        if let Some(m) = env("STORYLINE_CLUSTER_MODEL").filter(|m| !m.trim().is_empty()) {
            cfg.cluster.model = Some(cluster_model(Path::new(m.trim())).context("STORYLINE_CLUSTER_MODEL")?);
        }
        if let Some(a) = env("STORYLINE_ADDR").filter(|a| !a.trim().is_empty()) {
            cfg.serve_addr = a.trim().to_string();
        }
        if let Some(n) = env_parse::<usize>(env, "STORYLINE_MAX_BODY_MB")? {
            cfg.max_body_bytes = n.saturating_mul(1024 * 1024);
        }
        if let Some(n) = env_parse::<usize>(env, "STORYLINE_MAX_CONNECTIONS")? {
            cfg.max_connections = n;
        }
        if let Some(n) = env_parse::<u64>(env, "STORYLINE_HEADER_TIMEOUT_S")? {
            cfg.header_timeout_s = n;
        }
        if let Some(t) = env("STORYLINE_FETCH_TIMEOUT").filter(|t| !t.trim().is_empty()) {
            cfg.fetch_timeout = duration(&t, "environment variable STORYLINE_FETCH_TIMEOUT")?;
        }
        if let Some(n) = env_parse::<u64>(env, "STORYLINE_FETCH_MAX_BODY_MB")? {
            cfg.fetch_max_body_bytes = n.saturating_mul(1024 * 1024);
        }
        if let Some(n) = env_parse::<u32>(env, "STORYLINE_FETCH_MAX_REDIRECTS")? {
            cfg.fetch_max_redirects = n;
        }
        if let Some(t) = env("STORYLINE_WATCH_INTERVAL").filter(|t| !t.trim().is_empty()) {
            cfg.watch_interval = duration(&t, "environment variable STORYLINE_WATCH_INTERVAL")?;
        }
        if let Some(t) = env("STORYLINE_WATCH_MIN_INTERVAL").filter(|t| !t.trim().is_empty()) {
            cfg.watch_min_interval = duration(&t, "environment variable STORYLINE_WATCH_MIN_INTERVAL")?;
        }
        if let Some(t) = env("STORYLINE_WATCH_MAX_BACKOFF").filter(|t| !t.trim().is_empty()) {
            cfg.watch_max_backoff = duration(&t, "environment variable STORYLINE_WATCH_MAX_BACKOFF")?;
        }
        if let Some(p) = env("STORYLINE_WATCH_STATUS").filter(|p| !p.trim().is_empty()) {
            cfg.watch_status = Some(PathBuf::from(p.trim()));
        }
        if let Some(db) = db_flag {
            cfg.db = db;
            cfg.db_explicit = true;
        }
        if cfg.batch_size == 0 {
            bail!("batch_size must be at least 1");
        }
        if cfg.max_record_bytes == 0 {
            bail!("max_record_mb must be at least 1");
        }
        if cfg.max_body_bytes == 0 {
            bail!("max_body_mb must be at least 1");
        }
        if cfg.max_connections == 0 {
            bail!("max_connections must be at least 1");
        }
        if cfg.header_timeout_s == 0 {
            bail!("header_timeout_s must be at least 1");
        }
        if cfg.fetch_timeout.is_zero() {
            bail!("[fetch] timeout must be more than 0");
        }
        if cfg.fetch_max_body_bytes == 0 {
            bail!("[fetch] max_body_mb must be at least 1");
        }
        if cfg.watch_interval.is_zero() {
            bail!("[watch] interval must be more than 0");
        }
        if cfg.watch_max_backoff.is_zero() {
            bail!("[watch] max_backoff must be more than 0");
        }
        if cfg.near_duplicate_horizon == 0 {
            bail!("near_duplicate_horizon must be at least 1");
        }
        if !(0.0..=1.0).contains(&cfg.near_duplicate_threshold) {
            bail!("near_duplicate_threshold must be between 0 and 1, not {}", cfg.near_duplicate_threshold);
        }
        Ok(cfg)
    }

    /// What one fetch over HTTP may take.
    pub fn fetch_limits(&self) -> crate::fetch::Limits {
        crate::fetch::Limits {
            timeout: self.fetch_timeout,
            max_body_bytes: self.fetch_max_body_bytes,
            max_redirects: self.fetch_max_redirects,
        }
    }

    /// The watcher's status file: `watch.status_file`, else beside the store with the store's
    /// name (`storyline.db` keeps it in `storyline.feeds.json`; a PostgreSQL database `news` in
    /// `news.feeds.json` in the working directory).
    pub fn watch_status_file(&self) -> PathBuf {
        match (&self.watch_status, self.postgres()) {
            (Some(p), _) => p.clone(),
            // A server's store: in the working directory, named after the database.
            (None, Some(address)) => {
                let name = address.rsplit('/').next().and_then(|n| n.split('?').next()).unwrap_or("");
                let name = if name.is_empty() { "storyline" } else { name };
                PathBuf::from(format!("{name}.feeds.json"))
            }
            (None, None) => self.db.with_extension("feeds.json"),
        }
    }

    /// The settings the store needs for an ingest.
    pub fn ingest_settings(&self) -> storyline_store::IngestSettings {
        storyline_store::IngestSettings {
            near_duplicate_threshold: self.near_duplicate_threshold,
            near_duplicate_horizon: self.near_duplicate_horizon,
            cluster: self.cluster.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_override_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(
            &file,
            "db = \"from-file.db\"\n[ingest]\nbatch_size = 50\nnear_duplicate_threshold = 0.7\n",
        )
        .unwrap();
        let env = |k: &str| (k == "STORYLINE_BATCH_SIZE").then(|| "70".to_string());
        let cfg = Config::load(Some(&file), None, &env).unwrap();
        assert_eq!(cfg.db, PathBuf::from("from-file.db"));
        assert_eq!(cfg.batch_size, 70);
        assert_eq!(cfg.near_duplicate_threshold, 0.7);
        let cfg = Config::load(Some(&file), Some("flag.db".into()), &env).unwrap();
        assert_eq!(cfg.db, PathBuf::from("flag.db"));
    }

    #[test]
    fn fetch_and_watch_settings_read_durations_and_name_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(&file, "[fetch]\ntimeout = \"5s\"\nmax_body_mb = 2\n[watch]\ninterval = \"1h30m\"\n")
            .unwrap();
        let env = |k: &str| (k == "STORYLINE_WATCH_MIN_INTERVAL").then(|| "2m".to_string());
        let cfg = Config::load(Some(&file), Some("nieuws.db".into()), &env).unwrap();
        assert_eq!(cfg.fetch_timeout, Duration::from_secs(5));
        assert_eq!(cfg.fetch_max_body_bytes, 2 * 1024 * 1024);
        assert_eq!(cfg.watch_interval, Duration::from_secs(5400));
        assert_eq!(cfg.watch_min_interval, Duration::from_secs(120));
        assert_eq!(cfg.watch_status_file(), PathBuf::from("nieuws.feeds.json"));
        std::fs::write(&file, "[watch]\ninterval = \"vaak\"\n").unwrap();
        let err = format!("{:#}", Config::load(Some(&file), None, &|_| None).unwrap_err());
        assert!(err.contains("s.toml: [watch] interval = `vaak`"), "{err}");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(&file, "[ingest]\nbatch_sise = 50\n").unwrap();
        let err = Config::load(Some(&file), None, &|_| None).unwrap_err().to_string();
        assert!(err.contains("batch_sise"), "{err}");
        let env = |k: &str| (k == "STORYLINE_BATCH_SIZE").then(|| "veel".to_string());
        let err = Config::load(None, None, &env).unwrap_err().to_string();
        assert!(err.contains("STORYLINE_BATCH_SIZE=`veel`"), "{err}");
    }

    #[test]
    fn a_clustering_model_is_read_from_the_file_or_environment_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut model = storyline_core::cluster::Model::builtin().as_ref().clone();
        model.threshold = 0.42;
        std::fs::write(dir.path().join("mine.json"), model.to_json()).unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(&file, "[models]\ncluster = \"mine.json\"\n").unwrap();
        let cfg = Config::load(Some(&file), None, &|_| None).unwrap();
        assert_eq!(cfg.cluster.model.as_ref().map(|m| m.threshold), Some(0.42));
        let path = dir.path().join("mine.json").display().to_string();
        let env = |k: &str| (k == "STORYLINE_CLUSTER_MODEL").then(|| path.clone());
        let cfg = Config::load(None, None, &env).unwrap();
        assert_eq!(cfg.cluster.model.as_ref().map(|m| m.threshold), Some(0.42));
        // A file that is not a model names itself and why.
        std::fs::write(dir.path().join("mine.json"), "{\"format\": \"other\"}").unwrap();
        let err = format!("{:#}", Config::load(Some(&file), None, &|_| None).unwrap_err());
        assert!(err.contains("mine.json") && err.contains("model"), "{err}");
    }

    #[test]
    fn the_example_file_lists_every_key_with_its_default() {
        let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../storyline.example.toml");
        let cfg = Config::load(Some(Path::new(example)), None, &|_| None).unwrap();
        let defaults = Config::default();
        assert_eq!(cfg.db, defaults.db);
        assert_eq!(cfg.batch_size, defaults.batch_size);
        assert_eq!(cfg.max_record_bytes, defaults.max_record_bytes);
        assert_eq!(cfg.near_duplicate_threshold, defaults.near_duplicate_threshold);
        assert_eq!(cfg.near_duplicate_horizon, defaults.near_duplicate_horizon);
        assert_eq!(cfg.cluster, defaults.cluster);
        assert_eq!(cfg.serve_addr, defaults.serve_addr);
        assert_eq!(cfg.max_body_bytes, defaults.max_body_bytes);
        assert_eq!(cfg.max_connections, defaults.max_connections);
        assert_eq!(cfg.header_timeout_s, defaults.header_timeout_s);
        assert_eq!(cfg.fetch_limits(), crate::fetch::Limits::default());
        assert_eq!(cfg.watch_interval, defaults.watch_interval);
        assert_eq!(cfg.watch_min_interval, defaults.watch_min_interval);
        assert_eq!(cfg.watch_max_backoff, defaults.watch_max_backoff);
        assert_eq!(cfg.watch_status, defaults.watch_status);
        assert_eq!(cfg.watch_status_file(), PathBuf::from("storyline.feeds.json"));
        let pg = Config::load(
            None,
            Some("postgres://desk:geheim@db.example/news?sslmode=disable".into()),
            &|_: &str| None,
        )
        .unwrap();
        assert_eq!(pg.watch_status_file(), PathBuf::from("news.feeds.json"));
        assert_eq!(pg.store_name(), "postgres://desk:***@db.example/news?sslmode=disable");
        let limits = storyline_server::Limits::default();
        assert_eq!(cfg.max_connections, limits.max_connections);
        assert_eq!(std::time::Duration::from_secs(cfg.header_timeout_s), limits.header_timeout);
    }
}
