#!/usr/bin/env bash
# The sensor/spectra family of issue 21: many rows per task, strongly correlated features
# (K = 8 tasks, n = 4 000 rows each, p = 64, AR(1) correlation ρ = 0.9, 10 true features, SNR 3;
# s = 10, δ = 0.1, standardised). Generated here from a fixed seed (the CSV is 41 MB, so it is not
# kept in Instances/). The exact solver at α = 0.1, 0.01, 0.001, each with the perspective shift
# (the default) and without it in the same run, without a box (the statistician's problem) and
# with the box M = 10: status, seconds and the gap reached.
#
# Usage: bash Benchmarks/sensor.sh PATH/TO/sparsemtl [TIME_LIMIT]   (default 60 s)
set -euo pipefail
bin=$(realpath "$1") limit=${2:-60}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$bin" generate --name sensor --tasks 8 --samples 4000 --features 64 --true-sparsity 10 --rho 0.9 --snr 3 --seed 5 \
    --sparsity 10 --zbar 0.1 > /dev/null 2>&1
printf "%-7s %-8s %-24s %-12s %9s %10s\n" alpha box relaxation status seconds gap
for box in none 10; do
    for alpha in 0.1 0.01 0.001; do
        for shift in --perspective-shift --no-perspective-shift; do
            extra=()
            [ "$box" != none ] && extra=(--big-m "$box")
            "$bin" solve sensor.json --standardize --method exact --ridge "$alpha" "${extra[@]}" $shift \
                --time-limit "$limit" --quiet --output r.json || true
            python3 - "$alpha" "$box" "$shift" <<'EOF'
import json, sys
r = json.load(open("r.json"))
name = "shifted" if sys.argv[3] == "--perspective-shift" else "plain perspective"
print(f"{sys.argv[1]:<7} {sys.argv[2]:<8} {name:<24} {r['status']:<12} {r['seconds']:9.1f} {100 * (r['gap'] or 0):9.4f}%")
EOF
        done
    done
done
