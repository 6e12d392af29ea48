#!/usr/bin/env bash
# Quickstart 1: set up, then screen a bundled example engagement.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/riskscreen screen examples/edinburgh-kaohsiung.yaml "$@"
