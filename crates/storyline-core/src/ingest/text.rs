//! Plain text articles, one per file, as people copy them from websites.
//!
//! The layout storyline reads:
//!
//! ```text
//! date 2017-10                      <- optional header lines: `date`, `title:`, `source:`,
//! source: Nieuwsdienst Noord           `url:`, `language:`, `author:`
//! Brug kost miljoenen meer KV       <- the title (trailing author initials are kept apart)
//!
//! 14u32                             <- byline debris: a lone time, `Bron: ANP`, a photo
//! Bron: ANP                            credit, `Door Jan Smit`; kept as metadata
//!
//! First paragraph ...
//! ```
//!
//! When the first line is a whole paragraph rather than a headline, the title is taken from the
//! first sentence and the text keeps it.

use std::collections::BTreeMap;

use super::encoding::{check_text, decode};
use super::IngestError;
use crate::date::{days_in_month, month_from_name, Precision, Published};
use crate::model::{Locator, RawArticle};

/// Reads a text file's bytes: rejects binary data, decodes the encoding, then [`parse_text`].
pub fn parse_text_bytes(bytes: &[u8]) -> Result<RawArticle, IngestError> {
    check_text(bytes)?;
    let decoded = decode(bytes, None);
    let mut article = parse_text(&decoded.text);
    if article.text.is_empty() && article.title.is_none() {
        return Err(IngestError::Empty);
    }
    if decoded.encoding != "utf-8" {
        article.metadata.insert("encoding".into(), decoded.encoding.into());
    }
    article.locator = Some(Locator::Whole);
    Ok(article)
}

/// Acronyms that end headlines and are not author initials.
const ACRONYMS: &[&str] = &[
    "AI", "ANP", "AP", "BBC", "CDA", "CEO", "D66", "DNA", "EK", "EU", "FBI", "FNV", "GL", "IS", "ISIS",
    "KNMI", "KLM", "NAVO", "NATO", "NOS", "NS", "OM", "PSV", "PVV", "RIVM", "SP", "TV", "UK", "UN", "US",
    "USA", "VN", "VS", "VVD", "WK", "WHO", "ZZP",
];

/// Photo agencies whose names appear as a bare credit around copied article text.
const PHOTO_AGENCIES: &[&str] = &[
    "ANP",
    "ANP Foto",
    "Photo News",
    "Belga",
    "Belga Image",
    "ImageGlobe",
    "Hollandse Hoogte",
    "EPA",
    "EPA-EFE",
    "AFP",
    "AP",
    "Reuters",
    "Getty Images",
    "Shutterstock",
    "Pro Shots",
    "BSR Agency",
    "Orange Pictures",
    "Imago",
    "DPA",
    "Alamy",
];

/// Words that introduce a photo credit.
const PHOTO_PREFIXES: &[&str] =
    &["foto:", "foto's:", "beeld:", "photo:", "picture:", "image:", "©", "(c)", "foto"];

fn is_lone_time(line: &str) -> bool {
    let b = line.as_bytes();
    let Some(sep) = b.iter().position(|&c| matches!(c, b'u' | b':' | b'.' | b'h')) else {
        return false;
    };
    let (h, m) = (&line[..sep], &line[sep + 1..]);
    (1..=2).contains(&h.len())
        && m.len() == 2
        && h.bytes().all(|c| c.is_ascii_digit())
        && m.bytes().all(|c| c.is_ascii_digit())
        && h.parse::<u32>().is_ok_and(|h| h < 24)
        && m.parse::<u32>().is_ok_and(|m| m < 60)
}

/// Dutch and English month names to numbers.
fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    if let Some(i) = NL.iter().position(|m| *m == w) {
        return Some(i as u32 + 1);
    }
    if w == "mrt" || w == "okt" {
        return Some(if w == "mrt" { 3 } else { 10 });
    }
    month_from_name(&w)
}

const WEEKDAYS: &[&str] = &[
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "ma",
    "di",
    "wo",
    "do",
    "vr",
    "za",
    "zo",
];

/// A dateline such as `dinsdag 14 november 2017, 20:07` or `14 Nov 2017`.
fn parse_dateline(line: &str) -> Option<Published> {
    let cleaned: String = line.chars().map(|c| if c == ',' || c == '|' { ' ' } else { c }).collect();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.len() < 3 || words.len() > 6 {
        return None;
    }
    if WEEKDAYS.contains(&words[0].to_lowercase().trim_end_matches('.')) {
        words.remove(0);
    }
    let day: u32 = words.first()?.trim_end_matches('.').parse().ok()?;
    let month = month_number(words.get(1)?.trim_end_matches('.'))?;
    let year: i32 = words.get(2)?.parse().ok()?;
    if !(1900..=2100).contains(&year) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    match words.get(3) {
        Some(clock) if words.len() == 4 => {
            let clock = clock.replace(['u', 'h', '.'], ":");
            let (h, m) = clock.split_once(':')?;
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            Published::from_parts(year, month, day, (h, m, 0), Precision::Minute)
        }
        None => Published::day(year, month, day),
        _ => None,
    }
}

/// Header lines: `date 2017-10`, `datum: 2017-10-14`, `title: ...`, `source: ...`.
/// Returns the key, the value, and any text that follows a `date` on the same line.
fn header_line(line: &str) -> Option<(&'static str, String, Option<String>)> {
    let lower = line.to_lowercase();
    for (prefix, key) in [
        ("date", "published"),
        ("datum", "published"),
        ("published", "published"),
        ("gepubliceerd", "published"),
        ("title", "title"),
        ("titel", "title"),
        ("source", "source"),
        ("url", "url"),
        ("link", "url"),
        ("language", "language"),
        ("lang", "language"),
        ("taal", "language"),
        ("author", "author"),
        ("auteur", "author"),
    ] {
        let Some(rest) = lower.strip_prefix(prefix) else { continue };
        let offset = line.len() - rest.len();
        let after = &line[offset..];
        if key == "published" {
            // `date 2017-10 Rest of the line` or `date: 2017-10-14`.
            let after = after.strip_prefix(':').unwrap_or(after);
            if !after.starts_with(char::is_whitespace) && !rest.starts_with(':') {
                continue;
            }
            let after = after.trim_start();
            let token_end = after.find(char::is_whitespace).unwrap_or(after.len());
            let token = &after[..token_end];
            if Published::parse(token).is_ok() {
                let tail = after[token_end..].trim();
                return Some((key, token.to_string(), (!tail.is_empty()).then(|| tail.to_string())));
            }
            return None;
        }
        let Some(value) = after.strip_prefix(':') else { continue };
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        return Some((key, value.to_string(), None));
    }
    None
}

/// A line that is all photo credit (`Foto: Jan de Wit`, `ANP`, `© Photo News`).
fn photo_credit_line(line: &str) -> Option<String> {
    let t = line.trim();
    if PHOTO_AGENCIES.iter().any(|a| a.eq_ignore_ascii_case(t)) {
        return Some(t.to_string());
    }
    let lower = t.to_lowercase();
    for p in PHOTO_PREFIXES {
        if let Some(rest) = lower.strip_prefix(p) {
            let value = t[t.len() - rest.len()..].trim();
            let is_credit = !value.is_empty()
                && value.split_whitespace().count() <= 6
                && (p.ends_with(':') || p.starts_with(['©', '(']) || is_agency_start(value).is_some());
            if is_credit {
                return Some(value.to_string());
            }
        }
    }
    // `ANP / Robin Utrecht`
    if let Some((agency, _)) = t.split_once(" / ") {
        if PHOTO_AGENCIES.iter().any(|a| a.eq_ignore_ascii_case(agency.trim())) && t.len() < 60 {
            return Some(t.to_string());
        }
    }
    None
}

/// If `s` starts with a known photo agency (followed by a word boundary), its byte length.
fn is_agency_start(s: &str) -> Option<usize> {
    PHOTO_AGENCIES
        .iter()
        .filter(|a| {
            s.len() >= a.len()
                && s.is_char_boundary(a.len())
                && s[..a.len()].eq_ignore_ascii_case(a)
                && s[a.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
        })
        .map(|a| a.len())
        .max()
}

/// A credit line `Bron: BBC` (Dutch) or `Source: Reuters`; returns the credited name and what
/// follows it on the line, if the line runs on into text.
fn credit_prefix(line: &str) -> Option<(String, &str)> {
    let lower = line.to_lowercase();
    let rest_at = ["bron:", "bronnen:", "source:", "sources:"]
        .iter()
        .find_map(|p| lower.starts_with(p).then_some(p.len()))?;
    let rest = line[rest_at..].trim_start();
    // The credit is the leading run of name-like words: capitalised or all-caps, up to 4, and
    // `/`, `&`, `en`, `and` between them. It stops at a digit, a lowercase word, or a photo credit.
    let mut end = 0;
    let mut words = 0;
    let mut iter = rest.char_indices().peekable();
    while let Some(&(start, _)) = iter.peek() {
        let word_end = rest[start..].find(char::is_whitespace).map_or(rest.len(), |i| start + i);
        let word = &rest[start..word_end];
        let connector = matches!(word, "/" | "&" | "en" | "and" | "-");
        let namey = word.chars().next().is_some_and(|c| c.is_uppercase())
            && !word.chars().any(|c| c.is_ascii_digit());
        if words > 0 && is_agency_start(&rest[start..]).is_some() {
            break;
        }
        if !(namey || (connector && words > 0)) || words >= 4 {
            break;
        }
        words += 1;
        end = word_end;
        // Skip whitespace to the next word.
        let next = rest[word_end..].find(|c: char| !c.is_whitespace()).map_or(rest.len(), |i| word_end + i);
        while iter.peek().is_some_and(|&(i, _)| i < next) {
            iter.next();
        }
        if next >= rest.len() {
            break;
        }
    }
    if words == 0 {
        return None;
    }
    let name = rest[..end].trim_end_matches(['/', '&', '-', ' ']).trim().to_string();
    Some((name, rest[end..].trim_start()))
}

/// A byline `Door Jan Smit` / `By Jane Doe`.
fn byline(line: &str) -> Option<String> {
    let rest = line.strip_prefix("Door ").or_else(|| line.strip_prefix("By "))?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let ok = (1..=5).contains(&words.len())
        && words.first().is_some_and(|w| w.starts_with(char::is_uppercase))
        && !rest.ends_with('.');
    ok.then(|| rest.trim().to_string())
}

/// Author initials at the end of a title: `JC`, `JvD`, `J.C.`.
fn trailing_initials(title: &str) -> Option<(&str, &str)> {
    let (head, last) = title.trim_end().rsplit_once(' ')?;
    let letters: Vec<char> = last.chars().filter(|c| *c != '.').collect();
    if letters.is_empty() || letters.len() > 4 || head.split_whitespace().count() < 3 {
        return None;
    }
    let dotted =
        last.contains('.') && last.split('.').filter(|s| !s.is_empty()).all(|s| s.chars().count() == 1);
    let all_caps = letters.iter().all(|c| c.is_uppercase()) && (2..=3).contains(&letters.len());
    let mixed = letters.len() >= 3
        && letters.first().is_some_and(|c| c.is_uppercase())
        && letters.last().is_some_and(|c| c.is_uppercase())
        && letters[1..letters.len() - 1].iter().all(|c| c.is_lowercase())
        && letters.len() <= 4;
    if !(dotted || all_caps || mixed) || ACRONYMS.contains(&last) {
        return None;
    }
    Some((head.trim_end(), last))
}

fn looks_like_title(line: &str) -> bool {
    let n = line.chars().count();
    n <= 200 && !line.ends_with(['.', ',', ';', ':']) || (n <= 120 && line.ends_with('?'))
}

/// Splits into paragraphs on blank lines; lines of a hard-wrapped paragraph are joined.
fn paragraphs(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let flush = |block: &mut Vec<&str>, out: &mut Vec<String>| {
        if block.is_empty() {
            return;
        }
        let wrapped = block.len() > 1
            && block[..block.len() - 1]
                .iter()
                .all(|l| l.chars().count() >= 50 && !l.ends_with(['.', '!', '?', '"', '”']));
        if wrapped {
            out.push(collapse(&block.join(" ")));
        } else {
            out.extend(block.iter().map(|l| collapse(l)));
        }
        block.clear();
    };
    for line in lines {
        if line.trim().is_empty() {
            flush(&mut block, &mut out);
        } else {
            block.push(line.trim());
        }
    }
    flush(&mut block, &mut out);
    out.retain(|p| !p.is_empty());
    out
}

/// Collapses runs of whitespace (including no-break spaces) to one space.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// The first sentence of a text, shortened to at most `max` characters on a word boundary.
pub fn first_sentence(text: &str, max: usize) -> String {
    let para = text.split("\n\n").next().unwrap_or("").trim();
    let mut end = para.len();
    let bytes = para.as_bytes();
    for (i, c) in para.char_indices() {
        if matches!(c, '.' | '!' | '?') && i > 20 {
            let next = bytes.get(i + 1).copied();
            let after = para[i + 1..].trim_start().chars().next();
            if next.is_none_or(|b| b == b' ')
                && after.is_none_or(|c| c.is_uppercase() || c == '„' || c == '"')
            {
                end = i + c.len_utf8();
                break;
            }
        }
    }
    let sentence = &para[..end];
    if sentence.chars().count() <= max {
        return sentence.to_string();
    }
    let mut cut: String = sentence.chars().take(max).collect();
    if let Some(sp) = cut.rfind(' ') {
        cut.truncate(sp);
    }
    cut.push('…');
    cut
}

/// Parses decoded text into an article (see the module docs for the layout).
pub fn parse_text(input: &str) -> RawArticle {
    let normalized = input.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = normalized.lines().map(|l| l.trim_end().to_string()).collect();
    let mut a = RawArticle::default();
    let mut meta: BTreeMap<String, String> = BTreeMap::new();

    // Header lines at the very top.
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim().to_string();
        if line.is_empty() {
            i += 1;
            continue;
        }
        let Some((key, value, tail)) = header_line(&line) else { break };
        match key {
            "published" => a.published = Published::parse(&value).ok(),
            "title" => a.title = Some(value),
            "source" => a.source = Some(value),
            "url" => a.url = Some(value),
            "language" => a.language = Some(value),
            _ => a.author = Some(value),
        }
        match tail {
            Some(t) => {
                lines[i] = t;
                break;
            }
            None => i += 1,
        }
    }
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }

    // The title line, unless a header gave it or the first line is a whole paragraph.
    let mut title_from_line = false;
    if a.title.is_none() && i < lines.len() && looks_like_title(lines[i].trim()) {
        a.title = Some(collapse(&lines[i]));
        title_from_line = true;
        i += 1;
    }

    // Byline debris before the first real paragraph.
    let mut debris_seen = false;
    let mut caption_pending = false;
    while i < lines.len() {
        let line = lines[i].trim().to_string();
        if line.is_empty() {
            i += 1;
            continue;
        }
        if is_lone_time(&line) {
            meta.insert("time".into(), line);
        } else if let Some(p) = parse_dateline(&line) {
            if a.published.is_none() {
                a.published = Some(p);
            }
            meta.insert("dateline".into(), line);
        } else if let Some(credit) = photo_credit_line(&line) {
            meta.insert("photo_credit".into(), credit);
        } else if let Some(author) = byline(&line) {
            a.author.get_or_insert(author);
        } else if let Some((credit, rest)) = credit_prefix(&line) {
            meta.insert("credit".into(), credit);
            // Copied web text runs the credit, a counter, a photo credit and the caption
            // together on one line before the lede.
            let mut rest = rest.to_string();
            let count_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if count_len > 0 && rest[..count_len].bytes().all(|b| b.is_ascii_digit()) {
                meta.insert("counter".into(), rest[..count_len].to_string());
                rest = rest[count_len..].trim_start().to_string();
            }
            if let Some(n) = is_agency_start(&rest) {
                meta.insert("photo_credit".into(), rest[..n].to_string());
                rest = rest[n..].trim_start().to_string();
                caption_pending = true;
            }
            debris_seen = true;
            if rest.is_empty() {
                i += 1;
                continue;
            }
            lines[i] = rest;
            break;
        } else {
            break;
        }
        debris_seen = true;
        i += 1;
    }

    let mut paras = paragraphs(&lines[i.min(lines.len())..].iter().map(String::as_str).collect::<Vec<_>>());
    if caption_pending {
        if let Some(first) = paras.first_mut() {
            let caption = first_sentence(first, usize::MAX);
            if caption.len() < first.len() && caption.ends_with('.') {
                meta.insert("caption".into(), caption.clone());
                *first = first[caption.len()..].trim_start().to_string();
            }
        }
    }

    if title_from_line {
        if let Some(title) = a.title.clone() {
            if let Some((head, initials)) = trailing_initials(&title) {
                let is_initials_form = initials.contains('.') || initials.chars().any(|c| c.is_lowercase());
                if debris_seen || is_initials_form {
                    meta.insert("initials".into(), initials.to_string());
                    a.title = Some(head.to_string());
                }
            }
        }
    }

    a.text = paras.join("\n\n");
    if a.title.is_none() && !a.text.is_empty() {
        a.title = Some(first_sentence(&a.text, 160));
        meta.insert("title_from".into(), "first sentence".into());
    }
    a.metadata = meta;
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_title_and_debris() {
        let raw = parse_text(
            "date 2025-11-03\nGemeente Zwolle houdt brug langer dicht KV\n\n14u32\n\nBron: ANP\n\nFoto: Jan de Wit\n\nDe Thorbeckebrug blijft nog zeker zes weken dicht.\n\nDat meldt de gemeente.",
        );
        assert_eq!(raw.title.as_deref(), Some("Gemeente Zwolle houdt brug langer dicht"));
        assert_eq!(raw.published.unwrap().to_string(), "2025-11-03");
        assert_eq!(raw.metadata["initials"], "KV");
        assert_eq!(raw.metadata["time"], "14u32");
        assert_eq!(raw.metadata["credit"], "ANP");
        assert_eq!(raw.metadata["photo_credit"], "Jan de Wit");
        assert_eq!(raw.text, "De Thorbeckebrug blijft nog zeker zes weken dicht.\n\nDat meldt de gemeente.");
    }

    #[test]
    fn month_precision_date_with_text_on_the_same_line() {
        let raw = parse_text(" date 2017-10 Tientallen inwoners van Kampen moesten zondag hun huis uit. Dat meldt de veiligheidsregio, die de situatie als ernstig omschrijft en om begrip vraagt bij de bewoners van de wijk die nu al twee keer werd ontruimd sinds het begin van de maand oktober.\n\nTweede alinea.");
        let p = raw.published.unwrap();
        assert_eq!(p.precision, Precision::Month);
        assert_eq!(p.to_string(), "2017-10");
        assert!(raw.text.starts_with("Tientallen inwoners van Kampen"));
        assert_eq!(raw.title.as_deref(), Some("Tientallen inwoners van Kampen moesten zondag hun huis uit."));
        assert_eq!(raw.metadata["title_from"], "first sentence");
    }

    #[test]
    fn inline_credit_counter_photo_and_caption() {
        let raw = parse_text(
            "Havenbrand in Antwerpen onder controle JvD\n\n20u07\n\nBron: Belga 12 Photo News Een brandweerman blust de laatste haarden. De brand bij het chemiebedrijf is sinds vanochtend onder controle.\n\nVolgende alinea.",
        );
        assert_eq!(raw.title.as_deref(), Some("Havenbrand in Antwerpen onder controle"));
        assert_eq!(raw.metadata["initials"], "JvD");
        assert_eq!(raw.metadata["credit"], "Belga");
        assert_eq!(raw.metadata["counter"], "12");
        assert_eq!(raw.metadata["photo_credit"], "Photo News");
        assert_eq!(raw.metadata["caption"], "Een brandweerman blust de laatste haarden.");
        assert!(raw.text.starts_with("De brand bij het chemiebedrijf"), "{}", raw.text);
        assert!(!raw.text.contains("20u07") && !raw.text.contains("Bron:"));
    }

    #[test]
    fn acronyms_at_the_end_of_a_title_stay() {
        let raw =
            parse_text("Nieuwe sancties tegen Rusland door de EU\n\n20:15\n\nDe lidstaten zijn het eens.");
        assert_eq!(raw.title.as_deref(), Some("Nieuwe sancties tegen Rusland door de EU"));
        assert!(!raw.metadata.contains_key("initials"));
        assert_eq!(raw.metadata["time"], "20:15");
    }

    #[test]
    fn title_without_debris_keeps_caps_word() {
        // Without byline debris, a capitalised last word is not taken for initials.
        let raw = parse_text("Storing bij betaalsysteem van ING\n\nKlanten konden urenlang niet pinnen.");
        assert_eq!(raw.title.as_deref(), Some("Storing bij betaalsysteem van ING"));
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let raw = parse_text("Titel van het stuk\n\nDit is een lange regel die ergens halverwege de zin is afgebroken\nen hier verder gaat tot de punt.\n\nKort.");
        assert_eq!(raw.text, "Dit is een lange regel die ergens halverwege de zin is afgebroken en hier verder gaat tot de punt.\n\nKort.");
    }

    #[test]
    fn datelines_and_bylines() {
        let raw = parse_text("Raad stemt in met begroting\n\nDoor Sanne Bakker\n\ndinsdag 4 november 2025, 18:45\n\nDe raad stemde in.");
        assert_eq!(raw.author.as_deref(), Some("Sanne Bakker"));
        assert_eq!(raw.published.unwrap().to_string(), "2025-11-04T18:45Z");
        assert_eq!(raw.text, "De raad stemde in.");
    }

    #[test]
    fn binary_and_empty_files_are_errors() {
        assert!(matches!(parse_text_bytes(b"\x00\x01\x02binary"), Err(IngestError::Binary { .. })));
        assert!(matches!(parse_text_bytes(b"\n\n  \n"), Err(IngestError::Empty)));
        let latin = parse_text_bytes(b"Nieuws uit Belgi\xEB\n\nDe regering in Brussel.").unwrap();
        assert_eq!(latin.title.as_deref(), Some("Nieuws uit België"));
        assert_eq!(latin.metadata["encoding"], "windows-1252");
    }
}
