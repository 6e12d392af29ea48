#!/usr/bin/env bash
# Create .venv (if needed) and install riskscreen with its test and lint tools.
# durable-rules is built from source here, so gcc and the Python headers must be present.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev,web]"
