"""The binary's .npz input against its CSV input: numpy writes the archives (the independent
writer of the format), and the same numbers must give the same solve, digit for digit."""
import csv
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

BINARY = os.environ.get("SPARSEMTL_BIN", str(Path(__file__).resolve().parents[2] / ".build" / "debug" / "sparsemtl"))


def solve(data, folder, name, extra=()):
    out = folder / f"{name}.json"
    completed = subprocess.run([BINARY, "solve", "--data", str(data), "--sparsity", "3", "--ridge", "0.01", "--bbar", "0.1",
                                "--standardize", "--output", str(out), "--quiet", *extra], capture_output=True, text=True)
    return completed, (json.loads(out.read_text()) if completed.returncode == 0 else None)


def write_csv(path, x, y, labels, features):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["task", "y", *features])
        for label, yi, row in zip(labels, y, x):
            out.writerow([label, repr(float(yi)), *(repr(float(v)) for v in row)])


@pytest.fixture
def data():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((45, 7))
    y = x[:, 1] - 2 * x[:, 4] + rng.standard_normal(45)
    labels = np.array(["north", "south", "east"] * 15)
    return x, y, labels


def test_long_form_npz_equals_csv(tmp_path, data):
    x, y, labels = data
    features = [f"f{j}" for j in range(7)]
    write_csv(tmp_path / "d.csv", x, y, labels, features)
    np.savez(tmp_path / "d.npz", X=x, y=y, task=labels, features=np.array(features))
    np.savez(tmp_path / "fortran.npz", X=np.asfortranarray(x), y=y, task=labels, features=np.array(features))
    _, from_csv = solve(tmp_path / "d.csv", tmp_path, "csv")
    for name in ("d.npz", "fortran.npz"):
        completed, from_npz = solve(tmp_path / name, tmp_path, name)
        assert completed.returncode == 0, completed.stderr
        for key in ("tasks", "features", "objective", "coefficients", "intercepts", "support"):
            assert from_npz[key] == from_csv[key], key


def test_shared_design_npz_equals_its_long_form(tmp_path, data):
    x, _, _ = data
    rng = np.random.default_rng(3)
    ys = np.column_stack([x[:, 0] + rng.standard_normal(45), x[:, 0] - x[:, 2] + rng.standard_normal(45)])
    np.savez(tmp_path / "shared.npz", X=x, Y=ys, tasks=np.array(["a", "b"]))
    long_x = np.vstack([x, x])
    np.savez(tmp_path / "long.npz", X=long_x, y=np.concatenate([ys[:, 0], ys[:, 1]]), task=np.repeat(["a", "b"], 45))
    _, shared = solve(tmp_path / "shared.npz", tmp_path, "shared")
    _, long = solve(tmp_path / "long.npz", tmp_path, "long")
    assert shared["tasks"] == ["a", "b"] and shared["coefficients"] == long["coefficients"]


def test_integer_labels_and_float32_are_read(tmp_path, data):
    x, y, _ = data
    np.savez(tmp_path / "d.npz", X=x.astype(np.float32), y=y.astype(np.float32), task=np.arange(45) % 3)
    completed, result = solve(tmp_path / "d.npz", tmp_path, "f32")
    assert completed.returncode == 0, completed.stderr
    assert result["tasks"] == ["0", "1", "2"]


@pytest.mark.parametrize("case, message", [
    ("compressed", "numpy.savez_compressed"),
    ("nan", "'X' row 4, column 2 is NaN or infinite"),
    ("huge", "'y' row 3 is 1e+200, out of range"),
    ("object", "object array"),
    ("missing", "needs 'task'"),
    ("short", "has 1 row"),
])
def test_bad_archives_get_one_line_and_exit_65(tmp_path, data, case, message):
    x, y, labels = data
    path = tmp_path / "bad.npz"
    if case == "compressed":
        np.savez_compressed(path, X=x, y=y, task=labels)
    elif case == "nan":
        bad = x.copy()
        bad[3, 1] = np.nan
        np.savez(path, X=bad, y=y, task=labels)
    elif case == "huge":
        big = y.copy()
        big[2] = 1e200
        np.savez(path, X=x, y=big, task=labels)
    elif case == "object":
        np.savez(path, X=x, y=y, task=labels.astype(object))
    elif case == "missing":
        np.savez(path, X=x, y=y)
    else:
        np.savez(path, X=x[:4], y=y[:4], task=np.array(["a", "a", "a", "b"]))
    completed, _ = solve(path, tmp_path, "bad")
    assert completed.returncode == 65
    assert message in completed.stderr and len(completed.stderr.strip().splitlines()) == 1, completed.stderr
