"""The Python client against independent oracles: numpy's algebra, least squares in closed form,
the CLI run by hand on the same data, and scikit-learn's own estimator checks."""
import csv
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

import sparsemtl
from sparsemtl import SparseMTLCV, SparseMTLRegressor, find_binary


def shared_data(seed=0, n=60, p=10, tasks=3, noise=0.3):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    b = np.zeros((p, tasks))
    b[[0, 3, 5], :] = rng.uniform(0.5, 2, (3, tasks))
    return x, x @ b + noise * rng.standard_normal((n, tasks)) + np.arange(tasks)


def write_long_csv(path, x, y, labels):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["task", "y"] + [f"x{j + 1}" for j in range(x.shape[1])])
        for label, yi, row in zip(labels, y, x):
            out.writerow([label, repr(float(yi))] + [repr(float(v)) for v in row])


def test_predictions_equal_numpy_algebra():
    x, y = shared_data()
    model = SparseMTLRegressor(sparsity=3, ridge=0.01, bbar=0.1).fit(x, y)
    assert model.coef_.shape == (10, 3) and model.intercept_.shape == (3,)
    np.testing.assert_allclose(model.predict(x), x @ model.coef_ + model.intercept_, rtol=1e-12, atol=0)
    assert np.array_equal(model.support_, model.coef_ != 0)
    assert (model.support_.sum(axis=0) <= 3).all()


def test_full_support_without_penalties_is_least_squares_per_task():
    # s = p, α = δ = λ = 0: each task's OLS fit with an intercept (closed form, by numpy).
    x, y = shared_data(n=40, p=6)
    model = SparseMTLRegressor(sparsity=6, standardize=False).fit(x, y)
    design = np.column_stack([np.ones(len(x)), x])
    solution = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(model.coef_, solution[1:], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(model.intercept_, solution[0], rtol=1e-8, atol=1e-10)


def test_python_and_cli_fits_are_identical_on_the_same_data(tmp_path):
    x, y = shared_data(seed=3)
    labels = np.repeat(["s1", "s2", "s3"], 20)
    rows = np.arange(60)
    model = SparseMTLRegressor(sparsity=2, ridge=0.01, zbar=0.05).fit(x, y[rows, rows // 20], tasks=labels)
    write_long_csv(tmp_path / "d.csv", x, y[rows, rows // 20], labels)
    subprocess.run([find_binary(), "solve", "--data", tmp_path / "d.csv", "--sparsity", "2", "--ridge", "0.01", "--zbar", "0.05",
                    "--standardize", "--output", tmp_path / "r.json", "--quiet"], check=True)
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["tasks"] == model.tasks_
    assert np.array_equal(np.array(result["coefficients"]), model.coef_)
    assert np.array_equal(np.array(result["intercepts"]), model.intercept_)
    assert result["objective"] == model.objective_
    # predict --score with the model file gives the same predictions as the estimator.
    out = subprocess.run([find_binary(), "predict", "--model", tmp_path / "r.json", "--data", tmp_path / "d.csv"],
                         check=True, capture_output=True, text=True).stdout.splitlines()[1:]
    cli = np.array([float(line.split(",")[-1]) for line in out])
    np.testing.assert_allclose(cli, model.predict(x, tasks=labels), rtol=1e-12, atol=1e-12)


def test_long_and_shared_forms_give_the_same_fit():
    x, y = shared_data(seed=4, n=30)
    shared = SparseMTLRegressor(sparsity=3, bbar=0.2).fit(x, y)
    stacked_x = np.vstack([x, x, x])
    stacked_y = np.concatenate([y[:, 0], y[:, 1], y[:, 2]])
    labels = np.repeat(["y1", "y2", "y3"], 30)
    long = SparseMTLRegressor(sparsity=3, bbar=0.2).fit(stacked_x, stacked_y, tasks=labels)
    np.testing.assert_allclose(long.coef_, shared.coef_, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(long.predict(stacked_x, tasks=labels), shared.predict(x).T.ravel(), rtol=1e-12)


def test_exact_fit_reports_a_certificate_that_verifies(tmp_path):
    x, y = shared_data(seed=5, n=40, p=8)
    model = SparseMTLRegressor(sparsity=2, ridge=0.05, method="exact", certificate=tmp_path / "c.json").fit(x, y)
    assert model.status_ == "optimal" and model.lower_bound_ <= model.objective_ + 1e-9 * abs(model.objective_)
    assert model.gap_ is not None and model.gap_ <= 1e-4
    assert sparsemtl.verify(model.certificate_)
    # A tampered certificate fails.
    text = Path(model.certificate_).read_text()
    document = json.loads(text)
    document["lower_bound"] = document["upper_bound"] * 2
    (tmp_path / "bad.json").write_text(json.dumps(document))
    assert not sparsemtl.verify(tmp_path / "bad.json")


def test_cv_chooses_the_tables_minimum_and_refits_it():
    x, y = shared_data(seed=6, n=50, p=8)
    cv = SparseMTLCV(max_sparsity=5, ridge_grid=[0, 0.01], zbar_grid=[0], bbar_grid=[0, 0.1], folds=4).fit(x, y)
    best = int(np.argmin(cv.cv_results_["mean_error"]))
    for key in ("sparsity", "ridge", "zbar", "bbar"):
        assert cv.best_params_[key] == cv.cv_results_[key][best]
    refit = SparseMTLRegressor(**cv.best_params_).fit(x, y)
    np.testing.assert_allclose(cv.best_estimator_.predict(x), refit.predict(x), rtol=1e-9, atol=1e-12)


def test_pipeline_and_grid_search():
    x, y = shared_data(seed=7)
    pipe = make_pipeline(StandardScaler(), SparseMTLRegressor(sparsity=3))
    assert pipe.fit(x, y).score(x, y) > 0.9
    search = GridSearchCV(SparseMTLRegressor(), {"sparsity": [1, 3, 6]}, cv=3).fit(x, y)
    assert search.best_params_["sparsity"] in (3, 6)


@pytest.mark.parametrize("estimator", [SparseMTLRegressor(sparsity=3),
                                       SparseMTLCV(max_sparsity=3, ridge_grid=[0.01], zbar_grid=[0], bbar_grid=[0], folds=3)])
def test_scikit_learn_estimator_checks(estimator):
    # check_array_api_input is skipped by scikit-learn itself unless SCIPY_ARRAY_API is set.
    results = check_estimator(estimator, on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"]
    assert failed == []


def test_bad_input_is_refused_before_the_binary():
    x, y = shared_data()
    bad = x.copy()
    bad[2, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SparseMTLRegressor().fit(bad, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        SparseMTLRegressor().fit(x, y[:-1])
    with pytest.raises(ValueError, match="one label per row"):
        SparseMTLRegressor().fit(x, y[:, 0], tasks=["a"] * 5)
    with pytest.raises(ValueError, match="has 1 sample"):
        SparseMTLRegressor().fit(x, y[:, 0], tasks=["a"] * 59 + ["b"])
    model = SparseMTLRegressor(sparsity=2).fit(x, y[:, 0], tasks=["a"] * 30 + ["b"] * 30)
    with pytest.raises(ValueError, match="not one of the fitted tasks"):
        model.predict(x[:2], tasks=["a", "c"])


def test_binary_errors_and_a_missing_binary_are_explained(monkeypatch):
    x, y = shared_data()
    with pytest.raises(sparsemtl.SparseMTLError, match="no such file"):
        SparseMTLRegressor(task_graph="/nonexistent/graph.csv").fit(x, y)
    monkeypatch.setenv("SPARSEMTL_BIN", "/nonexistent/sparsemtl")
    with pytest.raises(sparsemtl.BinaryNotFound, match="SPARSEMTL_BIN"):
        SparseMTLRegressor().fit(x, y)


def test_ctrl_c_leaves_no_temporary_files(monkeypatch, tmp_path):
    x, y = shared_data()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def interrupted(arguments, accept=(0,)):
        raise KeyboardInterrupt
    monkeypatch.setattr(sparsemtl._binary, "run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        SparseMTLRegressor().fit(x, y)
    assert list(tmp_path.iterdir()) == []
