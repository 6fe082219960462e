#!/usr/bin/env bash
# Every issue-9 sweep, in the order they are meant to run; each is resumable (finished runs are skipped, an
# interrupted run resumes from its checkpoint), so this can be started again in every session until all are done:
#   nohup bash results/run-all.sh > runs/run-all.log 2>&1 &
# With a time limit (a working session that ends in 2.5 h, say), start no `dp bench` run that would not finish by
# then (`dp score` and `dp report` are not limited); the sweeps then go on to the next script's shorter runs, and
# the runs not started are done at the next start:
#   DP_BENCH_UNTIL=$(date -d '+150 min' +%Y-%m-%dT%H:%M) nohup bash results/run-all.sh > runs/run-all.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
bash results/fashion-mnist.sh cnn-small     # 75 runs, done 2026-11-21
bash results/policy-defaults.sh             # defaults sweep: 28 runs
bash results/fashion-mnist-8-epochs.sh      # annealing trial on the same protocol
bash results/importance-trial.sh            # unbiased-weights trial (12 runs; session 7)
bash results/cifar10-resnet20.sh || echo "run-all: the CIFAR-10 sweep stopped (see above); going on"            # CIFAR-10 (JPEG), 80 epochs, 11 runs (~26 h on 2 cores)
bash results/fashion-mnist.sh resnet20      # 75 runs (~4-5 h on 2 cores)
SEEDS=1 bash results/cifar10-resnet20.sh || echo "run-all: CIFAR-10 seed 1 stopped (see above)"   # a second CIFAR-10 seed for error bars (~10 h)
