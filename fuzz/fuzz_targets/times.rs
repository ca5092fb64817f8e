//! The time-expression annotator on its own, against each kind of publication date.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::analyze::times::TimeAnnotator;
use storyline_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    Input::new(data).annotate(&[&TimeAnnotator]);
});
