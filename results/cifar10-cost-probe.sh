#!/usr/bin/env bash
# The cost model of the CIFAR-10 campaign's protocol (results/cifar10-campaign.sh: CIFAR-10 (JPEG), resnet20, batch
# 128, crop + flip, 80 epochs, oneDNN on, the compiled training step the sweeps train with since session 17): what a
# trained sample, an epoch, a run's first epoch and each policy's selection and scoring cost (every known policy at
# 0.5 and 0.7, default options), measured in this one process (dp probe-cost --help). Run it on a QUIET machine
# (sweeps paused): the constants are only as good as the machine was steady while they were measured; about 2-5
# minutes on the 2-core host. From the repository root:
#   bash results/cifar10-cost-probe.sh
# Then commit results/cifar10-resnet20-cost.json, and add the "speed-up (1 machine)" column to the report and to the
# README's CIFAR-10 table (node scripts/readme-tables.mjs picks the file up by itself):
#   node apps/cli/bin/dp.mjs report results/cifar10-resnet20.jsonl --out results/cifar10-resnet20 \
#     --title 'CIFAR-10 (JPEG) · resnet20' --adjust-machine-speed --cost-model results/cifar10-resnet20-cost.json
#   node scripts/readme-tables.mjs
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_ENABLE_ONEDNN_OPTS=${TF_ENABLE_ONEDNN_OPTS:-1}
node apps/cli/bin/dp.mjs probe-cost \
  --dataset cifar10-jpeg --data-dir "${DP_DATA_DIR:-../shared/datasets}" --model resnet20 \
  --lr 0.1 --schedule cosine --warmup 0.02 --weight-decay 5e-4 --batch-size 128 --epochs 80 \
  --train-step "${TRAIN_STEP:-compiled}" \
  --ratios 0.5,0.7 \
  --out "${OUT:-results/cifar10-resnet20-cost.json}"
