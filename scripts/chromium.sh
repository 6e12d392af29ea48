#!/usr/bin/env bash
# Find (or install) the Chromium the browser tests drive, and print its path.
#
#   bash scripts/chromium.sh   -> prints e.g. /usr/bin/chromium
#
# Playwright cannot download its own browsers here, so the tests use Debian's chromium package,
# installed with apt-get when missing and running as root (waiting for another apt/dpkg to
# finish). Exit status 1, with the reason on stderr, when no Chromium can be had; the browser
# tests are then skipped and pytest's summary says why.
set -euo pipefail
CHROMIUM=${RISKSCREEN_CHROMIUM:-/usr/bin/chromium}

fail() { echo "chromium.sh: $*" >&2; exit 1; }

install_chromium() {
  [ "$(id -u)" = 0 ] || fail "Chromium is not installed at $CHROMIUM and installing it needs root (Debian: apt-get install chromium)"
  command -v apt-get >/dev/null 2>&1 || fail "Chromium is not installed at $CHROMIUM and there is no apt-get to install it"
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq)
  export DEBIAN_FRONTEND=noninteractive
  if ! "${apt[@]}" install chromium >/dev/null 2>&1; then
    # A fresh machine may have no package lists yet.
    "${apt[@]}" update >/dev/null 2>&1 || fail "apt-get update failed"
    "${apt[@]}" install chromium >/dev/null 2>&1 || fail "could not install Debian's chromium package"
  fi
}

[ -x "$CHROMIUM" ] || install_chromium
[ -x "$CHROMIUM" ] || fail "no Chromium at $CHROMIUM after installing Debian's chromium package"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1 \
  || fail "$CHROMIUM does not start"
echo "$CHROMIUM"
