#!/usr/bin/env bash
# Wall time of a 40-task exact ladder grid (Benchmarks/grid-ladder.json: 5 ladder rungs × 8 ridges, exact,
# 30 s per solve) on 1 shard, then on 2 shards run side by side on this machine, in the same run.
#   bash Benchmarks/grid.sh [BIN]        (default .build/release/sparsemtl)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/sparsemtl}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
grid=Benchmarks/grid-ladder.json
echo "grid: $("$bin" grid $grid --output-dir "$out/one" --list | wc -l) tasks, $(nproc) cores, build $(git rev-parse --short HEAD)"

start=$(date +%s.%N)
"$bin" grid $grid --output-dir "$out/one" --quiet
one=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
"$bin" grid $grid --output-dir "$out/two" --shard-index 0 --shard-count 2 --quiet &
"$bin" grid $grid --output-dir "$out/two" --shard-index 1 --shard-count 2 --quiet &
wait
two=$(echo "$(date +%s.%N) - $start" | bc)

"$bin" merge "$out/one" --output "$out/one.csv" --quiet
"$bin" merge "$out/two" --output "$out/two.csv" --quiet
python3 - "$out/one.csv" "$out/two.csv" "$one" "$two" <<'PY'
import csv, sys
one, two = (list(csv.DictReader(open(p))) for p in sys.argv[1:3])
t1, t2 = float(sys.argv[3]), float(sys.argv[4])
def tally(rows):
    return {o: sum(r["outcome"] == o for r in rows) for o in ("finished", "limit", "failed")}
print(f"1 shard : {t1:7.1f} s wall, {sum(float(r['seconds']) for r in one):7.1f} s of task time, outcomes {tally(one)}")
print(f"2 shards: {t2:7.1f} s wall, {sum(float(r['seconds']) for r in two):7.1f} s of task time, outcomes {tally(two)}")
print(f"speed-up: {t1 / t2:.2f}x")
same = sum(a["status"] == b["status"] for a, b in zip(one, two))
print(f"same status in both runs: {same} of {len(one)}")
PY
