#!/usr/bin/env bash
# Parse throughput of the long-CSV reader on a generated file of 10^7 numbers
# (K = 10 tasks × 1000 rows × (y + 999 features)), best of 3 runs, beside numpy.loadtxt
# reading the same numbers in the same run.
# Usage: bash Benchmarks/parse-throughput.sh [PATH/TO/sparsemtl] [PYTHON]   (or: make bench-parse)
set -euo pipefail
bin=$(realpath "${1:-.build/release/sparsemtl}")
python=${2:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" generate --output-directory "$work" --name big --tasks 10 --samples 1000 --features 999 \
  --true-sparsity 10 --seed 3 2>/dev/null
file="$work/big.csv"
size=$(stat -c %s "$file")
echo "file: 10 tasks × 1000 rows × 1000 numbers = 10,000,000 numbers, $((size / 1000000)) MB"

best=""
for run in 1 2 3; do
  line=$("$bin" describe --data "$file" --sparsity 1 | grep '^read ')
  seconds=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s.*/\1/')
  echo "  sparsemtl run $run: $line"
  if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then best=$seconds; fi
done

reference=$("$python" - "$file" <<'PY'
import sys, time
import numpy as np
start = time.perf_counter()
a = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, usecols=range(1, 1001))
elapsed = time.perf_counter() - start
assert a.size == 10_000_000
print(f"{elapsed:.3f}")
PY
)
echo
printf '%-28s %10s %16s\n' "reader" "seconds" "M numbers/s"
printf '%-28s %10.3f %16.1f\n' "sparsemtl (best of 3)" "$best" "$(awk "BEGIN{print 10/$best}")"
printf '%-28s %10.3f %16.1f\n' "numpy.loadtxt (1 run)" "$reference" "$(awk "BEGIN{print 10/$reference}")"
printf 'ratio numpy / sparsemtl: %.1f×\n' "$(awk "BEGIN{print $reference/$best}")"
