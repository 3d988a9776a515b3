# SparseMTL — the two commands of README.md:
#   make demo   install missing Debian packages, build in release mode, run the main job on Instances/demo.json
#   make test   install missing Debian packages, run the whole test suite (300 seeded tiny problems against
#               brute force with their certificates, Python checks of the CLI, of our MPS files with SCIP
#               and of GenGL with cvxpy/Clarabel, pytest of the .npz input and of the Python package
#               (installed from python/ into the venv), then the Swift tests)

BIN := .build/release/sparsemtl
PYTHON_ENV := .venv

.PHONY: demo test deps build python-env bench-fuzz bench-deps instances bench-parse bench-heuristic bench-exact bench-exact-full bench-diffusion bench-compare bench-study bench-study-full bench-cv bench-prediction bench-python bench-grid bench-gengl bench-gengl-recovery clean

deps:
	@bash scripts/install-system-deps.sh

build: deps
	swift build -c release

demo: build
	$(BIN) info
	$(BIN) describe Instances/demo.json
	@mkdir -p out
	$(BIN) solve Instances/demo.json --output out/demo-result.json
	$(BIN) evaluate Instances/demo.json --coefficients out/demo-result.json

python-env:
	@bash scripts/python-env.sh $(PYTHON_ENV)

test: deps python-env
	swift build -c release --product sparsemtl-fuzz
	.build/release/sparsemtl-fuzz --cases 300 --seed 11
	# Case 235 of seed 8, tree-only: a tampered certificate made GLPK fail an internal assertion in
	# verify's re-solve, which then read the freed master and crashed (release build only).
	.build/release/sparsemtl-fuzz --cases 1 --first 235 --seed 8 --tree-only
	swift build
	$(PYTHON_ENV)/bin/python Tests/python/check_objective.py .build/debug/sparsemtl
	$(PYTHON_ENV)/bin/python Tests/python/check_interop.py .build/debug/sparsemtl
	$(PYTHON_ENV)/bin/python Tests/python/check_gengl.py .build/debug/sparsemtl
	SPARSEMTL_BIN=$(CURDIR)/.build/debug/sparsemtl $(PYTHON_ENV)/bin/python -m pytest -q Tests/python python/tests
	swift test

# The certificate core's long robustness run: 10⁴ seeded tiny problems against brute force (about 30 minutes),
# then the scale-invariance batch (40 cases at y and X × 10⁻⁶…10⁶), with and without the enumeration of supports.
bench-fuzz: deps
	swift build -c release --product sparsemtl-fuzz
	.build/release/sparsemtl-fuzz --cases 10000 --seed 1 | tee Benchmarks/results/fuzz-10000.log
	.build/release/sparsemtl-fuzz --scales --cases 40 --seed 1 | tee Benchmarks/results/fuzz-scales.log
	.build/release/sparsemtl-fuzz --scales --cases 40 --seed 1 --tree-only | tee -a Benchmarks/results/fuzz-scales.log

# Regenerate the instance library (seeded: the files come out identical).
instances: build
	bash Instances/generate.sh $(BIN)

# Parse throughput on a file of 10^7 numbers, beside numpy.loadtxt on the same file.
bench-parse: build python-env
	bash Benchmarks/parse-throughput.sh $(BIN) $(PYTHON_ENV)/bin/python

# The peers the benchmarks compare against (abess, SCIP, Gurobi's size-limited licence, L0BnB, El0ps with the mpich wheel its
# pybnb needs, OKRidge, matplotlib), into the venv.
bench-deps: build python-env
	$(PYTHON_ENV)/bin/python -m pip install --quiet --disable-pip-version-check -r Benchmarks/requirements.txt
	$(PYTHON_ENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r Benchmarks/requirements-nodeps.txt

# Heuristic: ladder, the large case, and abess beside it (installs abess into the venv).
bench-heuristic: bench-deps
	$(PYTHON_ENV)/bin/python Benchmarks/heuristic.py $(BIN)

# Exact solver: ladder × α ∈ {1, 0.1, 0.01}, SCIP beside it (installs pyscipopt into the venv).
bench-exact: bench-deps
	$(PYTHON_ENV)/bin/python Benchmarks/exact.py $(BIN)

bench-exact-full: bench-deps
	$(PYTHON_ENV)/bin/python Benchmarks/exact.py $(BIN) --full

# Cross-validation speed on a river-flow-sized problem, beside scikit-learn's MultiTaskLassoCV and LassoCV (about 10 minutes).
bench-cv: bench-deps
	$(PYTHON_ENV)/bin/python Benchmarks/cv_speed.py $(BIN)

# The Python estimator's overhead over the bare CLI on K = 5, n = 500, p = 5 000 (about a minute).
bench-python: build python-env
	$(PYTHON_ENV)/bin/python Benchmarks/python_overhead.py $(BIN)

# Test MSE and supports of the models cv picks, beside LassoCV, MultiTaskLassoCV, abess and GenGL, on simulated and public data (about 15 minutes).
bench-prediction: bench-deps
	$(PYTHON_ENV)/bin/python Benchmarks/prediction.py $(BIN)

# Learned task graphs and the adapt-then-combine recursion on the seed's experiment (about 15 seconds).
bench-diffusion: build
	bash Benchmarks/diffusion.sh $(BIN)

# Heuristic, exact and GenGL side by side on the GenGL scenarios and a Zbar instance (about 4 minutes).
bench-compare: build
	bash Benchmarks/compare.sh $(BIN)

# The runtime study: ours against SCIP, Gurobi (size-limited pip licence), L0BnB and abess on the ladder;
# regenerates Benchmarks/RESULTS.md and Benchmarks/results/study-*.svg. Quick: about 5 minutes; full: about an hour.
bench-study: bench-deps
	$(PYTHON_ENV)/bin/python Benchmarks/study.py $(BIN)

bench-study-full: bench-deps
	$(PYTHON_ENV)/bin/python Benchmarks/study.py $(BIN) --full

clean:
	rm -rf .build $(PYTHON_ENV)

# A 40-task exact ladder grid on 1 shard, then on 2 shards side by side (wall times, outcomes; about 7 minutes).
bench-grid: build
	bash Benchmarks/grid.sh $(BIN) | tee Benchmarks/results/grid-ladder.log

# GenGL: seconds to a 1e-6 duality gap per preset (K 10, p 1000, n 100) beside cvxpy/Clarabel (about 6 minutes).
bench-gengl: build python-env
	$(PYTHON_ENV)/bin/python Benchmarks/gengl_speed.py $(BIN) | tee Benchmarks/results/gengl-speed.log

bench-gengl-recovery: build python-env
	$(PYTHON_ENV)/bin/python Benchmarks/gengl_recovery.py $(BIN) | tee Benchmarks/results/gengl-recovery.log
