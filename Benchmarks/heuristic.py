"""Heuristic benchmark: time, objective and moves on the Instances/ ladder and on the large case
K = 5, n = 500 per task, p = 5000, s = 10; then abess (best subset by splicing) beside our solver
on the same data at the same support size, in the same run:
  - K = 1: abess LinearRegression against `solve` with λ = δ = 0;
  - K = 5 sharing one design: abess MultiTaskRegression (common support) against `solve` with a
    large δ (Zbar forces a common support).
Both at α = 0 (abess scales its ridge term differently), so F is the mean squared residual
summed over tasks; F is computed for both solutions by `sparsemtl evaluate`. Times are the solvers'
own (data in memory); our total wall time including reading the CSV is shown too.

Usage: python Benchmarks/heuristic.py PATH/TO/sparsemtl      (or: make bench-heuristic)
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from usage import binary_argument

ROOT = Path(__file__).resolve().parent.parent


def run(args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def solve(binary, args, out):
    start = time.perf_counter()
    run([binary, "solve", *args, "--output", str(out), "--quiet"])
    wall = time.perf_counter() - start
    result = json.loads(Path(out).read_text())
    moves = sum(result.get(k, 0) for k in ("swaps", "double_swaps", "splices", "row_swaps"))
    return result, wall, moves


def evaluate(binary, instance_args, coefficients):
    return json.loads(run([binary, "evaluate", *instance_args, "--coefficients", str(coefficients), "--json"]))


def write_long_csv(path, designs, responses):
    p = designs[0].shape[1]
    with open(path, "w") as f:
        f.write("task,y," + ",".join(f"x{j + 1}" for j in range(p)) + "\n")
        for k, (x, y) in enumerate(zip(designs, responses)):
            for i in range(x.shape[0]):
                f.write(f"t{k + 1},{float(y[i])!r}," + ",".join(repr(float(v)) for v in x[i]) + "\n")


def write_coefficients(path, b):
    with open(path, "w") as f:
        f.write(",".join(f"t{k + 1}" for k in range(b.shape[1])) + "\n")
        for row in b:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def ladder(binary, tmp):
    print("## Ladder (instance penalties: α = 0.1, δ = 0.1, λ = 0)\n")
    print(f"| instance | K | p | n | s | seconds | F | moves (swaps+double+splices+row) | exact evaluations |")
    print("|---|---|---|---|---|---|---|---|---|")
    for inst in sorted((ROOT / "Instances").glob("ladder-*.json"), key=lambda p: (len(p.name), p.name)):
        spec = json.loads(inst.read_text())
        g = spec["generator"]
        result, _, moves = solve(binary, [str(inst)], tmp / "r.json")
        print(f"| {spec['name']} | {g['tasks']} | {g['features']} | {g['samples_per_task']} | {spec['penalty']['sparsity']} "
              f"| {result['seconds']:.3f} | {result['objective']:.6f} | {moves} | {result['exact_evaluations']} |")


def large_case(binary, tmp):
    print("\n## Large case: K = 5, n = 500 per task, p = 5000, s = 10 (α = 0.01, δ = 0.1, seed 5)\n")
    run([binary, "generate", "--output-directory", str(tmp), "--name", "large", "--tasks", "5", "--samples", "500",
         "--features", "5000", "--true-sparsity", "10", "--seed", "5", "--ridge", "0.01", "--zbar", "0.1"])
    result, wall, moves = solve(binary, [str(tmp / "large.json")], tmp / "r.json")
    truth = evaluate(binary, [str(tmp / "large.json")], tmp / "large_truth.csv")["objective"]
    print(f"solve: {result['seconds']:.3f} s (goal < 2 s), {wall:.2f} s wall including reading "
          f"{(tmp / 'large.csv').stat().st_size / 1e6:.0f} MB of CSV; F = {result['objective']:.6f} "
          f"(truth's F = {truth:.6f}); {moves} swap moves, {result['adds']} adds, {result['exact_evaluations']} exact evaluations")


def abess_single(binary, tmp):
    from abess.linear import LinearRegression
    n, p, s = 500, 5000, 10
    run([binary, "generate", "--output-directory", str(tmp), "--name", "single", "--tasks", "1", "--samples", str(n),
         "--features", str(p), "--true-sparsity", str(s), "--seed", "9", "--snr", "3", "--rho", "0.7"])
    data = np.loadtxt(tmp / "single.csv", delimiter=",", skiprows=1, usecols=range(1, p + 2))
    y, x = data[:, 0], data[:, 1:]
    args = ["--data", str(tmp / "single.csv"), "--sparsity", str(s), "--ridge", "0", "--bbar", "0", "--zbar", "0"]
    result, wall, moves = solve(binary, args, tmp / "r.json")
    start = time.perf_counter()
    model = LinearRegression(support_size=[s], alpha=[0.0]).fit(x, y)
    abess_seconds = time.perf_counter() - start
    write_coefficients(tmp / "abess.csv", model.coef_.reshape(-1, 1))
    abess_f = evaluate(binary, args, tmp / "abess.csv")["objective"]
    return ("K = 1, n = 500, p = 5000, s = 10, ρ = 0.7", result["seconds"], wall, result["objective"], abess_seconds, abess_f)


def abess_multitask(binary, tmp):
    from abess.linear import MultiTaskRegression
    rng = np.random.default_rng(11)
    n, p, s, K = 500, 5000, 10, 5
    x = rng.standard_normal((n, p))
    for j in range(1, p):  # AR(0.5) columns
        x[:, j] = 0.5 * x[:, j - 1] + np.sqrt(0.75) * x[:, j]
    x = np.round(x, 6)
    b = np.zeros((p, K))
    rows = rng.choice(p, s, replace=False)
    b[rows] = rng.choice([-1, 1], (s, K)) * rng.uniform(0.5, 2, (s, K))
    signal = x @ b
    yy = np.round(signal + rng.standard_normal((n, K)) * signal.std(axis=0) / np.sqrt(3), 6)
    write_long_csv(tmp / "multi.csv", [x] * K, [yy[:, k] for k in range(K)])
    args = ["--data", str(tmp / "multi.csv"), "--sparsity", str(s), "--ridge", "0", "--bbar", "0", "--zbar", "100"]
    result, wall, moves = solve(binary, args, tmp / "r.json")
    start = time.perf_counter()
    model = MultiTaskRegression(support_size=[s], alpha=[0.0]).fit(x, yy)
    abess_seconds = time.perf_counter() - start
    write_coefficients(tmp / "abess.csv", model.coef_)
    abess_f = evaluate(binary, args, tmp / "abess.csv")["objective"]
    return ("K = 5 sharing X, n = 500, p = 5000, s = 10, δ = 100", result["seconds"], wall, result["objective"],
            abess_seconds, abess_f)




def main():
    binary = str(Path(binary_argument(__doc__)).resolve())
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ladder(binary, tmp)
        large_case(binary, tmp)
        print("\n## Against abess 0.4 (same data, same support size, α = 0; F by `sparsemtl evaluate`)\n")
        print("| case | sparsemtl s | sparsemtl wall s | sparsemtl F | abess s | abess F | time ratio abess/ours | F ours − abess |")
        print("|---|---|---|---|---|---|---|---|")
        for case in (abess_single(binary, tmp), abess_multitask(binary, tmp)):
            label, ours, wall, f_ours, theirs, f_theirs = case
            print(f"| {label} | {ours:.3f} | {wall:.2f} | {f_ours:.6f} | {theirs:.3f} | {f_theirs:.6f} "
                  f"| {theirs / ours:.2f} | {f_ours - f_theirs:+.2e} |")


if __name__ == "__main__":
    main()
