//! The quantity annotator on its own, with or without stand-in names for its modifiers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::analyze::quantities::QuantityAnnotator;
use storyline_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    Input::new(data).annotate(&[&QuantityAnnotator]);
});
