#!/usr/bin/env bash
# Quickstart 1: set up (installs only when pyproject.toml changed), then screen a bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/riskscreen screen examples/edinburgh-kaohsiung.yaml "$@"
echo >&2
echo "riskscreen is installed in .venv/bin: run 'source .venv/bin/activate' to use it as 'riskscreen'," >&2
echo "or call .venv/bin/riskscreen directly. Next: riskscreen init --type twinning -o my-engagement.yaml" >&2
