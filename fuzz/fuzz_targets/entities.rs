//! The entity annotator (names, their kinds, keys and roles) on its own.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::analyze::entities::EntityAnnotator;
use storyline_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    input.names = false; // it finds its own
    input.annotate(&[&EntityAnnotator]);
});
