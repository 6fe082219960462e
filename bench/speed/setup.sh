#!/usr/bin/env bash
# Creates bench/speed/.venv with the CPU build of PyTorch 2.13.0: a benchmark-only reference for run.mjs,
# never a dependency of any package. Idempotent: does nothing when the venv already imports torch 2.13.0.
# The pip configuration of the machine decides where the wheel comes from (index or a local wheel folder).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
want="2.13.0"
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c "import torch,sys; sys.exit(0 if torch.__version__.split('+')[0]=='$want' else 1)" 2>/dev/null; then
  echo "[bench/speed] $venv already has torch $want"
  exit 0
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
# The CPU build: a local wheel named like torch-2.13.0+cpu-*.whl (find-links) or the index's CPU wheel.
# --retries 1: an unreachable default index (offline machines) fails fast instead of retrying for minutes.
"$venv/bin/python" -m pip install --quiet --retries 1 "torch==$want" numpy
"$venv/bin/python" -c "import torch; print('[bench/speed] torch', torch.__version__, 'threads', torch.get_num_threads())"
