"""metag (pair differences over tasks: W's task-constant part is unpenalised) with unequal task sizes,
against cvxpy/Clarabel. `relax` minimises that free part exactly at every primal–dual iteration, by
least squares on the designs weighted 1/n_k (unequal n_k take their own stacked, scaled designs).
Checks: objective within 1e-6 of the optimum, dual
objective not above it, status converged.
"""
import csv
import json
import os
import subprocess
from pathlib import Path

import cvxpy as cp
import numpy as np

BINARY = os.environ.get("SPARSEMTL_BIN", str(Path(__file__).resolve().parents[2] / ".build/debug/sparsemtl"))
P, SIZES = 6, (5, 9, 24)


def test_metag_with_unequal_tasks_reaches_the_optimum(tmp_path):
    rng = np.random.default_rng(3)
    common = rng.normal(size=P)
    tasks, rows = [], []
    for k, n in enumerate(SIZES):
        x = rng.normal(size=(n, P))
        y = x @ (common + 0.4 * rng.normal(size=P)) + 0.3 * rng.normal(size=n)
        tasks.append((x - x.mean(axis=0), y - y.mean()))
        rows += [[f"t{k}", repr(float(y[i]))] + [repr(float(v)) for v in x[i]] for i in range(n)]
    path = tmp_path / "unequal.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["task", "y"] + [f"x{j}" for j in range(P)])
        writer.writerows(rows)
    gamma = 0.3
    out = tmp_path / "fit.json"
    run = subprocess.run([BINARY, "relax", "--data", str(path), "--preset", "metag", "--components", "1", "--gamma", str(gamma),
                          "--output", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    fit = json.loads(out.read_text())

    w = cp.Variable((P, len(SIZES)))
    loss = sum(cp.sum_squares(y - x @ w[:, k]) / len(y) for k, (x, y) in enumerate(tasks))
    fused = sum(cp.norm(w[:, i] - w[:, j], 2) for i in range(len(SIZES)) for j in range(i + 1, len(SIZES)))
    problem = cp.Problem(cp.Minimize(loss + gamma * fused))
    problem.solve(solver=cp.CLARABEL, tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10)

    assert fit["status"] == "converged"
    assert abs(fit["objective"] - problem.value) <= 1e-6 * problem.value, (fit["objective"], problem.value)
    assert fit["dual_objective"] <= problem.value * (1 + 1e-8), (fit["dual_objective"], problem.value)
