"""Independent check of `sparsemtl evaluate`: F of DESIGN.md section 1 recomputed with numpy
from the raw CSV files (own CSV reading, centring, Laplacian form of the graph terms), on
generated instances with all four terms active, K = 1 and K > 1, default and custom graphs,
with and without standardisation. Prints 'N passed, N failed' and exits non-zero on a failure.

Usage: python check_objective.py PATH/TO/sparsemtl
"""
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

TOLERANCE = 1e-9


def read_long_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t, y = header.index("task"), header.index("y")
    features = [c for c in range(len(header)) if c not in (t, y)]
    labels, data = [], {}
    for r in body:
        if r[t] not in data:
            labels.append(r[t])
            data[r[t]] = []
        data[r[t]].append([float(r[y])] + [float(r[c]) for c in features])
    return labels, [np.array(data[k]) for k in labels]


def objective(instance_path, coefficient_path, graph_path, standardize):
    folder = Path(instance_path).parent
    spec = json.loads(Path(instance_path).read_text())
    labels, tables = read_long_csv(folder / spec["data"])
    K = len(labels)
    with open(coefficient_path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == labels
    B = np.array([[float(v) for v in r] for r in rows[1:]])  # p x K, original units
    pen = spec["penalty"]
    X = [tab[:, 1:] - tab[:, 1:].mean(axis=0) for tab in tables]
    Y = [tab[:, 0] - tab[:, 0].mean() for tab in tables]
    scale = np.ones(B.shape[0])
    if standardize:
        pooled = sum((x ** 2).sum(axis=0) for x in X) / sum(len(x) for x in X)
        scale = np.where(pooled > 0, np.sqrt(pooled), 1.0)
    Bm = B * scale[:, None]  # model scale
    loss = sum(np.sum((Y[k] - (X[k] / scale) @ Bm[:, k]) ** 2) / len(Y[k]) for k in range(K))
    W = np.full((K, K), 1.0 / K)
    if graph_path:
        W = np.zeros((K, K))
        with open(graph_path, newline="") as f:
            for r in list(csv.DictReader(f)):
                a, b = labels.index(r["task_a"]), labels.index(r["task_b"])
                W[a, b] = W[b, a] = float(r["weight"])
    np.fill_diagonal(W, 0)
    L = np.diag(W.sum(axis=1)) - W
    Z = (B != 0).astype(float)
    return (loss + pen["ridge"] * np.sum(Bm ** 2) + pen["bbar"] * np.trace(Bm @ L @ Bm.T)
            + pen["zbar"] * np.trace(Z @ L @ Z.T))


def main():
    binary = str(Path(sys.argv[1]).resolve())
    passed = failed = 0
    cases = [  # tasks, features, graph, standardize
        (1, 12, False, False), (3, 15, False, False), (4, 10, True, False), (3, 9, False, True), (5, 20, True, True)]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (K, p, with_graph, standardize) in enumerate(cases):
            name = f"case{i}"
            subprocess.run([binary, "generate", "--tasks", str(K), "--features", str(p), "--samples", "25",
                            "--seed", str(100 + i), "--name", name, "--output-directory", tmp,
                            "--ridge", "0.3", "--bbar", "0.7", "--zbar", "0.45"], check=True, capture_output=True)
            instance = Path(tmp) / f"{name}.json"
            truth = Path(tmp) / f"{name}_truth.csv"
            args = [binary, "evaluate", str(instance), "--coefficients", str(truth), "--json"]
            graph = None
            if with_graph:
                graph = Path(tmp) / f"{name}_graph.csv"
                tasks = [f"t{k + 1}" for k in range(K)]
                lines = ["task_a,task_b,weight"] + [f"{tasks[k]},{tasks[k + 1]},{0.5 + k}" for k in range(K - 1)]
                lines.append(f"{tasks[0]},{tasks[-1]},2.25")
                graph.write_text("\n".join(lines) + "\n")
                args += ["--task-graph", str(graph)]
            if standardize:
                args.append("--standardize")
            got = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)["objective"]
            want = objective(instance, truth, graph, standardize)
            ok = abs(got - want) <= TOLERANCE * max(1.0, abs(want))
            label = f"K={K} p={p} graph={'custom' if with_graph else 'complete'} standardize={standardize}"
            print(f"{'ok  ' if ok else 'FAIL'} {label}: sparsemtl {got:.15g}, numpy {want:.15g}")
            passed += ok
            failed += not ok
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
