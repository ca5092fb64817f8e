//! Segmentation: tokens and sentences on character boundaries, in order, within the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_fuzz::Input;

fuzz_target!(|data: &[u8]| {
    // No annotator: the segmentation and the sentences' character offsets are checked.
    Input::new(data).annotate(&[]);
});
