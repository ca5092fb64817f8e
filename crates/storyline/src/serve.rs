//! `storyline serve`: the JSON API and the web interface over a store, until Ctrl-C or SIGTERM;
//! with `--watch LIST`, the watcher follows the list's sources on a thread of its own beside
//! the server (never on the server's async workers) and stops with it.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use storyline_server::{AppState, Feeds, Limits};
use storyline_store::Store;

use crate::config::Config;
use crate::UsageError;

/// What to do when the address is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// Say so and exit with status 2.
    Fail,
    /// Take any free port on the same interface instead (the demo, when no address was given).
    AnyPort,
}

/// The server's state for a store under these settings; the write token comes from the
/// `STORYLINE_TOKEN` environment variable only.
pub fn state(store: Arc<dyn Store>, cfg: &Config) -> AppState {
    let token = std::env::var("STORYLINE_TOKEN").ok().filter(|t| !t.trim().is_empty());
    AppState {
        store,
        token,
        ingest: cfg.ingest_settings(),
        limits: Limits {
            max_body_bytes: cfg.max_body_bytes,
            max_record_bytes: cfg.max_record_bytes,
            batch_size: cfg.batch_size,
            max_connections: cfg.max_connections,
            header_timeout: std::time::Duration::from_secs(cfg.header_timeout_s),
            ..Limits::default()
        },
        dossiers: Arc::default(),
        feeds: Feeds { status_file: Some(cfg.watch_status_file()), watching: None },
    }
}

/// Logs to standard error: one line per request (method, path, status, duration) unless quiet.
pub fn init_logging(quiet: bool) {
    let level = if quiet { tracing::Level::WARN } else { tracing::Level::INFO };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

fn parse_addr(addr: &str) -> Result<SocketAddr> {
    addr.parse::<SocketAddr>().map_err(|e| {
        UsageError(format!("--addr `{addr}` is not an address with a port, like 127.0.0.1:8080: {e}")).into()
    })
}

/// The watcher of `serve --watch`, running on its own thread.
struct WatchThread {
    stop: crate::watch::Stop,
    done: std::sync::mpsc::Receiver<()>,
}

impl WatchThread {
    /// Reads the list and starts following it; a list that does not read is an error here,
    /// before the server starts.
    fn start(store: Arc<dyn Store>, cfg: &Config, list: &Path) -> Result<WatchThread> {
        use crate::watch::{visit_line, Event, Settings, Stop, Watcher};
        let stop = Stop::default();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<()>>();
        let (done_tx, done) = std::sync::mpsc::channel();
        let (cfg, settings, thread_stop) =
            (cfg.clone(), Settings::new(cfg, list.to_path_buf()), stop.clone());
        std::thread::Builder::new()
            .name("storyline-watch".into())
            .spawn(move || {
                let mut log = |e: Event<'_>| match e {
                    Event::Visited(s, failures) => {
                        if s.is_failing() || !failures.is_empty() {
                            tracing::warn!("watch: {}", visit_line(s));
                        } else {
                            tracing::info!("watch: {}", visit_line(s));
                        }
                    }
                    Event::Note(m) => tracing::warn!("watch: {m}"),
                };
                let mut watcher = match Watcher::new(store.as_ref(), &cfg, settings, &mut log) {
                    Ok(w) => w,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                watcher.run(&thread_stop, &mut log);
                let _ = done_tx.send(());
            })
            .context("cannot start the watcher's thread")?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(WatchThread { stop, done }),
            Ok(Err(e)) => Err(crate::watch_usage_error(e)),
            Err(_) => Err(anyhow::anyhow!("the watcher stopped before it started")),
        }
    }

    /// Stops the watcher after the visit in progress, waiting for it at most `grace`.
    fn stop(self, grace: Duration) {
        self.stop.stop();
        if self.done.recv_timeout(grace).is_err() {
            tracing::warn!(
                "the watcher's visit in progress did not end within {}s; stopping anyway (the store and the status file stay whole)",
                grace.as_secs()
            );
        }
    }
}

/// Serves `store` at `addr` until a shutdown signal; `announce` gets the URL once listening.
/// With `watch`, the watcher follows that list meanwhile.
pub fn serve(
    store: Arc<dyn Store>,
    cfg: &Config,
    addr: &str,
    busy: Busy,
    watch: Option<&Path>,
    announce: impl FnOnce(&str, bool),
) -> Result<ExitCode> {
    let wanted = parse_addr(addr)?;
    // The last reference to the store is dropped here, after the runtime: a store whose client
    // runs its own runtime (PostgreSQL) must not be dropped on one of the server's threads.
    let keep = Arc::clone(&store);
    let mut state = state(store.clone(), cfg);
    let writes = state.token.is_some();
    if let Some(list) = watch {
        // A list that does not read stops here, before anything listens.
        storyline_core::watchlist::read(list).map_err(|e| UsageError(e.to_string()))?;
        state.feeds.watching =
            Some(list.file_name().unwrap_or(list.as_os_str()).to_string_lossy().into_owned());
    }
    let mut watcher: Option<WatchThread> = None;
    let watcher_slot = &mut watcher;
    // A visit in progress gets as long as a fetch may take, and a little more, to end.
    let grace = cfg.fetch_timeout + Duration::from_secs(5);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let served = runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(wanted).await {
            Ok(l) => l,
            Err(e) if e.kind() == ErrorKind::AddrInUse && busy == Busy::AnyPort => {
                let any = SocketAddr::new(wanted.ip(), 0);
                eprintln!("storyline: {wanted} is in use; serving on a free port instead");
                tokio::net::TcpListener::bind(any).await.with_context(|| format!("cannot listen on {any}"))?
            }
            Err(e) if e.kind() == ErrorKind::AddrInUse => {
                return Err(UsageError(format!(
                    "{wanted} is already in use; pick another address with --addr (port 0 takes any free port)"
                ))
                .into());
            }
            Err(e) => return Err(anyhow::Error::new(e).context(format!("cannot listen on {wanted}"))),
        };
        let local = listener.local_addr().context("cannot read the listening address")?;
        let url = format!("http://{local}/");
        if let Some(list) = watch {
            *watcher_slot = Some(WatchThread::start(store, cfg, list)?);
        }
        announce(&url, writes);
        storyline_server::serve(listener, state, storyline_server::shutdown_signal())
            .await
            .context("the server failed")?;
        Ok(ExitCode::SUCCESS)
    });
    if let Some(w) = watcher {
        w.stop(grace);
    }
    drop(runtime);
    drop(keep);
    served
}

/// `storyline serve`.
pub fn run(
    store: Arc<dyn Store>,
    cfg: &Config,
    addr: Option<&str>,
    watch: Option<&Path>,
    quiet: bool,
) -> Result<ExitCode> {
    init_logging(quiet);
    let addr = addr.unwrap_or(&cfg.serve_addr).to_string();
    let db = cfg.store_name();
    let status = cfg.watch_status_file();
    serve(store, cfg, &addr, Busy::Fail, watch, |url, writes| {
        let mut text = format!("storyline is serving {db} at {url}\n");
        if let Some(list) = watch {
            text.push_str(&format!(
                "Following the sources of {} ({url}feeds shows them; status in {}).\n",
                list.display(),
                status.display()
            ));
        }
        if writes {
            text.push_str(&format!(
                "POST {url}api/ingest accepts writes with the bearer token from STORYLINE_TOKEN.\n"
            ));
        } else {
            text.push_str("Read-only: set STORYLINE_TOKEN to accept POST /api/ingest. Ctrl-C stops.\n");
        }
        // A closed standard output (a reader that went away) must not stop the server.
        let mut out = std::io::stdout().lock();
        let _ = std::io::Write::write_all(&mut out, text.as_bytes())
            .and_then(|()| std::io::Write::flush(&mut out));
    })
}
