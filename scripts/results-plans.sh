#!/usr/bin/env bash
# What every results script would run now: each script as results/run-all.sh starts it, with every `dp bench` given
# --dry-run and every other dp command skipped, so nothing trains and no file changes. Prints each bench's plan; diff
# the output of two checkouts to see that a change of defaults or keys leaves the published sweeps' plans alone:
#   bash scripts/results-plans.sh > /tmp/plans-after.txt
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
plan() {
  local script=$1
  shift
  # The script's own dp (a function or the binary) becomes a dry-run of dp bench and nothing else.
  sed -e 's|^dp() {.*|dp() { [ "$1" = bench ] \&\& node apps/cli/bin/dp.mjs "$@" --dry-run \|\| true; }|' \
    -e 's|^\( *\)node apps/cli/bin/dp.mjs |\1dp |' \
    -e "s|^cd \"\$(dirname \"\$0\")/..\"|cd '$root'\ndp() { [ \"\$1\" = bench ] \&\& node apps/cli/bin/dp.mjs \"\$@\" --dry-run \|\| true; }|" \
    "results/$script" >"$tmp/$script"
  echo "=== bash results/$script $*"
  bash "$tmp/$script" "$@" 2>&1
}
plan fashion-mnist.sh cnn-small
plan policy-defaults.sh
plan fashion-mnist-8-epochs.sh
plan importance-trial.sh
plan cifar10-resnet20.sh
plan fashion-mnist.sh resnet20
(export SEEDS=1 && plan cifar10-resnet20.sh)
(export PARTS=baselines && plan cifar10-campaign.sh)
(export PARTS=published && plan cifar10-campaign.sh)
plan screening.sh
