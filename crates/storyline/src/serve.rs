//! `storyline serve`: the JSON API and the web interface over a store, until Ctrl-C or SIGTERM.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use storyline_server::{AppState, Limits};
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

/// Serves `store` at `addr` until a shutdown signal; `announce` gets the URL once listening.
pub fn serve(
    store: Arc<dyn Store>,
    cfg: &Config,
    addr: &str,
    busy: Busy,
    announce: impl FnOnce(&str, bool),
) -> Result<ExitCode> {
    let wanted = parse_addr(addr)?;
    // The last reference to the store is dropped here, after the runtime: a store whose client
    // runs its own runtime (PostgreSQL) must not be dropped on one of the server's threads.
    let keep = Arc::clone(&store);
    let state = state(store, cfg);
    let writes = state.token.is_some();
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
        announce(&url, writes);
        storyline_server::serve(listener, state, storyline_server::shutdown_signal())
            .await
            .context("the server failed")?;
        Ok(ExitCode::SUCCESS)
    });
    drop(runtime);
    drop(keep);
    served
}

/// `storyline serve`.
pub fn run(store: Arc<dyn Store>, cfg: &Config, addr: Option<&str>, quiet: bool) -> Result<ExitCode> {
    init_logging(quiet);
    let addr = addr.unwrap_or(&cfg.serve_addr).to_string();
    let db = cfg.store_name();
    serve(store, cfg, &addr, Busy::Fail, |url, writes| {
        println!("storyline is serving {db} at {url}");
        if writes {
            println!("POST {url}api/ingest accepts writes with the bearer token from STORYLINE_TOKEN.");
        } else {
            println!("Read-only: set STORYLINE_TOKEN to accept POST /api/ingest. Ctrl-C stops.");
        }
    })
}
