#!/usr/bin/env bash
# Set up the toolkit in ./.venv on a fresh machine: a CPU build of torch (pinned, so pip does not
# pull a multi-GB CUDA build), Anny and smplx, the toolkit itself (editable) and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check torch==2.13.0
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[body,render,dev]"
echo "setup done: $(.venv/bin/python -c 'import posescript_pipeline, torch, anny; print("torch", torch.__version__, "anny", anny.__version__ if hasattr(anny, "__version__") else "ok")')"
