//! `storyline feeds`: the status of every source the watcher follows, as its status file
//! holds it: the last visit (when, the HTTP status, what it stored, the error) and the next.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;
use storyline_store::watch::{self, Outcome, SourceStatus};

use crate::clock;
use storyline_core::watchlist::format_duration;

/// Prints the statuses in `path` (text, or `--json`).
pub fn run(path: &Path, as_json: bool) -> Result<ExitCode> {
    let status = watch::load(path)?;
    let sources: Vec<&SourceStatus> =
        status.as_ref().map(|s| s.sources.iter().map(|e| &e.status).collect()).unwrap_or_default();
    if as_json {
        let out = json!({
            "status_file": path.display().to_string(),
            "list": status.as_ref().and_then(|s| s.list.clone()),
            "updated": status.as_ref().and_then(|s| s.updated),
            "sources": sources,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(status) = status.as_ref() else {
        println!(
            "no feeds followed yet: {} does not exist (`storyline watch LIST` or `storyline serve --watch LIST` writes it)",
            path.display()
        );
        return Ok(ExitCode::SUCCESS);
    };
    println!(
        "{} source{} from {}; status written {} ({})",
        sources.len(),
        if sources.len() == 1 { "" } else { "s" },
        status.list.as_deref().unwrap_or("a watch list"),
        status.updated.map_or_else(|| "never".to_string(), clock::short),
        path.display()
    );
    for s in &sources {
        println!();
        print!("{}", text(s));
    }
    let failing = sources.iter().filter(|s| s.is_failing()).count();
    if !sources.is_empty() {
        println!();
        println!("{} answering, {failing} failing", sources.len() - failing);
    }
    Ok(ExitCode::SUCCESS)
}

/// One source as a few lines of text.
fn text(s: &SourceStatus) -> String {
    let mut about = vec![s.kind.name().to_string()];
    if let Some(o) = &s.outlet {
        about.push(o.clone());
    }
    about.push(format!("every {}", format_duration(std::time::Duration::from_secs(s.interval_s))));
    let mut out = format!("{}  ({})\n", s.source, about.join(", "));
    let Some(at) = s.last_fetch else {
        out.push_str("  not visited yet\n");
        return out;
    };
    let http = s.http_status.map(|c| format!("HTTP {c}: ")).unwrap_or_default();
    let counts = format!("{} new, {} duplicates, {} revised", s.new, s.duplicates, s.revised);
    let result = match s.result {
        Outcome::Pending => "not visited yet".to_string(),
        Outcome::Ok => format!("{http}{counts}"),
        Outcome::NotModified if s.http_status.is_some() => "not modified (HTTP 304)".to_string(),
        Outcome::NotModified => "no new or changed files".to_string(),
        Outcome::Partial => format!("{http}{counts}, {} failed", s.failed),
        Outcome::Error => format!(
            "failed ({} visit{} in a row{})",
            s.failures,
            if s.failures == 1 { "" } else { "s" },
            s.last_success.map(|t| format!("; last success {}", clock::short(t))).unwrap_or_default()
        ),
    };
    out.push_str(&format!("  last visit {}: {result}\n", clock::short(at)));
    if let Some(e) = &s.error {
        out.push_str(&format!("  error: {e}\n"));
    }
    if s.files_seen > 0 {
        out.push_str(&format!("  {} file{} seen\n", s.files_seen, if s.files_seen == 1 { "" } else { "s" }));
    }
    out.push_str(&format!("  {} new in all", s.total_new));
    if let Some(due) = s.next_due {
        out.push_str(&format!("; next visit {}", clock::short(due)));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_core::Published;

    #[test]
    fn a_failing_source_shows_its_error_and_next_visit() {
        let s = SourceStatus {
            source: "https://nieuws.example/kapot.xml".into(),
            outlet: Some("De Dagkoerier".into()),
            interval_s: 900,
            last_fetch: Published::parse("2025-10-09T11:42:00Z").ok(),
            result: Outcome::Error,
            http_status: Some(500),
            error: Some("HTTP 500 Internal Server Error".into()),
            failures: 2,
            next_due: Published::parse("2025-10-09T12:42:00Z").ok(),
            ..SourceStatus::default()
        };
        let t = text(&s);
        assert!(t.starts_with("https://nieuws.example/kapot.xml  (feed, De Dagkoerier, every 15m)\n"), "{t}");
        assert!(t.contains("  last visit 2025-10-09 11:42: failed (2 visits in a row)\n"), "{t}");
        assert!(t.contains("  error: HTTP 500 Internal Server Error\n"), "{t}");
        assert!(t.contains("next visit 2025-10-09 12:42"), "{t}");
    }
}
