"""Checking a user's arrays and handing them to the binary as a `.npz` archive."""
import numpy as np
from sklearn.utils.validation import validate_data


def check_fit_data(estimator, X, y, tasks):
    """Validates X, y (and task labels) before the binary is called, the scikit-learn way (sets
    `n_features_in_` and, for a DataFrame, `feature_names_in_`). Returns (X, Y, labels, order, single):
    Y is n × K for the shared form (labels None), or y (n) with one label per row for the long form,
    `order` the task labels in order of first appearance, `single` whether y was one column
    without task labels (one task: coefficients as a vector)."""
    X, y = validate_data(estimator, X, y, multi_output=True, y_numeric=True, dtype=np.float64, ensure_min_samples=2)
    if tasks is None:
        return X, (y.reshape(-1, 1) if y.ndim == 1 else y), None, None, y.ndim == 1
    if y.ndim != 1:
        raise ValueError(f"with tasks=, y must be one response per row (shape (n,)), got shape {y.shape}")
    labels = np.asarray(tasks)
    if labels.shape != (X.shape[0],):
        raise ValueError(f"tasks must give one label per row of X ({X.shape[0]}), got shape {labels.shape}")
    order = list(dict.fromkeys(labels.tolist()))
    counts = {label: 0 for label in order}
    for label in labels.tolist():
        counts[label] += 1
    small = [label for label in order if counts[label] < 2]
    if small:
        raise ValueError(f"task {small[0]!r} has 1 sample; each task needs at least 2 rows")
    return X, y, labels, order, False


def feature_names(estimator, p):
    """The names the binary gets: the DataFrame's columns, else x1 … xp."""
    names = getattr(estimator, "feature_names_in_", None)
    return [str(name) for name in names] if names is not None else [f"x{j + 1}" for j in range(p)]


def write_npz(path, X, Y, labels, features, task_names):
    """The binary's exchange format: shared design (X, Y, tasks) or long form (X, y, task)."""
    if labels is None:
        np.savez(path, X=X, Y=Y, tasks=np.array(task_names, dtype=str), features=np.array(features, dtype=str))
    else:
        np.savez(path, X=X, y=Y, task=np.array([str(label) for label in labels.tolist()], dtype=str),
                 features=np.array(features, dtype=str))
