//! Language identification: a known code or `und`, a confidence in [0, 1], finite scores.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::analyze::lang;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let found = lang::detect(&text);
    assert!((0.0..=1.0).contains(&found.confidence), "confidence {} for {:?}", found.confidence, found.code);
    assert!(
        found.code == "und" || lang::normalize_code(&found.code).as_deref() == Some(found.code.as_str()),
        "unknown code {:?}",
        found.code
    );
    for (code, score) in lang::detect_scores(&text) {
        assert!(score.is_finite(), "score {score} for {code}");
    }
    let _ = lang::normalize_code(&text);
});
