//! The feeds page: every source the watcher follows (feeds and pages over HTTP, folders) with
//! its last visit — when, the HTTP status, what it stored, the error — and its next.

use std::fmt::Write;

use storyline_store::watch::{Outcome, SourceKind, SourceStatus, WatchStatus};

use super::layout::{page, Section};
use super::{escape, external_link, plural, push_outlet_tag, time_tag};

/// What the feeds page shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeedsView<'a> {
    /// The watch list this server follows itself (`serve --watch`), by name.
    pub watching: Option<&'a str>,
    /// The watch list named in the status file, by name.
    pub list: Option<&'a str>,
    /// The status file's content, when there is one.
    pub status: Option<&'a WatchStatus>,
}

/// The interval of a source for people: `15 min`, `2 h`, `90 s`.
fn every(seconds: u64) -> String {
    match seconds {
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// The result badge and what the visit did.
fn result_cell(s: &SourceStatus) -> String {
    let http = s.http_status.map(|c| format!("HTTP {c}")).unwrap_or_default();
    let (class, label) = match s.result {
        Outcome::Pending => ("pending", "pending".to_string()),
        Outcome::Ok => ("ok", if http.is_empty() { "ok".into() } else { http.clone() }),
        Outcome::NotModified => {
            ("unchanged", if http.is_empty() { "unchanged".into() } else { http.clone() })
        }
        Outcome::Partial => {
            ("partial", if http.is_empty() { "partial".into() } else { format!("{http} partial") })
        }
        Outcome::Error => ("failing", if http.is_empty() { "error".into() } else { http.clone() }),
    };
    let mut out = format!("<span class=\"badge feed-{class}\">{}</span>", escape(&label));
    let what = match s.result {
        Outcome::Pending => "not visited yet".to_string(),
        Outcome::NotModified if s.kind == SourceKind::Folder => "no new or changed files".to_string(),
        Outcome::NotModified => "not modified".to_string(),
        Outcome::Error => {
            format!("{} in a row", plural(u64::from(s.failures), "failed visit", "failed visits"))
        }
        _ => {
            format!(
                "{} new, {}, {} revised",
                s.new,
                plural(s.duplicates, "duplicate", "duplicates"),
                s.revised
            ) + &if s.failed > 0 { format!(", {} failed", s.failed) } else { String::new() }
        }
    };
    let _ = write!(out, " <span class=\"muted\">{}</span>", escape(&what));
    if let Some(e) = &s.error {
        let _ = write!(out, "<p class=\"feed-error\">{}</p>", escape(e));
    }
    out
}

/// The feeds page.
pub fn feeds_page(view: &FeedsView<'_>) -> String {
    let mut body = String::from("<h1>Feeds</h1>\n");
    let sources: Vec<&SourceStatus> =
        view.status.map(|s| s.sources.iter().map(|e| &e.status).collect()).unwrap_or_default();
    let code = |s: &str| format!("<code>{}</code>", escape(s));
    let lead = match (view.watching, view.status) {
        (Some(list), _) => format!(
            "This server follows the sources of {}: each is visited when due, and what is new is stored.",
            code(list)
        ),
        (None, Some(status)) => format!(
            "No watch list runs in this server. These are the statuses <code>storyline watch</code> last wrote for {}{}.",
            code(view.list.unwrap_or("its watch list")),
            status.updated.as_ref().map(|t| format!(", at {}", time_tag(Some(t)))).unwrap_or_default()
        ),
        (None, None) => "No watch list is running. <code>storyline serve --watch LIST</code> (or <code>storyline watch LIST</code> beside the server) follows feeds, pages and folders, one a line, and their statuses appear here.".to_string(),
    };
    let _ = writeln!(body, "<p class=\"lead\">{lead}</p>");
    if view.status.is_some() && sources.is_empty() {
        body.push_str("<p class=\"empty\">The watch list has no sources yet.</p>\n");
    }
    if !sources.is_empty() {
        let failing = sources.iter().filter(|s| s.is_failing()).count() as u64;
        let _ = writeln!(
            body,
            "<p class=\"muted count\">{}, {} failing.</p>",
            plural(sources.len() as u64, "source", "sources"),
            failing
        );
        body.push_str("<div class=\"table-wrap\"><table class=\"feeds cards\"><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Last visit</th><th scope=\"col\">Result</th><th scope=\"col\" class=\"num\">New in all</th><th scope=\"col\">Next visit</th></tr></thead><tbody>\n");
        for s in &sources {
            let row_class = if s.is_failing() { " class=\"failing\"" } else { "" };
            let mut source = match s.kind {
                SourceKind::Folder => format!("<code>{}</code>", escape(&s.source)),
                _ => external_link(&s.source),
            };
            let mut about = vec![escape(s.kind.name()), format!("every {}", every(s.interval_s))];
            if s.files_seen > 0 {
                about.push(plural(s.files_seen, "file", "files"));
            }
            let _ = write!(source, "<br><small class=\"muted\">{}</small>", about.join(" · "));
            if s.outlet.is_some() {
                source.push(' ');
                push_outlet_tag(&mut source, s.outlet.as_deref());
            }
            let _ = writeln!(
                body,
                "<tr{row_class}><th scope=\"row\" data-label=\"Source\">{source}</th><td data-label=\"Last visit\">{}</td><td data-label=\"Result\">{}</td><td class=\"num\" data-label=\"New in all\">{}</td><td data-label=\"Next visit\">{}</td></tr>",
                s.last_fetch.as_ref().map_or_else(|| "<span class=\"muted\">never</span>".to_string(), |t| time_tag(Some(t))),
                result_cell(s),
                s.total_new,
                s.next_due.as_ref().map_or_else(|| "<span class=\"muted\">—</span>".to_string(), |t| time_tag(Some(t))),
            );
        }
        body.push_str("</tbody></table></div>\n");
        body.push_str(
            "<p class=\"muted\">The same statuses as JSON: <a href=\"/api/feeds\">/api/feeds</a>.</p>\n",
        );
    }
    page("Feeds", Section::Feeds, "", &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testutil::assert_safe_page;
    use storyline_core::Published;
    use storyline_store::watch::SourceEntry;

    fn entry(source: &str, kind: SourceKind, result: Outcome) -> SourceEntry {
        let mut e = SourceEntry::default();
        e.status.source = source.into();
        e.status.kind = kind;
        e.status.result = result;
        e.status.interval_s = 900;
        e.status.last_fetch = Published::parse("2025-10-09T11:42:00Z").ok();
        e.status.next_due = Published::parse("2025-10-09T11:57:00Z").ok();
        e
    }

    #[test]
    fn every_source_shows_its_last_visit_result_and_error() {
        let mut ok = entry("https://nieuws.example/feed.xml", SourceKind::Feed, Outcome::Ok);
        ok.status.http_status = Some(200);
        ok.status.new = 2;
        ok.status.total_new = 7;
        ok.status.outlet = Some("De Dagkoerier".into());
        let mut bad = entry("https://nieuws.example/<kapot>.xml", SourceKind::Feed, Outcome::Error);
        bad.status.http_status = Some(500);
        bad.status.failures = 3;
        bad.status.error = Some("HTTP 500 Internal Server Error <script>".into());
        let folder = entry("binnen/", SourceKind::Folder, Outcome::NotModified);
        let status = WatchStatus { sources: vec![ok, bad, folder], ..WatchStatus::default() };
        let html = feeds_page(&FeedsView {
            watching: Some("bronnen.txt"),
            list: Some("bronnen.txt"),
            status: Some(&status),
        });
        assert_safe_page(&html);
        assert!(html.contains("follows the sources of <code>bronnen.txt</code>"), "{html}");
        assert!(html.contains("<span class=\"badge feed-ok\">HTTP 200</span> <span class=\"muted\">2 new, 0 duplicates, 0 revised</span>"), "{html}");
        assert!(html.contains("<tr class=\"failing\">"));
        assert!(html.contains("<p class=\"feed-error\">HTTP 500 Internal Server Error &lt;script&gt;</p>"));
        assert!(html.contains("3 failed visits in a row"));
        assert!(html.contains("no new or changed files"));
        assert!(html.contains("3 sources, 1 failing."));
        assert!(html.contains("<time datetime=\"2025-10-09T11:57:00Z\">"));
        assert!(html.contains("<a href=\"/feeds\" aria-current=\"page\">Feeds</a>"));
    }

    #[test]
    fn without_a_watcher_the_page_says_so() {
        let html = feeds_page(&FeedsView::default());
        assert_safe_page(&html);
        assert!(html.contains("No watch list is running."));
        let status = WatchStatus::default();
        let html = feeds_page(&FeedsView { watching: None, list: Some("w.txt"), status: Some(&status) });
        assert!(html.contains("No watch list runs in this server."), "{html}");
        assert!(html.contains("The watch list has no sources yet."));
    }
}
