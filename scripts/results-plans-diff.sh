#!/usr/bin/env bash
# Did a code change alter what the committed results scripts would run? Plans every results script (see
# scripts/results-plans.sh: dry runs only, nothing trains) with the CLI of this checkout and with the CLI of REV, on
# the same scripts and results files, and prints the diff (empty: no plan changed). REV is checked out in a temporary
# git worktree outside the repository with this checkout's node_modules linked, and its packages are built there.
#   bash scripts/results-plans-diff.sh 3401371
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bash scripts/results-plans-diff.sh REV}
old=$(mktemp -d)/old
out=$(mktemp -d)
cleanup() {
  git worktree remove --force "$old" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT
git worktree add --detach "$old" "$rev" >/dev/null
# node_modules: every entry linked, except the workspace links (@dp/*, relative), copied so they point into $old.
mkdir "$old/node_modules"
for e in node_modules/* node_modules/.[!.]*; do
  [ -e "$e" ] || continue
  b=$(basename "$e")
  if [ "$b" = @dp ]; then cp -a "$e" "$old/node_modules/"; else ln -s "$PWD/$e" "$old/node_modules/$b"; fi
done
(cd "$old" && npx turbo run build --filter=@dp/cli... >"$out/build.log" 2>&1) || {
  tail -20 "$out/build.log"
  echo "results-plans-diff: the build of $rev failed (log above)" >&2
  exit 1
}
bash scripts/results-plans.sh --cli "$old" >"$out/before.txt" 2>&1
bash scripts/results-plans.sh >"$out/after.txt" 2>&1
echo "plans: $(grep -c '^===' "$out/after.txt") script invocations, $(grep -c '^dp bench: ' "$out/after.txt") dp bench calls; diff $rev -> this checkout:"
diff "$out/before.txt" "$out/after.txt" && echo "(no difference)"
