#!/usr/bin/env bash
# Issue 22, section 4: the screening sweep. Every method at 50% and 70% pruning, 3 seeds, on a protocol where full data
# has converged and that fits in a few hours of the 2-core machine: Fashion-MNIST, cnn-small, 20 epochs (SGD lr 0.05,
# Nesterov, cosine with 5% linear warm-up, batch 128). Chosen on a VALIDATION split (`--val-split 5000`: 5,000 training
# images, class-balanced, seeded by the run's seed; the other 55,000 train), never on the test set: every accuracy in
# this results file is validation accuracy. 20 epochs so that the equal-steps baseline trains exactly (1 - r) E epochs
# at both ratios (10 and 6), the same steps as the pruned runs. It decides which methods the CIFAR-10 campaign (issue 23) confirms.
# Methods: full data, the equal-steps baseline (full data for ceil((1 - r) E) epochs), uniform random, InfoBatch
# (nominal ratio r: it trains more than 1 - r), OrderDP, SeTa, RePB, UCB with the EMA-std bonus (the paper's) and the
# count bonus (UCB1), epsilon-greedy with constant and linearly decaying epsilon, importance, and our candidates: `ramp` (uniform random with
# a linearly growing data volume, slopes 0.5 and 0.9) and `reweighted-pool` (with and without its full-data tail). Defaults as in each
# method card. Resumable (finished runs are lines of the results file). From the repository root after `npm run setup`:
#   bash results/screening.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dp() { node apps/cli/bin/dp.mjs "$@"; }
# oneDNN on even where dp's default leaves it off (hosts that hide their cache sizes, where it crashes some layer
# shapes with SIGFPE): this sweep's model was checked to run there, and runs twice as fast with it.
export TF_ENABLE_ONEDNN_OPTS=${TF_ENABLE_ONEDNN_OPTS:-1}
R=${RESULTS:-results/screening-fmnist.jsonl}
RUNS=${RUNS:-runs/bench-screening}
COMMON=(--dataset fashion-mnist --model cnn-small --epochs 20 --lr 0.05 --schedule cosine --warmup 0.05 --batch-size 128 --val-split 5000)
bench() { dp bench --results "$R" --runs-dir "$RUNS" "${COMMON[@]}" "$@"; }

for seed in ${SEEDS:-0 1 2}; do
  bench --seeds "$seed" --policies full,equal-steps,random,infobatch,orderdp,seta,repb,ucb,epsilon-greedy,importance --ratios 0.5,0.7
  bench --seeds "$seed" --policies ucb --ratios 0.5,0.7 --policy-option bonus=count
  bench --seeds "$seed" --policies epsilon-greedy --ratios 0.5,0.7 --policy-option epsilonSchedule=linear
  bench --seeds "$seed" --policies ramp --ratios 0.5,0.7
  bench --seeds "$seed" --policies ramp --ratios 0.5,0.7 --policy-option ramp=0.9
done
# Our second candidate, reweighted-pool (session 15), and the same without its full-data tail (what the tail adds).
for seed in ${SEEDS:-0 1 2}; do
  bench --seeds "$seed" --policies reweighted-pool --ratios 0.5,0.7
  bench --seeds "$seed" --policies reweighted-pool --ratios 0.5,0.7 --policy-option tailBudget=0
done
# Two more seeds of the leaders at 50% (session 15): with 3 seeds the intervals cannot resolve 0.3 points.
for seed in ${EXTRA_SEEDS:-3 4}; do
  bench --seeds "$seed" --policies full,equal-steps,random,repb,seta,infobatch,reweighted-pool --ratios 0.5
done
# Two more seeds of the leaders at 70% (session 16): at 0.7 three seeds resolve only about 1 point, and reweighted-pool
# without its tail led there on three seeds.
for seed in ${EXTRA_SEEDS_07:-3 4}; do
  bench --seeds "$seed" --policies equal-steps,random,repb,seta,orderdp,infobatch --ratios 0.7
  bench --seeds "$seed" --policies reweighted-pool --ratios 0.7 --policy-option tailBudget=0
done
dp report "$R" --out results/screening-fmnist --title 'Screening · Fashion-MNIST · cnn-small · 20 epochs · validation split 5,000' --adjust-machine-speed
