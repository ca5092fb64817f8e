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

/// Every record of the demo corpus in file order, with the gold story label of
/// `demo/gold-{a,b}.tsv` kept apart from it: (label, raw record). The label is for scoring
/// and grouping only; nothing under test reads it.
pub fn demo_labelled() -> Vec<(String, storyline_core::RawArticle)> {
    use std::collections::HashMap;

    use storyline_core::ingest::{read_stream, DEFAULT_MAX_RECORD_BYTES};
    use storyline_core::Locator;

    let root = demo_root();
    let mut gold: HashMap<(String, String), String> = HashMap::new();
    for name in ["gold-a.tsv", "gold-b.tsv"] {
        let text = std::fs::read_to_string(root.join(name)).expect("demo gold labels");
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            gold.insert((cols[0].to_string(), cols[1].to_string()), cols[2].to_string());
        }
    }
    let mut out = Vec::new();
    for (rel, path) in demo_files() {
        let bytes = std::fs::read(&path).expect("demo file");
        let mut raws = Vec::new();
        read_stream(&rel, bytes.as_slice(), None, DEFAULT_MAX_RECORD_BYTES, &mut |r| {
            raws.push(r.expect("demo record parses"))
        })
        .expect("demo file reads");
        for raw in raws {
            // WARC records are named by their address, the others by line or item number.
            let record = match raw.locator {
                _ if rel.contains(".warc") => {
                    raw.metadata.get("warc_target_uri").cloned().unwrap_or_default()
                }
                Some(Locator::Line(n)) | Some(Locator::Item(n)) => n.to_string(),
                _ => "-".to_string(),
            };
            let label = gold
                .get(&(rel.clone(), record.clone()))
                .unwrap_or_else(|| panic!("no gold row for {rel} {record}"))
                .clone();
            out.push((label, raw));
        }
    }
    out
}
