//! Watch lists as a user writes them: `watchlist::parse` never panics, every source it accepts
//! names a line of the text and a kind that fits its target, and every duration it accepts is
//! at most a year and is printed as a text that reads back to within the second it shows.
#![no_main]

use std::path::Path;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use storyline_core::watchlist::{self, SourceKind, Target};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.lines().count();
    if let Ok(sources) = watchlist::parse("list.txt", &text, Path::new("/lists")) {
        for s in &sources {
            assert!((1..=lines).contains(&s.line), "line {} of {lines}", s.line);
            assert!(!s.name.is_empty());
            match (&s.target, s.kind) {
                (Target::Url(url), kind) => {
                    let lower = url.to_ascii_lowercase();
                    assert!(lower.starts_with("http://") || lower.starts_with("https://"), "{url}");
                    assert_ne!(kind, SourceKind::Folder, "{url}");
                }
                (Target::Path(path), kind) => {
                    assert!(path.starts_with("/lists") || path.is_absolute(), "{}", path.display());
                    assert_eq!(kind, SourceKind::Folder, "{}", path.display());
                }
            }
            if let Some(every) = s.every {
                printed_back(every);
            }
        }
    }
    if let Ok(d) = watchlist::parse_duration(&text) {
        printed_back(d);
    }
});

/// A duration is at most a year, and its printed text reads back to it within the second
/// (milliseconds below one) and prints the same.
fn printed_back(d: Duration) {
    assert!(d <= Duration::from_secs(365 * 86_400), "{d:?} is over a year");
    let written = watchlist::format_duration(d);
    let again =
        watchlist::parse_duration(&written).unwrap_or_else(|e| panic!("{written} does not read: {e}"));
    let off = if again > d { again - d } else { d - again };
    let within = if d < Duration::from_secs(1) { Duration::from_millis(1) } else { Duration::from_secs(1) };
    assert!(off < within, "{d:?} printed as {written}, read back as {again:?}");
    assert_eq!(watchlist::format_duration(again), written);
}
