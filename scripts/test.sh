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
echo "== services"
# The web service's storage tests also run against PostgreSQL when a server can be started;
# otherwise they are skipped and pytest's summary (-rs) says why.
if PG_URL=$(bash scripts/services.sh postgres); then
  export RISKSCREEN_TEST_POSTGRES_URL="$PG_URL"
  echo "PostgreSQL: $PG_URL"
else
  echo "PostgreSQL: not available; its tests will be skipped"
fi
echo "== pytest"; pytest -q -rs "$@"
