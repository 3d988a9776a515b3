"""GenGL recovery along its γ path: the seed paper's three synthetic scenarios (Instances/gengl-*,
K = 8 tasks, p = 100, n = 50 per task, 10 true features per task), each fitted with every preset.

For each (scenario, preset): `sparsemtl relax INSTANCE --preset P --path-points 20` (the path from
γ_max down to γ_max/1000, each point to a 1e-6 duality gap), and `relax --folds 5` over the same
γ grid (the cross-validated choice, refitted on all rows). Measured against the generator's true
coefficients W* (original units, *_truth.csv):
  - support F1 of the fit's reported support (|w_jk|·sd(x_jk) > 1e-3·sd(y_k)) against W*'s nonzeros;
  - coefficient error ‖W − W*‖_F / ‖W*‖_F.
Printed per row: the best F1 along the path (and its γ as a fraction of γ_max), the smallest error
along the path, F1 and error at the cross-validated γ, and the seconds of the path and of the cv.
The best-along-the-path columns use the truth (an oracle choice); the cv columns do not.

Usage: python Benchmarks/gengl_recovery.py PATH/TO/sparsemtl     (make bench-gengl-recovery)
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ["gengl-group-lasso", "gengl-metag", "gengl-rmtfl"]
PRESETS = ["lasso", "group-lasso", "metag", "rmtfl", "ssmtl-m"]


def scores(point, truth):
    w = np.array(point["coefficients"])
    chosen = np.zeros(truth.shape, dtype=bool)
    for k, features in enumerate(point["support"]):
        chosen[features, k] = True
    true = truth != 0
    hits = np.sum(chosen & true)
    f1 = 2 * hits / max(chosen.sum() + true.sum(), 1)
    return f1, np.linalg.norm(w - truth) / np.linalg.norm(truth)


def timed(args):
    start = time.perf_counter()
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if done.returncode not in (0, 3):  # 3: some fit stopped at its iteration limit (said in the table)
        sys.exit(f"failed ({done.returncode}): {' '.join(map(str, args))}\n{done.stderr}")
    return time.perf_counter() - start


def main():
    binary = sys.argv[1]
    print(f"{'scenario':18} {'preset':12} {'best F1':>8} {'at γ/γ_max':>10} {'min error':>10} {'cv F1':>6} "
          f"{'cv error':>9} {'cv γ/γ_max':>10} {'limits':>6} {'path s':>7} {'cv s':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in SCENARIOS:
            instance = ROOT / "Instances" / f"{scenario}.json"
            truth = np.loadtxt(ROOT / "Instances" / f"{scenario}_truth.csv", delimiter=",", skiprows=1)
            for preset in PRESETS:
                path_file, cv_file = Path(tmp) / "path.json", Path(tmp) / "cv.json"
                path_seconds = timed([binary, "relax", instance, "--preset", preset, "--path-points", 20, "--output", path_file])
                path = json.loads(path_file.read_text())["path"]
                gammas = [p["gengl"]["gamma"] for p in path]
                top = gammas[0]
                results = [scores(p, truth) for p in path]
                best = max(range(len(path)), key=lambda i: (results[i][0], -i))
                cv_seconds = timed([binary, "relax", instance, "--preset", preset, "--gamma", ",".join(repr(g) for g in gammas),
                                    "--folds", 5, "--output", cv_file])
                cv = json.loads(cv_file.read_text())
                cv_f1, cv_error = scores(cv["model"], truth)
                limits = sum(p["status"] != "converged" for p in path) + cv.get("fits_short_of_gap", 0)
                print(f"{scenario:18} {preset:12} {results[best][0]:8.3f} {gammas[best] / top:10.3g} "
                      f"{min(r[1] for r in results):10.3f} {cv_f1:6.3f} {cv_error:9.3f} {cv['chosen']['gamma'] / top:10.3g} "
                      f"{limits:6d} {path_seconds:7.1f} {cv_seconds:6.1f}", flush=True)


if __name__ == "__main__":
    main()
