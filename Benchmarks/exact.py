"""Exact-solver benchmark on the Instances/ ladder across three ridge regimes α ∈ {1, 0.1, 0.01}
(all with the box M = 10 and the instances' δ = 0.1, λ = 0): time to gap 1e-4 or the gap reached at
the time limit, nodes and cuts. Beside it, in the same run, SCIP (pyscipopt) on the same
mixed-integer quadratic problem in big-M form for the K = 2 ladder steps (the issue's references),
built here from the CSV: its time, gap and objective (which must match ours when both certify).

Usage: python Benchmarks/exact.py PATH/TO/sparsemtl [--full]     (make bench-exact / bench-exact-full)
  quick: 20 s per run, ladder steps up to p = 250, SCIP 20 s;
  full:  60 s per run (600 s for K = 5, p = 1000 at α = 1), every ladder step, SCIP 120 s.
"""
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from usage import binary_argument

ROOT = Path(__file__).resolve().parent.parent
ALPHAS = [1.0, 0.1, 0.01]
BIG_M = 10.0


def ours(binary, instance, alpha, limit, out):
    args = [binary, "solve", str(instance), "--method", "exact", "--ridge", str(alpha), "--big-m", str(BIG_M),
            "--time-limit", str(limit), "--quiet", "--output", str(out)]
    subprocess.run(args, capture_output=True, text=True)  # exit 3 at the time limit is expected
    return json.loads(Path(out).read_text())


def scip(instance, alpha, limit):
    from pyscipopt import Model, quicksum
    spec = json.loads(instance.read_text())
    with open(instance.parent / spec["data"], newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    tasks = list(dict.fromkeys(r[0] for r in body))
    data = {t: np.array([[float(v) for v in r[1:]] for r in body if r[0] == t]) for t in tasks}
    pen = spec["penalty"]
    s, delta = pen["sparsity"], pen["zbar"]
    K, p = len(tasks), len(header) - 2
    w = 1.0 / K
    m = Model()
    m.hideOutput()
    m.setParam("limits/time", limit)
    beta = {(j, k): m.addVar(lb=-BIG_M, ub=BIG_M, name=f"b_{j}_{k}") for j in range(p) for k in range(K)}
    z = {(j, k): m.addVar(vtype="B", name=f"z_{j}_{k}") for j in range(p) for k in range(K)}
    for (j, k), b in beta.items():
        m.addCons(b <= BIG_M * z[j, k])
        m.addCons(b >= -BIG_M * z[j, k])
    for k in range(K):
        m.addCons(quicksum(z[j, k] for j in range(p)) <= s)
    objective_terms = []
    for k, t in enumerate(tasks):
        x = data[t][:, 1:] - data[t][:, 1:].mean(axis=0)
        y = data[t][:, 0] - data[t][:, 0].mean()
        n = len(y)
        gram, xty = x.T @ x / n, x.T @ y / n
        eta = m.addVar(lb=0, name=f"loss_{k}")
        quad = quicksum(gram[i, j] * beta[i, k] * beta[j, k] for i in range(p) for j in range(p) if gram[i, j] != 0)
        m.addCons(eta >= float(y @ y / n) - 2 * quicksum(float(xty[j]) * beta[j, k] for j in range(p)) + quad
                  + alpha * quicksum(beta[j, k] * beta[j, k] for j in range(p)))
        objective_terms.append(eta)
    zbar = []
    for k in range(K):
        for l in range(k + 1, K):
            for j in range(p):
                v = m.addVar(lb=0, ub=1, name=f"v_{j}_{k}_{l}")
                m.addCons(v <= z[j, k])
                m.addCons(v <= z[j, l])
                zbar.append(delta * w * (z[j, k] + z[j, l] - 2 * v))
    m.setObjective(quicksum(objective_terms) + quicksum(zbar), "minimize")
    start = time.perf_counter()
    m.optimize()
    seconds = time.perf_counter() - start
    best = m.getObjVal() if m.getNSols() > 0 else float("nan")
    return {"seconds": seconds, "gap": m.getGap(), "objective": best, "status": m.getStatus()}




def main():
    binary = str(Path(binary_argument(__doc__)).resolve())
    full = "--full" in sys.argv
    limit = 60 if full else 20
    scip_limit = 120 if full else 20
    ladder = sorted((ROOT / "Instances").glob("ladder-*.json"),
                    key=lambda f: (json.loads(f.read_text())["generator"]["features"], f.name))
    if not full:
        ladder = [f for f in ladder if json.loads(f.read_text())["generator"]["features"] <= 250]
    try:
        import pyscipopt  # noqa: F401
        have_scip = True
    except ImportError:
        have_scip = False
    print(f"# Exact solver: ladder × α, box M = {BIG_M:g}, gap target 1e-4, "
          f"time limit {limit} s ({'full' if full else 'quick'} mode)\n")
    print("| instance | α | status | seconds | gap | nodes | cuts | F | SCIP status | SCIP s | SCIP gap | SCIP F |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        for instance in ladder:
            g = json.loads(instance.read_text())["generator"]
            for alpha in ALPHAS:
                run_limit = 600 if full and g["features"] == 1000 and alpha == 1.0 else limit
                r = ours(binary, instance, alpha, run_limit, out)
                scip_cells = "| – | – | – | –"
                if have_scip and g["tasks"] == 2:
                    sc = scip(instance, alpha, scip_limit)
                    gap_text = f"{100 * sc['gap']:.2f}%" if sc["gap"] < 1e6 else "∞ (no bound)"
                    scip_cells = f"| {sc['status']} | {sc['seconds']:.1f} | {gap_text} | {sc['objective']:.6f}"
                gap = r["gap"] if r["gap"] is not None else float("nan")
                print(f"| {instance.stem} | {alpha:g} | {r['status']} | {r['seconds']:.2f} | {100 * gap:.3f}% "
                      f"| {r['nodes']} | {r['cuts']} | {r['objective']:.6f} {scip_cells} |", flush=True)
    if not have_scip:
        print("\nSCIP (pyscipopt) is not installed: no reference columns.")


if __name__ == "__main__":
    main()
