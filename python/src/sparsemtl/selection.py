"""SparseMTLCV: penalties chosen by the binary's `cv` command."""
import numpy as np

from .estimator import SparseMTLRegressor


class SparseMTLCV(SparseMTLRegressor):
    """Cross-validation over s, α, δ and λ inside every task (`sparsemtl cv`), then a refit of the
    chosen penalty on all the data. Grids left at None are the binary's automatic grids (which
    include 0; see `sparsemtl cv --help`); `max_sparsity` caps s (automatic: 30).

    Parameters
    ----------
    max_sparsity : int or None.
    ridge_grid, zbar_grid, bbar_grid : sequences of values ≥ 0, or None (automatic).
    folds, repeats, seed : the folds inside each task, independent splits averaged, their seed.
    rule : "min" (smallest mean error, the default) or "1se".
    threads : threads for the folds (None: all cores).
    task_graph, standardize, big_m : as in SparseMTLRegressor.

    Attributes
    ----------
    cv_results_ : dict of arrays, one entry per grid point: sparsity, ridge, zbar, bbar,
        mean_error, standard_error.
    best_params_ : the chosen sparsity, ridge, zbar, bbar.
    best_estimator_ : a SparseMTLRegressor with those parameters, fitted (the binary's refit).
    coef_, intercept_, support_, tasks_, objective_, status_ : the refit's, as in SparseMTLRegressor.
    """

    def __init__(self, max_sparsity=None, ridge_grid=None, zbar_grid=None, bbar_grid=None, folds=5, repeats=1, seed=1,
                 rule="min", threads=None, task_graph=None, standardize=True, big_m=None):
        self.max_sparsity = max_sparsity
        self.ridge_grid = ridge_grid
        self.zbar_grid = zbar_grid
        self.bbar_grid = bbar_grid
        self.folds = folds
        self.repeats = repeats
        self.seed = seed
        self.rule = rule
        self.threads = threads
        self.task_graph = task_graph
        self.standardize = standardize
        self.big_m = big_m

    def fit(self, X, y, tasks=None):
        """Runs cross-validation and refits the chosen penalty; `tasks` selects the long form."""
        if self.rule not in ("min", "1se"):
            raise ValueError(f"rule must be 'min' or '1se', got {self.rule!r}")
        arguments = ["--folds", self.folds, "--repeats", self.repeats, "--seed", self.seed, "--rule", self.rule]
        for flag, values in (("--ridge-grid", self.ridge_grid), ("--zbar-grid", self.zbar_grid), ("--bbar-grid", self.bbar_grid)):
            if values is not None:
                arguments += [flag, ",".join(repr(float(v)) for v in np.atleast_1d(values))]
        if self.max_sparsity is not None:
            arguments += ["--max-sparsity", self.max_sparsity]
        if self.threads is not None:
            arguments += ["--threads", self.threads]
        result, names = self._run_binary("cv", X, y, tasks, arguments)
        table = result["table"]
        self.cv_results_ = {key: np.array([row[key] for row in table])
                            for key in ("sparsity", "ridge", "zbar", "bbar", "mean_error", "standard_error")}
        chosen = result["chosen"]
        self.best_params_ = {key: chosen[key] for key in ("sparsity", "ridge", "zbar", "bbar")}
        self.best_index_ = chosen["index"]
        self._set_result(result["model"], names)
        best = SparseMTLRegressor(**self.best_params_, big_m=self.big_m, task_graph=self.task_graph, standardize=self.standardize)
        best._single_output = self._single_output
        best._set_result(result["model"], names)
        best.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            best.feature_names_in_ = self.feature_names_in_
        self.best_estimator_ = best
        return self
