//! Server-rendered pages: every byte of markup, style and script is built here or embedded in
//! the binary, and every piece of article text is escaped before it reaches a page.
//!
//! The page functions are pure: they take what the store and the dossier code return and give
//! back a whole HTML document as a `String`. The handlers fetch, these render. Pages carry a
//! restrictive Content-Security-Policy (scripts and styles only from the site itself, no inline
//! script), so even a piece of markup that slipped past [`escape`] could not run.

mod article;
mod correct;
mod feed;
mod feeds;
mod layout;
mod search;
mod stories;
mod story;
mod svg;

use std::fmt::Write;

use storyline_core::Published;

pub use article::{article_page, article_page_with};
pub use feed::{search_feed, story_feed};
pub use feeds::{feeds_page, FeedsView};
pub use layout::error_page;
pub use search::{search_page, SearchForm, SEARCH_PAGE_SIZE};
pub use stories::{stories_page, StoriesForm, STORIES_PAGE_SIZE};
pub use story::{story_page, story_page_at, story_page_with, STORY_PAGE_REPORTS};

/// The stylesheet every page links, served at `/assets/style.css`.
pub const STYLE_CSS: &str = include_str!("style.css");

/// The small progressive script every page links, served at `/assets/app.js`. The pages work
/// without it.
pub const APP_JS: &str = include_str!("app.js");

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// [`escape`], appended to `out`.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    // The five characters are ASCII: the text is copied in runs between them.
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&text[from..]);
}

/// Percent-encodes a query-string value or a path segment (everything but the unreserved
/// characters of RFC 3986). The result still goes through [`escape`] in an attribute.
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// [`encode_component`], appended to `out`.
pub(crate) fn push_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// Builds `a=1&b=2` from the pairs whose value is not empty, values percent-encoded.
/// The address of page `page` of a listing at `path` filtered by `query` (a query string
/// without the page): `/search?q=brug&page=2`; page 1 carries no page parameter.
pub(crate) fn paged_href(path: &str, query: &str, page: usize) -> String {
    let page_part = if page > 1 { format!("page={page}") } else { String::new() };
    let parts: Vec<&str> = [query, page_part.as_str()].into_iter().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}

pub(crate) fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if value.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(&encode_component(value));
    }
    out
}

/// The page of one article.
pub(crate) fn article_href(id: &str) -> String {
    // `@` may stand in a path segment as it is: scoped ids (`4994612@nos`) stay readable.
    format!("/articles/{}", encode_component(id).replace("%40", "@"))
}

/// The page of one story.
pub(crate) fn story_href(id: i64) -> String {
    format!("/stories/{id}")
}

/// A publication time as a reader sees it, at its precision (`2017-10-17 14:05 UTC`; seconds
/// only when they are not zero).
pub(crate) fn date_text(p: &Published) -> String {
    date_text_of(p, p.to_string())
}

/// [`date_text`] from the time's machine form (`p.to_string()`), already written.
fn date_text_of(p: &Published, mut s: String) -> String {
    if p.precision == storyline_core::Precision::Second && s.ends_with(":00Z") {
        s.truncate(s.len() - 4);
        s.push('Z');
    }
    match s.strip_suffix('Z') {
        Some(t) => format!("{} UTC", t.replace('T', " ")),
        None => s,
    }
}

/// A `<time>` element for a publication time, or a muted "undated".
pub(crate) fn time_tag(p: Option<&Published>) -> String {
    match p {
        Some(_) => {
            let mut out = String::with_capacity(72);
            push_time_tag(&mut out, p);
            out
        }
        None => "<span class=\"undated\">undated</span>".to_string(),
    }
}

/// [`time_tag`], appended to `out`.
pub(crate) fn push_time_tag(out: &mut String, p: Option<&Published>) {
    match p {
        Some(p) => {
            let iso = p.to_string();
            out.push_str("<time datetime=\"");
            push_escaped(out, &iso);
            out.push_str("\">");
            push_escaped(out, &date_text_of(p, iso));
            out.push_str("</time>");
        }
        None => out.push_str("<span class=\"undated\">undated</span>"),
    }
}

/// A `<time>` element showing the date only (the full time in its tooltip), for listings.
pub(crate) fn date_tag(p: Option<&Published>) -> String {
    match p {
        Some(p) => {
            let full = date_text(p);
            let short: String = full.chars().take(10).collect();
            format!(
                "<time datetime=\"{}\" title=\"{}\">{}</time>",
                escape(&p.to_string()),
                escape(&full),
                escape(&short)
            )
        }
        None => "<span class=\"undated\">undated</span>".to_string(),
    }
}

/// Outlet colours: distinguishable, dark enough for white outlines and for text on white. A
/// prime count spreads the hash evenly.
const PALETTE: [&str; 13] = [
    "#1f6fb2", "#c2410c", "#7c3aed", "#a21caf", "#b91c1c", "#0e7490", "#854d0e", "#4338ca", "#be185d",
    "#4d7c0f", "#15803d", "#ca8a04", "#334155",
];

/// The colour of reports without an outlet.
const NO_OUTLET_COLOUR: &str = "#6b7280";

/// A stable colour for an outlet: FNV-1a over its lowercased name picks a palette entry, so an
/// outlet has the same colour on every page and every run.
pub(crate) fn outlet_colour(outlet: Option<&str>) -> &'static str {
    let Some(name) = outlet else { return NO_OUTLET_COLOUR };
    let name = name.trim();
    let mut hash: u32 = 0x811c_9dc5;
    let mut add = |b: u8| {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    };
    if name.is_ascii() {
        name.bytes().for_each(|b| add(b.to_ascii_lowercase()));
    } else {
        name.to_lowercase().bytes().for_each(add);
    }
    PALETTE[(hash % PALETTE.len() as u32) as usize]
}

/// A small colour square for an outlet (inline SVG, so no style attribute is needed).
fn push_swatch(out: &mut String, outlet: Option<&str>) {
    out.push_str("<svg class=\"swatch\" viewBox=\"0 0 10 10\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"10\" height=\"10\" rx=\"2\" fill=\"");
    out.push_str(outlet_colour(outlet));
    out.push_str("\"/></svg>");
}

/// An outlet name with its colour square, or a muted placeholder.
pub(crate) fn outlet_tag(outlet: Option<&str>) -> String {
    let mut out = String::with_capacity(200);
    push_outlet_tag(&mut out, outlet);
    out
}

/// [`outlet_tag`], appended to `out`.
pub(crate) fn push_outlet_tag(out: &mut String, outlet: Option<&str>) {
    match outlet {
        Some(name) => {
            out.push_str("<span class=\"outlet\">");
            push_swatch(out, Some(name));
            push_escaped(out, name);
            out.push_str("</span>");
        }
        None => {
            out.push_str("<span class=\"outlet muted\">");
            push_swatch(out, None);
            out.push_str("no outlet</span>");
        }
    }
}

/// A URL as a link when it is http(s); any other scheme (`javascript:`, `data:`) as plain text.
pub(crate) fn external_link(url: &str) -> String {
    if is_web_url(url) {
        format!(
            "<a class=\"external\" href=\"{0}\" rel=\"noopener noreferrer nofollow\">{0}</a>",
            escape(url.trim())
        )
    } else {
        format!("<span class=\"url\">{}</span>", escape(url))
    }
}

/// Whether a URL is an absolute http or https address.
pub(crate) fn is_web_url(url: &str) -> bool {
    let u = url.trim();
    let lower: String = u.chars().take(8).collect::<String>().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !u.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Text with the given character ranges wrapped in `<mark>`; ranges are clamped, sorted and
/// merged, so any input gives well-formed markup.
pub(crate) fn mark_ranges(text: &str, ranges: &[(usize, usize)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize)> = ranges
        .iter()
        .map(|&(s, e)| (s.min(chars.len()), e.min(chars.len())))
        .filter(|(s, e)| s < e)
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = String::with_capacity(text.len() + merged.len() * 13);
    let mut at = 0;
    for (s, e) in merged {
        out.push_str(&escape(&chars[at..s].iter().collect::<String>()));
        out.push_str("<mark>");
        out.push_str(&escape(&chars[s..e].iter().collect::<String>()));
        out.push_str("</mark>");
        at = e;
    }
    out.push_str(&escape(&chars[at..].iter().collect::<String>()));
    out
}

/// Shortens text to at most `max` characters, ending with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `1 report`, `3 reports`.
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }

    #[test]
    fn text_around_markup_keeps_every_character() {
        assert_eq!(escape("café „brug” <é>&'ü'"), "café „brug” &lt;é&gt;&amp;&#39;ü&#39;");
        assert_eq!(escape(""), "");
        assert_eq!(escape("Zürich"), "Zürich");
        assert_eq!(outlet_colour(Some("Ελληνική Ώρα")), outlet_colour(Some("ελληνική ώρα")));
    }

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            query_string(&[("q", "brug zwolle"), ("source", ""), ("page", "2")]),
            "q=brug%20zwolle&page=2"
        );
        assert_eq!(article_href("nos/2017?x"), "/articles/nos%2F2017%3Fx");
        assert_eq!(article_href("4994612@nos.nl"), "/articles/4994612@nos.nl");
    }

    #[test]
    fn only_web_urls_become_links() {
        assert!(external_link("https://example.org/a?b=1&c=2")
            .contains("href=\"https://example.org/a?b=1&amp;c=2\""));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "//evil.example/x",
            "vbscript:x",
        ] {
            let html = external_link(bad);
            assert!(!html.contains("href"), "{bad} became a link: {html}");
        }
        assert!(external_link("HTTP://Example.org/").contains("href="));
        assert!(!external_link("https://exa mple.org/").contains("href="));
    }

    #[test]
    fn outlet_colours_are_stable_and_from_the_palette() {
        let a = outlet_colour(Some("Morgenblad"));
        assert_eq!(a, outlet_colour(Some("morgenblad ")));
        assert!(PALETTE.contains(&a));
        assert_eq!(outlet_colour(None), NO_OUTLET_COLOUR);
        let distinct: std::collections::BTreeSet<_> = [
            "Het Morgenblad",
            "De Dagkoerier",
            "NPB",
            "The Harbour Herald",
            "The Northgate Post",
            "Vlaamse Tijding",
        ]
        .iter()
        .map(|o| outlet_colour(Some(o)))
        .collect();
        assert_eq!(distinct.len(), 6, "the demo's outlets get colours of their own: {distinct:?}");
    }

    #[test]
    fn marked_ranges_are_merged_clamped_and_escaped() {
        assert_eq!(
            mark_ranges("café <b> brug", &[(0, 4), (6, 7), (5, 8), (10, 99)]),
            "<mark>café</mark> <mark>&lt;b&gt;</mark> b<mark>rug</mark>"
        );
        assert_eq!(mark_ranges("„zo”", &[(1, 3), (2, 1)]), "„<mark>zo</mark>”");
        assert_eq!(mark_ranges("x", &[]), "x");
    }

    #[test]
    fn dates_read_at_their_precision() {
        let p = Published::parse("2017-10-17T14:05:00Z").unwrap();
        assert_eq!(
            date_text(&Published { precision: storyline_core::date::Precision::Minute, ..p }),
            "2017-10-17 14:05 UTC"
        );
        assert_eq!(date_text(&Published::month(2017, 10).unwrap()), "2017-10");
        assert_eq!(date_text(&p), "2017-10-17 14:05 UTC", "zero seconds are left out");
        assert_eq!(date_text(&Published::parse("2017-10-17T14:05:09Z").unwrap()), "2017-10-17 14:05:09 UTC");
        assert_eq!(
            date_tag(Some(&p)),
            "<time datetime=\"2017-10-17T14:05:00Z\" title=\"2017-10-17 14:05 UTC\">2017-10-17</time>"
        );
        assert_eq!(time_tag(None), "<span class=\"undated\">undated</span>");
    }
}
