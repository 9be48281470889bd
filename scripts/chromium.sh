#!/usr/bin/env bash
# Provisions Debian's Chromium (and the DejaVu fonts the HTML report names) for the report's
# screenshot test. Idempotent: when both are present nothing is installed. Installing needs root or sudo.
set -euo pipefail

find_chromium() {
  command -v chromium || command -v chromium-browser || true
}

fonts_present() {
  # Without the fonts, screenshots fall back to whatever is there and stop being comparable.
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]
}

if [ -z "$(find_chromium)" ] || ! fonts_present; then
  SUDO=''
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO='sudo'; else
      echo "::error::chromium or fonts-dejavu-core is missing and installing needs root; run: apt-get install chromium fonts-dejavu-core" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi

CHROMIUM="$(find_chromium)"
if [ -z "$CHROMIUM" ]; then
  echo "::error::chromium is still not on PATH after installing it" >&2
  exit 1
fi
# Debian's launcher warns on stderr about /dev/shm sizing on some machines; the version is on stdout.
"$CHROMIUM" --version 2>/dev/null
