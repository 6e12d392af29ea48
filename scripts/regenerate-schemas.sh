#!/usr/bin/env bash
# Regenerate the JSON Schema of the input contract for the bundled taxonomies: the copy shipped
# in the package (used by `riskscreen init`'s modeline) and the one published in docs/.
# Run after changing the input models or a vocabulary in taxonomies/, then review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/riskscreen --no-config schema input -o riskscreen/authoring/schemas/engagement.schema.json
cp riskscreen/authoring/schemas/engagement.schema.json docs/schemas/engagement.schema.json
