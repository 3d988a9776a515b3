"""SparseMTLRegressor: one sparse multi-task fit by the `sparsemtl` binary."""
import csv
import json
import tempfile
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _binary, _data


class SparseMTLRegressor(RegressorMixin, BaseEstimator):
    """Sparse multi-task least squares: at most `sparsity` features per task, with

        F = Σ_k (1/n_k)‖y_k − X_k β_k‖² + α‖B‖²_F + λ Σ_{k<l} w_kl‖β_k − β_l‖² + δ Σ_{k<l} w_kl‖z_k − z_l‖²

    (α = `ridge`, λ = `bbar`, δ = `zbar`, z_k the support of β_k, w the task graph; intercepts
    unpenalised), fitted by the binary's heuristic or its exact solver, which proves a lower bound.

    Two data layouts: ``fit(X, Y)`` with Y of shape (n, K) (every task on the same rows, a shared
    design; y of shape (n,) is one task), or ``fit(X, y, tasks=labels)`` with one task label per
    row (the long form).

    Parameters
    ----------
    sparsity : int, s ≥ 1, the most features per task.
    ridge, zbar, bbar : float ≥ 0, the weights α, δ, λ.
    big_m : float or None, a box |β_jk| ≤ M on the model's scale (needed by the exact solver when
        ridge is 0).
    task_graph : None (complete graph, w = 1/K), "learned", a path to a task-graph CSV, or a K × K
        array of weights (in the order of the tasks).
    standardize : bool, scale features by their pooled within-task standard deviation
        (coefficients are reported in original units).
    method : "heuristic" or "exact".
    gap, time_limit : the exact solver's relative gap and time limit in seconds (None: its defaults).
    certificate : path where an exact fit writes its certificate (None: not kept); the data it
        refers to is kept beside it as CERTIFICATE.data.npz, so `verify` can re-check it later.

    Attributes
    ----------
    coef_ : (p, K) coefficients in original units, one column per task ((p,) for one task).
    intercept_ : (K,) intercepts (a float for one task).
    support_ : boolean mask of coef_'s shape, the selected features.
    tasks_ : the task labels in the binary's order (column k of coef_).
    objective_ : F of the returned coefficients.
    lower_bound_, gap_ : the certified lower bound and relative gap (exact fits; None otherwise).
    status_ : the solver's status (local_optimum, optimal, gap_limit, time_limit, …).
    certificate_ : the certificate's path (exact fits with `certificate`), else None.
    n_features_in_, feature_names_in_ : as in scikit-learn.
    """

    def __init__(self, sparsity=10, ridge=0.0, zbar=0.0, bbar=0.0, big_m=None, task_graph=None, standardize=True,
                 method="heuristic", gap=None, time_limit=None, certificate=None):
        self.sparsity = sparsity
        self.ridge = ridge
        self.zbar = zbar
        self.bbar = bbar
        self.big_m = big_m
        self.task_graph = task_graph
        self.standardize = standardize
        self.method = method
        self.gap = gap
        self.time_limit = time_limit
        self.certificate = certificate

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags

    # ----- fitting -----

    def fit(self, X, y, tasks=None):
        """Fits the model; `tasks` (one label per row) selects the long form."""
        if self.method not in ("heuristic", "exact"):
            raise ValueError(f"method must be 'heuristic' or 'exact', got {self.method!r}")
        if not (isinstance(self.sparsity, (int, np.integer)) and self.sparsity >= 1):
            raise ValueError(f"sparsity must be an integer ≥ 1, got {self.sparsity!r}")
        keep = self.method == "exact" and self.certificate is not None
        arguments = ["--sparsity", self.sparsity, "--ridge", float(self.ridge), "--zbar", float(self.zbar), "--bbar", float(self.bbar),
                     "--method", self.method]
        if keep:
            arguments += ["--certificate", Path(self.certificate).resolve()]
        if self.method == "exact" and self.gap is not None:
            arguments += ["--gap", self.gap]
        if self.time_limit is not None:
            arguments += ["--time-limit", self.time_limit]
        # An exact fit's certificate refers to its data: that file is kept beside it.
        data = Path(str(Path(self.certificate).resolve()) + ".data.npz") if keep else None
        result, names = self._run_binary("solve", X, y, tasks, arguments, accept=(0, 3), data=data)
        self._set_result(result, names)
        self.certificate_ = str(Path(self.certificate).resolve()) if keep else None
        return self

    def _run_binary(self, command, X, y, tasks, arguments, accept=(0,), data=None):
        """Checks X, y (and task labels), hands them to `sparsemtl COMMAND` as a .npz archive (in a
        temporary folder removed afterwards, also on Ctrl-C; at `data` when given) with the problem
        flags and `arguments`, and returns its result JSON and the task names (labels in order of
        first appearance, or y1 … yK for the shared form)."""
        X, Y, labels, order, self._single_output = _data.check_fit_data(self, X, y, tasks)
        names = order if labels is not None else [f"y{k + 1}" for k in range(Y.shape[1])]
        with tempfile.TemporaryDirectory(prefix="sparsemtl-") as folder:
            folder = Path(folder)
            data = data or folder / "data.npz"
            _data.write_npz(data, X, Y, labels, _data.feature_names(self, X.shape[1]), [str(n) for n in names])
            _binary.run([command, "--data", data, "--output", folder / "result.json", "--quiet",
                         *self._problem_flags(folder, [str(n) for n in names]), *arguments], accept=accept)
            return json.loads((folder / "result.json").read_text()), names

    def _problem_flags(self, folder, names):
        """The flags besides the penalty: standardisation, the box, the task graph (a weight array
        is written as a graph CSV into `folder`)."""
        flags = ["--standardize" if self.standardize else "--no-standardize"]
        if self.big_m is not None:
            flags += ["--big-m", float(self.big_m)]
        graph = self.task_graph
        if graph is not None:
            if isinstance(graph, str) and graph == "learned":
                flags += ["--task-graph", "learned"]
            elif isinstance(graph, (str, Path)):
                flags += ["--task-graph", Path(graph).resolve()]
            else:
                weights = np.asarray(graph, dtype=float)
                if weights.shape != (len(names), len(names)):
                    raise ValueError(f"task_graph must be {len(names)} × {len(names)} (one row per task), got {weights.shape}")
                with open(folder / "graph.csv", "w", newline="") as f:
                    out = csv.writer(f)
                    out.writerow(["task_a", "task_b", "weight"])
                    out.writerows([names[a], names[b], repr(float(weights[a, b]))]
                                  for a in range(len(names)) for b in range(a + 1, len(names)) if weights[a, b] != 0)
                flags += ["--task-graph", folder / "graph.csv"]
        return flags

    def _set_result(self, result, names):
        """Fitted attributes from a result JSON (a solve result, or a cv result's model)."""
        coef = np.array(result["coefficients"], dtype=float).reshape(-1, len(names))
        intercept = np.array(result["intercepts"], dtype=float)
        self.tasks_ = list(names)
        self.coef_ = coef[:, 0] if self._single_output else coef
        self.intercept_ = float(intercept[0]) if self._single_output else intercept
        self.support_ = self.coef_ != 0
        self.objective_ = result["objective"]
        self.lower_bound_ = result.get("lower_bound")
        self.gap_ = result.get("gap")
        self.status_ = result["status"]

    # ----- predicting -----

    def predict(self, X, tasks=None):
        """b0_k + xᵀβ_k: for the shared form an (n, K) array ((n,) for one task); for the long
        form, one prediction per row of its task (`tasks` required)."""
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        coef = self.coef_.reshape(X.shape[1], -1)
        intercept = np.atleast_1d(self.intercept_)
        if tasks is None:
            out = X @ coef + intercept
            return out[:, 0] if self._single_output else out
        labels = np.asarray(tasks)
        if labels.shape != (X.shape[0],):
            raise ValueError(f"tasks must give one label per row of X ({X.shape[0]}), got shape {labels.shape}")
        index = {label: k for k, label in enumerate(self.tasks_)}
        unknown = [label for label in dict.fromkeys(labels.tolist()) if label not in index]
        if unknown:
            raise ValueError(f"task {unknown[0]!r} is not one of the fitted tasks {self.tasks_}")
        columns = np.array([index[label] for label in labels.tolist()], dtype=int)
        return np.einsum("ij,ji->i", X, coef[:, columns]) + intercept[columns]

    def score(self, X, y, tasks=None, sample_weight=None):
        """R² of the predictions (pooled over rows for the long form)."""
        return r2_score(y, self.predict(X, tasks=tasks), sample_weight=sample_weight)
