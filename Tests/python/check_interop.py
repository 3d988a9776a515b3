"""Interoperability suite: our MPS files checked by another solver (SCIP, through pyscipopt).

On tiny instances generated here with numpy (all penalty mixes, K = 1..3, a box, a non-complete
task graph, standardisation), it checks that
1. SCIP solving the exported MIQP (`sparsemtl export --problem miqp`, perspective and big-M forms,
   Gram and residual loss forms) finds the optimum computed here by brute force (every support of
   at most s features per task, each fitted in closed form, a box by enumerating which bounds are
   active), to 1e-6 relative;
2. the exported master of an exact solve's certificate (`export --problem master`, free and fixed
   MPS), re-solved by SCIP, has an optimum between the certificate's lower bound and the true
   optimum;
3. the mapping file names every column of the MPS file;
4. with λ = 0 and K ≥ 2, an exact solve forced into the task decomposition (`--root-rounds 0`):
   every task bound of its certificate is at most that task's optimum with the bound's costs
   (brute force here), and SCIP's optimum of each exported task master reaches it.
Prints one line per check and 'N passed, N failed'; exits non-zero on a failure.

Usage: python check_interop.py PATH/TO/sparsemtl
"""
import csv
import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from pyscipopt import Model

RELATIVE = 1e-6


def write_case(folder, name, tasks, n, p, seed, penalty, graph=None, standardize=False):
    """Data y = Xβ + noise with 2 true features per task; CSV, optional graph CSV, instance JSON."""
    rng = np.random.default_rng(seed)
    rows, data = [], []
    for k in range(tasks):
        x = rng.normal(size=(n, p)) * rng.uniform(0.5, 3.0, size=p) + rng.normal(size=p)
        beta = np.zeros(p)
        beta[rng.choice(p, 2, replace=False)] = rng.normal(scale=1.5, size=2)
        y = x @ beta + 0.5 * rng.normal(size=n) + rng.normal()
        data.append((x, y))
        for i in range(n):
            rows.append([f"task{k}", repr(float(y[i]))] + [repr(float(v)) for v in x[i]])
    with open(folder / f"{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["task", "y"] + [f"x{j + 1}" for j in range(p)])
        w.writerows(rows)
    spec = {"name": name, "data": f"{name}.csv", "penalty": penalty, "standardize": standardize}
    if graph is not None:
        with open(folder / f"{name}_graph.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["task_a", "task_b", "weight"])
            for a, b, wt in graph:
                w.writerow([f"task{a}", f"task{b}", wt])
        spec["task_graph"] = f"{name}_graph.csv"
    (folder / f"{name}.json").write_text(json.dumps(spec))
    return data


def centred(data, standardize):
    xs = [x - x.mean(axis=0) for x, _ in data]
    ys = [y - y.mean() for _, y in data]
    if standardize:
        total = sum(x.shape[0] for x in xs)
        sd = np.sqrt(sum((x ** 2).sum(axis=0) for x in xs) / total)
        sd[sd == 0] = 1
        xs = [x / sd for x in xs]
    return xs, ys


def brute_force(data, penalty, graph, standardize):
    """min F over every support with at most s features per task (DESIGN.md section 1)."""
    xs, ys = centred(data, standardize)
    K, p = len(xs), xs[0].shape[1]
    s, alpha, lam, delta = penalty["sparsity"], penalty["ridge"], penalty["bbar"], penalty["zbar"]
    box = penalty.get("big_m")
    edges = graph if graph is not None else [(a, b, 1.0 / K) for a in range(K) for b in range(a + 1, K)]
    laplacian = np.zeros((K, K))
    for a, b, w in edges:
        laplacian[a, a] += w; laplacian[b, b] += w; laplacian[a, b] -= w; laplacian[b, a] -= w
    # F = βᵀHβ − 2gᵀβ + c over vec(B) (index j + k·p).
    H = np.kron(laplacian, np.eye(p)) * lam + alpha * np.eye(p * K)
    g = np.zeros(p * K)
    c = 0.0
    for k in range(K):
        n = xs[k].shape[0]
        H[k * p:(k + 1) * p, k * p:(k + 1) * p] += xs[k].T @ xs[k] / n
        g[k * p:(k + 1) * p] = xs[k].T @ ys[k] / n
        c += ys[k] @ ys[k] / n
    subsets = [c_ for size in range(s + 1) for c_ in itertools.combinations(range(p), size)]
    best = np.inf
    for supports in itertools.product(subsets, repeat=K):
        z = np.zeros((p, K))
        for k, sub in enumerate(supports):
            z[list(sub), k] = 1
        zbar = sum(w * ((z[:, a] - z[:, b]) ** 2).sum() for a, b, w in edges)
        index = [j + k * p for k, sub in enumerate(supports) for j in sub]
        value = c + delta * zbar + quadratic_minimum(H[np.ix_(index, index)], g[index], box)
        best = min(best, value)
    return best


def quadratic_minimum(H, g, box):
    """min βᵀHβ − 2gᵀβ, over |β| ≤ box when one is given: every pattern of coordinates at −M, free
    or +M is tried, the free ones solved in closed form; infeasible candidates are dropped. The
    minimiser lies in the relative interior of one face, where it is that face's closed form."""
    m = len(g)
    if m == 0:
        return 0.0
    if box is None:
        return -g @ np.linalg.solve(H, g)
    best = np.inf
    for pattern in itertools.product((-1, 0, 1), repeat=m):
        fixed = np.array(pattern, dtype=float) * box
        free = [i for i in range(m) if pattern[i] == 0]
        beta = fixed.copy()
        if free:
            rhs = g[free] - H[np.ix_(free, range(m))] @ fixed
            beta[free] = np.linalg.solve(H[np.ix_(free, free)], rhs)
            if np.any(np.abs(beta[free]) > box * (1 + 1e-12)):
                continue
        best = min(best, beta @ H @ beta - 2 * g @ beta)
    return best


def task_optimum(data, k, penalty, standardize, costs):
    """min over supports S of task k (|S| ≤ s) of g_k(S) + Σ_{j∈S} c_j, task k alone (λ = δ = 0)."""
    xs, ys = centred(data, standardize)
    x, y = xs[k], ys[k]
    n, p = x.shape
    H = x.T @ x / n + penalty["ridge"] * np.eye(p)
    g = x.T @ y / n
    best = np.inf
    for size in range(penalty["sparsity"] + 1):
        for sub in itertools.combinations(range(p), size):
            index = list(sub)
            value = y @ y / n + quadratic_minimum(H[np.ix_(index, index)], g[index], penalty.get("big_m"))
            best = min(best, value + sum(costs[j] for j in index))
    return best


def check_task_bounds(binary, folder, name, instance, data, penalty, standardize, check):
    certificate = folder / f"{name}-decomposed-cert.json"
    run(binary, "solve", instance, "--method", "exact", "--root-rounds", "0", "--quiet",
        "--output", folder / f"{name}-decomposed.json", "--certificate", certificate)
    cert = json.loads(certificate.read_text())
    bounds = cert["task_bounds"]
    # Task bounds, their costs and the masters are in the solver's units: F / t² (the certificate's "scaling").
    units = cert.get("scaling", {}).get("response", 1.0) ** 2
    check(f"{name} decomposition ran", len(bounds) >= 2, f"{len(bounds)} task bounds")
    master = folder / f"{name}-decomposed-master.mps"
    run(binary, "export", "--certificate", certificate, "--problem", "master", "--output", master)
    for i, bound in enumerate(bounds):
        truth = task_optimum(data, bound["task"], penalty, standardize, [c * units for c in bound["costs"]])
        tolerance = 1e-9 * max(abs(truth), 1)
        check(f"{name} task bound {i} ≤ task optimum", bound["bound"] * units <= truth + tolerance,
              f"stated {bound['bound'] * units:.12g}, brute force {truth:.12g}")
        value = scip_optimum(master.with_name(f"{master.stem}.task{i}.mps"))
        check(f"{name} task master {i} reaches its bound", value >= bound["bound"] - tolerance / units,
              f"SCIP {value:.12g} ≥ stated {bound['bound']:.12g} (solver units)")


def scip_optimum(path):
    model = Model()
    model.hideOutput()
    model.readProblem(str(path))
    model.setParam("numerics/feastol", 1e-9)
    model.setParam("limits/gap", 1e-10)
    model.setParam("limits/time", 120)
    model.optimize()
    if model.getStatus() != "optimal":
        raise RuntimeError(f"SCIP status {model.getStatus()} on {path}")
    return model.getObjVal()


def mps_columns(path):
    """The column names of an MPS file's COLUMNS section (integer markers left out)."""
    names, section = set(), None
    for line in Path(path).read_text().splitlines():
        if not line.startswith(" "):
            section = line.split()[0]
        elif section == "COLUMNS" and "'MARKER'" not in line:
            names.add(line.split()[0])
    return names


def run(binary, *arguments):
    result = subprocess.run([binary, *map(str, arguments)], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, arguments))}: exit {result.returncode}: {result.stderr.strip()}")
    return result


CASES = [
    # name, K, n, p, penalty, graph, standardize, forms
    ("l0l2-k1", 1, 14, 5, {"sparsity": 2, "ridge": 0.1, "bbar": 0, "zbar": 0, "big_m": None}, None, False, ["perspective"]),
    ("zbar-k2", 2, 12, 5, {"sparsity": 2, "ridge": 0.5, "bbar": 0, "zbar": 0.3, "big_m": None}, None, False, ["perspective"]),
    ("bbar-k2-std", 2, 12, 5, {"sparsity": 2, "ridge": 0.2, "bbar": 0.3, "zbar": 0, "big_m": None}, None, True, ["perspective"]),
    ("both-k3", 3, 10, 4, {"sparsity": 2, "ridge": 0.3, "bbar": 0.2, "zbar": 0.4, "big_m": None}, None, False, ["perspective"]),
    ("chain-k3", 3, 10, 4, {"sparsity": 2, "ridge": 0.2, "bbar": 0.5, "zbar": 0.2, "big_m": None},
     [(0, 1, 1.0), (1, 2, 0.5)], False, ["perspective"]),
    ("box-k2", 2, 12, 4, {"sparsity": 2, "ridge": 0.05, "bbar": 0, "zbar": 0.2, "big_m": 0.4}, None, False, ["perspective", "bigm"]),
    ("box-both-k2", 2, 10, 4, {"sparsity": 2, "ridge": 0.1, "bbar": 0.3, "zbar": 0.1, "big_m": 0.6}, None, False, ["perspective", "bigm"]),
    ("box-ridge0-k2", 2, 12, 4, {"sparsity": 2, "ridge": 0, "bbar": 0.1, "zbar": 0, "big_m": 0.5}, None, False, ["bigm"]),
    ("box-k3", 3, 10, 3, {"sparsity": 1, "ridge": 0.1, "bbar": 0.1, "zbar": 0.3, "big_m": 0.5}, None, False, ["perspective", "bigm"]),
]


def main():
    binary = sys.argv[1]
    passed = failed = 0

    def check(name, ok, detail):
        nonlocal passed, failed
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
        passed, failed = passed + ok, failed + (not ok)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed, (name, K, n, p, penalty, graph, standardize, forms) in enumerate(CASES, start=11):
            data = write_case(folder, name, K, n, p, seed, penalty, graph, standardize)
            optimum = brute_force(data, penalty, graph, standardize)
            instance = folder / f"{name}.json"
            for form in forms:
                for loss in ("gram", "residual"):
                    mps = folder / f"{name}-{form}-{loss}.mps"
                    run(binary, "export", instance, "--problem", "miqp", "--form", form, "--loss", loss, "--output", mps)
                    value = scip_optimum(mps)
                    check(f"{name} MIQP {form}/{loss}", abs(value - optimum) <= RELATIVE * abs(optimum),
                          f"SCIP {value:.12g}, brute force {optimum:.12g}")
                    with open(mps.with_suffix(".map.csv"), newline="") as f:
                        mapped = {row["column"] for row in csv.DictReader(f)}
                    names = mps_columns(mps)
                    check(f"{name} mapping {form}/{loss}", mapped == names,
                          f"{len(mapped)} mapped, {len(names)} columns in the MPS")

            certificate = folder / f"{name}-cert.json"
            run(binary, "solve", instance, "--method", "exact", "--quiet", "--output", folder / f"{name}-result.json",
                "--certificate", certificate)
            cert = json.loads(certificate.read_text())
            lower = cert["lower_bound"]
            units = cert.get("scaling", {}).get("response", 1.0) ** 2  # the master's values are F / t²
            for fmt in ("free", "fixed"):
                master = folder / f"{name}-master-{fmt}.mps"
                run(binary, "export", "--certificate", certificate, "--problem", "master", "--mps-format", fmt, "--output", master)
                value = scip_optimum(master) * units
                tolerance = 1e-9 * abs(optimum)
                check(f"{name} master ({fmt} MPS)", lower - tolerance <= value <= optimum + tolerance,
                      f"certificate LB {lower:.12g} ≤ SCIP {value:.12g} ≤ optimum {optimum:.12g}")

            if penalty["bbar"] == 0 and K > 1:
                check_task_bounds(binary, folder, name, instance, data, penalty, standardize, check)

    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
