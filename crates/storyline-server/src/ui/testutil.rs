//! Test helpers for the pages: a small checker that the markup nests properly and carries no
//! unexpected elements or event handlers, and invented dossiers to render.

use storyline_core::analyze::QuoteKind;
use storyline_core::dossier::{
    AddedQuote, Adds, Carrier, Contradiction, Discrepancy, DiscrepancyKind, Dossier, Evidence, Figure,
    FigureValue, QuoteEntry, Report, ReportRole,
};
use storyline_core::Published;

/// Elements the pages may use. Anything else (a `<script>` or `<img>` out of an article) fails.
const ALLOWED: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "link",
    "script",
    "body",
    "a",
    "header",
    "div",
    "nav",
    "form",
    "label",
    "input",
    "button",
    "main",
    "footer",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "span",
    "time",
    "svg",
    "rect",
    "circle",
    "line",
    "text",
    "g",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "mark",
    "blockquote",
    "strong",
    "em",
    "small",
    "br",
    "details",
    "summary",
    "caption",
    "code",
    "cite",
    "fieldset",
    "legend",
    "noscript",
    "select",
    "option",
    "article",
    "aside",
    "abbr",
    "tspan",
    "path",
    "q",
];

/// Elements that take no closing tag.
const VOID: &[&str] = &["meta", "link", "input", "br"];

/// The start tags of a document, in order, with their attribute names; panics when the markup
/// does not nest, a tag is unknown, or a tag holds a stray `<`.
pub(crate) fn parse_tags(html: &str) -> Vec<(String, Vec<String>)> {
    let mut stack: Vec<String> = Vec::new();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(pos) = html[i..].find('<') {
        let at = i + pos;
        let rest = &html[at..];
        if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!--") {
            let end = if rest.starts_with("<!--") {
                rest.find("-->").unwrap() + 3
            } else {
                rest.find('>').unwrap() + 1
            };
            i = at + end;
            continue;
        }
        let end =
            rest.find('>').unwrap_or_else(|| panic!("unclosed tag at {at}: {}", &rest[..rest.len().min(80)]));
        let inner = &rest[1..end];
        assert!(!inner.contains('<'), "stray < inside a tag: {inner}");
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim();
            let open = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}> near {}", &html[at.saturating_sub(200)..at]);
        } else {
            let self_closing = inner.ends_with('/');
            let inner = inner.trim_end_matches('/');
            let name: String = inner.chars().take_while(|c| !c.is_whitespace()).collect();
            assert!(
                ALLOWED.contains(&name.as_str()),
                "unexpected element <{name}> near {}",
                &html[at.saturating_sub(120)..at]
            );
            let attrs = attribute_names(&inner[name.len()..]);
            if !self_closing && !VOID.contains(&name.as_str()) {
                stack.push(name.clone());
            }
            tags.push((name, attrs));
        }
        i = at + end + 1;
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    tags
}

/// The attribute names in the inside of a start tag (values are double-quoted).
fn attribute_names(mut s: &str) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return names;
        }
        let name_end = s.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(s.len());
        names.push(s[..name_end].to_ascii_lowercase());
        s = &s[name_end..];
        if let Some(rest) = s.strip_prefix("=\"") {
            let close = rest.find('"').expect("attribute value is closed");
            s = &rest[close + 1..];
        } else if s.starts_with('=') {
            panic!("unquoted attribute value: {s}");
        }
    }
}

/// Whether any element carries an `on…` event handler attribute.
pub(crate) fn has_event_handler(html: &str) -> bool {
    parse_tags(html).iter().any(|(_, attrs)| attrs.iter().any(|a| a.starts_with("on")))
}

/// Checks the things every rendered page must satisfy: proper nesting, known elements only,
/// exactly one script (the site's own file), no event handlers.
pub(crate) fn assert_safe_page(html: &str) {
    let tags = parse_tags(html);
    let scripts = tags.iter().filter(|(n, _)| n == "script").count();
    assert_eq!(scripts, 1, "only the site's own script");
    assert!(html.contains("<script src=\"/assets/app.js\" defer></script>"));
    assert!(!tags.iter().any(|(_, attrs)| attrs.iter().any(|a| a.starts_with("on"))), "no event handlers");
    assert!(
        !tags.iter().any(|(_, attrs)| attrs.iter().any(|a| a == "style")),
        "no inline style (the policy forbids it)"
    );
    assert!(!html.to_ascii_lowercase().contains("href=\"javascript:"), "no javascript: links");
}

pub(crate) fn day(y: i32, m: u32, d: u32) -> Option<Published> {
    Published::day(y, m, d)
}

pub(crate) fn carrier(id: &str, source: &str, published: Option<Published>) -> Carrier {
    Carrier { id: id.into(), source: Some(source.into()), published }
}

pub(crate) fn report(
    id: &str,
    title: &str,
    source: Option<&str>,
    published: Option<Published>,
    role: ReportRole,
) -> Report {
    Report {
        id: id.into(),
        title: title.into(),
        source: source.map(str::to_string),
        published,
        language: "nl".into(),
        url: Some(format!("https://example.org/{id}")),
        near_duplicate_of: None,
        role,
        adds: Adds::default(),
        revision: None,
    }
}

pub(crate) fn value(
    display: &str,
    article: &str,
    source: &str,
    published: Option<Published>,
    sentence: &str,
) -> FigureValue {
    FigureValue {
        value: display.trim_start_matches("about ").parse().unwrap_or(0.0),
        min: None,
        max: None,
        approx: display.starts_with("about"),
        display: display.into(),
        text: display.into(),
        article: article.into(),
        source: Some(source.into()),
        published,
        sentence: sentence.into(),
    }
}

/// An invented story: a dike breach reported by two outlets, one report undated.
pub(crate) fn sample_dossier() -> Dossier {
    let d1 = day(2023, 3, 2);
    let d2 = day(2023, 3, 4);
    let mut first =
        report("a1", "Dijk bij Offenbeek bezwijkt na storm", Some("Morgenblad"), d1, ReportRole::First);
    first.adds.people = vec!["Anouk Verbeek".into()];
    first.adds.places = vec!["Offenbeek".into()];
    first.adds.figures = vec!["120 woningen".into()];
    first.adds.quotes = vec![AddedQuote {
        speaker: Some("Anouk Verbeek".into()),
        text: "Het water stond tot de ramen".into(),
    }];
    let mut second = report(
        "b2",
        "Offenbeek telt schade: 140 woningen onder water",
        Some("Dagkoerier"),
        d2,
        ReportRole::FollowUp,
    );
    second.adds.figures = vec!["140 woningen".into()];
    second.adds.organizations = vec!["Waterschap Hunzedal".into()];
    let third = report(
        "c3",
        "Waterschap belooft onderzoek naar dijk",
        Some("Vlaamse Tijding"),
        None,
        ReportRole::Repeat,
    );
    let values = vec![
        value("120", "a1", "Morgenblad", d1, "Zeker 120 woningen liepen onder water."),
        value("140", "b2", "Dagkoerier", d2, "Inmiddels staan 140 woningen onder water."),
    ];
    Dossier {
        id: 7,
        title: "Dijk bij Offenbeek bezwijkt na storm".into(),
        first_published: d1,
        last_published: d2,
        sources: vec!["Dagkoerier".into(), "Morgenblad".into(), "Vlaamse Tijding".into()],
        languages: vec!["nl".into()],
        articles: vec![first, second, third],
        discrepancies: vec![Discrepancy {
            subject: "woning".into(),
            subject_key: "woning".into(),
            kind: DiscrepancyKind::Update,
            values: values.clone(),
            explanation: "woning: 120 (Morgenblad, 2023-03-02) vs 140 (Dagkoerier, 2023-03-04)".into(),
        }],
        contradictions: vec![Contradiction {
            subject: "evacuatie".into(),
            explanation: "Morgenblad says nobody was evacuated; Dagkoerier says forty families were".into(),
            denied: Evidence {
                carrier: carrier("a1", "Morgenblad", d1),
                sentence: "Niemand werd geëvacueerd.".into(),
            },
            affirmed: Evidence {
                carrier: carrier("b2", "Dagkoerier", d2),
                sentence: "Veertig gezinnen werden geëvacueerd.".into(),
            },
        }],
        quotes: vec![QuoteEntry {
            speaker: Some("Anouk Verbeek".into()),
            speaker_key: Some("anouk-verbeek".into()),
            role: Some("dijkgraaf".into()),
            text: "Het water stond tot de ramen".into(),
            kind: QuoteKind::Direct,
            articles: vec![carrier("a1", "Morgenblad", d1), carrier("b2", "Dagkoerier", d2)],
        }],
        figures: vec![Figure { subject: "woning".into(), subject_key: "woning".into(), values }],
        reports_total: 3,
    }
}

pub(crate) const SCRIPT: &str = "<script>alert(1)</script>";

/// The sample with a script payload in every piece of text a page shows.
pub(crate) fn hostile_dossier() -> Dossier {
    let mut d = sample_dossier();
    let evil = |s: &str| format!("{s} {SCRIPT}");
    d.title = evil(&d.title);
    d.sources = d.sources.iter().map(|s| evil(s)).collect();
    d.languages = vec![evil("nl")];
    for r in &mut d.articles {
        r.title = evil(&r.title);
        r.source = r.source.as_deref().map(evil);
        r.id = evil(&r.id);
        r.language = evil(&r.language);
        r.url = Some(format!("javascript:alert(1)//{SCRIPT}"));
        r.near_duplicate_of = Some(evil("x"));
        r.adds.people.push(evil("p"));
        r.adds.times.push(evil("t"));
        r.adds.sources.push(evil("s"));
        r.adds.quotes.push(AddedQuote { speaker: Some(evil("sp")), text: evil("q") });
    }
    for disc in &mut d.discrepancies {
        disc.subject = evil(&disc.subject);
        disc.explanation = evil(&disc.explanation);
        for v in &mut disc.values {
            v.display = evil(&v.display);
            v.text = evil(&v.text);
            v.sentence = evil(&v.sentence);
            v.source = v.source.as_deref().map(evil);
            v.article = evil(&v.article);
        }
    }
    for c in &mut d.contradictions {
        c.subject = evil(&c.subject);
        c.explanation = evil(&c.explanation);
        c.denied.sentence = evil(&c.denied.sentence);
        c.affirmed.carrier.source = Some(evil("o"));
    }
    for q in &mut d.quotes {
        q.speaker = q.speaker.as_deref().map(evil);
        q.role = Some(evil("role"));
        q.text = evil(&q.text);
        for a in &mut q.articles {
            a.source = a.source.as_deref().map(evil);
        }
    }
    for f in &mut d.figures {
        f.subject = evil(&f.subject);
        for v in &mut f.values {
            v.display = evil(&v.display);
            v.sentence = evil(&v.sentence);
            v.source = v.source.as_deref().map(evil);
        }
    }
    d
}
