//! Search queries as typed: `Query::parse` in the languages a store holds, then its matcher
//! over a text: found words are byte ranges on character boundaries, highlights and snippet
//! marks character ranges within their text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::search::Query;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    // The query and the text it is matched against: split at the first newline.
    let (query, body) = text.split_once('\n').unwrap_or((&text, &text));
    let languages: &[&str] = match head % 3 {
        0 => &["nl"],
        1 => &["nl", "en"],
        _ => &[],
    };
    let q = Query::parse(query, languages);
    let m = q.matcher();
    let body_chars = body.chars().count();
    for language in ["nl", "en"] {
        for (start, end) in m.find(body, language, body.len()) {
            assert!(start <= end && end <= body.len(), "word {start}..{end} outside {}", body.len());
            assert!(body.is_char_boundary(start) && body.is_char_boundary(end));
        }
        for (start, end) in m.highlight(body, language) {
            assert!(start <= end && end <= body_chars, "highlight {start}..{end} outside {body_chars}");
        }
        let (snippet, marks) = m.snippet(body, language, 160);
        let chars = snippet.chars().count();
        for (start, end) in marks {
            assert!(start <= end && end <= chars, "snippet mark {start}..{end} outside {chars} characters");
        }
    }
});
