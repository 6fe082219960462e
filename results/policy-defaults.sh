#!/usr/bin/env bash
# Issue 9: choose the ε-greedy / UCB defaults (ε, c, EMA decay, selection interval) on Fashion-MNIST only.
# cnn-small, 8 epochs, prune ratio 0.7, seeds 0 and 1. With ratio 0.7 it takes ceil(1/0.3) = 4 epochs before every
# sample has been observed once (never-observed samples rank first), so the scores steer the last 4-5 epochs; the
# 3-epoch main sweep is too short to tell the options apart. Accuracy decides; wall-clock times here are not used.
# Resumable (finished runs are lines in the results file). From the repository root after `npm run setup`:
#   bash results/policy-defaults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dp() { node apps/cli/bin/dp.mjs "$@"; }
R=results/policy-defaults.jsonl
COMMON=(--results "$R" --runs-dir runs/bench-defaults --dataset fashion-mnist --model cnn-small --epochs 8
  --eval-every 8 --ratios 0.7 --warmup 0) # no LR warm-up, explicitly: made when 0 was the default (0.05 since 2026-12-06)
run() { local seed=$1 policy=$2; shift 2; dp bench "${COMMON[@]}" --seeds "$seed" --policies "$policy" "$@"; }

for seed in 0 1; do
  run "$seed" full
  run "$seed" random
  for eps in 0.05 0.1 0.2 0.4; do run "$seed" epsilon-greedy --policy-option epsilon=$eps; done
  for c in 0.5 1 2 4; do run "$seed" ucb --policy-option c=$c; done
  run "$seed" epsilon-greedy --policy-option decay=0.5
  run "$seed" ucb --policy-option decay=0.5
  run "$seed" epsilon-greedy --policy-option interval=2
  run "$seed" ucb --policy-option interval=2
done
dp report "$R" --out results/policy-defaults --title 'Policy defaults · Fashion-MNIST · cnn-small · 8 epochs · ratio 0.7'
