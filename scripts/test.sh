#!/usr/bin/env bash
# Quickstart 2: set up, then run everything CI runs: lint, types, the rule pack's own
# examples and lint, and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff"; ruff check riskscreen tests benchmarks
echo "== mypy"; mypy riskscreen
echo "== rules test"; riskscreen rules test
echo "== rules lint"; riskscreen rules lint
echo "== pytest"; pytest -q "$@"
