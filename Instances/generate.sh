#!/usr/bin/env bash
# Regenerates the instance library from fixed seeds (the files come out byte-identical).
# Usage: bash Instances/generate.sh [PATH/TO/sparsemtl]   (default .build/release/sparsemtl)
set -euo pipefail
bin=${1:-.build/release/sparsemtl}
cd "$(dirname "$0")"
case "$bin" in /*) ;; *) bin="../$bin" ;; esac

gen() { "$bin" generate --output-directory . "$@"; }

# The demo: 3 tasks, Zbar and ridge active; and the same data with a chain task graph.
gen --name demo --tasks 3 --samples 100 --features 30 --true-sparsity 5 --seed 1 --sparsity 5 --ridge 0.1 --zbar 0.1
printf 'task_a,task_b,weight\nt1,t2,1\nt2,t3,1\n' > demo_graph.csv
sed -e 's/"name": "demo"/"name": "demo-graph"/' -e 's/"truth": "demo_truth.csv"/"task_graph": "demo_graph.csv",\n  "truth": "demo_truth.csv"/' \
    -e 's/"bbar": 0.0/"bbar": 0.1/' demo.json > demo-graph.json

# The ladder: K from 1 to 10, p from 20 to 1000, n from 50 to 500 per task (sparse pattern,
# half of each task's nonzeros on a common support, rho = 0.5, SNR = 5).
ladder() {  # K p n s seed
  gen --name "ladder-K$1-p$2-n$3" --tasks "$1" --features "$2" --samples "$3" --true-sparsity "$4" --seed "$5" \
      --sparsity "$4" --ridge 0.1 --zbar 0.1
}
ladder 1 20 50 3 11
ladder 2 20 50 3 12
ladder 2 50 50 5 13
ladder 3 100 100 5 14
ladder 2 250 50 10 15
ladder 5 250 100 10 16
ladder 10 100 500 5 17
ladder 10 500 100 10 18
ladder 5 1000 200 10 19

# The GenGL paper's three structured scenarios.
gengl() {  # pattern
  gen --name "gengl-$1" --pattern "$1" --tasks 8 --features 100 --samples 50 --true-sparsity 10 --seed 21 \
      --groups 2 --outlier-tasks 2 --sparsity 10 --ridge 0.1 --zbar 0.1
}
gengl group-lasso
gengl metag
gengl rmtfl
