#!/usr/bin/env bash
# The committed bundles must be exactly what the sources build to: rebuild and compare.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
if ! git diff --exit-code --stat -- dist; then
  echo "::error::dist/ is out of date: run 'npm run build' and commit dist/."
  exit 1
fi
untracked=$(git ls-files --others --exclude-standard -- dist)
if [ -n "$untracked" ]; then
  echo "::error::dist/ has files that are not committed: $untracked"
  exit 1
fi
echo "dist/ is up to date"
