//! Dates as every reader and the API take them: `Published::parse` never panics, and a date it
//! accepts lies within the years 1 to 9999 and reads back from its own text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::Published;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(p) = Published::parse(&text) {
        assert!(p.in_range(), "{text:?} gave {} outside the years 1 to 9999", p.unix);
        let again =
            Published::parse(&p.to_string()).unwrap_or_else(|e| panic!("{p} does not read back: {e}"));
        assert_eq!(again, p, "{text:?}");
        let _ = p.end_unix();
        let _ = p.ymd();
    }
});
