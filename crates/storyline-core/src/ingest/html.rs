//! HTML pages: a tolerant tokenizer, a small element tree, the page's metadata, and its main
//! text.
//!
//! The main text comes from `dom_smoothie` (a port of Mozilla's Readability, chosen by its score
//! on real pages: see `storyline eval DIR --gold extraction`), cleaned with what this module
//! knows of the page: figure captions, bylines and small blocks of page furniture (ads, share
//! bars, related articles) are taken out where the extractor kept them. When it finds nothing,
//! this module's own extractor answers: it looks for the element the page marks as its article
//! (`itemprop=articleBody`, `<article>`, `<main>`) or scores the blocks of the page by their
//! text and link density and keeps the best one with its siblings.
//!
//! The parser never fails on bad markup: unclosed, stray and misnested tags are repaired the way
//! a browser would roughly repair them. Metadata (title, date with its offset, byline, address,
//! outlet, language, captions) comes from `<meta>` tags, `<link rel=canonical>`, JSON-LD and the
//! article's own markup.

use std::collections::BTreeMap;

use super::IngestError;
use crate::date::Published;
use crate::model::{Locator, RawArticle};

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is raw text up to the matching end tag, without entity decoding.
const RAW_TEXT: &[&str] =
    &["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"];

/// Elements whose content is text up to the matching end tag, with entities decoded.
const RCDATA: &[&str] = &["title", "textarea"];

/// Elements that start a new paragraph in the text output.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];

/// Elements that belong in `<head>`.
const HEAD_CONTENT: &[&str] =
    &["base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style", "template", "title"];

/// Elements that an implied `</p>` does not look past.
const P_SCOPE_BOUNDARY: &[&str] =
    &["applet", "button", "caption", "html", "marquee", "object", "table", "td", "template", "th"];

/// Elements that are page furniture whatever their class.
const FURNITURE_TAGS: &[&str] = &[
    "aside", "audio", "button", "canvas", "dialog", "embed", "footer", "form", "frameset", "head", "header",
    "iframe", "input", "label", "link", "map", "math", "menu", "meta", "nav", "noscript", "object", "script",
    "select", "style", "svg", "template", "textarea", "title", "video",
];

/// ARIA roles of page furniture.
const FURNITURE_ROLES: &[&str] = &[
    "alertdialog",
    "banner",
    "complementary",
    "contentinfo",
    "dialog",
    "menu",
    "menubar",
    "navigation",
    "search",
    "toolbar",
];

/// Words in a class or id that mark page furniture, matched against whole segments of a token
/// split on `-`, `_` and lower-to-upper case changes, so `ad-slot` matches and `shadow` does not.
const FURNITURE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "advertentie",
    "advertenties",
    "advertisement",
    "adverts",
    "adslot",
    "aside",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "comment",
    "comments",
    "consent",
    "cookie",
    "cookiebar",
    "cookies",
    "crumbs",
    "delen",
    "disqus",
    "footer",
    "gdpr",
    "header",
    "hidden",
    "masthead",
    "menu",
    "menubar",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "nieuwsbrief",
    "outbrain",
    "overlay",
    "pager",
    "pagination",
    "popup",
    "promo",
    "promotion",
    "reactie",
    "reacties",
    "recommended",
    "related",
    "share",
    "sharebar",
    "sharing",
    "sidebar",
    "skiplink",
    "social",
    "socials",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "taboola",
    "tags",
    "toolbar",
    "widget",
    "widgets",
];

/// First segments of a class token that describe a state rather than the element itself
/// (`has-sidebar`, `no-ads`): such tokens are not evidence of furniture.
const STATE_PREFIXES: &[&str] = &["has", "hide", "is", "no", "show", "with", "without"];

/// Deeper nesting than this is flattened, so that walks over the tree stay shallow.
const MAX_DEPTH: usize = 400;

/// Reads an HTML page into one article: its main text and what the page says about it.
///
/// Same as [`parse_html_declared`] without a declared charset.
pub fn parse_html(bytes: &[u8]) -> Result<RawArticle, IngestError> {
    parse_html_declared(bytes, None)
}

/// Reads an HTML page whose container (an HTTP `Content-Type` header) may declare a charset.
///
/// The bytes are decoded with [`super::encoding::decode`] (valid UTF-8 first, then `charset`,
/// then the page's own `<meta charset>`, then Windows-1252); the encoding used is kept in
/// `metadata["encoding"]`. A page without article text is an [`IngestError::Malformed`].
pub fn parse_html_declared(bytes: &[u8], charset: Option<&str>) -> Result<RawArticle, IngestError> {
    parse_html_at(bytes, charset, None)
}

/// Reads an HTML page fetched from `address` (a crawl record's target), which names the outlet
/// when the page does not say where it lives; otherwise as [`parse_html_declared`].
pub fn parse_html_at(
    bytes: &[u8],
    charset: Option<&str>,
    address: Option<&str>,
) -> Result<RawArticle, IngestError> {
    super::encoding::check_text(bytes)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    let decoded = super::encoding::decode(bytes, charset);
    let dom = Dom::parse(&decoded.text);
    let (mut article, own_text) = extract(&dom, address);
    // The main text: the readability extractor's, or, when it finds none (or fails), ours.
    // Captions are the figures', not the article's: they are kept apart (`metadata["caption"]`),
    // and left out of the text where the extractor ran them into a paragraph.
    let text = readable_text(&decoded.text)
        .map(|t| without_furniture(&t, &furniture_snippets(&dom)))
        .filter(|t| !t.is_empty())
        .unwrap_or(own_text);
    if text.is_empty() {
        let what = article.title.as_deref().map(|t| format!(" `{t}`")).unwrap_or_default();
        return Err(IngestError::Malformed(format!("no article text found in the page{what}")));
    }
    article.text = text;
    article.metadata.insert("encoding".into(), decoded.encoding.into());
    article.locator = Some(Locator::Whole);
    Ok(article)
}

/// The visible text of an HTML fragment (the content of a feed item): block elements become
/// paragraphs joined by a blank line, entities are decoded, whitespace inside a paragraph is
/// collapsed, and scripts, styles and embedded objects are left out.
pub fn fragment_text(html: &str) -> String {
    let dom = Dom::parse(html);
    let skip = |dom: &Dom, id: usize| {
        matches!(
            dom.nodes[id].name.as_str(),
            "script"
                | "style"
                | "noscript"
                | "template"
                | "iframe"
                | "svg"
                | "head"
                | "title"
                | "button"
                | "select"
                | "object"
                | "textarea"
        )
    };
    let mut w = Writer::new(false);
    write_node(&dom, 0, &skip, &mut w, false);
    w.finish().join("\n\n")
}

// ---------------------------------------------------------------------------------------------
// Entities

/// Decodes character references (`&eacute;`, `&#233;`, `&#xE9;`) in text. Unknown names and
/// lone ampersands stay as they are.
pub(crate) fn decode_entities(s: &str) -> String {
    decode_entities_in(s, false)
}

fn decode_entities_in(s: &str, in_attribute: bool) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match decode_reference(after, in_attribute) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the reference at the start of `after` (the text right after `&`): the character and
/// how many bytes of `after` it used.
fn decode_reference(after: &str, in_attribute: bool) -> Option<(char, usize)> {
    let b = after.as_bytes();
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let len = b[start.min(b.len())..]
            .iter()
            .take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
            .count();
        if len == 0 {
            return None;
        }
        let digits = &after[start..start + len];
        let mut used = start + len;
        if b.get(used) == Some(&b';') {
            used += 1;
        }
        let code = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        return Some((numeric_char(code), used));
    }
    let len = b.iter().take(40).take_while(|c| c.is_ascii_alphanumeric()).count();
    if len == 0 {
        return None;
    }
    let name = &after[..len];
    if b.get(len) == Some(&b';') {
        if let Some(c) = named_entity(name) {
            return Some((c, len + 1));
        }
        return None;
    }
    // Old pages leave the semicolon off the commonest references; a browser still reads them,
    // except in an attribute where `&copy=1` is part of a query string.
    let legacy = matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp" | "copy" | "reg");
    if legacy && !(in_attribute && b.get(len) == Some(&b'=')) {
        return named_entity(name).map(|c| (c, len));
    }
    None
}

/// The character of a numeric reference. Code points 0x80-0x9F are read as Windows-1252, as
/// browsers do, because that is what the authors of such pages meant.
fn numeric_char(code: u32) -> char {
    let mapped = match code {
        0 => 0xFFFD,
        0x80 => 0x20AC,
        0x82 => 0x201A,
        0x83 => 0x0192,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02C6,
        0x89 => 0x2030,
        0x8A => 0x0160,
        0x8B => 0x2039,
        0x8C => 0x0152,
        0x8E => 0x017D,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02DC,
        0x99 => 0x2122,
        0x9A => 0x0161,
        0x9B => 0x203A,
        0x9C => 0x0153,
        0x9E => 0x017E,
        0x9F => 0x0178,
        other => other,
    };
    char::from_u32(mapped).unwrap_or('\u{FFFD}')
}

/// The character a named reference stands for: the XML five, Latin-1 and the typographic
/// characters news pages use.
pub(crate) fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "iexcl" => '¡',
        "cent" => '¢',
        "pound" => '£',
        "curren" => '¤',
        "yen" => '¥',
        "brvbar" => '¦',
        "sect" => '§',
        "uml" => '¨',
        "copy" | "COPY" => '©',
        "ordf" => 'ª',
        "laquo" => '«',
        "not" => '¬',
        "shy" => '\u{AD}',
        "reg" | "REG" => '®',
        "macr" => '¯',
        "deg" => '°',
        "plusmn" => '±',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "acute" => '´',
        "micro" => 'µ',
        "para" => '¶',
        "middot" | "centerdot" => '·',
        "cedil" => '¸',
        "ordm" => 'º',
        "raquo" => '»',
        "frac14" => '¼',
        "frac12" | "half" => '½',
        "frac34" => '¾',
        "iquest" => '¿',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Atilde" => 'Ã',
        "Auml" => 'Ä',
        "Aring" => 'Å',
        "AElig" => 'Æ',
        "Ccedil" => 'Ç',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Euml" => 'Ë',
        "Igrave" => 'Ì',
        "Iacute" => 'Í',
        "Icirc" => 'Î',
        "Iuml" => 'Ï',
        "ETH" => 'Ð',
        "Ntilde" => 'Ñ',
        "Ograve" => 'Ò',
        "Oacute" => 'Ó',
        "Ocirc" => 'Ô',
        "Otilde" => 'Õ',
        "Ouml" => 'Ö',
        "times" => '×',
        "Oslash" => 'Ø',
        "Ugrave" => 'Ù',
        "Uacute" => 'Ú',
        "Ucirc" => 'Û',
        "Uuml" => 'Ü',
        "Yacute" => 'Ý',
        "THORN" => 'Þ',
        "szlig" => 'ß',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "auml" => 'ä',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "igrave" => 'ì',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "eth" => 'ð',
        "ntilde" => 'ñ',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ouml" => 'ö',
        "divide" => '÷',
        "oslash" => 'ø',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yacute" => 'ý',
        "thorn" => 'þ',
        "yuml" => 'ÿ',
        "OElig" => 'Œ',
        "oelig" => 'œ',
        "Scaron" => 'Š',
        "scaron" => 'š',
        "Yuml" => 'Ÿ',
        "Zcaron" => 'Ž',
        "zcaron" => 'ž',
        "fnof" => 'ƒ',
        "circ" => 'ˆ',
        "tilde" => '˜',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200C}',
        "zwj" => '\u{200D}',
        "lrm" => '\u{200E}',
        "rlm" => '\u{200F}',
        "hyphen" | "dash" => '‐',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" | "rsquor" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" | "rdquor" => '”',
        "bdquo" => '„',
        "dagger" => '†',
        "Dagger" => '‡',
        "bull" | "bullet" => '•',
        "hellip" | "mldr" => '…',
        "permil" => '‰',
        "prime" => '′',
        "Prime" => '″',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "euro" => '€',
        "trade" | "TRADE" => '™',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "minus" => '−',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "asymp" => '≈',
        "infin" => '∞',
        "Tab" => '\t',
        "NewLine" => '\n',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Start { name: String, attrs: Vec<(String, String)>, self_closing: bool },
    End { name: String },
    Text(String),
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn is_tag_end(b: Option<&u8>) -> bool {
    match b {
        None => true,
        Some(c) => c.is_ascii_whitespace() || *c == b'/' || *c == b'>',
    }
}

/// Splits a document into tags and text. Never fails: anything that is not a recognisable tag
/// is text, and a construct cut off by the end of the input is dropped.
fn tokenize(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let lower = src.to_ascii_lowercase();
    let lb = lower.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut text_start = 0;
    let push_text = |out: &mut Vec<Token>, from: usize, to: usize| {
        if to > from {
            out.push(Token::Text(decode_entities(&src[from..to])));
        }
    };
    while let Some(off) = bytes[pos..].iter().position(|&b| b == b'<') {
        let lt = pos + off;
        let next = bytes.get(lt + 1).copied();
        if lb[lt..].starts_with(b"<!--") {
            push_text(&mut out, text_start, lt);
            pos = find_from(lb, lt + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            // `<!-->` is an empty comment.
            if lb[lt..].starts_with(b"<!-->") {
                pos = lt + 5;
            }
            text_start = pos;
        } else if lb[lt..].starts_with(b"<![cdata[") {
            push_text(&mut out, text_start, lt);
            let end = find_from(lb, lt + 9, b"]]>");
            let content = &src[lt + 9..end.unwrap_or(bytes.len())];
            if !content.is_empty() {
                out.push(Token::Text(content.to_owned()));
            }
            pos = end.map_or(bytes.len(), |e| e + 3);
            text_start = pos;
        } else if matches!(next, Some(b'!' | b'?')) {
            // A doctype, processing instruction or bogus comment.
            push_text(&mut out, text_start, lt);
            pos = find_from(lb, lt + 2, b">").map_or(bytes.len(), |e| e + 1);
            text_start = pos;
        } else if next == Some(b'/') && bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) {
            push_text(&mut out, text_start, lt);
            let name_end = (lt + 2..bytes.len()).find(|&i| is_tag_end(lb.get(i))).unwrap_or(bytes.len());
            out.push(Token::End { name: lower[lt + 2..name_end].to_owned() });
            pos = find_from(lb, name_end, b">").map_or(bytes.len(), |e| e + 1);
            text_start = pos;
        } else if next.is_some_and(|b| b.is_ascii_alphabetic()) {
            push_text(&mut out, text_start, lt);
            let name_end = (lt + 1..bytes.len()).find(|&i| is_tag_end(lb.get(i))).unwrap_or(bytes.len());
            let name = lower[lt + 1..name_end].to_owned();
            let (attrs, self_closing, end) = parse_attributes(src, &lower, name_end);
            pos = end;
            text_start = pos;
            if end >= bytes.len() && bytes.last() != Some(&b'>') {
                // The input ends inside the tag.
                break;
            }
            let raw = RAW_TEXT.contains(&name.as_str());
            let rcdata = RCDATA.contains(&name.as_str());
            out.push(Token::Start { name: name.clone(), attrs, self_closing });
            if (raw || rcdata) && !self_closing {
                let mut close = None;
                let mut from = pos;
                let needle = format!("</{name}");
                while let Some(at) = find_from(lb, from, needle.as_bytes()) {
                    if is_tag_end(lb.get(at + needle.len())) {
                        close = Some(at);
                        break;
                    }
                    from = at + needle.len();
                }
                let content_end = close.unwrap_or(bytes.len());
                let content = &src[pos..content_end];
                if !content.is_empty() {
                    let text = if rcdata { decode_entities(content) } else { content.to_owned() };
                    out.push(Token::Text(text));
                }
                out.push(Token::End { name });
                pos = close.map_or(bytes.len(), |c| find_from(lb, c, b">").map_or(bytes.len(), |e| e + 1));
                text_start = pos;
            }
        } else {
            // A lone `<` is text.
            pos = lt + 1;
        }
        if pos >= bytes.len() {
            break;
        }
    }
    push_text(&mut out, text_start, bytes.len().max(text_start));
    out
}

/// Reads the attributes of a start tag from `i` (just after its name) to its `>`: the
/// attributes, whether the tag closed itself with `/>`, and the position after the tag.
fn parse_attributes(src: &str, lower: &str, mut i: usize) -> (Vec<(String, String)>, bool, usize) {
    let b = src.as_bytes();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, self_closing, b.len());
        }
        match b[i] {
            b'>' => return (attrs, self_closing, i + 1),
            b'/' => {
                i += 1;
                self_closing = b.get(i) == Some(&b'>');
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        if i == start {
            // A stray `=`: skip it.
            i += 1;
            continue;
        }
        let name = lower[start..i].to_owned();
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let mut value = String::new();
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let vs = j + 1;
                    let ve = b[vs.min(b.len())..].iter().position(|&c| c == q).map_or(b.len(), |p| vs + p);
                    value = decode_entities_in(&src[vs.min(b.len())..ve], true);
                    i = (ve + 1).min(b.len());
                }
                _ => {
                    let vs = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = decode_entities_in(&src[vs..j], true);
                    i = j;
                }
            }
        }
        if !attrs.iter().any(|(n, _)| *n == name) {
            attrs.push((name, value));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Element tree

/// One node: an element (non-empty `name`), a text node (empty `name`), or the document root.
#[derive(Debug, Clone)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    parent: usize,
    children: Vec<usize>,
}

/// A parsed document. Node 0 is the root; every node's id is larger than its parent's, so a
/// forward pass over the ids visits parents first and a backward pass visits children first.
#[derive(Debug)]
struct Dom {
    nodes: Vec<Node>,
}

impl Dom {
    fn parse(src: &str) -> Dom {
        let mut dom = Dom {
            nodes: vec![Node {
                name: "#document".into(),
                attrs: Vec::new(),
                text: String::new(),
                parent: 0,
                children: Vec::new(),
            }],
        };
        let mut stack: Vec<usize> = vec![0];
        for token in tokenize(src) {
            let top = *stack.last().unwrap_or(&0);
            match token {
                Token::Text(t) => {
                    if let Some(&last) = dom.nodes[top].children.last() {
                        if dom.nodes[last].name.is_empty() {
                            dom.nodes[last].text.push_str(&t);
                            continue;
                        }
                    }
                    dom.add(top, String::new(), Vec::new(), t);
                }
                Token::Start { name, attrs, self_closing } => {
                    dom.close_implied(&mut stack, &name);
                    let top = *stack.last().unwrap_or(&0);
                    let void = VOID.contains(&name.as_str());
                    let id = dom.add(top, name, attrs, String::new());
                    if !void && !self_closing && stack.len() < MAX_DEPTH {
                        stack.push(id);
                    }
                }
                Token::End { name } => {
                    if let Some(i) = stack.iter().rposition(|&n| dom.nodes[n].name == name) {
                        if i > 0 {
                            stack.truncate(i);
                        }
                    }
                }
            }
        }
        dom
    }

    fn add(&mut self, parent: usize, name: String, attrs: Vec<(String, String)>, text: String) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node { name, attrs, text, parent, children: Vec::new() });
        self.nodes[parent].children.push(id);
        id
    }

    /// Closes the elements that a new `name` start tag ends implicitly.
    fn close_implied(&self, stack: &mut Vec<usize>, name: &str) {
        // Content that cannot be in the head ends an unclosed head.
        if !HEAD_CONTENT.contains(&name) {
            self.close_in_scope(stack, &["head"], &[]);
        }
        if CLOSES_P.contains(&name) {
            self.close_in_scope(stack, &["p"], P_SCOPE_BOUNDARY);
        }
        match name {
            "li" => self.close_in_scope(stack, &["li"], &["ul", "ol", "menu", "table"]),
            "dt" | "dd" => self.close_in_scope(stack, &["dt", "dd"], &["dl", "table"]),
            "tr" => self.close_in_scope(stack, &["tr", "td", "th"], &["table"]),
            "td" | "th" => self.close_in_scope(stack, &["td", "th"], &["tr", "table"]),
            "option" => self.close_in_scope(stack, &["option"], &["select", "datalist"]),
            "a" => self.close_in_scope(stack, &["a"], &[]),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if let Some(&top) = stack.last() {
                    if matches!(self.nodes[top].name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                        stack.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// Pops up to and including the nearest open element named in `targets`, unless an element
    /// named in `boundaries` comes first.
    fn close_in_scope(&self, stack: &mut Vec<usize>, targets: &[&str], boundaries: &[&str]) {
        for i in (1..stack.len()).rev() {
            let name = self.nodes[stack[i]].name.as_str();
            if targets.contains(&name) {
                stack.truncate(i);
                return;
            }
            if boundaries.contains(&name) {
                return;
            }
        }
    }

    fn is_element(&self, id: usize) -> bool {
        id != 0 && !self.nodes[id].name.is_empty()
    }

    fn attr(&self, id: usize, key: &str) -> Option<&str> {
        self.nodes[id].attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Whether `ancestor` is `id` or one of its ancestors.
    fn contains(&self, ancestor: usize, mut id: usize) -> bool {
        loop {
            if id == ancestor {
                return true;
            }
            if id == 0 {
                return false;
            }
            id = self.nodes[id].parent;
        }
    }

    /// The nearest ancestor-or-self of `id` that satisfies `pred`.
    fn closest(&self, mut id: usize, pred: impl Fn(&Node) -> bool) -> Option<usize> {
        while id != 0 {
            if pred(&self.nodes[id]) {
                return Some(id);
            }
            id = self.nodes[id].parent;
        }
        None
    }

    /// Element ids in document order.
    fn elements(&self) -> impl Iterator<Item = usize> + '_ {
        (1..self.nodes.len()).filter(move |&id| self.is_element(id))
    }

    /// Element ids under `root` (inclusive) in document order.
    fn elements_in(&self, root: usize) -> impl Iterator<Item = usize> + '_ {
        self.elements().filter(move |&id| self.contains(root, id))
    }

    /// All text under `id` (scripts and styles left out), whitespace collapsed.
    fn inner_text(&self, id: usize) -> String {
        let mut out = String::new();
        self.collect_text(id, &mut out);
        collapse(&out)
    }

    fn collect_text(&self, id: usize, out: &mut String) {
        let node = &self.nodes[id];
        if id != 0 && node.name.is_empty() {
            out.push_str(&node.text);
            return;
        }
        if matches!(node.name.as_str(), "script" | "style" | "template") {
            return;
        }
        let block = BLOCK.contains(&node.name.as_str()) || node.name == "br";
        if block {
            out.push(' ');
        }
        for &c in &node.children {
            self.collect_text(c, out);
        }
        if block {
            out.push(' ');
        }
    }

    /// The raw text content of an element (for `<script>` data).
    fn raw_text(&self, id: usize) -> String {
        self.nodes[id]
            .children
            .iter()
            .filter(|&&c| self.nodes[c].name.is_empty())
            .map(|&c| self.nodes[c].text.as_str())
            .collect()
    }
}

/// Collapses runs of whitespace (including no-break spaces) to one space and trims; soft
/// hyphens and zero-width characters are removed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        let word: String =
            word.chars().filter(|c| !matches!(c, '\u{AD}' | '\u{200B}' | '\u{FEFF}')).collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

fn visible_chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

// ---------------------------------------------------------------------------------------------
// Text output

/// Gathers paragraphs while walking the tree.
struct Writer {
    paragraphs: Vec<String>,
    current: String,
    chars: usize,
    link_chars: usize,
    /// Leave out paragraphs that are mostly link text (lists of other articles).
    drop_link_lists: bool,
}

impl Writer {
    fn new(drop_link_lists: bool) -> Writer {
        Writer { paragraphs: Vec::new(), current: String::new(), chars: 0, link_chars: 0, drop_link_lists }
    }

    fn text(&mut self, s: &str, in_link: bool) {
        let n = visible_chars(s);
        self.chars += n;
        if in_link {
            self.link_chars += n;
        }
        self.current.push_str(s);
    }

    fn flush(&mut self) {
        let paragraph = collapse(&self.current);
        let link_list = self.drop_link_lists && self.link_chars * 2 > self.chars;
        if !paragraph.is_empty() && !link_list {
            self.paragraphs.push(paragraph);
        }
        self.current.clear();
        self.chars = 0;
        self.link_chars = 0;
    }

    fn finish(mut self) -> Vec<String> {
        self.flush();
        self.paragraphs
    }
}

fn write_node(dom: &Dom, id: usize, skip: &dyn Fn(&Dom, usize) -> bool, w: &mut Writer, in_link: bool) {
    let node = &dom.nodes[id];
    if id != 0 && node.name.is_empty() {
        w.text(&node.text, in_link);
        return;
    }
    if id != 0 && skip(dom, id) {
        return;
    }
    if node.name == "br" || node.name == "hr" {
        w.flush();
        return;
    }
    let block = BLOCK.contains(&node.name.as_str());
    if block {
        w.flush();
    }
    let in_link = in_link || node.name == "a";
    for &c in &node.children {
        write_node(dom, c, skip, w, in_link);
    }
    if block {
        w.flush();
    }
}

// ---------------------------------------------------------------------------------------------
// Page furniture

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Furniture {
    /// Part of the page's content.
    No,
    /// A figure or caption: out of the text, but its caption is kept as metadata.
    Figure,
    /// Menus, advertisements, footers and the like.
    Yes,
}

/// Whether a class or id token marks page furniture (`main-nav`, `ad_slot`, `shareButtons`),
/// matching whole segments so that `shadow` or `download` do not count as `ad`.
fn furniture_token(token: &str) -> bool {
    let mut segments: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in token.chars() {
        if c == '-' || c == '_' || c == '.' || c == ':' {
            segments.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            segments.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    segments.push(current);
    segments.retain(|s| !s.is_empty());
    if segments.first().is_some_and(|s| STATE_PREFIXES.contains(&s.as_str())) {
        return false;
    }
    segments.iter().any(|s| FURNITURE_WORDS.contains(&s.as_str()))
}

fn classify(dom: &Dom, id: usize) -> Furniture {
    let name = dom.nodes[id].name.as_str();
    if FURNITURE_TAGS.contains(&name) {
        return Furniture::Yes;
    }
    if matches!(name, "figure" | "figcaption") {
        return Furniture::Figure;
    }
    if dom.attr(id, "hidden").is_some()
        || dom.attr(id, "aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Furniture::Yes;
    }
    if let Some(style) = dom.attr(id, "style") {
        let style: String =
            style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return Furniture::Yes;
        }
    }
    if let Some(role) = dom.attr(id, "role") {
        if role.split_whitespace().any(|r| FURNITURE_ROLES.contains(&r.to_ascii_lowercase().as_str())) {
            return Furniture::Yes;
        }
    }
    // The page's own content containers are kept whatever their class says.
    if matches!(name, "html" | "body" | "article" | "main") || is_article_body(dom, id) {
        return Furniture::No;
    }
    let tokens = dom.attr(id, "class").into_iter().chain(dom.attr(id, "id")).flat_map(str::split_whitespace);
    for token in tokens {
        if furniture_token(token) {
            return Furniture::Yes;
        }
    }
    Furniture::No
}

fn has_token(value: Option<&str>, token: &str) -> bool {
    value.is_some_and(|v| v.split_whitespace().any(|t| t.eq_ignore_ascii_case(token)))
}

fn is_article_body(dom: &Dom, id: usize) -> bool {
    has_token(dom.attr(id, "itemprop"), "articleBody")
}

/// Per-node facts the extractor needs: furniture (inherited from ancestors) and the amount of
/// content text, link text and commas below each node, counting content only.
struct Stats {
    furniture: Vec<Furniture>,
    chars: Vec<usize>,
    link_chars: Vec<usize>,
    commas: Vec<usize>,
}

impl Stats {
    fn new(dom: &Dom) -> Stats {
        let n = dom.nodes.len();
        let mut furniture = vec![Furniture::No; n];
        for id in 1..n {
            let inherited = furniture[dom.nodes[id].parent];
            furniture[id] = if dom.is_element(id) { inherited.max(classify(dom, id)) } else { inherited };
        }
        let mut chars = vec![0usize; n];
        let mut link_chars = vec![0usize; n];
        let mut commas = vec![0usize; n];
        for id in (0..n).rev() {
            let node = &dom.nodes[id];
            if id != 0 && node.name.is_empty() {
                chars[id] = visible_chars(&node.text);
                commas[id] = node.text.matches(',').count();
            }
            if furniture[id] != Furniture::No {
                chars[id] = 0;
                link_chars[id] = 0;
                commas[id] = 0;
            } else if node.name == "a" {
                link_chars[id] = chars[id];
            }
            if id != 0 {
                let p = node.parent;
                chars[p] += chars[id];
                link_chars[p] += link_chars[id];
                commas[p] += commas[id];
            }
        }
        Stats { furniture, chars, link_chars, commas }
    }

    fn link_density(&self, id: usize) -> f64 {
        if self.chars[id] == 0 {
            return 1.0;
        }
        self.link_chars[id] as f64 / self.chars[id] as f64
    }
}

// ---------------------------------------------------------------------------------------------
// Main text

/// The main text of the page: the elements it was taken from and its paragraphs.
fn main_text(dom: &Dom, st: &Stats) -> (Vec<usize>, Vec<String>) {
    let content = |id: usize| dom.is_element(id) && st.furniture[id] == Furniture::No;
    let largest = |pred: &dyn Fn(usize) -> bool| {
        dom.elements()
            .filter(|&id| content(id) && pred(id))
            .max_by_key(|&id| (st.chars[id], std::cmp::Reverse(id)))
    };
    let page = st.chars[0];
    let mut attempts: Vec<Vec<usize>> = Vec::new();
    let containers = [
        largest(&|id| is_article_body(dom, id)),
        largest(&|id| dom.nodes[id].name == "article"),
        largest(&|id| dom.nodes[id].name == "main" || has_token(dom.attr(id, "role"), "main")),
    ];
    for id in containers.into_iter().flatten() {
        let chars = st.chars[id];
        if chars > 0 && (chars >= 200 || chars * 3 >= page) {
            attempts.push(vec![id]);
        }
    }
    if let Some(ids) = scored_candidate(dom, st) {
        attempts.push(ids);
    }
    attempts.push(vec![0]);
    let skip = |dom: &Dom, id: usize| st.furniture[id] != Furniture::No || dom.nodes[id].name == "h1";
    for roots in attempts {
        let mut w = Writer::new(true);
        for &root in &roots {
            write_node(dom, root, &skip, &mut w, false);
            w.flush();
        }
        let paragraphs = w.finish();
        if !paragraphs.is_empty() {
            return (roots, paragraphs);
        }
    }
    (vec![0], Vec::new())
}

fn has_block_child(dom: &Dom, id: usize) -> bool {
    dom.nodes[id].children.iter().any(|&c| BLOCK.contains(&dom.nodes[c].name.as_str()))
}

/// Scores blocks by the paragraphs they hold (text length and commas, discounted by link
/// density) and returns the best block together with its siblings that look like content.
fn scored_candidate(dom: &Dom, st: &Stats) -> Option<Vec<usize>> {
    let n = dom.nodes.len();
    let mut score = vec![0.0f64; n];
    let mut candidate = vec![false; n];
    for id in dom.elements() {
        if st.furniture[id] != Furniture::No || st.chars[id] < 25 {
            continue;
        }
        let name = dom.nodes[id].name.as_str();
        let paragraph_like = matches!(name, "p" | "pre" | "td" | "blockquote")
            || (matches!(name, "div" | "section") && !has_block_child(dom, id));
        if !paragraph_like {
            continue;
        }
        let s = 1.0 + st.commas[id] as f64 + (st.chars[id] as f64 / 100.0).min(3.0);
        let parent = dom.nodes[id].parent;
        if parent != 0 {
            score[parent] += s;
            candidate[parent] = true;
            let grand = dom.nodes[parent].parent;
            if grand != 0 {
                score[grand] += s / 2.0;
                candidate[grand] = true;
            }
        }
    }
    let adjusted = |id: usize| score[id] * (1.0 - st.link_density(id));
    let top = (1..n).filter(|&id| candidate[id]).max_by(|&a, &b| {
        adjusted(a).partial_cmp(&adjusted(b)).unwrap_or(std::cmp::Ordering::Equal).then(b.cmp(&a))
    })?;
    let top_score = adjusted(top);
    let parent = dom.nodes[top].parent;
    if parent == 0 {
        return Some(vec![top]);
    }
    let threshold = (top_score * 0.2).max(10.0);
    let mut roots = Vec::new();
    for &sibling in &dom.nodes[parent].children {
        if sibling == top {
            roots.push(sibling);
            continue;
        }
        if !dom.is_element(sibling) || st.furniture[sibling] != Furniture::No {
            continue;
        }
        let chars = st.chars[sibling];
        let density = st.link_density(sibling);
        let keep = (candidate[sibling] && adjusted(sibling) >= threshold)
            || (dom.nodes[sibling].name == "p"
                && ((chars > 80 && density < 0.25)
                    || (chars > 0 && density == 0.0 && dom.inner_text(sibling).ends_with('.'))));
        if keep {
            roots.push(sibling);
        }
    }
    Some(roots)
}

// ---------------------------------------------------------------------------------------------
// Metadata

/// `<meta>` values by lowercased `property`, `name`, `itemprop` or `http-equiv`; the first
/// non-empty value of each key wins.
fn meta_values(dom: &Dom) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for id in dom.elements().filter(|&id| dom.nodes[id].name == "meta") {
        let Some(content) = dom.attr(id, "content").map(collapse).filter(|c| !c.is_empty()) else {
            continue;
        };
        for key in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = dom.attr(id, key) {
                map.entry(k.trim().to_ascii_lowercase()).or_insert_with(|| content.clone());
            }
        }
    }
    map
}

/// What a page's JSON-LD says about its article.
#[derive(Debug, Default)]
struct LinkedData {
    published: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
}

fn linked_data(dom: &Dom) -> LinkedData {
    let mut found = LinkedData::default();
    for id in dom.elements().filter(|&id| dom.nodes[id].name == "script") {
        if !dom.attr(id, "type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) {
            continue;
        }
        let raw = dom.raw_text(id);
        let raw = raw.trim().trim_start_matches("<!--").trim_end_matches("-->").trim().trim_end_matches(';');
        let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
            continue;
        };
        let mut objects = Vec::new();
        collect_ld_objects(&value, &mut objects, 0);
        let article = objects
            .iter()
            .find(|o| o.contains_key("datePublished"))
            .or_else(|| objects.iter().find(|o| o.contains_key("headline")));
        if let Some(o) = article {
            if found.published.is_none() {
                found.published = o.get("datePublished").and_then(|v| v.as_str()).map(str::to_owned);
            }
            if found.author.is_none() {
                found.author = o.get("author").and_then(ld_names);
            }
            if found.publisher.is_none() {
                found.publisher = o.get("publisher").and_then(ld_names);
            }
        }
    }
    found
}

fn collect_ld_objects<'a>(
    value: &'a serde_json::Value,
    out: &mut Vec<&'a serde_json::Map<String, serde_json::Value>>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    match value {
        serde_json::Value::Array(items) => {
            for item in items {
                collect_ld_objects(item, out, depth + 1);
            }
        }
        serde_json::Value::Object(map) => {
            out.push(map);
            if let Some(graph) = map.get("@graph") {
                collect_ld_objects(graph, out, depth + 1);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_ld_objects(main, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The name(s) in a JSON-LD person or organisation: a string, an object with `name`, or an
/// array of those, joined with a comma.
fn ld_names(value: &serde_json::Value) -> Option<String> {
    let names: Vec<String> = match value {
        serde_json::Value::String(s) => vec![collapse(s)],
        serde_json::Value::Object(o) => {
            o.get("name").and_then(|n| n.as_str()).map(collapse).into_iter().collect()
        }
        serde_json::Value::Array(items) => items.iter().filter_map(ld_names).collect(),
        _ => Vec::new(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// Removes a trailing site name (`Brand in loods - De Waterbode`) from a `<title>`.
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    let title = collapse(title);
    if let Some(site) = site {
        for sep in [" - ", " | ", " – ", " — ", " :: ", " · ", " • "] {
            if let Some(rest) = title.strip_suffix(&format!("{sep}{site}")) {
                if !rest.trim().is_empty() {
                    return rest.trim().to_owned();
                }
            }
        }
    }
    let cut = [" - ", " | ", " – ", " — ", " :: ", " · ", " • "]
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|i| (i, sep.len())))
        .max_by_key(|&(i, _)| i);
    if let Some((i, len)) = cut {
        let (head, tail) = (&title[..i], &title[i + len..]);
        let short_tail = tail.split_whitespace().count() <= 4 && tail.chars().count() <= 40;
        if short_tail && head.split_whitespace().count() >= 2 {
            return head.trim().to_owned();
        }
    }
    title
}

/// Removes the `Door` / `By` / `Tekst:` that introduces a byline.
fn clean_byline(s: &str) -> Option<String> {
    let s = collapse(s);
    let mut rest = s.as_str();
    for prefix in ["door ", "by ", "tekst: ", "tekst en foto: ", "van onze verslaggever "] {
        // The prefixes are ASCII, so a case-insensitive byte match ends on a char boundary.
        if s.len() > prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes()) {
            rest = &s[prefix.len()..];
            break;
        }
    }
    let rest = rest.trim().trim_end_matches(['|', ',', '-']).trim();
    (!rest.is_empty() && rest.chars().count() <= 100).then(|| rest.to_owned())
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//")
}

/// What the page says about its article (title, date, byline, address, outlet, language,
/// captions), and the main text by this module's own extractor (empty when it finds none).
fn extract(dom: &Dom, address: Option<&str>) -> (RawArticle, String) {
    let st = Stats::new(dom);
    let meta = meta_values(dom);
    let ld = linked_data(dom);
    let (roots, paragraphs) = main_text(dom, &st);
    let mut article = RawArticle::default();

    // The article element around the text, where titles, bylines and times are looked up.
    let root = roots.first().copied().unwrap_or(0);
    let scope = dom
        .closest(root, |n| n.name == "article")
        .or_else(|| dom.closest(root, |n| n.name == "main" || has_token(attr_of(n, "role"), "main")));

    let site = meta.get("og:site_name").cloned().or_else(|| ld.publisher.clone());
    let page_title = dom
        .elements()
        .find(|&id| dom.nodes[id].name == "title")
        .map(|id| dom.inner_text(id))
        .filter(|t| !t.is_empty());
    let h1 = scope.and_then(|scope| {
        dom.elements_in(scope)
            .filter(|&id| dom.nodes[id].name == "h1")
            .map(|id| dom.inner_text(id))
            .find(|t| !t.is_empty())
    });
    article.title = meta
        .get("og:title")
        .map(|t| strip_site_suffix_exact(t, site.as_deref()))
        .or(h1)
        .or_else(|| page_title.map(|t| strip_site_suffix(&t, site.as_deref())))
        .filter(|t| !t.is_empty());

    // Publication time: the first candidate that reads as a date.
    let mut dates: Vec<String> = Vec::new();
    dates.extend(meta.get("article:published_time").cloned());
    for id in dom.elements() {
        if has_token(dom.attr(id, "itemprop"), "datePublished") {
            let v = dom.attr(id, "content").or_else(|| dom.attr(id, "datetime")).map(str::to_owned);
            dates.extend(v.or_else(|| Some(dom.inner_text(id))));
        }
    }
    let time_scope = scope.unwrap_or(root);
    if let Some(t) = dom.elements_in(time_scope).find(|&id| {
        dom.nodes[id].name == "time" && dom.attr(id, "datetime").is_some_and(|d| !d.trim().is_empty())
    }) {
        dates.extend(dom.attr(t, "datetime").map(str::to_owned));
    }
    dates.extend(ld.published.clone());
    for key in [
        "date",
        "pubdate",
        "publishdate",
        "dc.date.issued",
        "dcterms.created",
        "dc.date",
        "og:published_time",
    ] {
        dates.extend(meta.get(key).cloned());
    }
    let dates: Vec<String> =
        dates.into_iter().map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()).collect();
    article.published = dates.iter().find_map(|d| Published::parse(d).ok());
    if article.published.is_none() {
        if let Some(raw) = dates.first() {
            article.metadata.insert("published_raw".into(), raw.clone());
        }
    }

    // Byline.
    let rel_author = dom
        .elements()
        .filter(|&id| has_token(dom.attr(id, "rel"), "author") && dom.nodes[id].name == "a")
        .map(|id| dom.inner_text(id))
        .find(|t| !t.is_empty());
    let byline_scope = scope.unwrap_or(0);
    let byline = dom
        .elements_in(byline_scope)
        .filter(|&id| {
            let classes = dom.attr(id, "class").unwrap_or("");
            classes.split_whitespace().any(|t| {
                let t = t.to_ascii_lowercase();
                t.split(['-', '_']).any(|s| s == "byline" || s == "author")
            })
        })
        .map(|id| dom.inner_text(id))
        .find(|t| !t.is_empty() && t.chars().count() <= 100);
    article.author = meta
        .get("author")
        .cloned()
        .or_else(|| meta.get("article:author").filter(|a| !is_url(a)).cloned())
        .or(ld.author)
        .or(rel_author)
        .or(byline)
        .and_then(|a| clean_byline(&a));

    // Address, outlet, language, description.
    let canonical = dom
        .elements()
        .find(|&id| dom.nodes[id].name == "link" && has_token(dom.attr(id, "rel"), "canonical"))
        .and_then(|id| dom.attr(id, "href"))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_owned);
    article.url = canonical.or_else(|| meta.get("og:url").cloned());
    // The outlet: the names the page gives itself, checked against where it lives.
    let names: Vec<&str> = [meta.get("og:site_name"), ld.publisher.as_ref(), meta.get("application-name")]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let addresses: Vec<&str> = article.url.as_deref().into_iter().chain(address).collect();
    if let Some(o) = super::outlet::outlet(&names, &addresses) {
        article.source = Some(o.name);
        if let Some(section) = o.section.or_else(|| meta.get("article:section").cloned()) {
            article.metadata.insert("section".into(), section);
        }
    } else if let Some(section) = meta.get("article:section") {
        article.metadata.insert("section".into(), section.clone());
    }
    let html_lang = dom
        .elements()
        .find(|&id| dom.nodes[id].name == "html")
        .and_then(|id| dom.attr(id, "lang").or_else(|| dom.attr(id, "xml:lang")))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned);
    article.language = html_lang
        .or_else(|| meta.get("og:locale").cloned())
        .or_else(|| meta.get("content-language").cloned())
        .or_else(|| meta.get("language").cloned())
        .and_then(|l| crate::analyze::lang::normalize_code(&l));
    if let Some(d) = meta.get("description").or_else(|| meta.get("og:description")) {
        article.metadata.insert("description".into(), d.clone());
    }

    // Captions of the article's own figures.
    let captions: Vec<String> = dom
        .elements()
        .filter(|&id| dom.nodes[id].name == "figcaption" && st.furniture[id] == Furniture::Figure)
        .filter(|&id| roots.iter().any(|&r| dom.contains(r, id)))
        .map(|id| dom.inner_text(id))
        .filter(|t| !t.is_empty())
        .collect();
    if !captions.is_empty() {
        article.metadata.insert("caption".into(), captions.join("\n"));
    }
    (article, paragraphs.join("\n\n"))
}

/// Snippets shorter than this are not taken out of a text (a credit alone could match words of
/// the article).
const MIN_SNIPPET_CHARS: usize = 16;

/// Paragraphs shorter than this are kept even when a snippet holds them.
const MIN_PART_CHARS: usize = 6;

/// Furniture blocks longer than this are left in the extractor's text.
const MAX_FURNITURE_CHARS: usize = 300;

/// Bylines longer than this are not taken for bylines.
const MAX_BYLINE_CHARS: usize = 160;

/// Longest label (section name, kicker) dropped before the first paragraph.
const MAX_LABEL_CHARS: usize = 32;

/// Paragraphs that only label an advertisement, in the languages the project reads.
const AD_LABELS: &[&str] = &[
    "advertentie",
    "advertisement",
    "advertenties",
    "anzeige",
    "publicité",
    "publicidad",
    "pubblicità",
    "reclame",
];

/// Texts of the page that are not the article's text: figure captions, bylines (an element
/// whose class names a byline or an author, or a short block around a `rel=author` link), and
/// small blocks of page furniture (see `classify`).
fn furniture_snippets(dom: &Dom) -> Vec<String> {
    let byline_class = |id: usize| {
        dom.attr(id, "class").unwrap_or("").split_whitespace().any(|t| {
            let t = t.to_ascii_lowercase();
            t.split(['-', '_']).any(|s| matches!(s, "byline" | "author" | "auteur" | "dateline"))
        })
    };
    let mut out: Vec<String> = Vec::new();
    for id in dom.elements() {
        let name = dom.nodes[id].name.as_str();
        let parent = dom.nodes[id].parent;
        let snippet = if name == "figcaption" {
            Some(dom.inner_text(id))
        } else if classify(dom, id) == Furniture::Yes
            && (parent == 0 || classify(dom, parent) != Furniture::Yes)
        {
            // Small furniture (an advertisement, a share bar, a list of related articles): a
            // large block marked so may hold the article, and stays the extractor's call.
            Some(dom.inner_text(id)).filter(|t| t.chars().count() <= MAX_FURNITURE_CHARS)
        } else if byline_class(id) || (has_token(dom.attr(id, "rel"), "author") && name == "a") {
            // The block holding a byline link is the byline ("Door X · 10 oktober").
            let block = if name == "a" {
                dom.closest(id, |n| BLOCK.contains(&n.name.as_str())).unwrap_or(id)
            } else {
                id
            };
            Some(dom.inner_text(block)).filter(|t| t.chars().count() <= MAX_BYLINE_CHARS)
        } else {
            None
        };
        if let Some(t) = snippet.filter(|t| t.chars().count() >= MIN_SNIPPET_CHARS) {
            out.push(t);
        }
    }
    // Longest first, so that a byline inside a longer one goes with it.
    out.sort_by_key(|t| std::cmp::Reverse(t.len()));
    out.dedup();
    out
}

/// `text` without the page's furniture the extractor kept: the `snippets` where they occur
/// (each replaced by a paragraph break, so the sentences around them stay apart), paragraphs
/// that are part of one, paragraphs that only label an advertisement, and short labels before
/// the first paragraph (a section name or kicker: three words and [`MAX_LABEL_CHARS`] at most,
/// without a sentence's closing mark; a text of labels alone comes out empty).
fn without_furniture(text: &str, snippets: &[String]) -> String {
    let mut text = text.to_owned();
    for c in snippets {
        if text.contains(c.as_str()) {
            text = text.replace(c.as_str(), "\n\n");
        }
    }
    let is_label = |p: &str| {
        p.split_whitespace().count() <= 3
            && p.chars().count() <= MAX_LABEL_CHARS
            && !p.ends_with([
                '.', '!', '?', ':', '"', '\u{201d}', '\u{bb}', '\u{2019}', '\'', '\u{3002}', '\u{ff01}',
                '\u{ff1f}',
            ])
    };
    let mut paragraphs: Vec<String> = text
        .split("\n\n")
        .map(collapse)
        .filter(|p| !p.is_empty() && !AD_LABELS.contains(&p.to_lowercase().as_str()))
        // A paragraph that is part of a snippet (the extractor broke a list of related
        // articles into its items) goes too.
        .filter(|p| p.chars().count() < MIN_PART_CHARS || !snippets.iter().any(|s| s.contains(p.as_str())))
        .collect();
    // Labels alone (a menu's "Home") are no article.
    let lead = paragraphs.iter().take_while(|p| is_label(p)).count();
    paragraphs.drain(..lead);
    paragraphs.join("\n\n")
}

/// The main text by the readability extractor (`dom_smoothie`, a port of Mozilla's
/// Readability): paragraphs joined by a blank line, whitespace inside them collapsed. `None`
/// when it finds no article or fails; a panic inside it counts as a failure.
fn readable_text(html: &str) -> Option<String> {
    let run = || -> Option<String> {
        let config =
            dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
        let mut reader = dom_smoothie::Readability::new(html, None, Some(config)).ok()?;
        let found = reader.parse().ok()?;
        Some(found.text_content.to_string())
    };
    let text = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).ok()??;
    let paragraphs: Vec<String> = text.split("\n\n").map(collapse).filter(|p| !p.is_empty()).collect();
    Some(paragraphs.join("\n\n"))
}

fn attr_of<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Removes a site name from an `og:title` only when it is exactly the page's site name.
fn strip_site_suffix_exact(title: &str, site: Option<&str>) -> String {
    let title = collapse(title);
    if let Some(site) = site {
        for sep in [" - ", " | ", " – ", " — "] {
            if let Some(rest) = title.strip_suffix(&format!("{sep}{site}")) {
                if !rest.trim().is_empty() {
                    return rest.trim().to_owned();
                }
            }
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS_PAGE: &str = r##"<!DOCTYPE html>
<html lang="nl-NL">
<head>
  <meta charset="utf-8">
  <title>Dijk bij Zwartewaal hersteld na lek - Het Deltablad</title>
  <meta property="og:title" content="Dijk bij Zwartewaal hersteld na lek">
  <meta property="og:site_name" content="Het Deltablad">
  <meta property="og:url" content="https://deltablad.example/og/dijk">
  <meta name="description" content="Het waterschap heeft de dijk binnen twee dagen gedicht.">
  <meta property="article:published_time" content="2023-11-14T08:30:00+01:00">
  <meta name="author" content="Door Marieke van Dam">
  <link rel="canonical" href="https://deltablad.example/nieuws/dijk-hersteld">
  <style>body { color: black; }</style>
  <script>var tracking = "<p>geen tekst</p>";</script>
</head>
<body>
  <div id="cookie-banner">Wij gebruiken cookies om deze site te verbeteren. <button>Akkoord</button></div>
  <header class="site-header"><a href="/">Het Deltablad</a>
    <nav><ul><li><a href="/binnenland">Binnenland</a></li><li><a href="/sport">Sport</a></li></ul></nav>
  </header>
  <main>
    <article>
      <header class="article-header">
        <h1>Dijk bij Zwartewaal hersteld na lek</h1>
        <span class="byline">Door Marieke van Dam</span>
        <time datetime="2023-11-14T08:30:00+01:00">14 november</time>
      </header>
      <figure><img src="dijk.jpg" alt=""><figcaption>Medewerkers van het waterschap bij de dijk. Foto: Piet de Wit</figcaption></figure>
      <div class="share-buttons"><a href="#">Deel op Facebook</a> <a href="#">Deel via WhatsApp</a></div>
      <p>Het waterschap Hollandse Delta heeft de lekkende dijk bij Zwartewaal binnen twee dagen
         gedicht. Bewoners hoefden hun huizen niet te verlaten.</p>
      <p>&ldquo;We zijn blij dat het zo snel is gelukt,&rdquo; zei dijkgraaf Anton Verhoef. De schade
         wordt geschat op &euro;&nbsp;1,2 miljoen.</p>
      <div class="ad ad-slot">ADVERTENTIE: Koop nu uw nieuwe keuken</div>
      <h2>Onderzoek naar oorzaak</h2>
      <p>Volgens het waterschap is een muskusrat de vermoedelijke oorzaak van het lek &hellip; maar
         dat wordt nog onderzocht.</p>
      <blockquote>Dit soort lekken komt vaker voor dan mensen denken.</blockquote>
      <section class="related-articles"><h3>Lees ook</h3><ul>
        <li><a href="/a">Eerder lek in Brielle snel verholpen</a></li>
        <li><a href="/b">Waterschap investeert in dijkversterking</a></li></ul></section>
      <div id="comments"><p>Reactie van Kees: Goed werk van de ploeg!</p></div>
    </article>
  </main>
  <aside class="sidebar"><h3>Meest gelezen</h3><p>Storm verwacht in het weekend, zegt het weerinstituut.</p></aside>
  <form class="newsletter"><p>Meld je aan voor onze nieuwsbrief, dagelijks om zeven uur.</p><input type="email"></form>
  <footer><p>&copy; 2023 Het Deltablad. Alle rechten voorbehouden.</p></footer>
</body>
</html>"##;

    #[test]
    fn news_page_keeps_article_and_drops_furniture() {
        let a = parse_html(NEWS_PAGE.as_bytes()).unwrap();
        let expected = [
            "Het waterschap Hollandse Delta heeft de lekkende dijk bij Zwartewaal binnen twee dagen gedicht. Bewoners hoefden hun huizen niet te verlaten.",
            "“We zijn blij dat het zo snel is gelukt,” zei dijkgraaf Anton Verhoef. De schade wordt geschat op € 1,2 miljoen.",
            "Onderzoek naar oorzaak",
            "Volgens het waterschap is een muskusrat de vermoedelijke oorzaak van het lek … maar dat wordt nog onderzocht.",
            "Dit soort lekken komt vaker voor dan mensen denken.",
        ]
        .join("\n\n");
        assert_eq!(a.text, expected);
        for junk in [
            "cookies",
            "Binnenland",
            "Facebook",
            "ADVERTENTIE",
            "Brielle",
            "Kees",
            "Storm",
            "nieuwsbrief",
            "rechten",
            "geen tekst",
            "Foto",
        ] {
            assert!(!a.text.contains(junk), "`{junk}` leaked into the text");
        }
    }

    #[test]
    fn news_page_metadata() {
        let a = parse_html(NEWS_PAGE.as_bytes()).unwrap();
        assert_eq!(a.title.as_deref(), Some("Dijk bij Zwartewaal hersteld na lek"));
        assert_eq!(a.source.as_deref(), Some("Het Deltablad"));
        assert_eq!(a.url.as_deref(), Some("https://deltablad.example/nieuws/dijk-hersteld"));
        assert_eq!(a.author.as_deref(), Some("Marieke van Dam"));
        assert_eq!(a.published, Published::parse("2023-11-14T07:30:00Z").ok());
        assert_eq!(a.language, crate::analyze::lang::normalize_code("nl-NL"));
        assert_eq!(a.metadata["description"], "Het waterschap heeft de dijk binnen twee dagen gedicht.");
        assert_eq!(a.metadata["caption"], "Medewerkers van het waterschap bij de dijk. Foto: Piet de Wit");
        assert_eq!(a.metadata["encoding"], "utf-8");
        assert_eq!(a.locator, Some(Locator::Whole));
    }

    #[test]
    fn page_without_article_element_is_scored() {
        let page = r#"<html><head><title>Nieuwe brug over de IJssel open | Stedenkoerier</title></head>
<body>
<div id="top"><div class="menu"><a href="/">Home</a> <a href="/regio">Regio</a> <a href="/sport">Sport</a></div></div>
<div class="layout">
  <div class="box-shadow col">
    <p>De nieuwe fietsbrug over de IJssel bij Zutphen is zaterdag geopend, ruim een jaar later dan gepland.</p>
    <p>Wethouder Sanne Bosman knipte het lint door, terwijl honderden fietsers al stonden te wachten.</p>
    <p>De brug kostte 14 miljoen euro, ongeveer 3 miljoen meer dan begroot, en is 180 meter lang.</p>
  </div>
  <div class="col-right"><a href="/x">Meer nieuws</a> <a href="/y">Video's</a> <a href="/z">Podcasts</a></div>
</div>
<div class="footer">Stedenkoerier, Postbus 12, Zutphen</div>
</body></html>"#;
        let a = parse_html(page.as_bytes()).unwrap();
        assert_eq!(a.title.as_deref(), Some("Nieuwe brug over de IJssel open"));
        assert_eq!(a.text.split("\n\n").count(), 3, "{}", a.text);
        assert!(a.text.starts_with("De nieuwe fietsbrug"));
        assert!(a.text.ends_with("180 meter lang."));
        assert!(!a.text.contains("Regio") && !a.text.contains("Postbus") && !a.text.contains("Podcasts"));
    }

    #[test]
    fn json_ld_supplies_date_author_and_publisher() {
        let page = r#"<html><head>
<title>Gemeente sluit zwembad - Noorderpost</title>
<script type="application/ld+json">
{"@context":"https://schema.org","@graph":[
  {"@type":"WebSite","name":"Noorderpost"},
  {"@type":"NewsArticle","headline":"Gemeente sluit zwembad","datePublished":"2022-06-03T10:15:00Z",
   "author":[{"@type":"Person","name":"Ilse Kramer"},{"@type":"Person","name":"Tom Bakker"}],
   "publisher":{"@type":"Organization","name":"Noorderpost"}}]}
</script></head>
<body><div itemprop="articleBody"><p>Het zwembad in Veendam gaat dicht wegens hoge energiekosten.</p></div></body></html>"#;
        let a = parse_html(page.as_bytes()).unwrap();
        assert_eq!(a.title.as_deref(), Some("Gemeente sluit zwembad"));
        assert_eq!(a.author.as_deref(), Some("Ilse Kramer, Tom Bakker"));
        assert_eq!(a.source.as_deref(), Some("Noorderpost"));
        assert_eq!(a.published, Published::parse("2022-06-03T10:15:00Z").ok());
        assert_eq!(a.text, "Het zwembad in Veendam gaat dicht wegens hoge energiekosten.");
    }

    #[test]
    fn windows_1252_page_is_decoded() {
        let mut page =
            b"<html><head><meta charset=\"windows-1252\"><title>Belgi\xEB wint</title></head><body>".to_vec();
        page.extend_from_slice(b"<article><p>Belgi\xEB won met 2\x962 gelijkgespeeld \x85 of toch niet.</p></article></body></html>");
        let a = parse_html(&page).unwrap();
        assert_eq!(a.metadata["encoding"], "windows-1252");
        assert_eq!(a.text, "België won met 2–2 gelijkgespeeld … of toch niet.");
        assert_eq!(a.title.as_deref(), Some("België wint"));
        // A charset from the HTTP header is honoured too.
        let latin1 = b"<p>Caf\xE9 in Li\xE8ge gesloten na brand.</p>";
        let b = parse_html_declared(latin1, Some("ISO-8859-1")).unwrap();
        assert_eq!(b.text, "Café in Liège gesloten na brand.");
        assert_eq!(b.metadata["encoding"], "iso-8859-1");
    }

    #[test]
    fn entities_are_decoded() {
        let s = decode_entities("Caf&eacute; &amp; co&euml;xistentie, na&iuml;ef, &#8364;5 &#x20AC;6 &#150; &bdquo;ja&rdquo; &lsquo;nee&rsquo; &laquo;x&raquo; 20&deg; &trade; &agrave; &ccedil;");
        assert_eq!(s, "Café & coëxistentie, naïef, €5 €6 – „ja” ‘nee’ «x» 20° ™ à ç");
        assert_eq!(decode_entities("AT&T &unknown; &#; & los"), "AT&T &unknown; &#; & los");
        assert_eq!(decode_entities("&copy 2023 &amp"), "© 2023 &");
        assert_eq!(decode_entities("&#0;&#xD800;&#99999999999;"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        // In an attribute, `&copy=` belongs to a query string.
        assert_eq!(decode_entities_in("?a=1&copy=2", true), "?a=1&copy=2");
    }

    #[test]
    fn tolerant_tokenizer() {
        let html = "<DIV CLASS=intro><P>Eerste alinea<p>Tweede alinea<!-- <p>verborgen</p> -->\
            <script>if (a < b) { document.write('</div>'); }</script></Div>\
            </span></div><ul><li>een<li>twee</ul><p>Derde <b>vet<i>schuin</b> en</i> meer<![CDATA[ en data]]>";
        assert_eq!(
            fragment_text(html),
            "Eerste alinea\n\nTweede alinea\n\neen\n\ntwee\n\nDerde vetschuin en meer en data"
        );
        let tokens = tokenize("<a href=/x?a=1&amp;b=2 title='een \"citaat\"' data-x disabled/>");
        assert_eq!(
            tokens,
            vec![Token::Start {
                name: "a".into(),
                attrs: vec![
                    ("href".into(), "/x?a=1&b=2".into()),
                    ("title".into(), "een \"citaat\"".into()),
                    ("data-x".into(), String::new()),
                    ("disabled".into(), String::new()),
                ],
                self_closing: true,
            }]
        );
        assert_eq!(fragment_text("3 < 4 en 5 > 2, <p>klaar"), "3 < 4 en 5 > 2,\n\nklaar");
        assert_eq!(fragment_text("<p>afgebroken <a href=\"x"), "afgebroken");
    }

    #[test]
    fn fragment_text_for_feed_content() {
        let html = "<p>De raad stemde <strong>unaniem</strong> in.</p><p>Volgende stap &amp; planning:</p>\
            <ul><li>onderzoek</li><li>aanbesteding</li></ul>Zie ook<br><br>de bijlage.<style>p{}</style>";
        assert_eq!(
            fragment_text(html),
            "De raad stemde unaniem in.\n\nVolgende stap & planning:\n\nonderzoek\n\naanbesteding\n\nZie ook\n\nde bijlage."
        );
        assert_eq!(fragment_text("Gewoon   tekst\nzonder markup"), "Gewoon tekst zonder markup");
    }

    #[test]
    fn class_tokens_match_on_segments() {
        for yes in [
            "ad",
            "ad-slot",
            "top_ads",
            "shareButtons",
            "main-nav",
            "cookie-consent",
            "article-header",
            "related",
        ] {
            assert!(furniture_token(yes), "{yes}");
        }
        for no in [
            "shadow",
            "box-shadow",
            "download",
            "heading",
            "has-sidebar",
            "no-ads",
            "article-body",
            "loading",
            "navigator",
        ] {
            assert!(!furniture_token(no), "{no}");
        }
    }

    #[test]
    fn unparseable_date_is_kept_raw() {
        let page = r#"<html><head><meta name="date" content="vorige dinsdag"></head>
<body><article><p>De markt in Gouda is verplaatst naar het plein achter het stadhuis.</p></article></body></html>"#;
        let a = parse_html(page.as_bytes()).unwrap();
        assert_eq!(a.published, None);
        assert_eq!(a.metadata["published_raw"], "vorige dinsdag");
        assert_eq!(a.title, None);
    }

    #[test]
    fn an_article_under_a_furniture_looking_class_and_a_br_body_are_found() {
        // Layout classes (`l-sidebar-fixed`, `elementor-widget-container`) around the article
        // once discarded it; a body written with `<br>` breaks once gave nothing.
        let page = r#"<html><head><title>Veerdienst Ameland hervat - De Waddenbode</title></head><body>
          <div class="l-sidebar-fixed"><div class="elementor-widget-container">
            <h1>Veerdienst Ameland hervat</h1>
            <div class="field-label-hidden">
              De veerdienst tussen Holwerd en Ameland vaart sinds vanochtend weer volgens de dienstregeling.<br>
              De boten lagen drie dagen stil door een storing aan de aanlegsteiger in Nes.<br><br>
              Volgens rederij Wagenborg zijn alle reserveringen van de afgelopen dagen omgezet naar nieuwe afvaarten.
              Reizigers die niet konden vertrekken krijgen hun geld terug.<br>
            </div>
          </div></div>
          <footer>Colofon en privacy</footer></body></html>"#;
        let a = parse_html(page.as_bytes()).unwrap();
        assert!(a.text.contains("De veerdienst tussen Holwerd en Ameland vaart"), "{}", a.text);
        assert!(a.text.contains("krijgen hun geld terug"), "{}", a.text);
        assert!(!a.text.contains("Colofon"), "{}", a.text);
    }

    #[test]
    fn captions_bylines_kickers_and_small_furniture_leave_the_extracted_text() {
        let snippets = vec![
            "Een impressie van de nieuwe sluis bij Terneuzen. Beeld: Rijkswaterstaat".to_owned(),
            "Door Ria Verbeek · 12 maart 2025 09:14".to_owned(),
            "Lees ook Sluis eerder dicht Scheepvaart wacht".to_owned(),
        ];
        let text = "Binnenland\n\nDoor Ria Verbeek · 12 maart 2025 09:14\n\nDe nieuwe zeesluis bij Terneuzen gaat een half jaar later open. \
                    Een impressie van de nieuwe sluis bij Terneuzen. Beeld: Rijkswaterstaat Volgens Rijkswaterstaat is de bodem zachter dan verwacht.\n\n\
                    ADVERTENTIE\n\nInformateur benoemd\n\nDe kosten stijgen met 40 miljoen euro.\n\nLees ook\n\nSluis eerder dicht";
        let clean = without_furniture(text, &snippets);
        assert_eq!(
            clean,
            "De nieuwe zeesluis bij Terneuzen gaat een half jaar later open.\n\n\
             Volgens Rijkswaterstaat is de bodem zachter dan verwacht.\n\n\
             Informateur benoemd\n\nDe kosten stijgen met 40 miljoen euro."
        );
        // Labels alone are no article; a text without labels keeps its short first paragraph
        // when it ends like a sentence.
        assert_eq!(without_furniture("Home\n\nNieuws", &[]), "");
        assert_eq!(without_furniture("Ja.\n\nHet kabinet stemt in.", &[]), "Ja.\n\nHet kabinet stemt in.");
    }

    #[test]
    fn a_caption_run_into_a_paragraph_is_kept_as_metadata_only() {
        let page = r#"<html><head><title>Sluis later open</title></head><body><article>
          <h1>Sluis later open</h1>
          <p>De nieuwe zeesluis bij Terneuzen gaat een half jaar later open dan gepland, meldt Rijkswaterstaat.</p>
          <figure><img src="sluis.jpg" alt=""><figcaption>Een impressie van de nieuwe sluis bij Terneuzen. <span>Beeld: Rijkswaterstaat</span></figcaption></figure>
          <p>Volgens de dienst is de bodem op de plek van de kolk zachter dan uit het vooronderzoek bleek, zodat er extra palen nodig zijn.</p>
          <p>De kosten stijgen daardoor met 40 miljoen euro tot ruim een miljard, schrijft de minister aan de Kamer.</p>
        </article></body></html>"#;
        let a = parse_html(page.as_bytes()).unwrap();
        assert!(!a.text.contains("impressie"), "{}", a.text);
        assert!(a.text.contains("extra palen nodig zijn"), "{}", a.text);
        assert!(a.metadata["caption"].contains("Een impressie van de nieuwe sluis"));
    }

    #[test]
    fn page_without_text_is_an_error() {
        let page = "<html><head><title>Alleen een menu - Krant</title></head><body><nav><a href=\"/\">Home</a></nav><footer>Colofon</footer></body></html>";
        match parse_html(page.as_bytes()) {
            Err(IngestError::Malformed(m)) => {
                assert!(m.starts_with("no article text found in the page"), "{m}");
                assert!(m.contains("Alleen een menu"), "{m}");
            }
            other => panic!("expected malformed, got {other:?}"),
        }
        assert!(matches!(parse_html(b"  \n "), Err(IngestError::Empty)));
        assert!(matches!(parse_html(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(IngestError::Binary { .. })));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let mut page = "<div>".repeat(5000);
        page.push_str("<p>Diep verstopt staat toch nog een zin met genoeg woorden erin.</p>");
        let a = parse_html(page.as_bytes()).unwrap();
        assert_eq!(a.text, "Diep verstopt staat toch nog een zin met genoeg woorden erin.");
    }

    #[test]
    fn site_suffix_is_removed_from_titles() {
        assert_eq!(
            strip_site_suffix("Brand in loods Zaandam - De Waterbode", None),
            "Brand in loods Zaandam"
        );
        assert_eq!(strip_site_suffix("Nieuws | Stad", None), "Nieuws | Stad");
        assert_eq!(
            strip_site_suffix("Kabinet valt | Politiek | Dagblad Oost", Some("Dagblad Oost")),
            "Kabinet valt | Politiek"
        );
        assert_eq!(
            strip_site_suffix("Rutte - Wilders: het debat van de week", None),
            "Rutte - Wilders: het debat van de week"
        );
    }
}
