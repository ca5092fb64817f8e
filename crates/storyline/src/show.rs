//! Output for people (aligned text) and for machines (`--json`).

use std::io::{self, Write};

use anyhow::Result;

use storyline_store::{ArticleRecord, ArticleSummary, SearchResults, StorySummary};

use crate::pipeline::Report;
use crate::progress::group;

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Cuts `s` to at most `max` characters, marking the cut with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The summary of an ingest.
pub fn ingest_report(r: &Report, as_json: bool) -> Result<()> {
    if as_json {
        return json(r);
    }
    let mut line =
        format!("ingested {} article{}", group(r.ingested), if r.ingested == 1 { "" } else { "s" });
    if r.near_duplicates > 0 {
        line.push_str(&format!(" ({} linked as near-duplicates)", group(r.near_duplicates)));
    }
    line.push_str(&format!(
        ", {} duplicate{}",
        group(r.duplicates),
        if r.duplicates == 1 { "" } else { "s" }
    ));
    if r.sightings_added > 0 {
        line.push_str(&format!(" ({} from another outlet, recorded)", group(r.sightings_added)));
    }
    line.push_str(&format!(", {} revised", group(r.revised)));
    line.push_str(&format!(", {} failed", group(r.failed)));
    line.push_str(&format!(
        " — {} file{} in {:.2}s ({} articles/s)",
        group(r.files),
        if r.files == 1 { "" } else { "s" },
        r.elapsed_s,
        group(r.articles_per_s as u64)
    ));
    println!("{line}");
    Ok(())
}

/// A table of articles.
/// `text` with the character ranges `marks` put in square brackets.
fn marked(text: &str, marks: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + marks.len() * 2);
    for (i, c) in text.chars().enumerate() {
        if marks.iter().any(|&(s, _)| s == i) {
            out.push('[');
        }
        out.push(c);
        if marks.iter().any(|&(_, e)| e == i + 1) {
            out.push(']');
        }
    }
    out
}

/// Prints search hits: rank, id, date, outlet, story and title, then the snippet with the
/// matched words in brackets; `offset` is where the page starts.
pub fn search_results(found: &SearchResults, offset: usize, as_json: bool) -> Result<()> {
    if as_json {
        return json(found);
    }
    let mut out = io::stdout().lock();
    if found.hits.is_empty() {
        writeln!(out, "no articles match")?;
        return Ok(());
    }
    let total = if found.total >= storyline_store::search::MAX_COUNTED {
        format!("{}+", found.total)
    } else {
        found.total.to_string()
    };
    let matches = if found.total == 1 { "article matches" } else { "articles match" };
    writeln!(out, "{total} {matches}; {}–{}:", offset + 1, offset + found.hits.len())?;
    for (i, h) in found.hits.iter().enumerate() {
        let published = h.published.map(crate::clock::short).unwrap_or_else(|| "undated".into());
        let story = h.story.map(|s| format!("story {s}")).unwrap_or_else(|| "no story".into());
        writeln!(
            out,
            "\n{:>3}. {}  ({}, {}, {}, `{}`)",
            offset + i + 1,
            marked(&h.title, &h.title_highlights),
            h.source.as_deref().unwrap_or("-"),
            published,
            story,
            h.id
        )?;
        writeln!(out, "     {}", marked(&h.snippet, &h.snippet_highlights))?;
    }
    Ok(())
}

pub fn article_list(list: &[ArticleSummary], as_json: bool) -> Result<()> {
    if as_json {
        return json(list);
    }
    let mut out = io::stdout().lock();
    if list.is_empty() {
        writeln!(out, "no articles match")?;
        return Ok(());
    }
    let id_w = list.iter().map(|a| a.id.chars().count()).max().unwrap_or(2).clamp(2, 40);
    let src_w = list
        .iter()
        .map(|a| a.source.as_deref().unwrap_or("-").chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 20);
    writeln!(out, "{:<id_w$}  {:<16}  {:<src_w$}  {:<4}  TITLE", "ID", "PUBLISHED", "SOURCE", "LANG")?;
    for a in list {
        let published = a.published.map(crate::clock::short).unwrap_or_else(|| "-".into());
        let mut title = clip(&a.title, 70);
        if a.near_duplicate_of.is_some() {
            title.push_str("  [copy]");
        }
        writeln!(
            out,
            "{:<id_w$}  {:<16}  {:<src_w$}  {:<4}  {}",
            a.id,
            published,
            clip(a.source.as_deref().unwrap_or("-"), src_w),
            a.language,
            title
        )?;
    }
    Ok(())
}

/// A table of stories.
pub fn story_list(list: &[StorySummary], as_json: bool) -> Result<()> {
    if as_json {
        return json(list);
    }
    let mut out = io::stdout().lock();
    if list.is_empty() {
        writeln!(out, "no stories match")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:>8}  {:>4}  {:<16}  {:<16}  {:<6}  TITLE / OUTLETS",
        "STORY", "N", "FIRST", "LAST", "LANG"
    )?;
    for s in list {
        let first = s.first_published.map(crate::clock::short).unwrap_or_else(|| "-".into());
        let last = s.last_published.map(crate::clock::short).unwrap_or_else(|| "-".into());
        let mut title = clip(&s.title, 70);
        if s.discrepancies {
            // Its dossier (`storyline story ID`) lists figures that disagree.
            title.push_str("  [discrepancies]");
        }
        writeln!(
            out,
            "{:>8}  {:>4}  {:<16}  {:<16}  {:<6}  {}",
            s.id,
            s.articles,
            first,
            last,
            s.languages.join(","),
            title
        )?;
        if !s.sources.is_empty() {
            writeln!(
                out,
                "{:>8}  {:>4}  {:<16}  {:<16}  {:<6}  {}",
                "",
                "",
                "",
                "",
                "",
                clip(&s.sources.join(" · "), 70)
            )?;
        }
    }
    Ok(())
}

/// Everything about one article.
pub fn article(r: &ArticleRecord, as_json: bool) -> Result<()> {
    if as_json {
        return json(r);
    }
    let a = &r.article;
    let mut out = io::stdout().lock();
    writeln!(out, "{}", a.title)?;
    writeln!(out, "{}", "=".repeat(a.title.chars().count().min(100)))?;
    writeln!(out, "id         {}", a.id)?;
    writeln!(out, "source     {}", a.source.as_deref().unwrap_or("-"))?;
    if let Some(p) = a.published {
        writeln!(out, "published  {} ({} precision)", crate::clock::label(Some(p)), p.precision.as_str())?;
    } else {
        writeln!(out, "published  -")?;
    }
    writeln!(
        out,
        "language   {} ({}, confidence {:.2})",
        a.language.code,
        if a.language.declared { "declared" } else { "detected" },
        a.language.confidence
    )?;
    if let Some(author) = &a.author {
        writeln!(out, "author     {author}")?;
    }
    if let Some(url) = &a.url {
        writeln!(out, "url        {url}")?;
    }
    if let Some(origin) = &a.origin {
        writeln!(out, "read from  {origin}")?;
    }
    if let Some(nd) = &a.near_duplicate_of {
        writeln!(out, "copy of    {} (similarity {:.2})", nd.of, nd.similarity)?;
    }
    for s in &r.sightings {
        writeln!(
            out,
            "also ran   {} {} {}",
            s.source.as_deref().unwrap_or("-"),
            s.published.map(|p| crate::clock::label(Some(p))).unwrap_or_default(),
            s.url.as_deref().unwrap_or("")
        )?;
    }
    for c in &r.near_duplicates {
        writeln!(
            out,
            "copied by  {} {} (similarity {:.2})",
            c.id,
            c.source.as_deref().unwrap_or("-"),
            c.similarity
        )?;
    }
    if r.version > 1 {
        writeln!(out, "version    {} of {} (revised by its outlet)", r.version, r.versions.len())?;
        for v in &r.versions {
            let date = crate::clock::label(v.published);
            writeln!(out, "  v{:<3}     {date}  {}", v.version, clip(&v.title, 90))?;
            for c in &v.changes {
                writeln!(out, "           {}", clip(&c.to_string(), 110))?;
            }
        }
    }
    for (k, v) in &a.metadata {
        writeln!(out, "meta       {k}: {v}")?;
    }
    for (k, v) in &a.extra {
        writeln!(out, "field      {k}: {v}")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", a.text)?;
    Ok(())
}
