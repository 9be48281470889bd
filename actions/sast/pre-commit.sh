#!/usr/bin/env sh
# pre-commit entry (see /.pre-commit-hooks.yaml): runs the bundled rule pack on the files pre-commit
# passes. Exit 1 on any finding, >= 2 on an engine error; no registry, no metrics, no version check.
set -eu
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
rules="$here/../../rules"
semgrep="${SECURE_PIPELINE_SEMGREP_PATH:-semgrep}"
if ! command -v "$semgrep" >/dev/null 2>&1; then
  echo "secure-pipeline-sast: semgrep not found. Install the pinned version:" >&2
  echo "  python3 -m pip install --require-hashes --no-deps -r $here/semgrep-requirements.txt" >&2
  echo "or set SECURE_PIPELINE_SEMGREP_PATH to a semgrep 1.185.x binary." >&2
  exit 2
fi
[ "$#" -gt 0 ] || exit 0
exec "$semgrep" scan --metrics=off --disable-version-check --x-rule-validation=none --no-rewrite-rule-ids \
  --error --quiet --config "$rules" -- "$@"
