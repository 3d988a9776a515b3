"""The Python estimator's overhead over the bare CLI (issue 19): K = 5 tasks sharing n = 500 rows,
p = 5 000 features, s = 10, heuristic. The same fit three times each way, in the same run:
  - the bare CLI: `sparsemtl solve --data d.npz …` on an archive written beforehand;
  - SparseMTLRegressor.fit(X, Y): checking the arrays, writing the archive, the same solve,
    reading the result.
Prints the median seconds of each and the overhead in per cent (goal: under 20 %).

Usage: python Benchmarks/python_overhead.py PATH/TO/sparsemtl     (or: make bench-python)
"""
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from usage import binary_argument


def main():
    binary = binary_argument(__doc__)
    os.environ["SPARSEMTL_BIN"] = str(Path(binary).resolve())
    from sparsemtl import SparseMTLRegressor

    rng = np.random.default_rng(5)
    n, p, k = 500, 5000, 5
    x = rng.standard_normal((n, p))
    b = np.zeros((p, k))
    b[rng.choice(p, 10, replace=False), :] = rng.uniform(0.5, 2, (10, k))
    y = x @ b + rng.standard_normal((n, k))
    flags = ["--sparsity", "10", "--ridge", "0.01", "--bbar", "0.1", "--standardize", "--quiet"]
    cli, python = [], []
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "d.npz"
        np.savez(data, X=x, Y=y, tasks=np.array([f"y{j + 1}" for j in range(k)]))
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([binary, "solve", "--data", str(data), "--output", str(Path(folder) / "r.json"), *flags], check=True)
            cli.append(time.perf_counter() - start)
            start = time.perf_counter()
            model = SparseMTLRegressor(sparsity=10, ridge=0.01, bbar=0.1).fit(x, y)
            python.append(time.perf_counter() - start)
    a, b = statistics.median(cli), statistics.median(python)
    print(f"K = {k}, n = {n} (shared X), p = {p}, s = 10, heuristic; median of 3")
    print(f"{'bare CLI on a prepared .npz':40s} {a:8.3f} s")
    print(f"{'SparseMTLRegressor.fit(X, Y)':40s} {b:8.3f} s")
    print(f"overhead: {100 * (b / a - 1):.1f} %   (objective {model.objective_:.6g}, {int(model.support_.sum())} nonzeros)")


if __name__ == "__main__":
    main()
