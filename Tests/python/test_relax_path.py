"""relax without --gamma: a geometric path from γ_max down to γ_max/1000, γ_max (the smallest γ at
which W = 0 is optimal: the penalty's dual norm of the gradient at 0) recomputed here with numpy from
the data (f = Σ_k (1/n_k)‖ỹ_k − X̃_k w_k‖², centred): max_jk |∇_jk f(0)| for the lasso, max_j ‖∇_j f(0)‖₂
for the group lasso; and checked to be the edge of W = 0 by fits just above and below it."""
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
    for preset, start in [("lasso", np.max(np.abs(gradient))), ("group-lasso", np.max(np.linalg.norm(gradient, axis=1)))]:
        subprocess.run([BINARY, "relax", "--data", str(tmp_path / "d.csv"), "--preset", preset, "--path-points", "5",
                        "--output", str(tmp_path / "r.json")], check=True, capture_output=True)
        gammas = [point["gengl"]["gamma"] for point in json.loads((tmp_path / "r.json").read_text())["path"]]
        np.testing.assert_allclose(gammas, start * np.logspace(0, -3, 5), rtol=1e-10)
        # W = 0 at 1.001·γ_max, not at 0.99·γ_max.
        for factor, zero in [(1.001, True), (0.99, False)]:
            subprocess.run([BINARY, "relax", "--data", str(tmp_path / "d.csv"), "--preset", preset, "--gamma", repr(float(factor * start)),
                            "--gap", "1e-10", "--output", str(tmp_path / "p.json")], check=True, capture_output=True)
            w = np.array(json.loads((tmp_path / "p.json").read_text())["coefficients"])
            assert (np.max(np.abs(w)) < 1e-12) == zero, (preset, factor, np.max(np.abs(w)))
