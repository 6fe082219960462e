#!/usr/bin/env bash
# What every results script would run now: each script as results/run-all.sh starts it, with every `dp bench` given
# --dry-run and every other dp command skipped, so nothing trains and no file changes. Prints each bench's plan:
#   bash scripts/results-plans.sh > /tmp/plans-after.txt
# --cli DIR plans the same scripts and results files with the CLI built in another checkout (DIR/apps/cli/dist), so
# that a diff shows what a code change alone does to the published sweeps' plans; scripts/results-plans-diff.sh REV
# does it all for a revision. The scripts only record their dp calls; one node process then plans them all (a
# process per call took minutes on a loaded machine).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cli=$root
if [ "${1:-}" = --cli ]; then cli=$(cd "$2" && pwd); fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DP_PLAN_CALLS=$tmp/calls DP_PLAN_FN=$tmp/dp.sh
# One call per line: its words separated by NUL.
cat >"$DP_PLAN_FN" <<'DP'
dp() { if [ "$1" = bench ]; then { printf '%s\0' "$@" --dry-run; echo; } >>"$DP_PLAN_CALLS"; fi; }
DP
plan() {
  local script=$1
  shift
  { printf '%s\0' === "bash results/$script $*"; echo; } >>"$DP_PLAN_CALLS"
  # The script's own dp (a function or the binary) becomes the recorder.
  sed -e 's|^dp() {.*|. "$DP_PLAN_FN"|' \
    -e 's|^\( *\)node apps/cli/bin/dp.mjs |\1dp |' \
    -e "s|^cd \"\$(dirname \"\$0\")/..\"|cd '$root'; . \"\$DP_PLAN_FN\"|" \
    "results/$script" >"$tmp/$script"
  bash "$tmp/$script" "$@"
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
node scripts/results-plans.mjs "$DP_PLAN_CALLS" "$cli/apps/cli/dist/main.js"
