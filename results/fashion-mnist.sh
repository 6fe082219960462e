#!/usr/bin/env bash
# Issue 9 sweep, Fashion-MNIST (exact data, Debian), 3 epochs, with one model: cnn-small (the default; done
# 2026-11-21) or resnet20 (the CIFAR ResNet-20 on 28x28x1 inputs). Results in results/fashion-mnist-MODEL.jsonl.
# Resumable: finished runs are lines in the results file and are skipped; an interrupted run resumes from its
# checkpoint in the runs folder (when that folder survived). Run from the repository root after `npm run setup`:
#   bash results/fashion-mnist.sh cnn-small
#   bash results/fashion-mnist.sh resnet20
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:?usage: bash results/fashion-mnist.sh cnn-small|resnet20}
dp() { node apps/cli/bin/dp.mjs "$@"; }
R=results/fashion-mnist-$MODEL.jsonl
RUNS=runs/bench-fmnist-$MODEL
# No LR warm-up, explicitly: these runs were made when 0 was the default (the default is 0.05 since 2026-12-06).
DATA=(--dataset fashion-mnist --model "$MODEL" --warmup 0)
COMMON=("${DATA[@]}" --epochs 3)
RATIOS=0.3,0.5,0.7,0.8
EL2N=results/scores/fashion-mnist-el2n-$MODEL-e2-r2.dpscore
FORGET=results/scores/fashion-mnist-forgetting-$MODEL-e3-r1.dpscore

# Static scores, paid for once; their seconds are charged to every static run that uses them.
[ -f "$EL2N" ] || dp score --method el2n --epochs 2 --runs 2 "${DATA[@]}" --out "$EL2N"
[ -f "$FORGET" ] || dp score --method forgetting --epochs 3 --runs 1 "${DATA[@]}" --out "$FORGET"

# Seed-major, so that every method has its first seed before any has its third.
for seed in 0 1 2; do
  dp bench --results "$R" --runs-dir "$RUNS" "${COMMON[@]}" --seeds "$seed" \
    --policies full,random,epsilon-greedy,ucb,infobatch --ratios "$RATIOS"
  dp bench --results "$R" --runs-dir "$RUNS" "${COMMON[@]}" --seeds "$seed" --policies static --score-file "$EL2N" --ratios "$RATIOS"
  dp bench --results "$R" --runs-dir "$RUNS" "${COMMON[@]}" --seeds "$seed" --policies static --score-file "$FORGET" --ratios "$RATIOS"
done
# Raw costs and, beside them, costs at the full-data run's machine speed (the sweep spans sessions; dp report --help).
dp report "$R" --out "results/fashion-mnist-$MODEL" --title "Fashion-MNIST · $MODEL · 3 epochs" --adjust-machine-speed
