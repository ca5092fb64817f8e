//! The whole analysis, as ingest runs it: `analyze(text, language, published)`, whose spans
//! must lie within the text (character offsets) and match the annotations' text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::analyze::analyze;
use storyline_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    let input = Input::new(data);
    let analysis = analyze(&input.text, input.language, input.published);
    if let Err(e) = analysis.check_spans(&input.text) {
        panic!("{e}");
    }
});
