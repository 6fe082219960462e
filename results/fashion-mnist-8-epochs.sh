#!/usr/bin/env bash
# Issue 9: the InfoBatch-inspired improvement trial, on the protocol of the policy-defaults sweep (Fashion-MNIST,
# cnn-small, 8 epochs, prune ratio 0.7), into the same results file so the shared runs are reused. Seeds 0-2.
#   - full data, random, epsilon-greedy, ucb (defaults), infobatch (r = 0.7);
#   - the trial: epsilon-greedy and ucb with annealEpochs=1 (full data in the last epoch = the last 12.5% of
#     training, InfoBatch's delta = 0.875), which trains 30% x 7 + 100% x 1 = 38.75% of the data;
#   - the equal-cost baseline for it: random at ratio 0.6 (40%);
#   - random, epsilon-greedy and ucb at ratio 0.43 (57% of the data): InfoBatch's own budget at r = 0.7, so that it
#     and our policies are compared at equal cost.
# Resumable. From the repository root after `npm run setup` (after results/policy-defaults.sh):
#   bash results/fashion-mnist-8-epochs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dp() { node apps/cli/bin/dp.mjs "$@"; }
R=results/policy-defaults.jsonl
COMMON=(--results "$R" --runs-dir runs/bench-defaults --dataset fashion-mnist --model cnn-small --epochs 8 --eval-every 8
  --warmup 0) # no LR warm-up, explicitly: these runs were made when 0 was the default (0.05 since 2026-12-06)

for seed in 0 1 2; do
  dp bench "${COMMON[@]}" --seeds "$seed" --policies full,random,epsilon-greedy,ucb,infobatch --ratios 0.7
  dp bench "${COMMON[@]}" --seeds "$seed" --policies epsilon-greedy --ratios 0.7 --policy-option annealEpochs=1
  dp bench "${COMMON[@]}" --seeds "$seed" --policies ucb --ratios 0.7 --policy-option annealEpochs=1
  dp bench "${COMMON[@]}" --seeds "$seed" --policies random --ratios 0.6
done
for seed in 0 1 2; do
  dp bench "${COMMON[@]}" --seeds "$seed" --policies random,epsilon-greedy,ucb --ratios 0.43
done
dp report "$R" --out results/policy-defaults --title 'Fashion-MNIST · cnn-small · 8 epochs: policy defaults and the annealing trial'
