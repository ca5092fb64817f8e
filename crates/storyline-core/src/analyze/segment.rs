//! Tokens and sentences.
//!
//! Tokens are words (letters and digits, with inner hyphens and apostrophes: `IS-strijders`,
//! `zo'n`, `IS'ers`, `20u07`), numbers (`3.500`, `2,5`, `1,200.50`) and single punctuation or
//! symbol characters. Sentences end at `.`, `!`, `?` or `…` (with any closing quotes or
//! brackets after it) when a new sentence visibly starts, and always at a line break. Dutch and
//! English abbreviations (`dhr.`, `o.a.`, `d.w.z.`, `ca.`, `Mr.`, `e.g.`) and initials
//! (`J.C. Smit`) do not end a sentence, and nothing inside parentheses does.

use serde::{Deserialize, Serialize};

use super::table::{word_set, WordSet};
use super::Span;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenKind {
    /// Contains at least one letter.
    Word,
    /// Digits, possibly with `.`/`,` group or decimal separators.
    Number,
    /// One punctuation or symbol character.
    Punct,
}

/// A token: a byte span of the text and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// Word, number or punctuation.
    pub kind: TokenKind,
    /// Whether a line break (not just a space) precedes this token.
    pub after_newline: bool,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// Its span.
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// The character starting at byte `at`, if any.
#[inline]
fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => Some(b as char),
        Some(_) => text[at..].chars().next(),
        None => None,
    }
}

/// The character ending at byte `at`, if any.
#[inline]
fn char_before(text: &str, at: usize) -> Option<char> {
    match at.checked_sub(1).map(|p| text.as_bytes()[p]) {
        Some(b) if b < 0x80 => Some(b as char),
        Some(_) => text[..at].chars().next_back(),
        None => None,
    }
}

/// Splits text into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 4 + 8);
    let n = text.len();
    let bytes = text.as_bytes();
    // Byte offsets; `p` is the current character.
    let mut p = 0;
    let mut newline = false;
    while let Some(c) = char_at(text, p) {
        let start = p;
        if c.is_whitespace() {
            if c == '\n' {
                newline = true;
            }
            p += c.len_utf8();
            continue;
        }
        let after_newline = std::mem::take(&mut newline) || out.is_empty();
        if c.is_alphanumeric() {
            let mut q = p + c.len_utf8();
            let mut has_letter = c.is_alphabetic();
            loop {
                // Plain ASCII letters and digits first.
                while let Some(&b) = bytes.get(q) {
                    if b.is_ascii_alphabetic() {
                        has_letter = true;
                    } else if !b.is_ascii_digit() {
                        break;
                    }
                    q += 1;
                }
                let Some(cq) = char_at(text, q) else { break };
                if cq.is_alphanumeric() {
                    has_letter |= cq.is_alphabetic();
                    q += cq.len_utf8();
                    continue;
                }
                // Joiners inside a word or number: `IS-strijders`, `zo'n`, `3.500`, `2,5`.
                let after = q + cq.len_utf8();
                if let Some(next) = char_at(text, after).filter(|c| c.is_alphanumeric()) {
                    let joiner = cq;
                    let prev_digit = char_before(text, q).is_some_and(|c| c.is_ascii_digit());
                    let next_digit = next.is_ascii_digit();
                    if is_hyphen(joiner) && !(prev_digit && next_digit) {
                        q = after;
                        continue;
                    }
                    if is_apostrophe(joiner) && (has_letter || next.is_alphabetic()) {
                        q = after;
                        continue;
                    }
                    if matches!(joiner, '.' | ',') && prev_digit && next_digit && !has_letter {
                        q = after;
                        continue;
                    }
                }
                break;
            }
            // `zo'n` is handled above; a leading elision like `'t` or `'s` is a word too.
            let kind = if has_letter { TokenKind::Word } else { TokenKind::Number };
            out.push(Token { start, end: q.min(n), kind, after_newline });
            p = q;
            continue;
        }
        let after = p + c.len_utf8();
        // `'t`, `'s`, `'n` as words (Dutch articles).
        if is_apostrophe(c) {
            if let Some(c1) = char_at(text, after).filter(|c| matches!(c, 't' | 's' | 'n' | 'k')) {
                let end = after + c1.len_utf8();
                let followed_by_letter = char_at(text, end).is_some_and(char::is_alphanumeric);
                let preceded_by_letter = char_before(text, p).is_some_and(char::is_alphanumeric);
                if !followed_by_letter && !preceded_by_letter {
                    out.push(Token { start, end, kind: TokenKind::Word, after_newline });
                    p = end;
                    continue;
                }
            }
        }
        out.push(Token { start, end: after, kind: TokenKind::Punct, after_newline });
        p = after;
    }
    out
}

/// Abbreviations (lowercase, without their dots) that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    // Dutch
    "dhr", "mevr", "mw", "mr", "mrs", "drs", "dr", "prof", "ir", "ing", "bc", "ds", "st", "sr", "jr", "bijv",
    "bv", "ca", "nr", "nrs", "jl", "blz", "enz", "etc", "incl", "excl", "resp", "ong", "gem", "max", "min",
    "tel", "vgl", "zgn", "mln", "mld", "mrd", "kol", "gen", "lt", "luit", "burg", "weth", "min", "art",
    "afb", "hfst", "pag", "ned", "vz", "vs", "ggz", "kapt", // English
    "ms", "messrs", "gov", "sen", "rep", "col", "capt", "sgt", "cpl", "maj", "adm", "inc", "ltd", "co",
    "corp", "no", "nos", "approx", "dept", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "okt", "nov", "dec", "mt", "ft", "ave", "blvd",
];

const ABBREVIATION_SET: WordSet = word_set!(ABBREVIATIONS);

fn is_abbreviation(word: &str) -> bool {
    // Every abbreviation is short and ASCII: lowercase short ASCII words on the stack.
    if word.is_ascii() {
        let mut buf = [0u8; 16];
        return match buf.get_mut(..word.len()) {
            Some(b) => {
                b.copy_from_slice(word.as_bytes());
                b.make_ascii_lowercase();
                ABBREVIATION_SET.index_bytes(b).is_some()
            }
            None => false,
        };
    }
    ABBREVIATION_SET.contains(&word.to_lowercase())
}

fn is_closer(s: &str) -> bool {
    matches!(s, "”" | "\"" | "’" | "'" | "»" | ")" | "]" | "›")
}

fn is_opener(s: &str) -> bool {
    matches!(s, "„" | "“" | "\"" | "‘" | "'" | "«" | "(" | "[" | "‹")
}

/// Sentence spans over whole tokens.
pub fn sentences(text: &str, tokens: &[Token], _language: &str) -> Vec<Span> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    let mut start = 0usize; // token index
    let mut depth_paren = 0i32;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        let s = t.text(text);
        // A line break always ends a sentence.
        if i > start && t.after_newline {
            out.push(Span::new(tokens[start].start, tokens[i - 1].end));
            start = i;
            depth_paren = 0;
        }
        match s {
            "(" | "[" => depth_paren += 1,
            ")" | "]" => depth_paren = (depth_paren - 1).max(0),
            _ => {}
        }
        let terminal = matches!(s, "." | "!" | "?" | "…");
        if terminal && depth_paren == 0 {
            // `dhr.`, `o.a.`, `J.C.`: a dot after an abbreviation or a single letter.
            let prev = (i > start).then(|| tokens[i - 1]);
            let abbreviation = s == "."
                && prev.is_some_and(|p| {
                    p.end == t.start
                        && p.kind == TokenKind::Word
                        && (p.text(text).chars().count() == 1 || is_abbreviation(p.text(text)))
                });
            // Swallow repeated terminals and closing quotes/brackets: `?!`, `.”`, `.)`.
            let mut j = i + 1;
            while j < tokens.len()
                && !tokens[j].after_newline
                && (matches!(tokens[j].text(text), "." | "!" | "?" | "…") || is_closer(tokens[j].text(text)))
            {
                // A straight quote after a terminal closes a quote only if it is attached.
                if matches!(tokens[j].text(text), "\"" | "'") && tokens[j].start != tokens[j - 1].end {
                    break;
                }
                j += 1;
            }
            let next = tokens.get(j);
            let starts_sentence = match next {
                None => true,
                Some(n) if n.after_newline => true,
                Some(n) => {
                    let nt = n.text(text);
                    let first = nt.chars().next().unwrap_or(' ');
                    first.is_uppercase()
                        || n.kind == TokenKind::Number
                        || is_opener(nt)
                        || nt == "-"
                        || nt == "–"
                }
            };
            // After an abbreviation, only a clearly new sentence (a capital after a common
            // word abbreviation is usually a name: `dhr. Jansen`) counts; keep it joined.
            if starts_sentence && !abbreviation {
                out.push(Span::new(tokens[start].start, tokens[j - 1].end));
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(Span::new(tokens[start].start, tokens[tokens.len() - 1].end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer as first written: over a table of all characters.
    fn tokenize_by_table(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let n = chars.len();
        let end_of = |i: usize| if i < n { chars[i].0 } else { text.len() };
        let mut i = 0;
        let mut newline = false;
        while i < n {
            let (start, c) = chars[i];
            if c.is_whitespace() {
                newline |= c == '\n';
                i += 1;
                continue;
            }
            let after_newline = std::mem::take(&mut newline) || out.is_empty();
            if c.is_alphanumeric() {
                let mut j = i + 1;
                let mut has_letter = c.is_alphabetic();
                loop {
                    if j < n && chars[j].1.is_alphanumeric() {
                        has_letter |= chars[j].1.is_alphabetic();
                        j += 1;
                        continue;
                    }
                    if j + 1 < n && chars[j + 1].1.is_alphanumeric() {
                        let joiner = chars[j].1;
                        let prev_digit = chars[j - 1].1.is_ascii_digit();
                        let next_digit = chars[j + 1].1.is_ascii_digit();
                        if (is_hyphen(joiner) && !(prev_digit && next_digit))
                            || (is_apostrophe(joiner) && (has_letter || chars[j + 1].1.is_alphabetic()))
                            || (matches!(joiner, '.' | ',') && prev_digit && next_digit && !has_letter)
                        {
                            j += 1;
                            continue;
                        }
                    }
                    break;
                }
                let kind = if has_letter { TokenKind::Word } else { TokenKind::Number };
                out.push(Token { start, end: end_of(j), kind, after_newline });
                i = j;
                continue;
            }
            if is_apostrophe(c) && i + 1 < n && matches!(chars[i + 1].1, 't' | 's' | 'n' | 'k') {
                let followed_by_letter = i + 2 < n && chars[i + 2].1.is_alphanumeric();
                let preceded_by_letter = i > 0 && chars[i - 1].1.is_alphanumeric();
                if !followed_by_letter && !preceded_by_letter {
                    out.push(Token { start, end: end_of(i + 2), kind: TokenKind::Word, after_newline });
                    i += 2;
                    continue;
                }
            }
            out.push(Token { start, end: end_of(i + 1), kind: TokenKind::Punct, after_newline });
            i += 1;
        }
        out
    }

    #[test]
    fn tokens_match_the_table_reading() {
        let pieces = [
            "a", "Z", "é", "1", "9", "-", "‐", "'", "’", "‘", ".", ",", " ", "\n", "t", "s", "n", "k", "€",
            "“", "ß", "IS", "zo",
        ];
        let mut seed = 11u64;
        for round in 0..4000 {
            let mut text = String::new();
            for _ in 0..round % 40 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert_eq!(tokenize(&text), tokenize_by_table(&text), "{text:?}");
        }
    }

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    fn sents(text: &str) -> Vec<&str> {
        let tokens = tokenize(text);
        sentences(text, &tokens, "nl").iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn words_numbers_and_joiners() {
        assert_eq!(
            words("Zo'n 250 IS-strijders en 3.500 familieleden (2,5 km) vertrokken om 20u07."),
            [
                "Zo'n",
                "250",
                "IS-strijders",
                "en",
                "3.500",
                "familieleden",
                "(",
                "2,5",
                "km",
                ")",
                "vertrokken",
                "om",
                "20u07",
                "."
            ]
        );
        assert_eq!(words("IS’ers, massa's en 't dorp"), ["IS’ers", ",", "massa's", "en", "'t", "dorp"]);
        assert_eq!(words("zes-tot-zeven 10-12"), ["zes-tot-zeven", "10", "-", "12"]);
        let t = tokenize("3.500");
        assert_eq!(t[0].kind, TokenKind::Number);
    }

    #[test]
    fn dutch_abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            sents("Dhr. Jansen en mevr. De Vries kwamen o.a. met J.C. Smit. Het was ca. tien uur. Daarna, d.w.z. om elf uur, ging men naar huis."),
            [
                "Dhr. Jansen en mevr. De Vries kwamen o.a. met J.C. Smit.",
                "Het was ca. tien uur.",
                "Daarna, d.w.z. om elf uur, ging men naar huis."
            ]
        );
    }

    #[test]
    fn quotes_and_parentheses_nest() {
        assert_eq!(
            sents("„Het is nu ieder voor zich.”, zei hij. Dat bleek (zie ook p. 3. Of niet.) later. \"Klaar?\" Ja."),
            ["„Het is nu ieder voor zich.”, zei hij.", "Dat bleek (zie ook p. 3. Of niet.) later.", "\"Klaar?\"", "Ja."]
        );
        assert_eq!(
            sents("\"We wilden dat niet\", zegt Dillon. \"Maar dit gaat terug. Het komt aan op hen.\""),
            ["\"We wilden dat niet\", zegt Dillon.", "\"Maar dit gaat terug.", "Het komt aan op hen.\""]
        );
    }

    #[test]
    fn line_breaks_end_sentences() {
        assert_eq!(
            sents("Veilige aftocht\n\nOm een eindstrijd te voorkomen, vertrokken ze."),
            ["Veilige aftocht", "Om een eindstrijd te voorkomen, vertrokken ze."]
        );
    }

    #[test]
    fn numbers_at_the_end_and_lowercase_continuations() {
        assert_eq!(
            sents("Raqqa gold sinds 2014. Maar nu niet meer."),
            ["Raqqa gold sinds 2014.", "Maar nu niet meer."]
        );
        assert_eq!(sents("Het kost 2.5 mln. euro, zegt hij."), ["Het kost 2.5 mln. euro, zegt hij."]);
    }
}
