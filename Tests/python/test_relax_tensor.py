"""GenGL's tensor form (`relax --preset tensor-*`, `--operators TASKS:F1xF2`) against cvxpy/Clarabel.

The oracle is written here from the documented model, not from sparsemtl's code: task k's rows map
to u ⊗ u (row-major q × q cells, q = p + 1) with u = (1, x − m_k), m_k the task's mean of x; the
cells and y are centred per task, and the loss is Σ_k (1/n_k)‖ỹ_k − Z̃_k w_k‖². The penalties are
written as group norms over the q × q grid of each task (by grid row, by cell, by cell across
tasks, and a custom two-term set). Checks per case: the objective is within 1e-5 of the optimum;
the dual objective is not above it (the reported gap bounds the true one); `predict` on the
training rows gives the optimum's fitted values plus intercepts.
"""
import csv
import json
import os
import subprocess
from pathlib import Path

import cvxpy as cp
import numpy as np
import pytest

BINARY = os.environ.get("SPARSEMTL_BIN", str(Path(__file__).resolve().parents[2] / ".build/debug/sparsemtl"))
K, P, N = 3, 4, 20
Q = P + 1


def data(folder):
    rng = np.random.default_rng(7)
    tasks, rows = [], []
    for k in range(K):
        x = rng.normal(size=(N, P)) + rng.normal(size=P)
        y = 1.2 * x[:, 0] + (0.8 + 0.2 * k) * x[:, 0] * x[:, 1] - 0.5 * x[:, 2] ** 2 + 0.3 * rng.normal(size=N)
        tasks.append((x, y))
        rows += [[f"t{k}", repr(float(y[i]))] + [repr(float(v)) for v in x[i]] for i in range(N)]
    path = folder / "tensor.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["task", "y"] + [f"x{j + 1}" for j in range(P)])
        writer.writerows(rows)
    return path, tasks


def cells(x):
    """Rows of x mapped to u ⊗ u, u = (1, x − mean), row-major."""
    u = np.hstack([np.ones((len(x), 1)), x - x.mean(axis=0)])
    return np.einsum("ia,ib->iab", u, u).reshape(len(x), Q * Q)


def grid(w, k):
    """Task k's coefficients as the q × q grid (cvxpy expression)."""
    return cp.reshape(w[:, k], (Q, Q), order="C")


def penalty(case, w, gamma):
    if case == "tensor-feature":   # F:FxC, a grid row per task
        return gamma * sum(cp.norm(grid(w, k)[a, :], 2) for k in range(K) for a in range(Q))
    if case == "tensor-pair":      # F:FxF, every cell
        return gamma * cp.sum(cp.abs(w))
    if case == "tensor-shared":    # C:FxF, a cell across tasks
        return gamma * sum(cp.norm(w[c, :], 2) for c in range(Q * Q))
    # custom "F:CxF,F2:FxF@0.5": grid columns per task, plus 0.5 × every cell's differences between tasks
    columns = sum(cp.norm(grid(w, k)[:, b], 2) for k in range(K) for b in range(Q))
    fused = sum(cp.abs(w[c, i] - w[c, j]) for c in range(Q * Q) for i in range(K) for j in range(i + 1, K))
    return gamma * (columns + 0.5 * fused)


# The custom set is not separable: primal–dual splitting, about 52 000 iterations to the 1e-6 gap here.
CASES = [("tensor-feature", ["--preset", "tensor-feature"]), ("tensor-pair", ["--preset", "tensor-pair"]),
         ("tensor-shared", ["--preset", "tensor-shared"]), ("custom", ["--operators", "F:CxF,F2:FxF@0.5", "--max-iterations", "200000"])]


@pytest.mark.parametrize("case,flags", CASES)
def test_tensor_form_reaches_the_convex_optimum(tmp_path, case, flags):
    gamma = 0.05
    path, tasks = data(tmp_path)
    out = tmp_path / "fit.json"
    run = subprocess.run([BINARY, "relax", "--data", str(path), "--gamma", str(gamma), *flags, "--output", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    fit = json.loads(out.read_text())
    assert fit["status"] == "converged" and fit["duality_gap"] <= 1e-6
    assert len(fit["features"]) == Q * Q and fit["interactions"]["features"] == [f"x{j + 1}" for j in range(P)]

    designs = [cells(x) for x, _ in tasks]
    centred = [(z - z.mean(axis=0), y - y.mean()) for z, (_, y) in zip(designs, tasks)]
    w = cp.Variable((Q * Q, K))
    loss = sum(cp.sum_squares(y - z @ w[:, k]) / N for k, (z, y) in enumerate(centred))
    problem = cp.Problem(cp.Minimize(loss + penalty(case, w, gamma)))
    problem.solve(solver=cp.CLARABEL, tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10)
    optimum = problem.value

    assert abs(fit["objective"] - optimum) <= 1e-5 * optimum, (fit["objective"], optimum)
    assert fit["dual_objective"] <= optimum + 1e-8 * optimum, (fit["dual_objective"], optimum)

    # predict on the training rows: the optimum's fitted values plus the intercepts (unique: the loss
    # is strictly convex in the fitted values).
    predicted = tmp_path / "predicted.csv"
    run = subprocess.run([BINARY, "predict", "--model", str(out), "--data", str(path), "--output", str(predicted)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with open(predicted) as f:
        ours = np.array([float(row["prediction"]) for row in csv.DictReader(f)])
    expected = np.concatenate([y.mean() + (z - z.mean(axis=0)) @ w.value[:, k] for k, (z, (_, y)) in enumerate(zip(designs, tasks))])
    assert np.max(np.abs(ours - expected)) <= 1e-3 * np.max(np.abs(expected)), np.max(np.abs(ours - expected))


def test_mixed_forms_are_refused(tmp_path):
    path, _ = data(tmp_path)
    run = subprocess.run([BINARY, "relax", "--data", str(path), "--gamma", "0.1", "--operators", "F:FxC,C:F"],
                         capture_output=True, text=True)
    assert run.returncode != 0 and "one form" in run.stderr
