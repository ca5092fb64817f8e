//! Every separator Unicode offers, inside and around names, numbers and quotes: the whole
//! analysis and each annotator must keep to character boundaries and never panic.

use super::*;

/// Separators and other characters that sit inside or between words, with their names.
const SEPARATORS: &[(&str, &str)] = &[
    ("U+2019 right single quotation mark", "\u{2019}"),
    ("U+2018 left single quotation mark", "\u{2018}"),
    ("U+02BC modifier letter apostrophe", "\u{02BC}"),
    ("U+0027 apostrophe", "'"),
    ("U+00AD soft hyphen", "\u{00AD}"),
    ("U+2010 hyphen", "\u{2010}"),
    ("U+2011 non-breaking hyphen", "\u{2011}"),
    ("U+2012 figure dash", "\u{2012}"),
    ("U+2013 en dash", "\u{2013}"),
    ("U+2014 em dash", "\u{2014}"),
    ("U+2212 minus sign", "\u{2212}"),
    ("U+200B zero width space", "\u{200B}"),
    ("U+200C zero width non-joiner", "\u{200C}"),
    ("U+200D zero width joiner", "\u{200D}"),
    ("U+2060 word joiner", "\u{2060}"),
    ("U+FEFF zero width no-break space", "\u{FEFF}"),
    ("U+0301 combining acute accent", "\u{0301}"),
    ("U+0308 combining diaeresis", "\u{0308}"),
    ("U+00A0 no-break space", "\u{00A0}"),
    ("U+202F narrow no-break space", "\u{202F}"),
    ("U+200F right-to-left mark", "\u{200F}"),
    ("emoji with skin tone", "\u{1F44D}\u{1F3FD}"),
    ("emoji family joined by ZWJ", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"),
    ("flag", "\u{1F1F3}\u{1F1F1}"),
    (
        "Arabic words",
        "\u{0648}\u{0632}\u{064A}\u{0631} \u{0627}\u{0644}\u{062E}\u{0627}\u{0631}\u{062C}\u{064A}\u{0629}",
    ),
    ("Hebrew word", "\u{05E9}\u{05E8}"),
    ("two curly apostrophes", "\u{2019}\u{2019}"),
];

/// News-style sentences of the project's own writing, with names joined by `’` and `‑`
/// (U+2011), numbers with `.`, `,` and a narrow no-break space, and quotes.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "nl",
        "Oud-minister Hedy d\u{2019}Ancona zei dinsdag in Den Haag: \u{201E}De methode-d\u{2019}Hondt \
         bevoordeelt de grote partijen.\u{201D} Volgens de anti\u{2011}IS\u{2011}coalitie vertrokken \
         3.500 burgers uit de stad; de prijzen stegen met 2,5 % en een gezin betaalt nu 1\u{202F}000 euro \
         per jaar meer, meldt het ministero dell\u{2019}Italia.",
    ),
    (
        "en",
        "Jean\u{2011}Claude Juncker met Sean O\u{2019}Brien in Brussels on Monday. \u{201C}We will not \
         give in,\u{201D} O\u{2019}Brien said, adding that 3.500 troops and 1\u{202F}000 vehicles had left \
         since 12 March, a rise of 2,5 %.",
    ),
    (
        "nl",
        "\u{2018}Dit is geen oplossing\u{2019}, zegt Hedy d\u{2019}Ancona. Jean\u{2011}Claude Juncker \
         reageerde zondag niet. Zo\u{2019}n 250 strijders en hun familie\u{2019}s vertrokken op 15 oktober.",
    ),
];

/// Where a separator goes into a template.
fn variants(template: &str, sep: &str) -> Vec<String> {
    let mut out = vec![
        // In place of the apostrophes and the non-breaking hyphens inside names.
        template.replace('\u{2019}', sep),
        template.replace('\u{2011}', sep),
        // In place of the narrow no-break space inside a number, and inside the other numbers.
        template
            .replace('\u{202F}', sep)
            .replace("3.500", &format!("3{sep}.500"))
            .replace("2,5", &format!("2,{sep}5")),
        // Before and after every word; doubled between words.
        template.replace(' ', &format!("{sep} ")),
        template.replace(' ', &format!(" {sep}")),
        template.replace(' ', &format!(" {sep}{sep} ")),
        // Alone between words, in place of the spaces.
        template.replace(' ', sep),
        // Around the quotation marks.
        template.replace(['\u{201E}', '\u{201C}', '\u{201D}', '\u{2018}'], &format!("{sep}\"{sep}")),
        // At either end of the text and of a paragraph.
        format!("{sep}{template}{sep}"),
        format!("{sep}\n\n{template}\n\n{sep}"),
    ];
    // Inside every capitalised word, after its first letter.
    let mut inside = String::new();
    let mut prev_space = true;
    for c in template.chars() {
        inside.push(c);
        if prev_space && c.is_uppercase() {
            inside.push_str(sep);
        }
        prev_space = !c.is_alphanumeric();
    }
    out.push(inside);
    out
}

/// Runs the whole analysis and each annotator on `text`; returns what went wrong, if anything.
fn problems(text: &str, language: &str, published: Option<Published>) -> Option<String> {
    let checked = guarded(|| {
        let doc = Document::new(text, language, published);
        doc.check_spans().map_err(|e| format!("segmentation: {e}"))?;
        // Each annotator after the ones before it, in byte offsets.
        let mut out = Analysis::default();
        for a in default_annotators() {
            a.annotate(&doc, &mut out);
            out.check_byte_spans(text).map_err(|e| format!("{} (bytes): {e}", a.name()))?;
        }
        let full = analyze(text, language, published);
        full.check_spans(text).map_err(|e| format!("analyze (characters): {e}"))?;
        let _ = lang::detect(text);
        Ok::<(), String>(())
    });
    match checked {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e),
        Err(panic) => Some(format!("panic: {}", panic.message)),
    }
}

#[test]
fn every_separator_inside_and_around_words_keeps_spans_on_character_boundaries() {
    let published = Published::parse("2025-10-14").ok();
    let mut failures = Vec::new();
    let mut texts = 0;
    for (name, sep) in SEPARATORS {
        for (template_language, template) in TEMPLATES {
            for text in variants(template, sep) {
                for language in [*template_language, "nl", "en", "de", "fr"] {
                    texts += 1;
                    if let Some(p) = problems(&text, language, published) {
                        failures.push(format!("{name} ({language}): {p}\n    in {text:?}"));
                    }
                }
            }
        }
    }
    assert!(texts > 1000);
    assert!(failures.is_empty(), "{} of {texts} analyses failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn a_separator_at_every_place_of_a_sentence_keeps_spans_on_character_boundaries() {
    let sentence =
        "Hedy d\u{2019}Ancona (78) zei: \u{201E}3.500 euro is te veel.\u{201D} O\u{2019}Brien zweeg.";
    let mut failures = Vec::new();
    for (name, sep) in SEPARATORS {
        for (at, _) in sentence.char_indices().skip(1) {
            let text = format!("{}{sep}{}", &sentence[..at], &sentence[at..]);
            if let Some(p) = problems(&text, "nl", None) {
                failures.push(format!("{name}: {p}\n    in {text:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn names_with_apostrophes_and_hyphens_are_found_at_their_own_characters() {
    let text = TEMPLATES[0].1;
    let analysis = analyze(text, "nl", None);
    analysis.check_spans(text).unwrap();
    let chars: Vec<char> = text.chars().collect();
    for e in &analysis.entities {
        assert_eq!(chars[e.start..e.end].iter().collect::<String>(), e.text);
    }
    assert!(!analysis.entities.is_empty());
}
