"""GenGL check: `sparsemtl relax` against an independent convex solver (cvxpy with Clarabel).

On small problems generated here with numpy (K = 3 tasks, p = 8 features), every preset (lasso,
group-lasso, metag with h = 2, rmtfl, ssmtl-m) and one penalty given by --operators is fitted by
`sparsemtl relax`; the same problem (per-task centred data, W = sum of components, every group
norm written out here from the operator definitions of DESIGN.md section 6) is solved by cvxpy
with Clarabel. Checks, per case:
1. the objective sparsemtl reports equals the objective recomputed here from its coefficients;
2. it is within 1e-3 relative of cvxpy's optimum (and not below it by more than that);
3. its duality gap is an upper bound on the true one: the reported dual objective is not above
   cvxpy's optimum (weak duality, up to Clarabel's 1e-8), so the reported relative gap is at least
   (objective − optimum)/objective; and the fit stopped there, at relax's default gap 1e-6
   (status converged), by proximal gradient (lasso, group-lasso, rmtfl) or primal–dual splitting.
Prints one line per case and 'N passed, N failed'; exits non-zero on a failure.

Usage: python check_gengl.py PATH/TO/sparsemtl
"""
import csv
import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import cvxpy as cp
import numpy as np

RELATIVE = 1e-3
GAP = 1e-6  # relax's default stopping rule
K, P, N = 3, 8, 15


def write_data(folder, seed):
    rng = np.random.default_rng(seed)
    data, rows = [], []
    shared = rng.normal(size=P) * (rng.uniform(size=P) < 0.5)
    for k in range(K):
        x = rng.normal(size=(N, P)) + rng.normal(size=P)
        beta = shared + 0.3 * rng.normal(size=P) * (rng.uniform(size=P) < 0.3)
        y = x @ beta + 0.5 * rng.normal(size=N) + rng.normal()
        data.append((x, y))
        rows += [[f"t{k}", repr(float(y[i]))] + [repr(float(v)) for v in x[i]] for i in range(N)]
    with open(folder / "g.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["task", "y"] + [f"x{j}" for j in range(P)])
        w.writerows(rows)
    (folder / "g.json").write_text(json.dumps({"data": "g.csv", "penalty": {"sparsity": 3}}))
    return [(x - x.mean(axis=0), y - y.mean()) for x, y in data]


def selectors(kind, n):
    """The operators of one dimension: None for the whole dimension, (i,) for e_i, (i, j) for e_i − e_j."""
    if kind == "C":
        return [None]
    if kind == "F":
        return [(i,) for i in range(n)]
    return list(itertools.combinations(range(n), 2))


def apply(sel, mat, axis):
    """π applied along `axis` (0: rows, 1: columns) of a cvxpy or numpy matrix."""
    if sel is None:
        return mat
    take = (lambda i: mat[i, :]) if axis == 0 else (lambda i: mat[:, i])
    return take(sel[0]) if len(sel) == 1 else take(sel[0]) - take(sel[1])


def penalty(components, gamma, phi, ws, norm):
    total = 0
    for l, terms in enumerate(components):
        g = gamma / phi ** l
        for tasks, features, weight in terms:
            for a in selectors(features, P):
                rowsel = apply(a, ws[l], 0)
                for b in selectors(tasks, K):
                    if a is not None and b is not None:
                        block = rowsel[b[0]] if len(b) == 1 else rowsel[b[0]] - rowsel[b[1]]
                    elif a is not None:
                        block = rowsel
                    else:
                        block = apply(b, rowsel, 1)
                    total = total + g * weight * norm(block)
    return total


def objective_terms(data, ws, components, gamma, phi, norm, sum_squares):
    w = sum(ws)
    loss = sum(sum_squares(y - x @ w[:, k]) / len(y) for k, (x, y) in enumerate(data))
    return loss + penalty(components, gamma, phi, ws, norm)


def preset_components(name, gamma2_ratio=1.0):
    if name == "lasso":
        return [[("F", "F", 1.0)]]
    if name == "group-lasso":
        return [[("C", "F", 1.0)]]
    if name == "metag":
        return [[("F2", "C", 1.0)], [("F2", "C", 1.0)]]
    if name == "rmtfl":
        return [[("C", "F", 1.0)], [("F", "C", 1.0)]]
    if name == "ssmtl-m":
        terms = [("C", "F", 1.0), ("F2", "F", gamma2_ratio)]
        return [terms, terms]
    raise ValueError(name)


def np_norm(v):
    return float(np.linalg.norm(np.asarray(v).ravel()))


def cvx_norm(v):
    return cp.norm(cp.vec(v, order="F") if len(v.shape) == 2 else v, 2)


def main():
    binary = Path(sys.argv[1]).resolve()
    passed = failed = 0
    cases = [
        ("lasso", ["--preset", "lasso"], preset_components("lasso"), 0.2, 2.0),
        ("group-lasso", ["--preset", "group-lasso"], preset_components("group-lasso"), 0.3, 2.0),
        ("metag h=2", ["--preset", "metag", "--components", "2"], preset_components("metag"), 0.2, 2.0),
        ("rmtfl", ["--preset", "rmtfl", "--phi", "1.5"], preset_components("rmtfl"), 0.3, 1.5),
        ("ssmtl-m", ["--preset", "ssmtl-m", "--gamma2", "0.05"], preset_components("ssmtl-m", 0.05 / 0.1), 0.1, 2.0),
        ("operators", ["--operators", "C:F,F2:C@0.5;F:F"], [[("C", "F", 1.0), ("F2", "C", 0.5)], [("F", "F", 1.0)]], 0.2, 2.0),
        # Smoothing (no gap rule by default): its dual points, from the smoothed problem, still bound the gap.
        ("metag smoothing", ["--preset", "metag", "--components", "2", "--algorithm", "smoothing", "--tolerance", "1e-10",
                             "--max-iterations", "400000"], preset_components("metag"), 0.2, 2.0),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = write_data(folder, seed=11)
        for name, flags, components, gamma, phi in cases:
            out = folder / "r.json"
            run = subprocess.run([str(binary), "relax", "g.json", "--gamma", str(gamma), *flags,
                                  "--output", str(out)],
                                 cwd=folder, capture_output=True, text=True)
            if run.returncode != 0:
                print(f"FAIL {name}: exit {run.returncode}: {run.stderr.strip()}")
                failed += 1
                continue
            result = json.loads(out.read_text())
            ours_ws = [np.array(c) for c in result["components"]]
            recomputed = objective_terms(data, ours_ws, components, gamma, phi, np_norm, lambda r: float(r @ r))
            ws = [cp.Variable((P, K)) for _ in components]
            problem = cp.Problem(cp.Minimize(objective_terms(data, ws, components, gamma, phi, cvx_norm, cp.sum_squares)))
            problem.solve(solver=cp.CLARABEL)
            optimum = problem.value
            reported = result["objective"]
            ok_eval = abs(recomputed - reported) <= 1e-9 * max(1.0, abs(reported))
            gap = (reported - optimum) / abs(optimum)
            ok_opt = -RELATIVE <= gap <= RELATIVE
            dual, reported_gap = result["dual_objective"], result["duality_gap"]
            ok_dual = dual is not None and dual <= optimum + 1e-8 * abs(optimum) and reported_gap <= (RELATIVE if "smoothing" in name else GAP) \
                and reported_gap >= (reported - optimum) / abs(reported) - 1e-8 and result["status"] == "converged"
            ok = ok_eval and ok_opt and ok_dual
            passed += ok
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {name}: sparsemtl {reported:.10g} (recomputed {recomputed:.10g}), "
                  f"cvxpy/Clarabel {optimum:.10g}, relative difference {gap:.2e}, dual {dual}, reported gap {reported_gap}, "
                  f"{result['iterations']} iterations")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
