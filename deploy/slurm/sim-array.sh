#!/bin/bash
# Run the shipped experiment (examples/research/experiment.yaml) as a Slurm
# array job: one shard per array task, then one dependent job that merges
# the shards into exactly the bytes a single run writes.
#
#   sbatch deploy/slurm/sim-array.sh                  # 8 shards (the default)
#   SHARDS=16 sbatch --array=1-16 deploy/slurm/sim-array.sh
#
# Run it from the repository root on a shared file system. FULCRUM is the
# fulcrum binary (built once with "go build -o bin/fulcrum ./cmd/fulcrum");
# EXPERIMENT and OUT may be overridden in the environment.
#SBATCH --job-name=fulcrum-sim
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=00:30:00
#SBATCH --output=sim-%A_%a.log
set -euo pipefail

FULCRUM=${FULCRUM:-bin/fulcrum}
EXPERIMENT=${EXPERIMENT:-examples/research/experiment.yaml}
OUT=${OUT:-sim-out}
SHARDS=${SHARDS:-${SLURM_ARRAY_TASK_COUNT:-8}}
TASK=${SLURM_ARRAY_TASK_ID:?run this script with sbatch --array}

mkdir -p "$OUT/shards"
"$FULCRUM" sim run "$EXPERIMENT" --shard "$TASK/$SHARDS" \
  --workers "${SLURM_CPUS_PER_TASK:-0}" --out "$OUT/shards/$TASK"

# The first task submits the merge, to run once every task has succeeded.
if [ "$TASK" = "${SLURM_ARRAY_TASK_MIN:-1}" ]; then
  sbatch --dependency="afterok:${SLURM_ARRAY_JOB_ID}" --job-name=fulcrum-sim-merge \
    --output=sim-merge-%j.log --wrap \
    "$FULCRUM sim merge $EXPERIMENT --out $OUT/merged $OUT/shards/* && $FULCRUM sim plot $OUT/merged"
fi
