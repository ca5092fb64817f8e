//! What the tests and benches that read the bundled demo corpus share: its files.

#![allow(dead_code)]

use std::path::PathBuf;

use storyline_core::ingest::Format;

/// The demo corpus folder (`demo/` at the repository root).
pub fn demo_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo"))
}

/// Every file of the demo corpus in a format storyline reads, sorted, as (path relative to the
/// corpus with `/` separators, full path).
pub fn demo_files() -> Vec<(String, PathBuf)> {
    let root = demo_root();
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("demo corpus").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel =
                path.strip_prefix(&root).expect("under the corpus").to_string_lossy().replace('\\', "/");
            if Format::from_path(&rel).is_some() {
                files.push((rel, path));
            }
        }
    }
    files.sort();
    files
}
