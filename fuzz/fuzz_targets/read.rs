//! Every reader as ingest runs it: `read_stream` (gzip undone by its magic bytes, the format
//! forced or sniffed, then text, JSON Lines, feeds, HTML or WARC), and each record it yields
//! turned into an article. The input's first byte picks the format: sniffed from the content,
//! or one forced; the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::ingest::{prepare, read_stream, Format, PrepareOptions};

const FORCED: [Option<Format>; 6] = [
    None,
    Some(Format::Text),
    Some(Format::JsonLines),
    Some(Format::Feed),
    Some(Format::Html),
    Some(Format::Warc),
];

fuzz_target!(|data: &[u8]| {
    let Some((head, file)) = data.split_first() else { return };
    let forced = FORCED[usize::from(*head) % FORCED.len()];
    let opts = PrepareOptions::default();
    let _ = read_stream("fuzz-input", file, forced, 1 << 20, &mut |record| match record {
        Ok(raw) => {
            let article = prepare(raw, &opts);
            assert!(!article.id.is_empty(), "every article has an id");
            assert_eq!(article.content_hash.len(), 16, "a 64-bit digest in hex");
        }
        // A record that cannot be read says why.
        Err(e) => assert!(!e.reason.trim().is_empty(), "a record error without a reason at {}", e.locator),
    });
});
