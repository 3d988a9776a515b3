#!/usr/bin/env bash
# The learned-task-relationships experiment (issue 8; seed: "Multitask Learning with Learned Task
# Relationships"): K = 10 agents on a random graph with edge weights in {1, 5}, task vectors drawn
# from the Gaussian Markov random field of that graph (p = 50), 20 000 streaming rows per agent,
# at three noise levels. For each: the graph learned from per-task ridge fits (`sparsemtl graph`),
# and the adapt-then-combine recursion (`sparsemtl diffuse`): non-cooperative, learned graph,
# true graph and consensus, MSD averaged over 10 runs. Pictures go to Benchmarks/results/.
# Usage: bash Benchmarks/diffusion.sh [PATH/TO/sparsemtl]   (or: make bench-diffusion)
set -euo pipefail
bin=$(realpath "${1:-.build/release/sparsemtl}")
results=$(cd "$(dirname "$0")" && pwd)/results
mkdir -p "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for snr in 1 0.3 0.1; do
  name=gmrf-snr$snr
  "$bin" generate --output-directory "$work" --name "$name" --pattern gmrf --tasks 10 --features 50 \
    --samples 20000 --rho 0 --snr "$snr" --seed 1 --sparsity 50 2>/dev/null
  echo "== SNR $snr: K = 10, p = 50, 20 000 rows per agent =="
  "$bin" graph "$work/$name.json" --truth-graph "$work/${name}_graph_truth.csv" --output "$work/learned.csv" \
    --plot "$results/graph-$name.svg" 2>&1 | grep -E 'graph:|precision' | sed 's/^/  batch graph: /'
  "$bin" diffuse "$work/$name.json" --truth-graph "$work/${name}_graph_truth.csv" --phase-one 6000 --runs 10 \
    --output "$work/$name-diffuse.json" --plot "$results/diffusion-$name.svg" 2>/dev/null | sed 's/^/  /'
done
echo "pictures: $results/diffusion-gmrf-snr*.svg, $results/graph-gmrf-snr*.svg"
