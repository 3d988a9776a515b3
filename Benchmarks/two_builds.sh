#!/usr/bin/env bash
# Two builds of sparsemtl side by side on the α = 1 ladder (box M = 10, the instances' δ = 0.1):
# each instance solved exactly by the first build, then by the second, then again in that order,
# so that the machine's drift falls on both alike. Prints, per instance and build, the wall-clock
# seconds of every run, the status and the gap. "Nothing slower" checks read this table.
#
# Usage: bash Benchmarks/two_builds.sh OLD_BINARY NEW_BINARY [ROUNDS] [ALPHA]
set -euo pipefail
old=$1 new=$2 rounds=${3:-2} alpha=${4:-1}
cd "$(dirname "$0")/.."
instances="ladder-K1-p20-n50 ladder-K2-p20-n50 ladder-K2-p50-n50 ladder-K3-p100-n100 ladder-K2-p250-n50 ladder-K10-p100-n500 ladder-K5-p250-n100 ladder-K5-p1000-n200"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf "%-22s %-6s %-40s %s\n" instance build "seconds (wall, each run)" "status, gap"
for name in $instances; do
    limit=60
    [ "$name" = ladder-K5-p1000-n200 ] && limit=600
    declare -A times=() last=()
    for round in $(seq "$rounds"); do
        for build in old new; do
            binary=$old; [ $build = new ] && binary=$new
            start=$(date +%s.%N)
            "$binary" solve "Instances/$name.json" --method exact --ridge "$alpha" --big-m 10 --time-limit $limit \
                --quiet --output "$out/r.json" || true
            end=$(date +%s.%N)
            times[$build]+=$(printf "%.1f " "$(echo "$end - $start" | bc)")
            last[$build]=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['status'], '%.2g' % (r['gap'] or 0))" "$out/r.json")
        done
    done
    for build in old new; do
        printf "%-22s %-6s %-40s %s\n" "$name" $build "${times[$build]}" "${last[$build]}"
    done
done
