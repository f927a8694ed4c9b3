#!/usr/bin/env bash
# Installs everything Interkommunal needs to build, run and test on Debian 12, and the npm
# packages from package-lock.json. Idempotent and quiet when nothing is missing: apt is only
# touched (and its package lists only updated) when a package is not installed yet, and `npm ci`
# only runs when node_modules is missing or older than package-lock.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  # build
  build-essential cmake ninja-build pkg-config g++
  # libraries
  librestinio-dev libasio-dev libhttp-parser-dev libsqlite3-dev sqlite3 libpqxx-dev libpq-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libsodium-dev
  coinor-libcbc-dev coinor-libclp-dev  # secondary suppression (src/disclosure)
  libcurl4-openssl-dev zlib1g-dev  # SMTP; gzip responses
  libicu-dev libzip-dev libxml2-dev libxlsxwriter-dev libboost-dev  # monitoring import/export
  libxapian-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libpoppler-cpp-dev libmagic-dev  # portal
  # tests and benchmarks
  libgtest-dev libgmock-dev postgresql-15 chromium wrk nginx-light fonts-dejavu-core
  node-ajv  # JSON Schema validation of API answers against api/openapi.json
  qpdf  # tests/data/make-pdfs.sh: the password-protected PDF fixture of the search tests
)
# Debian's own Node.js only when there is none: a newer one installed another way is kept.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup-deps: missing packages need root to install: run as root or install sudo" >&2
    exit 1
  fi
}

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null || true)"
  [[ "$status" == ii* ]] || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "setup-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q "${missing[@]}" </dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ((node_major < 20)); then
  echo "setup-deps: warning: Node.js $(node --version) found; the test harnesses need Node.js >= 20" >&2
fi

stamp="$root/node_modules/.package-lock.json"
if [[ ! -f "$stamp" || "$root/package-lock.json" -nt "$stamp" ]]; then
  echo "setup-deps: npm ci"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
fi
