//! HTML extraction on the real pages of `../shared/data/extraction-dev` (read in place, skipped
//! when absent): every page that has an article gives text, none panics, and the words-run F1
//! over the pages stays at the level measured when the extractor was chosen (0.959; the floor
//! leaves room for the bootstrap error of ±0.007, not for a regression).

use std::io::Read;

use storyline_core::eval::{extraction_scores, text_overlap};
use storyline_core::ingest::html::parse_html;

#[test]
fn dev_pages_give_their_article_text() {
    let dir = format!("{}/../../../shared/data/extraction-dev", env!("CARGO_MANIFEST_DIR"));
    let Ok(truth) = std::fs::read(format!("{dir}/ground-truth.json")) else {
        eprintln!("{dir} not present; skipped");
        return;
    };
    let truth: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&truth).unwrap();
    let mut overlaps = Vec::new();
    let mut without_text = Vec::new();
    for (id, page) in &truth {
        let mut bytes = Vec::new();
        let file = std::fs::File::open(format!("{dir}/html/{id}.html.gz")).unwrap();
        flate2::read::GzDecoder::new(file).read_to_end(&mut bytes).unwrap();
        let gold = page["articleBody"].as_str().unwrap_or("");
        let extracted = std::panic::catch_unwind(|| parse_html(&bytes))
            .unwrap_or_else(|_| panic!("page {id} panicked"))
            .map(|a| a.text)
            .unwrap_or_default();
        if extracted.trim().is_empty() && !gold.trim().is_empty() {
            without_text.push(id.clone());
        }
        overlaps.push(text_overlap(gold, &extracted));
    }
    let (p, r, f1) = extraction_scores(&overlaps);
    eprintln!("extraction-dev: {} pages, P {p:.3} R {r:.3} F1 {f1:.3}", overlaps.len());
    assert!(without_text.is_empty(), "pages without text: {without_text:?}");
    assert!(f1 >= 0.94, "F1 {f1:.3} fell below 0.94");
}
