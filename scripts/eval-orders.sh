#!/usr/bin/env bash
# Clusters a labelled JSON Lines file in its own order and in N shuffled orders (seeds 1..N)
# and prints the B-cubed F1 of the file order with the mean and the worst of the shuffled ones:
# how much arrival order matters, and a figure that does not lean on one lucky order.
#
#   scripts/eval-orders.sh FILE [N]     # N defaults to 10; uses target/release/storyline
set -euo pipefail
cd "$(dirname "$0")/.."
file="${1:?usage: scripts/eval-orders.sh FILE [N]}"
n="${2:-10}"
bin="${STORYLINE_BIN:-target/release/storyline}"
if [[ ! -x "$bin" ]]; then
  cargo build --release -p storyline --quiet
fi
f1() { "$bin" eval "$file" --gold story --json "$@" | sed -n 's/^ *"bcubed_f1": *\([0-9.]*\).*/\1/p'; }
file_order=$(f1)
scores=()
for seed in $(seq 1 "$n"); do
  scores+=("$(f1 --shuffle "$seed")")
done
printf '%s\n' "${scores[@]}" | awk -v f="$file_order" -v n="$n" '
  { s += $1; if (NR == 1 || $1 < w) w = $1 }
  END { printf "B-cubed F1: file order %.3f · mean of %d shuffled orders %.3f · worst %.3f\n", f, n, s / NR, w }'
