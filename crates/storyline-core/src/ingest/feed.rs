//! RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one raw article per item or entry.
//!
//! Elements are matched on their local names, so the prefixes a feed chooses (`dc:`, `content:`,
//! `atom:`) do not matter; elements of media and podcast extensions are ignored. HTML in an item
//! (an escaped RSS `description`, `content:encoded`, Atom `type="html"` or `"xhtml"`) becomes
//! plain paragraphs through [`super::html::fragment_text`]. A syntax error part-way keeps the
//! items read before it and reports the item where the feed broke.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::html::{decode_entities, fragment_text};
use super::{IngestError, RecordError};
use crate::date::Published;
use crate::model::{Locator, RawArticle};

/// Prefixes of extensions whose elements would otherwise shadow the item's own (`media:title`,
/// `itunes:summary`).
const FOREIGN_PREFIXES: &[&str] = &[
    "app",
    "fb",
    "feedburner",
    "geo",
    "georss",
    "googleplay",
    "itunes",
    "media",
    "og",
    "podcast",
    "slash",
    "sy",
    "thr",
    "wfw",
    "yt",
];

/// Reads a feed into one result per item or entry, in document order.
///
/// An item without title or text is an `Err` for that item; the others still go in. The whole
/// feed fails when it is empty, is not a feed at all (an HTML page, another XML vocabulary), or
/// breaks before its first item.
pub fn parse_feed(bytes: &[u8]) -> Result<Vec<Result<RawArticle, RecordError>>, IngestError> {
    parse_feed_declared(bytes, None)
}

/// [`parse_feed`] for a feed whose container (an HTTP `Content-Type` header) declares a
/// charset: it counts before the feed's own XML declaration (as RFC 7303 has it), after valid
/// UTF-8.
pub fn parse_feed_declared(
    bytes: &[u8],
    charset: Option<&str>,
) -> Result<Vec<Result<RawArticle, RecordError>>, IngestError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    super::encoding::check_text(bytes)?;
    let decoded = super::encoding::decode(bytes, charset);
    if decoded.text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    let mut parser = Parser::default();
    parser.run(&decoded.text, |pos| source_offset(bytes, &decoded.text, decoded.encoding, pos))?;
    let Parser { items, channel, failure, .. } = parser;
    let mut out: Vec<Result<RawArticle, RecordError>> =
        items.into_iter().map(|item| item.finish(&channel, decoded.encoding)).collect();
    out.extend(failure.map(Err));
    Ok(out)
}

/// The byte offset in the original file of byte `pos` of the decoded text.
fn source_offset(bytes: &[u8], text: &str, encoding: &str, pos: usize) -> usize {
    let Some(before) = text.get(..pos.min(text.len())) else {
        return pos;
    };
    match encoding {
        "utf-8" => pos + if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 },
        "utf-16le" | "utf-16be" => 2 + 2 * before.encode_utf16().count(),
        _ => before.chars().count(),
    }
}

/// How an element's content is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    /// Plain text.
    Text,
    /// HTML, escaped or in CDATA.
    Html,
    /// Inline XHTML elements.
    Xhtml,
}

/// What a captured element's text becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Title,
    Link,
    Id,
    Published,
    Updated,
    Author,
    Summary,
    Content,
    Category,
    Language,
    FeedTitle,
    FeedLink,
    FeedLanguage,
    FeedAuthor,
}

/// The text of one element being read.
#[derive(Debug)]
struct Capture {
    target: Target,
    /// Depth of the element (length of the element stack with it on top).
    depth: usize,
    markup: Markup,
    buf: String,
    /// The text of an Atom `<name>` inside an author.
    name: String,
}

/// What the feed says about itself.
#[derive(Debug, Default)]
struct Channel {
    title: Option<String>,
    /// The outlet's home page (RSS `<link>`, Atom `<link rel="alternate">`): it names the
    /// outlet with the title, and scopes the ids of items that name no outlet and no address
    /// of their own.
    link: Option<String>,
    language: Option<String>,
    /// `xml:lang` on the root or channel, used when there is no `<language>`.
    xml_lang: Option<String>,
    /// A feed-level Atom author, which entries inherit.
    author: Option<String>,
}

/// The raw fields of one item.
#[derive(Debug, Default)]
struct Item {
    n: u64,
    title: Option<(String, Markup)>,
    link: Option<String>,
    id: Option<String>,
    id_is_link: bool,
    about: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    author: Option<String>,
    summary: Option<(String, Markup)>,
    content: Option<(String, Markup)>,
    categories: Vec<String>,
    language: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Rss,
    Rdf,
    Atom,
}

#[derive(Default)]
struct Parser {
    kind: Option<Kind>,
    /// Local names of the open elements, lowercased.
    stack: Vec<String>,
    channel: Channel,
    items: Vec<Item>,
    /// The open item and its depth.
    current: Option<(Item, usize)>,
    capture: Option<Capture>,
    count: u64,
    failure: Option<RecordError>,
}

fn html_page_error() -> IngestError {
    IngestError::Malformed("not an RSS or Atom feed: the file is an HTML page".into())
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text.chars().take(2048).collect::<String>().to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
}

fn lower_utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_ascii_lowercase()
}

/// The attributes of a tag: lowercased qualified names and entity-decoded values.
fn attributes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    attrs
        .flatten()
        .map(|a| (lower_utf8(a.key.as_ref()), decode_entities(&String::from_utf8_lossy(&a.value))))
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// The markup an Atom `type` attribute announces (`text` when absent).
fn atom_markup(kind: Option<&str>) -> Option<Markup> {
    match kind.map(str::to_ascii_lowercase).as_deref() {
        None | Some("text") | Some("text/plain") => Some(Markup::Text),
        Some("html") | Some("text/html") => Some(Markup::Html),
        Some("xhtml") | Some("application/xhtml+xml") => Some(Markup::Xhtml),
        // Other media types (images, base64 data) are not text.
        Some(_) => None,
    }
}

impl Parser {
    fn run(&mut self, text: &str, offset: impl Fn(usize) -> usize) -> Result<(), IngestError> {
        let mut reader = Reader::from_str(text);
        reader.config_mut().allow_dangling_amp = true;
        loop {
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let pos = offset(usize::try_from(reader.error_position()).unwrap_or(usize::MAX));
                    return self.broken(text, format!("xml syntax error at byte {pos}: {e}"));
                }
            };
            match event {
                Event::Start(e) => self.start(&e)?,
                Event::Empty(e) => {
                    self.start(&e)?;
                    self.end(e.name().as_ref());
                }
                Event::End(e) => self.end(e.name().as_ref()),
                Event::Text(t) => self.text(&String::from_utf8_lossy(&t), false),
                Event::CData(c) => self.text(&String::from_utf8_lossy(&c), true),
                Event::GeneralRef(r) => self.reference(&String::from_utf8_lossy(&r)),
                Event::DocType(d) => {
                    if self.kind.is_none() && lower_utf8(&d).trim_start().starts_with("html") {
                        return Err(html_page_error());
                    }
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            }
        }
        if self.kind.is_none() {
            return Err(IngestError::Malformed("not an RSS or Atom feed: no root element found".into()));
        }
        if let Some((item, _)) = self.current.take() {
            self.failure = Some(RecordError::new(
                Locator::Item(item.n),
                "the feed ends inside this item (truncated file?)",
            ));
        }
        Ok(())
    }

    /// Handles a syntax error: before the root or the first item it sinks the feed; later it is
    /// reported against the item where it happened and the items before it stand.
    fn broken(&mut self, text: &str, reason: String) -> Result<(), IngestError> {
        if self.kind.is_none() && looks_like_html(text) {
            return Err(html_page_error());
        }
        if let Some((item, _)) = self.current.take() {
            self.failure = Some(RecordError::new(
                Locator::Item(item.n),
                format!("{reason}; the rest of the feed is skipped"),
            ));
            return Ok(());
        }
        if self.count == 0 {
            return Err(IngestError::Malformed(format!("{reason} (before the first item)")));
        }
        self.failure = Some(RecordError::new(
            Locator::Item(self.count + 1),
            format!("{reason} (after item {}); the rest of the feed is skipped", self.count),
        ));
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>) -> Result<(), IngestError> {
        let local = lower_utf8(e.local_name().as_ref());
        let prefix = e.name().prefix().map(|p| lower_utf8(p.as_ref()));
        let depth = self.stack.len() + 1;
        let result = self.open(e, &local, prefix.as_deref(), depth);
        self.stack.push(local);
        result
    }

    fn open(
        &mut self,
        e: &BytesStart<'_>,
        local: &str,
        prefix: Option<&str>,
        depth: usize,
    ) -> Result<(), IngestError> {
        // The root decides what the document is.
        let Some(kind) = self.kind else {
            let kind = match local {
                "rss" => Kind::Rss,
                "feed" => Kind::Atom,
                "rdf" => Kind::Rdf,
                "html" => return Err(html_page_error()),
                _ => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    return Err(IngestError::Malformed(format!(
                        "not an RSS or Atom feed: the root element is <{name}>"
                    )));
                }
            };
            self.kind = Some(kind);
            self.channel.xml_lang = attr(&attributes(e), "xml:lang").map(str::to_owned);
            return Ok(());
        };

        // Inside a captured element: keep the markup of XHTML content, and of HTML content that
        // a feed wrote as elements instead of escaping it.
        if let Some(cap) = &mut self.capture {
            if cap.markup != Markup::Text {
                cap.buf.push('<');
                cap.buf.push_str(&String::from_utf8_lossy(e.name().as_ref()));
                cap.buf.push_str(&String::from_utf8_lossy(e.attributes_raw()));
                cap.buf.push('>');
            }
            return Ok(());
        }

        let foreign = prefix.is_some_and(|p| FOREIGN_PREFIXES.contains(&p));
        let item_tag = if kind == Kind::Atom { "entry" } else { "item" };

        if let Some((item, item_depth)) = &mut self.current {
            if depth != *item_depth + 1 || foreign {
                return Ok(());
            }
            let attrs = attributes(e);
            let is_atom = kind == Kind::Atom || prefix == Some("atom");
            let (target, markup) = match local {
                "title" => (
                    Target::Title,
                    if is_atom { atom_markup(attr(&attrs, "type")) } else { Some(Markup::Text) },
                ),
                "link" => {
                    if let Some(href) = attr(&attrs, "href") {
                        let rel = attr(&attrs, "rel").unwrap_or("alternate").to_ascii_lowercase();
                        let html = attr(&attrs, "type").is_none_or(|t| t.contains("html"));
                        if rel == "alternate" && html && item.link.is_none() {
                            item.link = Some(href.to_owned());
                        }
                        return Ok(());
                    }
                    (Target::Link, Some(Markup::Text))
                }
                "guid" => {
                    item.id_is_link =
                        !attr(&attrs, "ispermalink").is_some_and(|v| v.eq_ignore_ascii_case("false"));
                    (Target::Id, Some(Markup::Text))
                }
                "id" => (Target::Id, Some(Markup::Text)),
                "pubdate" | "published" | "issued" | "date" => (Target::Published, Some(Markup::Text)),
                "updated" | "modified" => (Target::Updated, Some(Markup::Text)),
                "author" | "creator" => (Target::Author, Some(Markup::Text)),
                "description" | "summary" => (
                    Target::Summary,
                    if is_atom { atom_markup(attr(&attrs, "type")) } else { Some(Markup::Html) },
                ),
                "encoded" => (Target::Content, Some(Markup::Html)),
                "content" => {
                    if attr(&attrs, "src").is_some() {
                        return Ok(());
                    }
                    (Target::Content, atom_markup(attr(&attrs, "type")))
                }
                "category" => {
                    if let Some(term) = attr(&attrs, "label").or_else(|| attr(&attrs, "term")) {
                        item.categories.push(term.to_owned());
                        return Ok(());
                    }
                    (Target::Category, Some(Markup::Text))
                }
                "subject" => (Target::Category, Some(Markup::Text)),
                "language" => (Target::Language, Some(Markup::Text)),
                _ => return Ok(()),
            };
            if let Some(markup) = markup {
                self.capture =
                    Some(Capture { target, depth, markup, buf: String::new(), name: String::new() });
            }
            return Ok(());
        }

        let attrs = attributes(e);
        if local == item_tag {
            self.count += 1;
            let item = Item {
                n: self.count,
                language: attr(&attrs, "xml:lang").map(str::to_owned),
                about: attr(&attrs, "rdf:about").map(str::to_owned),
                ..Item::default()
            };
            self.current = Some((item, depth));
            return Ok(());
        }
        let parent = self.stack.last().map(String::as_str);
        let feed_level = match kind {
            Kind::Atom => depth == 2,
            Kind::Rss | Kind::Rdf => parent == Some("channel"),
        };
        if local == "channel" && self.channel.xml_lang.is_none() {
            self.channel.xml_lang = attr(&attrs, "xml:lang").map(str::to_owned);
        }
        if feed_level && !foreign && local == "link" {
            if let Some(href) = attr(&attrs, "href") {
                let rel = attr(&attrs, "rel").unwrap_or("alternate").to_ascii_lowercase();
                if rel == "alternate" && self.channel.link.is_none() {
                    self.channel.link = Some(href.trim().to_owned()).filter(|h| !h.is_empty());
                }
                return Ok(());
            }
        }
        if feed_level && !foreign {
            let target = match local {
                "title" => Some(Target::FeedTitle),
                "link" => Some(Target::FeedLink),
                "language" => Some(Target::FeedLanguage),
                "author" if kind == Kind::Atom => Some(Target::FeedAuthor),
                _ => None,
            };
            if let Some(target) = target {
                self.capture = Some(Capture {
                    target,
                    depth,
                    markup: Markup::Text,
                    buf: String::new(),
                    name: String::new(),
                });
            }
        }
        Ok(())
    }

    fn end(&mut self, qname: &[u8]) {
        let depth = self.stack.len();
        if let Some(cap) = &mut self.capture {
            if depth == cap.depth {
                if let Some(cap) = self.capture.take() {
                    self.apply(cap);
                }
            } else if cap.markup != Markup::Text {
                cap.buf.push_str("</");
                cap.buf.push_str(&String::from_utf8_lossy(qname));
                cap.buf.push('>');
            }
        }
        self.stack.pop();
        if self.current.as_ref().is_some_and(|(_, d)| *d == depth) {
            if let Some((item, _)) = self.current.take() {
                self.items.push(item);
            }
        }
    }

    /// Text, or the content of a CDATA section, inside the current element.
    fn text(&mut self, s: &str, cdata: bool) {
        let depth = self.stack.len();
        let in_name = self.stack.last().is_some_and(|n| n == "name");
        let Some(cap) = &mut self.capture else {
            return;
        };
        if matches!(cap.target, Target::Author | Target::FeedAuthor) {
            if depth == cap.depth {
                cap.buf.push_str(s);
            } else if depth == cap.depth + 1 && in_name {
                cap.name.push_str(s);
            }
            return;
        }
        if cap.markup == Markup::Xhtml && cdata {
            cap.buf.push_str(&s.replace('&', "&amp;").replace('<', "&lt;"));
        } else {
            cap.buf.push_str(s);
        }
    }

    /// A character or entity reference (`&amp;`, `&#233;`, `&eacute;`).
    fn reference(&mut self, name: &str) {
        let xhtml = self.capture.as_ref().is_some_and(|c| c.markup == Markup::Xhtml);
        let written = format!("&{name};");
        if xhtml {
            self.text(&written, false);
        } else {
            self.text(&decode_entities(&written), false);
        }
    }

    fn apply(&mut self, cap: Capture) {
        let value = cap.buf.trim().to_owned();
        let author = || {
            let name = cap.name.trim();
            let v = if name.is_empty() { value.as_str() } else { name };
            clean_author(v)
        };
        match cap.target {
            Target::FeedTitle => {
                if self.channel.title.is_none() {
                    self.channel.title = Some(collapse(&decode_entities(&value))).filter(|t| !t.is_empty());
                }
            }
            Target::FeedLink => {
                if self.channel.link.is_none() && !value.is_empty() {
                    self.channel.link = Some(value);
                }
            }
            Target::FeedLanguage => {
                if self.channel.language.is_none() && !value.is_empty() {
                    self.channel.language = Some(value);
                }
            }
            Target::FeedAuthor => {
                if self.channel.author.is_none() {
                    self.channel.author = author();
                }
            }
            _ => {
                let Some((item, _)) = &mut self.current else {
                    return;
                };
                let set = |slot: &mut Option<String>, v: String| {
                    if slot.is_none() && !v.is_empty() {
                        *slot = Some(v);
                    }
                };
                match cap.target {
                    Target::Title => {
                        if item.title.is_none() {
                            item.title = Some((cap.buf, cap.markup));
                        }
                    }
                    Target::Link => set(&mut item.link, value),
                    Target::Id => set(&mut item.id, value),
                    Target::Published => set(&mut item.published, value),
                    Target::Updated => set(&mut item.updated, value),
                    Target::Author => {
                        if item.author.is_none() {
                            item.author = author();
                        }
                    }
                    Target::Summary => {
                        if item.summary.is_none() {
                            item.summary = Some((cap.buf, cap.markup));
                        }
                    }
                    Target::Content => {
                        if item.content.is_none() {
                            item.content = Some((cap.buf, cap.markup));
                        }
                    }
                    Target::Category => {
                        let v = collapse(&value);
                        if !v.is_empty() {
                            item.categories.push(v);
                        }
                    }
                    Target::Language => set(&mut item.language, value),
                    Target::FeedTitle | Target::FeedLink | Target::FeedLanguage | Target::FeedAuthor => {}
                }
            }
        }
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `redactie@krant.example (Jan Jansen)` becomes `Jan Jansen`; other bylines stay as they are.
fn clean_author(s: &str) -> Option<String> {
    let s = collapse(&decode_entities(s));
    if let (Some(open), true) = (s.find('('), s.ends_with(')')) {
        let name = s[open + 1..s.len() - 1].trim();
        if s[..open].contains('@') && !name.is_empty() {
            return Some(name.to_owned());
        }
    }
    (!s.is_empty()).then_some(s)
}

/// The plain text of an item's content in the given markup.
fn to_text(content: &str, markup: Markup) -> String {
    let looks_html = content.contains("</p>") || content.contains("<br") || content.contains("<p>");
    match markup {
        Markup::Html | Markup::Xhtml => fragment_text(content),
        // Many feeds leave out `type="html"`; tags give them away.
        Markup::Text if looks_html => fragment_text(content),
        Markup::Text => {
            let mut paragraphs = Vec::new();
            let mut current = String::new();
            for line in content.lines() {
                if line.trim().is_empty() {
                    paragraphs.push(collapse(&current));
                    current.clear();
                } else {
                    current.push(' ');
                    current.push_str(line);
                }
            }
            paragraphs.push(collapse(&current));
            paragraphs.retain(|p| !p.is_empty());
            paragraphs.join("\n\n")
        }
    }
}

impl Item {
    fn finish(self, channel: &Channel, encoding: &str) -> Result<RawArticle, RecordError> {
        let locator = Locator::Item(self.n);
        let title = self
            .title
            .map(|(t, markup)| match markup {
                Markup::Text => collapse(&decode_entities(&t)),
                Markup::Html | Markup::Xhtml => collapse(&fragment_text(&t)),
            })
            .filter(|t| !t.is_empty());
        let text = [self.content, self.summary]
            .into_iter()
            .flatten()
            .map(|(c, markup)| to_text(&c, markup))
            .find(|t| !t.is_empty())
            .unwrap_or_default();
        if title.is_none() && text.is_empty() {
            return Err(RecordError::new(locator, "no title or text"));
        }
        let mut article = RawArticle { title, text, locator: Some(locator), ..RawArticle::default() };
        let id_link = self
            .id
            .as_ref()
            .filter(|id| self.id_is_link && (id.starts_with("http://") || id.starts_with("https://")));
        article.url = self.link.clone().or_else(|| id_link.cloned()).or_else(|| self.about.clone());
        article.id = self.id.or(self.about);
        let mut raw_date = None;
        for date in [self.published, self.updated].into_iter().flatten() {
            match Published::parse(&date) {
                Ok(p) => {
                    article.published = Some(p);
                    break;
                }
                Err(_) => {
                    raw_date.get_or_insert(date);
                }
            }
        }
        if let Some(raw) = raw_date {
            article.metadata.insert("published_raw".into(), raw);
        }
        article.author = self.author.or_else(|| channel.author.clone());
        // The outlet: the feed's title without its section, checked against where the item
        // and the feed live.
        let names: Vec<&str> = channel.title.as_deref().into_iter().collect();
        let addresses: Vec<&str> =
            article.url.as_deref().into_iter().chain(channel.link.as_deref()).collect();
        if let Some(outlet) = super::outlet::outlet(&names, &addresses) {
            article.source = Some(outlet.name);
            if let Some(section) = outlet.section {
                article.metadata.insert("section".into(), section);
            }
        }
        article.language = self
            .language
            .or_else(|| channel.language.clone())
            .or_else(|| channel.xml_lang.clone())
            .and_then(|l| crate::analyze::lang::normalize_code(&l));
        if !self.categories.is_empty() {
            let list = self.categories.into_iter().map(serde_json::Value::String).collect();
            article.extra.insert("categories".into(), serde_json::Value::Array(list));
        }
        article.metadata.insert("encoding".into(), encoding.into());
        Ok(article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(results: &[Result<RawArticle, RecordError>], i: usize) -> &RawArticle {
        results[i].as_ref().unwrap_or_else(|e| panic!("item {} failed: {e}", i + 1))
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Het Kanaalnieuws &amp; Regio</title>
  <link>https://kanaalnieuws.example/</link>
  <language>nl-nl</language>
  <image><title>Logo</title><url>https://kanaalnieuws.example/logo.png</url></image>
  <item>
    <title>Sluis bij Tiel weken dicht na aanvaring</title>
    <link>https://kanaalnieuws.example/sluis-tiel</link>
    <guid isPermaLink="false">kn-2024-0412</guid>
    <pubDate>Fri, 12 Apr 2024 09:45:00 +0200</pubDate>
    <dc:creator>Joost Hermans</dc:creator>
    <category>Binnenland</category>
    <category>Scheepvaart</category>
    <media:title>Foto van de sluis</media:title>
    <description>&lt;p&gt;Een vrachtschip is &lt;b&gt;woensdagnacht&lt;/b&gt; tegen de sluisdeur gevaren.&lt;/p&gt;&lt;p&gt;Herstel duurt &amp;eacute;&amp;eacute;n maand.&lt;/p&gt;</description>
  </item>
  <item>
    <title><![CDATA[Raad stemt in met "nieuwe" kade]]></title>
    <link>https://kanaalnieuws.example/kade</link>
    <guid>https://kanaalnieuws.example/?p=77</guid>
    <pubDate>gisteren rond het middaguur</pubDate>
    <author>redactie@kanaalnieuws.example (Fleur de Boer)</author>
    <description>Korte samenvatting.</description>
    <content:encoded><![CDATA[<p>De gemeenteraad van Culemborg heeft ingestemd met de bouw van een nieuwe kade.</p>
<p>Kosten: &euro; 4,5 miljoen &ndash; meer dan gepland.</p><script>track()</script>]]></content:encoded>
  </item>
</channel>
</rss>"#;

    #[test]
    fn the_feed_address_names_and_scopes_items_that_name_nothing_else() {
        let rss = r#"<rss version="2.0"><channel>
  <link>https://www.dorpsomroep.example/</link>
  <item><guid isPermaLink="false">4994612</guid><description>De brug gaat dicht.</description></item>
  <item><guid isPermaLink="false">4994613</guid><link>https://elders.example/x</link><description>Open.</description></item>
</channel></rss>"#;
        let results = parse_feed(rss.as_bytes()).unwrap();
        // No title: the feed's own address names the outlet, which scopes the id.
        let a = crate::ingest::prepare::prepare(ok(&results, 0).clone(), &Default::default());
        assert_eq!(a.source.as_deref(), Some("dorpsomroep.example"));
        assert!(a.id.starts_with("4994612@"), "{}", a.id);
        // An item with its own address is named and scoped by it.
        let b = crate::ingest::prepare::prepare(ok(&results, 1).clone(), &Default::default());
        assert_eq!(b.source.as_deref(), Some("elders.example"));
        assert!(b.id.starts_with("4994613@"), "{}", b.id);
        assert_ne!(a.id.split_once('@').unwrap().1, b.id.split_once('@').unwrap().1);
        // Atom's feed-level alternate link counts too (not its `self` link).
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom">
  <link rel="self" href="https://api.dorpsomroep.example/feed"/><link href="https://dorpsomroep.example/"/>
  <entry><id>urn:uuid:1</id><summary>Tekst.</summary></entry></feed>"#;
        let results = parse_feed(atom.as_bytes()).unwrap();
        assert_eq!(ok(&results, 0).source.as_deref(), Some("dorpsomroep.example"));
    }

    #[test]
    fn rss_items_with_escaped_html_and_cdata() {
        let results = parse_feed(RSS.as_bytes()).unwrap();
        assert_eq!(results.len(), 2);
        let a = ok(&results, 0);
        assert_eq!(a.title.as_deref(), Some("Sluis bij Tiel weken dicht na aanvaring"));
        assert_eq!(
            a.text,
            "Een vrachtschip is woensdagnacht tegen de sluisdeur gevaren.\n\nHerstel duurt één maand."
        );
        assert_eq!(a.url.as_deref(), Some("https://kanaalnieuws.example/sluis-tiel"));
        assert_eq!(a.id.as_deref(), Some("kn-2024-0412"));
        assert_eq!(a.published, Published::parse("2024-04-12T07:45:00Z").ok());
        assert_eq!(a.author.as_deref(), Some("Joost Hermans"));
        assert_eq!(a.source.as_deref(), Some("Het Kanaalnieuws & Regio"));
        assert_eq!(a.language, crate::analyze::lang::normalize_code("nl-nl"));
        assert_eq!(a.extra["categories"], serde_json::json!(["Binnenland", "Scheepvaart"]));
        assert_eq!(a.locator, Some(Locator::Item(1)));
        assert_eq!(a.metadata["encoding"], "utf-8");

        let b = ok(&results, 1);
        assert_eq!(b.title.as_deref(), Some("Raad stemt in met \"nieuwe\" kade"));
        assert_eq!(
            b.text,
            "De gemeenteraad van Culemborg heeft ingestemd met de bouw van een nieuwe kade.\n\nKosten: € 4,5 miljoen – meer dan gepland."
        );
        assert_eq!(b.author.as_deref(), Some("Fleur de Boer"));
        assert_eq!(b.published, None);
        assert_eq!(b.metadata["published_raw"], "gisteren rond het middaguur");
        assert_eq!(b.id.as_deref(), Some("https://kanaalnieuws.example/?p=77"));
        assert_eq!(b.locator, Some(Locator::Item(2)));
        assert!(!b.extra.contains_key("categories"));
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl-BE">
  <title type="text">De Scheldebode</title>
  <author><name>Redactie Scheldebode</name></author>
  <link rel="self" href="https://scheldebode.example/feed.atom"/>
  <entry>
    <title type="html">Haven van Gent &lt;em&gt;breidt uit&lt;/em&gt;</title>
    <link rel="edit" href="https://scheldebode.example/api/1"/>
    <link rel="alternate" type="text/html" href="https://scheldebode.example/haven-gent"/>
    <id>urn:uuid:6f1c2a9e-0001</id>
    <updated>2024-02-01T12:00:00Z</updated>
    <published>2024-02-01T10:30:00+01:00</published>
    <author><name>Lotte Peeters</name><email>lotte@scheldebode.example</email></author>
    <category term="economie" label="Economie"/>
    <summary>Korte samenvatting die niet gebruikt wordt.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>De haven krijgt een nieuw dok &amp; een terminal.</p><p>Werk start in <strong>mei</strong>.</p></div></content>
  </entry>
  <entry>
    <title>Brug in Antwerpen tijdelijk dicht</title>
    <link href="https://scheldebode.example/brug"/>
    <id>urn:uuid:6f1c2a9e-0002</id>
    <updated>2024-02-02</updated>
    <content type="text">Eerste alinea over de brug.

Tweede alinea   met extra   spaties.</content>
  </entry>
</feed>"#;
        let results = parse_feed(atom.as_bytes()).unwrap();
        assert_eq!(results.len(), 2);
        let a = ok(&results, 0);
        assert_eq!(a.title.as_deref(), Some("Haven van Gent breidt uit"));
        assert_eq!(a.text, "De haven krijgt een nieuw dok & een terminal.\n\nWerk start in mei.");
        assert_eq!(a.url.as_deref(), Some("https://scheldebode.example/haven-gent"));
        assert_eq!(a.id.as_deref(), Some("urn:uuid:6f1c2a9e-0001"));
        assert_eq!(a.published, Published::parse("2024-02-01T09:30:00Z").ok());
        assert_eq!(a.author.as_deref(), Some("Lotte Peeters"));
        assert_eq!(a.source.as_deref(), Some("De Scheldebode"));
        assert_eq!(a.language, crate::analyze::lang::normalize_code("nl-BE"));
        assert_eq!(a.extra["categories"], serde_json::json!(["Economie"]));

        let b = ok(&results, 1);
        assert_eq!(b.text, "Eerste alinea over de brug.\n\nTweede alinea met extra spaties.");
        assert_eq!(b.url.as_deref(), Some("https://scheldebode.example/brug"));
        // Without `published`, `updated` is the date; the feed's author is inherited.
        assert_eq!(b.published, Published::parse("2024-02-02").ok());
        assert_eq!(b.author.as_deref(), Some("Redactie Scheldebode"));
    }

    #[test]
    fn rss_1_rdf() {
        let rdf = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://polderpost.example/">
    <title>Polderpost</title>
    <dc:language>nl</dc:language>
  </channel>
  <item rdf:about="https://polderpost.example/gemaal">
    <title>Gemaal draait overuren</title>
    <description>Door de regen pompt het gemaal dag en nacht.</description>
    <dc:date>2023-12-28T18:00:00+01:00</dc:date>
    <dc:creator>Anouk Smit</dc:creator>
    <dc:subject>Weer</dc:subject>
  </item>
</rdf:RDF>"#;
        let results = parse_feed(rdf.as_bytes()).unwrap();
        assert_eq!(results.len(), 1);
        let a = ok(&results, 0);
        assert_eq!(a.title.as_deref(), Some("Gemaal draait overuren"));
        assert_eq!(a.text, "Door de regen pompt het gemaal dag en nacht.");
        assert_eq!(a.url.as_deref(), Some("https://polderpost.example/gemaal"));
        assert_eq!(a.published, Published::parse("2023-12-28T17:00:00Z").ok());
        assert_eq!(a.author.as_deref(), Some("Anouk Smit"));
        assert_eq!(a.source.as_deref(), Some("Polderpost"));
        assert_eq!(a.language, crate::analyze::lang::normalize_code("nl"));
        assert_eq!(a.extra["categories"], serde_json::json!(["Weer"]));
    }

    #[test]
    fn unescaped_html_in_description_keeps_paragraphs() {
        let feed = "<rss><channel><title>Havenkrant</title><item><title>Nieuwe veerpont</title>\
<description><p>De pont vaart vanaf maart.</p><p>Een retour kost <b>2 euro</b>.</p></description>\
</item></channel></rss>";
        let results = parse_feed(feed.as_bytes()).unwrap();
        assert_eq!(ok(&results, 0).text, "De pont vaart vanaf maart.\n\nEen retour kost 2 euro.");
    }

    #[test]
    fn html_page_is_not_a_feed() {
        let page = "<!DOCTYPE html>\n<html lang=nl><head><meta charset=utf-8><title>Nieuws</title></head><body><p>Hallo</p></body></html>";
        let err = parse_feed(page.as_bytes()).unwrap_err();
        assert!(matches!(&err, IngestError::Malformed(m) if m.contains("HTML page")), "{err}");
        let bare = "<html><body><p>Geen doctype<br></p></body></html>";
        let err = parse_feed(bare.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("HTML page"), "{err}");
    }

    #[test]
    fn other_xml_names_its_root() {
        let sitemap = r#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/</loc></url></urlset>"#;
        let err = parse_feed(sitemap.as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), "not an RSS or Atom feed: the root element is <urlset>");
    }

    #[test]
    fn item_without_title_or_text() {
        let feed = r#"<rss><channel><title>Dorpskrant</title>
<item><title>Kermis gaat door</title></item>
<item><link>https://dorpskrant.example/leeg</link><description>   </description></item>
<item><description>Alleen tekst, geen kop.</description></item>
</channel></rss>"#;
        let results = parse_feed(feed.as_bytes()).unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(ok(&results, 0).text, "");
        assert_eq!(ok(&results, 0).title.as_deref(), Some("Kermis gaat door"));
        let err = results[1].as_ref().unwrap_err();
        assert_eq!(err, &RecordError::new(Locator::Item(2), "no title or text"));
        assert_eq!(err.to_string(), "item 2: no title or text");
        assert_eq!(ok(&results, 2).title, None);
        assert_eq!(ok(&results, 2).text, "Alleen tekst, geen kop.");
    }

    #[test]
    fn syntax_error_midway_keeps_earlier_items() {
        let feed = "<rss><channel><title>Veenkoloniaal Dagblad</title>\
<item><title>Eerste bericht</title><description>Tekst een.</description></item>\
<item><title>Tweede bericht</title><description>Tekst twee.</description></item>\
<item><title>Derde bericht</titel><description>Kapot.</description></item>\
<item><title>Vierde bericht</title></item></channel></rss>";
        let results = parse_feed(feed.as_bytes()).unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(ok(&results, 0).title.as_deref(), Some("Eerste bericht"));
        assert_eq!(ok(&results, 1).text, "Tekst twee.");
        let err = results[2].as_ref().unwrap_err();
        assert_eq!(err.locator, Locator::Item(3));
        let at = feed.find("</titel>").unwrap();
        assert!(err.reason.contains(&format!("byte {at}")), "{}", err.reason);
        assert!(err.reason.contains("titel"), "{}", err.reason);
    }

    #[test]
    fn syntax_error_before_first_item_sinks_the_feed() {
        let feed = "<rss><channel><title>Kapot</tite><item><title>x</title></item></channel></rss>";
        match parse_feed(feed.as_bytes()) {
            Err(IngestError::Malformed(m)) => {
                let at = feed.find("</tite>").unwrap();
                assert!(m.contains(&format!("xml syntax error at byte {at}:")), "{m}");
                assert!(m.contains("before the first item"), "{m}");
            }
            other => panic!("expected malformed, got {other:?}"),
        }
    }

    #[test]
    fn truncated_feed_reports_the_open_item() {
        let feed =
            "<rss><channel><title>Kustkrant</title><item><title>Volledig</title></item><item><title>Half";
        let results = parse_feed(feed.as_bytes()).unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(ok(&results, 0).title.as_deref(), Some("Volledig"));
        assert_eq!(results[1].as_ref().unwrap_err().locator, Locator::Item(2));
    }

    #[test]
    fn empty_feeds() {
        assert!(matches!(parse_feed(b""), Err(IngestError::Empty)));
        assert!(matches!(parse_feed(b" \n\t"), Err(IngestError::Empty)));
        assert!(matches!(parse_feed(b"\xEF\xBB\xBF\n"), Err(IngestError::Empty)));
        let no_items =
            parse_feed(b"<rss version=\"2.0\"><channel><title>Stil</title></channel></rss>").unwrap();
        assert!(no_items.is_empty());
        assert!(matches!(parse_feed(b"gewoon tekst"), Err(IngestError::Malformed(_))));
    }

    #[test]
    fn windows_1252_feed_and_html_entities() {
        let mut feed =
            b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><title>Grensnieuws</title>"
                .to_vec();
        feed.extend_from_slice(b"<item><title>Belgi\xEB en Nederland tekenen akkoord</title>");
        feed.extend_from_slice(b"<description>Caf&eacute;s &amp; terrassen \x96 vanaf &#8364; 3&nbsp;per uur.</description></item></channel></rss>");
        let results = parse_feed(&feed).unwrap();
        let a = ok(&results, 0);
        assert_eq!(a.title.as_deref(), Some("België en Nederland tekenen akkoord"));
        assert_eq!(a.text, "Cafés & terrassen – vanaf € 3 per uur.");
        assert_eq!(a.metadata["encoding"], "windows-1252");
    }

    #[test]
    fn byte_positions_count_source_bytes() {
        let text = "aé<";
        assert_eq!(source_offset(b"", text, "utf-8", 3), 3);
        assert_eq!(source_offset(b"\xEF\xBB\xBF", text, "utf-8", 3), 6);
        assert_eq!(source_offset(b"", text, "windows-1252", 3), 2);
    }
}
