"""GenGL speed: seconds to a 1e-6 relative duality gap, ours beside cvxpy with Clarabel, same machine, same run.

K = 10 tasks, p = 1 000 features, n = 100 rows per task (numpy, seeded; 20 true features per task,
half shared), every preset at γ = γ_start/10 (γ_start = max_j ‖∇_j f(0)‖₂, the group lasso's γ_max).
Ours: `sparsemtl relax --gamma γ` (its default rule: stop at a duality gap of 1e-6, certified by its
dual point), wall time of the process (reading the CSV included) and the fit's own `seconds`. Clarabel: the same objective in vectorised cvxpy (row, column
and entry norms as one atom each, a pair difference per task pair), tolerances 1e-6 (tol_gap_rel,
tol_feas), time of `problem.solve` (compilation included) and Clarabel's own solve time. Prints per preset: seconds, iterations, reported gap, objective difference, ratios (process to
cvxpy's whole solve, and fit to Clarabel's own solve time).

Usage: python Benchmarks/gengl_speed.py PATH/TO/sparsemtl [--presets lasso,metag] [--features 1000]
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cvxpy as cp
import numpy as np


def penalty(name, ws, gamma, phi, K):
    """Ω of the preset in vectorised cvxpy (DESIGN.md section 6; γ₂ = γ for ssmtl-m, h = 2 for metag)."""
    rows = lambda w: cp.sum(cp.norm(w, 2, axis=1))
    pairs = lambda w, norm: sum(norm(w[:, k] - w[:, l]) for k in range(K) for l in range(k + 1, K))
    if name == "lasso":
        return gamma * cp.sum(cp.abs(ws[0]))
    if name == "group-lasso":
        return gamma * rows(ws[0])
    if name == "metag":
        return sum(gamma / phi ** l * pairs(ws[l], lambda v: cp.norm(v, 2)) for l in range(2))
    if name == "rmtfl":
        return gamma * rows(ws[0]) + gamma / phi * cp.sum(cp.norm(ws[1], 2, axis=0))
    if name == "ssmtl-m":
        return sum(gamma / phi ** l * (rows(ws[l]) + pairs(ws[l], lambda v: cp.sum(cp.abs(v)))) for l in range(2))
    raise ValueError(name)


COMPONENTS = {"lasso": 1, "group-lasso": 1, "metag": 2, "rmtfl": 2, "ssmtl-m": 2}
PRESETS = {"lasso": ([], "lasso"), "group-lasso": ([], "group-lasso"), "metag": (["--components", "2"], "metag"),
           "rmtfl": (["--phi", "2"], "rmtfl"), "ssmtl-m": ([], "ssmtl-m")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--features", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100)
    args = parser.parse_args()
    args.binary = str(Path(args.binary).resolve())  # the runs happen in a temporary folder
    K, P, N = args.tasks, args.features, args.rows
    rng = np.random.default_rng(3)
    shared = rng.choice(P, 10, replace=False)
    data, lines = [], ["task,y," + ",".join(f"x{j}" for j in range(P))]
    for k in range(K):
        x = rng.standard_normal((N, P))
        beta = np.zeros(P)
        beta[shared] = rng.normal(size=10)
        beta[rng.choice(P, 10, replace=False)] += rng.normal(size=10)
        y = x @ beta + rng.standard_normal(N)
        data.append((x - x.mean(axis=0), y - y.mean()))
        lines += [",".join([f"t{k}", repr(float(v))] + [repr(float(e)) for e in row]) for v, row in zip(y, x)]
    gradient = np.column_stack([-2 / N * xc.T @ yc for xc, yc in data])
    gamma = float(np.max(np.linalg.norm(gradient, axis=1))) / 10
    print(f"K = {K}, p = {P}, n = {N} per task, γ = {gamma:.4g} (γ_start/10), gap 1e-6")
    print(f"{'preset':12} {'ours s':>8} {'(fit s)':>8} {'iter':>6} {'gap':>9} {'Clarabel s':>10} {'(solver s)':>10} {'ΔF/F':>9} {'ratio':>6} {'(fit)':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "d.csv").write_text("\n".join(lines) + "\n")
        for name in args.presets.split(","):
            flags, preset = PRESETS[name]
            start = time.perf_counter()
            run = subprocess.run([args.binary, "relax", "--data", "d.csv", "--preset", preset, "--gamma", repr(gamma), *flags,
                                  "--output", "r.json"], cwd=folder, capture_output=True, text=True)
            ours = time.perf_counter() - start
            if run.returncode not in (0, 3):  # 3: a limit stopped it; the result (and its gap) is written
                print(f"{name:12} exit {run.returncode}: {run.stderr.strip()[:200]}")
                continue
            result = json.loads((folder / "r.json").read_text())
            if result["status"] != "converged":
                name += f" ({result['status']})"
            ws = [cp.Variable((P, K)) for _ in range(COMPONENTS[preset])]
            w = sum(ws)
            loss = sum(cp.sum_squares(y - x @ w[:, k]) / len(y) for k, (x, y) in enumerate(data))
            problem = cp.Problem(cp.Minimize(loss + penalty(preset, ws, gamma, 2.0, K)))
            start = time.perf_counter()
            problem.solve(solver=cp.CLARABEL, tol_gap_rel=1e-6, tol_feas=1e-6)
            clarabel = time.perf_counter() - start
            solver = problem.solver_stats.solve_time or float("nan")
            diff = (result["objective"] - problem.value) / abs(problem.value)
            fit = result["seconds"]
            print(f"{name:12} {ours:8.2f} {fit:8.2f} {result['iterations']:6d} {result['duality_gap']:9.2e} {clarabel:10.2f} {solver:10.2f} "
                  f"{diff:9.1e} {clarabel / ours:6.1f} {solver / fit:6.1f}", flush=True)


if __name__ == "__main__":
    main()
