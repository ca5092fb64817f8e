//! The quote annotator on its own, with or without stand-in names for its speakers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::analyze::quotes::QuoteAnnotator;
use storyline_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    Input::new(data).annotate(&[&QuoteAnnotator]);
});
