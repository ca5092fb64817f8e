//! `storyline story` and `storyline compare`: a story's dossier, or two articles side by side,
//! as readable text, Markdown (every report and quote linked to its article's address), JSON,
//! or the figures as CSV.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use storyline_core::analyze::Analysis;
use storyline_core::dossier::{
    self, Adds, Carrier, Comparison, Contradiction, Discrepancy, DiscrepancyKind, Dossier, Figure, Input,
    QuoteEntry, Report,
};
use storyline_core::ingest::prepare::prepare_with_signature;
use storyline_core::ingest::{read_stream, PrepareOptions, DEFAULT_MAX_RECORD_BYTES};
use storyline_core::model::{Article, Locator};
use storyline_store::dossier::story_dossier;
use storyline_store::{ClusterSettings, Store};

use crate::show::clip;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Aligned text for a terminal.
    Text,
    /// Markdown, for a report or an issue tracker.
    Markdown,
    /// One JSON object.
    Json,
    /// The figures as CSV: one row per value, with its disagreement, outlet, date, sentence and
    /// address.
    Csv,
}

fn print(s: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Prints the dossier of story `id` (a number from `storyline stories`).
pub fn story(store: &dyn Store, id: &str, style: Style) -> Result<ExitCode> {
    let Ok(n) = id.trim().parse::<i64>() else {
        eprintln!("error: `{id}` is not a story number (see `storyline stories`)");
        return Ok(ExitCode::from(2));
    };
    let n = match store.resolve_story(n)? {
        Some(into) if into != n => {
            eprintln!("note: story {n} was merged into story {into}");
            into
        }
        _ => n,
    };
    let Some(d) = story_dossier(store, n)? else {
        eprintln!("error: no story {n} in the store (see `storyline stories`)");
        return Ok(ExitCode::from(2));
    };
    let history = match style {
        Style::Text | Style::Markdown => {
            store.corrections(&storyline_store::corrections::CorrectionFilter {
                story: Some(n),
                ..Default::default()
            })?
        }
        _ => Vec::new(),
    };
    let mut out = match style {
        Style::Json => serde_json::to_string_pretty(&d)? + "\n",
        Style::Markdown => markdown(&d),
        Style::Text => text(&d),
        Style::Csv => figures_csv(&d),
    };
    if !history.is_empty() {
        out.push_str(if style == Style::Markdown {
            "\n## History\n\n"
        } else {
            "\nHistory: corrections by editors\n"
        });
        for e in &history {
            let line = crate::correct_cmd::line(e);
            out.push_str(&if style == Style::Markdown {
                format!("- {}\n", line.trim_start())
            } else {
                format!("  {line}\n")
            });
        }
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// An article given on the command line: read from a file, or loaded from the store.
fn load(store: Option<&dyn Store>, what: &str, prepare: &PrepareOptions) -> Result<(Article, Analysis)> {
    let path = Path::new(what);
    if path.is_file() {
        let bytes = std::fs::read(path).with_context(|| format!("{what}: cannot read"))?;
        let mut found = Vec::new();
        let mut errors = Vec::new();
        read_stream(what, bytes.as_slice(), None, DEFAULT_MAX_RECORD_BYTES, &mut |record| match record {
            Ok(raw) => {
                let locator = raw.locator;
                match prepare_with_signature(raw, prepare, Some(what.to_string())) {
                    Ok(p) => found.push(p),
                    Err(e) => errors.push(match locator {
                        Some(Locator::Whole) | None => e.to_string(),
                        Some(loc) => format!("{loc}: {e}"),
                    }),
                }
            }
            Err(e) => errors.push(e.to_string()),
        })
        .map_err(|e| anyhow::anyhow!("{what}: {e}"))?;
        if let Some(e) = errors.first() {
            bail!("{what}: {e}");
        }
        return match found.len() {
            1 => {
                let p = found.pop().expect("one article");
                Ok((p.article, p.analysis))
            }
            0 => bail!("{what}: no article in this file"),
            n => bail!("{what}: the file holds {n} articles; give a file with one, or stored ids"),
        };
    }
    let Some(store) = store else {
        bail!("{what}: no such file (and no store to look it up as an article id)");
    };
    let Some(full) = store.resolve(what)? else {
        bail!("{what}: neither a file nor a stored article id");
    };
    let record = store.article(&full)?.with_context(|| format!("article `{full}` vanished while reading"))?;
    Ok((record.article, record.analysis.unwrap_or_default()))
}

/// Compares two articles (files or stored ids) and prints the comparison.
pub fn compare(
    store: Option<&dyn Store>,
    a: &str,
    b: &str,
    prepare: &PrepareOptions,
    settings: &ClusterSettings,
    style: Style,
) -> Result<ExitCode> {
    let x = load(store, a, prepare)?;
    let y = load(store, b, prepare)?;
    let c = dossier::compare(Input::new(&x.0, &x.1), Input::new(&y.0, &y.1), settings);
    print(&match style {
        Style::Json => serde_json::to_string_pretty(&c)? + "\n",
        Style::Markdown => compare_markdown(&c),
        // Two articles have no figures table of their own: CSV is a story's.
        Style::Text | Style::Csv => compare_text(&c),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// An outlet for a line of text: the name, or the article's short id.
fn outlet(source: &Option<String>, id: &str) -> String {
    source.clone().unwrap_or_else(|| format!("article {}", id.get(..8).unwrap_or(id)))
}

fn carriers(list: &[Carrier]) -> String {
    list.iter()
        .map(|c| format!("{}, {}", outlet(&c.source, &c.id), crate::clock::label(c.published)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn span(d: &Dossier) -> String {
    match (d.first_published, d.last_published) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "undated".to_string(),
    }
}

fn list_or_dash(v: &[String]) -> String {
    if v.is_empty() {
        "—".to_string()
    } else {
        v.join(", ")
    }
}

/// The non-empty lines of what a report adds: (label, items).
fn adds_lines(a: &Adds) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (label, v) in [
        ("people", &a.people),
        ("organisations", &a.organizations),
        ("places", &a.places),
        ("figures", &a.figures),
        ("times", &a.times),
        ("sources", &a.sources),
        ("key words", &a.terms),
    ] {
        if !v.is_empty() {
            out.push((label, v.join(", ")));
        }
    }
    out
}

fn text_discrepancies(out: &mut String, ds: &[Discrepancy], cs: &[Contradiction]) {
    for d in ds {
        let mark = if d.kind == DiscrepancyKind::Update { "update" } else { "DISAGREE" };
        let _ = writeln!(out, "  {mark}  {}", d.explanation);
        for v in &d.values {
            let _ = writeln!(
                out,
                "      {:<14} {}, {}: “{}”",
                v.display,
                outlet(&v.source, &v.article),
                crate::clock::label(v.published),
                clip(&v.sentence, 140)
            );
        }
    }
    for c in cs {
        let _ = writeln!(out, "  CONTRADICTS  {}", c.explanation);
        for (label, e) in [("denies", &c.denied), ("affirms", &c.affirmed)] {
            let _ = writeln!(
                out,
                "      {label:<8} {}, {}: “{}”",
                outlet(&e.carrier.source, &e.carrier.id),
                crate::clock::label(e.carrier.published),
                clip(&e.sentence, 140)
            );
        }
    }
}

fn text_quotes(out: &mut String, quotes: &[QuoteEntry]) {
    let mut last: Option<(&Option<String>, &Option<String>)> = None;
    for q in quotes {
        let who = (&q.speaker_key, &q.speaker);
        if last != Some(who) {
            let name = q.speaker.clone().unwrap_or_else(|| "(unattributed)".to_string());
            match &q.role {
                Some(r) => {
                    let _ = writeln!(out, "  {name} ({r})");
                }
                None => {
                    let _ = writeln!(out, "  {name}");
                }
            }
            last = Some(who);
        }
        let _ = writeln!(out, "    “{}” — {}", clip(&q.text, 160), carriers(&q.articles));
    }
}

fn text_figures(out: &mut String, figures: &[Figure]) {
    for f in figures {
        let _ = writeln!(out, "  {}", f.subject);
        for v in &f.values {
            let _ = writeln!(
                out,
                "    {:<14} {:<28} {}, {}",
                v.display,
                clip(&v.text, 28),
                outlet(&v.source, &v.article),
                crate::clock::label(v.published)
            );
        }
    }
}

fn text_report(out: &mut String, n: usize, r: &Report) {
    let _ = writeln!(
        out,
        "  {n:>2}. {}  {}  [{}]  {}",
        crate::clock::label(r.published),
        outlet(&r.source, &r.id),
        r.role.label(),
        r.id
    );
    let _ = writeln!(out, "      {}", clip(&r.title, 110));
    if let Some(of) = &r.near_duplicate_of {
        let _ = writeln!(out, "      near-copy of {of}");
    }
    if let Some(rev) = &r.revision {
        let _ = writeln!(out, "      revised: {}", rev.describe());
    }
    for (label, items) in adds_lines(&r.adds) {
        let _ = writeln!(out, "      + {label}: {}", clip(&items, 160));
    }
    for q in &r.adds.quotes {
        let who = q.speaker.clone().unwrap_or_else(|| "(unattributed)".to_string());
        let _ = writeln!(out, "      + quote {who}: “{}”", clip(&q.text, 120));
    }
}

/// What a dossier of a story too large to read whole says of itself.
fn partial(d: &Dossier) -> Option<String> {
    let read = d.articles.len() as u64;
    (d.reports_total > read).then(|| {
        format!(
            "This dossier reads {} of the story's {} reports: its first {} and its latest {}.",
            read,
            d.reports_total,
            read / 2,
            read - read / 2
        )
    })
}

/// The dossier as aligned text.
pub fn text(d: &Dossier) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Story {} · {}", d.id, d.title);
    let _ = writeln!(
        out,
        "{} · {} reports · outlets: {} · languages: {}",
        span(d),
        d.reports_total.max(d.articles.len() as u64),
        list_or_dash(&d.sources),
        list_or_dash(&d.languages)
    );
    if let Some(note) = partial(d) {
        let _ = writeln!(out, "{note}");
    }
    let _ = writeln!(out, "\nWhere the reports disagree");
    if d.discrepancies.is_empty() && d.contradictions.is_empty() {
        let _ = writeln!(out, "  no disagreement found between the reports");
    }
    text_discrepancies(&mut out, &d.discrepancies, &d.contradictions);
    let _ = writeln!(out, "\nTimeline (what each report adds)");
    for (i, r) in d.articles.iter().enumerate() {
        text_report(&mut out, i + 1, r);
    }
    if !d.quotes.is_empty() {
        let _ = writeln!(out, "\nWho said what");
        text_quotes(&mut out, &d.quotes);
    }
    if !d.figures.is_empty() {
        let _ = writeln!(out, "\nFigures");
        text_figures(&mut out, &d.figures);
    }
    out
}

/// Each report's address by article id.
fn addresses<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Urls<'a> {
    reports.into_iter().filter_map(|r| Some((r.id.as_str(), r.url.as_deref()?))).collect()
}

/// `text` (already escaped) as a Markdown link to `url` when there is one. The address goes in
/// angle brackets, with the characters that would end it percent-encoded.
fn md_link(text: &str, url: Option<&str>) -> String {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => {
            let target: String = u
                .chars()
                .map(|c| match c {
                    '<' => "%3C".to_string(),
                    '>' => "%3E".to_string(),
                    ' ' => "%20".to_string(),
                    '\n' | '\r' => String::new(),
                    c => c.to_string(),
                })
                .collect();
            format!("[{text}](<{target}>)")
        }
        None => text.to_string(),
    }
}

/// Escapes text for a Markdown table cell or line.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn md_discrepancies(out: &mut String, ds: &[Discrepancy], cs: &[Contradiction], urls: &Urls<'_>) {
    if ds.is_empty() && cs.is_empty() {
        let _ = writeln!(out, "No disagreement found between the reports.\n");
        return;
    }
    if !ds.is_empty() {
        let _ =
            writeln!(out, "| What | Kind | Value | Outlet | Date | Sentence |\n|---|---|---|---|---|---|");
        for d in ds {
            let kind = if d.kind == DiscrepancyKind::Update { "update" } else { "conflict" };
            for v in &d.values {
                let _ = writeln!(
                    out,
                    "| {} | {kind} | **{}** | {} | {} | {} |",
                    md(&d.subject),
                    md(&v.display),
                    md_link(&md(&outlet(&v.source, &v.article)), urls.get(v.article.as_str()).copied()),
                    crate::clock::label(v.published),
                    md(&v.sentence)
                );
            }
        }
        out.push('\n');
        for d in ds {
            let _ = writeln!(out, "- {}", md(&d.explanation));
        }
        out.push('\n');
    }
    for c in cs {
        let _ = writeln!(out, "- **Contradiction:** {}", md(&c.explanation));
        let _ = writeln!(out, "  - denies: “{}”", md(&c.denied.sentence));
        let _ = writeln!(out, "  - affirms: “{}”", md(&c.affirmed.sentence));
    }
    if !cs.is_empty() {
        out.push('\n');
    }
}

fn md_quotes(out: &mut String, quotes: &[QuoteEntry], urls: &Urls<'_>) {
    let mut last: Option<(&Option<String>, &Option<String>)> = None;
    for q in quotes {
        let who = (&q.speaker_key, &q.speaker);
        if last != Some(who) {
            let name = q.speaker.clone().unwrap_or_else(|| "(unattributed)".to_string());
            let role = q.role.as_ref().map(|r| format!(" ({})", md(r))).unwrap_or_default();
            let _ = writeln!(out, "\n**{}**{role}\n", md(&name));
            last = Some(who);
        }
        let carried: Vec<String> = q
            .articles
            .iter()
            .map(|c| {
                let label =
                    md(&format!("{}, {}", outlet(&c.source, &c.id), crate::clock::label(c.published)));
                md_link(&label, urls.get(c.id.as_str()).copied())
            })
            .collect();
        let _ = writeln!(out, "- “{}” — {}", md(&q.text), carried.join("; "));
    }
    out.push('\n');
}

fn md_figures(out: &mut String, figures: &[Figure], urls: &Urls<'_>) {
    let _ = writeln!(out, "| What | Value | As written | Outlet | Date |\n|---|---|---|---|---|");
    for f in figures {
        for v in &f.values {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                md(&f.subject),
                md(&v.display),
                md(&v.text),
                md_link(&md(&outlet(&v.source, &v.article)), urls.get(v.article.as_str()).copied()),
                crate::clock::label(v.published)
            );
        }
    }
    out.push('\n');
}

fn md_report(out: &mut String, n: usize, r: &Report) {
    let _ = writeln!(
        out,
        "{n}. **{}** — {}, {} (*{}*, `{}`)",
        md_link(&md(&r.title), r.url.as_deref()),
        md(&outlet(&r.source, &r.id)),
        crate::clock::label(r.published),
        r.role.label(),
        r.id
    );
    if let Some(rev) = &r.revision {
        let _ = writeln!(out, "   - revised: {}", md(&rev.describe()));
    }
    for (label, items) in adds_lines(&r.adds) {
        let _ = writeln!(out, "   - adds {label}: {}", md(&items));
    }
    for q in &r.adds.quotes {
        let who = q.speaker.clone().unwrap_or_else(|| "(unattributed)".to_string());
        let _ = writeln!(out, "   - adds a quote by {}: “{}”", md(&who), md(&q.text));
    }
}

/// The dossier as Markdown.
pub fn markdown(d: &Dossier) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&d.title));
    let _ = writeln!(
        out,
        "Story {} · {} · {} reports · outlets: {} · languages: {}\n",
        d.id,
        span(d),
        d.reports_total.max(d.articles.len() as u64),
        md(&list_or_dash(&d.sources)),
        list_or_dash(&d.languages)
    );
    if let Some(note) = partial(d) {
        let _ = writeln!(out, "*{note}*\n");
    }
    let urls = addresses(&d.articles);
    let _ = writeln!(out, "## Where the reports disagree\n");
    md_discrepancies(&mut out, &d.discrepancies, &d.contradictions, &urls);
    let _ = writeln!(out, "## Timeline\n");
    for (i, r) in d.articles.iter().enumerate() {
        md_report(&mut out, i + 1, r);
    }
    out.push('\n');
    if !d.quotes.is_empty() {
        let _ = writeln!(out, "## Who said what");
        md_quotes(&mut out, &d.quotes, &urls);
    }
    if !d.figures.is_empty() {
        let _ = writeln!(out, "## Figures\n");
        md_figures(&mut out, &d.figures, &urls);
    }
    out
}

/// Report addresses by article id (see [`addresses`]).
type Urls<'a> = std::collections::HashMap<&'a str, &'a str>;

/// One CSV field: quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The dossier's figures as CSV: a header, then one row per value of every figure, in timeline
/// order, with the disagreement the value is part of (`conflict`, `update`, or empty).
pub fn figures_csv(d: &Dossier) -> String {
    let urls = addresses(&d.articles);
    let mut out = String::from(
        "story,subject,disagreement,value,min,max,approximate,display,as_written,outlet,published,article,url,sentence\n",
    );
    let number = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for f in &d.figures {
        for v in &f.values {
            // The disagreements this very value is part of; a conflict outweighs an update.
            let kinds: Vec<DiscrepancyKind> = d
                .discrepancies
                .iter()
                .filter(|x| x.subject_key == f.subject_key)
                .filter(|x| x.values.iter().any(|y| y.article == v.article && y.value == v.value))
                .map(|x| x.kind)
                .collect();
            let disagreement = if kinds.contains(&DiscrepancyKind::Conflict) {
                "conflict"
            } else if kinds.contains(&DiscrepancyKind::Update) {
                "update"
            } else {
                ""
            };
            let row = [
                d.id.to_string(),
                f.subject.clone(),
                disagreement.to_string(),
                v.value.to_string(),
                number(v.min),
                number(v.max),
                v.approx.to_string(),
                v.display.clone(),
                v.text.clone(),
                v.source.clone().unwrap_or_default(),
                v.published.map(|p| p.to_string()).unwrap_or_default(),
                v.article.clone(),
                urls.get(v.article.as_str()).map(|u| u.to_string()).unwrap_or_default(),
                v.sentence.clone(),
            ];
            let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        }
    }
    out
}

fn verdict(c: &Comparison) -> String {
    format!(
        "{} (confidence {:.0}%: score {:.3}, threshold {:.3})",
        if c.same_story { "Same story" } else { "Different stories" },
        c.confidence * 100.0,
        c.score,
        c.threshold
    )
}

fn shared_lines(c: &Comparison) -> Vec<(&'static str, String)> {
    let s = &c.shared;
    let mut out = Vec::new();
    for (label, v) in [
        ("people", &s.people),
        ("organisations", &s.organizations),
        ("places", &s.places),
        ("counted things", &s.figures),
        ("dates", &s.times),
        ("quoted in both", &s.speakers),
        ("words", &s.words),
    ] {
        if !v.is_empty() {
            out.push((label, v.join(", ")));
        }
    }
    out.push(("word overlap", format!("{:.0}%", s.word_overlap * 100.0)));
    if let Some(days) = s.days_apart {
        out.push(("days apart", format!("{days:.1}")));
    }
    out
}

fn head(r: &Report) -> String {
    format!("{} ({}, {}; {})", r.title, outlet(&r.source, &r.id), crate::clock::label(r.published), r.id)
}

/// A comparison as aligned text.
pub fn compare_text(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "A: {}\nB: {}\n", clip(&head(&c.a), 150), clip(&head(&c.b), 150));
    let _ = writeln!(out, "{}", verdict(c));
    let _ = writeln!(out, "\nShared");
    for (label, items) in shared_lines(c) {
        let _ = writeln!(out, "  {label}: {}", clip(&items, 160));
    }
    let _ = writeln!(out, "\nWhere they disagree");
    if c.discrepancies.is_empty() && c.contradictions.is_empty() {
        let _ = writeln!(out, "  no disagreement found");
    }
    text_discrepancies(&mut out, &c.discrepancies, &c.contradictions);
    for (name, r) in [("B adds to A", &c.b), ("A adds to B", &c.a)] {
        let _ = writeln!(out, "\n{name}");
        if r.adds.is_empty() && r.adds.terms.is_empty() {
            let _ = writeln!(out, "  nothing new");
        }
        for (label, items) in adds_lines(&r.adds) {
            let _ = writeln!(out, "  + {label}: {}", clip(&items, 160));
        }
        for q in &r.adds.quotes {
            let who = q.speaker.clone().unwrap_or_else(|| "(unattributed)".to_string());
            let _ = writeln!(out, "  + quote {who}: “{}”", clip(&q.text, 120));
        }
    }
    if !c.quotes.is_empty() {
        let _ = writeln!(out, "\nWho said what");
        text_quotes(&mut out, &c.quotes);
    }
    out
}

/// A comparison as Markdown.
pub fn compare_markdown(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Comparison\n\n- **A:** {}\n- **B:** {}\n", md(&head(&c.a)), md(&head(&c.b)));
    let _ = writeln!(out, "**{}**\n\n## Shared\n", verdict(c));
    for (label, items) in shared_lines(c) {
        let _ = writeln!(out, "- {label}: {}", md(&items));
    }
    let urls = addresses([&c.a, &c.b]);
    let _ = writeln!(out, "\n## Where they disagree\n");
    md_discrepancies(&mut out, &c.discrepancies, &c.contradictions, &urls);
    for (name, r) in [("What B adds to A", &c.b), ("What A adds to B", &c.a)] {
        let _ = writeln!(out, "## {name}\n");
        for (label, items) in adds_lines(&r.adds) {
            let _ = writeln!(out, "- {label}: {}", md(&items));
        }
        for q in &r.adds.quotes {
            let who = q.speaker.clone().unwrap_or_else(|| "(unattributed)".to_string());
            let _ = writeln!(out, "- quote by {}: “{}”", md(&who), md(&q.text));
        }
        out.push('\n');
    }
    if !c.quotes.is_empty() {
        let _ = writeln!(out, "## Who said what");
        md_quotes(&mut out, &c.quotes, &urls);
    }
    out
}
