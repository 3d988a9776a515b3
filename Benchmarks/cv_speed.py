"""Cross-validation speed (issue 20, item 5) on a river-flow-sized problem, beside scikit-learn.

Synthetic data of the size of the river-flow set (which is kept back for an independent check):
K = 8 tasks sharing one design of n = 4 000 rows and p = 64 strongly correlated features
(AR(1), ρ = 0.9), 12 nonzeros per task of which 8 are common, SNR 3; plus 1 000 test rows.
Timed in the same run on the same machine:
  - `sparsemtl cv`: s ≤ 30, α ∈ {0, 0.001, 0.01}, δ ∈ {0, 0.01, 0.1, 1}, λ ∈ {0, 0.01, 0.1, 1},
    5 folds, the default (min) rule, standardised, both cores (the issue's 4 × 4 × 3 grid); and the same with
    the automatic grid (no grid flags);
  - scikit-learn MultiTaskLassoCV (100 α, 5 folds, n_jobs = 2) and per-task LassoCV
    (100 α, 5 folds each, n_jobs = 2).
Prints wall seconds and the test MSE (mean over tasks) of each chosen model.

Usage: python Benchmarks/cv_speed.py PATH/TO/sparsemtl [--quick]     (or: make bench-cv)
--quick: s ≤ 10 and a 2 × 2 × 2 grid (for a look in a minute).
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from usage import binary_argument


def make_data(seed=7, n=4000, n_test=1000, p=64, tasks=8, rho=0.9, snr=3.0):
    rng = np.random.default_rng(seed)
    cov = rho ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    chol = np.linalg.cholesky(cov)
    x = rng.standard_normal((n + n_test, p)) @ chol.T
    common = rng.choice(p, 8, replace=False)
    b = np.zeros((p, tasks))
    for k in range(tasks):
        own = rng.choice(np.setdiff1d(np.arange(p), common), 4, replace=False)
        support = np.concatenate([common, own])
        b[support, k] = rng.uniform(0.5, 2.0, len(support)) * rng.choice([-1, 1], len(support))
    signal = x @ b
    noise = rng.standard_normal(signal.shape) * np.sqrt(signal.var(axis=0) / snr)
    y = signal + noise + rng.normal(0, 1, tasks)
    return x[:n], y[:n], x[n:], y[n:]


def write_long_csv(path, x, y):
    p = x.shape[1]
    with open(path, "w") as f:
        f.write("task,y," + ",".join(f"x{j + 1}" for j in range(p)) + "\n")
        for k in range(y.shape[1]):
            rows = np.column_stack([y[:, k], x])
            for row in rows:
                f.write(f"t{k + 1}," + ",".join(repr(float(v)) for v in row) + "\n")


def ours(binary, data, extra, folder, name):
    out = folder / f"{name}.json"
    start = time.perf_counter()
    subprocess.run([binary, "cv", "--data", str(data), "--standardize", "--folds", "5", "--quiet", "--output", str(out), *extra],
                   check=True)
    seconds = time.perf_counter() - start
    result = json.loads(out.read_text())
    model = result["model"]
    b = np.array(model["coefficients"])
    return seconds, b, np.array(model["intercepts"]), result["chosen"], len(result["table"])


def test_mse(b, b0, x_test, y_test):
    return float(np.mean(np.mean((y_test - x_test @ b - b0) ** 2, axis=0)))


def main():
    binary = binary_argument(__doc__)
    quick = "--quick" in sys.argv
    from sklearn.linear_model import LassoCV, MultiTaskLassoCV

    x, y, x_test, y_test = make_data()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = folder / "river-like.csv"
        write_long_csv(data, x, y)
        grid = (["--max-sparsity", "10", "--ridge-grid", "0,0.01", "--zbar-grid", "0,0.1", "--bbar-grid", "0,0.1"] if quick else
                ["--max-sparsity", "30", "--ridge-grid", "0,0.001,0.01", "--zbar-grid", "0,0.01,0.1,1", "--bbar-grid", "0,0.01,0.1,1"])
        rows = []
        seconds, b, b0, chosen, points = ours(binary, data, grid, folder, "grid")
        rows.append((f"sparsemtl cv, issue grid ({points} points)", seconds, test_mse(b, b0, x_test, y_test),
                     f"s={chosen['sparsity']} α={chosen['ridge']:.3g} δ={chosen['zbar']:.3g} λ={chosen['bbar']:.3g}"))
        if not quick:
            seconds, b, b0, chosen, points = ours(binary, data, [], folder, "auto")
            rows.append((f"sparsemtl cv, automatic grid ({points} points)", seconds, test_mse(b, b0, x_test, y_test),
                         f"s={chosen['sparsity']} α={chosen['ridge']:.3g} δ={chosen['zbar']:.3g} λ={chosen['bbar']:.3g}"))
        start = time.perf_counter()
        mt = MultiTaskLassoCV(cv=5, n_jobs=2, max_iter=5000).fit(x, y)
        rows.append(("scikit-learn MultiTaskLassoCV", time.perf_counter() - start,
                     test_mse(mt.coef_.T, mt.intercept_, x_test, y_test), f"{int((mt.coef_ != 0).any(axis=0).sum())} features"))
        start = time.perf_counter()
        coefs, intercepts = [], []
        for k in range(y.shape[1]):
            fit = LassoCV(cv=5, n_jobs=2, max_iter=5000).fit(x, y[:, k])
            coefs.append(fit.coef_)
            intercepts.append(fit.intercept_)
        b = np.array(coefs).T
        rows.append(("scikit-learn LassoCV per task", time.perf_counter() - start, test_mse(b, np.array(intercepts), x_test, y_test),
                     f"{np.mean((b != 0).sum(axis=0)):.1f} features per task"))
    print(f"K = 8, n = 4000 per task (shared X), p = 64, ρ = 0.9, 5 folds; {1000} test rows")
    print(f"{'method':48s} {'seconds':>9s} {'test MSE':>10s}  chosen")
    for name, seconds, mse, note in rows:
        print(f"{name:48s} {seconds:9.1f} {mse:10.4f}  {note}")


if __name__ == "__main__":
    main()
