#!/usr/bin/env bash
# Regenerate llmkg/web/static/vendor/ from npm at the versions package-lock.json pins.
# Needs node and npm; the pages themselves never touch the network.
set -euo pipefail
cd "$(dirname "$0")"
out=../llmkg/web/static/vendor
npm ci --no-audit --no-fund
mkdir -p "$out/licences"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css "$out/"
cp node_modules/sigma/dist/sigma.min.js "$out/"
cp node_modules/graphology/dist/graphology.umd.min.js "$out/"
node_modules/.bin/esbuild gexf-entry.js --bundle --minify --format=iife --outfile="$out/graphology-gexf.min.js"
# The @zazuko/yasgui package carries no licence file: licences/ holds its repository's (MIT).
cp licences/yasgui-LICENSE.txt "$out/licences/yasgui-LICENSE.txt"
cp node_modules/sigma/LICENSE.txt "$out/licences/sigma-LICENSE.txt"
cp node_modules/graphology/LICENSE.txt "$out/licences/graphology-LICENSE.txt"
cp node_modules/graphology-gexf/LICENSE.txt "$out/licences/graphology-gexf-LICENSE.txt"
cp node_modules/graphology-utils/LICENSE.txt "$out/licences/graphology-utils-LICENSE.txt"
(cd "$out" && sha256sum *.js *.css > SHA256SUMS)
echo "vendored into $out"
