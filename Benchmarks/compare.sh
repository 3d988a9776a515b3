#!/usr/bin/env bash
# Heuristic, exact (time-limited) and GenGL side by side (issue 6): `sparsemtl compare` on the three
# GenGL scenarios of the instance library (group-lasso, metag, rmtfl: K = 8, p = 100, n = 50, s = 10)
# with their matching GenGL preset, and on the Zbar instance demo (K = 3, p = 30, n = 100, δ = 0.1).
# Each is regenerated with the library's flags plus 500 held-out rows per task from the same truth
# (the training rows are byte for byte the library's). Tables to standard output; the coefficient
# pictures to Benchmarks/results/compare-*.svg.
# Usage: bash Benchmarks/compare.sh [PATH/TO/sparsemtl] [EXACT_TIME_LIMIT_SECONDS]   (or: make bench-compare)
set -euo pipefail
bin=$(realpath "${1:-.build/release/sparsemtl}")
limit=${2:-60}
results=$(cd "$(dirname "$0")" && pwd)/results
mkdir -p "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() {  # name preset generate-flags...
  local name=$1 preset=$2
  shift 2
  "$bin" generate --output-directory "$work" --name "$name" --test-samples 500 "$@" 2>/dev/null
  echo "== $name (GenGL preset $preset, exact solver limited to $limit s) =="
  "$bin" compare "$work/$name.json" --preset "$preset" --time-limit "$limit" --test "$work/${name}_test.csv" \
    --plot "$results/compare-$name.svg" --output "$work/$name-compare.json" 2>&1 | grep -v '^wrote' | sed 's/^/  /'
}

for pattern in group-lasso metag rmtfl; do
  run "gengl-$pattern" "$pattern" --pattern "$pattern" --tasks 8 --features 100 --samples 50 --true-sparsity 10 --seed 21 \
    --groups 2 --outlier-tasks 2 --sparsity 10 --ridge 0.1 --zbar 0.1
done
run demo group-lasso --tasks 3 --samples 100 --features 30 --true-sparsity 5 --seed 1 --sparsity 5 --ridge 0.1 --zbar 0.1
echo "pictures: $results/compare-*.svg"
