#!/usr/bin/env bash
# Builds the browser libraries Pakta serves from the npm registry (docs/frontend.md):
# `npm ci` from package-lock.json when node_modules/ is missing or older than the lock file, then
# copies the distributed files into build/static/vendor/, which settings.STATICFILES_DIRS lists
# (collectstatic and WhiteNoise serve it). Both directories are ignored by git: nothing built is
# committed. Run by `make install` (so by `make run`, `make test` and .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "npm is missing: install Node.js 18 or later (apt-get install npm)." >&2; exit 1; }
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
out=build/static/vendor
mkdir -p build/static
tmp=$(mktemp -d build/static/.vendor.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/echarts" "$tmp/tom-select"
# The source maps go along: the minified files name them, and the manifest storage of
# collectstatic refuses a reference to a missing file.
cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE "$tmp/echarts/"
cp node_modules/tom-select/dist/js/tom-select.complete.min.js \
   node_modules/tom-select/dist/js/tom-select.complete.min.js.map \
   node_modules/tom-select/dist/css/tom-select.default.min.css \
   node_modules/tom-select/dist/css/tom-select.default.min.css.map \
   node_modules/tom-select/LICENSE "$tmp/tom-select/"
rm -rf "$out"
mv "$tmp" "$out"
chmod 755 "$out"
trap - EXIT
