"""relax without --gamma: a geometric path from γ_start = max_j ‖∇_j f(0)‖₂ down to γ_start/1000,
γ_start recomputed here with numpy from the data (f = Σ_k (1/n_k)‖ỹ_k − X̃_k w_k‖², centred)."""
import json
import os
import subprocess
from pathlib import Path

import numpy as np

BINARY = os.environ.get("SPARSEMTL_BIN", str(Path(__file__).resolve().parents[2] / ".build" / "debug" / "sparsemtl"))


def test_automatic_gamma_path(tmp_path):
    rng = np.random.default_rng(4)
    rows = []
    gradient = np.zeros((6, 3))
    for k in range(3):
        x = rng.standard_normal((25, 6))
        y = x[:, 0] * (k + 1) + rng.standard_normal(25)
        xc, yc = x - x.mean(axis=0), y - y.mean()
        gradient[:, k] = -2 / 25 * xc.T @ yc
        rows += [[f"t{k}", repr(float(yi)), *map(lambda v: repr(float(v)), xi)] for yi, xi in zip(y, x)]
    (tmp_path / "d.csv").write_text("task,y," + ",".join(f"x{j}" for j in range(6)) + "\n" + "\n".join(",".join(r) for r in rows) + "\n")
    subprocess.run([BINARY, "relax", "--data", str(tmp_path / "d.csv"), "--preset", "lasso", "--path-points", "5",
                    "--output", str(tmp_path / "r.json")], check=True, capture_output=True)
    gammas = [point["gengl"]["gamma"] for point in json.loads((tmp_path / "r.json").read_text())["path"]]
    start = np.max(np.linalg.norm(gradient, axis=1))
    np.testing.assert_allclose(gammas, start * np.logspace(0, -3, 5), rtol=1e-10)
