#!/usr/bin/env bash
# Refresh the axe-core script the browser tests inject (tests/web/browser/vendor/axe-core/) from
# the npm package, with its licences. The tests never fetch it at run time.
#   bash scripts/refresh-axe-core.sh [VERSION]
set -euo pipefail
VERSION=${1:-4.14.1}
cd "$(dirname "$0")/.."
DEST=tests/web/browser/vendor/axe-core
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "axe-core@$VERSION" >/dev/null && tar xzf "axe-core-$VERSION.tgz")
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$WORK/package/axe.min.js" "$WORK/package/LICENSE" "$WORK/package/LICENSE-3RD-PARTY.txt" "$DEST/"
echo "axe-core $VERSION (MPL-2.0)" > "$DEST/VERSION"
echo "Refreshed $DEST from axe-core $VERSION"
