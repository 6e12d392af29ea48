#!/usr/bin/env bash
# Create .venv (if needed) and install riskscreen with its test and lint tools.
# durable-rules is built from source here, so gcc and the Python headers must be present.
# The install is skipped when pyproject.toml has not changed since the last one (the package is
# installed in editable mode, so source changes need no reinstall); FORCE_SETUP=1 reinstalls.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
STAMP=.venv/.riskscreen-installed
WANT=$(.venv/bin/python -c 'import hashlib, sys; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest(), sys.version_info[:2])')
if [ "${FORCE_SETUP:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x .venv/bin/riskscreen ]; then
  exit 0
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev,web]"
echo "$WANT" > "$STAMP"
