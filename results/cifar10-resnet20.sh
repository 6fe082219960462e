#!/usr/bin/env bash
# Issue 9 sweep, CIFAR-10 (JPEG) with resnet20 and the standard augmentation (random crop with 4-pixel padding +
# horizontal flip: --augment auto), 80 epochs, SGD lr 0.1 (Nesterov, momentum 0.9, weight decay 5e-4), cosine
# schedule with 2% linear warm-up, batch 128. Full data reached 86.70% at 30 epochs and 87.53% at 50 (2026-11-21, the
# first two lines of the results file; mean of the last five epochs 86.54% and 87.63%), short of the issue's 88%.
# Extrapolating those in log(epochs) gives 88.1-88.4% at 70 and 88.3-88.6% at 80, hence 80 for a margin over the
# noise of one seed; the sweep stops after the full-data run if it is below 88%. Policy defaults are the ones chosen on Fashion-MNIST
# (results/policy-defaults.sh), unchanged here. Ratio 0.7 first (cheapest, the paper's aggressive setting), then 0.5.
# Also `importance` (session 7's improvement trial for ucb losing to uniform random at 0.7; at 0.5 since session 9).
# Resumable: finished runs are lines in the results file and are skipped; an interrupted run resumes from its
# checkpoint in runs/bench-cifar10 (when that folder survived). From the repository root after `npm run setup`:
#   bash results/cifar10-resnet20.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dp() { node apps/cli/bin/dp.mjs "$@"; }
R=results/cifar10-resnet20.jsonl
RUNS=runs/bench-cifar10
DATA=(--dataset cifar10-jpeg --data-dir "${DP_DATA_DIR:-../shared/datasets}" --model resnet20)
TRAIN=(--lr 0.1 --schedule cosine --warmup 0.02 --weight-decay 5e-4 --batch-size 128)
EPOCHS=${EPOCHS:-80}
COMMON=("${DATA[@]}" "${TRAIN[@]}" --epochs "$EPOCHS")
EL2N=results/scores/cifar10-jpeg-el2n-resnet20-e3-r2.dpscore
SEEDS=${SEEDS:-0}

for seed in ${SEEDS//,/ }; do
  dp bench --results "$R" --runs-dir "$RUNS" "${COMMON[@]}" --seeds "$seed" --policies full
  # The issue's bar for the protocol: the full-data run must reach 88%, else more epochs are needed first. It chose
  # the epoch count on seed 0; further seeds (error bars) are reported at whatever they reach.
  [ "$seed" != 0 ] || node -e '
    const [file, epochs, seed] = process.argv.slice(1);
    const runs = require("fs").readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const full = runs.find((r) => r.config.policy === "full" && r.config.epochs === Number(epochs) && r.config.seed === Number(seed));
    if (!full || full.finalAccuracy < 0.88) {
      console.error(`cifar10-resnet20.sh: full data at ${epochs} epochs reached ${full ? (100 * full.finalAccuracy).toFixed(2) : "?"}% < 88%: raise EPOCHS before pruning runs`);
      process.exit(1);
    }' "$R" "$EPOCHS" "$seed"
  for ratio in 0.7 0.5; do
    dp bench --results "$R" --runs-dir "$RUNS" "${COMMON[@]}" --seeds "$seed" --policies random,ucb,epsilon-greedy,infobatch --ratios "$ratio"
    # EL2N (Paul et al. 2021) after 3 epochs, averaged over 2 runs; its seconds are charged to every static run.
    [ -f "$EL2N" ] || dp score --method el2n --epochs 3 --runs 2 "${DATA[@]}" "${TRAIN[@]}" --out "$EL2N"
    dp bench --results "$R" --runs-dir "$RUNS" "${COMMON[@]}" --seeds "$seed" --policies static --score-file "$EL2N" --ratios "$ratio"
    # The improvement trial where ucb lost to uniform random at 0.7 (seed 0): unbiased weights (`importance`, the
    # UCB score as a sampling probability, weights 1/p; its default mix chosen on Fashion-MNIST), at equal cost.
    # At 0.5 too (added in session 9, after it beat random at 0.7), for the equal-cost comparison with InfoBatch.
    dp bench --results "$R" --runs-dir "$RUNS" "${COMMON[@]}" --seeds "$seed" --policies importance --ratios "$ratio"
  done
done
# Raw costs and, beside them, costs at the full-data run's machine speed (the sweep spans sessions; dp report --help),
# and, once the quiet cost probe is committed (results/cifar10-cost-probe.sh), every run priced at one machine speed.
COST=results/cifar10-resnet20-cost.json
dp report "$R" --out results/cifar10-resnet20 --title 'CIFAR-10 (JPEG) · resnet20' --adjust-machine-speed \
  $([ -f "$COST" ] && echo --cost-model "$COST")
