#!/usr/bin/env bash
# Clusters a labelled JSON Lines file in its own order and in N shuffled orders (seeds 1..N)
# and prints the B-cubed F1 of the file order with the mean and the worst of the shuffled ones:
# how much arrival order matters, and a figure that does not lean on one lucky order.
# (`storyline eval FILE --gold story --shuffles N` prints the same with the errors.)
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
"$bin" eval "$file" --gold story --json --shuffles "$n" | python3 -c '
import json, sys
v = json.load(sys.stdin)
o = v["orders"]
print("B-cubed F1: file order %.3f · mean of %d shuffled orders %.3f · worst %.3f"
      % (v["bcubed_f1"], o["shuffled"], o["mean_bcubed_f1"], o["worst_bcubed_f1"]))'
