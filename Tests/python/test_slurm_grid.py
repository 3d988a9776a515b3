"""A grid on a real Slurm: a single-node cluster (scripts/slurm/local-cluster.sh: munged, slurmctld and
slurmd from Debian's slurm-wlm and munge) runs a 4-shard job array (scripts/slurm/submit.sh, sbatch --wait) of a
small exact ladder and a small cross-validation. One shard is cancelled (scancel) while its slow solve runs; `grid --status` must then name it,
`submit.sh --resubmit` must rerun only it, and the merge must equal the unsharded run (and the cv part
`sparsemtl cv` itself). The daemons are stopped at the end, pass or fail."""
import csv
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("SPARSEMTL_BIN", str(ROOT / ".build" / "debug" / "sparsemtl"))
SLURM = ROOT / "scripts" / "slurm"


def write_data(path, tasks, features, rows, support, seed):
    rng = np.random.default_rng(seed)
    lines = ["task,y," + ",".join(f"x{j}" for j in range(features))]
    for k in range(tasks):
        x = rng.standard_normal((rows, features))
        beta = np.zeros(features)
        beta[:support] = rng.uniform(1, 2, support) * rng.choice([-1, 1], support)
        y = x @ beta + 0.5 * rng.standard_normal(rows)
        lines += [",".join([f"t{k}", repr(float(yi))] + [repr(float(v)) for v in xi]) for yi, xi in zip(y, x)]
    path.write_text("\n".join(lines) + "\n")


def sparsemtl(*arguments, cwd, check=True):
    run = subprocess.run([BINARY, *arguments], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert not check or run.returncode == 0, f"sparsemtl {' '.join(arguments)}: exit {run.returncode}\n{run.stderr}"
    return run


def wait_for(condition, seconds, what):
    end = time.time() + seconds
    while time.time() < end:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def rows_without_times(path):
    with open(path) as f:
        return [{k: v for k, v in row.items() if k not in ("seconds", "host")} for row in csv.DictReader(f)]


def without_seconds(value):
    if isinstance(value, dict):
        return {k: without_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [without_seconds(v) for v in value]
    return value


@pytest.fixture
def cluster(tmp_path):
    if os.geteuid() != 0 and shutil.which("sudo") is None:
        pytest.skip("the Slurm daemons need root (or sudo)")
    folder = tmp_path / "cluster"
    start = subprocess.run(["bash", str(SLURM / "local-cluster.sh"), "start", str(folder)], capture_output=True, text=True, timeout=900)
    try:
        assert start.returncode == 0, f"the local cluster did not start:\n{start.stdout}\n{start.stderr}"
        yield {**os.environ, "SLURM_CONF": str(folder / "slurm.conf"), "SPARSEMTL": BINARY}
    finally:
        subprocess.run(["bash", str(SLURM / "local-cluster.sh"), "stop", str(folder)], capture_output=True, timeout=120)


def test_killed_shard_is_resubmitted_and_the_merge_equals_the_unsharded_run(tmp_path, cluster):
    env = cluster
    work = tmp_path / "work"
    work.mkdir()
    write_data(work / "small.csv", tasks=2, features=15, rows=40, support=3, seed=1)
    write_data(work / "slow.csv", tasks=3, features=120, rows=60, support=5, seed=9)
    (work / "small.json").write_text('{"data": "small.csv", "penalty": {"sparsity": 3, "ridge": 1}}')
    (work / "slow.json").write_text('{"data": "slow.csv", "penalty": {"sparsity": 6, "ridge": 0.001, "zbar": 0.1}}')
    # Task 0 is quick, task 4 (shard 0 of 4) is the slow solve that the time limit stops.
    grid = [{"instances": ["small.json"], "methods": ["heuristic", "exact"], "penalties": {"ridge": [1, 0.1]}, "time_limit": 6},
            {"instances": ["slow.json"], "methods": ["exact"], "time_limit": 6},
            {"data": ["small.csv"], "folds": 3, "penalties": {"sparsity": [3]}, "arguments": ["--threads", "1"]}]
    (work / "grid.json").write_text(json.dumps(grid))
    listing = sparsemtl("grid", "grid.json", "--output-dir", "tasks", "--list", cwd=work).stdout.splitlines()
    assert "slow.json" in listing[4]
    tasks = work / "tasks"

    def submit(*extra):
        """submit.sh … --wait in the background (sbatch --wait returns when the array has ended)."""
        return subprocess.Popen(["bash", str(SLURM / "submit.sh"), "grid.json", "tasks", "4", "--wait", *extra], cwd=work, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def job_of(log):
        wait_for(lambda: log.exists() or False, 120, "the first shard's log")
        return log.name.split("_")[0].removeprefix("slurm-")

    started = time.time()
    waiting = submit()
    first_id = listing[0].split("\t")[1]
    wait_for(lambda: (tasks / f"{first_id}.json").exists(), 120, "shard 0's first task")
    job = job_of(next(tasks.glob("slurm-*_0.log")))
    time.sleep(1.5)  # shard 0 is now inside the slow solve
    subprocess.run(["scancel", f"{job}_0"], env=env, check=True)
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode != 0, "sbatch --wait reports the cancelled task"

    status = sparsemtl("grid", "grid.json", "--output-dir", "tasks", "--status", "--shard-count", "4", cwd=work, check=False)
    assert status.returncode == 1, status.stdout
    assert "shards to resubmit: 0" in status.stdout, status.stdout
    assert f"missing: task 4 " in status.stdout, status.stdout
    assert not [p for p in os.listdir(tasks) if p.startswith(".") and p != ".grid"], "a stopped task left temporary files"
    log = next(tasks.glob(f"slurm-{job}_0.log")).read_text()
    assert "stopped by a signal" in log, log
    # Merging now is refused.
    assert sparsemtl("merge", "tasks", "--output", "early.csv", cwd=work, check=False).returncode == 65

    resubmission = submit("--resubmit")
    out, err = resubmission.communicate(timeout=300)
    assert resubmission.returncode == 0, err
    again = out.strip().splitlines()[0]
    resubmitted = sorted(p.name for p in tasks.glob(f"slurm-{again}_*.log"))
    assert resubmitted == [f"slurm-{again}_0.log"], resubmitted
    assert "1 already done" in (tasks / resubmitted[0]).read_text()
    sparsemtl("grid", "grid.json", "--output-dir", "tasks", "--status", cwd=work)
    sparsemtl("merge", "tasks", "--output", "sharded.csv", cwd=work)
    elapsed = time.time() - started

    # The same grid on one shard, outside Slurm.
    sparsemtl("grid", "grid.json", "--output-dir", "single", "--quiet", cwd=work)
    sparsemtl("merge", "single", "--output", "unsharded.csv", cwd=work)
    sharded, unsharded = rows_without_times(work / "sharded.csv"), rows_without_times(work / "unsharded.csv")
    assert [r["id"] for r in sharded] == [r["id"] for r in unsharded]
    for a, b in zip(sharded, unsharded):
        if a["outcome"] == "limit" or b["outcome"] == "limit":
            # A solve stopped by its time limit holds whatever it reached by then.
            assert (a["outcome"], a["status"]) == (b["outcome"], b["status"]) == ("limit", "time_limit")
            continue
        assert a == b
    cv_sharded = json.loads((work / "sharded-cv-2-small.json").read_text())
    assert without_seconds(cv_sharded) == without_seconds(json.loads((work / "unsharded-cv-2-small.json").read_text()))
    sparsemtl("cv", "--data", "small.csv", "--folds", "3", "--max-sparsity", "3", "--output", "direct.json", "--quiet", cwd=work)
    assert without_seconds(cv_sharded) == without_seconds(json.loads((work / "direct.json").read_text()))
    print(f"Slurm: submit, cancel, resubmit and merge took {elapsed:.1f} s")
