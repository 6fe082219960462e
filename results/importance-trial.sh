#!/usr/bin/env bash
# Issue 9, the second improvement trial (session 7): unbiased weights. `importance` draws k samples with probability
# proportional to the UCB score (mixed with uniform by `mix`) and weights each 1/p (Horvitz-Thompson), where `ucb`'s
# top-k is biased to hard samples. Protocol of the policy-defaults sweep (Fashion-MNIST, cnn-small, 8 epochs, ratio
# 0.7 = 30% of the data for every row, seeds 0-2), but its own results file: the runs in results/policy-defaults.jsonl
# predate the session-5 change of cnn-small's initialisation, so random and ucb are rerun here with today's code
# and every row of this trial starts from the same models. `mix` 0.5 and 0.2; the default is the better of the two.
# Resumable. From the repository root after `npm run setup`:
#   bash results/importance-trial.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TRIAL=(--results results/importance-trial.jsonl --runs-dir runs/bench-importance --dataset fashion-mnist --model cnn-small --epochs 8 --eval-every 8 --ratios 0.7
  --warmup 0) # no LR warm-up, explicitly: these runs were made when 0 was the default (0.05 since 2026-12-06)
for seed in 0 1 2; do
  node apps/cli/bin/dp.mjs bench "${TRIAL[@]}" --seeds "$seed" --policies importance --policy-option mix=0.5
  node apps/cli/bin/dp.mjs bench "${TRIAL[@]}" --seeds "$seed" --policies importance --policy-option mix=0.2
  node apps/cli/bin/dp.mjs bench "${TRIAL[@]}" --seeds "$seed" --policies random,ucb
done
node apps/cli/bin/dp.mjs report results/importance-trial.jsonl --out results/importance-trial --title 'Fashion-MNIST · cnn-small · 8 epochs · ratio 0.7: unbiased weights (importance) vs ucb and random'
