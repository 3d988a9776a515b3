#!/usr/bin/env bash
# Parse throughput of the long-CSV reader on a generated file of 10^7 numbers
# (K = 10 tasks × 1000 rows × (y + 999 features)), best of 3 runs, beside numpy.loadtxt
# reading the same numbers in the same run; then the same data as a NumPy .npz archive (the
# binary exchange format: X, y, task), checked to give the same problem digit for digit; then
# 10^7 full-precision doubles (standard normal, as programs hold them: 17 significant digits in
# CSV) as CSV and as .npz. sparsemtl times are its reader alone (file to data, SHA-256 included),
# best of 3.
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

# Best of 3 reads of a file by sparsemtl (its reader alone), in seconds.
best_of_3() {
  local best=""
  for run in 1 2 3; do
    local line seconds
    line=$("$bin" describe --data "$1" --sparsity 1 | grep '^read ')
    seconds=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s:.*/\1/')
    echo "  $(basename "$1") run $run: $line" >&2
    if [ -z "$best" ] || awk "BEGIN{exit !($seconds < $best)}"; then best=$seconds; fi
  done
  echo "$best"
}
best=$(best_of_3 "$file")

reference=$("$python" - "$file" <<'PY'
import sys, time
import numpy as np
start = time.perf_counter()
a = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, usecols=range(1, 1001))
elapsed = time.perf_counter() - start
assert a.size == 10_000_000
tasks = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, usecols=[0], dtype=str)
np.savez(sys.argv[1].replace(".csv", ".npz"), X=a[:, 1:], y=a[:, 0], task=tasks)
# Full-precision doubles, the same shape, as CSV (shortest round-trip repr) and .npz.
rng = np.random.default_rng(1)
full = rng.standard_normal((10_000, 1000))
with open(sys.argv[1].replace("big.csv", "full.csv"), "w") as f:
    f.write("task,y," + ",".join(f"x{j + 1}" for j in range(999)) + "\n")
    for i, row in enumerate(full):
        f.write(tasks[i] + "," + ",".join(repr(float(v)) for v in row) + "\n")
np.savez(sys.argv[1].replace("big.csv", "full.npz"), X=full[:, 1:], y=full[:, 0], task=tasks)
print(f"{elapsed:.3f}")
PY
)
npz="$work/big.npz"
best_npz=$(best_of_3 "$npz")
best_full_csv=$(best_of_3 "$work/full.csv")
best_full_npz=$(best_of_3 "$work/full.npz")
# The same problem from both files: identical objective and coefficients of one solve.
"$bin" solve --data "$file" --sparsity 3 --output "$work/csv.json" 2>/dev/null
"$bin" solve --data "$npz" --sparsity 3 --output "$work/npz.json" 2>/dev/null
"$python" - "$work/csv.json" "$work/npz.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
same = a["objective"] == b["objective"] and a["coefficients"] == b["coefficients"] and a["intercepts"] == b["intercepts"]
print("same solve from CSV and .npz:", "yes" if same else "NO")
sys.exit(0 if same else 1)
PY
echo
printf '%-28s %10s %16s\n' "reader" "seconds" "M numbers/s"
printf '%-28s %10.3f %16.1f\n' "sparsemtl (best of 3)" "$best" "$(awk "BEGIN{print 10/$best}")"
printf '%-28s %10.3f %16.1f\n' "numpy.loadtxt (1 run)" "$reference" "$(awk "BEGIN{print 10/$reference}")"
printf '%-28s %10.3f %16.1f\n' "sparsemtl .npz (best of 3)" "$best_npz" "$(awk "BEGIN{print 10/$best_npz}")"
printf 'ratio numpy / sparsemtl: %.1f×; CSV / .npz: %.1f×\n' "$(awk "BEGIN{print $reference/$best}")" "$(awk "BEGIN{print $best/$best_npz}")"
echo
echo "full-precision doubles: CSV $(( $(stat -c %s "$work/full.csv") / 1000000 )) MB, .npz $(( $(stat -c %s "$work/full.npz") / 1000000 )) MB"
printf '%-28s %10.3f %16.1f\n' "sparsemtl CSV (best of 3)" "$best_full_csv" "$(awk "BEGIN{print 10/$best_full_csv}")"
printf '%-28s %10.3f %16.1f\n' "sparsemtl .npz (best of 3)" "$best_full_npz" "$(awk "BEGIN{print 10/$best_full_npz}")"
printf 'ratio CSV / .npz: %.1f×\n' "$(awk "BEGIN{print $best_full_csv/$best_full_npz}")"
