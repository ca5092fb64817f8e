#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ (cargo-fuzz, libFuzzer) for SECONDS each, one after the
# other on one core, and prints a summary: executions, corpus size and the outcome per target.
# Exits 1 when any target crashed (a panic, a broken span invariant, a timeout or running out of
# memory); the input that did it is kept under the work folder, which the summary names.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   # default 1800 (half an hour a target), every target
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). Works on a stable toolchain: the
# targets are built without a sanitizer (the core has no unsafe code), with optimisations,
# debug assertions and overflow checks. The corpus each run grows is kept between runs in the
# work folder (target/fuzz/work, or STORYLINE_FUZZ_WORK) and starts from fuzz/seeds.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-1800}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [[ "$seconds" -lt 1 ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (seconds per target, default 1800)" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "error: cargo-fuzz is not installed; run: cargo install cargo-fuzz --locked" >&2
  exit 2
fi

root="$PWD"
target_dir="${CARGO_TARGET_DIR:-$root/target}/fuzz"
work="${STORYLINE_FUZZ_WORK:-$target_dir/work}"
flags=(--sanitizer none --release --debug-assertions --target-dir "$target_dir")
targets=(analyze segment entities quotes quantities times lang read dates search dossier watchlist)
if [[ $# -gt 1 ]]; then
  for t in "${@:2}"; do
    if [[ " ${targets[*]} " != *" $t "* ]]; then
      echo "error: no fuzz target \`$t\` (the targets: ${targets[*]})" >&2
      exit 2
    fi
  done
  targets=("${@:2}")
fi

echo "building the fuzz targets"
cargo fuzz build "${flags[@]}"

summary=()
failed=0
# The readers' target starts from the demo corpus's files, one of each format and a gzip, each
# behind the byte that lets the reader sniff the format (cut to the inputs' largest size).
seeds_read="$work/seeds-read"
mkdir -p "$seeds_read"
for f in demo/jsonl/* demo/feeds/* demo/html/* demo/html/*/* demo/warc/* demo/text/*; do
  [[ -f "$f" ]] || continue
  { printf '\0'; head -c 8000 "$f"; } >"$seeds_read/$(basename "$f")"
done
first_jsonl=$(ls demo/jsonl/* 2>/dev/null | head -1)
if [[ -n "$first_jsonl" ]]; then
  { printf '\0'; head -c 6000 "$first_jsonl" | gzip -c; } >"$seeds_read/jsonl.gz"
fi

for t in "${targets[@]}"; do
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  extra=()
  if [[ "$t" == read ]]; then
    extra=("$seeds_read")
  fi
  log="$work/$t.log"
  echo "fuzzing $t for ${seconds}s"
  started=$(date +%s)
  status=ok
  if ! cargo fuzz run "${flags[@]}" "$t" "$work/corpus/$t" fuzz/seeds "${extra[@]}" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=8192 \
      -dict=fuzz/news.dict -artifact_prefix="$work/artifacts/$t/" -print_final_stats=1 \
      >"$log" 2>&1; then
    status=CRASH
    failed=$((failed + 1))
  fi
  took=$(($(date +%s) - started))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$work/corpus/$t" -type f | wc -l)
  summary+=("$(printf '%-11s %6ss %12s execs %8s/s %7s inputs  %s' "$t" "$took" "${execs:-?}" "${rate:-?}" "$corpus" "$status")")
  if [[ "$status" != ok ]]; then
    echo "$t crashed; the end of its log ($log):"
    grep -E "panicked at|^thread|Test unit written|SUMMARY|ERROR" "$log" | head -20 || true
    tail -n 5 "$log"
  fi
done

echo
echo "fuzz summary (${seconds}s per target; work folder $work)"
printf '%s\n' "${summary[@]}"
echo "fuzz: $((${#targets[@]} - failed)) passed, $failed failed"
[[ "$failed" -eq 0 ]]
