//! Atom feeds (RFC 4287): one per story, so a reader is told when a story moves, and one per
//! search, so a reader is told when a new article matches.

use std::fmt::Write;

use storyline_core::dossier::{Dossier, Report};
use storyline_store::SearchResults;

use super::escape;

/// A report's time for a feed: its publication time, or `fallback` (the feed's own time) when
/// it is undated, in RFC 3339 as Atom asks.
fn stamp(report_time: Option<storyline_core::Published>, fallback: &str) -> String {
    report_time.map_or_else(|| fallback.to_owned(), |p| rfc3339(p.unix))
}

/// Seconds since the epoch as an RFC 3339 UTC time.
fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = storyline_core::date::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

/// One entry: id, title, times, links and a summary line.
fn entry(out: &mut String, id: &str, title: &str, updated: &str, links: &[(&str, &str)], summary: &str) {
    let _ = writeln!(out, "  <entry>\n    <id>{}</id>\n    <title>{}</title>", escape(id), escape(title));
    let _ = writeln!(out, "    <updated>{updated}</updated>");
    for (rel, href) in links {
        let _ = writeln!(out, "    <link rel=\"{rel}\" href=\"{}\"/>", escape(href));
    }
    if !summary.is_empty() {
        let _ = writeln!(out, "    <summary>{}</summary>", escape(summary));
    }
    let _ = writeln!(out, "  </entry>");
}

/// The feed's head: id, title, time, links to itself and to its page.
fn head(out: &mut String, id: &str, title: &str, updated: &str, own: &str, page: &str) {
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let _ = writeln!(out, "<feed xmlns=\"http://www.w3.org/2005/Atom\">");
    let _ = writeln!(out, "  <id>{}</id>\n  <title>{}</title>", escape(id), escape(title));
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(out, "  <link rel=\"self\" href=\"{}\"/>", escape(own));
    let _ = writeln!(out, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", escape(page));
    let _ = writeln!(out, "  <generator>storyline</generator>");
}

/// What a report brings, in one line, for its entry's summary.
fn report_summary(r: &Report) -> String {
    let mut parts = vec![format!("{} ({})", r.source.as_deref().unwrap_or("unknown outlet"), r.role.label())];
    if let Some(rev) = &r.revision {
        parts.push(format!("revised: {}", rev.describe()));
    }
    let figures: Vec<&str> = r.adds.figures.iter().map(String::as_str).take(6).collect();
    if !figures.is_empty() {
        parts.push(format!("adds figures: {}", figures.join(", ")));
    }
    let people: Vec<&str> = r.adds.people.iter().map(String::as_str).take(6).collect();
    if !people.is_empty() {
        parts.push(format!("adds people: {}", people.join(", ")));
    }
    parts.join(" · ")
}

/// The Atom feed of a story at `base` (`http://host:port`): one entry per report, newest first,
/// linking to the report's own address and to its page here; the feed's time is its newest
/// report's, so a reader sees the story move when a report joins it.
pub fn story_feed(d: &Dossier, base: &str) -> String {
    let page = format!("{base}{}", super::story_href(d.id));
    let newest = d.articles.iter().filter_map(|r| r.published).map(|p| p.unix).max();
    let updated = newest.map_or_else(|| rfc3339(0), rfc3339);
    let mut out = String::new();
    head(&mut out, &page, &d.title, &updated, &format!("{page}/feed.atom"), &page);
    let mut reports: Vec<&Report> = d.articles.iter().collect();
    reports.sort_by_key(|r| std::cmp::Reverse(r.published.map(|p| p.unix)));
    for r in reports {
        let here = format!("{base}{}", super::article_href(&r.id));
        let mut links = vec![("alternate", r.url.as_deref().unwrap_or(here.as_str()))];
        if r.url.is_some() {
            links.push(("related", here.as_str()));
        }
        entry(&mut out, &here, &r.title, &stamp(r.published, &updated), &links, &report_summary(r));
    }
    out.push_str("</feed>\n");
    out
}

/// The Atom feed of a search at `base`: one entry per hit of the first page, best first;
/// `query` is the request's query string (it names the feed).
pub fn search_feed(q: &str, query: &str, results: &SearchResults, base: &str) -> String {
    let page = format!("{base}/search?{query}");
    let newest = results.hits.iter().filter_map(|h| h.published).map(|p| p.unix).max();
    let updated = newest.map_or_else(|| rfc3339(0), rfc3339);
    let mut out = String::new();
    head(
        &mut out,
        &page,
        &format!("Search: {q}"),
        &updated,
        &format!("{base}/search/feed.atom?{query}"),
        &page,
    );
    for h in &results.hits {
        let here = format!("{base}{}", super::article_href(&h.id));
        let story = h.story.map(|s| format!("{base}{}", super::story_href(s)));
        let mut links = vec![("alternate", here.as_str())];
        if let Some(story) = &story {
            links.push(("related", story.as_str()));
        }
        entry(&mut out, &here, &h.title, &stamp(h.published, &updated), &links, &h.snippet);
    }
    out.push_str("</feed>\n");
    out
}
