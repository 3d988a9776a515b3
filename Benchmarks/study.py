"""The runtime study (issue 7): our heuristic and exact solver against peer solvers on the
Instances/ ladder, every figure measured in the same run on the same machine. Regenerates
Benchmarks/RESULTS.md and the plots Benchmarks/results/study-*.svg.

Problems: the ladder instances with box M = 10, their δ = 0.1, λ = 0, and α ∈ {1, 0.1} (quick)
or {1, 0.1, 0.01} (full); plus a K = 1 ladder (n = 50, s = 5) generated here, where the
single-task peers apply. Solvers:
  - ours: `solve` (heuristic) and `solve --method exact` (time to gap 1e-4, or the gap at the limit);
  - SCIP (pyscipopt) on our exported MIQP (`export --problem miqp`) in big-M and perspective forms;
  - Gurobi (gurobipy, its size-limited pip licence) on the big-M MIQP, one thread like ours, where
    the model fits the licence (said per row where it does not);
  - L0BnB (K = 1): its exact L0L2 path up to s nonzeros (timed after a warm-up call that compiles
    its numba kernels) (½‖y − Xβ‖² + λ₀‖β‖₀ + λ₂‖β‖² with
    λ₂ = αn/2, so at ‖β‖₀ = s its optimum is ours: a penalised optimum with s nonzeros is optimal
    among supports of size ≤ s). L0BnB chooses its own box: M = 1.2 × the largest |β| of its warm
    start at each λ₀ (`m_multiplier`), so its certificate holds within that box, not within 10. The
    row gives that M and our exact solver's time with the same box beside it;
  - El0ps (K = 1): its branch and bound on the same penalised form with box 10, at one λ₀ chosen
    from our F with s − 1 and s + 1 features so that its optimum has s nonzeros (see `el0ps`);
  - OKRidge (K = 1, no box, so beside our unboxed run): its branch and bound on the k-sparse ridge
    problem itself;
  - abess (K = 1): best-subset splicing at support size s; F of its support refitted with our α.
Our exact solver also runs without the box (column "ours, no box"), the statistician's problem.
abess's multi-task mode (common support) needs one shared design, which the ladder does not have:
it runs on K = 5 tasks sharing X (n = 500, p = 5000, s = 10) against our heuristic with δ = 100
(which forces a common support), both at α = 0, F of both by `sparsemtl evaluate` (the case of
Benchmarks/heuristic.py).

Usage: python Benchmarks/study.py PATH/TO/sparsemtl [--full]    (make bench-study / bench-study-full)
       python Benchmarks/study.py PATH/TO/sparsemtl --from Benchmarks/results/study-raw.json
The raw figures of each run go to Benchmarks/results/study-raw.json before anything is drawn;
--from redoes the pictures and RESULTS.md from them without measuring.
"""
import contextlib
import csv
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from usage import binary_argument

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "Benchmarks" / "results"
BIG_M = 10.0
GAP = 1e-4
MODES = {
    "quick": dict(alphas=[1.0, 0.1], limit=10.0, peer_limit=10.0, max_p=100, k1_features=[20, 50, 100]),
    "full": dict(alphas=[1.0, 0.1, 0.01], limit=60.0, peer_limit=30.0, max_p=1000, k1_features=[20, 50, 100], big_limit=600.0),
}


def run(args, check=True):
    return subprocess.run([str(a) for a in args], check=check, capture_output=True, text=True)


# ----------------------------------------------------------------------------------------- ours

def ours_heuristic(binary, instance, alpha, out):
    run([binary, "solve", instance, "--ridge", alpha, "--big-m", BIG_M, "--quiet", "--output", out])
    r = json.loads(Path(out).read_text())
    return dict(seconds=r["seconds"], objective=r["objective"], support=r["support"])


def ours_exact(binary, instance, alpha, limit, out, box=BIG_M, sparsity=None):
    """Exact solve; also returns its (time, incumbent, bound) trace (`--trace`, in the data's units).
    box=None solves without a box (the statistician's problem); sparsity overrides the instance's s."""
    trace_file = str(out) + ".trace.jsonl"
    extra = ([] if box is None else ["--big-m", box]) + ([] if sparsity is None else ["--sparsity", sparsity])
    run([binary, "solve", instance, "--method", "exact", "--ridge", alpha, *extra, "--gap", GAP,
         "--time-limit", limit, "--log-interval", 0.05, "--quiet", "--trace", trace_file, "--output", out], check=False)
    r = json.loads(Path(out).read_text())
    trace = [(p["seconds"], p["incumbent"], p["bound"])
             for p in map(json.loads, Path(trace_file).read_text().splitlines())]
    return dict(status=r["status"], seconds=r["seconds"], objective=r["objective"], lower_bound=r["lower_bound"],
                gap=r["gap"], nodes=r.get("nodes"), cuts=r.get("cuts"), trace=trace)


def export(binary, instance, alpha, form, out):
    run([binary, "export", instance, "--problem", "miqp", "--form", form, "--ridge", alpha, "--big-m", BIG_M,
         "--output", out])
    return out


# ---------------------------------------------------------------------------------------- peers

def scip(mps, limit):
    from pyscipopt import Model
    m = Model()
    m.hideOutput()
    m.readProblem(str(mps))
    m.setParam("limits/time", limit)
    m.setParam("limits/gap", GAP)
    start = time.perf_counter()
    m.optimize()
    seconds = time.perf_counter() - start
    status = m.getStatus()
    primal = m.getObjVal() if m.getNSols() > 0 else None
    dual = m.getDualbound()
    dual = dual if abs(dual) < 1e19 else None  # SCIP reports "no bound" as ±1e20
    return dict(status="optimal" if status in ("optimal", "gaplimit") else status, seconds=seconds,
                objective=primal, lower_bound=dual, gap=gap_of(primal, dual))


def gurobi(mps, limit):
    import gurobipy as gp
    try:
        env = gp.Env(params={"OutputFlag": 0})
        m = gp.read(str(mps), env)
        m.Params.TimeLimit = limit
        m.Params.MIPGap = GAP
        m.Params.Threads = 1
        start = time.perf_counter()
        m.optimize()
        seconds = time.perf_counter() - start
    except gp.GurobiError as e:
        if "size-limited" in str(e) or "Model too large" in str(e) or e.errno == 10010:
            return dict(status="too large for the pip licence", seconds=None, objective=None, lower_bound=None, gap=None)
        raise
    primal = m.ObjVal if m.SolCount > 0 else None
    dual = m.ObjBound
    status = {2: "optimal", 9: "time_limit"}.get(m.Status, f"status {m.Status}")
    return dict(status=status, seconds=seconds, objective=primal, lower_bound=dual, gap=gap_of(primal, dual))


def gap_of(primal, dual):
    if primal is None or dual is None:
        return None
    return (primal - dual) / max(abs(primal), 1e-10)


def centred_single_task(instance):
    spec = json.loads(Path(instance).read_text())
    with open(Path(instance).parent / spec["data"], newline="") as f:
        data = np.array([[float(v) for v in row[1:]] for row in list(csv.reader(f))[1:]])
    y, x = data[:, 0], data[:, 1:]
    return x - x.mean(axis=0), y - y.mean()


def refit_value(x, y, support, alpha):
    """F = (1/n)‖y − Xβ‖² + α‖β‖² at the best β on `support` (K = 1, λ = δ = 0)."""
    n = len(y)
    support = sorted(support)
    if not support:
        return float(y @ y / n)
    xs = x[:, support]
    beta = np.linalg.solve(xs.T @ xs / n + alpha * np.eye(len(support)), xs.T @ y / n)
    r = y - xs @ beta
    return float(r @ r / n + alpha * beta @ beta)


_L0BNB_WARM = False


def l0bnb(instance, alpha, s, limit):
    global _L0BNB_WARM
    if not hasattr(np, "Inf"):
        np.Inf = np.inf  # L0BnB 1.0.0 still uses the alias NumPy 2 removed
    from l0bnb import fit_path
    x, y = centred_single_task(instance)
    n = len(y)
    if not _L0BNB_WARM:  # numba compiles L0BnB's kernels on the first call: keep that out of the timing
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            fit_path(x, y, lambda_2=alpha * n / 2, max_nonzeros=2, intercept=False, normalize=False, gap_tol=GAP, time_limit=limit)
        _L0BNB_WARM = True
    start = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        path = fit_path(x, y, lambda_2=alpha * n / 2, max_nonzeros=s, intercept=False, normalize=False,
                        gap_tol=GAP, time_limit=limit)
    seconds = time.perf_counter() - start
    exact = [sol for sol in path if np.count_nonzero(sol["B"]) == s]
    if not exact:
        sizes = sorted({int(np.count_nonzero(sol["B"])) for sol in path})
        return dict(seconds=seconds, objective=None, note=f"path skipped size {s} (sizes {sizes})")
    beta = exact[0]["B"]
    r = y - x @ beta
    value = float(r @ r / n + alpha * beta @ beta)
    timed_out = any(sol.get("Time_exceeded") for sol in path)
    return dict(status="time_limit" if timed_out else "optimal", seconds=seconds, objective=value, box=float(exact[0]["M"]),
                note="time limit hit on the path" if timed_out else "")


def okridge(instance, alpha, s, limit, f_star):
    """OKRidge (K = 1, no box): its branch and bound on βᵀXᵀXβ − 2yᵀXβ + λ₂‖β‖² = nF − yᵀy with λ₂ = αn.
    Its gap is relative to that shifted objective, so its tolerance is set to give our absolute gap,
    1e-4·F* (F* our unboxed incumbent). Timed from its constructor (which factorises XᵀX) to the end."""
    from okridge.node import Node
    from okridge.tree import BNBTree
    Node.lower_solve = Node.lower_solve_admm  # 0.1.1 calls a method it no longer defines under this name
    x, y = centred_single_task(instance)
    n, yy = len(y), float(y @ y)
    tolerance = GAP * n * f_star / max(yy - n * f_star, 1e-12)
    start = time.perf_counter()
    try:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            tree = BNBTree(x, y, gap_tol=tolerance, lambda2=alpha * n, max_memory_GB=4)
            upper, beta, gap, lower, _ = tree.solve(s, gap_tol=tolerance, time_limit=limit)
    except Exception as error:  # noqa: BLE001 -- a peer's crash is a result to report, not ours to hide
        return dict(status=f"crashed ({type(error).__name__}: {str(error)[:60]})", seconds=time.perf_counter() - start,
                    objective=None, nodes=None)
    seconds = time.perf_counter() - start
    r = y - x @ beta
    our_gap = (upper - lower) / max(upper + yy, 1e-12)  # their absolute gap over nF
    return dict(status="optimal" if gap <= tolerance else "time_limit", seconds=seconds, gap=our_gap,
                objective=float(r @ r / n + alpha * beta @ beta), nodes=tree.number_of_nodes)


_EL0PS_WARM = False


def el0ps(instance, alpha, s, limit, f_by_size):
    """El0ps (K = 1, box 10): ½‖y − Xβ‖² + λ₀‖β‖₀ + (αn/2)‖β‖² with |β| ≤ 10, at the λ₀ in the middle of
    [G(s) − G(s+1), G(s−1) − G(s)], G(k) = nF(k)/2 from `f_by_size` (our best F with at most k features).
    A penalised optimum with s nonzeros is optimal among supports of size ≤ s, so its F is comparable with
    ours; the row says so when the solution it returns has another size. Timed after a warm-up call that
    compiles its numba kernels; absolute gap target 1e-4·G(s), our 1e-4 relative gap on F."""
    global _EL0PS_WARM
    from el0ps.datafit import Leastsquares
    from el0ps.penalty import BigmL2norm
    from el0ps.solver import BnbSolver
    x, y = centred_single_task(instance)
    n = len(y)
    x = np.asfortranarray(x)
    g = {k: n * f / 2 for k, f in f_by_size.items()}
    low, high = g[s] - g[s + 1], g[s - 1] - g[s]
    if low >= high:
        return dict(status=f"no λ₀ gives {s} nonzeros", seconds=None, objective=None, nodes=None)

    def solve(design, penalty_scale, limit):
        solver = BnbSolver(relative_gap=0.0, absolute_gap=GAP * g[s], time_limit=limit, verbose=False)
        return solver.solve(Leastsquares(y), BigmL2norm(BIG_M, alpha * n / 2), design, penalty_scale)

    if not _EL0PS_WARM:
        solve(np.asfortranarray(x[:, :8]), (low + high) / 2, 10.0)
        _EL0PS_WARM = True
    start = time.perf_counter()
    result = solve(x, (low + high) / 2, limit)
    seconds = time.perf_counter() - start
    beta = result.x
    size = int(np.count_nonzero(beta))
    r = y - x @ beta
    status = "optimal" if result.status.value.lower() == "optimal" else result.status.value
    return dict(status=status if size == s else f"{status}, {size} nonzeros", seconds=seconds,
                objective=float(r @ r / n + alpha * beta @ beta), nodes=result.iter_count)


def abess(instance, alpha, s):
    from abess.linear import LinearRegression
    x, y = centred_single_task(instance)
    start = time.perf_counter()
    model = LinearRegression(support_size=[s], alpha=[0.0], fit_intercept=False).fit(x, y)
    seconds = time.perf_counter() - start
    support = list(np.flatnonzero(model.coef_))
    return dict(seconds=seconds, objective=refit_value(x, y, support, alpha))


# ------------------------------------------------------------------------------------- the study

def fmt_time(r):
    if r is None:
        return "–"
    if r.get("seconds") is None:
        return r.get("status", "–")
    if r.get("status") == "optimal":
        return f"{r['seconds']:.3f} s"
    if "gap" not in r:  # a peer that reports no bound
        return f"{r.get('status')} after {r['seconds']:.1f} s"
    gap = r.get("gap")
    return f"{r.get('status')} ({'no bound' if gap is None else f'gap {100 * gap:.2f} %'})"


def ratio(peer, ours, limit):
    """Peer time over our time, when ours certified (a peer that did not certify counts as ≥ its limit)."""
    if ours["status"] != "optimal" or peer is None or peer.get("seconds") is None:
        return None
    if peer.get("status") == "optimal":
        return peer["seconds"] / max(ours["seconds"], 1e-3), ""
    return limit / max(ours["seconds"], 1e-3), "≥"


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB"


def build_id():
    """The commit the study ran on, as `git` names it (with "+changes" for a dirty tree), or "unknown"."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
        return head + (" +changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def versions(binary):
    import pyscipopt
    import gurobipy
    import abess as abess_module
    from importlib.metadata import version
    info = run([binary, "info"]).stdout.strip().replace("\n", "; ")
    scip_version = pyscipopt.Model().version()
    return (f"{info}; SCIP {scip_version} (pyscipopt {version('pyscipopt')}); Gurobi {'.'.join(map(str, gurobipy.gurobi.version()))} "
            f"(pip, size-limited licence); L0BnB {version('l0bnb')}; El0ps {version('el0ps')}; OKRidge {version('okridge')}; abess {version('abess')}")




def main():
    binary = Path(binary_argument(__doc__)).resolve()
    mode_name = "full" if "--full" in sys.argv else "quick"
    mode = MODES[mode_name]
    limit = mode["limit"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    if "--from" in sys.argv:  # redo the pictures and RESULTS.md from a run's raw figures, measuring nothing
        raw = json.loads(Path(sys.argv[sys.argv.index("--from") + 1]).read_text())
        traces = {(name, alpha): trace for name, alpha, trace in raw["traces"]}
        plots(raw["rows"], raw["k1_rows"], traces, MODES[raw["mode"]])
        write_results(binary, raw["mode"], MODES[raw["mode"]], raw["rows"], raw["k1_rows"], raw["multi"], raw["date"], raw.get("build", "unknown"))
        return
    build = build_id()  # at the start: the tree may change while an hour-long run measures
    print(f"Build: {build}", flush=True)
    rows, k1_rows, traces = [], [], {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ladder = sorted(ROOT.glob("Instances/ladder-*.json"), key=lambda p: (json.loads(p.read_text())["generator"]["features"],
                                                                                  json.loads(p.read_text())["generator"]["tasks"]))
        for inst in ladder:
            spec = json.loads(inst.read_text())
            g = spec["generator"]
            if g["features"] > mode["max_p"]:
                continue
            for alpha in mode["alphas"]:
                this_limit = mode.get("big_limit", limit) if g["features"] >= 1000 and alpha == 1.0 else limit
                peer_limit = mode["peer_limit"]
                if g["features"] >= 1000 and alpha != 1.0:
                    continue  # the K = 5, p = 1000 goal is at α = 1
                row = dict(name=spec["name"], K=g["tasks"], p=g["features"], n=g["samples_per_task"], s=spec["penalty"]["sparsity"],
                           alpha=alpha, limit=this_limit, peer_limit=peer_limit)
                row["heuristic"] = ours_heuristic(binary, inst, alpha, tmp / "h.json")
                row["exact"] = ours_exact(binary, inst, alpha, this_limit, tmp / "e.json")
                row["exact_unboxed"] = ours_exact(binary, inst, alpha, this_limit, tmp / "u.json", box=None)
                traces[(spec["name"], alpha)] = row["exact"]["trace"]
                for form in ("bigm", "perspective"):
                    mps = export(binary, inst, alpha, form, tmp / f"{form}.mps")
                    row[f"scip_{form}"] = scip(mps, peer_limit)
                row["gurobi"] = gurobi(tmp / "bigm.mps", peer_limit)
                rows.append(row)
                print(f"{spec['name']} α={alpha}: ours {fmt_time(row['exact'])} (no box {fmt_time(row['exact_unboxed'])}), SCIP big-M {fmt_time(row['scip_bigm'])}, "
                      f"SCIP persp. {fmt_time(row['scip_perspective'])}, Gurobi {fmt_time(row['gurobi'])}", flush=True)
        # The K = 1 ladder.
        for p in mode["k1_features"]:
            name = f"single-p{p}"
            run([binary, "generate", "--output-directory", tmp, "--name", name, "--tasks", 1, "--samples", 50, "--features", p,
                 "--true-sparsity", 5, "--seed", 30 + p, "--sparsity", 5])
            inst = tmp / f"{name}.json"
            for alpha in mode["alphas"]:
                peer_limit = mode["peer_limit"]
                row = dict(name=name, K=1, p=p, n=50, s=5, alpha=alpha, limit=limit, peer_limit=peer_limit)
                row["heuristic"] = ours_heuristic(binary, inst, alpha, tmp / "h.json")
                row["exact"] = ours_exact(binary, inst, alpha, limit, tmp / "e.json")
                row["exact_unboxed"] = ours_exact(binary, inst, alpha, limit, tmp / "u.json", box=None)
                neighbours = {k: ours_exact(binary, inst, alpha, 10.0, tmp / "k.json", sparsity=k)["objective"] for k in (4, 6)}
                row["el0ps"] = el0ps(inst, alpha, 5, peer_limit, {5: row["exact"]["objective"], **neighbours})
                row["okridge"] = okridge(inst, alpha, 5, peer_limit, row["exact_unboxed"]["objective"])
                mps = export(binary, inst, alpha, "bigm", tmp / "bigm.mps")
                row["scip_bigm"] = scip(mps, peer_limit)
                row["gurobi"] = gurobi(mps, peer_limit)
                row["l0bnb"] = l0bnb(inst, alpha, 5, peer_limit)
                if row["l0bnb"].get("box") is not None:  # ours on the problem L0BnB certified: its own box
                    row["exact_l0bnb_box"] = ours_exact(binary, inst, alpha, limit, tmp / "l.json", box=row["l0bnb"]["box"])
                row["abess"] = abess(inst, alpha, 5)
                k1_rows.append(row)
                print(f"{name} α={alpha}: ours {fmt_time(row['exact'])} (no box {fmt_time(row['exact_unboxed'])}), "
                      f"L0BnB {row['l0bnb']['seconds']:.2f} s (ours at its box {fmt_time(row.get('exact_l0bnb_box'))}), El0ps {fmt_time(row['el0ps'])}, OKRidge {fmt_time(row['okridge'])}, "
                      f"abess {row['abess']['seconds']:.3f} s", flush=True)
        sys.path.insert(0, str(ROOT / "Benchmarks"))
        from heuristic import abess_multitask
        multi = abess_multitask(str(binary), tmp)
        print(f"{multi[0]}: ours {multi[1]:.3f} s, abess {multi[4]:.3f} s", flush=True)
    # The raw figures first, so that a failure below never costs the run (an hour in full mode).
    date = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    (RESULTS / "study-raw.json").write_text(json.dumps(dict(mode=mode_name, date=date, build=build, rows=rows, k1_rows=k1_rows, multi=multi,
                                                           traces=[[n, a, t] for (n, a), t in traces.items()]), indent=1))
    plots(rows, k1_rows, traces, mode)
    write_results(binary, mode_name, mode, rows, k1_rows, multi, date, build)


def heuristic_distance(row):
    """(F_heuristic − F*)/F* when the exact solver certified F*, else None."""
    if row["exact"]["status"] != "optimal":
        return None
    return (row["heuristic"]["objective"] - row["exact"]["objective"]) / abs(row["exact"]["objective"])


def plots(rows, k1_rows, traces, mode):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # 1. Runtime against p, one panel per α; hollow markers: not certified at the limit.
    alphas = mode["alphas"]
    fig, axes = plt.subplots(1, len(alphas), figsize=(5 * len(alphas), 4.2), squeeze=False)
    solvers = [("exact", "ours (exact)"), ("scip_bigm", "SCIP big-M"), ("scip_perspective", "SCIP perspective"), ("gurobi", "Gurobi big-M")]
    for ax, alpha in zip(axes[0], alphas):
        subset = [r for r in rows if r["alpha"] == alpha]
        for key, label in solvers:
            xs, ys, done = [], [], []
            for r in subset:
                res = r.get(key)
                if res is None or res.get("seconds") is None:
                    continue
                xs.append(r["p"] * r["K"])
                ys.append(max(res["seconds"], 1e-3) if res.get("status") == "optimal" else (r["limit"] if key == "exact" else r["peer_limit"]))
                done.append(res.get("status") == "optimal")
            line, = ax.plot(xs, ys, "-", alpha=0.5, label=label)
            ax.scatter([x for x, d in zip(xs, done) if d], [y for y, d in zip(ys, done) if d], color=line.get_color())
            ax.scatter([x for x, d in zip(xs, done) if not d], [y for y, d in zip(ys, done) if not d],
                       facecolors="none", edgecolors=line.get_color())
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("binaries p·K")
        ax.set_ylabel("seconds to gap 1e-4 (hollow: not certified at the limit)")
        ax.set_title(f"α = {alpha}, box M = 10")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(RESULTS / "study-runtime.svg")
    plt.close(fig)

    # 2. Bound and incumbent against time of one exact run: the longest certified one (else the longest).
    certified = [r for r in rows if r["exact"]["status"] == "optimal" and len(r["exact"]["trace"]) > 2]
    chosen = max(certified or rows, key=lambda r: r["exact"]["seconds"])
    trace = chosen["exact"]["trace"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.step([t for t, _, _ in trace], [u for _, u, _ in trace], where="post", label="incumbent (UB)")
    ax.step([t for t, _, b in trace if b is not None], [b for _, _, b in trace if b is not None], where="post", label="bound (LB)")
    ax.set_xlabel("seconds")
    ax.set_ylabel("F")
    ax.set_title(f"exact solve of {chosen['name']}, α = {chosen['alpha']} ({chosen['exact']['status']})")
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "study-bound.svg")
    plt.close(fig)

    # 3. The heuristic against the optimum: where F* is certified, optimal (green) or (F − F*)/F*
    #    (red); elsewhere the proven upper bound (F − LB)/F on its distance (grey).
    fig, ax = plt.subplots(figsize=(8, 4.2))
    labels, values, colours = [], [], []
    for r in rows + k1_rows:
        d = heuristic_distance(r)
        if d is None:
            lb = r["exact"]["lower_bound"]
            if lb is None:
                continue  # no bound (the first LP did not finish): nothing to say about the distance
            d, colour = (r["heuristic"]["objective"] - lb) / abs(r["heuristic"]["objective"]), "tab:gray"
        else:
            colour = "tab:green" if d <= 1e-9 else "tab:red"
        labels.append(f"{r['name'].replace('ladder-', '')}\nα={r['alpha']}")
        values.append(max(d, 1e-10))
        colours.append(colour)
    ax.bar(range(len(values)), values, color=colours)
    ax.set_yscale("log")
    ax.set_ylim(1e-10 / 2, 1)
    ax.set_xticks(range(len(values)))
    ax.set_xticklabels(labels, fontsize=6, rotation=90)
    certified_count = sum(1 for c in colours if c != "tab:gray")
    optimal = sum(1 for c in colours if c == "tab:green")
    ax.set_ylabel("distance to the optimum (floor 1e-10)")
    ax.set_title(f"heuristic: optimal on {optimal} of {certified_count} certified problems (green); "
                 f"grey: (F − LB)/F where not certified", fontsize=9)
    fig.tight_layout()
    fig.savefig(RESULTS / "study-heuristic.svg")
    plt.close(fig)


def write_results(binary, mode_name, mode, rows, k1_rows, multi, date, build):
    out = []
    out.append("# SparseMTL runtime study\n")
    out.append(f"Regenerated by `make bench-study{'-full' if mode_name == 'full' else ''}` "
               f"(`python Benchmarks/study.py .build/release/sparsemtl{' --full' if mode_name == 'full' else ''}`), "
               f"{mode_name} mode: α ∈ {mode['alphas']}, time limit {mode['limit']:.0f} s for our exact solver"
               f"{' (600 s for K = 5, p = 1000 at α = 1)' if mode_name == 'full' else ''} and {mode['peer_limit']:.0f} s for each peer, "
               f"ladder steps up to p = {mode['max_p']}. A ratio marked ≥ compares a peer that did not certify within its limit.\n")
    out.append(f"- Date: {date}")
    out.append(f"- Machine: {machine()} (shared; all solvers single-threaded, run one after another)")
    out.append(f"- Versions: {versions(binary)}")
    out.append(f"- Build: {build}")
    out.append("- Problem: F of DESIGN.md section 1 with box |β| ≤ 10, the instances' δ = 0.1 and λ = 0; gap target 1e-4. "
               "SCIP and Gurobi solve our exported MIQP (`sparsemtl export --problem miqp`), whose optimal value is F.\n")
    out.append("Pictures: `results/study-runtime.svg` (time against problem size), `results/study-bound.svg` "
               "(bound and incumbent of one exact run), `results/study-heuristic.svg` (the heuristic against the certified optimum).\n")
    certified_both = []
    for alpha in mode["alphas"]:
        out.append(f"## Ladder, α = {alpha}\n")
        out.append("| instance | K | p | ours exact | nodes | ours, no box | heuristic s | heuristic (F − F*)/F* | SCIP big-M | SCIP perspective | Gurobi big-M | SCIP big-M / ours | SCIP persp. / ours | Gurobi / ours |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in (r for r in rows if r["alpha"] == alpha):
            d = heuristic_distance(r)
            ratios = []
            for key in ("scip_bigm", "scip_perspective", "gurobi"):
                rr = ratio(r[key], r["exact"], r["peer_limit"])
                ratios.append("–" if rr is None else f"{rr[1]}{rr[0]:.1f}×")
                if rr is not None:
                    certified_both.append((key, rr[0], rr[1], r["name"], alpha))
            out.append(f"| {r['name']} | {r['K']} | {r['p']} | {fmt_time(r['exact'])} | {r['exact']['nodes']} | {fmt_time(r.get('exact_unboxed'))} | "
                       f"{r['heuristic']['seconds']:.3f} | {'–' if d is None else f'{d:.1e}'} | {fmt_time(r['scip_bigm'])} | "
                       f"{fmt_time(r['scip_perspective'])} | {fmt_time(r['gurobi'])} | {ratios[0]} | {ratios[1]} | {ratios[2]} |")
        out.append("")
    out.append("## K = 1 (n = 50, s = 5, generated here): single-task peers\n")
    out.append("| problem | α | ours exact | nodes | F* (ours) | ours, no box | El0ps at s | El0ps F | OKRidge (no box) | OKRidge F | "
               "L0BnB path to s | L0BnB F at s | L0BnB's box M | ours at L0BnB's box | abess | abess F (refit) | SCIP big-M | Gurobi big-M |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in k1_rows:
        l0 = r["l0bnb"]
        note = f" ({l0['note']})" if l0.get("note") else ""
        l0_value = "–" if l0["objective"] is None else f"{l0['objective']:.8g}"
        l0_box = "–" if l0.get("box") is None else f"{l0['box']:.4g}"
        peers = []
        for key in ("el0ps", "okridge"):
            peer = r.get(key)
            value = "–" if peer is None or peer.get("objective") is None else f"{peer['objective']:.8g}"
            nodes = "" if peer is None or peer.get("nodes") is None else f", {peer['nodes']} nodes"
            peers.append(f"{fmt_time(peer)}{nodes} | {value}")
        out.append(f"| {r['name']} | {r['alpha']} | {fmt_time(r['exact'])} | {r['exact']['nodes']} | {r['exact']['objective']:.8g} | "
                   f"{fmt_time(r.get('exact_unboxed'))} | {peers[0]} | {peers[1]} | {l0['seconds']:.2f} s{note} | "
                   f"{l0_value} | {l0_box} | {fmt_time(r.get('exact_l0bnb_box'))} | "
                   f"{r['abess']['seconds']:.3f} s | {r['abess']['objective']:.8g} | {fmt_time(r['scip_bigm'])} | "
                   f"{fmt_time(r['gurobi'])} |")
    out.append("")
    label, ours_s, ours_wall, ours_f, abess_s, abess_f = multi
    out.append("## Common support, shared design: abess MultiTaskRegression\n")
    out.append("| case | ours (heuristic) | ours F | abess | abess F | abess time / ours |")
    out.append("|---|---|---|---|---|---|")
    out.append(f"| {label} | {ours_s:.3f} s | {ours_f:.6f} | {abess_s:.3f} s | {abess_f:.6f} | {abess_s / max(ours_s, 1e-6):.2f} |")
    out.append("")
    out.append("## Headline\n")
    for key, label in (("scip_bigm", "SCIP (big-M)"), ("scip_perspective", "SCIP (perspective)"), ("gurobi", "Gurobi (big-M)")):
        items = [c for c in certified_both if c[0] == key]
        if items:
            exact_ratios = [c[1] for c in items if c[2] == ""]
            lower = [c for c in items if c[2] == "≥"]
            median = f"median {np.median(exact_ratios):.1f}× where both certified ({len(exact_ratios)} problems)" if exact_ratios else ""
            out.append(f"- {label}, its time over ours: {median}{'; ' if median and lower else ''}"
                       f"{f'on {len(lower)} more it did not certify within the limit what we certified' if lower else ''}.")
    for key, ours_key, label in (("el0ps", "exact", "El0ps (K = 1, box 10)"), ("okridge", "exact_unboxed", "OKRidge (K = 1, no box)"),
                                 ("l0bnb", "exact_l0bnb_box", "L0BnB (K = 1, the box it chose itself; ours with that box)")):
        pairs = [(r, ratio(r[key], r[ours_key], r["peer_limit"])) for r in k1_rows if key in r and ours_key in r]
        both = [rr[0] for _, rr in pairs if rr is not None and rr[1] == ""]
        other = [f"{r['name']} α={r['alpha']}: {fmt_time(r[key])}" for r, rr in pairs if rr is None or rr[1] != ""]
        if pairs:
            out.append(f"- {label}, its time over ours: "
                       + (f"median {np.median(both):.1f}× (from {min(both):.2f}× to {max(both):.1f}×) where both certified ({len(both)} problems)" if both else "never both certified")
                       + (f"; elsewhere {'; '.join(other)}" if other else "") + ".")
    distances = [heuristic_distance(r) for r in rows + k1_rows]
    known = [d for d in distances if d is not None]
    if known:
        out.append(f"- Heuristic: optimal on {sum(1 for d in known if d <= 1e-9)} of {len(known)} certified problems; "
                   f"worst (F − F*)/F* = {max(known):.2e}.")
    uncertified = [r for r in rows if r["exact"]["status"] != "optimal"]
    if uncertified:
        out.append("- Not certified by us within the limit: " + ", ".join(
            f"{r['name']} α={r['alpha']} (gap {100 * r['exact']['gap']:.2f} %)" for r in uncertified) + ".")
    (ROOT / "Benchmarks" / "RESULTS.md").write_text("\n".join(out) + "\n")
    print(f"wrote {ROOT / 'Benchmarks' / 'RESULTS.md'} and {RESULTS}/study-*.svg")


if __name__ == "__main__":
    main()
