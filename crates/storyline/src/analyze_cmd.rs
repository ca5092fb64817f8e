//! `storyline analyze`: every annotation of an article, for people or (`--json`) for programs.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;
use storyline_core::analyze::{Analysis, EntityType, QuoteKind};
use storyline_core::ingest::prepare::prepare_with_signature;
use storyline_core::ingest::{read_stream, PrepareOptions, DEFAULT_MAX_RECORD_BYTES};
use storyline_core::model::Locator;
use storyline_core::Published;

/// One analysed article as printed with `--json`.
#[derive(Serialize)]
struct Output<'a> {
    id: &'a str,
    title: &'a str,
    published: Option<Published>,
    #[serde(flatten)]
    analysis: &'a Analysis,
}

/// Analyses every article in `path` (`-` for standard input) and prints the annotations.
pub fn run(path: &Path, prepare: &PrepareOptions, as_json: bool) -> Result<ExitCode> {
    let name = path.display().to_string();
    let bytes = if name == "-" {
        let mut b = Vec::new();
        io::stdin().lock().read_to_end(&mut b).context("<stdin>: cannot read")?;
        b
    } else {
        std::fs::read(path).with_context(|| format!("{name}: cannot read"))?
    };
    let mut failed = 0u64;
    let mut articles = Vec::new();
    let result =
        read_stream(&name, bytes.as_slice(), None, DEFAULT_MAX_RECORD_BYTES, &mut |record| match record {
            Ok(raw) => {
                let place = match raw.locator {
                    Some(Locator::Whole) | None => name.clone(),
                    Some(loc) => format!("{name}: {loc}"),
                };
                match prepare_with_signature(raw, prepare, None) {
                    Ok(p) => articles.push(p),
                    Err(e) => {
                        // Reported like an unreadable record; the other articles are still shown.
                        failed += 1;
                        eprintln!("{place}: {e}");
                    }
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("{name}: {e}");
            }
        });
    if let Err(e) = result {
        anyhow::bail!("{name}: {e}");
    }
    let mut out = io::stdout().lock();
    for p in &articles {
        let a = &p.article;
        if as_json {
            let o = Output { id: &a.id, title: &a.title, published: a.published, analysis: &p.analysis };
            if articles.len() == 1 {
                serde_json::to_writer_pretty(&mut out, &o)?;
            } else {
                serde_json::to_writer(&mut out, &o)?;
            }
            writeln!(out)?;
        } else {
            print_readable(&mut out, &a.title, a.published, &p.analysis)?;
        }
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The mentions of one entity key, for the readable listing.
struct EntityGroup<'a> {
    mentions: usize,
    forms: Vec<&'a str>,
    role: Option<&'a str>,
    kind: EntityType,
}

fn kind_name(k: EntityType) -> &'static str {
    match k {
        EntityType::Person => "person",
        EntityType::Organization => "organization",
        EntityType::Place => "place",
        EntityType::Other => "other",
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        crate::progress::group(v.abs() as u64).replace(',', " ")
    } else {
        format!("{v}")
    }
}

fn print_readable(
    out: &mut impl Write,
    title: &str,
    published: Option<Published>,
    a: &Analysis,
) -> Result<()> {
    writeln!(out, "{title}")?;
    writeln!(
        out,
        "language {} · published {} · {} sentences",
        a.language,
        published.map(|p| p.to_string()).unwrap_or_else(|| "unknown".into()),
        a.sentences.len()
    )?;
    // Entities grouped by key, in order of first mention.
    writeln!(out, "\nEntities")?;
    let mut order: Vec<&str> = Vec::new();
    let mut groups: BTreeMap<&str, EntityGroup<'_>> = BTreeMap::new();
    for e in &a.entities {
        let g = groups.entry(&e.key).or_insert_with(|| {
            order.push(&e.key);
            EntityGroup { mentions: 0, forms: Vec::new(), role: None, kind: e.kind }
        });
        g.mentions += 1;
        if !g.forms.contains(&e.text.as_str()) {
            g.forms.push(&e.text);
        }
        if g.role.is_none() {
            g.role = e.role.as_deref();
        }
    }
    for key in order {
        let g = &groups[key];
        let role = g.role.map(|r| format!("  ({r})")).unwrap_or_default();
        writeln!(
            out,
            "  {:<13} {:<40} ×{}  [{key}]{role}",
            kind_name(g.kind),
            g.forms.join(" / "),
            g.mentions
        )?;
    }
    writeln!(out, "\nQuotes")?;
    for q in &a.quotes {
        let who = q.speaker.as_deref().unwrap_or("(unattributed)");
        let kind = match q.kind {
            QuoteKind::Direct => "",
            QuoteKind::Pull => " [pull quote]",
            QuoteKind::Indirect => " [reported]",
        };
        writeln!(out, "  {who}{kind}: “{}”", q.text)?;
    }
    writeln!(out, "\nQuantities")?;
    for q in &a.quantities {
        let mut line = String::new();
        match (q.min, q.max) {
            (Some(lo), Some(hi)) if lo != hi => line.push_str(&format!("{}–{}", number(lo), number(hi))),
            (Some(lo), None) => line.push_str(&format!(">{}", number(lo))),
            (None, Some(hi)) => line.push_str(&format!("≤{}", number(hi))),
            _ => line.push_str(&number(q.value)),
        }
        if q.approx {
            line.insert(0, '~');
        }
        if let Some(u) = &q.unit {
            line.push_str(&format!(" {u}"));
        }
        if let Some(n) = &q.noun {
            line.push_str(&format!(" {n}"));
        }
        if !q.modifiers.is_empty() {
            line.push_str(&format!(" [{}]", q.modifiers.join(", ")));
        }
        writeln!(out, "  {line:<36} “{}”", q.text)?;
    }
    writeln!(out, "\nTimes")?;
    for t in &a.times {
        let value = t.value.as_deref().unwrap_or("unresolved");
        let g = serde_json::to_value(t.granularity)?.as_str().unwrap_or("").to_string();
        writeln!(out, "  {:<28} → {value} ({g})", t.text)?;
    }
    writeln!(out)?;
    Ok(())
}
