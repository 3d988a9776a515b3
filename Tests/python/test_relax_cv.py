"""relax --folds: cross-validation of GenGL over γ, checked against scikit-learn.

The oracle: with the lasso preset the tasks are fitted independently, and per task GenGL's
(1/n)‖ỹ − X̃w‖² + γ‖w‖₁ is scikit-learn's Lasso at alpha = γ/2. With as many folds as rows per task
(leave-one-out) every fold holds out one row of each task, so the cv criterion (the mean over folds
of the mean over tasks of the held-out MSE) is the mean over all rows of the leave-one-out squared
error, whatever the row shuffle: scikit-learn's LeaveOneOut gives the same numbers. Then the chosen
model is predicted by `sparsemtl predict`, and the 1se rule must pick the largest γ within one
standard error."""
import json
import os
import subprocess
from pathlib import Path

import numpy as np
from sklearn.linear_model import Lasso
from sklearn.model_selection import LeaveOneOut

BINARY = os.environ.get("SPARSEMTL_BIN", str(Path(__file__).resolve().parents[2] / ".build" / "debug" / "sparsemtl"))
N, P, K = 12, 5, 2


def data(tmp_path):
    rng = np.random.default_rng(11)
    tasks = []
    rows = []
    for k in range(K):
        x = rng.standard_normal((N, P))
        y = 1.5 * x[:, 0] - (k + 1) * x[:, 2] + 0.8 * rng.standard_normal(N)
        tasks.append((x, y))
        rows += [[f"t{k}", repr(float(yi)), *map(lambda v: repr(float(v)), xi)] for yi, xi in zip(y, x)]
    path = tmp_path / "d.csv"
    path.write_text("task,y," + ",".join(f"x{j}" for j in range(P)) + "\n" + "\n".join(",".join(r) for r in rows) + "\n")
    return path, tasks


def loo_errors(tasks, gamma):
    """For row i: the mean over tasks of the leave-one-out squared error of their row i."""
    errors = np.zeros(N)
    for x, y in tasks:
        for train, test in LeaveOneOut().split(x):
            model = Lasso(alpha=gamma / 2, tol=1e-12, max_iter=1_000_000).fit(x[train], y[train])
            errors[test[0]] += (model.predict(x[test])[0] - y[test[0]]) ** 2 / K
    return errors


def test_cross_validated_gamma_matches_scikit_learn(tmp_path):
    path, tasks = data(tmp_path)
    gammas = [2.0, 0.8, 0.3, 0.1, 0.02]
    out = tmp_path / "cv.json"
    subprocess.run([BINARY, "relax", "--data", str(path), "--preset", "lasso", "--gamma", ",".join(map(str, gammas)),
                    "--folds", str(N), "--gap", "1e-8", "--output", str(out)], check=True, capture_output=True)
    result = json.loads(out.read_text())
    assert [row["gamma"] for row in result["table"]] == gammas
    means = []
    for row in result["table"]:
        errors = loo_errors(tasks, row["gamma"])
        # Which rows of the two tasks share a fold depends on the shuffle: the mean does not.
        np.testing.assert_allclose(row["mean_error"], errors.mean(), rtol=1e-6)
        means.append(errors.mean())
    best = int(np.argmin(means))
    assert result["chosen"]["index"] == best and result["chosen"]["gamma"] == gammas[best]

    # The model is the chosen γ refitted on all rows: predict reproduces scikit-learn's fit.
    csv = subprocess.run([BINARY, "predict", "--model", str(out), "--data", str(path)], check=True, capture_output=True, text=True).stdout
    predictions = np.array([float(line.split(",")[2]) for line in csv.strip().splitlines()[1:]])
    expected = np.concatenate([Lasso(alpha=gammas[best] / 2, tol=1e-12, max_iter=1_000_000).fit(x, y).predict(x) for x, y in tasks])
    np.testing.assert_allclose(predictions, expected, rtol=1e-6, atol=1e-6)

    # 1se: the largest γ whose mean is within one standard error of the minimum.
    subprocess.run([BINARY, "relax", "--data", str(path), "--preset", "lasso", "--gamma", ",".join(map(str, gammas)),
                    "--folds", str(N), "--gap", "1e-8", "--rule", "1se", "--output", str(out)], check=True, capture_output=True)
    ses = [json.loads(out.read_text())["table"][i]["standard_error"] for i in range(len(gammas))]
    within = [i for i in range(len(gammas)) if means[i] <= means[best] + ses[best]]
    assert json.loads(out.read_text())["chosen"]["gamma"] == max(gammas[i] for i in within)
