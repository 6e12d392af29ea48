#!/usr/bin/env bash
# Refresh the GOV.UK Frontend assets shipped in riskscreen/web/static/govuk/ from the npm package.
#
# The CSS is compiled from the package's Sass with Arial as the font and without the GDS Transport
# @font-face: riskscreen is not a GOV.UK service, so it must not use the GOV.UK typeface (nor the
# crown: the generic header and footer leave it out, and no GOV.UK images or favicons are copied). Needs node and npm; run it from anywhere.
#   bash scripts/refresh-govuk-frontend.sh [VERSION]    (default: the version govuk-frontend-jinja is tested with)
set -euo pipefail
VERSION=${1:-6.3.0}
cd "$(dirname "$0")/.."
DEST=riskscreen/web/static/govuk
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm install --silent --no-save --ignore-scripts "govuk-frontend@$VERSION" "sass@1" >/dev/null)
PKG="$WORK/node_modules/govuk-frontend"
cat > "$WORK/riskscreen.scss" <<'SCSS'
$govuk-font-family: arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/govuk/assets/";
@import "node_modules/govuk-frontend/dist/govuk/index";
SCSS
(cd "$WORK" && npx --no-install sass --no-source-map --style=compressed --quiet-deps \
  --silence-deprecation=import riskscreen.scss govuk-frontend.min.css)
rm -rf "$DEST"
mkdir -p "$DEST"
cp "$WORK/govuk-frontend.min.css" "$DEST/"
cp "$PKG/dist/govuk/govuk-frontend.min.js" "$DEST/"
# The npm package declares the MIT licence in package.json without a licence file; ship its text.
grep -q '"license": "MIT"' "$PKG/package.json"
cat > "$DEST/LICENSE.txt" <<'LICENCE'
The MIT License (MIT)

Copyright (C) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LICENCE
echo "govuk-frontend $VERSION" > "$DEST/VERSION"
echo "Refreshed $DEST from govuk-frontend $VERSION"
