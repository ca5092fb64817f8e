#!/usr/bin/env bash
# Profiles an ingest of real Dutch text with perf: where the CPU goes, as a table of the
# hottest functions and as a flame graph (SVG). The steps, to repeat them by hand:
#
#   1. build the corpus (scripts/dutch-corpus.py, from ../shared's CoNLL-2002 Dutch sentences);
#   2. build storyline in release (line tables are on in the release profile);
#   3. `perf record -F 499 -g --call-graph dwarf` a `storyline ingest` of the corpus into a
#      fresh store;
#   4. `perf report` the top functions (self time), and fold the stacks into a flame graph with
#      inferno (`cargo install inferno --locked`, fetched from crates.io when missing).
#
#   scripts/profile-ingest.sh [ARTICLES]        # default 2000 articles of ~3,300 bytes
#
# Writes target/profile/{report.txt,flamegraph.svg}. Needs perf (`apt-get install linux-perf`)
# and a kernel that lets this user sample (kernel.perf_event_paranoid <= 1, or root).
set -euo pipefail
cd "$(dirname "$0")/.."
articles="${1:-2000}"
target="${CARGO_TARGET_DIR:-$PWD/target}"
out="$target/profile"
mkdir -p "$out"
corpus="${TMPDIR:-/tmp}/storyline-dutch-flow-$articles-3300.jsonl"
[[ -f "$corpus" ]] || python3 scripts/dutch-corpus.py "$corpus" --articles "$articles"
cargo build --release --quiet -p storyline
rm -f "$out"/store.db*
perf record -F 499 -g --call-graph dwarf,16384 -o "$out/perf.data" -- \
  "$target/release/storyline" --db "$out/store.db" ingest "$corpus" --quiet
perf report -i "$out/perf.data" --no-children --sort symbol -g none --stdio 2>/dev/null >"$out/report-full.txt"
grep -v '^#' "$out/report-full.txt" | grep -v '^$' | sed -n 1,60p >"$out/report.txt"
if ! command -v inferno-flamegraph >/dev/null 2>&1; then
  cargo install inferno --locked --quiet
fi
perf script -i "$out/perf.data" 2>/dev/null | inferno-collapse-perf | inferno-flamegraph >"$out/flamegraph.svg"
echo "wrote $out/report.txt and $out/flamegraph.svg"
sed -n 1,25p "$out/report.txt"
