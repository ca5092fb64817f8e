#!/usr/bin/env bash
# Times ingest on real Dutch text, side by side with the peer's vectorising of the same file,
# in one run: builds the corpus (scripts/dutch-corpus.py, from ../shared's CoNLL-2002 Dutch
# sentences), runs `storyline bench --corpus` on it (release build), then times scikit-learn's
# TfidfVectorizer (fit and transform, as ../shared/tools/peer_baseline.py vectorises) on the
# same texts, and prints storyline's articles per second against the peer's.
#
#   scripts/bench-real.sh [ARTICLES] [BYTES]     # default 5000 articles of ~3,300 bytes
#
# Needs python3 with scikit-learn for the peer (`pip install scikit-learn`); without it the
# peer's line says so and storyline's figures still print. The corpus is written to $TMPDIR (outside the repository: its text is third-party).
set -euo pipefail
cd "$(dirname "$0")/.."
articles="${1:-5000}"
bytes="${2:-3300}"
work="${CARGO_TARGET_DIR:-$PWD/target}/bench-real"
mkdir -p "$work"
corpus="${TMPDIR:-/tmp}/storyline-dutch-flow-$articles-$bytes.jsonl"
[[ -f "$corpus" ]] || python3 scripts/dutch-corpus.py "$corpus" --articles "$articles" --bytes "$bytes"
cargo build --release --quiet -p storyline
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/storyline"
"$bin" bench --corpus "$corpus" --json >"$work/bench.json"
python3 - "$corpus" "$work/bench.json" <<'PY'
import json, sys, time
corpus, report = sys.argv[1], json.load(open(sys.argv[2]))
ours = report["articles_per_s"]
print(f"storyline   {ours:8.0f} articles/s end to end ({report['corpus']}; "
      f"{report['cpu_utilisation'] or 0:.2f} cores busy; {report['store_bytes_per_article']/1e3:.1f} KB stored per article)")
st = report["stages"]
fmt = lambda m: ", ".join(f"{k} {v:.2f}s" for k, v in m.items())
print(f"  cpu: reading {st['read_cpu_s'] or 0:.2f}s, preparing {st['prepare_cpu_s'] or 0:.2f}s, writing {st['store_cpu_s'] or 0:.2f}s")
print(f"  preparing: {fmt(st['prepare'])}")
print(f"  writing:   {fmt(st['store'])}")
try:
    from sklearn.feature_extraction.text import TfidfVectorizer
except ImportError:
    print("peer        not measured: python3 has no scikit-learn (pip install scikit-learn)")
    sys.exit(0)
rows = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]
texts = [(r.get("title") or "") + "\n" + r["text"] for r in rows]
best = None
for _ in range(3):
    t0 = time.perf_counter()
    TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    dt = time.perf_counter() - t0
    best = dt if best is None else min(best, dt)
peer = len(texts) / best
print(f"peer        {peer:8.0f} articles/s vectorising only (TfidfVectorizer, best of 3)")
print(f"ratio       {ours / peer:8.2f} (storyline end to end / peer vectorising)")
PY
