//! Embeds the demo corpus (`demo/` at the workspace root) in the binary, so `storyline demo`
//! works from anywhere without the source tree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const KNOWN: &[&str] = &["txt", "jsonl", "ndjson", "rss", "atom", "xml", "html", "htm", "warc", "gz"];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| KNOWN.contains(&e)) {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let demo = manifest.join("../../demo");
    println!("cargo:rerun-if-changed={}", demo.display());
    let mut files = Vec::new();
    walk(&demo, &mut files);
    files.sort();
    let mut code = String::from("/// The demo corpus: (path under `demo/`, contents).\npub static DEMO_FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let rel = f.strip_prefix(&demo).expect("walked under demo").to_string_lossy().replace('\\', "/");
        let abs = f.canonicalize().expect("file exists");
        writeln!(code, "    ({rel:?}, include_bytes!({:?})),", abs.display().to_string())
            .expect("string write");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("demo_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
