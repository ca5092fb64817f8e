//! Ingest against the demo corpus and against damaged input: every parser must turn any bytes
//! into articles or clear errors, never a panic or a hang.

use std::path::PathBuf;

use storyline_core::hash::mix64;
use storyline_core::ingest::{read_stream, Format, DEFAULT_MAX_RECORD_BYTES};

fn demo_files() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo"));
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if Format::from_path(&p.to_string_lossy()).is_some() {
                let name = p.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
                out.push((name, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn decompress(bytes: &[u8]) -> Vec<u8> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return bytes.to_vec();
    }
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(bytes), &mut out).unwrap();
    out
}

#[test]
fn every_demo_file_reads_without_errors() {
    let files = demo_files();
    assert!(files.len() >= 10);
    for (name, bytes) in &files {
        let mut ok = 0;
        let mut errors = Vec::new();
        read_stream(name, bytes.as_slice(), None, DEFAULT_MAX_RECORD_BYTES, &mut |r| match r {
            Ok(a) => {
                assert!(!a.text.trim().is_empty(), "{name}: an article without text");
                ok += 1;
            }
            Err(e) => errors.push(e.to_string()),
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert!(ok >= 1, "{name}: no articles");
    }
}

/// A damaged copy of `bytes`: cut, bytes flipped, junk inserted, or a stretch repeated.
fn mutate(bytes: &[u8], seed: u64) -> Vec<u8> {
    let mut r = seed;
    let mut next = || {
        r = mix64(r.wrapping_add(0x9e37_79b9_7f4a_7c15));
        r
    };
    let mut out = bytes.to_vec();
    for _ in 0..1 + next() % 4 {
        if out.is_empty() {
            break;
        }
        let at = (next() % out.len() as u64) as usize;
        match next() % 5 {
            0 => out.truncate(at),
            1 => {
                for i in at..(at + 1 + (next() % 8) as usize).min(out.len()) {
                    out[i] = next() as u8;
                }
            }
            2 => {
                let junk: Vec<u8> = (0..1 + next() % 32).map(|_| next() as u8).collect();
                out.splice(at..at, junk);
            }
            3 => {
                let end = (at + (next() % 200) as usize).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            _ => {
                for b in out[at..].iter_mut().take(64) {
                    if b.is_ascii_digit() {
                        *b = b'9';
                    }
                }
            }
        }
    }
    out
}

#[test]
fn damaged_input_never_panics() {
    for (name, bytes) in demo_files() {
        // Damage the decompressed content too, so the parsers (not only gzip) see it.
        let plain = decompress(&bytes);
        for seed in 0..40u64 {
            for (label, source) in [("raw", &bytes), ("plain", &plain)] {
                let damaged = mutate(source, seed * 7919 + name.len() as u64);
                let mut count = 0usize;
                let result = read_stream(&name, damaged.as_slice(), None, 1 << 20, &mut |r| {
                    if let Err(e) = r {
                        assert!(
                            !e.reason.is_empty(),
                            "{name} ({label}, seed {seed}): an error without a reason"
                        );
                    }
                    count += 1;
                });
                if let Err(e) = result {
                    assert!(!e.to_string().is_empty(), "{name} ({label}, seed {seed})");
                }
                assert!(count < 100_000);
            }
        }
    }
}

#[test]
fn random_bytes_in_every_format_are_errors_not_panics() {
    for format in Format::ALL {
        for seed in 0..50u64 {
            let len = (mix64(seed) % 4096) as usize;
            let bytes: Vec<u8> = (0..len as u64).map(|i| mix64(seed ^ i.wrapping_mul(31)) as u8).collect();
            let _ = read_stream("random", bytes.as_slice(), Some(format), 1 << 20, &mut |_| {});
        }
    }
}
