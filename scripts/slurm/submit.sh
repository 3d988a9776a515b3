#!/usr/bin/env bash
# Submit a sparsemtl grid as a Slurm job array, or resubmit only the shards with missing tasks.
#
#   scripts/slurm/submit.sh GRID TASKS SHARDS [--resubmit] [--wait] [sbatch options…]
#
# GRID: the grid file; TASKS: the task folder (both on a filesystem every node sees); SHARDS: the
# number of array tasks. --resubmit submits only the shards that `sparsemtl grid --status` says
# still miss a task (nothing when none do). --wait waits for the array to end (sbatch --wait).
# The binary is $SPARSEMTL, else `sparsemtl` on the PATH; it must be the same on every node.
# Prints the job id. Logs go to TASKS/slurm-JOB_SHARD.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
grid=${1:?usage: submit.sh GRID TASKS SHARDS [--resubmit] [--wait] [sbatch options]}
tasks=${2:?usage: submit.sh GRID TASKS SHARDS}
shards=${3:?usage: submit.sh GRID TASKS SHARDS}
shift 3
resubmit=0; extra=()
for arg in "$@"; do
  case $arg in
    --resubmit) resubmit=1 ;;
    *) extra+=("$arg") ;;
  esac
done
binary=${SPARSEMTL:-$(command -v sparsemtl || true)}
[[ -n $binary && -x $binary ]] || { echo "submit.sh: set SPARSEMTL to the sparsemtl binary" >&2; exit 64; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
grid=$(cd "$(dirname "$grid")" && pwd)/$(basename "$grid")
mkdir -p "$tasks"; tasks=$(cd "$tasks" && pwd)

array="0-$((shards - 1))"
if (( resubmit )); then
  line=$("$binary" grid "$grid" --output-dir "$tasks" --status --shard-count "$shards" | grep '^shards to resubmit:' || true)
  array=${line#shards to resubmit: }
  if [[ -z $line || $array == none ]]; then echo "submit.sh: every task is done; nothing to resubmit" >&2; exit 0; fi
fi
sbatch --parsable --array="$array" --output="$tasks/slurm-%A_%a.log" \
  --export=ALL,SPARSEMTL="$binary",SPARSEMTL_GRID="$grid",SPARSEMTL_TASKS="$tasks",SPARSEMTL_SHARDS="$shards" \
  "${extra[@]}" "$here/grid.sbatch"
