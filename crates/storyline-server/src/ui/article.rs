//! The article page: the text with its entities, quotes and figures highlighted, the story it
//! belongs to, its copies and sightings, and lists of what the analysis found.

use std::collections::BTreeMap;
use std::fmt::Write;

use storyline_core::analyze::{Analysis, EntityType};
use storyline_store::{ArticleRecord, StorySummary};

use super::layout::{page, Section};
use super::{article_href, escape, external_link, outlet_tag, plural, story_href, time_tag};

/// A highlight to lay over the text: a character range and the tags around it.
#[derive(Debug, Clone)]
pub(crate) struct Highlight {
    pub start: usize,
    pub end: usize,
    /// Outer before inner when two cover the same range: quotes 0, figures 1, entities 2.
    pub rank: u8,
    pub open: String,
    pub close: &'static str,
}

fn entity_class(kind: EntityType) -> (&'static str, &'static str) {
    match kind {
        EntityType::Person => ("ent ent-person", "person"),
        EntityType::Organization => ("ent ent-org", "organisation"),
        EntityType::Place => ("ent ent-place", "place"),
        EntityType::Other => ("ent ent-other", "name"),
    }
}

/// The highlights of an analysis (character offsets into the text).
pub(crate) fn highlights(analysis: &Analysis) -> Vec<Highlight> {
    let mut out = Vec::new();
    for q in &analysis.quotes {
        let who = q.speaker.as_deref().unwrap_or("unattributed");
        out.push(Highlight {
            start: q.start,
            end: q.end,
            rank: 0,
            open: format!("<span class=\"quote\" title=\"quote: {}\">", escape(who)),
            close: "</span>",
        });
    }
    for f in &analysis.quantities {
        let mut what = f.noun.clone().unwrap_or_default();
        if let Some(unit) = &f.unit {
            what = if what.is_empty() { unit.clone() } else { format!("{what}, {unit}") };
        }
        out.push(Highlight {
            start: f.start,
            end: f.end,
            rank: 1,
            open: format!("<mark class=\"fig\" title=\"figure: {} {}\">", fmt_number(f.value), escape(&what)),
            close: "</mark>",
        });
    }
    for e in &analysis.entities {
        let (class, label) = entity_class(e.kind);
        let role = e.role.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
        out.push(Highlight {
            start: e.start,
            end: e.end,
            rank: 2,
            open: format!("<mark class=\"{class}\" title=\"{label}: {}{}\">", escape(&e.key), escape(&role)),
            close: "</mark>",
        });
    }
    out
}

fn fmt_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Keeps a set of highlights that nest: sorted outer-first, a highlight that crosses the
/// boundary of one already kept is dropped, as are empty or out-of-range ones.
pub(crate) fn nest(mut spans: Vec<Highlight>, len: usize) -> Vec<Highlight> {
    spans.retain(|h| h.start < h.end && h.end <= len);
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.rank.cmp(&b.rank)));
    let mut kept: Vec<Highlight> = Vec::with_capacity(spans.len());
    let mut open: Vec<usize> = Vec::new(); // ends of the kept highlights enclosing the current point
    for h in spans {
        while open.last().is_some_and(|&end| end <= h.start) {
            open.pop();
        }
        if open.last().is_some_and(|&end| h.end > end) {
            continue; // crosses an enclosing highlight
        }
        open.push(h.end);
        kept.push(h);
    }
    kept
}

/// Paragraphs of a text as character ranges: split at blank lines, trimmed, empty ones left out.
fn paragraphs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |out: &mut Vec<(usize, usize)>, mut s: usize, mut e: usize| {
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if s < e {
            out.push((s, e));
        }
    };
    while i < chars.len() {
        if chars[i] == '\n' {
            // A blank line: a newline, optional spaces, another newline.
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\n' && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j] == '\n' {
                push(&mut out, start, i);
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    push(&mut out, start, chars.len());
    out
}

/// The text as paragraphs with the highlights laid over it. Highlights are first reduced to a
/// nesting set, then clipped to each paragraph, so the markup is always well formed.
pub(crate) fn highlighted_text(text: &str, spans: Vec<Highlight>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let spans = nest(spans, chars.len());
    let mut out = String::with_capacity(text.len() * 2);
    let mut next = 0; // first span not yet fully behind us
    for (ps, pe) in paragraphs(&chars) {
        while next < spans.len() && spans[next].end <= ps {
            next += 1;
        }
        // Spans touching this paragraph, clipped to it; still in outer-first order.
        let local: Vec<(usize, usize, &Highlight)> = spans[next..]
            .iter()
            .take_while(|h| h.start < pe)
            .filter(|h| h.end > ps)
            .map(|h| (h.start.max(ps), h.end.min(pe), h))
            .collect();
        out.push_str("<p>");
        let mut stack: Vec<(usize, &'static str)> = Vec::new();
        let mut k = 0;
        for (i, &c) in chars.iter().enumerate().take(pe).skip(ps) {
            while stack.last().is_some_and(|&(end, _)| end <= i) {
                out.push_str(stack.pop().expect("non-empty").1);
            }
            while k < local.len() && local[k].0 == i {
                out.push_str(&local[k].2.open);
                stack.push((local[k].1, local[k].2.close));
                k += 1;
            }
            match c {
                '\n' => out.push_str("<br>"),
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        while let Some((_, close)) = stack.pop() {
            out.push_str(close);
        }
        out.push_str("</p>\n");
    }
    out
}

/// One entity in the lists: its key, its fullest text, a role, and how often it is named.
type Named = (String, String, Option<String>, usize);

fn found_lists(body: &mut String, a: &Analysis) {
    body.push_str("<section class=\"found\" aria-labelledby=\"found-h\"><h2 id=\"found-h\">Found in this article</h2><div class=\"found-grid\">");
    // Entities: one line per key, the most frequent first within each type.
    let mut by_type: BTreeMap<u8, Vec<Named>> = BTreeMap::new();
    for e in &a.entities {
        let order = match e.kind {
            EntityType::Person => 0,
            EntityType::Organization => 1,
            EntityType::Place => 2,
            EntityType::Other => 3,
        };
        let list = by_type.entry(order).or_default();
        match list.iter_mut().find(|(k, ..)| *k == e.key) {
            Some(item) => {
                item.3 += 1;
                if e.text.chars().count() > item.1.chars().count() {
                    item.1 = e.text.clone();
                }
                if item.2.is_none() {
                    item.2 = e.role.clone();
                }
            }
            None => list.push((e.key.clone(), e.text.clone(), e.role.clone(), 1)),
        }
    }
    let names = ["People", "Organisations", "Places", "Other names"];
    let classes = ["ent ent-person", "ent ent-org", "ent ent-place", "ent ent-other"];
    for (order, list) in &mut by_type {
        list.sort_by(|a, b| b.3.cmp(&a.3).then(a.1.cmp(&b.1)));
        let i = usize::from(*order);
        let _ = write!(body, "<div class=\"found-group\"><h3>{}</h3><ul class=\"chips\">", names[i]);
        for (key, text, role, n) in list.iter() {
            let role = role.as_deref().map(|r| format!(" <small>{}</small>", escape(r))).unwrap_or_default();
            let times = if *n > 1 { format!(" <small>×{n}</small>") } else { String::new() };
            let _ = write!(
                body,
                "<li><a href=\"/search?entity={}\" title=\"articles naming {}\"><mark class=\"{}\">{}</mark></a>{role}{times}</li>",
                escape(&super::encode_component(key)),
                escape(key),
                classes[i],
                escape(text)
            );
        }
        body.push_str("</ul></div>");
    }
    if !a.quotes.is_empty() {
        let _ = write!(body, "<div class=\"found-group wide\"><h3>Quotes <span class=\"count\">{}</span></h3><ul class=\"quote-list\">", a.quotes.len());
        for q in &a.quotes {
            let who = q
                .speaker
                .as_deref()
                .map(escape)
                .unwrap_or_else(|| "<span class=\"muted\">unattributed</span>".into());
            let _ = write!(
                body,
                "<li><blockquote><p>{}</p></blockquote><p class=\"carriers\">— {who}</p></li>",
                escape(&q.text)
            );
        }
        body.push_str("</ul></div>");
    }
    if !a.quantities.is_empty() {
        let _ = write!(body, "<div class=\"found-group wide\"><h3>Figures <span class=\"count\">{}</span></h3><div class=\"table-wrap\"><table class=\"figure-table\"><thead><tr><th scope=\"col\">As written</th><th scope=\"col\">Value</th><th scope=\"col\">Counts</th></tr></thead><tbody>", a.quantities.len());
        for f in &a.quantities {
            let mut value = fmt_number(f.value);
            if f.approx {
                value = format!("≈ {value}");
            }
            let mut what = f.noun.clone().unwrap_or_default();
            if !f.modifiers.is_empty() {
                what = format!("{what} ({})", f.modifiers.join(", "));
            }
            if let Some(unit) = &f.unit {
                what = format!("{what} {unit}");
            }
            let _ = write!(
                body,
                "<tr><td><mark class=\"fig\">{}</mark></td><td>{}</td><td>{}</td></tr>",
                escape(&f.text),
                escape(&value),
                escape(what.trim())
            );
        }
        body.push_str("</tbody></table></div></div>");
    }
    if !a.times.is_empty() {
        body.push_str("<div class=\"found-group\"><h3>Times</h3><ul class=\"chips\">");
        for t in &a.times {
            let value =
                t.value.as_deref().map(|v| format!(" <small>{}</small>", escape(v))).unwrap_or_default();
            let _ = write!(body, "<li>{}{value}</li>", escape(&t.text));
        }
        body.push_str("</ul></div>");
    }
    body.push_str("</div></section>\n");
}

/// The most characters of an article's text its page shows, highlighted; a longer text (a
/// whole book pasted in, a page without article structure) is cut there, with a note and a
/// link to the whole text in the API.
pub const ARTICLE_PAGE_CHARS: usize = 200_000;

/// The part of `text` a page shows: all of it, or its first [`ARTICLE_PAGE_CHARS`] characters
/// ending at a line break or space where there is one near; with the number of characters shown.
fn shown_text(text: &str) -> (&str, usize) {
    let Some((cut, _)) = text.char_indices().nth(ARTICLE_PAGE_CHARS) else {
        return (text, text.chars().count());
    };
    let head = &text[..cut];
    let back = head.len().saturating_sub(2_000);
    let end = head[back..]
        .rfind('\n')
        .or_else(|| head[back..].rfind(char::is_whitespace))
        .map_or(cut, |k| back + k);
    let shown = &text[..end];
    (shown, shown.chars().count())
}

/// The page of one stored article, with the story it belongs to when there is one.
pub fn article_page(record: &ArticleRecord, story: Option<&StorySummary>) -> String {
    article_page_with(record, story, &[])
}

/// [`article_page`] with the article's history of corrections (newest first).
pub fn article_page_with(
    record: &ArticleRecord,
    story: Option<&StorySummary>,
    history: &[storyline_store::corrections::CorrectionEvent],
) -> String {
    let a = &record.article;
    let (text, shown_chars) = shown_text(&a.text);
    let mut body = String::with_capacity(text.len() * 3 + 4096);
    body.push_str("<header class=\"article-head\">");
    let _ = write!(body, "<h1 lang=\"{}\">{}</h1>", escape(&a.language.code), escape(&a.title));
    body.push_str("<dl class=\"facts\">");
    let _ = write!(body, "<div><dt>Outlet</dt><dd>{}</dd></div>", outlet_tag(a.source.as_deref()));
    let _ = write!(body, "<div><dt>Published</dt><dd>{}</dd></div>", time_tag(a.published.as_ref()));
    let detected = if a.language.declared { "" } else { " <small class=\"muted\">(detected)</small>" };
    let _ = write!(body, "<div><dt>Language</dt><dd>{}{detected}</dd></div>", escape(&a.language.code));
    if let Some(author) = &a.author {
        let _ = write!(body, "<div><dt>By</dt><dd>{}</dd></div>", escape(author));
    }
    if let Some(s) = story {
        let _ = write!(
            body,
            "<div class=\"wide\"><dt>Story</dt><dd><a href=\"{}\">{}</a> <small class=\"muted\">({}{})</small></dd></div>",
            escape(&story_href(s.id)),
            escape(&s.title),
            plural(s.articles, "report", "reports"),
            if s.sources.is_empty() { String::new() } else { format!(" from {}", plural(s.sources.len() as u64, "outlet", "outlets")) }
        );
    }
    if let Some(url) = &a.url {
        let _ = write!(body, "<div class=\"wide\"><dt>Address</dt><dd>{}</dd></div>", external_link(url));
    }
    let _ = write!(body, "<div class=\"wide\"><dt>Id</dt><dd><code>{}</code></dd></div>", escape(&a.id));
    if record.version > 1 {
        let _ = write!(
            body,
            "<div><dt>Version</dt><dd><a href=\"#versions\">{} of {}</a> <small class=\"muted\">(revised)</small></dd></div>",
            record.version,
            record.versions.len()
        );
    }
    body.push_str("</dl></header>\n");

    // Copies and sightings.
    let mut notes = String::new();
    if let Some(nd) = &a.near_duplicate_of {
        let _ = write!(
            notes,
            "<li>A near-copy ({:.0}% alike) of <a href=\"{}\"><code>{}</code></a>, stored earlier.</li>",
            nd.similarity * 100.0,
            escape(&article_href(&nd.of)),
            escape(&nd.of)
        );
    }
    for c in &record.near_duplicates {
        let _ = write!(
            notes,
            "<li>Copied ({:.0}% alike) by {}: <a href=\"{}\"><code>{}</code></a></li>",
            c.similarity * 100.0,
            outlet_tag(c.source.as_deref()),
            escape(&article_href(&c.id)),
            escape(&c.id)
        );
    }
    for s in &record.sightings {
        let url = s.url.as_deref().map(|u| format!(" at {}", external_link(u))).unwrap_or_default();
        let _ = write!(
            notes,
            "<li>The same text also ran in {}{url}, {}</li>",
            outlet_tag(s.source.as_deref()),
            time_tag(s.published.as_ref())
        );
    }
    if !notes.is_empty() {
        let _ = writeln!(
            body,
            "<section class=\"copies\" aria-label=\"Copies and sightings\"><ul>{notes}</ul></section>"
        );
    }

    versions(&mut body, record);

    match &record.analysis {
        Some(analysis) => {
            body.push_str("<ul class=\"legend key\" aria-label=\"Highlights\"><li><mark class=\"ent ent-person\">person</mark></li><li><mark class=\"ent ent-org\">organisation</mark></li><li><mark class=\"ent ent-place\">place</mark></li><li><mark class=\"ent ent-other\">other name</mark></li><li><span class=\"quote\">quote</span></li><li><mark class=\"fig\">figure</mark></li></ul>\n");
            let _ = writeln!(body, "<article class=\"article-text\" lang=\"{}\">", escape(&a.language.code));
            let spans = highlights(analysis).into_iter().filter(|h| h.end <= shown_chars).collect();
            body.push_str(&highlighted_text(text, spans));
            body.push_str("</article>\n");
            cut_note(&mut body, a, shown_chars);
            found_lists(&mut body, analysis);
        }
        None => {
            let _ = writeln!(body, "<p class=\"muted\">No analysis stored for this article.</p><article class=\"article-text\" lang=\"{}\">", escape(&a.language.code));
            body.push_str(&highlighted_text(text, Vec::new()));
            body.push_str("</article>\n");
            cut_note(&mut body, a, shown_chars);
        }
    }
    super::correct::history(&mut body, history);
    super::correct::article_panel(&mut body, record);
    page(&a.title, Section::Other, "", &body)
}

/// The history of a revised article: each version with its date, headline and what it changed
/// in figures and quotes; nothing for an article never revised.
fn versions(body: &mut String, record: &ArticleRecord) {
    if record.versions.len() < 2 {
        return;
    }
    let _ = write!(
        body,
        "<section class=\"versions\" id=\"versions\" aria-labelledby=\"versions-h\"><h2 id=\"versions-h\">Versions <span class=\"count\">{}</span></h2><ol>",
        record.versions.len()
    );
    for v in &record.versions {
        let shown = if v.version == record.version { " <small class=\"muted\">(shown)</small>" } else { "" };
        let _ = write!(
            body,
            "<li value=\"{}\"><strong>Version {}</strong>{shown} · {} · {}",
            v.version,
            v.version,
            time_tag(v.published.as_ref()),
            escape(&v.title)
        );
        if !v.changes.is_empty() {
            body.push_str("<ul>");
            for c in &v.changes {
                let _ = write!(body, "<li>{}</li>", escape(&c.to_string()));
            }
            body.push_str("</ul>");
        }
        body.push_str("</li>");
    }
    body.push_str("</ol></section>\n");
}

/// Says that the text was cut, and where the whole of it is.
fn cut_note(body: &mut String, a: &storyline_core::Article, shown_chars: usize) {
    let total = a.text.chars().count();
    if shown_chars < total {
        let api = format!("/api/articles/{}", a.id);
        let _ = writeln!(
            body,
            "<p class=\"muted cut\">The text goes on for {} more characters, not shown here; the whole text is at <a href=\"{}\">{}</a>.</p>",
            total - shown_chars,
            escape(&api),
            escape(&api)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testutil::{assert_safe_page, parse_tags, SCRIPT};
    use storyline_core::analyze::{Entity, Quantity, Quote, QuoteKind};
    use storyline_core::model::{Article, Language, NearDuplicate, Sighting};

    fn strip_tags(html: &str) -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in html.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    }

    fn h(start: usize, end: usize, rank: u8, name: &str) -> Highlight {
        Highlight { start, end, rank, open: format!("<mark class=\"{name}\">"), close: "</mark>" }
    }

    #[test]
    fn crossing_highlights_are_dropped_nested_ones_kept() {
        // 0..10 contains 2..5; 4..12 crosses 0..10; 10..12 follows it.
        let kept = nest(
            vec![
                h(4, 12, 2, "x"),
                h(0, 10, 0, "a"),
                h(2, 5, 1, "b"),
                h(10, 12, 2, "c"),
                h(3, 3, 2, "e"),
                h(11, 99, 2, "o"),
            ],
            20,
        );
        let names: Vec<(usize, usize)> = kept.iter().map(|k| (k.start, k.end)).collect();
        assert_eq!(names, vec![(0, 10), (2, 5), (10, 12)]);
    }

    #[test]
    fn highlighting_multibyte_text_gives_well_formed_markup() {
        let text = "„Wij gaan door”, zei Éric Vermeulen in Zwolle.\n\nDaarna: 275 IS-strijders <weg>.";
        let chars: Vec<char> = text.chars().collect();
        let find = |s: &str| {
            let cs: Vec<char> = s.chars().collect();
            (0..chars.len()).find(|&i| chars[i..].starts_with(&cs)).unwrap()
        };
        let eric = find("Éric Vermeulen");
        let quote = (1, find("”"));
        let fig = find("275");
        let spans = vec![
            h(eric, eric + 14, 2, "ent ent-person"),
            h(quote.0, quote.1, 0, "quote"),
            h(find("Zwolle"), find("Zwolle") + 6, 2, "ent ent-place"),
            // A figure crossing the quote's end: dropped, not broken.
            h(quote.1 - 4, quote.1 + 3, 1, "fig"),
            h(fig, fig + 16, 1, "fig"),
            // IS inside the figure: nested.
            h(fig + 4, fig + 6, 2, "ent ent-org"),
            // A span running over the paragraph break is clipped into both paragraphs.
            h(find("Zwolle"), find("Daarna") + 6, 2, "ent ent-other"),
        ];
        let html = highlighted_text(text, spans);
        let wrapped = format!("<div>{html}</div>");
        let tags = parse_tags(&wrapped);
        assert_eq!(tags.iter().filter(|(n, _)| n == "p").count(), 2);
        assert!(html.contains("„<mark class=\"quote\">Wij gaan door</mark>”"), "{html}");
        assert!(html.contains("<mark class=\"ent ent-person\">Éric Vermeulen</mark>"));
        assert!(
            html.contains("<mark class=\"fig\">275 <mark class=\"ent ent-org\">IS</mark>-strijders</mark>"),
            "{html}"
        );
        assert!(html.contains("&lt;weg&gt;"));
        assert!(
            html.contains(
                "<mark class=\"ent ent-other\"><mark class=\"ent ent-place\">Zwolle</mark>.</mark></p>"
            ),
            "{html}"
        );
        assert!(html.contains("<p><mark class=\"ent ent-other\">Daarna</mark>"));
        assert_eq!(html.matches("class=\"fig\"").count(), 1, "the crossing figure is dropped");
    }

    #[test]
    fn random_overlaps_always_nest() {
        // A deterministic spray of overlapping spans over multi-byte text.
        let text = "Één „citaat” — ça va. Zo’n 250 strijders.\n\nTweede alinea met ë en ï.".repeat(3);
        let n = text.chars().count();
        let mut seed = 12345u64;
        let mut rnd = |m: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % m
        };
        for _ in 0..50 {
            let spans: Vec<Highlight> = (0..12)
                .map(|i| {
                    let s = rnd(n + 3);
                    let e = s + rnd(15);
                    h(s, e, (i % 3) as u8, "k")
                })
                .collect();
            let html = highlighted_text(&text, spans);
            parse_tags(&format!("<div>{html}</div>"));
            // Highlighting never changes the text itself.
            assert_eq!(strip_tags(&html), strip_tags(&highlighted_text(&text, Vec::new())));
        }
    }

    fn record(title: &str, text: &str, analysis: Option<Analysis>) -> ArticleRecord {
        ArticleRecord {
            article: Article {
                id: "morgenblad-1".into(),
                title: title.into(),
                text: text.into(),
                source: Some("Morgenblad".into()),
                url: Some("https://morgenblad.example/brug".into()),
                published: storyline_core::Published::day(2023, 3, 2),
                language: Language { code: "nl".into(), confidence: 1.0, declared: true },
                author: Some("Sanne de Wit".into()),
                metadata: Default::default(),
                extra: Default::default(),
                content_hash: "x".into(),
                near_duplicate_of: None,
                origin: None,
            },
            ingested_at: 0,
            sightings: vec![],
            near_duplicates: vec![],
            analysis,
            story: None,
            version: 1,
            versions: vec![],
        }
    }

    #[test]
    fn article_page_highlights_and_lists_what_was_found() {
        let text =
            "Wethouder Pieter Hals zegt: „De brug kost 12 miljoen euro.”\n\nDe gemeente Zwolle betaalt.";
        let chars: Vec<char> = text.chars().collect();
        let pos = |s: &str| {
            let cs: Vec<char> = s.chars().collect();
            (0..chars.len()).find(|&i| chars[i..].starts_with(&cs)).unwrap()
        };
        let analysis = Analysis {
            language: "nl".into(),
            entities: vec![
                Entity {
                    text: "Pieter Hals".into(),
                    kind: EntityType::Person,
                    key: "pieter-hals".into(),
                    role: Some("wethouder".into()),
                    start: pos("Pieter"),
                    end: pos("Pieter") + 11,
                },
                Entity {
                    text: "Zwolle".into(),
                    kind: EntityType::Place,
                    key: "zwolle".into(),
                    role: None,
                    start: pos("Zwolle"),
                    end: pos("Zwolle") + 6,
                },
            ],
            quotes: vec![Quote {
                text: "De brug kost 12 miljoen euro.".into(),
                speaker: Some("Pieter Hals".into()),
                speaker_key: Some("pieter-hals".into()),
                kind: QuoteKind::Direct,
                start: pos("De brug"),
                end: pos("”"),
            }],
            quantities: vec![Quantity {
                text: "12 miljoen euro".into(),
                value: 12e6,
                min: None,
                max: None,
                approx: false,
                noun: None,
                modifiers: vec![],
                unit: Some("EUR".into()),
                start: pos("12"),
                end: pos("12") + 15,
            }],
            ..Analysis::default()
        };
        let story = StorySummary {
            id: 3,
            title: "Brug Zwolle duurder".into(),
            articles: 4,
            sources: vec!["Morgenblad".into(), "Dagkoerier".into()],
            languages: vec!["nl".into()],
            first_published: None,
            last_published: None,
            discrepancies: false,
        };
        let html = article_page(&record("Brug in Zwolle fors duurder", text, Some(analysis)), Some(&story));
        assert_safe_page(&html);
        assert!(html.contains(
            "<mark class=\"ent ent-person\" title=\"person: pieter-hals, wethouder\">Pieter Hals</mark>"
        ));
        assert!(html.contains("„<span class=\"quote\" title=\"quote: Pieter Hals\">De brug kost <mark class=\"fig\" title=\"figure: 12000000 EUR\">12 miljoen euro</mark>.</span>”"), "{html}");
        assert!(html.contains("<a href=\"/stories/3\">Brug Zwolle duurder</a> <small class=\"muted\">(4 reports from 2 outlets)</small>"));
        assert!(html.contains("href=\"https://morgenblad.example/brug\""));
        assert!(html.contains("<a href=\"/search?entity=zwolle\""));
        assert!(html.contains("<td><mark class=\"fig\">12 miljoen euro</mark></td>"));
        let body = &html[html.find("<article").unwrap()..html.find("</article>").unwrap()];
        assert_eq!(body.matches("<p>").count(), 2, "two paragraphs");
    }

    #[test]
    fn a_revised_article_shows_its_versions_and_what_changed() {
        use storyline_core::dossier::revision::Change;
        use storyline_store::ArticleVersion;
        let mut rec = record("Brug kost 16 miljoen", "De brug kost 16 miljoen euro.", None);
        assert!(!article_page(&rec, None).contains("id=\"versions\""));
        let version = |n: u32, title: &str, changes: Vec<Change>| ArticleVersion {
            version: n,
            title: title.into(),
            text: String::new(),
            published: storyline_core::Published::day(2023, 3, n),
            content_hash: "0".repeat(16),
            ingested_at: 0,
            changes,
        };
        rec.version = 2;
        rec.versions = vec![
            version(1, "Brug kost <14> miljoen", vec![]),
            version(
                2,
                "Brug kost 16 miljoen",
                vec![Change::Figure {
                    subject: "EUR".into(),
                    before: 14e6,
                    after: 16e6,
                    before_text: "14 miljoen euro".into(),
                    after_text: "16 miljoen euro".into(),
                }],
            ),
        ];
        let html = article_page(&rec, None);
        assert!(html.contains("<a href=\"#versions\">2 of 2</a>"), "{html}");
        assert!(html.contains("<strong>Version 1</strong>"));
        assert!(html.contains("Brug kost &lt;14&gt; miljoen"));
        assert!(html.contains("<li>14 → 16 miljoen euro</li>"), "{html}");
    }

    #[test]
    fn script_in_an_article_is_text() {
        let payload = "<script>document.title='owned'</script> <img src=x onerror=alert(1)>";
        let mut rec = record(&format!("Kop {SCRIPT}"), &format!("Tekst {payload}\n\nMeer."), None);
        rec.article.url = Some("javascript:alert(document.cookie)".into());
        rec.article.source = Some(SCRIPT.into());
        rec.article.author = Some(SCRIPT.into());
        rec.article.near_duplicate_of = Some(NearDuplicate { of: SCRIPT.into(), similarity: 0.9 });
        rec.sightings.push(Sighting {
            source: Some(SCRIPT.into()),
            url: Some("javascript:x".into()),
            published: None,
        });
        let html = article_page(&rec, None);
        assert_safe_page(&html);
        assert!(!html.contains("<script>") && !html.contains("<img"));
        assert!(html.contains("Tekst &lt;script&gt;document.title=&#39;owned&#39;&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("<span class=\"url\">javascript:alert(document.cookie)</span>"));
        assert!(html.contains("No analysis stored"));
    }

    #[test]
    fn analysis_offsets_beyond_the_text_are_ignored() {
        let analysis = Analysis {
            entities: vec![Entity {
                text: "X".into(),
                kind: EntityType::Other,
                key: "x".into(),
                role: None,
                start: 3,
                end: 400,
            }],
            ..Analysis::default()
        };
        let html = article_page(&record("Kort", "Kort bericht.", Some(analysis)), None);
        assert_safe_page(&html);
        assert!(html.contains("<p>Kort bericht.</p>"));
    }

    /// A text longer than a page shows is cut at a line break near the limit, with its
    /// highlights up to there, and a note linking to the whole text.
    #[test]
    fn a_very_long_text_is_cut_with_a_note() {
        let para = "De brug bij Zwolle blijft dicht, zegt het waterschap.\n\n";
        let text = para.repeat(ARTICLE_PAGE_CHARS / para.chars().count() + 50);
        let (shown, chars) = shown_text(&text);
        assert!(chars <= ARTICLE_PAGE_CHARS && chars > ARTICLE_PAGE_CHARS - 2_000);
        assert!(shown.ends_with('\n') || text[shown.len()..].starts_with('\n'));
        let short = "Kort bericht.";
        assert_eq!(shown_text(short), (short, short.chars().count()));
        let record = ArticleRecord {
            article: Article {
                id: "lang-1".into(),
                title: "Lang".into(),
                text: text.clone(),
                source: None,
                url: None,
                published: None,
                language: Language { code: "nl".into(), confidence: 1.0, declared: true },
                author: None,
                metadata: Default::default(),
                extra: Default::default(),
                content_hash: "0".repeat(16),
                near_duplicate_of: None,
                origin: None,
            },
            ingested_at: 0,
            sightings: Vec::new(),
            near_duplicates: Vec::new(),
            analysis: None,
            story: None,
            version: 1,
            versions: Vec::new(),
        };
        let html = article_page(&record, None);
        assert!(html.len() < 3 * ARTICLE_PAGE_CHARS, "{} bytes", html.len());
        assert!(html.contains("more characters, not shown here"));
        assert!(html.contains("href=\"/api/articles/lang-1\""));
    }
}
